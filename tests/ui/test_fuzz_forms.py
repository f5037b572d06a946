"""The forms, fuzzed like a lifter with a touch screen: type anything, tap choices, tap Save.

Each widget is built once per test and reset at the start of every example (hypothesis and
function-scoped Qt fixtures don't mix). Every example runs inside `qtbot.capture_exceptions`,
so an exception raised in a slot fails that example and hypothesis shrinks it. The expected
outcome comes from the models in tests/core/test_fuzz_inputs.py (for the log and item forms)
or from the core itself on a copy of the settings: the screen must do exactly what the rules
say, show a message next to every refused field, and save valid values exactly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QCoreApplication, QEvent, Qt

from legcoach.core.documents import InMemoryDocumentStore
from legcoach.core.records import format_number
from legcoach.core.routine import ITEM_FORM_FIELDS, RoutineBook, item_form_text
from legcoach.core.setlog import FORM_FIELDS, LoadUnit, SetRecord, SetType, replace_fields
from legcoach.core.settings import DECLARATIONS, Kind, SettingError, Settings
from legcoach.core.sides import Side
from legcoach.storage.atomic import dumps_json
from legcoach.ui.log_form import RIR_VALUES, RPE_VALUES, LogDraft, LogForm
from legcoach.ui.routine_editor import RoutineEditor
from legcoach.ui.settings_view import SettingsView
from tests.core.test_fuzz_inputs import (
    KG_PER,
    LIBRARY,
    any_text,
    controls,
    decimal_text,
    long_text,
    model_item_form,
    model_name_ok,
    model_set_form,
    near_numbers,
    padded,
)

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
UI = settings(max_examples=500, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module", autouse=True)
def themed(qapp) -> None:
    from legcoach.ui.theme import apply_theme

    apply_theme(qapp)


def shown(widget: Any, qtbot: Any) -> Any:
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def flush_deletes() -> None:
    """Widgets a render replaced are deleted later; do it now, or 500 examples pile them up."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def typed(qtbot: Any, edit: Any, text: str, keys: bool) -> str:
    """Put `text` into a line edit; with `keys`, type it key by key like a user (ASCII only,
    as key events carry one UTF-16 unit each). Returns what the edit now holds."""
    if keys and text.isascii() and text.isprintable() and len(text) <= 12:
        edit.setFocus()
        edit.selectAll()
        qtbot.keyClick(edit, Qt.Key.Key_Backspace)
        qtbot.keyClicks(edit, text)
    else:
        edit.setText(text)
    return edit.text()


# --- the log form ------------------------------------------------------------------------------

load_text = padded(st.one_of(decimal_text(4, 6), near_numbers(10), any_text,
                             st.sampled_from(["1000", "2204.6", "2205", "-5", "1e3"])))
reps_text = padded(st.one_of(st.integers(0, 100).map(str), near_numbers(4), any_text,
                             st.sampled_from(["101", "0100", "-1", "1.0"])))
note_text = st.one_of(st.text(max_size=40), controls, padded(long_text(995, 1005)))
EDITED = SetRecord(exercise_id="leg-press-45", session_id="s1", performed_at=NOW,
                   unit=LoadUnit.LB, entered_load="225", reps=8, side=Side.RIGHT, rpe=8.0,
                   tempo="3-1-1-0", tut_seconds=40.0, created_at=NOW, updated_at=NOW)


def expected_fields(form: LogForm, side: Side, reps: str, tempo: str,
                    tut: float | None, sides: int) -> dict[str, str]:
    """The set form's text as the lifter left it, read from the controls one by one."""
    height, width = form.foot_height.value(), form.foot_width.value()
    return {"load": form.load.text(), "unit": str(form.unit.value() or ""), "reps": reps,
            "side": side.value, "foot_height": height.value if height else "",
            "foot_width": width.value if width else "", "tempo": tempo,
            "tut_seconds": "" if tut is None else f"{tut / sides:.1f}",
            "rpe": str(form.rpe.value() or ""), "rir": str(form.rir.value() or ""),
            "set_type": str(form.set_type.value() or SetType.WORKING),
            "note": form.note.text()}


@pytest.mark.slow
def test_the_log_form_saves_exactly_what_was_typed_or_says_why_not(qtbot) -> None:
    form = shown(LogForm(lambda: NOW), qtbot)
    saved: list[list[SetRecord]] = []
    edited: list[SetRecord] = []
    form.saved.connect(saved.append)
    form.edited.connect(edited.append)

    runs: list[int] = []
    kept: list[int] = []  # examples that saved: the valid path must be exercised too

    @UI
    @given(mode=st.sampled_from(["two legs", "one leg", "edit"]),
           unit=st.sampled_from(LoadUnit), tut=st.none() | st.floats(0, 3600),
           taps=st.lists(st.sampled_from(
               [("unit", u) for u in LoadUnit] + [("rpe", v) for v in RPE_VALUES]
               + [("rir", v) for v in RIR_VALUES] + [("set_type", t) for t in SetType]
               + [("foot_height", h) for h in form.foot_height.buttons]
               + [("foot_width", w) for w in form.foot_width.buttons]), max_size=5),
           load=padded(decimal_text(3, 6)) | load_text,
           reps=st.lists(padded(st.integers(0, 100).map(str)) | reps_text, min_size=2,
                         max_size=2), note=note_text,
           keys=st.booleans())
    def example(mode: str, unit: LoadUnit, tut: float | None, taps: list[tuple[str, Any]],
                load: str, reps: list[str], note: str, keys: bool) -> None:
        runs.append(1)
        saved.clear()
        edited.clear()
        with qtbot.capture_exceptions() as caught:
            if mode == "edit":
                form.begin_edit(EDITED, LIBRARY["leg-press-45"])
                tempo, tut = EDITED.tempo or "", EDITED.tut_seconds
            else:
                exercise = LIBRARY["single-leg-press" if mode == "one leg" else "leg-press-45"]
                reps_seen = ({Side.LEFT: 10, Side.RIGHT: 9} if mode == "one leg"
                             else {Side.BOTH: 11})
                tempo = exercise.movement.tempo
                form.begin(LogDraft(exercise=exercise, reps=reps_seen, load="100", unit=unit,
                                    tempo=tempo, tut_seconds=tut, session_id="s1"))
            for row, value in taps:
                getattr(form, row).buttons[value].click()
            assert not (form.rpe.value() and form.rir.value())  # one tap clears the other
            typed(qtbot, form.load.edit, load, keys)
            sides = form.sides()
            for (_, field), text in zip(sides, reps, strict=False):
                typed(qtbot, field.edit, text, keys)
            form.note.setText(note)
            fields = {side: expected_fields(form, side, field.text(), tempo, tut, len(sides))
                      for side, field in sides}
            form.save_button.click()
        assert not caught, caught

        default_unit = EDITED.unit if mode == "edit" else unit
        models = {side: model_set_form(text, default_unit) for side, text in fields.items()}
        refused = {f"reps_{side.value}" if key == "reps" and side is not Side.BOTH else key
                   for side, (bad, _) in models.items() for key in bad}
        errors = {key: label.text() for key, label in form.errors.items() if not label.isHidden()}
        assert set(errors) == refused, (errors, refused, fields)
        assert all(message.strip() for message in errors.values())
        if refused:
            assert saved == [] and edited == []
            return
        kept.append(1)
        records = edited if mode == "edit" else (saved[0] if saved else [])
        assert len(records) == len(sides) and (mode == "edit") == bool(edited)
        for record, (side, (_, values)) in zip(records, models.items(), strict=True):
            assert record.side is side and Decimal(record.entered_load) == values["load"]
            assert record.load_kg == float((values["load"] * KG_PER[record.unit]).quantize(
                Decimal("0.000001")))
            for key in ("unit", "reps", "foot_height", "foot_width", "rpe", "rir",
                        "set_type", "note", "tempo", "tut_seconds"):
                assert getattr(record, key) == values[key], key
            assert SetRecord.from_dict(json.loads(dumps_json(record.to_dict()))) == record
        if mode == "edit":
            assert records[0].id == EDITED.id and records[0].updated_at > EDITED.updated_at
            assert records[0] == replace_fields(
                EDITED, now=records[0].updated_at, entered_load=records[0].entered_load,
                unit=records[0].unit, reps=records[0].reps, rpe=records[0].rpe,
                rir=records[0].rir, foot_height=records[0].foot_height,
                foot_width=records[0].foot_width, set_type=records[0].set_type,
                note=records[0].note)

    example()
    assert len(runs) >= 500  # every example really ran (none filtered away)
    assert len(kept) >= 100, len(kept)
    assert set(form.errors) <= {*FORM_FIELDS, "reps_left", "reps_right"}


# --- the routine editor ----------------------------------------------------------------------

@pytest.fixture
def editor(qtbot) -> Iterator[tuple[RoutineEditor, RoutineBook, InMemoryDocumentStore]]:
    store = InMemoryDocumentStore()
    book = RoutineBook.open(store, LIBRARY)
    widget = shown(RoutineEditor(book, LIBRARY), qtbot)
    mine = book.create("Mine", "leg-press")
    book.add_item(mine.id, "single-leg-press")
    widget.select(mine.id)
    yield widget, book, store
    flush_deletes()


item_text = {
    "sets": st.integers(1, 10).map(str),
    "reps_low": st.integers(1, 50).map(str),
    "reps_high": st.integers(50, 100).map(str),
    "tempo": st.sampled_from(["3-1-2-0", "2-0-x-1", "4 - 0 - 1 - 0"]),
    "rest": st.integers(15, 900).map(str) | st.integers(15, 900).map(
        lambda s: f"{s // 60}:{s % 60:02d}"),
}
item_junk = st.one_of(any_text, near_numbers(6), st.sampled_from(
    ["0", "11", "101", "1:60", "15:01", "0:14", "901", "3/1/2/0", "3-1-2", "X-0-X-X", ""]))


@pytest.mark.slow
def test_the_item_form_saves_exactly_what_was_typed_or_marks_each_bad_field(
    qtbot, editor: tuple[RoutineEditor, RoutineBook, InMemoryDocumentStore]
) -> None:
    widget, book, store = editor
    routine_id = widget.routine_id

    runs: list[int] = []
    kept: list[int] = []  # examples that saved: the valid path must be exercised too

    @UI
    @given(index=st.integers(0, 1), texts=st.one_of(  # all fields fine, or any mix
        st.fixed_dictionaries({key: padded(item_text[key]) for key in ITEM_FORM_FIELDS}),
        st.fixed_dictionaries({key: padded(item_text[key] | item_junk)
                               for key in ITEM_FORM_FIELDS})),
        per_side=st.booleans(), enter=st.booleans(), keys=st.booleans())
    def example(index: int, texts: dict[str, str], per_side: bool, enter: bool,
                keys: bool) -> None:
        runs.append(1)
        with qtbot.capture_exceptions() as caught:
            widget.select(routine_id, index)
            before = book.get(routine_id)
            fields = {key: typed(qtbot, widget.fields[key], text, keys)
                      for key, text in texts.items()}
            if widget.per_side_check.isChecked() != per_side:
                widget.per_side_check.click()
            if enter:
                qtbot.keyClick(widget.fields["rest"], Qt.Key.Key_Return)  # Enter saves too
            else:
                widget.save_button.click()
        assert not caught, caught

        bad, values = model_item_form(fields)
        messages = {key: widget.messages[key] for key in ("sets", "reps_low", "tempo", "rest")}
        flagged = {key for key, edit in widget.fields.items() if edit.property("invalid")}
        assert flagged == bad, (flagged, bad, fields)
        for key, label in messages.items():
            marked = key in bad or (key == "reps_low" and "reps_high" in bad)
            assert (label.property("role") == "error") == marked and label.text().strip()
        if bad:
            assert book.get(routine_id) == before
            assert widget.status_label.text().startswith("Check the highlighted fields")
            return
        kept.append(1)
        item = book.get(routine_id).items[index]
        assert (item.sets, item.rep_range, item.tempo, item.rest_seconds, item.per_side) == (
            values["sets"], (values["reps_low"], values["reps_high"]), values["tempo"],
            values["rest"], per_side)
        assert {key: edit.text() for key, edit in widget.fields.items()} == item_form_text(item)
        assert RoutineBook.from_dict(store.load("routines") or {}, LIBRARY).routines == (
            book.routines)

    example()
    assert len(runs) >= 500  # every example really ran (none filtered away)
    assert len(kept) >= 100, len(kept)


name_text = st.one_of(any_text, padded(st.text(min_size=1, max_size=45)),
                      st.sampled_from(["Leg day", "LEG DAY ", "a\u2028b", "x" * 41, "x" * 70]))


@pytest.mark.slow
def test_the_name_bar_keeps_a_name_exactly_or_says_why_not(
    qtbot, editor: tuple[RoutineEditor, RoutineBook, InMemoryDocumentStore]
) -> None:
    widget, book, store = editor
    routine_id = widget.routine_id

    runs: list[int] = []
    kept: list[int] = []  # examples that saved: the valid path must be exercised too

    @UI
    @given(name=name_text, enter=st.booleans(), keys=st.booleans())
    def example(name: str, enter: bool, keys: bool) -> None:
        runs.append(1)
        with qtbot.capture_exceptions() as caught:
            widget.select(routine_id)
            widget.rename_button.click()
            before = book.get(routine_id).name
            text = typed(qtbot, widget.name_edit, name, keys)
            if enter:
                qtbot.keyClick(widget.name_edit, Qt.Key.Key_Return)
            else:
                widget.name_ok_button.click()
        assert not caught, caught
        ok = model_name_ok(text) and text.strip().casefold() != "leg day"
        if not ok:
            assert book.get(routine_id).name == before
            assert widget.name_bar.isVisible() and widget.name_message.text().strip()
            assert not widget.name_message.isHidden()
            widget.name_cancel_button.click()
            return
        kept.append(1)
        assert book.get(routine_id).name == text.strip() == widget.title_label.text()
        assert not widget.name_bar.isVisible()
        stored = RoutineBook.from_dict(store.load("routines") or {}, LIBRARY)
        assert stored.get(routine_id).name == text.strip()

    example()
    assert len(runs) >= 500  # every example really ran (none filtered away)
    assert len(kept) >= 75, len(kept)


# --- the settings screen ---------------------------------------------------------------------

MACHINES = [("leg-press-45", "45° Leg Press"), ("leg-press", "Leg Press")]
NUMBER_KEYS = [s.key for s in DECLARATIONS if s.kind in (Kind.INT, Kind.NUMBER)] + [
    f"machines.sled_kg/{machine}" for machine, _ in MACHINES]
TEXT_KEYS = [s.key for s in DECLARATIONS if s.kind is Kind.TEXT]
number_text = padded(st.one_of(
    decimal_text(4, 3), near_numbers(8), any_text,
    st.sampled_from(["0", "-5", "1e3", "1e999999", "nan", "inf", "١٢", "15", "900", "901",
                     "100", "0.25", "50", "200", "441", "1e-9"])))


plausible_numbers = (st.integers(0, 900).map(str)
                     | st.integers(1, 2000).map(lambda n: f"{n / 100:g}".replace(".", ",")))


def typed_number(text: str) -> Decimal | None:
    """How the screen reads a typed number: a decimal (comma too) of sensible size, or None."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() and value.adjusted() <= 12 else None


def core_refusal(model: Settings, key: str, candidate: Any, unit: LoadUnit
                 ) -> SettingError | None:
    """Apply what the screen should have applied to `model`; the core's refusal, if any."""
    try:
        if "/" in key:
            model.set_sled_kg(key.split("/")[1], candidate, unit)
        else:
            model.set(key, candidate, unit)
    except SettingError as error:
        return error
    return None


@pytest.mark.slow
def test_the_settings_editors_apply_exactly_what_the_core_accepts_or_say_why(qtbot) -> None:
    current = Settings()
    view = shown(SettingsView(current, MACHINES), qtbot)
    announced: list[tuple[str, object]] = []
    view.changed.connect(lambda key, value: announced.append((key, value)))

    runs: list[int] = []
    kept: list[int] = []  # examples that saved: the valid path must be exercised too

    @UI
    @given(unit=st.sampled_from(LoadUnit), key=st.sampled_from(NUMBER_KEYS + TEXT_KEYS + [
        "plates.sizes_kg"]), text=st.one_of(number_text, any_text, plausible_numbers),
        step=st.sampled_from([0, 0, 0, -1, 1]),
        keys=st.booleans())
    def example(unit: LoadUnit, key: str, text: str, step: int, keys: bool) -> None:
        runs.append(1)
        announced.clear()
        with qtbot.capture_exceptions() as caught:
            if current.unit is not unit:
                view.editor("units.load").segmented.buttons[unit.value].click()
                announced.clear()
            row = view.row(key)
            model = Settings.from_dict(current.to_dict())  # the same settings, for the core
            if key == "plates.sizes_kg":
                editor = row.editor
                chosen = [size for size, chip in editor.chips.items() if chip.isChecked()]
                entered = typed(qtbot, editor.other, text, keys)
                editor.add_button.click()
            elif key in TEXT_KEYS:
                entered = typed(qtbot, row.editor.edit, text, keys)
                qtbot.keyClick(row.editor.edit, Qt.Key.Key_Return)
            else:
                field = row.editor.field
                shown_before = field.text()
                entered = typed(qtbot, field.edit, text, keys)
                if step:
                    (field.plus if step > 0 else field.minus).click()
                else:
                    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
            flush_deletes()
        assert not caught, caught

        message = row.message.text() if not row.message.isHidden() else ""
        setting = row.setting
        if key in TEXT_KEYS:
            candidate: Any = entered
        elif key == "plates.sizes_kg":
            size = typed_number(entered)
            if size is None:
                assert message and current.to_dict() == model.to_dict()
                return
            candidate = [float(s * KG_PER[unit]) for s in [*chosen, size]]
        else:
            if step or entered == shown_before:
                # A step or an unchanged field: the core must still agree with the screen.
                assert setting.check(current.get(setting)) == current.get(setting)
                return
            number = typed_number(entered)
            if number is None:
                assert message.startswith("Type a number") and current.to_dict() == (
                    model.to_dict())
                return
            candidate = (float(number * KG_PER[unit]) if setting.is_load
                         else float(number) / setting.display_scale)
        error = core_refusal(model, key, candidate, unit)
        if error is not None:
            assert message.casefold().endswith(error.reason.casefold()[-20:]), (message, error)
            assert current.to_dict() == model.to_dict() and announced == []
            return
        kept.append(1)
        assert message == ""
        assert current.to_dict() == model.to_dict()
        if key in NUMBER_KEYS:  # the field shows the value that now applies
            value = current.sled_kg(key.split("/")[1]) if "/" in key else current.get(setting)
            assert row.editor.field.text() == format_number(setting.shown(value, unit), 2)
        assert Settings.from_dict(json.loads(dumps_json(current.to_dict()))).to_dict() == (
            current.to_dict())

    example()
    assert len(runs) >= 500  # every example really ran (none filtered away)
    assert len(kept) >= 30, len(kept)
