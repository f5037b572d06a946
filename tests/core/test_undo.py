"""Undo/redo of set log changes, against the in-memory reference store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from legcoach.core.setlog import LoadUnit, SetRecord, replace_fields
from legcoach.core.setstore import InMemorySetStore, RecordNotFound
from legcoach.core.sides import Side
from legcoach.core.undo import SetLogEditor

T0 = datetime(2025, 6, 1, 10, tzinfo=UTC)


class Clock:
    """A wall clock that only moves when told to."""

    def __init__(self) -> None:
        self.now = T0 + timedelta(hours=1)

    def __call__(self) -> datetime:
        return self.now


def make(**overrides: Any) -> SetRecord:
    values: dict[str, Any] = {
        "exercise_id": "leg-press", "performed_at": T0, "unit": LoadUnit.KG,
        "entered_load": "100", "reps": 10, "created_at": T0, "updated_at": T0,
    }
    return SetRecord(**(values | overrides))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def editor(clock: Clock) -> SetLogEditor:
    return SetLogEditor(InMemorySetStore(), now=clock)


def test_nothing_to_undo_or_redo(editor: SetLogEditor) -> None:
    assert (editor.can_undo, editor.can_redo) == (False, False)
    assert editor.undo() is None
    assert editor.redo() is None


def test_undo_and_redo_a_logged_set(editor: SetLogEditor) -> None:
    logged = make()
    editor.add(logged)
    assert editor.undo() == "Undid: logged set 100 kg × 10"
    assert editor.store.count() == 0 and editor.can_redo and not editor.can_undo
    assert editor.redo() == "Redid: logged set 100 kg × 10"
    assert editor.store.get(logged.id) == logged


def test_undo_a_delete_brings_back_the_identical_set(editor: SetLogEditor) -> None:
    logged = make(side=Side.LEFT, entered_load="225", unit=LoadUnit.LB, note="felt good")
    editor.add(logged)
    assert editor.delete(logged.id) == logged
    assert editor.undo() == "Undid: deleted set 225 lb × 10 (left leg)"
    assert editor.store.get(logged.id) == logged
    assert editor.redo() == "Redid: deleted set 225 lb × 10 (left leg)"
    assert editor.store.get(logged.id) is None


def test_undo_an_edit_restores_values_with_a_newer_timestamp(
    editor: SetLogEditor, clock: Clock
) -> None:
    logged = make()
    editor.add(logged)
    edited = replace_fields(logged, now=T0 + timedelta(minutes=5), reps=12)
    assert editor.update(edited) == logged
    assert editor.undo() == "Undid: edited set 100 kg × 10 → 100 kg × 12"
    restored = editor.store.get(logged.id)
    assert restored is not None and restored.reps == 10
    # Restoring is an edit too: updated_at moves forward, so crash recovery keeps this copy.
    assert restored.updated_at == clock.now > edited.updated_at
    clock.now -= timedelta(days=1)  # even with the wall clock jumping back
    assert editor.redo() == "Redid: edited set 100 kg × 10 → 100 kg × 12"
    again = editor.store.get(logged.id)
    assert again is not None and again.reps == 12
    assert again.updated_at == restored.updated_at + timedelta(microseconds=1)


def test_a_new_change_clears_redo(editor: SetLogEditor) -> None:
    first, second = make(), make(reps=8)
    editor.add(first)
    editor.undo()
    editor.add(second)
    assert not editor.can_redo
    assert editor.redo() is None
    assert editor.undo() == "Undid: logged set 100 kg × 8"


def test_undo_walks_back_in_order(editor: SetLogEditor) -> None:
    first, second = make(reps=5), make(reps=6)
    editor.add(first)
    editor.add(second)
    editor.delete(first.id)
    assert [editor.undo(), editor.undo(), editor.undo(), editor.undo()] == [
        "Undid: deleted set 100 kg × 5",
        "Undid: logged set 100 kg × 6",
        "Undid: logged set 100 kg × 5",
        None,
    ]


def test_history_is_bounded() -> None:
    editor = SetLogEditor(InMemorySetStore(), limit=2)
    for reps in (1, 2, 3):
        editor.add(make(reps=reps))
    assert editor.undo() is not None and editor.undo() is not None
    assert editor.undo() is None and editor.store.count() == 1


def test_a_refused_undo_leaves_both_stacks_alone(editor: SetLogEditor) -> None:
    logged = make()
    editor.add(logged)
    editor.store.delete(logged.id)  # changed behind the editor's back
    with pytest.raises(RecordNotFound):
        editor.undo()
    assert editor.can_undo and not editor.can_redo


def test_editing_a_missing_set_records_nothing(editor: SetLogEditor) -> None:
    with pytest.raises(RecordNotFound):
        editor.update(make())
    with pytest.raises(RecordNotFound):
        editor.delete("0" * 32)
    assert not editor.can_undo
