"""The running set on a FakeClock: exact positions, cues exactly once, pauses, edits, no drift."""

from __future__ import annotations

import math
import random
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legcoach.core.clock import FakeClock
from legcoach.core.setplan import Breath, Cue, CueKind, PhaseKind, SetPlan, build_schedule
from legcoach.core.setrun import EPSILON, SetRun
from legcoach.core.sides import Side
from legcoach.core.tempo import parse_tempo
from tests.core.test_setplan import plans

FAST = settings(max_examples=300, deadline=None)
START = 1000.0  # FakeClock's default start

E, B, C, T = PhaseKind.ECCENTRIC, PhaseKind.BOTTOM, PhaseKind.CONCENTRIC, PhaseKind.TOP
BOTH, LEFT, RIGHT = Side.BOTH, Side.LEFT, Side.RIGHT


def leg_press(**changes: object) -> SetPlan:
    """Two legs, 2 reps of 3-1-2-0 after a 5 s lead-in: segments 0-5 | 5-8-9-11 | 11-14-15-17."""
    plan = SetPlan("leg_press", 2, parse_tempo("3-1-2-0"), end_cue="Rack it")
    return replace(plan, **changes)


def single_leg(**changes: object) -> SetPlan:
    """Left 3-5-6 / 6-8-9, switch 9-19, right 19-21-22 / 22-24-25 (2 reps of 2-0-1-0)."""
    plan = SetPlan("single_leg_press", 2, parse_tempo("2-0-1-0"), one_sided=True, lead_in=3.0)
    return replace(plan, **changes)


def started(plan: SetPlan) -> tuple[SetRun, FakeClock]:
    clock = FakeClock()
    run = SetRun(plan, clock)
    run.start()
    return run, clock


def texts(cues: list[Cue]) -> list[str]:
    return [cue.text for cue in cues]


# -- a whole set by hand --------------------------------------------------------------------------


def test_before_start_nothing_moves_or_fires() -> None:
    clock = FakeClock()
    run = SetRun(leg_press(), clock)
    clock.advance(30)
    assert run.elapsed() == 0.0
    assert run.pop_due() == []
    assert run.next_deadline() is None
    assert not run.is_started and not run.is_running and not run.is_finished
    state = run.state()
    assert (state.kind, state.started, state.remaining) == (PhaseKind.COUNTDOWN, False, 5.0)
    with pytest.raises(RuntimeError, match="still going"):
        run.result()


def test_walk_through_a_two_leg_set() -> None:
    run, clock = started(leg_press())
    assert run.is_running
    assert texts(run.pop_due()) == ["5"]
    assert run.next_deadline() == START + 1.0
    clock.set(START + 1.0)
    assert texts(run.pop_due()) == ["4"]
    clock.set(START + 5.0)
    assert texts(run.pop_due()) == ["3", "2", "1", "GO", "LOWER"]
    clock.advance(1.5)

    state = run.state()
    assert (state.kind, state.side, state.rep, state.target_reps) == (E, BOTH, 1, 2)
    assert state.label == "LOWER · inhale"
    assert state.breath is Breath.INHALE
    assert state.progress == 0.5
    assert state.remaining == 1.5
    assert state.time_under_tension == 1.5
    assert state.completed_reps == {BOTH: 0}
    assert state.next_cue is not None and (state.next_cue.at, state.next_cue.text) == (8.0, "HOLD")
    assert run.next_deadline() == START + 8.0

    # A 100 s pause changes nothing on the timeline.
    run.pause()
    assert run.is_paused and not run.is_running
    assert run.next_deadline() is None
    clock.advance(100)
    assert run.state() == replace(state, paused=True)
    assert run.pop_due() == []
    run.resume()
    assert run.state() == state
    assert run.next_deadline() == START + 108.0  # 1.5 s to go, now + 1.5

    clock.set(START + 108.0)
    assert texts(run.pop_due()) == ["HOLD"]
    assert run.state().label == "HOLD"
    clock.set(START + 100 + 17.0)
    assert texts(run.pop_due()) == ["PUSH", "LAST REP", "LOWER", "HOLD", "PUSH", "Rack it"]
    assert run.is_finished and not run.is_running
    assert run.next_deadline() is None
    done = run.state()
    assert (done.kind, done.label, done.progress, done.remaining) == (
        PhaseKind.DONE, "Rack it", 1.0, 0.0)
    assert done.time_under_tension == 12.0
    assert done.completed_reps == {BOTH: 2}
    clock.advance(50)
    assert run.elapsed() == 17.0
    result = run.result()
    assert result.completed_reps == {BOTH: 2}
    assert result.target_reps == {BOTH: 2}
    assert result.time_under_tension == 12.0
    assert not result.ended_early
    assert result.total_reps == 2
    assert run.end_early() is result  # already finished: nothing to end early


def test_a_late_caller_gets_every_missed_cue_at_once_in_order() -> None:
    run, clock = started(leg_press())
    clock.advance(12.0)
    due = run.pop_due()
    assert [c.at for c in due] == [0, 1, 2, 3, 4, 5, 5, 8, 9, 11, 11]
    assert run.pop_due() == []
    assert [c.at for c in run.schedule.cues[: len(due)]] == [c.at for c in due]


def test_a_timer_armed_at_each_deadline_wakes_once_per_distinct_cue_time() -> None:
    run, clock = started(single_leg(tempo=parse_tempo("2.35-0.1-X-0.45"), lead_in=4.3))
    delivered: list[Cue] = []
    wakes = 0
    while (deadline := run.next_deadline()) is not None:
        clock.set(max(deadline, clock.now()))
        due = run.pop_due()
        assert due, "a wake-up at the deadline must deliver the cue"
        delivered += due
        wakes += 1
    assert delivered == list(run.schedule.cues)
    assert wakes == len({cue.at for cue in run.schedule.cues})
    assert run.is_finished


def test_one_sided_set_counts_each_side_and_excludes_the_switch() -> None:
    run, clock = started(single_leg(switch_cue="Switch to the right leg"))
    clock.advance(12.0)
    state = run.state()
    assert (state.kind, state.side, state.rep) == (PhaseKind.SWITCH, RIGHT, 0)
    assert state.label == "Switch to the right leg"
    assert state.remaining == 7.0
    assert state.completed_reps == {LEFT: 2, RIGHT: 0}
    assert state.time_under_tension == 6.0
    clock.advance(8.0)  # elapsed 20: right leg, rep 1, lowering
    state = run.state()
    assert (state.kind, state.side, state.rep, state.progress) == (E, RIGHT, 1, 0.5)
    assert state.time_under_tension == 7.0
    kinds = [c.kind for c in run.pop_due()]
    assert kinds.count(CueKind.SWITCH) == 1
    assert kinds.count(CueKind.LAST_REP) == 1
    clock.advance(100)
    assert run.result().completed_reps == {LEFT: 2, RIGHT: 2}
    assert run.result().time_under_tension == 12.0


def test_start_twice_is_an_error_and_pause_resume_are_forgiving() -> None:
    clock = FakeClock()
    run = SetRun(leg_press(), clock)
    run.pause()  # before start: nothing to pause
    run.resume()
    assert not run.is_paused
    run.start()
    with pytest.raises(RuntimeError, match="already started"):
        run.start()
    run.pause()
    run.pause()
    clock.advance(3)
    run.resume()
    run.resume()
    clock.advance(1)
    assert run.elapsed() == 1.0


# -- skipping -------------------------------------------------------------------------------------


def test_skip_needs_a_started_set() -> None:
    run = SetRun(leg_press(), FakeClock())
    assert not run.skip_rep()
    assert run.elapsed() == 0.0


def test_skip_during_countdown_goes_straight_to_the_first_rep() -> None:
    run, clock = started(leg_press())
    clock.advance(2.0)
    assert run.skip_rep()
    # Ticks already due are still delivered; the skipped "2", "1" are not; GO and LOWER fire.
    assert texts(run.pop_due()) == ["5", "4", "3", "GO", "LOWER"]
    state = run.state()
    assert (state.kind, state.rep, state.progress, state.elapsed) == (E, 1, 0.0, 5.0)
    assert sum(run.end_early().skipped_reps.values()) == 0


def test_skip_mid_rep_counts_the_rep_but_not_its_unlifted_time() -> None:
    run, clock = started(leg_press())
    clock.advance(6.5)
    run.pop_due()
    assert run.skip_rep()
    assert texts(run.pop_due()) == ["LAST REP", "LOWER"]
    state = run.state()
    assert (state.kind, state.rep, state.elapsed) == (E, 2, 11.0)
    assert state.completed_reps == {BOTH: 1}
    assert state.time_under_tension == 1.5
    clock.advance(6.0)
    assert texts(run.pop_due()) == ["HOLD", "PUSH", "Rack it"]
    result = run.result()
    assert result.completed_reps == {BOTH: 2}
    assert result.skipped_reps == {BOTH: 1}
    assert result.time_under_tension == 7.5
    assert not run.skip_rep()  # nothing left to skip


def test_skip_the_last_rep_of_a_side_lands_on_the_switch_then_the_next_side() -> None:
    run, clock = started(single_leg())
    clock.advance(7.0)
    run.pop_due()
    assert run.skip_rep()
    assert [c.kind for c in run.pop_due()] == [CueKind.SWITCH]
    assert run.state().kind is PhaseKind.SWITCH
    assert run.skip_rep()
    assert [(c.kind, c.side, c.rep) for c in run.pop_due()] == [(CueKind.PHASE, RIGHT, 1)]
    assert run.state().elapsed == 19.0
    clock.advance(4.0)  # right rep 2, lowering
    assert run.skip_rep()
    # Due before the skip: right rep 1 PUSH (21), LAST REP and LOWER (22); then the end.
    assert [c.at for c in run.pop_due()] == [21.0, 22.0, 22.0, 25.0]
    assert run.is_finished
    assert run.result().skipped_reps == {LEFT: 1, RIGHT: 1}
    assert run.result().completed_reps == {LEFT: 2, RIGHT: 2}


def test_skip_while_paused_stays_paused_and_offers_the_new_cue_now() -> None:
    run, clock = started(leg_press())
    clock.advance(6.0)
    run.pop_due()
    run.pause()
    assert run.skip_rep()
    assert run.is_paused
    assert run.next_deadline() == clock.now()
    assert texts(run.pop_due()) == ["LAST REP", "LOWER"]
    assert run.next_deadline() is None
    clock.advance(30)
    assert run.elapsed() == 11.0


# -- editing the target ---------------------------------------------------------------------------


def test_add_rep_keeps_the_position_and_does_not_refire() -> None:
    run, clock = started(leg_press())
    clock.advance(6.5)
    run.pop_due()
    before = run.state()
    assert run.add_rep()
    after = run.state()
    assert (after.kind, after.rep, after.progress, after.remaining) == (E, 1, 0.5, 1.5)
    assert after.target_reps == 3
    assert after.time_under_tension == before.time_under_tension
    assert run.schedule.total == 23.0
    assert run.plan.target_reps == 3
    assert run.pop_due() == []
    clock.advance(100)
    cues = run.pop_due()
    assert [(c.kind, c.rep) for c in cues if c.kind is CueKind.LAST_REP] == [
        (CueKind.LAST_REP, 3)]
    assert cues[-1].kind is CueKind.SET_END
    assert run.result().completed_reps == {BOTH: 3}
    assert run.result().time_under_tension == 18.0


def test_remove_rep_never_goes_below_the_rep_in_progress_or_one() -> None:
    run, clock = started(leg_press(target_reps=3))
    clock.advance(6.0)  # rep 1
    assert run.remove_rep()  # 3 -> 2
    assert run.remove_rep()  # 2 -> 1: rep 1 is now the last
    assert not run.remove_rep()  # cannot remove the rep in progress
    assert run.state().target_reps == 1
    assert run.schedule.total == 11.0
    assert run.add_rep()
    clock.advance(6.0)  # rep 2
    assert run.state().rep == 2
    assert not run.remove_rep()
    assert run.state().target_reps == 2


def test_add_rep_stops_at_100() -> None:
    run, _ = started(leg_press(target_reps=99))
    assert run.add_rep()
    assert not run.add_rep()
    assert run.state().target_reps == 100


def test_edits_on_the_second_side_leave_the_first_side_alone() -> None:
    run, clock = started(single_leg())
    clock.advance(20.0)  # right, rep 1, lowering, half way
    run.pop_due()
    assert run.add_rep()
    state = run.state()
    assert (state.kind, state.side, state.rep, state.progress) == (E, RIGHT, 1, 0.5)
    assert state.completed_reps == {LEFT: 2, RIGHT: 0}
    assert run.schedule.reps == (2, 3)
    assert run.schedule.total == 28.0
    assert run.pop_due() == []
    clock.advance(100)
    assert run.result().target_reps == {LEFT: 2, RIGHT: 3}
    assert run.result().completed_reps == {LEFT: 2, RIGHT: 3}
    assert run.result().time_under_tension == 15.0


def test_edits_during_the_switch_apply_to_the_next_side() -> None:
    run, clock = started(single_leg())
    clock.advance(10.0)
    assert run.remove_rep()
    assert run.schedule.reps == (2, 1)
    assert run.state().kind is PhaseKind.SWITCH
    assert not run.remove_rep()  # never below 1


def test_edits_before_start_keep_every_cue() -> None:
    clock = FakeClock()
    run = SetRun(leg_press(), clock)
    assert run.add_rep()
    run.start()
    assert texts(run.pop_due()) == ["5"]
    clock.advance(100)
    assert run.result().completed_reps == {BOTH: 3}


def test_an_edit_by_a_late_caller_still_delivers_the_missed_cues_once() -> None:
    run, clock = started(leg_press())
    clock.advance(6.5)
    assert run.add_rep()
    assert run.next_deadline() == clock.now()
    assert texts(run.pop_due()) == ["5", "4", "3", "2", "1", "GO", "LOWER"]
    assert run.pop_due() == []


# -- ending early ---------------------------------------------------------------------------------


def test_end_early_freezes_the_set_and_reports_what_was_done() -> None:
    run, clock = started(leg_press())
    clock.advance(12.0)  # rep 2, 1 s into the lowering
    result = run.end_early()
    assert result.ended_early
    assert result.completed_reps == {BOTH: 1}
    assert result.time_under_tension == 7.0
    assert run.is_finished and not run.is_running and not run.is_paused
    assert run.pop_due() == []
    assert run.next_deadline() is None
    clock.advance(100)
    assert run.elapsed() == 12.0
    state = run.state()
    assert (state.kind, state.rep, state.finished, state.next_cue) == (
        PhaseKind.DONE, 1, True, None)
    assert run.end_early() is result
    assert run.result() is result
    assert not run.add_rep() and not run.remove_rep() and not run.skip_rep()


def test_end_early_before_start() -> None:
    run = SetRun(leg_press(), FakeClock())
    result = run.end_early()
    assert result.completed_reps == {BOTH: 0}
    assert result.time_under_tension == 0.0
    assert result.ended_early


# -- properties -----------------------------------------------------------------------------------

advance = st.tuples(st.just("advance"), st.floats(0, 4, allow_nan=False))
tiny = st.tuples(st.just("advance"), st.floats(0, 0.01, allow_nan=False))
simple = st.sampled_from(["pause", "resume", "pop", "deadline", "state"]).map(lambda s: (s, 0.0))
timing_ops = st.lists(st.one_of(advance, tiny, simple), max_size=60)


def _apply_timing_op(run: SetRun, clock: FakeClock, op: str, amount: float) -> None:
    if op == "advance":
        clock.advance(amount)
    elif op == "pause":
        run.pause()
    elif op == "resume":
        run.resume()
    elif op == "deadline":
        deadline = run.next_deadline()
        if deadline is not None:
            clock.set(max(deadline, clock.now()))


@FAST
@given(plans(max_reps=4), timing_ops)
def test_any_timing_sequence_fires_every_cue_exactly_once_in_order(
    plan: SetPlan, ops: list[tuple[str, float]]
) -> None:
    run, clock = started(plan)
    total = run.schedule.total
    popped: list[Cue] = []
    expected = 0.0  # the model: wall time minus paused time, capped at the end
    for op, amount in ops:
        paused = run.is_paused
        before = run.state()
        now_before = clock.now()
        _apply_timing_op(run, clock, op, amount)
        if paused and op in ("advance", "deadline"):
            # Paused time moves nothing: not the position, not the progress.
            after = run.state()
            assert (after.elapsed, after.progress, after.kind) == (
                before.elapsed, before.progress, before.kind)
        elif not paused and op in ("advance", "deadline"):
            expected = min(total, expected + (clock.now() - now_before))
        if op == "pop":
            popped += run.pop_due()
            limit = run.elapsed()
            assert all(cue.at <= limit + EPSILON for cue in popped)
            assert all(cue in popped for cue in run.schedule.cues if cue.at <= limit)
        assert popped == list(run.schedule.cues[: len(popped)])
        assert 0.0 <= run.elapsed() <= total
        assert math.isclose(run.elapsed(), expected, abs_tol=1e-9)
        state = run.state()
        assert 0.0 <= state.progress <= 1.0
        assert state.time_under_tension <= run.elapsed() + 1e-9
    run.resume()
    clock.advance(total + 1)
    popped += run.pop_due()
    assert popped == list(run.schedule.cues)
    assert run.pop_due() == []
    assert run.is_finished
    assert run.result().completed_reps == dict.fromkeys(plan.sides, plan.target_reps)
    tension = len(plan.sides) * plan.target_reps * plan.tempo.rep_seconds
    assert math.isclose(run.result().time_under_tension, tension, abs_tol=1e-9)


def test_no_drift_after_ten_thousand_small_random_advances() -> None:
    plan = SetPlan("leg_press", 100, parse_tempo("20-20-20-20"))  # 8005 s: never finishes here
    rng = random.Random(20240611)
    run, clock = started(plan)
    paused_for = 0.0
    popped: list[Cue] = []
    for step in range(10_000):
        dt = rng.uniform(0.0, 0.05)
        if run.is_paused:
            paused_for += dt
        clock.advance(dt)
        if step % 97 == 0:
            run.pause() if not run.is_paused else run.resume()
        if step % 7 == 0:
            popped += run.pop_due()
    wall = clock.now() - START
    assert wall > 200
    assert abs(run.elapsed() - (wall - paused_for)) < 1e-9
    popped += run.pop_due()
    assert popped == [cue for cue in run.schedule.cues if cue.at <= run.elapsed()]


def _cue_key(cue: Cue) -> tuple[object, ...]:
    """What makes a cue "the same cue" across schedule rebuilds."""
    if cue.kind in (CueKind.GO, CueKind.SET_END):
        return (cue.kind,)
    return (cue.kind, cue.side, cue.rep, cue.phase, cue.text)


edit_ops = st.lists(
    st.one_of(
        advance,
        tiny,
        st.sampled_from(["pause", "resume", "pop", "add", "remove", "skip", "deadline"]).map(
            lambda s: (s, 0.0)
        ),
    ),
    max_size=50,
)


@FAST
@given(plans(max_reps=4), edit_ops, st.booleans())
def test_edits_keep_the_position_and_never_refire_a_cue(
    plan: SetPlan, ops: list[tuple[str, float]], start_first: bool
) -> None:
    clock = FakeClock()
    run = SetRun(plan, clock)
    if start_first:
        run.start()
    popped: list[Cue] = []
    for op, amount in ops:
        if op in ("add", "remove"):
            before = run.state()
            changed = run.add_rep() if op == "add" else run.remove_rep()
            after = run.state()
            if changed:
                assert (after.kind, after.side, after.rep) == (before.kind, before.side, before.rep)
                assert math.isclose(after.progress, before.progress, abs_tol=1e-6)
                assert math.isclose(after.remaining, before.remaining, abs_tol=1e-6)
                assert math.isclose(
                    after.time_under_tension, before.time_under_tension, abs_tol=1e-9)
                assert after.completed_reps == before.completed_reps
                assert after.target_reps == before.target_reps + (1 if op == "add" else -1)
            else:
                assert after == before
            assert 1 <= after.target_reps <= 100
            assert after.finished or after.rep <= after.target_reps
        elif op == "skip":
            run.skip_rep()
        else:
            _apply_timing_op(run, clock, op, amount)
        if op == "pop":
            popped += run.pop_due()
    if not run.is_started:
        run.start()
    run.resume()
    clock.advance(run.schedule.total + 1)
    popped += run.pop_due()

    keys = [_cue_key(cue) for cue in popped]
    assert len(keys) == len(set(keys)), "a cue fired twice"
    # Rep-phase cues only ever move forward through the set.
    sides = run.schedule.sides
    order = list(plan.rep_order)
    progress = [(sides.index(c.side), c.rep, order.index(c.phase))
                for c in popped if c.kind is CueKind.PHASE and c.phase is not None]
    assert progress == sorted(progress)
    assert [c.kind for c in popped].count(CueKind.SET_END) == 1
    assert popped[-1].kind is CueKind.SET_END
    result = run.result()
    assert result.completed_reps == dict(zip(sides, run.schedule.reps, strict=True))
    assert result.time_under_tension <= build_schedule(run.plan, run.schedule.reps).total
