"""The set screen: the tempo coach paces a set by sight and sound.

Space starts, pauses and resumes; Esc stops (completed reps are kept); + and − change the
target; S skips the rest of a rep. Every action is also a big button.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QVBoxLayout, QWidget

from legcoach.core.clock import Clock
from legcoach.core.exercise import Exercise
from legcoach.core.metronome import marker_height
from legcoach.core.plans import DEFAULT_LEAD_IN, plan_for
from legcoach.core.set_text import display_text, idle_text
from legcoach.core.setplan import Cue
from legcoach.core.setrun import SetResult, SetRun
from legcoach.ui.cue_driver import CueDriver
from legcoach.ui.cue_sounds import tone_for, words_for
from legcoach.ui.pace_display import PaceDisplay
from legcoach.ui.sound import SoundOutput
from legcoach.ui.sound_controls import SoundControls
from legcoach.ui.widgets import button, hint, label

BUTTON_HEIGHT = 88
START_TEXTS = ("▶  Start", "❚❚  Pause", "▶  Resume", "↻  Next set")
"""Every text the start button shows: its room is kept for the longest."""
SOUND_STYLE = "QPushButton { padding: 10px 12px; }"


class SetView(QWidget):
    """Shows one set at a time; emits `set_finished(SetResult)` when it ends either way."""

    set_finished = Signal(object)

    def __init__(self, clock: Clock, sound: SoundOutput, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Set screen")
        self.sound = sound
        self.exercise: Exercise | None = None
        self.result: SetResult | None = None
        self.lead_in: float = DEFAULT_LEAD_IN
        """Countdown seconds before the first rep (the lifter's setting)."""
        self.driver = CueDriver(clock, self)
        self.driver.cue.connect(self._on_cue)
        self.driver.frame.connect(self.refresh)
        self.driver.state_changed.connect(self._update_controls)
        self.driver.finished.connect(self._on_finished)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 4, 16, 12)
        layout.setSpacing(8)
        self.notice_label = label("", "dim", wrap=True)
        self.notice_label.setAccessibleName("Sound notice")
        self.notice_label.hide()
        layout.addWidget(self.notice_label)
        self.sound_controls = SoundControls(sound)
        self.sound_controls.setStyleSheet(SOUND_STYLE)
        for widget in (self.sound_controls.quieter, self.sound_controls.louder):
            widget.setMinimumWidth(56)
        self.display = PaceDisplay()
        # Landscape: the sound controls stand in a column beside the display, so the display
        # keeps the height (the cue's type size); portrait: in a row above it.
        self._middle = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._middle.setSpacing(12)
        self._middle.addWidget(self.display, 1)
        self._middle.addWidget(self.sound_controls, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(self._middle, 1)

        self.minus_button = button("−  Rep", accessible="One rep fewer",
                                   min_height=BUTTON_HEIGHT)
        self.start_button = button("▶  Start", role="primary", accessible="Start set",
                                   min_height=BUTTON_HEIGHT)
        self.stop_button = button("■  Stop", accessible="Stop set", min_height=BUTTON_HEIGHT)
        self.plus_button = button("+  Rep", accessible="One rep more", min_height=BUTTON_HEIGHT)
        self.skip_button = button("Skip rep  »", accessible="Skip the rest of this rep",
                                  min_height=BUTTON_HEIGHT)
        for widget in (self.minus_button, self.start_button, self.stop_button,
                       self.plus_button, self.skip_button):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space belongs to the set
            widget.setStyleSheet("font-size: 26px;")
        self._controls = QGridLayout()
        self._controls.setSpacing(14)
        self._two_rows: bool | None = None
        self._portrait: bool | None = None
        layout.addLayout(self._controls)
        self._reflow()
        self.start_button.clicked.connect(self.start_or_pause)
        self.stop_button.clicked.connect(self.stop)
        self.minus_button.clicked.connect(lambda: self.driver.edit("remove"))
        self.plus_button.clicked.connect(lambda: self.driver.edit("add"))
        self.skip_button.clicked.connect(lambda: self.driver.edit("skip"))
        self.sound.notice.connect(self._show_notices)
        self._show_notices()

    # --- set lifecycle --------------------------------------------------------------------

    def prepare(self, exercise: Exercise, target_reps: int | None = None,
                tempo: str | None = None) -> None:
        """Load a fresh set for `exercise` (not started until Start or Space)."""
        self.exercise = exercise
        self.result = None
        plan = plan_for(exercise, target_reps, tempo=tempo, lead_in=self.lead_in)
        self.driver.load(SetRun(plan, self.driver.clock))
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def run(self) -> SetRun | None:
        return self.driver.run

    @property
    def is_active(self) -> bool:
        """A set has started and not ended: leaving now would lose it."""
        run = self.run
        return run is not None and run.is_started and not run.is_finished

    def start_or_pause(self) -> None:
        """Start, pause or resume; after a finished set, load the next one with the same plan."""
        run = self.run
        if run is not None and run.is_finished and self.exercise is not None:
            self.prepare(self.exercise, run.plan.target_reps, str(run.plan.tempo))
        else:
            self.driver.toggle()

    def stop(self) -> bool:
        """End the set now; True when there was a set to end."""
        return self.driver.end_early() is not None

    def hideEvent(self, event) -> None:
        """Leaving the screen pauses the set, so no cue fires unseen."""
        self.driver.pause()
        self.driver.stop_timers()
        super().hideEvent(event)

    # --- reactions ------------------------------------------------------------------------

    def _on_cue(self, cue: Cue) -> None:
        tone = tone_for(cue)
        if tone is not None:
            self.sound.play(tone)
        concentric = self.run.plan.concentric_word if self.run else "push"
        words = words_for(cue, concentric)
        if words:
            self.sound.say(words)

    def _on_finished(self, result: SetResult) -> None:
        self.result = result
        self.refresh()
        self.set_finished.emit(result)

    def _show_notices(self, *_: object) -> None:
        text = "  ".join(self.sound.notices())
        self.notice_label.setText(text)
        self.notice_label.setVisible(bool(text))

    # --- layout ---------------------------------------------------------------------------

    def _buttons_width(self) -> int:
        """Width the five buttons need on one row, with the start button at its longest text
        (so the row does not rearrange itself mid-set when "Start" becomes "Pause")."""
        start = self.start_button
        metrics = start.fontMetrics()
        longest = max(metrics.horizontalAdvance(text) for text in START_TEXTS)
        padding = start.sizeHint().width() - metrics.horizontalAdvance(start.text())
        widths = [longest + padding] + [hint(widget).width() for widget in (
            self.minus_button, self.stop_button, self.plus_button, self.skip_button)]
        return sum(widths) + self._controls.spacing() * (len(widths) - 1)

    def _reflow(self) -> None:
        """Pick the arrangement for this size: portrait or landscape, buttons in one row or
        two ([− Rep][Start][+ Rep] over [Stop][Skip]), never a button narrower than its text."""
        margins = self.layout().contentsMargins()
        room = self.width() - margins.left() - margins.right()
        two_rows = self._buttons_width() > room
        portrait = self.height() > self.width()
        if portrait != self._portrait:
            self._portrait = portrait
            direction = QBoxLayout.Direction
            self._middle.setDirection(direction.BottomToTop if portrait else direction.LeftToRight)
            self.sound_controls.layout().setDirection(
                direction.LeftToRight if portrait else direction.TopToBottom)
            self._middle.setAlignment(self.sound_controls, Qt.AlignmentFlag.AlignRight
                                      if portrait else Qt.AlignmentFlag.AlignTop)
            self.sound_controls.volume_label.setAlignment(
                Qt.AlignmentFlag.AlignVCenter
                | (Qt.AlignmentFlag.AlignLeft if portrait else Qt.AlignmentFlag.AlignHCenter))
        if two_rows == self._two_rows:
            return
        self._two_rows = two_rows
        grid = self._controls
        for widget in (self.minus_button, self.start_button, self.stop_button,
                       self.plus_button, self.skip_button):
            grid.removeWidget(widget)
        if two_rows:  # the rep buttons either side of Start; Stop and Skip below
            places = ((self.minus_button, 0, 0, 1), (self.start_button, 0, 1, 2),
                      (self.plus_button, 0, 3, 1), (self.stop_button, 1, 0, 2),
                      (self.skip_button, 1, 2, 2))
            stretches = (1, 1, 1, 1, 0, 0, 0)
        else:
            places = ((self.minus_button, 0, 0, 1), (self.start_button, 0, 1, 2),
                      (self.stop_button, 0, 3, 2), (self.plus_button, 0, 5, 1),
                      (self.skip_button, 0, 6, 1))
            stretches = (1,) * 7
        for widget, row, column, span in places:
            grid.addWidget(widget, row, column, 1, span)
        for column, stretch in enumerate(stretches):
            grid.setColumnStretch(column, stretch)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reflow()

    def refresh(self) -> None:
        run, exercise = self.run, self.exercise
        if run is None or exercise is None:
            return
        if not run.is_started:
            self.display.show_state(None, idle_text(run.plan),
                                    1.0 if run.plan.starts_with == "eccentric" else 0.0)
            return
        state = run.state()
        self.display.show_state(state, display_text(state, run.plan, exercise),
                                marker_height(state, run.plan.starts_with))

    def _update_controls(self) -> None:
        run = self.run
        started = run is not None and run.is_started
        finished = run is not None and run.is_finished
        paused = run is not None and run.is_paused
        if finished:
            text, name = "↻  Next set", "Start the next set"
        elif not started:
            text, name = "▶  Start", "Start set"
        elif paused:
            text, name = "▶  Resume", "Resume set"
        else:
            text, name = "❚❚  Pause", "Pause set"
        self.start_button.setText(text)
        self.start_button.setAccessibleName(name)
        self.start_button.setEnabled(run is not None)
        for widget in (self.stop_button, self.skip_button):
            widget.setEnabled(started and not finished)
        for widget in (self.plus_button, self.minus_button):
            widget.setEnabled(run is not None and not finished)
        self.refresh()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Space:
            self.start_or_pause()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.driver.edit("add")
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.driver.edit("remove")
        elif key == Qt.Key.Key_S:
            self.driver.edit("skip")
        else:
            super().keyPressEvent(event)
