"""Exercise detail: overview, muscles, variations, mistakes and fixes, safety, FAQ.

Long-form reading (at home or between sets), so it uses tabs of formatted text rather than the
giant type of guided mode; a big button leads into guided mode.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from legcoach.core.exercise import Exercise
from legcoach.ui import themes
from legcoach.ui.widgets import FlowRow, button, label, muscle_label

NARROW = 900  # px: below this the header's text goes above the action buttons
TABS_STYLE = """
QTabBar[compact="true"]::tab { padding: 14px 9px; font-size: 17px; margin-right: 2px; }
"""
"""Tighter tabs for narrow screens (still 56 px tall)."""

_BREATH_WORDS = {"inhale": "breathe in", "exhale": "breathe out", "hold": "hold your breath",
                 "breathe": "breathe freely"}


def _list(items: tuple[str, ...] | list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


def _section(title: str, body: str) -> str:
    return f"<h3 style='color:{themes.current().accent}'>{escape(title)}</h3>{body}"


def _para(text: str) -> str:
    return f"<p>{escape(text)}</p>" if text else ""


def overview_html(exercise: Exercise) -> str:
    guidance = exercise.guidance
    low, high = guidance.rep_range
    facts = [f"Working range: <b>{low}–{high} reps</b>"]
    if guidance.sets:
        facts.append(f"Sets: <b>{guidance.sets[0]}–{guidance.sets[1]}</b>")
    facts.append(f"Default tempo: <b>{escape(exercise.movement.tempo)}</b> "
                 f"<span style='color:{themes.current().text_dim}'>"
                 "(lower–pause–push–pause, seconds)</span>")
    if guidance.relative_to and guidance.relative_load:
        a, b = guidance.relative_load
        facts.append(f"Starting load: <b>{a:.0%}–{b:.0%}</b> of your "
                     f"{escape(guidance.relative_to)} working load")
    parts = [_para(exercise.about)]  # the summary stands in the header above the pages
    parts.append(_section("Load and reps", "<p>" + "<br>".join(facts) + "</p>"
                          + _para(guidance.load) + _para(guidance.progression)
                          + _para(guidance.frequency)
                          + (_list(guidance.notes) if guidance.notes else "")))
    breathing = exercise.breathing
    phases = (
        (exercise.movement.eccentric, breathing.eccentric),
        ("Bottom", breathing.bottom),
        (exercise.movement.concentric, breathing.concentric),
        ("Top", breathing.top),
    )
    breath_rows = "".join(
        f"<li><b>{escape(name)}</b>: {_BREATH_WORDS[kind.value]}</li>" for name, kind in phases
    )
    parts.append(_section("Breathing", _para(breathing.summary) + f"<ul>{breath_rows}</ul>"))
    parts.append(_section("Cues to keep during the set", _list(exercise.cues)))
    muscles = f"<p><b>Main work:</b> {escape(', '.join(exercise.primary_muscles))}</p>"
    if exercise.secondary_muscles:
        muscles += f"<p><b>Also working:</b> {escape(', '.join(exercise.secondary_muscles))}</p>"
    parts.append(_section("Muscles", muscles))
    if exercise.machine:
        parts.append(_section("Machine", _para(exercise.machine)))
    if exercise.video:
        parts.append(_section("Video", f"<p><a href='{exercise.video_url}'>"
                                       f"{escape(exercise.video_url)}</a></p>"))
    return "".join(parts)


def variations_html(exercise: Exercise) -> str:
    rows = []
    for variation in exercise.variations:
        placement = f"Feet {variation.height.value} on the platform, {variation.width.value} stance"
        if variation.width.value == "shoulder":
            placement = f"Feet {variation.height.value} on the platform, shoulder-width"
        rows.append(
            _section(variation.name,
                     f"<p><i>{escape(placement)}</i><br><b>More work for:</b> "
                     f"{escape(variation.emphasis)}</p>{_para(variation.detail)}")
        )
    return "".join(rows)


def mistakes_html(exercise: Exercise) -> str:
    return "".join(
        _section(mistake.name, f"<p>{escape(mistake.why)}</p>"
                               f"<p><b style='color:{themes.current().accent}'>Fix:</b> "
                               f"{escape(mistake.fix)}</p>")
        for mistake in exercise.mistakes
    )


def safety_html(exercise: Exercise) -> str:
    return _section("Stay safe", _list(exercise.safety))


def faq_html(exercise: Exercise) -> str:
    return "".join(_section(item.question, _para(item.answer)) for item in exercise.faq)


class DetailView(QWidget):
    """Shows one exercise; emits `guided_requested(id)` for the big button."""

    guided_requested = Signal(str)
    set_requested = Signal(str)
    log_requested = Signal(str)
    progress_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exercise: Exercise | None = None
        self._look: themes.Palette | None = None
        self._header_layout: QBoxLayout | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(24, 12, 24, 16)
        self._layout.setSpacing(12)
        self._header = QWidget()
        self._layout.addWidget(self._header)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Exercise details")
        self.tabs.tabBar().setProperty("compact", False)
        self.setStyleSheet(TABS_STYLE)
        self._tabs_width = 0
        """Width the tab bar needs in its normal style (0: not measured yet)."""
        self._layout.addWidget(self.tabs, 1)
        self.guided_button = button("Guided setup", accessible="Start guided setup",
                                    min_height=72)
        self.guided_button.clicked.connect(self._request_guided)
        self.set_button = button("Start set  ▶", role="primary", accessible="Start a set",
                                 min_height=72)
        self.set_button.clicked.connect(self._request_set)
        self.log_button = button("Log a set", accessible="Log a set without the timer",
                                 min_height=64)
        self.log_button.clicked.connect(
            lambda: self.exercise is not None and self.log_requested.emit(self.exercise.id))
        self.progress_button = button("Progress", accessible="Show this exercise's progress",
                                      min_height=64)
        self.progress_button.clicked.connect(
            lambda: self.exercise is not None and self.progress_requested.emit(self.exercise.id))

    def _request_set(self) -> None:
        if self.exercise is not None:
            self.set_requested.emit(self.exercise.id)

    def _request_guided(self) -> None:
        if self.exercise is not None:
            self.guided_requested.emit(self.exercise.id)

    def show_exercise(self, exercise: Exercise) -> None:
        self.exercise = exercise
        header = QWidget()
        layout = QHBoxLayout(header)
        self._header_layout = layout
        layout.setContentsMargins(0, 0, 0, 0)
        text = QVBoxLayout()
        text.setSpacing(6)
        text.addWidget(label(exercise.summary, wrap=True))
        text.addWidget(muscle_label(exercise))
        badges = FlowRow(spacing=8)  # wrap onto a second line on a portrait tablet
        low, high = exercise.guidance.rep_range
        for badge in (exercise.equipment, exercise.difficulty.value.capitalize(),
                      f"{low}–{high} reps", f"Tempo {exercise.movement.tempo}",
                      *(["One leg at a time"] if exercise.one_sided else [])):
            badges.add(label(badge, "badge"), 0)
        text.addWidget(badges)
        text.addStretch(1)  # the action buttons are taller: keep the text at the top
        layout.addLayout(text, 1)
        actions = QGridLayout()  # two by two: the pages below keep most of the height
        actions.setSpacing(10)
        actions.addWidget(self.set_button, 0, 0)
        actions.addWidget(self.guided_button, 0, 1)
        actions.addWidget(self.log_button, 1, 0)
        actions.addWidget(self.progress_button, 1, 1)
        actions.setRowStretch(2, 1)
        layout.addLayout(actions)
        self._layout.replaceWidget(self._header, header)
        self._header.deleteLater()
        self._header = header

        self._write_pages(exercise)

    def _write_pages(self, exercise: Exercise, *, keep_tab: bool = False) -> None:
        self._look = themes.current()
        index = self.tabs.currentIndex()
        self.tabs.clear()
        pages = [("Overview", overview_html(exercise))]
        if exercise.variations:
            pages.append(("Foot placement", variations_html(exercise)))
        pages.append(("Mistakes", mistakes_html(exercise)))
        pages.append(("Safety", safety_html(exercise)))
        if exercise.faq:
            pages.append(("FAQ", faq_html(exercise)))
        for title, html in pages:
            browser = QTextBrowser()
            browser.setOpenExternalLinks(True)
            browser.setHtml(html)
            browser.setAccessibleName(f"{title} for {exercise.name}")
            self.tabs.addTab(browser, title)
        self._tabs_width = 0  # new titles: measure again
        self._fit_tabs()
        self._arrange_header()
        if keep_tab and 0 <= index < self.tabs.count():
            self.tabs.setCurrentIndex(index)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_tabs()
        self._arrange_header()

    def _arrange_header(self) -> None:
        """Text beside the buttons on a wide screen; above them on a narrow (portrait) one,
        where side by side would squeeze the text into a column of single words."""
        layout = self._header_layout
        if layout is not None:
            layout.setDirection(QBoxLayout.Direction.TopToBottom if self.width() < NARROW
                                else QBoxLayout.Direction.LeftToRight)

    def changeEvent(self, event: QEvent) -> None:
        """A new look: the pages' HTML carries its colours, so write it again."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange and self.exercise is not None \
                and self._look is not themes.current():
            self._write_pages(self.exercise, keep_tab=True)

    def _fit_tabs(self) -> None:
        """Tighter tabs when their normal padding does not fit the width (a portrait tablet),
        so every section title stays in view instead of behind scroll arrows."""
        bar = self.tabs.tabBar()
        if not self._tabs_width:
            self._restyle_tabs(compact=False)
            self._tabs_width = bar.sizeHint().width()
        margins = self._layout.contentsMargins()
        room = self.width() - margins.left() - margins.right()
        self._restyle_tabs(compact=self._tabs_width > room)

    def _restyle_tabs(self, *, compact: bool) -> None:
        bar = self.tabs.tabBar()
        if bar.property("compact") == compact:
            return
        bar.setProperty("compact", compact)
        bar.style().unpolish(bar)
        bar.style().polish(bar)
        bar.updateGeometry()

    def tab_titles(self) -> list[str]:
        return [self.tabs.tabText(i) for i in range(self.tabs.count())]

    def tab_text(self, title: str) -> str:
        """The plain text of one tab: what a test (or screen reader) reads."""
        index = self.tab_titles().index(title)
        browser = self.tabs.widget(index)
        assert isinstance(browser, QTextBrowser)
        return browser.toPlainText()
