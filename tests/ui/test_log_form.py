"""The log form with a user's hands: tap steppers and toggles, type, save, fix a mistake, edit."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import shiboken6
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton

from legcoach.core.exercise import FootHeight, FootWidth
from legcoach.core.setlog import LoadUnit, SetRecord, SetType, parse_set_form
from legcoach.core.sides import Side
from legcoach.ui.log_form import LogDraft, LogForm


@pytest.fixture(scope="module", autouse=True)
def themed(qapp):
    from legcoach.ui.theme import apply_theme

    apply_theme(qapp)


@pytest.fixture
def form(qtbot, qapp, wall):
    widget = LogForm(wall)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close()
    widget.deleteLater()
    # Delete it now: forms left for a later event loop pile up and slow every test after.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(widget)


class Emitted:
    """Everything the form sent out, in order."""

    def __init__(self, form: LogForm) -> None:
        self.saved: list[list[SetRecord]] = []
        self.edited: list[SetRecord] = []
        self.discarded = 0
        form.saved.connect(self.saved.append)
        form.edited.connect(self.edited.append)
        form.discarded.connect(self._discard)

    def _discard(self) -> None:
        self.discarded += 1

    def clear(self) -> None:
        self.saved.clear()
        self.edited.clear()


@pytest.fixture
def emitted(form) -> Emitted:
    return Emitted(form)


def two_legs(library, **fields: Any) -> LogDraft:
    values: dict[str, Any] = {"exercise": library["leg-press-45"], "reps": {Side.BOTH: 11},
                              "load": "100", "tempo": "3-1-1-0", "session_id": "s1"}
    return LogDraft(**(values | fields))


def one_leg(library, **fields: Any) -> LogDraft:
    values: dict[str, Any] = {"exercise": library["single-leg-press"],
                              "reps": {Side.LEFT: 10, Side.RIGHT: 9}, "load": "50",
                              "session_id": "s1"}
    return LogDraft(**(values | fields))


def click(qtbot, widget: QPushButton, times: int = 1) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.accessibleName()
    for _ in range(times):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_into(qtbot, field: QLineEdit, text: str) -> None:
    """Select what is there and type over it, key by key."""
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClicks(field, text)


def shown_errors(form: LogForm) -> dict[str, str]:
    return {key: widget.text() for key, widget in form.errors.items() if widget.isVisible()}


# --- opening -------------------------------------------------------------------------------------


def test_the_form_opens_with_the_draft_filled_in(form, library) -> None:
    form.begin(two_legs(library, foot_height=FootHeight.MIDDLE, foot_width=FootWidth.WIDE,
                        coach_text="Coach: 100 kg for 12", title="Log · set 1 of 3"))
    assert form.title_label.text() == "Log · set 1 of 3"
    assert form.coach_label.isVisible() and form.coach_label.text() == "Coach: 100 kg for 12"
    assert form.load.text() == "100" and form.unit.value() is LoadUnit.KG
    assert form.unit.buttons[LoadUnit.KG].isChecked()
    assert form.reps_both.isVisible() and form.reps_both.text() == "11"
    assert not form.reps_left.isVisible() and not form.reps_right.isVisible()
    assert form.foot_height.buttons[FootHeight.MIDDLE].isChecked()
    assert form.foot_width.buttons[FootWidth.WIDE].isChecked()
    assert form.set_type.buttons[SetType.WORKING].isChecked()
    assert form.rpe.value() is None and form.rir.value() is None
    assert form.note.text() == "" and shown_errors(form) == {}
    assert form.load.edit.hasFocus() and form.load.edit.selectedText() == "100"


def test_a_draft_without_title_or_coach_says_what_is_logged(form, library) -> None:
    form.begin(two_legs(library, load="", unit=LoadUnit.LB))
    assert form.title_label.text() == "Log: 45° Leg Press"
    assert not form.coach_label.isVisible()
    assert form.load.text() == "" and form.unit.value() is LoadUnit.LB


def test_a_one_leg_exercise_shows_a_reps_row_per_leg(form, library) -> None:
    form.begin(one_leg(library))
    assert not form.reps_both.isVisible()
    assert form.reps_left.isVisible() and form.reps_right.isVisible()
    assert (form.reps_left.text(), form.reps_right.text()) == ("10", "9")


def test_reopening_for_the_next_set_forgets_the_last_one(form, library, qtbot) -> None:
    form.begin(two_legs(library))
    click(qtbot, form.rpe.buttons["8"])
    type_into(qtbot, form.note, "heavy")
    type_into(qtbot, form.load.edit, "abc")
    click(qtbot, form.save_button)
    assert shown_errors(form)
    form.begin(one_leg(library))
    assert form.rpe.value() is None and form.note.text() == "" and shown_errors(form) == {}
    assert form.reps_left.isVisible() and not form.reps_both.isVisible()


# --- steppers and toggles -----------------------------------------------------------------------


def test_load_steps_by_2_5_kg(form, library, qtbot) -> None:
    form.begin(two_legs(library))
    click(qtbot, form.load.plus)
    assert form.load.text() == "102.5"
    click(qtbot, form.load.plus)
    assert form.load.text() == "105"
    click(qtbot, form.load.minus, times=3)
    assert form.load.text() == "97.5"


def test_load_steps_by_5_lb_after_switching_the_unit(form, library, qtbot) -> None:
    form.begin(two_legs(library, load="225"))
    click(qtbot, form.unit.buttons[LoadUnit.LB])
    assert form.unit.value() is LoadUnit.LB and not form.unit.buttons[LoadUnit.KG].isChecked()
    assert form.load.text() == "225"  # the number typed stays; only its unit changed
    click(qtbot, form.load.plus)
    assert form.load.text() == "230"
    click(qtbot, form.load.minus, times=3)
    assert form.load.text() == "215"
    click(qtbot, form.unit.buttons[LoadUnit.LB])  # tapping the chosen unit keeps it
    assert form.unit.value() is LoadUnit.LB


def test_load_never_steps_below_zero(form, library, qtbot) -> None:
    form.begin(two_legs(library, load="4"))
    click(qtbot, form.load.minus)
    assert form.load.text() == "1.5"
    click(qtbot, form.load.minus)
    assert form.load.text() == "0"
    click(qtbot, form.load.minus)
    assert form.load.text() == "0"
    type_into(qtbot, form.load.edit, "-5")
    click(qtbot, form.load.minus)
    assert form.load.text() == "0"


def test_an_empty_load_steps_up_from_zero_and_a_comma_is_a_decimal_point(
    form, library, qtbot
) -> None:
    form.begin(two_legs(library, load=""))
    click(qtbot, form.load.plus)
    assert form.load.text() == "2.5"
    type_into(qtbot, form.load.edit, "100,5")
    click(qtbot, form.load.plus)
    assert form.load.text() == "103"


def test_a_load_that_is_not_a_number_is_left_alone_by_the_steppers(form, library, qtbot) -> None:
    form.begin(two_legs(library))
    type_into(qtbot, form.load.edit, "abc")
    click(qtbot, form.load.plus)
    assert form.load.text() == "abc"


@pytest.mark.parametrize("typed", ["nan", "inf", "1e9999999"])
def test_special_numbers_are_left_alone_by_the_steppers(form, library, qtbot, typed) -> None:
    form.begin(two_legs(library))
    type_into(qtbot, form.load.edit, typed)
    with qtbot.capture_exceptions() as exceptions:
        click(qtbot, form.load.plus)
    assert exceptions == []
    assert form.load.text() == typed


def test_reps_step_by_one_and_never_below_zero(form, library, qtbot) -> None:
    form.begin(two_legs(library, reps={Side.BOTH: 1}))
    click(qtbot, form.reps_both.plus, times=2)
    assert form.reps_both.text() == "3"
    click(qtbot, form.reps_both.minus, times=5)
    assert form.reps_both.text() == "0"


def test_each_leg_has_its_own_reps_stepper(form, library, qtbot) -> None:
    form.begin(one_leg(library))
    click(qtbot, form.reps_left.plus)
    click(qtbot, form.reps_right.minus, times=2)
    assert (form.reps_left.text(), form.reps_right.text()) == ("11", "7")


def test_rpe_and_rir_exclude_each_other(form, library, qtbot) -> None:
    form.begin(two_legs(library))
    click(qtbot, form.rpe.buttons["8"])
    assert form.rpe.value() == "8" and form.rpe.buttons["8"].isChecked()
    click(qtbot, form.rir.buttons["2"])
    assert form.rir.value() == "2" and form.rpe.value() is None
    assert not any(b.isChecked() for b in form.rpe.buttons.values())
    click(qtbot, form.rpe.buttons["8.5"])
    assert form.rpe.value() == "8.5" and form.rir.value() is None
    assert not form.rir.buttons["2"].isChecked()
    click(qtbot, form.rpe.buttons["8.5"])  # tapping the chosen one again clears it
    assert form.rpe.value() is None and form.rir.value() is None


def test_set_type_and_feet_are_one_choice_each(form, library, qtbot) -> None:
    form.begin(two_legs(library, foot_height=FootHeight.LOW))
    click(qtbot, form.set_type.buttons[SetType.DROP])
    click(qtbot, form.foot_height.buttons[FootHeight.HIGH])
    click(qtbot, form.foot_width.buttons[FootWidth.NARROW])
    click(qtbot, form.foot_width.buttons[FootWidth.NARROW])  # feet are optional: untap
    assert form.set_type.value() is SetType.DROP
    assert [v for v, b in form.set_type.buttons.items() if b.isChecked()] == [SetType.DROP]
    assert form.foot_height.value() is FootHeight.HIGH and form.foot_width.value() is None


# --- saving ------------------------------------------------------------------------------------


def test_saving_a_two_leg_set_emits_one_record(form, emitted, library, qtbot, wall) -> None:
    form.begin(two_legs(library, foot_height=FootHeight.MIDDLE, tut_seconds=44.5))
    click(qtbot, form.load.plus)
    click(qtbot, form.reps_both.minus)
    click(qtbot, form.rir.buttons["2"])
    click(qtbot, form.foot_width.buttons[FootWidth.SHOULDER])
    type_into(qtbot, form.note, "  felt easy  ")
    click(qtbot, form.save_button)
    ((record,),) = emitted.saved
    assert (record.exercise_id, record.session_id) == ("leg-press-45", "s1")
    assert (record.entered_load, record.unit, record.load_kg) == ("102.5", LoadUnit.KG, 102.5)
    assert (record.reps, record.side) == (10, Side.BOTH)
    assert (record.foot_height, record.foot_width) == (FootHeight.MIDDLE, FootWidth.SHOULDER)
    assert (record.rpe, record.rir) == (None, 2)
    assert (record.set_type, record.tempo, record.tut_seconds) == (
        SetType.WORKING, "3-1-1-0", 44.5)
    assert record.note == "felt easy"
    assert record.performed_at == record.created_at == record.updated_at == wall()
    assert emitted.edited == [] and shown_errors(form) == {}


def test_a_one_leg_set_saves_a_record_per_leg(form, emitted, library, qtbot) -> None:
    form.begin(one_leg(library, tut_seconds=61.0, tempo="3-1-2-0"))
    click(qtbot, form.rpe.buttons["9"])
    click(qtbot, form.set_type.buttons[SetType.FAILURE])
    click(qtbot, form.save_button)
    ((left, right),) = emitted.saved
    assert (left.side, left.reps, right.side, right.reps) == (Side.LEFT, 10, Side.RIGHT, 9)
    for record in (left, right):
        assert (record.exercise_id, record.entered_load, record.rpe, record.set_type) == (
            "single-leg-press", "50", 9.0, SetType.FAILURE)
        assert record.tut_seconds == 30.5  # the set's time under tension, split per leg
    assert left.id != right.id and left.performed_at == right.performed_at


def test_a_load_in_pounds_keeps_what_was_typed(form, emitted, library, qtbot) -> None:
    form.begin(two_legs(library, load=""))
    click(qtbot, form.unit.buttons[LoadUnit.LB])
    type_into(qtbot, form.load.edit, "225")
    click(qtbot, form.save_button)
    ((record,),) = emitted.saved
    assert record.load_text == "225 lb"
    assert record.load_kg == pytest.approx(102.058283, abs=1e-6)


def test_a_decimal_comma_is_saved_as_a_point(form, emitted, library, qtbot) -> None:
    form.begin(two_legs(library))
    type_into(qtbot, form.load.edit, "102,5")
    click(qtbot, form.save_button)
    assert emitted.saved[0][0].entered_load == "102.5"


@pytest.mark.parametrize(("typed", "message"), [
    ("abc", "Load must be a number, e.g. 102.5."),
    ("-5", "Load can't be negative."),
    ("", "Enter the load, e.g. 102.5."),
    ("1e3", "Load must be a number, e.g. 102.5."),
    ("1000.5", "Load can't be more than 1000 kg."),
])
def test_a_bad_load_is_shown_next_to_the_field_and_nothing_is_saved(
    form, emitted, library, qtbot, typed, message
) -> None:
    form.begin(two_legs(library))
    type_into(qtbot, form.load.edit, typed)
    click(qtbot, form.save_button)
    assert shown_errors(form) == {"load": message}
    assert form.load.edit.property("invalid") is True
    assert emitted.saved == []
    type_into(qtbot, form.load.edit, "100")  # fixed: saves, and the message goes away
    click(qtbot, form.save_button)
    assert len(emitted.saved) == 1
    assert shown_errors(form) == {} and form.load.edit.property("invalid") is False


def test_bad_reps_on_one_leg_are_shown_on_that_legs_row(form, emitted, library, qtbot) -> None:
    form.begin(one_leg(library))
    type_into(qtbot, form.reps_right.edit, "ten")
    click(qtbot, form.save_button)
    assert shown_errors(form) == {"reps_right": "Reps must be a whole number from 0 to 100."}
    assert form.reps_right.edit.property("invalid") is True
    assert form.reps_left.edit.property("invalid") is False
    assert emitted.saved == []


def test_every_problem_is_shown_at_once(form, emitted, library, qtbot) -> None:
    form.begin(two_legs(library))
    type_into(qtbot, form.load.edit, "heavy")
    type_into(qtbot, form.reps_both.edit, "101")
    type_into(qtbot, form.note, "x" * 1001)
    click(qtbot, form.save_button)
    assert shown_errors(form) == {
        "load": "Load must be a number, e.g. 102.5.",
        "reps": "Reps must be a whole number from 0 to 100.",
        "note": "Notes can be at most 1000 characters.",
    }
    assert emitted.saved == []


def test_enter_saves(form, emitted, library, qtbot) -> None:
    form.begin(two_legs(library))
    qtbot.keyClick(form.load.edit, Qt.Key.Key_Return)
    assert len(emitted.saved) == 1
    qtbot.keyClick(form.note, Qt.Key.Key_Enter)
    assert len(emitted.saved) == 2


def test_discard_throws_the_set_away(form, emitted, library, qtbot) -> None:
    form.begin(two_legs(library))
    click(qtbot, form.discard_button)
    assert emitted.discarded == 1 and emitted.saved == []


def test_nothing_happens_before_the_form_is_opened(form, emitted, qtbot) -> None:
    assert form.save() is None
    assert emitted.saved == []


# --- editing a logged set -----------------------------------------------------------------------


def logged_set(wall, *, exercise_id: str = "leg-press-45", **fields: str) -> SetRecord:
    """A set logged an hour ago through the same rules as the form."""
    values = {"load": "100", "reps": "10", "rpe": "8", "note": "solid", "tempo": "3-1-1-0",
              "tut_seconds": "40", "foot_height": "low"}
    return parse_set_form(values | fields, exercise_id=exercise_id, session_id="s1",
                          now=wall() - timedelta(hours=1), default_unit=LoadUnit.KG)


def test_editing_shows_the_set_and_emits_the_same_set_with_a_new_time(
    form, emitted, library, qtbot, wall
) -> None:
    record = logged_set(wall)
    form.begin_edit(record, library["leg-press-45"])
    assert form.title_label.text() == "Edit: 45° Leg Press · 100 kg × 10"
    assert (form.load.text(), form.reps_both.text(), form.note.text()) == ("100", "10", "solid")
    assert form.rpe.value() == "8" and form.foot_height.value() is FootHeight.LOW
    type_into(qtbot, form.load.edit, "105")
    click(qtbot, form.reps_both.minus)
    click(qtbot, form.save_button)
    (edited,) = emitted.edited
    assert emitted.saved == []
    assert edited.id == record.id
    assert (edited.entered_load, edited.reps, edited.rpe, edited.note) == ("105", 9, 8.0, "solid")
    assert edited.updated_at == wall() > record.updated_at
    assert (edited.performed_at, edited.created_at) == (record.performed_at, record.created_at)
    assert (edited.session_id, edited.tempo, edited.tut_seconds) == ("s1", "3-1-1-0", 40.0)


def test_an_edit_with_the_clock_behind_still_moves_updated_at_forward(
    form, emitted, library, qtbot, wall
) -> None:
    record = logged_set(wall)
    wall.now = record.updated_at - timedelta(minutes=5)  # the clock was set back
    form.begin_edit(record, library["leg-press-45"])
    click(qtbot, form.save_button)
    (edited,) = emitted.edited
    assert edited.updated_at == record.updated_at + timedelta(microseconds=1)


def test_editing_one_leg_of_a_one_leg_set_shows_only_that_leg(
    form, emitted, library, qtbot, wall
) -> None:
    record = logged_set(wall, exercise_id="single-leg-press", side="right", reps="9")
    form.begin_edit(record, library["single-leg-press"])
    assert form.reps_right.isVisible() and form.reps_right.text() == "9"
    assert not form.reps_left.isVisible() and not form.reps_both.isVisible()
    click(qtbot, form.reps_right.plus)
    click(qtbot, form.save_button)
    (edited,) = emitted.edited
    assert (edited.side, edited.reps, edited.id) == (Side.RIGHT, 10, record.id)


def test_an_edit_with_a_bad_value_emits_nothing(form, emitted, library, qtbot, wall) -> None:
    form.begin_edit(logged_set(wall), library["leg-press-45"])
    type_into(qtbot, form.load.edit, "-5")
    click(qtbot, form.save_button)
    assert shown_errors(form) == {"load": "Load can't be negative."}
    assert emitted.edited == [] and emitted.saved == []


# --- anything typed ------------------------------------------------------------------------------

PLAIN_LOAD = re.compile(r"[0-9]{1,3}(?:[.,][0-9]{0,6})?")  # up to 999.999999: always fine
PLAIN_REPS = re.compile(r"[0-9]{1,3}")

good_loads = st.builds(
    lambda whole, frac, comma, pad: f"{pad}{whole}{',' if comma else '.'}{frac}{pad}"
    if frac is not None else f"{pad}{whole}{pad}",
    st.integers(0, 999), st.none() | st.from_regex(r"[0-9]{0,6}", fullmatch=True),
    st.booleans(), st.sampled_from(["", " ", "  "]),
)
good_reps = st.integers(0, 100).map(str) | st.integers(0, 100).map(lambda n: f" {n} ")
good_notes = st.text(max_size=30)
any_text = st.text(max_size=20) | st.sampled_from(
    ["abc", "-5", "", " ", "1e3", "nan", "inf", "100,", ",5", ".", "1,000", "١٠٠", "1000",
     "1000.000001", "0", "101", "00100", "+5", "5 5"])
long_notes = st.builds(lambda n, pad: f"{pad}{'n' * n}{pad}", st.integers(995, 1005),
                       st.sampled_from(["", "  "]))
FUZZ = settings(max_examples=500, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@FUZZ
@given(one_sided=st.booleans(), valid=st.booleans(), data=st.data())
def test_anything_typed_either_saves_what_was_typed_or_shows_why_not(
    form, emitted, library, qtbot, one_sided, valid, data
) -> None:
    form.begin(one_leg(library) if one_sided else two_legs(library))
    emitted.clear()
    load = data.draw(good_loads if valid else any_text | good_loads, label="load")
    reps_fields = [form.reps_left, form.reps_right] if one_sided else [form.reps_both]
    reps = [data.draw(good_reps if valid else any_text | good_reps, label="reps")
            for _ in reps_fields]
    note = data.draw(good_notes if valid else good_notes | long_notes, label="note")
    form.load.edit.setText(load)
    for field, text in zip(reps_fields, reps, strict=True):
        field.edit.setText(text)
    form.note.setText(note)
    typed_load = form.load.text()
    typed_reps = [field.text() for field in reps_fields]
    typed_note = form.note.text()

    form.save_button.click()  # the tap's signal path without a repaint per example

    errors = shown_errors(form)
    if emitted.saved:
        assert errors == {} and len(emitted.saved) == 1
        records = emitted.saved[0]
        assert [r.side for r in records] == (
            [Side.LEFT, Side.RIGHT] if one_sided else [Side.BOTH])
        for record, reps_text in zip(records, typed_reps, strict=True):
            assert Decimal(record.entered_load) == Decimal(
                typed_load.strip().replace(",", "."))
            assert record.reps == int(reps_text.strip())
            assert record.note == typed_note.strip()
            assert SetRecord.from_dict(record.to_dict()) == record
    else:
        assert errors and all(errors.values())
        assert not valid
    assert emitted.edited == []
    clearly_valid = (
        PLAIN_LOAD.fullmatch(typed_load.strip()) is not None
        and all(PLAIN_REPS.fullmatch(r.strip()) and int(r) <= 100 for r in typed_reps)
        and len(typed_note.strip()) <= 1000
    )
    if valid:
        assert clearly_valid  # the strategy for valid input makes only such values
    if clearly_valid:
        assert emitted.saved, f"not saved: {errors}"


@pytest.mark.parametrize("effort", [{"rpe": "5"}, {"rir": "7"}])
def test_editing_keeps_an_effort_the_buttons_do_not_offer(
    form, emitted, library, qtbot, wall, effort
) -> None:
    record = logged_set(wall, **({"rpe": ""} | effort))
    form.begin_edit(record, library["leg-press-45"])
    type_into(qtbot, form.load.edit, "105")  # only the load was wrong
    click(qtbot, form.save_button)
    (edited,) = emitted.edited
    assert (edited.rpe, edited.rir) == (record.rpe, record.rir)
