"""Double progression: every rule with hand-computed loads and the exact line the lifter reads."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from legcoach.core.exercise import Exercise
from legcoach.core.library import load_library
from legcoach.core.progression import (
    Action,
    ProgressionSettings,
    Suggestion,
    effective_rpe,
    suggest_next,
)
from legcoach.core.records import session_key
from legcoach.core.setlog import LoadUnit, SetRecord, SetType
from legcoach.core.sides import Side
from legcoach.paths import builtin_exercises_dir
from tests.core.test_records import DAY0, PRESS, PROPERTY, SINGLE, day_sets, histories, logged

LIBRARY = load_library(builtin_exercises_dir())
PRESS_45 = LIBRARY[PRESS]  # 8–15 reps, two legs
SINGLE_LEG = LIBRARY[SINGLE]  # 8–12 reps per leg, 40–50% of the 45° press
HIP_THRUST = LIBRARY["hip-thrust-machine"]  # 8–12 reps, no reference
THRUST = HIP_THRUST.id


def only(suggestions: tuple[Suggestion, ...]) -> Suggestion:
    [suggestion] = suggestions
    return suggestion


def thrust(
    reps: Sequence[int], load: float = 100, *, day: int = 0, **fields: Any
) -> list[SetRecord]:
    """One hip-thrust session at one load."""
    return day_sets([(load, r) for r in reps], day=day, exercise=THRUST, **fields)


def legs(reps_left: Sequence[int], reps_right: Sequence[int], load_left: float = 60,
         load_right: float = 60, *, day: int = 0) -> list[SetRecord]:
    """One single-leg press session: all left sets, then all right sets."""
    left = [logged(load_left, r, day=day, minute=i, exercise=SINGLE, side=Side.LEFT)
            for i, r in enumerate(reps_left)]
    right = [logged(load_right, r, day=day, minute=10 + i, exercise=SINGLE, side=Side.RIGHT)
             for i, r in enumerate(reps_right)]
    return left + right


# --- increase ---------------------------------------------------------------------------------


def test_all_sets_at_the_top_add_the_two_leg_step() -> None:
    result = only(suggest_next(PRESS_45, day_sets([(100, 15)] * 3, day=0)))
    assert result == Suggestion(
        exercise_id=PRESS, side=Side.BOTH, load_kg=105.0, target_reps=8, action=Action.INCREASE,
        reason="All 3 sets reached 15 reps → +5 kg (100 → 105 kg)", last_load_kg=100.0,
    )


def test_reps_beyond_the_top_count_as_reaching_it() -> None:
    result = only(suggest_next(HIP_THRUST, thrust([14, 12])))
    assert (result.action, result.load_kg) == (Action.INCREASE, 105)
    assert result.reason == "Both sets reached 12 reps → +5 kg (100 → 105 kg)"


def test_a_single_set_reads_naturally() -> None:
    result = only(suggest_next(HIP_THRUST, thrust([12])))
    assert result.reason == "Your set reached 12 reps → +5 kg (100 → 105 kg)"


@pytest.mark.parametrize("rating", [{}, {"rpe": 9}, {"rpe": 7.5}, {"rir": 1}, {"rir": 3}])
def test_an_acceptable_or_missing_effort_allows_the_increase(rating: dict[str, Any]) -> None:
    result = only(suggest_next(HIP_THRUST, thrust([12, 12, 12], **rating)))
    assert result.action is Action.INCREASE


@pytest.mark.parametrize(("rating", "effort"), [
    ({"rpe": 9.5}, "RPE 9.5"), ({"rpe": 10}, "RPE 10"), ({"rir": 0}, "0 reps in reserve"),
])
def test_too_hard_a_set_holds_the_load(rating: dict[str, Any], effort: str) -> None:
    sets = [*thrust([12, 12]), logged(100, 12, minute=9, exercise=THRUST, **rating)]
    result = only(suggest_next(HIP_THRUST, sets))
    assert result == Suggestion(
        exercise_id=THRUST, side=Side.BOTH, load_kg=100.0, target_reps=12, action=Action.HOLD,
        reason=f"All 3 sets reached 12 reps, but at {effort} → stay at 100 kg until it feels "
               "easier", last_load_kg=100.0,
    )


def test_a_lower_rpe_ceiling_is_respected() -> None:
    strict = ProgressionSettings(rpe_ceiling=8)
    assert only(suggest_next(HIP_THRUST, thrust([12], rir=2), strict)).action is Action.INCREASE
    assert only(suggest_next(HIP_THRUST, thrust([12], rir=1), strict)).action is Action.HOLD


def test_effective_rpe_reads_rir_as_ten_minus_rir() -> None:
    assert effective_rpe(logged(100, 10, rir=1)) == 9
    assert effective_rpe(logged(100, 10, rpe=8.5)) == 8.5
    assert effective_rpe(logged(100, 10)) is None


def test_a_failure_set_at_the_top_is_not_clean() -> None:
    sets = [*thrust([12, 12]),
            logged(100, 12, minute=9, exercise=THRUST, set_type=SetType.FAILURE)]
    result = only(suggest_next(HIP_THRUST, sets))
    assert (result.action, result.load_kg, result.target_reps) == (Action.HOLD, 100, 12)
    assert result.reason == ("All 3 sets reached 12 reps, but one went to failure → stay at "
                             "100 kg and make every rep clean")


def test_warm_ups_and_drop_sets_are_not_judged() -> None:
    sets = [
        logged(40, 5, minute=0, exercise=THRUST, set_type=SetType.WARMUP),
        *thrust([12, 12, 12], day=0)[:3],
        logged(70, 6, minute=30, exercise=THRUST, set_type=SetType.DROP),
    ]
    result = only(suggest_next(HIP_THRUST, sets))
    assert (result.action, result.load_kg) == (Action.INCREASE, 105)


def test_loads_typed_in_pounds_round_to_half_kilos() -> None:
    sets = [logged(225, 12, minute=i, exercise=THRUST, unit=LoadUnit.LB) for i in range(3)]
    result = only(suggest_next(HIP_THRUST, sets))  # 102.058 kg + 5 = 107.058 kg
    assert (result.load_kg, result.last_load_kg) == (107.0, sets[0].load_kg)


# --- hold ------------------------------------------------------------------------------------


def test_short_of_the_top_hold_and_aim_for_one_more_rep() -> None:
    result = only(suggest_next(HIP_THRUST, thrust([10, 10, 9])))
    assert result == Suggestion(
        exercise_id=THRUST, side=Side.BOTH, load_kg=100.0, target_reps=11, action=Action.HOLD,
        reason="10, 10, 9 reps at 100 kg → stay at 100 kg and aim for 11", last_load_kg=100.0,
    )


def test_some_sets_at_the_top_aim_for_the_top_on_every_set() -> None:
    result = only(suggest_next(HIP_THRUST, thrust([12, 12, 10])))
    assert (result.target_reps, result.reason) == (
        12, "12, 12, 10 reps at 100 kg → stay at 100 kg and aim for 12 on every set")


def test_mixed_loads_hold_the_heaviest_and_list_each_set() -> None:
    sets = day_sets([(100, 11), (105, 9)], day=0, exercise=THRUST)
    result = only(suggest_next(HIP_THRUST, sets))
    assert result.load_kg == 105
    assert result.reason == "100 kg × 11, 105 kg × 9 → stay at 105 kg and aim for 12"


def test_only_the_most_recent_session_is_judged() -> None:
    history = thrust([6, 6, 5], day=0) + thrust([6, 5], day=2) + thrust([12, 12], day=4)
    result = only(suggest_next(HIP_THRUST, history))
    assert result.action is Action.INCREASE


def test_sets_without_a_session_id_group_by_utc_day() -> None:
    # Day 1 at 23:30 UTC and day 2 at 00:30 UTC are two sessions, the later one judged alone.
    late = logged(100, 6, day=1, minute=330, exercise=THRUST)
    after_midnight = [logged(100, 12, day=1, minute=390 + i, exercise=THRUST) for i in range(2)]
    assert session_key(late) != session_key(after_midnight[0])
    assert only(suggest_next(HIP_THRUST, [late, *after_midnight])).action is Action.INCREASE
    # With one session id they are a single session, and the 6 reps count.
    same = [dataclasses.replace(s, session_id="evening") for s in (late, *after_midnight)]
    assert only(suggest_next(HIP_THRUST, same)).action is Action.HOLD


def test_a_session_of_only_warm_ups_is_not_the_latest() -> None:
    history = [*thrust([12, 12], day=0),
               logged(50, 3, day=2, exercise=THRUST, set_type=SetType.WARMUP)]
    assert only(suggest_next(HIP_THRUST, history)).action is Action.INCREASE


# --- missed reps and deload -------------------------------------------------------------------


def test_one_session_below_the_range_holds() -> None:
    result = only(suggest_next(PRESS_45, day_sets([(135, 8), (135, 7), (135, 6)], day=0)))
    assert result == Suggestion(
        exercise_id=PRESS, side=Side.BOTH, load_kg=135.0, target_reps=8, action=Action.HOLD,
        reason="8, 7, 6 reps at 135 kg fell below 8 → stay at 135 kg; −10% if it happens again",
        last_load_kg=135.0,
    )


def test_two_sessions_below_the_range_deload_ten_percent_rounded_down() -> None:
    history = day_sets([(135, 8), (135, 7)], day=0) + day_sets([(135, 7), (135, 6)], day=3)
    result = only(suggest_next(PRESS_45, history))
    assert result == Suggestion(
        exercise_id=PRESS, side=Side.BOTH, load_kg=120.0, target_reps=8, action=Action.DELOAD,
        reason="Reps fell below 8 in the last two sessions → −10% (135 → 120 kg)",
        last_load_kg=135.0,
    )


@pytest.mark.parametrize(("load", "fraction", "expected"), [
    (100, 0.10, 90.0),  # exact: no float 89.99999
    (102.5, 0.10, 90.0),  # 92.25 → 90
    (60, 0.10, 52.5),  # 54 → 52.5
    (150, 0.20, 120.0),
    (2, 0.10, 0.0),  # never below zero
])
def test_deload_amounts(load: float, fraction: float, expected: float) -> None:
    history = thrust([6], load, day=0) + thrust([5], load, day=2)
    result = only(suggest_next(HIP_THRUST, history, ProgressionSettings(deload_fraction=fraction)))
    assert (result.action, result.load_kg) == (Action.DELOAD, expected)


def test_an_empty_machine_cannot_deload() -> None:
    result = only(suggest_next(HIP_THRUST, thrust([6], 0, day=0) + thrust([5], 0, day=2)))
    assert (result.action, result.load_kg, result.target_reps) == (Action.HOLD, 0, 8)
    assert result.reason == ("Reps fell below 8 in the last two sessions, and 0 kg can't go "
                             "lower → stay at 0 kg")


def test_misses_must_be_consecutive() -> None:
    history = thrust([7, 6], day=0) + thrust([9, 8], day=2) + thrust([7, 7], day=4)
    result = only(suggest_next(HIP_THRUST, history))
    assert (result.action, result.load_kg) == (Action.HOLD, 100)


def test_a_deload_follows_the_last_load_even_after_a_jump() -> None:
    history = thrust([7, 6], 100, day=0) + thrust([6, 6], 105, day=3)
    result = only(suggest_next(HIP_THRUST, history))
    assert (result.load_kg, result.reason) == (
        92.5, "Reps fell below 8 in the last two sessions → −10% (105 → 92.5 kg)")


# --- weekly cap ---------------------------------------------------------------------------------


def climb() -> list[SetRecord]:
    """100 → 105 → 110 kg within five days, every session at the top."""
    return [s for day, load in ((0, 100), (2, 105), (4, 110))
            for s in day_sets([(load, 15)] * 3, day=day)]


def test_the_weekly_cap_holds_when_it_is_used_up() -> None:
    result = only(suggest_next(PRESS_45, climb()))
    assert result == Suggestion(
        exercise_id=PRESS, side=Side.BOTH, load_kg=110.0, target_reps=15, action=Action.HOLD,
        reason="Capped: +10 kg already added this week → stay at 110 kg", last_load_kg=110.0,
    )


def test_the_cap_allows_what_is_left_of_the_week() -> None:
    history = [s for day, load in ((0, 100), (3, 107.5)) for s in day_sets([(load, 15)], day=day)]
    result = only(suggest_next(PRESS_45, history))
    assert (result.action, result.load_kg, result.target_reps) == (Action.INCREASE, 110, 8)
    assert result.reason == "Capped: +7.5 kg already added this week → +2.5 kg (107.5 → 110 kg)"


def test_the_week_is_seven_calendar_days_before_the_next_session() -> None:
    history = [s for day, load in ((0, 100), (3, 107.5)) for s in day_sets([(load, 15)], day=day)]
    day6 = DAY0 + timedelta(days=6, hours=3)
    day7 = DAY0 + timedelta(days=7, hours=-17)  # early morning, but a week after day 0
    assert only(suggest_next(PRESS_45, history, now=day6)).load_kg == 110
    assert only(suggest_next(PRESS_45, history, now=day7)).load_kg == 112.5


def test_a_cap_below_the_increment_says_so() -> None:
    small = ProgressionSettings(max_weekly_gain_kg=2.5)
    result = only(suggest_next(PRESS_45, day_sets([(100, 15)], day=0), small))
    assert (result.load_kg, result.reason) == (
        102.5, "Capped at +2.5 kg a week → +2.5 kg (100 → 102.5 kg)")
    frozen = ProgressionSettings(max_weekly_gain_kg=0)
    result = only(suggest_next(PRESS_45, day_sets([(100, 15)], day=0), frozen))
    assert (result.action, result.reason) == (
        Action.HOLD, "Capped at +0 kg a week → stay at 100 kg")


def test_a_larger_increment_setting_is_used() -> None:
    bold = ProgressionSettings(increment_two_leg_kg=10)
    assert only(suggest_next(PRESS_45, day_sets([(100, 15)], day=0), bold)).load_kg == 110


# --- one leg at a time -------------------------------------------------------------------------


def test_both_legs_ready_add_the_one_leg_step() -> None:
    result = only(suggest_next(SINGLE_LEG, legs([12] * 3, [12] * 3)))
    assert result == Suggestion(
        exercise_id=SINGLE, side=Side.BOTH, load_kg=62.5, target_reps=8, action=Action.INCREASE,
        reason="Both legs: all 3 sets reached 12 reps → +2.5 kg (60 → 62.5 kg)",
        last_load_kg=60.0,
    )


def test_the_weaker_leg_sets_the_load() -> None:
    result = only(suggest_next(SINGLE_LEG, legs([12] * 3, [11, 10, 10])))
    assert (result.side, result.action, result.load_kg, result.target_reps) == (
        Side.BOTH, Action.HOLD, 60, 12)
    assert result.reason == "Right leg: 11, 10, 10 reps at 60 kg → stay at 60 kg and aim for 12"


def test_legs_trained_at_different_loads_get_their_own_suggestions() -> None:
    left, right = suggest_next(SINGLE_LEG, legs([12, 12], [10, 9], 60, 50))
    assert (left.side, left.action, left.load_kg) == (Side.LEFT, Action.INCREASE, 62.5)
    assert left.reason == "Left leg: both sets reached 12 reps → +2.5 kg (60 → 62.5 kg)"
    assert (right.side, right.action, right.load_kg, right.target_reps) == (
        Side.RIGHT, Action.HOLD, 50, 11)
    assert right.reason == "Right leg: 10, 9 reps at 50 kg → stay at 50 kg and aim for 11"


def test_each_leg_deloads_on_its_own_history() -> None:
    history = legs([7, 7], [12, 12], 60, 55, day=0) + legs([6, 6], [12, 12], 60, 55, day=3)
    left, right = suggest_next(SINGLE_LEG, history)
    assert (left.action, left.load_kg) == (Action.DELOAD, 52.5)  # 54 → 52.5
    assert (right.action, right.load_kg) == (Action.INCREASE, 57.5)


def test_a_leg_with_no_sets_yet_starts_at_the_other_legs_load() -> None:
    history = [s for s in legs([12, 12], []) if s.side is Side.LEFT]
    left, right = suggest_next(SINGLE_LEG, history)
    assert (left.side, left.action) == (Side.LEFT, Action.INCREASE)
    assert right == Suggestion(
        exercise_id=SINGLE, side=Side.RIGHT, load_kg=60.0, target_reps=8, action=Action.START,
        reason="No right leg sets yet: start at the left leg's 60 kg",
    )


def test_sets_logged_for_both_legs_count_for_each_leg() -> None:
    history = [logged(60, 12, minute=i, exercise=SINGLE, side=Side.BOTH) for i in range(2)]
    result = only(suggest_next(SINGLE_LEG, history))
    assert (result.side, result.load_kg) == (Side.BOTH, 62.5)


def test_one_leg_sets_on_a_two_leg_exercise_are_not_judged() -> None:
    history = [*day_sets([(100, 15)], day=0), logged(50, 3, day=1, side=Side.LEFT)]
    assert only(suggest_next(PRESS_45, history)).action is Action.INCREASE


# --- first time ---------------------------------------------------------------------------------


def test_the_first_single_leg_press_starts_from_the_two_leg_load() -> None:
    history = day_sets([(100, 12), (120, 10), (110, 10)], day=0)
    result = only(suggest_next(SINGLE_LEG, history, reference=PRESS_45))
    assert result == Suggestion(
        exercise_id=SINGLE, side=Side.BOTH, load_kg=50.0, target_reps=8, action=Action.START,
        reason="First single-leg press: 40–50% of your 45° leg press working load (120 kg) → "
               "start at 50 kg",
    )


@pytest.mark.parametrize(("two_leg", "start"), [
    (100, 40.0), (125, 50.0), (140, 57.5), (4, 2.0), (0, 0.0),
])
def test_the_first_load_is_rounded_up_into_the_band(two_leg: float, start: float) -> None:
    result = only(suggest_next(SINGLE_LEG, day_sets([(two_leg, 10)], day=0)))
    assert result.load_kg == start


def test_only_the_latest_two_leg_working_sets_set_the_first_load() -> None:
    history = [
        *day_sets([(200, 10)], day=0),  # an older session
        *day_sets([(100, 10)], day=5),
        logged(180, 2, day=5, minute=30, set_type=SetType.WARMUP),
        logged(90, 10, day=6, side=Side.LEFT),  # not a two-leg set
    ]
    result = only(suggest_next(SINGLE_LEG, history))
    assert result.load_kg == 40
    assert "of your leg-press-45 working load (100 kg)" in result.reason  # no reference given


def test_no_history_at_all_gives_advice_but_no_load() -> None:
    for exercise in (HIP_THRUST, SINGLE_LEG):
        result = only(suggest_next(exercise, []))
        assert (result.load_kg, result.action, result.target_reps) == (None, Action.START, 12)
        assert result.reason == "No history yet: pick a load you can move for 12 clean reps"


def test_other_exercises_sets_are_ignored() -> None:
    result = only(suggest_next(HIP_THRUST, day_sets([(100, 15)], day=0)))
    assert result.load_kg is None


# --- wording in pounds, and bad input ---------------------------------------------------------


def test_reasons_can_read_in_pounds() -> None:
    result = only(suggest_next(PRESS_45, day_sets([(100, 15)], day=0), unit=LoadUnit.LB))
    assert result.load_kg == 105  # still kg
    assert result.reason == "Your set reached 15 reps → +11.02 lb (220.46 → 231.49 lb)"


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        suggest_next(PRESS_45, [], now=datetime(2025, 6, 1))  # naive
    with pytest.raises(ValueError, match="not the reference"):
        suggest_next(SINGLE_LEG, [], reference=HIP_THRUST)


@pytest.mark.parametrize("change", [
    {"increment_two_leg_kg": 0}, {"increment_one_leg_kg": -2.5}, {"deload_fraction": 1},
    {"deload_fraction": 0}, {"rpe_ceiling": 11}, {"max_weekly_gain_kg": -1},
    {"load_step_kg": 0}, {"plate_step_kg": float("nan")}, {"load_step_kg": 5.0},
])
def test_settings_out_of_range_are_refused(change: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="out of range"):
        ProgressionSettings(**change)


# --- properties ---------------------------------------------------------------------------------


def last_working_sessions(history: list[SetRecord], sides: set[Side]) -> list[list[SetRecord]]:
    """An independent re-statement of "sessions of working sets", for the properties."""
    sessions: dict[Any, list[SetRecord]] = {}
    for record in sorted(history, key=lambda r: r.performed_at):
        if record.set_type in (SetType.WORKING, SetType.FAILURE) and record.side in sides:
            sessions.setdefault(session_key(record), []).append(record)
    return list(sessions.values())


def ready(sets: list[SetRecord], top: int) -> bool:
    return all(s.reps >= top and s.set_type is SetType.WORKING
               and (effective_rpe(s) or 0) <= 9 for s in sets)


def check(exercise: Exercise, history: list[SetRecord], suggestion: Suggestion) -> None:
    settings = ProgressionSettings()
    top = exercise.guidance.rep_range[1]
    if suggestion.load_kg is not None:
        assert suggestion.load_kg >= 0
    if suggestion.last_load_kg is not None:
        assert suggestion.load_kg <= suggestion.last_load_kg + settings.max_weekly_gain_kg
    if suggestion.action is Action.INCREASE:
        assert suggestion.load_kg > suggestion.last_load_kg
        assert suggestion.load_kg * 2 == int(suggestion.load_kg * 2)  # on the 0.5 kg grid
        if not exercise.one_sided:
            judged = {Side.BOTH}
        elif suggestion.side is Side.BOTH:
            judged = {Side.LEFT, Side.RIGHT}
        else:
            judged = {suggestion.side}
        for side in judged:
            last = last_working_sessions(history, {side, Side.BOTH})[-1]
            assert ready(last, top)
            assert max(s.load_kg for s in last) == suggestion.last_load_kg
    if suggestion.action is Action.DELOAD:
        assert suggestion.load_kg < suggestion.last_load_kg
        assert suggestion.load_kg % 2.5 == 0


@PROPERTY
@given(histories(exercise=PRESS))
def test_two_leg_suggestions_keep_the_rules(history: list[SetRecord]) -> None:
    result = only(suggest_next(PRESS_45, history))
    check(PRESS_45, history, result)
    sessions = last_working_sessions(history, {Side.BOTH})
    if sessions and ready(sessions[-1], 15):
        assert result.action in (Action.INCREASE, Action.HOLD)
        assert result.action is Action.INCREASE or result.reason.startswith("Capped")


@PROPERTY
@given(histories(exercise=SINGLE, sides=(Side.LEFT, Side.RIGHT, Side.BOTH)))
def test_one_leg_suggestions_keep_the_rules(history: list[SetRecord]) -> None:
    suggestions = suggest_next(SINGLE_LEG, history)
    assert 1 <= len(suggestions) <= 2
    for suggestion in suggestions:
        check(SINGLE_LEG, history, suggestion)


@PROPERTY
@given(histories(exercise=PRESS), st.integers(0, 30))
def test_no_seven_days_gain_more_than_the_cap(history: list[SetRecord], days_later: int) -> None:
    now = max(r.performed_at for r in history) + timedelta(days=days_later)
    result = only(suggest_next(PRESS_45, history, now=now))
    if result.action is Action.INCREASE:
        this_week = [s for s in last_working_sessions(history, {Side.BOTH})
                     if (now.date() - s[-1].performed_at.date()).days < 7]
        lowest = min((max(r.load_kg for r in s) for s in this_week), default=result.last_load_kg)
        assert result.load_kg - lowest <= 10 + 1e-9
