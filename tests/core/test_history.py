"""The history as sessions: grouping, totals, record stars, search by exercise and local dates."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legcoach.core.demo import iter_demo_history
from legcoach.core.history import (
    PRESETS,
    RECORD_KINDS,
    SessionRow,
    group_sessions,
    local_day,
    local_range,
    preset_range,
    record_holders,
    search,
)
from legcoach.core.records import RecordBook, RecordKind
from legcoach.core.setlog import SetRecord, SetType
from legcoach.core.sides import Side
from tests.core.test_records import DAY0, NAMES, PRESS, PROPERTY, SINGLE, histories, logged

PLUS_10 = timezone(timedelta(hours=10))
MINUS_5 = timezone(timedelta(hours=-5))


def stars(rows: list[SessionRow]) -> dict[object, list[tuple[str, RecordKind]]]:
    return {row.key: [(e.set_id, e.kind) for e in row.records] for row in rows}


def three_kinds() -> list[SetRecord]:
    """Monday's workout (two exercises), Tuesday's sets logged without one, Thursday's workout."""
    return [
        logged(100, 10, minute=0, session="mon", set_type=SetType.WARMUP),
        logged(120, 10, minute=4, session="mon"),
        logged(60, 12, minute=9, session="mon", exercise=SINGLE, side=Side.LEFT),
        logged(60, 12, minute=11, session="mon", exercise=SINGLE, side=Side.RIGHT),
        logged(125, 8, minute=15, session="mon"),
        logged(110, 10, day=1, minute=0),
        logged(112.5, 10, day=1, minute=50),
        logged(130, 6, day=3, minute=0, session="thu"),
    ]


# --- grouping ------------------------------------------------------------------------------


def test_sets_group_into_sessions_newest_first() -> None:
    rows = group_sessions(three_kinds(), NAMES, {"mon": "Leg day"})
    assert [row.key for row in rows] == [
        ("session", "thu"), ("day", "2025-06-03"), ("session", "mon")]
    monday = rows[2]
    assert monday.routine == "Leg day" and rows[0].routine is None and rows[1].routine is None
    assert monday.exercises == ("45° Leg Press", "Single-Leg Press")
    assert monday.exercise_ids == (PRESS, SINGLE)
    assert [r.performed_at for r in monday.sets] == sorted(r.performed_at for r in monday.sets)
    assert len(monday.sets) == 5  # warm-up included: the drill-down lists every set
    assert monday.session_id == "mon" and rows[1].session_id is None


def test_durations_run_from_first_to_last_set() -> None:
    thursday, tuesday, monday = group_sessions(three_kinds(), NAMES)
    assert monday.started_at == DAY0 and monday.ended_at == DAY0 + timedelta(minutes=15)
    assert monday.duration == timedelta(minutes=15) and monday.duration_text == "15 min"
    assert tuesday.duration == timedelta(minutes=50)
    assert thursday.duration == timedelta(0)  # a single set
    long = group_sessions([logged(100, 5, minute=0), logged(100, 5, minute=65)], NAMES)[0]
    assert long.duration_text == "1 h 05 min"  # the workout summary's wording


def test_volume_leaves_out_warm_ups() -> None:
    monday = group_sessions(three_kinds(), NAMES)[2]
    assert monday.volume_kg == 120 * 10 + 60 * 12 * 2 + 125 * 8  # not the 100 × 10 warm-up


def test_session_less_sets_group_by_utc_day_not_by_local_day() -> None:
    late = datetime(2025, 6, 2, 23, 30, tzinfo=UTC)
    records = [
        logged(100, 5, performed_at=late, created_at=late, updated_at=late),
        logged(100, 5, performed_at=late + timedelta(hours=1), created_at=late,
               updated_at=late),
    ]
    assert [row.key for row in group_sessions(records, NAMES)] == [
        ("day", "2025-06-03"), ("day", "2025-06-02")]
    # The same two sets inside one workout stay one session across midnight.
    together = [logged(r.load_kg, r.reps, session="s", performed_at=r.performed_at,
                       created_at=late, updated_at=late) for r in records]
    [row] = group_sessions(together, NAMES)
    assert row.duration == timedelta(hours=1)


def test_sets_out_of_time_order_are_refused() -> None:
    first, second = logged(100, 5, minute=0), logged(100, 5, minute=1)
    with pytest.raises(ValueError, match="time order"):
        group_sessions([second, first], NAMES)
    assert group_sessions([], NAMES) == []


def test_unknown_exercises_show_their_id() -> None:
    [row] = group_sessions([logged(50, 5, exercise="my-press")], NAMES)
    assert row.exercises == ("my-press",)


# --- records ---------------------------------------------------------------------------------


def test_heaviest_and_e1rm_records_star_the_set_that_set_them() -> None:
    records = [
        logged(100, 10, day=0, session="a"),  # first ever: a baseline, not a record
        logged(100, 10, day=2, session="b"),  # equal is not new
        logged(100, 15, day=4, session="c"),  # more reps, but 15-rep e1RMs are not trusted
        logged(105, 8, day=6, session="d"),  # heavier, and a better e1RM (133 vs 133.3: no)
        logged(100, 12, day=8, session="e"),  # best e1RM (140) at a lighter load
        logged(80, 20, day=10, session="f", set_type=SetType.WARMUP),
    ]
    rows = {row.key[1]: row for row in group_sessions(records, NAMES)}
    assert [e.kind for e in rows["d"].records] == [RecordKind.HEAVIEST]
    assert [e.kind for e in rows["e"].records] == [RecordKind.E1RM]
    assert rows["e"].record_set_ids == {records[4].id}
    assert all(not rows[key].records for key in "abcf")
    assert rows["d"].records[0].text == "New heaviest 45° leg press: 105 kg (was 100 kg)"


def test_records_are_kept_per_side() -> None:
    records = [
        logged(40, 10, day=0, session="a", exercise=SINGLE, side=Side.LEFT),
        logged(45, 10, day=0, minute=1, session="a", exercise=SINGLE, side=Side.RIGHT),
        logged(42.5, 10, day=3, session="b", exercise=SINGLE, side=Side.LEFT),
        logged(42.5, 10, day=3, minute=1, session="b", exercise=SINGLE, side=Side.RIGHT),
    ]
    newest = group_sessions(records, NAMES)[0]
    assert newest.record_set_ids == {records[2].id}  # the left beat its own 40, not the right's


@settings(PROPERTY, max_examples=100)
@given(records=histories(sides=(Side.BOTH, Side.LEFT)), cut=st.integers(0, 40))
def test_a_range_with_the_book_of_what_came_before_stars_like_the_whole_log(
    records: list[SetRecord], cut: int
) -> None:
    """What the History screen relies on when it reads only a date range."""
    boundary = DAY0 + timedelta(days=cut)  # sessions are a day or more apart: none is split
    before = [r for r in records if r.performed_at < boundary]
    after = [r for r in records if r.performed_at >= boundary]
    whole = group_sessions(records, NAMES)
    part = group_sessions(after, NAMES, book=RecordBook.from_history(before, names=NAMES))
    assert stars(part) == {k: v for k, v in stars(whole).items() if k in stars(part)}
    assert all(e.kind in RECORD_KINDS for row in whole for e in row.records)
    # The handful of record holders stands in for the whole past.
    holders = record_holders(before, NAMES)
    compact = group_sessions(after, NAMES, book=RecordBook.from_history(holders, names=NAMES))
    assert stars(compact) == stars(part)
    assert len(holders) <= 2 * len({(r.exercise_id, r.side) for r in before})


def test_record_holders_are_the_heaviest_and_best_e1rm_sets() -> None:
    records = [
        logged(100, 12, day=0),  # best e1RM: 140
        logged(110, 3, day=1),  # heaviest (e1RM 121)
        logged(90, 10, day=2),  # neither
        logged(120, 5, day=3, set_type=SetType.WARMUP),  # warm-ups hold nothing
        logged(40, 10, day=3, exercise=SINGLE, side=Side.LEFT),  # both, on its own track
    ]
    assert record_holders(records, NAMES) == (records[0], records[1], records[4])
    assert record_holders([]) == ()


# --- search ----------------------------------------------------------------------------------


def test_search_by_exercise_keeps_whole_sessions_newest_first() -> None:
    rows = group_sessions(three_kinds(), NAMES)
    found = search(rows, exercise_id=SINGLE)
    assert [row.key for row in found] == [("session", "mon")]
    assert len(found[0].sets) == 5  # the press sets of that workout still show
    assert search(rows) == rows
    assert search(rows, exercise_id="hack-squat") == []


def test_search_by_local_days_with_a_pinned_offset() -> None:
    # Monday 18:00 UTC is Tuesday 04:00 at +10 and Monday 13:00 at −5.
    rows = group_sessions(three_kinds(), NAMES)
    monday, tuesday, wednesday = date(2025, 6, 2), date(2025, 6, 3), date(2025, 6, 4)
    assert [r.key[1] for r in search(rows, first=monday, last=monday, tz=MINUS_5)] == ["mon"]
    assert search(rows, first=monday, last=monday, tz=PLUS_10) == []
    assert [r.key[1] for r in search(rows, first=tuesday, last=tuesday, tz=PLUS_10)] == ["mon"]
    # Tuesday's sets (18:00 UTC) are Wednesday 04:00 at +10.
    assert [r.key[1] for r in search(rows, first=wednesday, tz=PLUS_10)] == [
        "thu", "2025-06-03"]
    assert [r.key[1] for r in search(rows, last=tuesday, tz=UTC)] == ["2025-06-03", "mon"]


def test_local_range_is_half_open_in_utc() -> None:
    start, end = local_range(date(2025, 6, 2), date(2025, 6, 3), PLUS_10)
    assert start == datetime(2025, 6, 1, 14, 0, tzinfo=UTC)
    assert end == datetime(2025, 6, 3, 14, 0, tzinfo=UTC)  # the end of the 3rd, local
    assert local_range(None, None) == (None, None)
    start, end = local_range(date(2025, 6, 2), None, UTC)
    assert start == datetime(2025, 6, 2, tzinfo=UTC) and end is None


def test_local_range_without_a_zone_uses_this_computers() -> None:
    start, _ = local_range(date(2025, 6, 2), None)
    assert start is not None and start.tzinfo is UTC
    assert start.astimezone().replace(tzinfo=None) == datetime(2025, 6, 2)


def test_local_day() -> None:
    moment = datetime(2025, 6, 2, 18, 0, tzinfo=UTC)
    assert local_day(moment, PLUS_10) == date(2025, 6, 3)
    assert local_day(moment, MINUS_5) == date(2025, 6, 2)
    assert local_day(moment) == moment.astimezone().date()


@pytest.mark.parametrize(("preset", "today", "first"), [
    ("4 weeks", date(2026, 11, 22), date(2026, 10, 25)),
    ("3 months", date(2026, 11, 22), date(2026, 8, 22)),
    ("3 months", date(2025, 5, 31), date(2025, 2, 28)),  # no 31 February
    ("3 months", date(2026, 2, 15), date(2025, 11, 15)),  # across the new year
    ("1 year", date(2024, 2, 29), date(2023, 2, 28)),
    ("All", date(2026, 11, 22), None),
])
def test_presets_reach_back_from_today(preset: str, today: date, first: date | None) -> None:
    assert preset in PRESETS
    assert preset_range(preset, today) == (first, None)


def test_an_unknown_preset_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown range"):
        preset_range("2 weeks", date(2026, 11, 22))


# --- size --------------------------------------------------------------------------------------

HALF = 893  # two demo eras of 893 Leg days: 25,004 sets (one era would pass the 1000 kg cap)


@pytest.fixture(scope="module")
def big_log() -> list[SetRecord]:
    end = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    earlier = end - timedelta(days=HALF * 3.5 + 7)
    return list(itertools.chain(iter_demo_history(earlier, HALF, seed=1),
                                iter_demo_history(end, HALF, seed=2)))


def test_25000_sets_in_one_pass(big_log: list[SetRecord]) -> None:
    """Not a timed assertion: the time is printed (pytest -s) and this test must stay quick."""
    started = time.perf_counter()
    rows = group_sessions(big_log, NAMES)
    found = search(rows, exercise_id=SINGLE, first=date(2026, 1, 1), tz=UTC)
    elapsed = time.perf_counter() - started
    print(f"\n{len(big_log):,} sets → {len(rows):,} sessions in {elapsed * 1000:.0f} ms")
    assert len(big_log) >= 25_000 and len(rows) == 2 * HALF
    assert sum(len(row.sets) for row in rows) == len(big_log)
    assert all(a.started_at > b.started_at for a, b in itertools.pairwise(rows))
    assert found and all(row.started_at >= datetime(2026, 1, 1, tzinfo=UTC) for row in found)
    assert any(row.records for row in rows)
