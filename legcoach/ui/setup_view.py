"""The short setup step before an exercise: machine settings from last time, safety, go.

The lifter sees (and can correct) where the seat, backrest and safety catches were last time
at this gym, which feet placement they used, the two most important safety notes, and can
open the full guided setup or skip straight to the set.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QScroller,
    QVBoxLayout,
    QWidget,
)

from legcoach.core.exercise import Exercise
from legcoach.core.machine_memory import MachineSettings
from legcoach.ui.widgets import FlowRow, button, foot_choices, label


class SetupView(QWidget):
    """Emits `start_set(MachineSettings)`, `guided(str)` or `skip_exercise()`."""

    start_set = Signal(object)
    gym_changed = Signal(str)  # the lifter named another gym: reload its settings
    guided = Signal(str)
    skip_exercise = Signal()

    def __init__(self, now: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self.exercise: Exercise | None = None
        self.gym = ""
        self.setAccessibleName("Exercise setup")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 16)
        outer.setSpacing(12)
        # The notes scroll on a short screen (1024×600); the three buttons stay in place.
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 8, 24, 4)
        layout.setSpacing(12)
        self.title_label = label("", "h1", wrap=True)
        layout.addWidget(self.title_label)
        self.last_time_label = label("", "dim", wrap=True)
        layout.addWidget(self.last_time_label)

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(10)
        self.fields: dict[str, QLineEdit] = {}
        self.gym_edit = QLineEdit()
        self.gym_edit.setPlaceholderText("optional: settings are remembered per gym")
        self.gym_edit.setAccessibleName("Gym")
        self.gym_edit.setMaxLength(40)
        self.gym_edit.editingFinished.connect(self._gym_changed)
        grid.addWidget(label("Gym", "dim"), 0, 0)
        grid.addWidget(self.gym_edit, 0, 1)
        for row, (key, caption, hint) in enumerate((
            ("seat", "Seat", "e.g. hole 5"),
            ("backrest", "Backrest", "e.g. 45° or notch 3"),
            ("safety_stop", "Safety catches", "e.g. pin 4"),
        )):
            edit = QLineEdit()
            edit.setPlaceholderText(hint)
            edit.setAccessibleName(caption)
            edit.setMaxLength(40)
            grid.addWidget(label(caption, "dim"), row + 1, 0)
            grid.addWidget(edit, row + 1, 1)
            self.fields[key] = edit
        self.foot_height, self.foot_width = foot_choices()
        feet_caption = label("Feet", "dim")
        feet_caption.setMinimumHeight(56)  # level with the first row of buttons
        grid.addWidget(feet_caption, 4, 0, Qt.AlignmentFlag.AlignTop)
        feet = FlowRow(spacing=18)  # height above width on a portrait tablet
        feet.add(self.foot_height, 1)
        feet.add(self.foot_width, 1)
        grid.addWidget(feet, 4, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)

        self.safety_label = label("", wrap=True)
        self.safety_label.setAccessibleName("Safety reminders")
        self.safety_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.safety_label)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        QScroller.grabGesture(scroll.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        outer.addWidget(scroll, 1)

        self.skip_button = button("Skip exercise", accessible="Skip this exercise",
                                  min_height=80)
        self.guided_button = button("Guided setup", accessible="Open the guided setup",
                                    min_height=80)
        self.start_button = button("Start set  ▶", role="primary", accessible="Start the set",
                                   min_height=80)
        # Two rows when the three do not fit side by side: Start alone, full width, below.
        actions = FlowRow(spacing=14, greedy=True)
        for widget, stretch in ((self.skip_button, 1), (self.guided_button, 1),
                                (self.start_button, 2)):
            actions.add(widget, stretch)
        row = QHBoxLayout()
        row.setContentsMargins(24, 0, 24, 0)
        row.addWidget(actions)
        outer.addLayout(row)
        self.start_button.clicked.connect(self._start)
        self.skip_button.clicked.connect(self.skip_exercise)
        self.guided_button.clicked.connect(
            lambda: self.exercise is not None and self.guided.emit(self.exercise.id))

    def _gym_changed(self) -> None:
        gym = " ".join(self.gym_edit.text().split())
        if gym != self.gym:
            self.gym = gym
            self.gym_changed.emit(gym)

    def begin(self, exercise: Exercise, title: str, remembered: MachineSettings | None,
              gym: str = "") -> None:
        self.exercise = exercise
        self.gym = gym
        self.gym_edit.setText(gym)
        self.title_label.setText(title)
        if remembered is not None and not remembered.is_empty:
            where = f" at {remembered.gym}" if remembered.gym else ""
            self.last_time_label.setText(f"Last time{where}: {remembered.summary()}")
        else:
            self.last_time_label.setText("No settings saved yet: note them now and they will "
                                         "be here next time.")
        for key, edit in self.fields.items():
            edit.setText(getattr(remembered, key) if remembered else "")
        self.foot_height.set_value(remembered.foot_height if remembered else None)
        self.foot_width.set_value(remembered.foot_width if remembered else None)
        notes = "".join(f"<li>{escape(note)}</li>" for note in exercise.safety[:2])
        self.safety_label.setText(f"<b>Safety</b><ul>{notes}</ul>")
        self.start_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def settings(self) -> MachineSettings:
        assert self.exercise is not None
        return MachineSettings(
            exercise_id=self.exercise.id, gym=" ".join(self.gym_edit.text().split()),
            updated_at=self._now(),
            seat=self.fields["seat"].text(), backrest=self.fields["backrest"].text(),
            safety_stop=self.fields["safety_stop"].text(),
            foot_height=self.foot_height.value(), foot_width=self.foot_width.value(),
        )

    def _start(self) -> None:
        self.start_set.emit(self.settings())
