"""The workout summary: volume without warm-ups, sets per leg, and "compared with last time"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from legcoach.core.routine import RoutineItem
from legcoach.core.session import WorkoutSession
from legcoach.core.setlog import SetType
from legcoach.core.sides import Side
from legcoach.core.summary import ExerciseSummary, SessionSummary, summarize, volume_kg
from tests.core.test_records import DAY0, NAMES, PRESS, SINGLE, logged

TODAY = 10  # days after DAY0
STARTED = DAY0 + timedelta(days=TODAY)
ITEMS = (
    RoutineItem(exercise_id=PRESS, sets=3, rep_range=(8, 15), tempo="3-1-1-0",
                rest_seconds=150),
    RoutineItem(exercise_id=SINGLE, sets=2, rep_range=(8, 12), tempo="3-1-2-0",
                rest_seconds=90, per_side=True),
)


def workout(minutes: float | None = 42, **fields) -> WorkoutSession:
    finished = None if minutes is None else STARTED + timedelta(minutes=minutes)
    return WorkoutSession(routine_name="Leg day", items=ITEMS, started_at=STARTED, id="today",
                          finished_at=finished, **fields)


def today(load: float | str, reps: int, minute: int, **fields) -> object:
    return logged(load, reps, day=TODAY, minute=minute, session="today", **fields)


def exercise(summary: SessionSummary, exercise_id: str) -> ExerciseSummary:
    (found,) = [e for e in summary.exercises if e.exercise_id == exercise_id]
    return found


def change(volume: float, previous: float | None) -> str:
    return ExerciseSummary(exercise_id=PRESS, name="45° Leg Press", sets=1, reps=1,
                           volume_kg=volume, best_set="", previous_volume_kg=previous).change_text


# --- what was done today ------------------------------------------------------------------------


def test_a_two_leg_exercise_counts_working_sets_and_their_volume() -> None:
    sets = [today(60, 10, 0, set_type=SetType.WARMUP), today(120, 10, 4), today(120, 9, 8),
            today(100, 12, 12, set_type=SetType.DROP)]
    summary = summarize(workout(), sets, [], NAMES)
    press = exercise(summary, PRESS)
    assert press.name == "45° Leg Press"
    assert (press.sets, press.reps) == (3, 31)  # the warm-up does not count
    assert press.volume_kg == 120 * 10 + 120 * 9 + 100 * 12  # 3,480; the warm-up's 600 left out
    assert press.best_set == "120 kg × 10"
    assert press.previous_volume_kg is None and press.change_text == "first time"
    assert summary.total_volume_kg == 3480


def test_a_one_leg_exercise_counts_each_leg_as_a_set() -> None:
    sets = [today(50, 10, 0, exercise=SINGLE, side=Side.LEFT),
            today(50, 9, 2, exercise=SINGLE, side=Side.RIGHT),
            today("52.5", 8, 6, exercise=SINGLE, side=Side.LEFT),
            today("52.5", 7, 8, exercise=SINGLE, side=Side.RIGHT),
            today(30, 12, 10, exercise=SINGLE, side=Side.LEFT, set_type=SetType.WARMUP)]
    single = exercise(summarize(workout(), sets, [], NAMES), SINGLE)
    assert (single.sets, single.reps) == (4, 34)
    assert single.volume_kg == 500 + 450 + 420 + 367.5  # 1,737.5: both legs add up
    assert single.best_set == "52.5 kg × 8 (left leg)"


def test_an_exercise_of_only_warm_ups_shows_no_sets_and_no_volume() -> None:
    sets = [today(60, 10, 0, set_type=SetType.WARMUP), today(80, 8, 3, set_type=SetType.WARMUP)]
    press = exercise(summarize(workout(), sets, [], NAMES), PRESS)
    assert (press.sets, press.reps, press.volume_kg) == (0, 0, 0.0)
    assert press.best_set == "80 kg × 8"  # still says what was lifted


def test_volume_leaves_warm_ups_out() -> None:
    assert volume_kg([today(60, 10, 0, set_type=SetType.WARMUP), today(100, 10, 3),
                      today(90, 5, 6, set_type=SetType.FAILURE)]) == 1450
    assert volume_kg([]) == 0


def test_exercises_follow_the_routine_then_anything_extra_and_skip_the_unlogged() -> None:
    sets = [today(80, 10, 0, exercise="hip-thrust-machine"), today(100, 10, 5)]
    summary = summarize(workout(), sets, [], NAMES)
    assert [e.exercise_id for e in summary.exercises] == [PRESS, "hip-thrust-machine"]
    assert summary.exercises[1].name == "hip-thrust-machine"  # no name known: its id


def test_title_records_and_duration_come_from_the_session() -> None:
    summary = summarize(workout(minutes=65), [today(100, 10, 0)], [], NAMES,
                        records=("New heaviest 45° leg press: 100 kg (was 95 kg)",))
    assert summary.title == "Leg day"
    assert summary.duration == timedelta(minutes=65)
    assert summary.duration_text == "1 h 05 min"
    assert summary.records == ("New heaviest 45° leg press: 100 kg (was 95 kg)",)


def test_an_unfinished_session_lasts_until_now() -> None:
    summary = summarize(workout(minutes=None), [], [], NAMES,
                        now=STARTED + timedelta(minutes=42, seconds=59))
    assert summary.duration_text == "42 min"
    assert summary.exercises == ()
    assert summarize(workout(minutes=None), [], [], NAMES).duration == timedelta(0)
    past = summarize(workout(minutes=None), [], [], NAMES, now=STARTED - timedelta(hours=1))
    assert past.duration == timedelta(0)  # a clock set back never gives a negative time


@pytest.mark.parametrize(("duration", "text"), [
    (timedelta(0), "0 min"),
    (timedelta(minutes=42), "42 min"),
    (timedelta(minutes=59, seconds=59), "59 min"),
    (timedelta(hours=1), "1 h 00 min"),
    (timedelta(hours=1, minutes=5), "1 h 05 min"),
    (timedelta(hours=2, minutes=31, seconds=30), "2 h 31 min"),
])
def test_duration_text(duration: timedelta, text: str) -> None:
    assert SessionSummary(title="", duration=duration, exercises=(), records=()
                          ).duration_text == text


# --- compared with last time --------------------------------------------------------------------


def test_last_time_is_the_latest_earlier_session_with_this_exercise() -> None:
    earlier = [
        logged(130, 10, day=3, session="old"), logged(130, 10, day=3, minute=4, session="old"),
        logged(60, 10, day=7, session="last", set_type=SetType.WARMUP),
        logged(110, 10, day=7, minute=3, session="last"),
        logged(110, 10, day=7, minute=6, session="last"),
        logged(40, 10, day=8, session="other", exercise=SINGLE, side=Side.LEFT),
    ]
    sets = [today(120, 10, 0), today(120, 9, 4)]
    press = exercise(summarize(workout(), sets, earlier, NAMES), PRESS)
    assert press.previous_volume_kg == 2200  # day 7 without its warm-up, not day 3's 2,600
    assert press.change_text == "+80 kg volume vs last time (+4%)"


def test_sets_logged_without_a_session_are_grouped_by_utc_day() -> None:
    earlier = [
        logged(100, 10, day=5, minute=0),  # 18:00 UTC on day 5
        logged(100, 10, day=5, minute=5 * 60 + 59),  # 23:59 UTC, still day 5
        logged(100, 8, day=5, minute=6 * 60 + 1),  # 00:01 UTC: day 6, the latest day
        logged(100, 5, day=6, minute=60),  # 19:00 UTC on day 6
    ]
    press = exercise(summarize(workout(), [today(100, 10, 0)], earlier, NAMES), PRESS)
    assert press.previous_volume_kg == 1300
    assert press.change_text == "-300 kg volume vs last time (-23%)"


def test_sets_of_this_very_session_are_not_last_time() -> None:
    earlier = [logged(100, 10, day=TODAY, session="today"), logged(90, 10, day=6, session="x")]
    press = exercise(summarize(workout(), [today(100, 10, 3)], earlier, NAMES), PRESS)
    assert press.previous_volume_kg == 900


def test_last_time_of_only_warm_ups_is_zero_volume_without_a_percentage() -> None:
    earlier = [logged(60, 10, day=6, session="x", set_type=SetType.WARMUP)]
    press = exercise(summarize(workout(), [today(100, 10, 0)], earlier, NAMES), PRESS)
    assert press.previous_volume_kg == 0
    assert press.change_text == "+1,000 kg volume vs last time"


def test_each_exercise_is_compared_with_its_own_last_time() -> None:
    earlier = [logged(100, 10, day=6, session="x"),
               logged(40, 10, day=8, session="y", exercise=SINGLE, side=Side.LEFT),
               logged(40, 10, day=8, minute=2, session="y", exercise=SINGLE, side=Side.RIGHT)]
    sets = [today(100, 10, 0), today(45, 10, 4, exercise=SINGLE, side=Side.LEFT),
            today(45, 10, 6, exercise=SINGLE, side=Side.RIGHT)]
    summary = summarize(workout(), sets, earlier, NAMES)
    assert exercise(summary, PRESS).change_text == "same volume as last time"
    assert exercise(summary, SINGLE).change_text == "+100 kg volume vs last time (+12%)"


@pytest.mark.parametrize(("volume", "previous", "text"), [
    (2640, 2400, "+240 kg volume vs last time (+10%)"),
    (2160, 2400, "-240 kg volume vs last time (-10%)"),
    (12_500, 10_000, "+2,500 kg volume vs last time (+25%)"),
    (2400, 2400, "same volume as last time"),
    (2400.4, 2400, "same volume as last time"),
    (2399.6, 2400, "same volume as last time"),
    (1000.5, 1000, "same volume as last time"),  # rounds to 0 kg: not "+0 kg"
    (999.5, 1000, "same volume as last time"),  # not "-0 kg"
    (1001.5, 1000, "+2 kg volume vs last time (+0%)"),
    (500, 0, "+500 kg volume vs last time"),
    (0, 0, "same volume as last time"),
    (800, None, "first time"),
    (0, None, "first time"),
])
def test_change_text(volume: float, previous: float | None, text: str) -> None:
    assert change(volume, previous) == text
