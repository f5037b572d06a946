"""The workspace the screens use: logging with record news, the coach, and the resumable workout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from legcoach.core.clock import FakeWallClock
from legcoach.core.documents import InMemoryDocumentStore
from legcoach.core.exercise import FootHeight
from legcoach.core.library import ExerciseLibrary, load_library
from legcoach.core.machine_memory import MachineSettings
from legcoach.core.progression import Action
from legcoach.core.records import RecordKind
from legcoach.core.session import PendingSet, start_session
from legcoach.core.setlog import LoadUnit, SetRecord, SetType, replace_fields
from legcoach.core.setstore import InMemorySetStore
from legcoach.core.sides import Side
from legcoach.core.undo import SetLogEditor
from legcoach.core.workspace import SESSION_DOC, Workspace
from legcoach.paths import builtin_exercises_dir

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
PRESS = "leg-press-45"
SINGLE = "single-leg-press"


@pytest.fixture(scope="module")
def library() -> ExerciseLibrary:
    return load_library(builtin_exercises_dir())


@pytest.fixture
def wall() -> FakeWallClock:
    return FakeWallClock(NOW)


@pytest.fixture
def documents() -> InMemoryDocumentStore:
    return InMemoryDocumentStore()


@pytest.fixture
def store() -> InMemorySetStore:
    return InMemorySetStore()


def open_workspace(library, documents, store, wall) -> Workspace:
    return Workspace(library=library, sets=SetLogEditor(store, now=wall), documents=documents,
                     now=wall)


@pytest.fixture
def workspace(library, documents, store, wall) -> Workspace:
    return open_workspace(library, documents, store, wall)


def a_set(load: float | str, reps: int, *, days_ago: float = 0, minute: int = 0,
          exercise: str = PRESS, session: str | None = None, **fields: Any) -> SetRecord:
    moment = NOW - timedelta(days=days_ago) + timedelta(minutes=minute)
    return SetRecord(exercise_id=exercise, session_id=session, performed_at=moment,
                     unit=LoadUnit.KG, entered_load=str(load), reps=reps, created_at=moment,
                     updated_at=moment, **fields)


def texts(events) -> list[str]:
    return [event.text for event in events]


def heaviest(workspace: Workspace, exercise: str = PRESS, side: Side = Side.BOTH) -> float | None:
    held = workspace.records_for(exercise).heaviest(exercise, side)
    return None if held is None else held.value


# --- logging ------------------------------------------------------------------------------------


def test_the_first_set_is_stored_and_announced_as_first(workspace, store) -> None:
    first = a_set(100, 10)
    events = workspace.log([first])
    assert texts(events) == ["First 45° leg press logged"]
    assert events[0].kind is RecordKind.FIRST and events[0].set_id == first.id
    assert store.query() == [first]


def test_a_heavier_set_is_announced_as_the_heaviest(workspace) -> None:
    workspace.log([a_set(100, 10)])
    heavier = a_set(110, 8, minute=3)
    events = workspace.log([heavier])
    assert "New heaviest 45° leg press: 110 kg (was 100 kg)" in texts(events)
    assert {e.set_id for e in events} == {heavier.id}
    assert workspace.log([a_set(105, 8, minute=6)]) == []  # nothing beaten


def test_both_legs_of_a_one_leg_set_are_stored_and_each_is_a_first(workspace, store) -> None:
    left = a_set(50, 10, exercise=SINGLE, side=Side.LEFT)
    right = a_set(50, 9, exercise=SINGLE, side=Side.RIGHT, minute=1)
    assert texts(workspace.log([left, right])) == [
        "First single-leg press (left leg) logged", "First single-leg press (right leg) logged"]
    assert store.count() == 2


def test_records_know_the_history_logged_before_this_run(library, documents, wall) -> None:
    store = InMemorySetStore([a_set(120, 10, days_ago=7)])
    workspace = open_workspace(library, documents, store, wall)
    assert workspace.log([a_set(110, 10)]) == []  # not "first", not heavier
    assert texts(workspace.log([a_set(125, 10, minute=3)]))[0] == (
        "New heaviest 45° leg press: 125 kg (was 120 kg)")


def test_warm_ups_are_stored_but_announce_nothing(workspace, store) -> None:
    assert workspace.log([a_set(60, 10, set_type=SetType.WARMUP)]) == []
    assert store.count() == 1


def test_records_follow_a_deleted_set_and_its_undo(workspace, store) -> None:
    workspace.log([a_set(100, 10)])
    heavy = a_set(110, 8, minute=3)
    workspace.log([heavy])
    assert heaviest(workspace) == 110

    assert workspace.delete(heavy.id) == heavy
    assert heaviest(workspace) == 100
    assert texts(workspace.log([a_set(105, 8, minute=6)]))[0] == (
        "New heaviest 45° leg press: 105 kg (was 100 kg)")

    assert workspace.undo() == "Undid: logged set 105 kg × 8"
    assert workspace.undo() == "Undid: deleted set 110 kg × 8"
    assert store.get(heavy.id) == heavy
    assert heaviest(workspace) == 110


def test_records_follow_an_edited_set(workspace, wall) -> None:
    workspace.log([a_set(100, 10)])
    heavy = a_set(110, 8, minute=3)
    workspace.log([heavy])
    wall.advance(60)
    typo_fixed = replace_fields(heavy, entered_load="90", now=wall())
    assert workspace.update(typo_fixed) == heavy
    assert heaviest(workspace) == 100
    wall.advance(60)
    assert workspace.undo() == "Undid: edited set 110 kg × 8 → 90 kg × 8"
    assert heaviest(workspace) == 110


def test_an_edit_that_moves_a_set_to_another_exercise_updates_both(workspace, wall) -> None:
    workspace.log([a_set(100, 10)])
    moved = a_set(140, 10, minute=3)
    workspace.log([moved])
    assert heaviest(workspace) == 140 and heaviest(workspace, "leg-press") is None
    wall.advance(60)
    workspace.update(replace_fields(moved, exercise_id="leg-press", now=wall()))
    assert heaviest(workspace) == 100
    assert heaviest(workspace, "leg-press") == 140


def test_undoing_a_logged_set_removes_it_from_the_records(workspace, store) -> None:
    workspace.log([a_set(100, 10)])
    workspace.log([a_set(110, 8, minute=3)])
    assert workspace.undo() == "Undid: logged set 110 kg × 8"
    assert store.count() == 1
    assert heaviest(workspace) == 100
    assert workspace.undo() == "Undid: logged set 100 kg × 10"
    assert workspace.undo() is None
    assert heaviest(workspace) is None
    assert texts(workspace.log([a_set(90, 10, minute=6)])) == ["First 45° leg press logged"]


def test_the_record_book_is_reused_until_the_log_changes(workspace) -> None:
    workspace.log([a_set(100, 10)])
    book = workspace.records_for(PRESS)
    workspace.log([a_set(102.5, 10, minute=3)])
    assert workspace.records_for(PRESS) is book
    workspace.undo()
    assert workspace.records_for(PRESS) is not book


# --- the coach ----------------------------------------------------------------------------------


def test_a_first_single_leg_press_starts_at_40_to_50_percent_of_the_45_press(
    workspace, library
) -> None:
    for minute in (0, 4, 8):
        workspace.log([a_set(120, 10, days_ago=3, minute=minute, session="monday")])
    (suggestion,) = workspace.suggestions(library[SINGLE])
    assert suggestion.action is Action.START and suggestion.side is Side.BOTH
    assert suggestion.load_kg == 50  # 40% of 120 kg is 48, up to the next 2.5 kg plate
    assert 0.4 * 120 <= suggestion.load_kg <= 0.5 * 120
    assert suggestion.reason == (
        "First single-leg press: 40–50% of your 45° leg press working load (120 kg) "
        "→ start at 50 kg")


def test_the_coach_only_looks_at_the_last_180_days(workspace, library) -> None:
    workspace.log([a_set(120, 10, days_ago=181)])
    (suggestion,) = workspace.suggestions(library[SINGLE])
    assert suggestion.load_kg is None and suggestion.action is Action.START
    (own,) = workspace.suggestions(library[PRESS])
    assert own.load_kg is None


def test_the_coach_adds_load_after_every_set_reached_the_top_of_the_range(
    workspace, library
) -> None:
    for minute in (0, 4, 8):
        workspace.log([a_set(100, 15, days_ago=4, minute=minute, session="last")])
    (suggestion,) = workspace.suggestions(library[PRESS])
    assert (suggestion.action, suggestion.load_kg, suggestion.target_reps) == (
        Action.INCREASE, 105, 8)


def test_the_names_are_the_librarys(workspace, library) -> None:
    names = workspace.exercise_names()
    assert names[PRESS] == "45° Leg Press" and names[SINGLE] == "Single-Leg Press"
    assert set(names) == {e.id for e in library}


# --- the workout in progress and the machine settings -------------------------------------------


def test_nothing_saved_means_nothing_to_resume(workspace) -> None:
    assert workspace.load_session() is None


def test_a_saved_workout_resumes_exactly(workspace, library, documents, store, wall) -> None:
    session = start_session(workspace.routines.builtin, NOW, gym="Home").begin_set()
    session = session.set_ended(PendingSet({Side.BOTH: 11}, 62.0, "3-1-1-0"))
    workspace.save_session(session)
    again = open_workspace(library, documents, store, wall)  # the app restarted
    assert again.load_session() == session


def test_a_workout_cleared_after_it_ended_is_not_resumed(workspace) -> None:
    workspace.save_session(start_session(workspace.routines.builtin, NOW))
    workspace.save_session(None)
    assert workspace.load_session() is None


def test_a_finished_workout_is_not_resumed(workspace) -> None:
    done = start_session(workspace.routines.builtin, NOW).finish_early(NOW)
    workspace.save_session(done)
    assert workspace.load_session() is None


@pytest.mark.parametrize("damage", [
    {"stage": "stretching"},
    {"items": []},
    {"item_index": 99},
    {"started_at": "last tuesday"},
    {"pending": {"reps": 12}},
    {"v": 2},  # a newer legcoach: not readable here
    {"v": None},
])
def test_a_damaged_workout_is_not_resumed(workspace, documents, damage) -> None:
    data = start_session(workspace.routines.builtin, NOW).to_dict() | damage
    documents.save(SESSION_DOC, data)
    assert workspace.load_session() is None
    # ... and it is kept aside, never silently overwritten by the next workout
    kept = [name for name in documents.names() if name.startswith(f"{SESSION_DOC}-unreadable")]
    assert len(kept) == 1
    assert documents.load(kept[0]) == data
    assert f"It was kept as “{kept[0]}”" in workspace.session_problems[0]


def test_machine_settings_are_kept_across_restarts(workspace, library, documents, store,
                                                   wall) -> None:
    workspace.machines.remember(MachineSettings(exercise_id=PRESS, gym="Home", seat="5",
                                                updated_at=NOW))
    workspace.machines.remember_feet(PRESS, "Home", FootHeight.HIGH, None, NOW)
    workspace.save_machines()
    again = open_workspace(library, documents, store, wall)
    assert again.machines.get(PRESS, "Home").summary() == "Seat 5 · Feet high"
