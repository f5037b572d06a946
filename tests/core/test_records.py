"""Personal records: what counts, what is announced, and that live adds match a full rebuild.

`logged` and `histories` are shared with the strength and progression tests.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legcoach.core.records import (
    RecordBook,
    RecordEvent,
    RecordKey,
    RecordKind,
    exercise_phrase,
    format_load,
    format_number,
    load_key,
    session_key,
)
from legcoach.core.setlog import LoadUnit, SetRecord, SetType, new_set_id
from legcoach.core.sides import Side

DAY0 = datetime(2025, 6, 2, 18, 0, tzinfo=UTC)  # a Monday evening
PRESS = "leg-press-45"
SINGLE = "single-leg-press"
NAMES = {PRESS: "45° Leg Press", SINGLE: "Single-Leg Press"}
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def logged(
    load: float | str, reps: int, *, day: int = 0, minute: int = 0, session: str | None = None,
    exercise: str = PRESS, **fields: Any,
) -> SetRecord:
    """A set on `day` days after DAY0, `minute` minutes into the evening, in kg by default."""
    moment = DAY0 + timedelta(days=day, minutes=minute)
    values: dict[str, Any] = {
        "exercise_id": exercise, "session_id": session, "performed_at": moment,
        "unit": LoadUnit.KG, "entered_load": str(load), "reps": reps,
        "created_at": moment, "updated_at": moment,
    }
    return SetRecord(**(values | fields))


def day_sets(loads_reps: list[tuple[float, int]], *, day: int, **fields: Any) -> list[SetRecord]:
    """One session's sets a few minutes apart, in the order given."""
    return [logged(load, reps, day=day, minute=3 * i, **fields)
            for i, (load, reps) in enumerate(loads_reps)]


def new_book(*records: SetRecord) -> tuple[RecordBook, list[list[RecordEvent]]]:
    """A book fed `records` one by one, with the events of each add."""
    book = RecordBook(names=NAMES)
    return book, [book.add(record) for record in records]


def kinds(events: list[RecordEvent]) -> list[RecordKind]:
    return [event.kind for event in events]


# --- a random history, shared with the progression tests -----------------------------------


@st.composite
def histories(
    draw: st.DrawFn, *, exercise: str = PRESS, sides: tuple[Side, ...] = (Side.BOTH,),
    max_sessions: int = 6,
) -> list[SetRecord]:
    """Sessions a day or more apart, each a few sets at loads on the 2.5 kg grid."""
    records: list[SetRecord] = []
    day = 0
    for index in range(draw(st.integers(1, max_sessions))):
        day += draw(st.integers(1, 5))
        session = draw(st.sampled_from([f"s{index}", None]))
        load = 2.5 * draw(st.integers(0, 80))
        for minute in range(draw(st.integers(1, 5))):
            effort = draw(st.sampled_from(["none", "rpe", "rir"]))
            rating: dict[str, Any] = {
                "none": {},
                "rpe": {"rpe": draw(st.sampled_from([6, 7, 7.5, 8, 8.5, 9, 9.5, 10]))},
                "rir": {"rir": draw(st.integers(0, 4))},
            }[effort]
            records.append(logged(
                load + 2.5 * draw(st.integers(-2, 2)) if load >= 5 else load,
                draw(st.integers(0, 20)), day=day, minute=minute, session=session,
                exercise=exercise, side=draw(st.sampled_from(sides)),
                set_type=draw(st.sampled_from(list(SetType))), **rating,
            ))
    return records


# --- helpers -------------------------------------------------------------------------------


def test_sets_group_by_session_id_else_by_utc_day() -> None:
    assert session_key(logged(100, 10, session="abc")) == ("session", "abc")
    late = logged(100, 10, day=0, minute=5 * 60 + 30)  # 23:30 UTC on day 0
    after_midnight = logged(100, 10, day=0, minute=6 * 60 + 30)  # 00:30 UTC on day 1
    assert session_key(late) == ("day", "2025-06-02")
    assert session_key(after_midnight) == ("day", "2025-06-03")
    local = dataclasses.replace(late, performed_at=datetime(2025, 6, 3, 1, 0,
                                                            tzinfo=timezone(timedelta(hours=2))))
    assert session_key(local) == ("day", "2025-06-02")  # 01:00 at +02:00 is 23:00 UTC


def test_a_session_id_that_looks_like_a_date_is_not_a_day() -> None:
    assert session_key(logged(100, 10, session="2025-06-02")) != session_key(logged(100, 10))


@pytest.mark.parametrize(("load", "key"), [
    (100, 100.0), (100.2, 100.0), (100.25, 100.5), (100.74, 100.5), (99.790321, 100.0), (0, 0.0),
])
def test_rep_records_bucket_loads_to_half_kilos(load: float, key: float) -> None:
    assert load_key(load) == key


@pytest.mark.parametrize(("value", "places", "text"), [
    (4200, 2, "4,200"), (102.5, 2, "102.5"), (101.25, 2, "101.25"), (186.666, 1, "186.7"),
    (0, 2, "0"), (160.0, 2, "160"), (0.005, 2, "0.01"),
])
def test_numbers_read_without_trailing_zeros(value: float, places: int, text: str) -> None:
    assert format_number(value, places) == text


def test_loads_read_in_the_lifters_unit() -> None:
    assert format_load(160) == "160 kg"
    assert format_load(100, LoadUnit.LB) == "220.46 lb"


@pytest.mark.parametrize(("name", "side", "text"), [
    ("45° Leg Press", Side.BOTH, "45° leg press"),
    ("Single-Leg Press", Side.LEFT, "single-leg press (left leg)"),
    ("ATG Leg Press", Side.BOTH, "ATG leg press"),
])
def test_exercise_names_read_mid_sentence(name: str, side: Side, text: str) -> None:
    assert exercise_phrase(name, side) == text


# --- first set and warm-ups -------------------------------------------------------------------


def test_the_first_set_is_announced_as_first_not_as_records() -> None:
    book, [events] = new_book(logged(150, 10, session="s1"))
    assert events == [RecordEvent(
        kind=RecordKind.FIRST, exercise_id=PRESS, side=Side.BOTH, value=150.0, previous=None,
        set_id=events[0].set_id, exercise_name="45° Leg Press", first=True,
    )]
    assert events[0].text == "First 45° leg press logged"
    # ...but it is the baseline of every record.
    assert book.heaviest(PRESS).value == 150
    assert book.best_e1rm(PRESS).value == 200  # 150 × (1 + 10/30)
    assert book.most_reps(PRESS, 150).value == 10
    assert book.best_session_volume(PRESS).value == 1500


def test_warm_ups_never_count() -> None:
    book, events = new_book(
        logged(200, 10, set_type=SetType.WARMUP),
        logged(100, 10, minute=5),
        logged(250, 12, minute=10, set_type=SetType.WARMUP),
    )
    assert events[0] == [] and events[2] == []
    assert kinds(events[1]) == [RecordKind.FIRST]
    assert book.heaviest(PRESS).value == 100 and book.best_session_volume(PRESS).value == 1000


def test_a_set_with_no_completed_rep_counts_for_nothing() -> None:
    book, events = new_book(logged(100, 10), logged(180, 0, minute=5))
    assert events[1] == [] and book.heaviest(PRESS).value == 100


@pytest.mark.parametrize("set_type", [SetType.WORKING, SetType.FAILURE, SetType.DROP])
def test_working_failure_and_drop_sets_count(set_type: SetType) -> None:
    _, events = new_book(logged(100, 10), logged(110, 10, minute=5, set_type=set_type))
    assert RecordKind.HEAVIEST in kinds(events[1])


# --- each record ---------------------------------------------------------------------------


def test_a_heavier_set_is_announced_with_the_old_record() -> None:
    book, events = new_book(logged(150, 8, session="a"), logged(160, 5, day=3, session="b"))
    heaviest = [e for e in events[1] if e.kind is RecordKind.HEAVIEST]
    assert [(e.value, e.previous) for e in heaviest] == [(160.0, 150.0)]
    assert heaviest[0].text == "New heaviest 45° leg press: 160 kg (was 150 kg)"
    assert heaviest[0].first is False
    assert book.heaviest(PRESS).set_id == heaviest[0].set_id


def test_matching_a_record_is_not_a_record() -> None:
    book, events = new_book(logged(150, 10, session="a"), logged(150, 10, day=2, session="b"))
    assert events[1] == []
    holder = events[0][0].set_id  # the first holder keeps every record
    assert {record.set_id for record in book.records().values()} == {holder}


def test_best_e1rm_needs_a_higher_estimate() -> None:
    book, events = new_book(
        logged(100, 10, session="a"),              # 133.333 kg
        logged(110, 8, day=3, session="b"),        # 139.333 kg: new best
        logged(90, 12, day=6, session="c"),        # 126 kg: no
    )
    e1rm = [e for e in events[1] if e.kind is RecordKind.E1RM]
    assert [(e.value, e.previous) for e in e1rm] == [(139.333, 133.333)]
    assert e1rm[0].text == "New best estimated 1RM for 45° leg press: 139.3 kg (was 133.3 kg)"
    assert not [e for e in events[2] if e.kind is RecordKind.E1RM]
    assert book.best_e1rm(PRESS).value == 139.333


def test_an_equal_estimate_from_other_numbers_is_not_a_record() -> None:
    # 150 × 36/30 = 180 = 135 × 40/30
    _, events = new_book(logged(150, 6, session="a"), logged(135, 10, day=3, session="b"))
    assert RecordKind.E1RM not in kinds(events[1])


def test_estimates_above_twelve_reps_are_not_trusted_for_records() -> None:
    book, events = new_book(logged(100, 10, session="a"), logged(100, 20, day=3, session="b"))
    assert RecordKind.E1RM not in kinds(events[1])  # Epley would say 166.7 kg
    assert book.best_e1rm(PRESS).value == 133.333


def test_the_first_reliable_estimate_is_a_silent_baseline() -> None:
    book, events = new_book(logged(100, 15, session="a"), logged(100, 12, day=3, session="b"))
    assert book.best_e1rm(PRESS).value == 140 and RecordKind.E1RM not in kinds(events[1])


def test_rep_records_are_per_load() -> None:
    book, events = new_book(
        logged(100, 10, session="a"),
        logged(220, 11, unit=LoadUnit.LB, day=3, session="b"),  # 99.79 kg: the 100 kg bucket
        logged(105, 6, day=6, session="c"),  # a new load: silent baseline
    )
    reps = [e for e in events[1] if e.kind is RecordKind.REPS]
    assert [(e.value, e.previous, e.load_kg) for e in reps] == [(11, 10, 100.0)]
    assert reps[0].text == "New rep record for 45° leg press: 11 reps at 100 kg (was 10)"
    assert events[2] == [RecordEvent(
        kind=RecordKind.HEAVIEST, exercise_id=PRESS, side=Side.BOTH, value=105.0, previous=100.0,
        set_id=events[2][0].set_id, exercise_name="45° Leg Press",
    )]
    assert book.most_reps(PRESS, 105).value == 6 and book.most_reps(PRESS, 100.2).value == 11
    assert book.most_reps(PRESS, 110) is None


def test_session_volume_is_announced_once_when_a_session_takes_the_lead() -> None:
    first = day_sets([(100, 10)] * 3, day=0, session="a")  # 3,000 kg
    second = day_sets([(100, 10)] * 5, day=3, session="b")  # 1,000 … 5,000 kg
    book, events = new_book(*first, *second)
    volume = [(i, e) for i, batch in enumerate(events) for e in batch
              if e.kind is RecordKind.SESSION_VOLUME]
    # 3,000 kg after the third set only equals the record; the fourth set beats it.
    assert [(i, e.value, e.previous) for i, e in volume] == [(6, 4000.0, 3000.0)]
    assert volume[0][1].text == "New best session volume for 45° leg press: 4,000 kg (was 3,000 kg)"
    assert book.best_session_volume(PRESS).value == 5000
    assert book.best_session_volume(PRESS).session == ("session", "b")


def test_sets_without_a_session_add_up_by_utc_day() -> None:
    book, _ = new_book(logged(100, 10, minute=0), logged(100, 10, minute=30),
                       logged(100, 10, day=1))
    assert book.best_session_volume(PRESS).value == 2000


def test_volumes_add_up_exactly() -> None:
    sets = [logged("0.1", 1, minute=i) for i in range(3)]  # 0.1 + 0.1 + 0.1 in floats is 0.3…04
    book, _ = new_book(*sets)
    assert book.best_session_volume(PRESS).value == 0.3


# --- one-sided exercises ------------------------------------------------------------------------


def test_each_leg_has_its_own_records() -> None:
    left = logged(60, 10, exercise=SINGLE, side=Side.LEFT, session="a")
    right = logged(55, 10, exercise=SINGLE, side=Side.RIGHT, session="a", minute=2)
    right_heavier = logged(57.5, 10, exercise=SINGLE, side=Side.RIGHT, session="a", minute=4)
    book, events = new_book(left, right, right_heavier)
    assert [e.text for e in events[0] + events[1]] == [
        "First single-leg press (left leg) logged", "First single-leg press (right leg) logged",
    ]
    assert [e.text for e in events[2] if e.kind is RecordKind.HEAVIEST] == [
        "New heaviest single-leg press (right leg): 57.5 kg (was 55 kg)",
    ]
    assert book.heaviest(SINGLE, Side.LEFT).value == 60
    assert book.heaviest(SINGLE, Side.RIGHT).value == 57.5
    assert book.heaviest(SINGLE) is None  # no two-leg sets of it
    assert book.best_session_volume(SINGLE, Side.RIGHT).value == 1125


# --- housekeeping ---------------------------------------------------------------------------


def test_adding_the_same_set_twice_is_refused() -> None:
    record = logged(100, 10)
    book, _ = new_book(record)
    with pytest.raises(ValueError, match="rebuild"):
        book.add(record)


def test_rebuild_after_a_delete_restores_the_old_records() -> None:
    keep = [logged(100, 10, session="a"), logged(110, 10, day=2, session="b")]
    mistake = logged(500, 10, day=3, session="c")
    book, _ = new_book(*keep, mistake)
    assert book.heaviest(PRESS).value == 500
    book.rebuild(keep)
    assert book.heaviest(PRESS).value == 110
    assert book.records() == RecordBook.from_history(keep).records()


def test_from_history_replays_in_time_order() -> None:
    sets = [logged(100, 10, day=0), logged(120, 8, day=2), logged(110, 12, day=4)]
    live, _ = new_book(*sets)
    assert RecordBook.from_history(reversed(sets), NAMES).records() == live.records()


def test_records_lists_every_kind() -> None:
    book, _ = new_book(logged(100, 10, session="a"), logged(105, 8, day=1, session="b"))
    assert set(book.records()) == {
        RecordKey(PRESS, Side.BOTH, RecordKind.HEAVIEST),
        RecordKey(PRESS, Side.BOTH, RecordKind.E1RM),
        RecordKey(PRESS, Side.BOTH, RecordKind.REPS, 100.0),
        RecordKey(PRESS, Side.BOTH, RecordKind.REPS, 105.0),
        RecordKey(PRESS, Side.BOTH, RecordKind.SESSION_VOLUME),
    }


def test_announcements_read_in_pounds_and_fall_back_to_the_id() -> None:
    book = RecordBook()
    book.add(logged(100, 10))
    [event] = book.add(logged(110, 5, day=2))
    assert event.describe(LoadUnit.LB) == "New heaviest leg-press-45: 242.51 lb (was 220.46 lb)"


# --- properties -----------------------------------------------------------------------------

ANY_HISTORY = histories(exercise=SINGLE, sides=tuple(Side), max_sessions=5)


@PROPERTY
@given(ANY_HISTORY, st.randoms())
def test_adding_live_gives_the_same_records_as_from_history(
    history: list[SetRecord], rng: Any
) -> None:
    live, _ = new_book(*history)  # the strategy yields sets in time order
    shuffled = list(history)
    rng.shuffle(shuffled)
    assert RecordBook.from_history(shuffled, NAMES).records() == live.records()
    # Out of order, who holds a tie may differ, but every value is the same.
    out_of_order, _ = new_book(*shuffled)
    values = {key: record.value for key, record in out_of_order.records().items()}
    assert values == {key: record.value for key, record in live.records().items()}


@PROPERTY
@given(ANY_HISTORY)
def test_every_record_beats_the_previous_one_strictly(history: list[SetRecord]) -> None:
    _, batches = new_book(*history)
    events = [event for batch in batches for event in batch]
    for event in events:
        assert event.first == (event.kind is RecordKind.FIRST)
        assert event.first or (event.previous is not None and event.value > event.previous)
    firsts = [(e.exercise_id, e.side) for e in events if e.first]
    assert len(firsts) == len(set(firsts))


@PROPERTY
@given(ANY_HISTORY, st.data())
def test_repeating_a_set_in_a_new_session_breaks_nothing(
    history: list[SetRecord], data: st.DataObject
) -> None:
    book, _ = new_book(*history)
    original = data.draw(st.sampled_from(history))
    later = history[-1].performed_at + timedelta(days=1)
    copy = dataclasses.replace(original, id=new_set_id(), session_id="repeat",
                               performed_at=later, created_at=later, updated_at=later)
    assert book.add(copy) == []
