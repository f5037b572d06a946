"""The rest screen between sets: a countdown readable from across the gym, then GO.

Giant m:ss digits over a draining bar, the next set's target in large type and the last set
in smaller type, with two finger-sized buttons: "+30 s" and "Skip rest". With 10 s left the
screen turns amber ("GET READY") and plays the warning tone; at zero it turns green ("GO"),
plays the end tone and keeps counting the overrun ("+0:12") until the lifter starts the next
set. Keys: Space or Enter skip the rest / start the next set, + adds 30 s.

Timers follow the set screen's rule (see cue_driver.py): time is always read from the
injected clock, never counted in ticks. Two parented, single-shot precise timers:

- the **cue timer** is re-armed to the next absolute cue deadline (`RestTimer.next_deadline`);
- the **display timer** is re-armed to the next quarter-second boundary of the remaining time
  (`RestTimer.next_boundary`), so the bar moves at 4 Hz and, every fourth wake-up, the digits
  change exactly on the whole second rather than up to a frame late.

The rest is real time: it keeps running while the screen is hidden (the lifter may be logging
the set), but the timers stop on hide and cues that fell due meanwhile are dropped silently on
return - a tone long after its moment would only confuse; the screen shows where things stand.

Colours come from the current look (`themes.current()`) at paint time; GO is the look's "done"
green with the look's background as ink. A change of look restyles the app, which repaints
these widgets; it also arrives as a style change, on which the GO button takes its new style.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHideEvent,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from legcoach.core.clock import Clock
from legcoach.core.rest import EXTENSION, RestCue, RestCueKind, RestText, RestTimer, rest_text
from legcoach.ui import themes
from legcoach.ui.cue_driver import FRAME_GUARD, msec_until
from legcoach.ui.pace_display import MIN_HEIGHT, MIN_WIDTH, edge_pen
from legcoach.ui.set_view import BUTTON_HEIGHT
from legcoach.ui.sound import SoundOutput, Tone
from legcoach.ui.theme import fitted_font, pixel_font
from legcoach.ui.widgets import button


def go_colour(palette: themes.Palette) -> str:
    """The green of a finished set in `palette`'s look: "you may lift"."""
    return themes.phase_colours(palette).done


GO_COLOUR = go_colour(themes.DARK)  # the dark look's, as it always was
DISPLAY_STEP = 0.25  # s: display refresh grid (4 Hz); whole seconds are on it
BUTTON_FONT = "font-size: 30px;"


def start_style(palette: themes.Palette) -> str:
    """On the green GO screen the accent primary style would clash: the look's background and
    text stand out (the green is chosen at 4.5:1 or more against that background)."""
    return f"""
QPushButton {{ font-size: 34px; background: {palette.background}; color: {palette.text};
               border: 3px solid {palette.background}; }}
QPushButton:pressed {{ background: {palette.surface_high}; }}
"""


START_STYLE = start_style(themes.DARK)
TONES = {RestCueKind.WARNING: Tone.REST_WARNING, RestCueKind.OVER: Tone.REST_END}
WORDS = {RestCueKind.WARNING: "ten seconds", RestCueKind.OVER: "go"}
SEPARATOR = " · "


def balanced_lines(text: str, font: QFont, width: float) -> list[str]:
    """`text` on one line if it fits, else on two, broken where the longer line is shortest.

    Breaks at " · " when there is one (between the exercise, the set and the load), else at a
    space, so a long target is shown in bigger type than it could be on a single line.
    """
    metrics = QFontMetricsF(font)
    if metrics.horizontalAdvance(text) <= width:
        return [text]
    separator = SEPARATOR if SEPARATOR in text else " "
    parts = text.split(separator)
    if len(parts) < 2:
        return [text]
    splits = [
        [separator.join(parts[:i]), separator.join(parts[i:])] for i in range(1, len(parts))
    ]
    return min(splits, key=lambda lines: max(map(metrics.horizontalAdvance, lines)))


class RestDisplay(QWidget):
    """Stateless painter of the rest: `show_rest()` hands it a snapshot, `update()` repaints.

    Every size is computed from the widget's own height, like the set screen's display, so it
    reads from 3 m on anything from 1024×600 up.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(MIN_WIDTH, MIN_HEIGHT)  # the set screen's: same screens to fit
        self.setAccessibleName("Rest timer")
        self.text = RestText("REST", "", "")
        self.fraction = 1.0
        self.next_text = ""
        self.last_text = ""

    def show_rest(self, text: RestText, fraction: float, next_text: str, last_text: str) -> None:
        self.text, self.fraction = text, fraction
        self.next_text, self.last_text = next_text, last_text
        parts = [text.headline, text.digits, text.detail, next_text, last_text]
        self.setAccessibleDescription(". ".join(part for part in parts if part))
        self.update()

    @property
    def is_go(self) -> bool:
        return self.text.headline == "GO"

    # --- painting -------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        p = themes.current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = float(self.width()), float(self.height())
        go = self.is_go
        painter.fillRect(self.rect(), QColor(go_colour(p) if go else p.background))
        # GO: the background colour on green, the same ratio as green on the background
        ink = QColor(p.background if go else p.text)
        margin = h * 0.03
        area = QRectF(margin, margin, w - 2 * margin, h - 2 * margin)
        warning = self.text.headline == "GET READY"
        accent = QColor(p.warning) if warning else ink

        status = QRectF(area.left(), area.top(), area.width(), h * 0.10)
        status_text = self.text.detail if go else self.text.headline
        painter.setPen(ink if go else QColor(p.warning if warning else p.text_dim))
        painter.setFont(fitted_font(status_text, h * 0.075, status.width()))
        painter.drawText(status, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         status_text)

        digits = QRectF(area.left(), status.bottom(), area.width(), h * 0.42)
        if go:  # no bar to show: GO takes its place too
            self._paint_go(painter, digits.adjusted(0, 0, 0, h * 0.06), h, ink)
        else:
            painter.setPen(accent)
            painter.setFont(fitted_font(self.text.digits, h * 0.42, digits.width()))
            painter.drawText(digits, Qt.AlignmentFlag.AlignCenter, self.text.digits)
            self._paint_bar(painter, QRectF(area.left(), digits.bottom() + h * 0.01,
                                            area.width(), h * 0.05),
                            QColor(p.warning if warning else p.text_soft), p)

        upcoming = QRectF(area.left(), h * 0.64, area.width(), h * 0.24)
        self._paint_lines(painter, self.next_text, upcoming, h * 0.095, ink)
        last = QRectF(area.left(), upcoming.bottom(), area.width(), area.bottom() -
                      upcoming.bottom())
        painter.setPen(ink if go else QColor(p.text_dim))
        painter.setFont(fitted_font(self.last_text, h * 0.06, last.width(), bold=False))
        painter.drawText(last, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         self.last_text)
        painter.end()

    def _paint_go(self, painter: QPainter, row: QRectF, h: float, ink: QColor) -> None:
        """GO on the left, the overrun on the right: both legible, GO the louder."""
        painter.setPen(ink)
        half = row.width() * 0.44
        painter.setFont(fitted_font("GO", h * 0.48, half))
        painter.drawText(QRectF(row.left(), row.top(), half, row.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, "GO")
        gap = row.width() * 0.05  # "GO+0:05" would read as one word
        late = QRectF(row.left() + half + gap, row.top(), row.width() - half - gap, row.height())
        painter.setFont(fitted_font(self.text.digits, h * 0.30, late.width()))
        painter.drawText(late, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         self.text.digits)

    def _paint_bar(self, painter: QPainter, bar: QRectF, colour: QColor,
                   p: themes.Palette) -> None:
        """The rest left, draining from the right; an extension refills it."""
        radius = bar.height() / 2
        painter.setPen(edge_pen(p))  # where the bar ends shows even when it is nearly empty
        painter.setBrush(QColor(p.surface_high))
        painter.drawRoundedRect(bar, radius, radius)
        painter.setPen(Qt.PenStyle.NoPen)
        if self.fraction > 0:
            filled = QRectF(bar.left(), bar.top(),
                            max(bar.height(), bar.width() * self.fraction), bar.height())
            painter.setBrush(colour)
            painter.drawRoundedRect(filled, radius, radius)

    def _paint_lines(self, painter: QPainter, text: str, box: QRectF, pixels: float,
                     ink: QColor) -> None:
        """`text` in one or two lines, as large as fits `box` (up to `pixels`)."""
        if not text:
            return
        font = pixel_font(pixels, bold=True)
        lines = balanced_lines(text, font, box.width())
        line_h = box.height() / 2
        widest = max(lines, key=QFontMetricsF(font).horizontalAdvance)
        painter.setFont(fitted_font(widest, pixels, box.width()))
        painter.setPen(ink)
        for index, line in enumerate(lines):
            painter.drawText(QRectF(box.left(), box.top() + index * line_h, box.width(), line_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)


class RestView(QWidget):
    """One rest at a time: `begin()` starts it; `finished` when the lifter moves on."""

    finished = Signal()  # skipped, or "Start next set" after zero
    extended = Signal(int)  # seconds added

    def __init__(self, clock: Clock, sound: SoundOutput, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Rest screen")
        self.clock = clock
        self.sound = sound
        self.rest: RestTimer | None = None
        self.next_text = ""
        self.last_text = ""
        self._go_shown = False
        self._cue_timer = self._precise_timer("legcoach.rest_cue_timer", self.poll)
        self._display_timer = self._precise_timer("legcoach.rest_display_timer",
                                                  self._on_display_timer)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 4, 16, 16)
        layout.setSpacing(10)
        self.display = RestDisplay()
        layout.addWidget(self.display, 1)
        controls = QHBoxLayout()
        controls.setSpacing(14)
        self.extend_button = button(f"+{EXTENSION} s",
                                    accessible=f"Add {EXTENSION} seconds of rest",
                                    min_height=BUTTON_HEIGHT)
        self.skip_button = button("Skip rest  »", accessible="Skip the rest and start the next set",
                                  min_height=BUTTON_HEIGHT)
        self.start_button = button("▶  Start next set", accessible="Start the next set",
                                   min_height=BUTTON_HEIGHT)
        for widget, stretch in ((self.extend_button, 1), (self.skip_button, 2),
                                (self.start_button, 2)):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space and Enter belong to the rest
            widget.setStyleSheet(BUTTON_FONT)
            controls.addWidget(widget, stretch)
        self._start_look: themes.Palette | None = None
        self._style_start_button()
        self.start_button.hide()
        layout.addLayout(controls)
        self.extend_button.clicked.connect(lambda: self.extend())
        self.skip_button.clicked.connect(self.finish)
        self.start_button.clicked.connect(self.finish)

    def _precise_timer(self, name: str, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setObjectName(name)
        timer.setSingleShot(True)
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.timeout.connect(slot)
        return timer

    # --- rest lifecycle -------------------------------------------------------------------

    def begin(self, seconds: float, next_set_text: str, last_set_text: str = "") -> None:
        """Start a rest of `seconds` now (ValueError for a length out of 5 s … 15 min)."""
        rest = RestTimer(seconds, self.clock)  # validates before anything on screen changes
        self.stop_timers()
        self.rest = rest
        self.next_text, self.last_text = next_set_text, last_set_text
        self.poll()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def is_active(self) -> bool:
        """A rest is counting (also in overrun) and the lifter has not moved on yet."""
        return self.rest is not None and not self.rest.is_ended

    def extend(self, seconds: int = EXTENSION) -> bool:
        """+30 s; False once the rest ended or when it would leave more than 15 min."""
        if self.rest is None or not self.rest.extend(seconds):
            return False
        self.extended.emit(seconds)
        self.poll()  # the deadlines moved: re-arm both timers
        return True

    def finish(self) -> None:
        """Skip the rest, or start the next set after zero: either way the lifter moves on."""
        if not self.is_active or self.rest is None:
            return
        self.rest.skip()
        self.stop_timers()
        self.refresh()
        self.finished.emit()

    def stop_timers(self) -> None:
        self._cue_timer.stop()
        self._display_timer.stop()

    @property
    def timers_active(self) -> bool:
        return self._cue_timer.isActive() or self._display_timer.isActive()

    # --- the loop -------------------------------------------------------------------------

    def poll(self) -> None:
        """Sound the cues that are due, repaint, and re-arm both timers."""
        rest = self.rest
        if rest is None:
            return
        due = rest.pop_due()
        if due:
            self._sound(due[-1])  # after a late wake-up only the latest cue still means anything
        self.refresh()
        self._arm(self._cue_timer, rest.next_deadline())

    def refresh(self) -> None:
        """Show the rest as it stands now and arm the display for the next boundary."""
        rest = self.rest
        if rest is None:
            return
        text = rest_text(rest)
        self.display.show_rest(text, rest.fraction_left(), self.next_text, self.last_text)
        self._show_go(text.headline == "GO")
        self.extend_button.setEnabled(not rest.is_ended)
        self._arm(self._display_timer, rest.next_boundary(DISPLAY_STEP))

    def _on_display_timer(self) -> None:
        """Repaint, unless a cue is due within FRAME_GUARD: it repaints when it fires."""
        deadline = self.rest.next_deadline() if self.rest is not None else None
        if deadline is not None and deadline - self.clock.now() < FRAME_GUARD:
            return
        self.refresh()

    def _arm(self, timer: QTimer, deadline: float | None) -> None:
        """Single-shot at an absolute clock time, waking at or just before it (as CueDriver)."""
        if deadline is None or not self.isVisible():
            timer.stop()
            return
        timer.start(msec_until(deadline, self.clock))

    def _sound(self, cue: RestCue) -> None:
        self.sound.play(TONES[cue.kind])
        self.sound.say(WORDS[cue.kind])

    def _show_go(self, go: bool) -> None:
        """At zero: the whole screen turns green and "Start next set" replaces "Skip rest"."""
        if go == self._go_shown:
            return
        self._go_shown = go
        self.skip_button.setVisible(not go)
        self.start_button.setVisible(go)
        self.update()

    # --- Qt events ------------------------------------------------------------------------

    def _style_start_button(self) -> None:
        """The GO button in the current look; only when the look changed, since a style sheet
        set here sends another style change."""
        p = themes.current()
        if p != self._start_look:
            self._start_look = p
            self.start_button.setStyleSheet(start_style(p))

    def changeEvent(self, event: QEvent) -> None:
        """A new look arrives as a style change (`apply_look` sets the look first)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange:
            self._style_start_button()

    def paintEvent(self, event: QPaintEvent) -> None:
        """The margins and the button row share the display's colour: green means go."""
        p = themes.current()
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(go_colour(p) if self._go_shown else p.background))
        painter.end()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._style_start_button()  # in case the look changed while no style change reached us
        if self.rest is not None and not self.rest.is_ended:
            self.rest.pop_due()  # fell due while hidden: dropped, see the module docstring
            self.poll()

    def hideEvent(self, event: QHideEvent) -> None:
        """No timer runs for an unseen screen; the rest itself keeps counting."""
        self.stop_timers()
        super().hideEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not event.isAutoRepeat():  # a held key must not also start the next set
                self.finish()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.extend()
        else:
            super().keyPressEvent(event)
