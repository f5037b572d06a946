"""The end of a workout: how long, how much, what improved, compared with last time.

The HTML carries two colours of the current look (records heading, comparisons); it is built
again when the look changes, which reaches the screen as a style change.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from legcoach.core.records import format_volume
from legcoach.core.setlog import LoadUnit
from legcoach.core.summary import SessionSummary
from legcoach.ui import themes
from legcoach.ui.widgets import button, label

NARROW = 760  # px: below this the table's six columns break words; one block each


def summary_html(summary: SessionSummary, *, narrow: bool = False,
                 unit: LoadUnit = LoadUnit.KG) -> str:
    """The summary as a table, or on a narrow (portrait) screen one block per exercise: six
    columns in 550 px would break the words in the middle. Colours: the current look's;
    volumes in the lifter's display `unit`."""
    if narrow:
        return _blocks_html(summary, unit)
    rows = "".join(
        f"<tr><td><b>{escape(e.name)}</b></td><td align='right'>{e.sets}</td>"
        f"<td align='right'>{e.reps}</td><td align='right'>{format_volume(e.volume_kg, unit)}"
        f"</td><td>{escape(e.best_set)}</td><td>{escape(e.change_in(unit))}</td></tr>"
        for e in summary.exercises
    )
    table = (
        "<table width='100%' cellspacing='0' cellpadding='8'>"
        "<tr><th align='left'>Exercise</th><th align='right'>Sets</th>"
        "<th align='right'>Reps</th><th align='right'>Volume</th><th align='left'>Best set</th>"
        f"<th align='left'>Compared with last time</th></tr>{rows}</table>"
    ) if summary.exercises else "<p>No sets were logged in this workout.</p>"
    return _head_html(summary, unit) + table + _records_html(summary)


def _head_html(summary: SessionSummary, unit: LoadUnit) -> str:
    return (f"<p style='font-size:26px'><b>{summary.duration_text}</b> · "
            f"<b>{format_volume(summary.total_volume_kg, unit)}</b> total volume</p>")


def _records_html(summary: SessionSummary) -> str:
    if not summary.records:
        return ""
    items = "".join(f"<li>{escape(text)}</li>" for text in summary.records)
    return f"<h3 style='color:{themes.current().accent}'>Records</h3><ul>{items}</ul>"


def _blocks_html(summary: SessionSummary, unit: LoadUnit) -> str:
    dim = themes.current().text_dim
    blocks = "".join(
        f"<p><b style='font-size:22px'>{escape(e.name)}</b><br>"
        f"{e.sets} sets · {e.reps} reps · {format_volume(e.volume_kg, unit)}<br>"
        f"Best set: {escape(e.best_set)}<br>"
        f"<span style='color:{dim}'>{escape(e.change_in(unit))}</span></p>"
        for e in summary.exercises
    ) if summary.exercises else "<p>No sets were logged in this workout.</p>"
    return _head_html(summary, unit) + blocks + _records_html(summary)


class SummaryView(QWidget):
    done = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Workout summary")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 16)
        self.title_label = label("", "h1", wrap=True)
        layout.addWidget(self.title_label)
        self.body = QTextBrowser()
        self.body.setAccessibleName("Summary details")
        layout.addWidget(self.body, 1)
        self.done_button = button("Done  ✓", role="primary", accessible="Close the summary",
                                  min_height=80)
        self.done_button.clicked.connect(self.done)
        layout.addWidget(self.done_button)
        self.summary: SessionSummary | None = None
        self.unit = LoadUnit.KG
        """The lifter's display unit for volumes (set by whoever shows the summary)."""
        self._narrow = False
        self._look = themes.current()

    def show_summary(self, summary: SessionSummary) -> None:
        self.summary = summary
        self.title_label.setText(f"Workout done: {summary.title}")
        self._narrow = self._is_narrow()
        self._render()
        self.done_button.setFocus()

    def _render(self) -> None:
        self._look = themes.current()
        if self.summary is not None:
            self.body.setHtml(summary_html(self.summary, narrow=self._narrow, unit=self.unit))

    def changeEvent(self, event: QEvent) -> None:
        """A new look arrives as a style change (`apply_look` sets the look first): the HTML's
        colours are baked in, so build it again, once per look."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange and themes.current() != self._look:
            self._render()

    def _is_narrow(self) -> bool:
        return self.width() < NARROW

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.summary is not None and self._is_narrow() != self._narrow:
            self._narrow = self._is_narrow()
            self._render()
