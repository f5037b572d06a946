"""The workout in progress: every step of setup → set → log → rest → … → done, and storage."""

from __future__ import annotations

import dataclasses
import json
import math
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legcoach.core.routine import Routine, RoutineItem
from legcoach.core.session import (
    SCHEMA_VERSION,
    PendingSet,
    SessionError,
    Stage,
    WorkoutSession,
    start_session,
)
from legcoach.core.sides import Side

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
ROUTINE_ID = "0123456789abcdef0123456789abcdef"
PRESS = RoutineItem(exercise_id="leg-press-45", sets=3, rep_range=(8, 15), tempo="3-1-1-0",
                    rest_seconds=150)
SINGLE = RoutineItem(exercise_id="single-leg-press", sets=2, rep_range=(8, 12),
                     tempo="3-1-2-0", rest_seconds=90, per_side=True)
THRUST = RoutineItem(exercise_id="hip-thrust-machine", sets=1, rep_range=(8, 12),
                     tempo="3-0-1-2", rest_seconds=60)
ROUTINE = Routine(id=ROUTINE_ID, name="Leg day", items=(PRESS, SINGLE, THRUST))
TWO_LEGS = PendingSet(reps={Side.BOTH: 11}, tut_seconds=62.5, tempo="3-1-1-0")
ONE_LEG = PendingSet(reps={Side.LEFT: 10, Side.RIGHT: 9}, tut_seconds=101.0, tempo="3-1-2-0")
PROPERTY = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def session(**fields: Any) -> WorkoutSession:
    values: dict[str, Any] = {"routine_name": "Leg day", "items": (PRESS, SINGLE, THRUST),
                              "started_at": T0, "routine_id": ROUTINE_ID, "id": "s1"}
    return WorkoutSession(**(values | fields))


def at(item_index: int, set_number: int, stage: Stage = Stage.SET, **fields: Any
       ) -> WorkoutSession:
    return session(item_index=item_index, set_number=set_number, stage=stage, **fields)


def round_trip(value: WorkoutSession) -> WorkoutSession:
    """Through JSON text, like the document store on disk."""
    return WorkoutSession.from_dict(json.loads(json.dumps(value.to_dict(), allow_nan=False)))


# --- starting ------------------------------------------------------------------------------


def test_a_new_session_starts_at_the_setup_of_the_first_exercise() -> None:
    started = start_session(ROUTINE, datetime(2026, 11, 22, 10, 30,
                                              tzinfo=timezone(timedelta(hours=1))),
                            gym="  Fit Factory  ")
    assert (started.stage, started.item_index, started.set_number) == (Stage.SETUP, 0, 1)
    assert started.exercise_id == "leg-press-45"
    assert started.items == ROUTINE.items
    assert (started.routine_name, started.routine_id) == ("Leg day", ROUTINE_ID)
    assert started.started_at == T0 + timedelta(minutes=30) and started.started_at.tzinfo is UTC
    assert started.gym == "Fit Factory"
    assert started.logged == () and started.pending is None
    assert started.rest_ends_at is None and started.finished_at is None
    assert not started.is_done
    assert len(started.id) == 32
    assert start_session(ROUTINE, T0).id != started.id


def test_a_gym_name_is_cut_to_40_characters() -> None:
    assert start_session(ROUTINE, T0, gym="G" * 50).gym == "G" * 40
    assert session().with_gym("  Home gym ").gym == "Home gym"
    assert session().with_gym("x" * 41).gym == "x" * 40


@pytest.mark.parametrize(("fields", "message"), [
    ({"items": ()}, "at least one exercise"),
    ({"item_index": 3}, "Exercise number 4 is not in this session"),
    ({"item_index": -1}, "Exercise number 0 is not in this session"),
    ({"set_number": 0}, "Set 0 is not planned"),
    ({"item_index": 1, "set_number": 3}, "Set 3 is not planned"),  # the single-leg press has 2
])
def test_a_position_outside_the_routine_is_refused(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(SessionError, match=message):
        session(**fields)


# --- where we are --------------------------------------------------------------------------


def test_position_text_names_the_exercise_and_the_set() -> None:
    assert at(0, 2).position_text("45° Leg Press") == "45° Leg Press · set 2 of 3"
    assert at(2, 1).position_text("Machine Hip Thrust") == "Machine Hip Thrust · set 1 of 1"


@pytest.mark.parametrize(("item_index", "set_number", "after"), [
    (0, 1, (0, 2)),
    (0, 2, (0, 3)),
    (0, 3, (1, 1)),  # last set of an exercise → the next exercise's first
    (1, 2, (2, 1)),
    (2, 1, None),  # the last set of the last exercise
])
def test_next_position(item_index: int, set_number: int, after: tuple[int, int] | None) -> None:
    assert at(item_index, set_number).next_position() == after
    assert at(item_index, set_number).is_last_set == (after is None)


def test_a_one_exercise_one_set_session_has_nothing_after_its_set() -> None:
    only = session(items=(THRUST,))
    assert only.next_position() is None and only.is_last_set
    assert only.item is THRUST and only.exercise_id == "hip-thrust-machine"


# --- steps -----------------------------------------------------------------------------------


def test_setup_done_starts_the_set() -> None:
    started = session().begin_set()
    assert (started.stage, started.item_index, started.set_number) == (Stage.SET, 0, 1)


def test_a_set_that_ended_waits_in_the_log_with_what_the_timer_counted() -> None:
    ended = at(0, 1).set_ended(TWO_LEGS)
    assert ended.stage is Stage.LOG and ended.pending == TWO_LEGS
    assert (ended.item_index, ended.set_number) == (0, 1)


def test_logging_a_set_starts_the_rest_of_the_item() -> None:
    now = datetime(2026, 11, 22, 9, 10, tzinfo=UTC)
    rested = at(0, 1, Stage.LOG, pending=TWO_LEGS).logged_set(("a",), now, None)
    assert rested.stage is Stage.REST
    assert rested.rest_ends_at == now + timedelta(seconds=150)
    assert rested.logged == ("a",) and rested.pending is None
    assert (rested.item_index, rested.set_number) == (0, 1)  # moves on when the rest is over
    assert rested.finished_at is None


def test_a_rest_given_when_logging_overrides_the_item_and_is_stored_in_utc() -> None:
    now = datetime(2026, 11, 22, 10, 10, tzinfo=timezone(timedelta(hours=1)))
    rested = at(1, 1, Stage.LOG, pending=ONE_LEG).logged_set(("l", "r"), now, 45.5)
    assert rested.rest_ends_at == datetime(2026, 11, 22, 9, 10, 45, 500_000, tzinfo=UTC)
    assert rested.rest_ends_at.tzinfo is UTC
    assert rested.logged == ("l", "r")  # one id per leg


def test_logged_ids_accumulate_in_order() -> None:
    first = at(0, 1, Stage.LOG, logged=("a",)).logged_set(("b", "c"), T0, None)
    assert first.logged == ("a", "b", "c")


def test_logging_the_last_set_finishes_the_session() -> None:
    now = datetime(2026, 11, 22, 10, 2, tzinfo=UTC)
    done = at(2, 1, Stage.LOG, pending=TWO_LEGS, logged=("x",)).logged_set(("y",), now, 90)
    assert done.is_done and done.stage is Stage.DONE
    assert done.finished_at == now
    assert done.rest_ends_at is None and done.pending is None
    assert done.logged == ("x", "y")


def test_after_the_rest_the_same_exercise_goes_straight_to_the_next_set() -> None:
    resting = at(0, 1, Stage.REST, rest_ends_at=T0)
    nxt = resting.rest_over()
    assert (nxt.stage, nxt.item_index, nxt.set_number) == (Stage.SET, 0, 2)
    assert nxt.rest_ends_at is None


def test_after_the_rest_a_new_exercise_starts_with_its_setup() -> None:
    nxt = at(0, 3, Stage.REST, rest_ends_at=T0).rest_over()
    assert (nxt.stage, nxt.item_index, nxt.set_number) == (Stage.SETUP, 1, 1)
    assert nxt.rest_ends_at is None


def test_skipping_an_exercise_goes_to_the_setup_of_the_next() -> None:
    skipped = at(0, 2, Stage.SETUP).skip_exercise()
    assert (skipped.stage, skipped.item_index, skipped.set_number) == (Stage.SETUP, 1, 1)
    assert not skipped.is_done


def test_skipping_during_a_rest_forgets_the_rest() -> None:
    skipped = at(0, 1, Stage.REST, rest_ends_at=T0).skip_exercise()
    assert skipped.rest_ends_at is None and skipped.pending is None
    assert (skipped.item_index, skipped.set_number) == (1, 1)


def test_skipping_the_last_exercise_finishes_at_the_time_given() -> None:
    now = datetime(2026, 11, 22, 9, 40, tzinfo=UTC)
    done = at(2, 1, Stage.SETUP).skip_exercise(now)
    assert done.is_done and done.finished_at == now


def test_skipping_the_last_exercise_without_a_time_uses_the_current_time() -> None:
    before = datetime.now(UTC)
    done = at(2, 1, Stage.SETUP).skip_exercise()
    assert done.is_done and before <= done.finished_at <= datetime.now(UTC)


def test_a_discarded_set_is_done_again() -> None:
    again = at(1, 2, Stage.LOG, pending=ONE_LEG, logged=("a",)).discard_set()
    assert (again.stage, again.item_index, again.set_number) == (Stage.SET, 1, 2)
    assert again.pending is None and again.logged == ("a",)


@pytest.mark.parametrize("stage", [Stage.SETUP, Stage.SET, Stage.LOG, Stage.REST])
def test_finishing_early_goes_to_the_summary_from_any_step(stage: Stage) -> None:
    now = datetime(2026, 11, 22, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    extra: dict[str, Any] = {"pending": TWO_LEGS} if stage is Stage.LOG else {}
    if stage is Stage.REST:
        extra = {"rest_ends_at": T0}
    done = at(0, 2, stage, logged=("a",), **extra).finish_early(now)
    assert done.is_done
    assert done.finished_at == T0 and done.finished_at.tzinfo is UTC
    assert done.pending is None and done.rest_ends_at is None
    assert done.logged == ("a",) and (done.item_index, done.set_number) == (0, 2)


def test_finishing_early_without_a_time_uses_the_current_time() -> None:
    before = datetime.now(UTC)
    done = session().finish_early(None)
    assert before <= done.finished_at <= datetime.now(UTC)


def test_steps_never_change_the_session_they_start_from() -> None:
    original = at(0, 1, Stage.LOG, pending=TWO_LEGS)
    copy = dataclasses.replace(original)
    original.logged_set(("a",), T0, None)
    original.discard_set()
    original.finish_early(T0)
    assert original == copy
    with pytest.raises(dataclasses.FrozenInstanceError):
        original.stage = Stage.DONE  # type: ignore[misc]


def test_a_whole_routine_walks_every_set_in_order() -> None:
    now = T0
    current = start_session(ROUTINE, now)
    seen = []
    while not current.is_done:
        if current.stage is Stage.SETUP:
            current = current.begin_set()
        seen.append((current.exercise_id, current.set_number))
        assert current.stage is Stage.SET
        current = current.set_ended(TWO_LEGS)
        now += timedelta(minutes=2)
        current = current.logged_set((f"id{len(seen)}",), now, None)
        if current.stage is Stage.REST:
            current = current.rest_over()
    assert seen == [("leg-press-45", 1), ("leg-press-45", 2), ("leg-press-45", 3),
                    ("single-leg-press", 1), ("single-leg-press", 2),
                    ("hip-thrust-machine", 1)]
    assert current.finished_at == T0 + timedelta(minutes=12)
    assert current.logged == tuple(f"id{n}" for n in range(1, 7))


# --- storage ---------------------------------------------------------------------------------


def test_a_session_is_stored_as_this_document() -> None:
    resting = at(1, 2, Stage.LOG, pending=ONE_LEG, logged=("a", "b"), gym="Home")
    assert resting.to_dict() == {
        "v": SCHEMA_VERSION,
        "id": "s1",
        "routine_id": ROUTINE_ID,
        "routine_name": "Leg day",
        "items": [
            {"exercise_id": "leg-press-45", "sets": 3, "rep_range": [8, 15],
             "tempo": "3-1-1-0", "rest_seconds": 150, "per_side": False},
            {"exercise_id": "single-leg-press", "sets": 2, "rep_range": [8, 12],
             "tempo": "3-1-2-0", "rest_seconds": 90, "per_side": True},
            {"exercise_id": "hip-thrust-machine", "sets": 1, "rep_range": [8, 12],
             "tempo": "3-0-1-2", "rest_seconds": 60, "per_side": False},
        ],
        "started_at": "2026-11-22T09:00:00.000000Z",
        "gym": "Home",
        "item_index": 1,
        "set_number": 2,
        "stage": "log",
        "logged": ["a", "b"],
        "pending": {"reps": {"left": 10, "right": 9}, "tut_seconds": 101.0,
                    "tempo": "3-1-2-0"},
        "rest_ends_at": None,
        "finished_at": None,
    }


@pytest.mark.parametrize("value", [
    session(),
    at(0, 2, Stage.SET, gym="Fit Factory"),
    at(1, 1, Stage.LOG, pending=ONE_LEG, logged=("a", "b", "c")),
    at(0, 3, Stage.REST, rest_ends_at=T0 + timedelta(seconds=150, microseconds=7)),
    at(2, 1, Stage.DONE, finished_at=T0 + timedelta(hours=1), routine_id=None),
])
def test_a_stored_session_reads_back_exactly(value: WorkoutSession) -> None:
    assert round_trip(value) == value


def test_a_session_from_a_newer_legcoach_is_refused() -> None:
    data = session().to_dict() | {"v": SCHEMA_VERSION + 1}
    with pytest.raises(SessionError, match="newer legcoach"):
        WorkoutSession.from_dict(data)


@pytest.mark.parametrize("version", [None, "1", 1.0, True, [1]])
def test_a_session_without_a_valid_version_is_damaged_not_newer(version: object) -> None:
    data = session().to_dict()
    if version is None:
        del data["v"]
    else:
        data["v"] = version
    with pytest.raises(SessionError, match="damaged"):
        WorkoutSession.from_dict(data)


@pytest.mark.parametrize(("change", "why"), [
    ({"items": []}, "at least one exercise"),
    ({"item_index": 7}, "Exercise number 8"),
    ({"set_number": 4}, "Set 4 is not planned"),
    ({"stage": "warming-up"}, "damaged"),
    ({"started_at": "2026-11-22T09:00:00"}, "damaged"),  # no time zone
    ({"started_at": "0001-01-01T00:00:00+05:00"}, "damaged"),
    ({"item_index": "two"}, "damaged"),
    ({"item_index": float("inf")}, "damaged"),
    ({"routine_id": 12}, "damaged"),
    ({"pending": {"reps": 5, "tut_seconds": 1, "tempo": "3-1-1-0"}}, "damaged"),
    ({"pending": {"reps": {"middle": 5}, "tut_seconds": 1, "tempo": "3-1-1-0"}}, "damaged"),
    ({"pending": {"reps": {"both": 5}, "tut_seconds": float("nan"), "tempo": "x"}},
     "damaged"),
    ({"pending": ["reps"]}, "damaged"),
    ({"items": [{"exercise_id": "leg-press", "sets": 3}]}, "damaged"),
    ({"items": [{"exercise_id": "Leg Press!", "sets": 3, "rep_range": [8, 12],
                 "tempo": "3-1-2-0", "rest_seconds": 90, "per_side": False}]}, "damaged"),
    ({"items": 3}, "damaged"),
    ({"rest_ends_at": 1_700_000_000}, "damaged"),
])
def test_damaged_data_is_a_session_error(change: dict[str, Any], why: str) -> None:
    data = session().to_dict() | change
    with pytest.raises(SessionError, match=why):
        WorkoutSession.from_dict(data)


@pytest.mark.parametrize("key", ["id", "routine_name", "items", "started_at", "item_index",
                                 "set_number", "stage"])
def test_a_missing_required_field_is_a_session_error(key: str) -> None:
    data = session().to_dict()
    del data[key]
    with pytest.raises(SessionError, match="damaged"):
        WorkoutSession.from_dict(data)


def test_optional_fields_may_be_missing() -> None:
    data = session().to_dict()
    for key in ("routine_id", "gym", "logged", "pending", "rest_ends_at", "finished_at"):
        del data[key]
    back = WorkoutSession.from_dict(data)
    assert back == session(routine_id=None)


# --- properties ------------------------------------------------------------------------------


def check_consistent(value: WorkoutSession) -> None:
    """What every screen relies on, whatever steps led here."""
    assert 0 <= value.item_index < len(value.items)
    assert 1 <= value.set_number <= value.item.sets
    assert (value.stage is Stage.LOG) == (value.pending is not None)
    assert (value.stage is Stage.REST) == (value.rest_ends_at is not None)
    assert (value.stage is Stage.DONE) == (value.finished_at is not None)


items = st.builds(
    RoutineItem,
    exercise_id=st.sampled_from(["leg-press", "leg-press-45", "single-leg-press"]),
    sets=st.integers(1, 4),
    rep_range=st.just((8, 12)),
    tempo=st.just("3-1-2-0"),
    rest_seconds=st.integers(15, 900),
    per_side=st.booleans(),
)
pendings = st.builds(
    PendingSet,
    reps=st.dictionaries(st.sampled_from(list(Side)), st.integers(0, 100), max_size=2),
    tut_seconds=st.floats(0, 3600),
    tempo=st.sampled_from(["3-1-2-0", "2-0-1-0"]),
)
moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1),
                       timezones=st.just(UTC))


@PROPERTY
@given(st.lists(items, min_size=1, max_size=4), moments, st.data())
def test_any_valid_sequence_of_steps_stays_consistent_and_round_trips(
    plan: list[RoutineItem], start: datetime, data: st.DataObject
) -> None:
    routine = Routine(id=ROUTINE_ID, name="Random", items=tuple(plan))
    current = start_session(routine, start, gym=data.draw(st.text(max_size=50)))
    now = start
    logged: list[str] = []
    for _ in range(data.draw(st.integers(0, 40))):
        check_consistent(current)
        assert round_trip(current) == current
        assert current.logged == tuple(logged)
        if current.is_done:
            break
        now += timedelta(seconds=data.draw(st.integers(0, 600)))
        choices = {
            Stage.SETUP: ["begin_set", "skip_exercise", "finish_early", "with_gym"],
            Stage.SET: ["set_ended", "finish_early"],
            Stage.LOG: ["logged_set", "logged_set", "discard_set", "finish_early"],
            Stage.REST: ["rest_over", "rest_over", "skip_exercise", "finish_early"],
        }[current.stage]
        step = data.draw(st.sampled_from(choices))
        before = current
        if step == "begin_set":
            current = current.begin_set()
        elif step == "skip_exercise":
            current = current.skip_exercise(now)
        elif step == "finish_early":
            current = current.finish_early(now)
        elif step == "with_gym":
            current = current.with_gym(data.draw(st.text(max_size=50)))
        elif step == "set_ended":
            current = current.set_ended(data.draw(pendings))
        elif step == "discard_set":
            current = current.discard_set()
        elif step == "rest_over":
            current = current.rest_over()
        else:
            ids = tuple(data.draw(st.lists(st.text(min_size=1, max_size=8), min_size=1,
                                           max_size=2)))
            rest = data.draw(st.none() | st.floats(0, 900))
            current = current.logged_set(ids, now, rest)
            logged.extend(ids)
            if current.stage is Stage.REST:
                seconds = before.item.rest_seconds if rest is None else rest
                assert current.rest_ends_at == now + timedelta(seconds=seconds)
            else:
                assert before.is_last_set and current.finished_at == now
        if current.stage is Stage.DONE:
            assert current.finished_at == now
        assert current.id == before.id and current.items == before.items
        assert current.started_at == start
    check_consistent(current)
    assert round_trip(current) == current


scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=4,
)
VALID = at(1, 2, Stage.LOG, pending=ONE_LEG, logged=("a",)).to_dict()
item_junk = st.fixed_dictionaries({}, optional={
    "exercise_id": scalars | st.just("leg-press"),
    "sets": scalars | st.integers(1, 3),
    "rep_range": scalars | st.lists(scalars, max_size=3) | st.just([8, 12]),
    "tempo": scalars | st.just("3-1-2-0"),
    "rest_seconds": scalars | st.integers(15, 900),
    "per_side": scalars,
})
times = st.sampled_from(["2026-11-22T09:00:00Z", "0001-01-01T00:00:00+01:00",
                         "9999-12-31T23:59:59-01:00", "2026-11-22T09:00:00", "", "soon"])
JUNK = {  # per field: near misses of the real thing, and anything JSON can hold
    "v": st.sampled_from([1, 0, -1, 2, True, 1.0, "1", None]),
    "id": json_values,
    "routine_id": json_values,
    "routine_name": json_values,
    "items": st.lists(item_junk, max_size=2) | json_values,
    "started_at": times | json_values,
    "gym": json_values,
    "item_index": st.integers(-2, 4) | json_values,
    "set_number": st.integers(-1, 4) | json_values,
    "stage": st.sampled_from([*Stage, "warm-up"]) | json_values,
    "logged": json_values,
    "pending": st.fixed_dictionaries({}, optional={
        "reps": json_values | st.dictionaries(st.sampled_from(["both", "left", "up"]), scalars),
        "tut_seconds": scalars,
        "tempo": scalars,
    }) | json_values,
    "rest_ends_at": times | json_values,
    "finished_at": times | json_values,
}
damage = st.lists(st.sampled_from(sorted(JUNK)), max_size=3, unique=True).flatmap(
    lambda keys: st.fixed_dictionaries({key: JUNK[key] for key in keys}))


@settings(max_examples=300, deadline=None)
@given(damage, st.sets(st.sampled_from(sorted(JUNK)), max_size=2))
def test_junk_never_raises_anything_but_session_error(
    changes: dict[str, Any], removed: set[str]
) -> None:
    """Damaged documents (even ones json.loads reads as inf or nan) give a SessionError only;
    whatever is accepted can be saved again (strict JSON) and reads back the same."""
    data = VALID | changes
    for key in removed:
        data.pop(key, None)
    try:
        value = WorkoutSession.from_dict(data)
    except SessionError:
        return
    assert isinstance(value, WorkoutSession)
    assert round_trip(value) == value
    if value.pending is not None:
        assert math.isfinite(value.pending.tut_seconds)
