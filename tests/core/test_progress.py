"""Progress series: every number worked out by hand, the filters, legs, feet, ISO weeks over New
Year, CSV text, and a model fed set by set that always equals one built from the whole log."""

from __future__ import annotations

import dataclasses
import math
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legcoach.core.exercise import FootHeight, FootWidth
from legcoach.core.progress import (
    ALL_SETS,
    E1RM_DESCRIPTION,
    HARD_SETS,
    SESSIONS_CSV_COLUMNS,
    Filters,
    PlacementStats,
    ProgressModel,
    SessionRow,
    SessionSeries,
    placement_comparison,
    session_series,
    sessions_csv,
    side_comparison,
    sides_csv,
    weekly_csv,
    weekly_volume,
)
from legcoach.core.setlog import LoadUnit, SetRecord, SetType, replace_fields
from legcoach.core.sides import Side
from legcoach.core.strength import FORMULAS
from tests.core.test_records import DAY0, PRESS, SINGLE, histories, logged

HIGH, MIDDLE, LOW = FootHeight.HIGH, FootHeight.MIDDLE, FootHeight.LOW
WIDE, SHOULDER = FootWidth.WIDE, FootWidth.SHOULDER
# Each example builds two models and asks ~50 questions: fewer examples than elsewhere keep
# this file within a few seconds on a 2-core machine.
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def at(moment: datetime, load: float | str, reps: int, *, exercise: str = PRESS,
       session: str | None = None, **fields: Any) -> SetRecord:
    """A set at an exact UTC time."""
    values: dict[str, Any] = {
        "exercise_id": exercise, "session_id": session, "performed_at": moment,
        "unit": LoadUnit.KG, "entered_load": str(load), "reps": reps,
        "created_at": moment, "updated_at": moment,
    }
    return SetRecord(**(values | fields))


def four_sessions() -> list[SetRecord]:
    """The worked example the tests below check number by number."""
    return [
        # Session a, day 0: a warm-up, a heavy warm-up single, two working sets, a drop set.
        logged(60, 10, day=0, minute=0, session="a", set_type=SetType.WARMUP),
        logged(110, 1, day=0, minute=2, session="a", set_type=SetType.WARMUP),
        logged(100, 10, day=0, minute=4, session="a"),
        logged(100, 12, day=0, minute=7, session="a"),  # same load, more reps: the top set
        logged(80, 8, day=0, minute=10, session="a", set_type=SetType.DROP),
        # Session b, day 3: heavier, but a lower estimate.
        logged(105, 8, day=3, minute=0, session="b"),
        logged("102.5", 10, day=3, minute=3, session="b"),
        # Session c, day 7: only a 13-rep set, whose estimate is rough.
        logged(105, 13, day=7, minute=0, session="c"),
        # Session d, day 10, logged without a session id: a failed 0-rep attempt and a 6.
        logged(120, 0, day=10, minute=0, set_type=SetType.FAILURE),
        logged(110, 6, day=10, minute=3),
    ]


def epley(load: float, reps: int) -> float:
    return load * (1 + reps / 30)


# --- sessions --------------------------------------------------------------------------------


def test_working_sets_by_default_every_value_by_hand() -> None:
    series = session_series(four_sessions(), PRESS)
    assert series.keys == (("session", "a"), ("session", "b"), ("session", "c"),
                           ("day", "2025-06-12"))
    assert series.rows() == [
        # Session a starts with its warm-up (minute 0), even though warm-ups do not count.
        SessionRow(DAY0, 100.0, 12, pytest.approx(epley(100, 12)), True,
                   100 * 10 + 100 * 12, 2, False, False),
        SessionRow(DAY0 + timedelta(days=3), 105.0, 8, pytest.approx(epley(102.5, 10)), True,
                   105 * 8 + 102.5 * 10, 2, True, False),
        SessionRow(DAY0 + timedelta(days=7), 105.0, 13, pytest.approx(epley(105, 13)), False,
                   105 * 13, 1, False, False),
        # Session d starts with the failed attempt: a session starts where it starts,
        # whichever sets the filters count, so it sits at one place on every chart.
        SessionRow(DAY0 + timedelta(days=10), 110.0, 6, pytest.approx(epley(110, 6)),
                   True, 110 * 6, 1, True, False),
    ]
    assert series.t.tolist() == [row.started_at.timestamp() for row in series.rows()]


def test_the_e1rm_formula_is_the_apps_own() -> None:
    assert "Epley" in E1RM_DESCRIPTION
    series = session_series([logged(100, 10)], PRESS)
    assert series.best_e1rm_kg[0] == FORMULAS["epley"][0](100.0, 10)
    single = session_series([logged(150, 1)], PRESS)
    assert single.best_e1rm_kg[0] == 150.0  # one rep is the max itself


def test_hard_sets_add_drop_and_failure_sets_to_volume_not_to_the_top_set() -> None:
    rows = session_series(four_sessions(), PRESS, Filters(set_types=HARD_SETS)).rows()
    assert (rows[0].volume_kg, rows[0].sets, rows[0].top_load_kg) == (2200 + 640, 3, 100.0)
    # The 0-rep failure counts as a set (volume 0) but lifted nothing: not the top set.
    assert (rows[3].started_at, rows[3].sets, rows[3].top_load_kg, rows[3].top_reps) == (
        DAY0 + timedelta(days=10), 2, 110.0, 6)


def test_warm_ups_count_for_volume_when_asked_but_never_for_load() -> None:
    rows = session_series(four_sessions(), PRESS, Filters(set_types=ALL_SETS)).rows()
    assert rows[0].volume_kg == 600 + 110 + 2200 + 640
    assert rows[0].sets == 5
    assert rows[0].top_load_kg == 100.0  # not the 110 kg warm-up single
    assert rows[0].best_e1rm_kg == pytest.approx(epley(100, 12))


def test_a_session_of_only_warm_ups_has_volume_but_no_top_set() -> None:
    records = [logged(100, 10, day=0), logged(60, 10, day=2, set_type=SetType.WARMUP),
               logged(105, 10, day=4)]
    series = session_series(records, PRESS, Filters(set_types=ALL_SETS))
    middle = series.rows()[1]
    assert (middle.top_load_kg, middle.top_reps, middle.best_e1rm_kg) == (None, None, None)
    assert middle.volume_kg == 600
    # The gap neither counts as a record nor hides the next one.
    assert series.load_record.tolist() == [False, False, True]


def test_records_must_beat_every_earlier_session_and_the_first_is_only_a_baseline() -> None:
    records = [logged(load, reps, day=day) for day, (load, reps) in
               enumerate([(100, 10), (100, 10), (90, 10), (100, 11), (102.5, 8), (110, 3)])]
    series = session_series(records, PRESS)
    assert series.load_record.tolist() == [False, False, False, False, True, True]
    # e1RM: 133.3, 133.3 (equal is not new), 120, 136.7 (new), 129.3, 121
    assert series.e1rm_record.tolist() == [False, False, False, True, False, False]


def test_rough_estimates_are_used_only_without_a_reliable_one_and_never_make_records() -> None:
    records = [logged(100, 10, day=0, minute=0), logged(100, 14, day=0, minute=3),
               logged(100, 20, day=1)]
    rows = session_series(records, PRESS).rows()
    assert (rows[0].best_e1rm_kg, rows[0].e1rm_reliable) == (pytest.approx(epley(100, 10)), True)
    assert (rows[1].best_e1rm_kg, rows[1].e1rm_reliable) == (pytest.approx(epley(100, 20)), False)
    assert not rows[1].e1rm_record  # 166.7 from 20 reps beats 133.3, but is not trusted


def test_loads_typed_in_pounds_are_charted_in_kg() -> None:
    row = session_series([logged("225", 10, unit=LoadUnit.LB)], PRESS).rows()[0]
    assert row.top_load_kg == pytest.approx(102.058283)
    assert row.volume_kg == pytest.approx(1020.58283)


def test_other_exercises_and_an_unknown_exercise() -> None:
    records = [logged(100, 10), logged(50, 10, exercise=SINGLE, side=Side.LEFT)]
    assert len(session_series(records, PRESS)) == 1
    empty = session_series(records, "nope")
    assert len(empty) == 0 and empty.rows() == []
    assert len(weekly_volume(empty)) == 0
    assert placement_comparison(records, "nope") == ()


def test_results_are_read_only() -> None:
    series = session_series(four_sessions(), PRESS)
    with pytest.raises(ValueError, match="read-only"):
        series.top_load_kg[0] = 1.0


def test_index_near_picks_the_closest_session() -> None:
    series = session_series(four_sessions(), PRESS)
    day = 86_400
    assert series.index_near(DAY0.timestamp() - 5 * day) == 0
    assert series.index_near(DAY0.timestamp() + 4.9 * day) == 1
    assert series.index_near(DAY0.timestamp() + 5.1 * day) == 2
    assert series.index_near(DAY0.timestamp() + 99 * day) == 3
    assert session_series([], PRESS).index_near(0) is None


# --- filters ---------------------------------------------------------------------------------


def feet_and_sides() -> list[SetRecord]:
    return [
        logged(50, 10, day=0, minute=0, exercise=SINGLE, side=Side.LEFT,
               foot_height=MIDDLE, foot_width=SHOULDER),
        logged(55, 10, day=0, minute=2, exercise=SINGLE, side=Side.RIGHT,
               foot_height=MIDDLE, foot_width=SHOULDER),
        logged(45, 12, day=2, minute=0, exercise=SINGLE, side=Side.LEFT,
               foot_height=HIGH, foot_width=SHOULDER),
        logged(60, 8, day=2, minute=2, exercise=SINGLE, side=Side.RIGHT, foot_height=HIGH),
        logged(40, 10, day=4, exercise=SINGLE, side=Side.LEFT),  # feet not recorded
    ]


@pytest.mark.parametrize(("filters", "loads", "volumes"), [
    (Filters(), [55.0, 60.0, 40.0], [1050.0, 1020.0, 400.0]),
    (Filters(side=Side.LEFT), [50.0, 45.0, 40.0], [500.0, 540.0, 400.0]),
    (Filters(side=Side.RIGHT), [55.0, 60.0], [550.0, 480.0]),
    (Filters(foot_height=HIGH), [60.0], [1020.0]),
    (Filters(foot_width=SHOULDER), [55.0, 45.0], [1050.0, 540.0]),
    (Filters(foot_height=MIDDLE, foot_width=SHOULDER, side=Side.LEFT), [50.0], [500.0]),
    (Filters(foot_height=LOW), [], []),
])
def test_side_and_feet_filters(filters: Filters, loads: list[float],
                               volumes: list[float]) -> None:
    series = session_series(feet_and_sides(), SINGLE, filters)
    assert series.top_load_kg.tolist() == loads
    assert series.volume_kg.tolist() == volumes


def test_a_session_keeps_its_start_whatever_the_filter() -> None:
    """Charts of different filters line up: day 2 starts with the left leg's set."""
    right = session_series(feet_and_sides(), SINGLE, Filters(side=Side.RIGHT))
    assert right.started_at == (DAY0, DAY0 + timedelta(days=2))


def test_filters_normalise_and_compare_by_value() -> None:
    assert Filters(set_types={"working"}, side="left") == Filters(side=Side.LEFT)  # type: ignore[arg-type]
    assert hash(Filters(foot_height="high")) == hash(Filters(foot_height=HIGH))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one set type"):
        Filters(set_types=frozenset())
    with pytest.raises(ValueError, match="middle"):
        Filters(side="middle")  # type: ignore[arg-type]


# --- left and right --------------------------------------------------------------------------


def test_imbalance_is_signed_so_the_weaker_leg_shows() -> None:
    records = [
        logged(100, 10, day=0, minute=0, exercise=SINGLE, side=Side.LEFT),
        logged(110, 10, day=0, minute=2, exercise=SINGLE, side=Side.RIGHT),
        logged(90, 10, day=2, minute=0, exercise=SINGLE, side=Side.LEFT),
        logged(81, 10, day=2, minute=2, exercise=SINGLE, side=Side.RIGHT),
        logged(80, 10, day=4, minute=0, exercise=SINGLE, side=Side.LEFT),
        logged(80, 10, day=4, minute=2, exercise=SINGLE, side=Side.RIGHT),
        logged(85, 10, day=6, exercise=SINGLE, side=Side.LEFT),  # the right leg was skipped
    ]
    sides = side_comparison(records, SINGLE, Filters(side=Side.RIGHT))  # side filter ignored
    assert len(sides.left) == 4 and len(sides.right) == 3
    assert sides.started_at == (DAY0, DAY0 + timedelta(days=2), DAY0 + timedelta(days=4))
    assert sides.imbalance_pct.tolist() == pytest.approx([10 / 110 * 100, -10.0, 0.0])
    assert [sides.weaker(i) for i in range(3)] == [Side.LEFT, Side.RIGHT, None]
    assert sides.left_e1rm_kg.tolist() == pytest.approx([epley(100, 10), epley(90, 10),
                                                        epley(80, 10)])
    assert sides_csv(sides) == (
        "session_start_utc,left_e1rm_kg,right_e1rm_kg,imbalance_pct,weaker_leg\n"
        "2025-06-02T18:00:00Z,133.333,146.667,9.091,left\n"
        "2025-06-04T18:00:00Z,120,108,-10,right\n"
        "2025-06-06T18:00:00Z,106.667,106.667,0,\n")


def test_two_leg_sets_have_no_sides() -> None:
    assert len(side_comparison([logged(100, 10)], PRESS)) == 0


# --- feet ------------------------------------------------------------------------------------


def test_placements_compared_with_unrecorded_feet_last() -> None:
    stats = placement_comparison(feet_and_sides(), SINGLE, Filters(foot_height=LOW))
    assert stats == (
        PlacementStats(MIDDLE, SHOULDER, sessions=1, sets=2,
                       best_e1rm_kg=pytest.approx(epley(55, 10)), e1rm_reliable=True,
                       top_load_kg=55.0),
        PlacementStats(HIGH, SHOULDER, 1, 1, pytest.approx(epley(45, 12)), True, 45.0),
        PlacementStats(HIGH, None, 1, 1, pytest.approx(epley(60, 8)), True, 60.0),
        PlacementStats(None, None, 1, 1, pytest.approx(epley(40, 10)), True, 40.0),
    )
    assert [s.label for s in stats] == ["Middle · shoulder", "High · shoulder", "High · width?",
                                        "Feet not recorded"]
    lefts = placement_comparison(feet_and_sides(), SINGLE, Filters(side=Side.LEFT))
    assert [(s.label, s.sets) for s in lefts] == [
        ("Middle · shoulder", 1), ("High · shoulder", 1), ("Feet not recorded", 1)]


def test_a_placement_with_only_rough_estimates() -> None:
    stats = placement_comparison([logged(100, 15, foot_height=HIGH, foot_width=WIDE)], PRESS)
    assert (stats[0].best_e1rm_kg, stats[0].e1rm_reliable) == (pytest.approx(150.0), False)
    warm = placement_comparison([logged(60, 10, set_type=SetType.WARMUP)], PRESS,
                                Filters(set_types=ALL_SETS))
    assert (warm[0].best_e1rm_kg, warm[0].top_load_kg, warm[0].sets) == (None, None, 1)


# --- weeks -----------------------------------------------------------------------------------


def test_iso_weeks_in_utc_across_new_year() -> None:
    records = [
        at(datetime(2025, 12, 28, 23, 30, tzinfo=UTC), 100, 10),  # Sunday: 2025-W52
        at(datetime(2025, 12, 29, 0, 30, tzinfo=UTC), 100, 5),  # Monday: 2026-W01
        at(datetime(2026, 1, 1, 18, 0, tzinfo=UTC), 110, 10),  # Thursday, New Year's Day
        at(datetime(2026, 1, 5, 18, 0, tzinfo=UTC), 120, 10),  # 2026-W02
        at(datetime(2026, 12, 31, 18, 0, tzinfo=UTC), 130, 10),  # 2026 has a week 53
    ]
    weekly = weekly_volume(session_series(records, PRESS))
    assert [weekly.label(i) for i in range(len(weekly))] == [
        "2025-W52", "2026-W01", "2026-W02", "2026-W53"]
    assert [weekly.monday(i) for i in range(len(weekly))] == [
        datetime(2025, 12, 22, tzinfo=UTC), datetime(2025, 12, 29, tzinfo=UTC),
        datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 12, 28, tzinfo=UTC)]
    assert weekly.t.tolist() == [weekly.monday(i).timestamp() for i in range(4)]
    assert weekly.volume_kg.tolist() == [1000.0, 500.0 + 1100.0, 1200.0, 1300.0]
    assert weekly.sessions.tolist() == [1, 2, 1, 1]
    assert weekly_csv(weekly) == (
        "iso_week,week_start_utc,volume_kg,sessions\n"
        "2025-W52,2025-12-22T00:00:00Z,1000,1\n"
        "2026-W01,2025-12-29T00:00:00Z,1600,2\n"
        "2026-W02,2026-01-05T00:00:00Z,1200,1\n"
        "2026-W53,2026-12-28T00:00:00Z,1300,1\n")


def test_a_session_counts_in_the_week_it_started() -> None:
    sunday_night = datetime(2026, 3, 1, 23, 50, tzinfo=UTC)  # Sunday
    records = [at(sunday_night, 100, 10, session="late"),
               at(sunday_night + timedelta(minutes=20), 100, 10, session="late")]
    weekly = weekly_volume(session_series(records, PRESS))
    assert [weekly.label(0), weekly.volume_kg[0], len(weekly)] == ["2026-W09", 2000.0, 1]


# --- CSV -------------------------------------------------------------------------------------


def test_sessions_csv_text() -> None:
    text = sessions_csv(session_series(four_sessions(), PRESS))
    assert text.splitlines()[0].split(",") == list(SESSIONS_CSV_COLUMNS)
    assert text == (
        "session_start_utc,top_set_load_kg,top_set_reps,best_e1rm_kg,e1rm_reliable,volume_kg,"
        "sets,load_record,e1rm_record\n"
        "2025-06-02T18:00:00Z,100,12,140,1,2200,2,0,0\n"
        "2025-06-05T18:00:00Z,105,8,136.667,1,1865,2,1,0\n"
        "2025-06-09T18:00:00Z,105,13,150.5,0,1365,1,0,0\n"
        "2025-06-12T18:00:00Z,110,6,132,1,660,1,1,0\n")
    warm = session_series([logged(60, 10, set_type=SetType.WARMUP)], PRESS,
                          Filters(set_types=ALL_SETS))
    assert sessions_csv(warm).splitlines()[1] == "2025-06-02T18:00:00Z,,,,0,600,1,0,0"
    assert sessions_csv(session_series([], PRESS)) == ",".join(SESSIONS_CSV_COLUMNS) + "\n"


# --- the model -------------------------------------------------------------------------------


class CountingLoader:
    """A store's query(exercise_id=…) that remembers how often each exercise was read."""

    def __init__(self, records: list[SetRecord]) -> None:
        self.records = records
        self.reads: list[str] = []

    def __call__(self, exercise_id: str) -> list[SetRecord]:
        self.reads.append(exercise_id)
        return [r for r in self.records if r.exercise_id == exercise_id]


def test_the_model_reads_each_exercise_once_and_caches_per_exercise() -> None:
    records = four_sessions() + feet_and_sides()
    loader = CountingLoader(records)
    model = ProgressModel(loader)
    assert not model.is_loaded(PRESS)
    press = model.sessions(PRESS)
    single = model.sessions(SINGLE, Filters(side=Side.LEFT))
    assert model.sessions(PRESS) is press  # cached
    assert loader.reads == [PRESS, SINGLE]

    new = logged(115, 5, day=12, session="e")
    loader.records.append(new)
    before = model.version(PRESS)
    assert model.add(new) is True
    assert model.version(PRESS) == before + 1
    assert model.sessions(SINGLE, Filters(side=Side.LEFT)) is single  # untouched exercise
    assert len(model.sessions(PRESS)) == len(press) + 1
    assert model.add(new) is False  # the same record twice: nothing changes
    assert model.version(PRESS) == before + 1
    assert loader.reads == [PRESS, SINGLE]  # adding never re-reads

    with pytest.raises(ValueError, match="edited"):
        model.add(replace_fields(new, reps=6))
    model.reload(PRESS)
    assert model.set_count(PRESS) == len(four_sessions()) + 1
    assert loader.reads == [PRESS, SINGLE, PRESS]


def test_adding_to_an_exercise_not_read_yet_reads_it_first() -> None:
    stored = logged(100, 10, day=0)
    loader = CountingLoader([stored])
    model = ProgressModel(loader)
    new = logged(105, 10, day=2)
    loader.records.append(new)  # the app stores a set, then tells the model
    assert model.add(new) is False  # the loader already returned it
    assert model.set_count(PRESS) == 2 and loader.reads == [PRESS]


def test_a_model_without_loader_holds_exactly_its_history() -> None:
    model = ProgressModel.from_history(four_sessions())
    assert model.set_count(PRESS) == 10 and model.set_count(SINGLE) == 0
    with pytest.raises(ValueError, match="no loader"):
        model.reload()
    model.rebuild(feet_and_sides())
    assert model.set_count(PRESS) == 0 and model.set_count(SINGLE) == 5
    record = logged(100, 10)
    with pytest.raises(ValueError, match="twice"):
        ProgressModel.from_history([record, record])


def test_a_read_in_any_order_is_put_in_time_then_id_order() -> None:
    """Stores answer in time order and the first read skips its sort then; anything else
    (shuffled, or sets logged in the same second, whose order only the id decides) is sorted."""
    in_order = four_sessions()
    same_second = [logged(100 + i, 10, day=20, id=f"{i:032x}") for i in (2, 0, 1)]
    expected = [*in_order, *sorted(same_second, key=lambda r: r.id)]
    for answer in (expected, expected[::-1], [*in_order, *same_second]):
        model = ProgressModel(lambda _exercise, records=answer: list(records))
        assert model.records(PRESS) == tuple(expected)
        assert model.sessions(PRESS).rows() == session_series(expected, PRESS).rows()


def test_model_answers_equal_the_pure_functions() -> None:
    records = four_sessions() + feet_and_sides()
    model = ProgressModel.from_history(records)
    for exercise in (PRESS, SINGLE):
        for filters in (Filters(), Filters(set_types=ALL_SETS), Filters(side=Side.LEFT)):
            assert model.sessions(exercise, filters).rows() == \
                session_series(records, exercise, filters).rows()
            assert model.placements(exercise, filters) == \
                placement_comparison(records, exercise, filters)
    assert model.sides(SINGLE).imbalance_pct.tolist() == \
        side_comparison(records, SINGLE).imbalance_pct.tolist()
    assert model.weekly(PRESS).volume_kg.tolist() == \
        weekly_volume(session_series(records, PRESS)).volume_kg.tolist()


def with_feet(draw: st.DrawFn, records: list[SetRecord]) -> list[SetRecord]:
    heights = st.sampled_from([None, *FootHeight])
    widths = st.sampled_from([None, *FootWidth])
    return [dataclasses.replace(r, foot_height=draw(heights), foot_width=draw(widths))
            for r in records]


@st.composite
def mixed_logs(draw: st.DrawFn) -> list[SetRecord]:
    """Two exercises, both legs and one-leg sets, feet or none, in a random logging order."""
    press = draw(histories(max_sessions=5))
    single = draw(histories(exercise=SINGLE, sides=(Side.LEFT, Side.RIGHT), max_sessions=5))
    return draw(st.permutations(with_feet(draw, press + single)))


FILTER_CHOICES = [Filters(), Filters(set_types=ALL_SETS, side=Side.LEFT),
                  Filters(foot_height=FootHeight.HIGH, foot_width=FootWidth.WIDE)]


def answers(model: ProgressModel, exercise: str, filters: Filters) -> tuple[Any, ...]:
    """Everything the charts read, as plain values (NaN-free) so == compares exactly."""
    weekly = model.weekly(exercise, filters)
    sides = model.sides(exercise, filters)
    return (model.sessions(exercise, filters).rows(),
            weekly.weeks, weekly.volume_kg.tolist(), weekly.sessions.tolist(),
            sides.keys, sides.imbalance_pct.tolist(), model.placements(exercise, filters))


@PROPERTY
@given(records=mixed_logs(), queries=st.lists(st.tuples(st.integers(0, 60),
                                                         st.sampled_from(FILTER_CHOICES)),
                                               max_size=6))
def test_adding_set_by_set_equals_building_from_the_whole_log(
        records: list[SetRecord], queries: list[tuple[int, Filters]]) -> None:
    model = ProgressModel()
    asked = dict(queries)  # ask questions part-way, so caches exist while sets arrive
    for position, record in enumerate(records):
        model.add(record)
        if position in asked:
            answers(model, record.exercise_id, asked[position])
    whole = ProgressModel.from_history(reversed(records))
    for exercise in (PRESS, SINGLE):
        for filters in FILTER_CHOICES:
            assert answers(model, exercise, filters) == answers(whole, exercise, filters)


@PROPERTY
@given(records=histories(max_sessions=8))
def test_series_invariants(records: list[SetRecord]) -> None:
    series = session_series(records, PRESS, Filters(set_types=ALL_SETS))
    counted = [r for r in records if r.exercise_id == PRESS]
    assert int(series.set_count.sum()) == len(counted)
    assert series.volume_kg.sum() == pytest.approx(sum(r.load_kg * r.reps for r in counted))
    assert list(series.t) == sorted(series.t)
    top = series.top_load_kg[~np.isnan(series.top_load_kg)]
    lifted = [r.load_kg for r in counted if r.set_type is not SetType.WARMUP and r.reps >= 1]
    assert (max(top) if len(top) else None) == (max(lifted) if lifted else None)
    for index, row in enumerate(series.rows()):
        if row.load_record:
            assert all(not math.isnan(x) and x < row.top_load_kg  # type: ignore[operator]
                       for x in series.top_load_kg[:index] if not math.isnan(x))
    assert isinstance(series, SessionSeries)
