"""The log form: what the set was, prefilled so a lifter only confirms with one tap.

Load and reps carry big −/+ steppers (no keyboard needed with sweaty hands); every other
choice is a row of toggle buttons. Invalid input is shown next to its field and never leaves
the form: validation is the core's `parse_set_form`, the same rules storage enforces.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QScroller,
    QVBoxLayout,
    QWidget,
)

from legcoach.core.exercise import Exercise, FootHeight, FootWidth
from legcoach.core.setlog import (
    LoadUnit,
    SetFormError,
    SetRecord,
    SetType,
    parse_set_form,
    replace_fields,
)
from legcoach.core.sides import Side
from legcoach.ui.widgets import FlowRow, Segmented, action_row, button, foot_choices, label

LOAD_STEP = {LoadUnit.KG: Decimal("2.5"), LoadUnit.LB: Decimal("5")}
STEP_LIMIT = Decimal(100_000)  # beyond any load or rep count: not a number to step
RPE_VALUES = ("6", "6.5", "7", "7.5", "8", "8.5", "9", "9.5", "10")
RIR_VALUES = ("0", "1", "2", "3", "4", "5")
CAPTION_HEIGHT = 56  # px: the height of the controls' first row


@dataclass(frozen=True)
class LogDraft:
    """What the form opens with: the timer's count, the coach's load, last time's feet."""

    exercise: Exercise
    reps: Mapping[Side, int]
    load: str = ""
    unit: LoadUnit = LoadUnit.KG
    tempo: str = ""
    tut_seconds: float | None = None
    foot_height: FootHeight | None = None
    foot_width: FootWidth | None = None
    set_type: SetType = SetType.WORKING
    title: str = ""
    coach_text: str = ""
    session_id: str | None = None


def _stepped(text: str, step: Decimal, direction: int, *, low: Decimal = Decimal(0)) -> str:
    try:
        value = Decimal(text.replace(",", ".") or "0")
    except InvalidOperation:
        return text
    if not value.is_finite() or value.adjusted() > 5 or abs(value) > STEP_LIMIT:
        return text  # "nan", "inf", "1e999999": leave it for validation to explain
    value = max(low, value + direction * step)
    return format(value.normalize(), "f") if value != value.to_integral() else str(int(value))


class StepperField(QWidget):
    """A big number field between − and + buttons."""

    def __init__(self, name: str, step: Callable[[], Decimal], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self._step = step
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.minus = button("−", accessible=f"{name} down", min_height=60)
        self.edit = QLineEdit()
        self.edit.setAccessibleName(name)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.edit.setMinimumHeight(60)
        self.edit.setMaximumWidth(150)  # with kg/lb beside it on a portrait tablet
        self.plus = button("+", accessible=f"{name} up", min_height=60)
        for widget in (self.minus, self.plus):
            widget.setFixedWidth(72)
            widget.setStyleSheet("font-size: 30px; padding: 0;")
        layout.addWidget(self.minus)
        layout.addWidget(self.edit)
        layout.addWidget(self.plus)
        layout.addStretch(1)
        self.minus.clicked.connect(lambda: self.bump(-1))
        self.plus.clicked.connect(lambda: self.bump(+1))

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)

    def bump(self, direction: int) -> None:
        self.edit.setText(_stepped(self.edit.text(), self._step(), direction))


def _side_by_side(*widgets: tuple[QWidget, int]) -> FlowRow:
    """Choices on one row while they fit (keeps the form short on a laptop), stacked on a
    portrait tablet; a label between two choices takes no spare width."""
    row = FlowRow(spacing=18)
    for widget, stretch in widgets:
        row.add(widget, stretch)
    return row


class LogForm(QWidget):
    """Emits `saved(list[SetRecord])` (one per side) or `discarded()`."""

    saved = Signal(list)
    edited = Signal(object)  # the edited SetRecord (same id, bumped updated_at)
    discarded = Signal()

    def __init__(self, now: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self.draft: LogDraft | None = None
        self.editing: SetRecord | None = None
        self.setAccessibleName("Log this set")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 16)
        outer.setSpacing(10)
        # Everything but Save and Discard scrolls when the screen is short (1024×600 with a
        # message showing): the two buttons a lifter needs after every set stay in place.
        body = QWidget()
        fields = QVBoxLayout(body)
        fields.setContentsMargins(24, 8, 24, 4)
        fields.setSpacing(10)
        self.title_label = label("", "h2", wrap=True)
        fields.addWidget(self.title_label)
        self.coach_label = label("", "coach", wrap=True)
        self.coach_label.setAccessibleName("Coach suggestion")
        fields.addWidget(self.coach_label)

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        self._grid = grid
        self.errors: dict[str, QLabel] = {}
        self._row = 0

        def add_row(caption: str, widget: QWidget, *error_keys: str) -> None:
            text = label(caption, "dim")
            text.setMinimumHeight(CAPTION_HEIGHT)  # level with the first row of its control
            grid.addWidget(text, self._row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(widget, self._row, 1)
            self._row += 1
            for key in error_keys:
                error = label("", "error", wrap=True)
                error.setAccessibleName(f"{caption} problem")
                error.hide()
                grid.addWidget(error, self._row, 1)
                self._row += 1
                self.errors[key] = error

        self.load = StepperField("Load", lambda: LOAD_STEP[self.unit.value() or LoadUnit.KG])
        self.unit = Segmented([("kg", LoadUnit.KG), ("lb", LoadUnit.LB)], name="Unit")
        self.unit.setMaximumWidth(220)
        add_row("Load", _side_by_side((self.load, 1), (self.unit, 0)), "load", "unit")

        self.reps_both = StepperField("Reps", lambda: Decimal(1))
        self.reps_left = StepperField("Reps left leg", lambda: Decimal(1))
        self.reps_right = StepperField("Reps right leg", lambda: Decimal(1))
        add_row("Reps", self.reps_both, "reps")
        add_row("Left leg", self.reps_left, "reps_left")
        add_row("Right leg", self.reps_right, "reps_right")

        self.foot_height, self.foot_width = foot_choices()
        add_row("Feet", _side_by_side((self.foot_height, 1), (self.foot_width, 1)),
                "foot_height", "foot_width")
        self.rpe = Segmented([(v, v) for v in RPE_VALUES], name="RPE", allow_none=True)
        self.rir = Segmented([(v if v != "5" else "5+", v) for v in RIR_VALUES],
                             name="Reps in reserve", allow_none=True)
        self.rpe.changed.connect(lambda v: v is not None and self.rir.set_value(None))
        self.rir.changed.connect(lambda v: v is not None and self.rpe.set_value(None))
        effort = _side_by_side((self.rpe, 1), (label("or RIR", "dim"), 0), (self.rir, 1))
        add_row("RPE", effort, "rpe", "rir")
        self.set_type = Segmented([("Warm-up", SetType.WARMUP), ("Working", SetType.WORKING),
                                   ("Drop", SetType.DROP), ("Failure", SetType.FAILURE)],
                                  name="Set type")
        add_row("Set type", self.set_type, "set_type")
        self.note = QLineEdit()
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("Anything to remember about this set")
        add_row("Note", self.note, "note", "tempo", "tut_seconds", "side")
        grid.setColumnStretch(1, 1)
        fields.addLayout(grid)
        fields.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(body)
        QScroller.grabGesture(self.scroll.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        outer.addWidget(self.scroll, 1)

        self.discard_button = button("Discard set", accessible="Discard this set",
                                     min_height=76)
        self.save_button = button("Save set  ✓", role="primary", accessible="Save this set",
                                  min_height=76)
        actions = action_row((self.discard_button, 1), (self.save_button, 2))
        actions.setContentsMargins(24, 0, 24, 0)
        outer.addLayout(actions)
        self.save_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(self.discarded)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.save)

    # --- filling and reading --------------------------------------------------------------

    def begin_edit(self, record: SetRecord, exercise: Exercise) -> None:
        """Open an existing set for correction; Save replaces it (Ctrl+Z undoes)."""
        draft = LogDraft(
            exercise=exercise, reps={record.side: record.reps}, load=record.entered_load,
            unit=record.unit, tempo=record.tempo or "", tut_seconds=record.tut_seconds,
            foot_height=record.foot_height, foot_width=record.foot_width,
            set_type=record.set_type, title=f"Edit: {exercise.name} · {record.describe()}",
            session_id=record.session_id,
        )
        self.begin(draft, editing=record)
        for row, value in ((self.rpe, record.rpe), (self.rir, record.rir)):
            text = None if value is None else f"{value:g}"
            if text is not None and text not in row.buttons:
                row.add_option(text, text)  # an effort the usual buttons do not offer
            row.set_value(text)
        self.note.setText(record.note)

    def begin(self, draft: LogDraft, *, editing: SetRecord | None = None) -> None:
        self.draft = draft
        self.editing = editing
        self.title_label.setText(draft.title or f"Log: {draft.exercise.name}")
        self.coach_label.setText(draft.coach_text)
        self.coach_label.setVisible(bool(draft.coach_text))
        self.load.set_text(draft.load)
        self.unit.set_value(draft.unit)
        shown = {side for side, _ in self.sides()}
        for widget, side in ((self.reps_both, Side.BOTH), (self.reps_left, Side.LEFT),
                             (self.reps_right, Side.RIGHT)):
            widget.set_text(str(draft.reps.get(side, 0)))
            self._row_visible(widget, side in shown)
        self.foot_height.set_value(draft.foot_height)
        self.foot_width.set_value(draft.foot_width)
        self.rpe.set_value(None)
        self.rir.set_value(None)
        self.set_type.set_value(draft.set_type)
        self.note.clear()
        self._show_errors({})
        self.load.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.load.edit.selectAll()

    def _row_visible(self, widget: QWidget, visible: bool) -> None:
        widget.setVisible(visible)
        layout = self._grid
        index = layout.indexOf(widget)
        row, _, _, _ = layout.getItemPosition(index)
        caption = layout.itemAtPosition(row, 0)
        if caption is not None and caption.widget() is not None:
            caption.widget().setVisible(visible)

    def sides(self) -> list[tuple[Side, StepperField]]:
        assert self.draft is not None
        if self.editing is not None:  # one stored set is one side
            field = self.reps_both
            if self.editing.side is Side.LEFT:
                field = self.reps_left
            elif self.editing.side is Side.RIGHT:
                field = self.reps_right
            return [(self.editing.side, field)]
        if self.draft.exercise.one_sided:
            return [(Side.LEFT, self.reps_left), (Side.RIGHT, self.reps_right)]
        return [(Side.BOTH, self.reps_both)]

    def fields_for(self, reps_field: StepperField, side: Side) -> dict[str, str]:
        assert self.draft is not None
        height, width = self.foot_height.value(), self.foot_width.value()
        return {
            "load": self.load.text(),
            "unit": str(self.unit.value() or ""),
            "reps": reps_field.text(),
            "side": side.value,
            "foot_height": height.value if height else "",
            "foot_width": width.value if width else "",
            "tempo": self.draft.tempo,
            "tut_seconds": "" if self.draft.tut_seconds is None else
            f"{self.draft.tut_seconds / len(self.sides()):.1f}",
            "rpe": str(self.rpe.value() or ""),
            "rir": str(self.rir.value() or ""),
            "set_type": str(self.set_type.value() or SetType.WORKING),
            "note": self.note.text(),
        }

    def save(self) -> list[SetRecord] | None:
        """Validate every side; emit `saved` with the records, or show what is wrong."""
        if self.draft is None:
            return None
        now = self._now()
        records: list[SetRecord] = []
        errors: dict[str, str] = {}
        for side, reps_field in self.sides():
            try:
                records.append(parse_set_form(
                    self.fields_for(reps_field, side), exercise_id=self.draft.exercise.id,
                    session_id=self.draft.session_id, now=now,
                    default_unit=self.draft.unit,
                ))
            except SetFormError as error:
                for key, message in error.errors.items():
                    if key == "reps" and side is not Side.BOTH:
                        key = f"reps_{side.value}"
                    errors.setdefault(key, message)
        self._show_errors(errors)
        if errors:
            return None
        if self.editing is not None:
            new = records[0]
            edited = replace_fields(
                self.editing, now=now, entered_load=new.entered_load, unit=new.unit,
                reps=new.reps, foot_height=new.foot_height, foot_width=new.foot_width,
                rpe=new.rpe, rir=new.rir, set_type=new.set_type, note=new.note,
            )
            self.edited.emit(edited)
            return [edited]
        self.saved.emit(records)
        return records

    def _show_errors(self, errors: Mapping[str, str]) -> None:
        for key, widget in self.errors.items():
            widget.setText(errors.get(key, ""))
            widget.setVisible(key in errors)
        self.load.edit.setProperty("invalid", "load" in errors)
        for field_name, stepper in (("reps", self.reps_both), ("reps_left", self.reps_left),
                                    ("reps_right", self.reps_right)):
            stepper.edit.setProperty("invalid", field_name in errors)
        for edit in (self.load.edit, self.reps_both.edit, self.reps_left.edit,
                     self.reps_right.edit):
            edit.style().unpolish(edit)
            edit.style().polish(edit)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.save()
        else:
            super().keyPressEvent(event)
