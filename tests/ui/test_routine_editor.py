"""A lifter shapes routines: create, add, reorder, fix a typo, copy Leg day, start."""

from __future__ import annotations

import errno
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLineEdit, QListWidget, QPushButton

from legcoach.core.documents import InMemoryDocumentStore
from legcoach.core.routine import BUILTIN_ID, DOCUMENT, RoutineBook
from legcoach.ui.routine_editor import RoutineEditor


@pytest.fixture
def store() -> InMemoryDocumentStore:
    return InMemoryDocumentStore()


@pytest.fixture
def book(library, store) -> RoutineBook:
    return RoutineBook.open(store, library)


@pytest.fixture
def editor(qtbot, qapp, book, library) -> RoutineEditor:
    from legcoach.ui.theme import apply_theme

    apply_theme(qapp)
    widget = RoutineEditor(book, library)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click(qtbot, widget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.accessibleName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def tap_row(qtbot, rows: QListWidget, row: int) -> None:
    centre = rows.visualItemRect(rows.item(row)).center()
    qtbot.mouseClick(rows.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def type_into(qtbot, field: QLineEdit, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClicks(field, text)


def create_routine(qtbot, editor: RoutineEditor, name: str) -> None:
    click(qtbot, editor.new_button)
    assert editor.name_bar.isVisible() and editor.name_edit.hasFocus()
    qtbot.keyClicks(editor.name_edit, name)
    click(qtbot, editor.name_ok_button)


def titles(editor: RoutineEditor) -> list[str]:
    return editor.item_list.titles()


# --- the flows ------------------------------------------------------------------------------


def test_it_opens_on_leg_day(editor: RoutineEditor) -> None:
    assert editor.routine_list.titles() == ["Leg day"]
    assert editor.routine_list.details() == ["4 exercises · built in"]
    assert editor.title_label.text() == "Leg day" and editor.builtin_badge.isVisible()
    assert titles(editor) == ["1. 45° Leg Press", "2. Leg Press", "3. Single-Leg Press",
                              "4. Machine Hip Thrust"]
    assert editor.item_list.details()[0] == "4 × 8–15 · 3-1-1-0 · rest 2:30"
    assert editor.item_list.details()[2] == "2 × 8–12 · 3-1-2-0 · rest 1:30 · per leg"
    assert editor.form_title.text() == "45° Leg Press"
    assert not editor.save_button.isEnabled() and not editor.fields["sets"].isEnabled()
    assert "duplicate" in editor.form_notice.text()
    for control in (editor.up_button, editor.down_button, editor.remove_button,
                    editor.add_button):
        assert not control.isEnabled()


def test_create_a_routine_add_exercises_and_reorder_them(
    qtbot, editor: RoutineEditor, book: RoutineBook, store: InMemoryDocumentStore
) -> None:
    create_routine(qtbot, editor, "Heavy Monday")
    assert not editor.name_bar.isVisible()
    assert editor.routine_list.titles() == ["Leg day", "Heavy Monday"]
    assert editor.title_label.text() == "Heavy Monday" and not editor.builtin_badge.isVisible()
    assert titles(editor) == ["1. 45° Leg Press"]
    assert "Created “Heavy Monday”" in editor.status_label.text()

    for name in ("Leg Press", "Machine Hip Thrust"):
        click(qtbot, editor.add_button)
        assert editor.side.currentIndex() == 1
        click(qtbot, editor.chooser_buttons[
            next(e.id for e in editor.library if e.name == name)])
        assert editor.side.currentIndex() == 0
    assert titles(editor) == ["1. 45° Leg Press", "2. Leg Press", "3. Machine Hip Thrust"]
    assert editor.item_list.currentRow() == 2 and editor.form_title.text() == "Machine Hip Thrust"
    assert not editor.down_button.isEnabled()  # already last

    click(qtbot, editor.up_button)
    assert titles(editor) == ["1. 45° Leg Press", "2. Machine Hip Thrust", "3. Leg Press"]
    assert editor.item_list.currentRow() == 1  # the selection follows the moved exercise
    click(qtbot, editor.up_button)
    assert titles(editor) == ["1. Machine Hip Thrust", "2. 45° Leg Press", "3. Leg Press"]
    assert not editor.up_button.isEnabled() and editor.down_button.isEnabled()
    click(qtbot, editor.down_button)
    assert titles(editor)[:2] == ["1. 45° Leg Press", "2. Machine Hip Thrust"]
    assert editor.status_label.text() == "Moved Machine Hip Thrust to number 2."

    tap_row(qtbot, editor.item_list, 2)
    assert editor.form_title.text() == "Leg Press"
    click(qtbot, editor.remove_button)
    assert titles(editor) == ["1. 45° Leg Press", "2. Machine Hip Thrust"]
    assert editor.item_list.currentRow() == 1

    mine = book.routines[1]
    assert [i.exercise_id for i in mine.items] == ["leg-press-45", "hip-thrust-machine"]
    assert store.load(DOCUMENT) == book.to_dict()


def test_fix_bad_values_in_the_item_form(qtbot, editor: RoutineEditor, book: RoutineBook
                                         ) -> None:
    click(qtbot, editor.duplicate_button)
    routine_id = editor.routine_id
    tap_row(qtbot, editor.item_list, 1)
    before = book.get(routine_id)

    type_into(qtbot, editor.fields["sets"], "12")
    type_into(qtbot, editor.fields["reps_high"], "6")
    type_into(qtbot, editor.fields["tempo"], "3/1/2/0")
    click(qtbot, editor.save_button)
    assert book.get(routine_id) == before  # nothing invalid reaches the model
    assert editor.messages["sets"].text() == "Sets must be a whole number from 1 to 10."
    assert editor.messages["reps_low"].text() == (
        "The top of the rep range can't be below the bottom (10).")
    assert editor.messages["tempo"].text() == (
        "Separate the four parts with plain dashes '-' only, e.g. 3-1-2-0; this one uses '/'.")
    assert editor.messages["rest"].text() == "Seconds (90) or m:ss (1:30)"  # still a hint
    assert editor.fields["sets"].property("invalid") is True
    assert editor.fields["sets"].accessibleDescription().startswith("Sets must be")
    assert editor.status_label.text() == "Check the highlighted fields; nothing was saved yet."

    type_into(qtbot, editor.fields["sets"], "5")  # the message updates as the fix is typed
    assert editor.messages["sets"].text() == "1 to 10"
    assert editor.fields["sets"].property("invalid") is False
    type_into(qtbot, editor.fields["reps_high"], "12")
    type_into(qtbot, editor.fields["tempo"], "3-1-x-0")
    type_into(qtbot, editor.fields["rest"], "105")
    assert editor.messages["tempo"].property("role") == "hint"
    qtbot.keyClick(editor.fields["rest"], Qt.Key.Key_Return)  # Enter saves too

    saved = book.get(routine_id).items[1]
    assert (saved.sets, saved.rep_range, saved.tempo, saved.rest_seconds) == (
        5, (10, 12), "3-1-X-0", 105)
    assert editor.item_list.details()[1] == "5 × 10–12 · 3-1-X-0 · rest 1:45"
    assert editor.fields["rest"].text() == "1:45" and editor.fields["tempo"].text() == "3-1-X-0"
    assert editor.status_label.text() == "Saved Leg Press: 5 × 10–12 · 3-1-X-0 · rest 1:45."

    click(qtbot, editor.per_side_check)
    click(qtbot, editor.save_button)
    assert book.get(routine_id).items[1].per_side
    assert editor.item_list.details()[1].endswith("· per leg")


def test_duplicate_leg_day_to_change_it(qtbot, editor: RoutineEditor, book: RoutineBook
                                        ) -> None:
    click(qtbot, editor.duplicate_button)
    assert editor.routine_list.titles() == ["Leg day", "Leg day (copy)"]
    assert editor.routine_list.currentRow() == 1
    assert editor.title_label.text() == "Leg day (copy)" and not editor.builtin_badge.isVisible()
    assert editor.status_label.text() == "Made “Leg day (copy)”. This copy is yours to change."
    assert editor.save_button.isEnabled() and editor.add_button.isEnabled()
    assert not editor.form_notice.isVisible()
    assert book.get(editor.routine_id).items == book.builtin.items


def test_leg_day_cannot_be_deleted_or_renamed_and_says_why(
    qtbot, editor: RoutineEditor, book: RoutineBook
) -> None:
    reason = ("“Leg day” is built in, so it can't be changed or deleted. Duplicate it to make "
              "your own copy and edit that.")
    click(qtbot, editor.delete_button)
    assert not editor.confirm_bar.isVisible()
    assert editor.status_label.text() == reason
    assert editor.status_label.property("role") == "error"
    click(qtbot, editor.rename_button)
    assert not editor.name_bar.isVisible() and editor.status_label.text() == reason
    assert [r.id for r in book.routines] == [BUILTIN_ID]


def test_delete_asks_first_and_keep_it_keeps_it(qtbot, editor: RoutineEditor, book: RoutineBook
                                                ) -> None:
    create_routine(qtbot, editor, "Push")
    create_routine(qtbot, editor, "Pull")
    click(qtbot, editor.delete_button)
    assert editor.confirm_bar.isVisible() and editor.keep_button.hasFocus()
    assert editor.confirm_label.text() == "Delete “Pull”? This can't be undone."
    click(qtbot, editor.keep_button)
    assert not editor.confirm_bar.isVisible() and len(book.routines) == 3

    click(qtbot, editor.delete_button)
    click(qtbot, editor.confirm_button)
    assert editor.routine_list.titles() == ["Leg day", "Push"]
    assert editor.title_label.text() == "Push"  # the one above is shown next
    assert editor.status_label.text() == "Deleted “Pull”."


def test_rename_and_name_problems_show_next_to_the_name(
    qtbot, editor: RoutineEditor, book: RoutineBook
) -> None:
    create_routine(qtbot, editor, "leg day")
    assert editor.name_bar.isVisible()
    assert editor.name_message.text() == "There is already a routine called “Leg day”."
    type_into(qtbot, editor.name_edit, "Push")
    qtbot.keyClick(editor.name_edit, Qt.Key.Key_Return)
    assert editor.title_label.text() == "Push"

    click(qtbot, editor.rename_button)
    assert editor.name_edit.text() == "Push" and editor.name_ok_button.text() == "Rename"
    type_into(qtbot, editor.name_edit, "x" * 41)
    click(qtbot, editor.name_ok_button)
    assert editor.name_message.text() == "Keep the name to 40 characters; this one has 41."
    type_into(qtbot, editor.name_edit, "Push hard")
    click(qtbot, editor.name_ok_button)
    assert editor.routine_list.titles() == ["Leg day", "Push hard"]
    assert editor.status_label.text() == "Renamed “Push” to “Push hard”."


def test_start_this_routine(qtbot, editor: RoutineEditor) -> None:
    with qtbot.waitSignal(editor.start_requested, timeout=1000) as blocker:
        click(qtbot, editor.start_button)
    assert blocker.args == [BUILTIN_ID]
    click(qtbot, editor.duplicate_button)
    with qtbot.waitSignal(editor.start_requested, timeout=1000) as blocker:
        qtbot.keyClick(editor.start_button, Qt.Key.Key_Space)
    assert blocker.args == [editor.routine_id] and editor.routine_id != BUILTIN_ID


def test_the_keyboard_does_it_all(qtbot, editor: RoutineEditor, book: RoutineBook) -> None:
    click(qtbot, editor.duplicate_button)
    rows = editor.item_list
    rows.setFocus()
    qtbot.keyClick(rows, Qt.Key.Key_Down)
    assert editor.form_title.text() == "Leg Press"
    qtbot.keyClick(rows, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert titles(editor)[1:3] == ["2. Single-Leg Press", "3. Leg Press"]
    assert rows.currentRow() == 2
    qtbot.keyClick(rows, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(rows, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert titles(editor)[0] == "1. Leg Press" and rows.currentRow() == 0
    qtbot.keyClick(rows, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)  # at the top
    assert titles(editor)[0] == "1. Leg Press"

    click(qtbot, editor.add_button)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert editor.side.currentIndex() == 0
    click(qtbot, editor.new_button)
    qtbot.keyClick(editor.name_edit, Qt.Key.Key_Escape)
    assert not editor.name_bar.isVisible() and len(book.routines) == 2

    routines = editor.routine_list
    routines.setFocus()
    qtbot.keyClick(routines, Qt.Key.Key_Up)
    assert editor.title_label.text() == "Leg day"


def test_missing_exercises_are_flagged_and_block_the_start(
    qtbot, qapp, library, store: InMemoryDocumentStore
) -> None:
    store.save(DOCUMENT, {"v": 1, "routines": [{"id": "d" * 32, "name": "Old", "items": [
        {"exercise_id": "hack-squat", "sets": 3, "rep_range": [8, 12], "tempo": "3-1-2-0",
         "rest_seconds": 90, "per_side": False},
        {"exercise_id": "leg-press", "sets": 3, "rep_range": [8, 12], "tempo": "3-1-2-0",
         "rest_seconds": 90, "per_side": False}]}]})
    book = RoutineBook.open(store, library)
    editor = RoutineEditor(book, library)
    qtbot.addWidget(editor)
    editor.resize(1280, 800)
    editor.show()
    tap_row(qtbot, editor.routine_list, 1)
    assert editor.routine_list.details()[1] == "2 exercises · 1 missing"
    assert titles(editor)[0] == "1. hack-squat (missing)"
    assert not editor.start_button.isEnabled()
    assert editor.status_label.text().startswith("Can't start: hack-squat is not in the library")
    assert "missing" in editor.form_notice.text()
    click(qtbot, editor.remove_button)
    assert editor.start_button.isEnabled()
    assert editor.routine_list.details()[1] == "1 exercise"


def test_a_failed_save_is_reported_and_changes_nothing(
    qtbot, editor: RoutineEditor, book: RoutineBook, store: InMemoryDocumentStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    click(qtbot, editor.duplicate_button)

    def disk_full(name: str, data: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store, "save", disk_full)
    click(qtbot, editor.down_button)
    assert editor.status_label.text() == (
        "Couldn't save (No space left on device). Nothing was changed.")
    assert titles(editor)[0] == "1. 45° Leg Press"


def test_the_book_outlives_a_closed_editor(qtbot, book: RoutineBook, library) -> None:
    editor = RoutineEditor(book, library)
    editor.deleteLater()
    qtbot.waitUntil(lambda: not editor.isVisible())
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    book.create("After")  # would raise on a deleted widget if it were still subscribed
    assert len(book.routines) == 2


def test_every_control_is_finger_sized_and_named(qtbot, editor: RoutineEditor) -> None:
    click(qtbot, editor.duplicate_button)
    screens = [lambda: None, lambda: click(qtbot, editor.add_button),
               lambda: (editor._close_prompts(), click(qtbot, editor.new_button)),
               lambda: (editor._close_prompts(), click(qtbot, editor.delete_button))]
    for show in screens:
        show()
        controls = editor.findChildren(QPushButton) + editor.findChildren(QLineEdit) + (
            editor.findChildren(QCheckBox))
        shown = [c for c in controls if c.isVisible()]
        assert len(shown) >= 12
        for control in shown:
            name = control.accessibleName()
            assert name, control.text() if hasattr(control, "text") else control
            assert control.height() >= 64, name
            assert control.focusPolicy() != Qt.FocusPolicy.NoFocus, name
    for rows in (editor.routine_list, editor.item_list):
        assert rows.accessibleName()
        assert rows.visualItemRect(rows.item(0)).height() >= 64
        assert rows.item(0).data(Qt.ItemDataRole.AccessibleTextRole)
