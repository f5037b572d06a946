"""The rest timer on a FakeClock: exact readings, each cue once per deadline, no drift."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legcoach.core.clock import FakeClock
from legcoach.core.rest import (
    MAX_REST,
    RestCue,
    RestCueKind,
    RestTimer,
    countdown_digits,
    rest_text,
    validate_rest,
)
from legcoach.core.setrun import EPSILON

FAST = settings(max_examples=400, deadline=None)
START = 1000.0  # FakeClock's default start
WARNING, OVER = RestCueKind.WARNING, RestCueKind.OVER


def resting(seconds: float) -> tuple[RestTimer, FakeClock]:
    clock = FakeClock()
    return RestTimer(seconds, clock), clock


def at(timer: RestTimer, clock: FakeClock, seconds: float) -> list[RestCue]:
    """Move the clock to `seconds` after the start and pop what is due."""
    assert timer.started_at is not None
    clock.set(timer.started_at + seconds)
    return timer.pop_due()


# -- a rest by hand -------------------------------------------------------------------------------


def test_a_ninety_second_rest_warns_at_ten_seconds_left_and_ends_at_zero() -> None:
    rest, clock = resting(90)
    assert rest.is_running and not rest.is_over
    assert (rest.remaining(), rest.overrun(), countdown_digits(rest)) == (90.0, 0.0, "1:30")
    assert rest.next_deadline() == START + 80
    assert at(rest, clock, 79.999) == []
    assert countdown_digits(rest) == "0:11"
    assert at(rest, clock, 80) == [RestCue(WARNING, 80.0)]
    assert countdown_digits(rest) == "0:10"
    assert rest.next_deadline() == START + 90
    assert at(rest, clock, 89.5) == []
    assert countdown_digits(rest) == "0:01"  # rounded up: 0:00 never shows before zero
    assert at(rest, clock, 90) == [RestCue(OVER, 90.0)]
    assert rest.is_over and rest.next_deadline() is None
    assert countdown_digits(rest) == "+0:00"
    assert at(rest, clock, 102.9) == []  # the overrun counts on, silently
    assert (rest.remaining(), countdown_digits(rest)) == (0.0, "+0:12")
    assert math.isclose(rest.overrun(), 12.9)


def test_late_wake_up_delivers_both_cues_in_order_once() -> None:
    rest, clock = resting(60)
    assert at(rest, clock, 75) == [RestCue(WARNING, 50.0), RestCue(OVER, 60.0)]
    assert rest.pop_due() == []


@pytest.mark.parametrize("seconds", [5, 8, 10])
def test_a_rest_of_ten_seconds_or_less_has_no_warning(seconds: float) -> None:
    rest, clock = resting(seconds)
    assert rest.next_deadline() == START + seconds
    assert at(rest, clock, seconds) == [RestCue(OVER, float(seconds))]


def test_just_over_ten_seconds_warns_right_after_the_start() -> None:
    rest, clock = resting(10.5)
    assert at(rest, clock, 0.5) == [RestCue(WARNING, 0.5)]


def test_extending_after_the_warning_warns_again_at_the_new_ten_second_mark() -> None:
    rest, clock = resting(60)
    assert at(rest, clock, 52) == [RestCue(WARNING, 50.0)]
    assert rest.extend(30)
    assert (rest.total, rest.remaining(), rest.extensions) == (90.0, 38.0, 1)
    assert countdown_digits(rest) == "0:38"
    assert rest.next_deadline() == START + 80
    assert at(rest, clock, 79.9) == []
    assert at(rest, clock, 80) == [RestCue(WARNING, 80.0)]
    assert at(rest, clock, 90) == [RestCue(OVER, 90.0)]


def test_extending_before_the_warning_moves_it_and_it_fires_once() -> None:
    rest, clock = resting(60)
    at(rest, clock, 20)
    assert rest.extend()
    assert rest.extend()
    assert rest.next_deadline() == START + 110
    assert at(rest, clock, 50) == []  # the old mark is gone
    assert at(rest, clock, 110) == [RestCue(WARNING, 110.0)]
    assert at(rest, clock, 200) == [RestCue(OVER, 120.0)]


def test_extending_inside_the_last_ten_seconds_by_a_little_does_not_warn_again() -> None:
    rest, clock = resting(30)
    assert at(rest, clock, 25) == [RestCue(WARNING, 20.0)]
    assert rest.extend(3)
    assert rest.remaining() == 8
    assert at(rest, clock, 33) == [RestCue(OVER, 33.0)]


def test_a_short_rest_extended_gains_a_warning() -> None:
    rest, clock = resting(8)
    at(rest, clock, 5)
    assert rest.extend(30)
    assert at(rest, clock, 28) == [RestCue(WARNING, 28.0)]
    assert at(rest, clock, 38) == [RestCue(OVER, 38.0)]


def test_extending_during_the_overrun_restarts_the_countdown_from_the_new_total() -> None:
    rest, clock = resting(60)
    at(rest, clock, 72)  # twelve seconds late
    assert rest.is_over
    assert rest.extend(30)  # total 90: 18 s left, so the countdown and both cues come back
    assert not rest.is_over and rest.remaining() == 18 and countdown_digits(rest) == "0:18"
    assert at(rest, clock, 80) == [RestCue(WARNING, 80.0)]
    assert at(rest, clock, 90) == [RestCue(OVER, 90.0)]


def test_extending_while_still_over_sounds_nothing_twice() -> None:
    rest, clock = resting(60)
    at(rest, clock, 100)
    assert rest.extend(30)  # total 90, still 10 s late
    assert rest.is_over and math.isclose(rest.overrun(), 10)
    assert rest.pop_due() == [] and rest.next_deadline() is None


def test_an_undelivered_end_cue_survives_an_extension_that_leaves_the_rest_over() -> None:
    rest, clock = resting(5)
    clock.advance(100)  # the screen was hidden: nobody popped
    assert rest.extend(30)
    assert rest.pop_due() == [RestCue(OVER, 35.0)]


def test_extend_refuses_past_fifteen_minutes_left_and_after_skip() -> None:
    rest, _ = resting(MAX_REST - 20)
    assert not rest.extend(30)
    assert rest.total == MAX_REST - 20
    assert rest.extend(20)
    rest.skip()
    assert not rest.extend(30)
    with pytest.raises(ValueError, match="positive"):
        RestTimer(60, FakeClock()).extend(0)


def test_skip_freezes_the_readings_and_silences_every_cue() -> None:
    rest, clock = resting(90)
    at(rest, clock, 30)
    rest.skip()
    clock.advance(500)
    assert rest.is_ended and rest.is_over and not rest.is_running
    assert (rest.elapsed(), rest.remaining(), rest.overrun()) == (30.0, 60.0, 0.0)
    assert rest.pop_due() == [] and rest.next_deadline() is None
    assert rest.next_boundary() is None
    rest.skip()  # idempotent
    assert rest.elapsed() == 30.0


def test_pause_freezes_the_countdown_and_resume_shifts_the_deadlines() -> None:
    rest, clock = resting(60)
    at(rest, clock, 20)
    rest.pause()
    clock.advance(300)
    assert rest.is_paused and rest.remaining() == 40
    assert rest.pop_due() == [] and rest.next_deadline() is None
    assert rest_text(rest).headline == "PAUSED"
    rest.resume()
    assert rest.next_deadline() == START + 300 + 50  # 50 s of running rest, 300 s paused
    clock.set(START + 349.9)
    assert rest.pop_due() == []
    clock.set(START + 350)
    assert rest.pop_due() == [RestCue(WARNING, 50.0)]


def test_a_cue_already_due_when_paused_is_due_now() -> None:
    rest, clock = resting(30)
    clock.advance(25)
    rest.pause()
    assert rest.next_deadline() == clock.now()
    assert rest.pop_due() == [RestCue(WARNING, 20.0)]
    assert rest.next_deadline() is None


def test_not_started_until_start_when_asked() -> None:
    clock = FakeClock()
    rest = RestTimer(60, clock, start=False)
    clock.advance(100)
    assert not rest.is_started and rest.remaining() == 60
    assert rest.pop_due() == [] and rest.next_deadline() is None
    rest.start()
    assert rest.next_deadline() == clock.now() + 50
    with pytest.raises(RuntimeError, match="already started"):
        rest.start()


@pytest.mark.parametrize("seconds", [0, 4.99, 900.01, -30, math.inf, math.nan, "soon"])
def test_rest_length_is_validated_with_a_clear_message(seconds: object) -> None:
    with pytest.raises(ValueError, match=r"between 5 s and 15 min|number of seconds"):
        RestTimer(seconds, FakeClock())  # type: ignore[arg-type]


@pytest.mark.parametrize("seconds", [5, 90, "120", 900])
def test_valid_lengths(seconds: object) -> None:
    assert validate_rest(seconds) == float(seconds)  # type: ignore[arg-type]


def test_the_text_follows_the_remaining_time() -> None:
    rest, clock = resting(90)
    assert rest_text(rest).headline == "REST"
    at(rest, clock, 80)
    assert rest_text(rest).headline == "GET READY"
    at(rest, clock, 95)
    text = rest_text(rest)
    assert (text.headline, text.digits, text.detail) == ("GO", "+0:05", "Time for your next set")
    long, _ = resting(900)
    assert countdown_digits(long) == "15:00"


def test_next_boundary_is_where_the_digits_change() -> None:
    rest, clock = resting(90)
    assert rest.next_boundary() == START + 1  # 1:30 → 1:29
    assert rest.next_boundary(0.25) == START + 0.25
    clock.set(START + 0.4)
    assert rest.next_boundary() == START + 1
    assert rest.next_boundary(0.25) == START + 0.5
    boundary = rest.next_boundary()
    clock.set(boundary)
    assert countdown_digits(rest) == "1:29"
    assert rest.next_boundary() == START + 2
    clock.set(START + 95.3)  # overrun 5.3: +0:05 → +0:06 at 96
    assert rest.next_boundary() == START + 96
    with pytest.raises(ValueError, match="positive"):
        rest.next_boundary(0)


# -- properties -----------------------------------------------------------------------------------

advance = st.tuples(st.just("advance"), st.floats(0, 20, allow_nan=False))
tiny = st.tuples(st.just("advance"), st.floats(0, 0.01, allow_nan=False))
extend = st.tuples(st.just("extend"), st.sampled_from([30.0, 30.0, 5.0, 0.5, 12.0]))
almost = st.tuples(st.just("almost"), st.floats(1e-4, 1.0))  # this far before the deadline
simple = st.sampled_from(["pause", "resume", "pause", "resume", "pop", "deadline"]).map(
    lambda s: (s, 0.0))
ops = st.lists(st.one_of(advance, tiny, extend, almost, simple), max_size=60)
skip_at = st.integers(0, 90)  # the step that skips the rest (none when past the end)


class Model:
    """The rest written the slow, obvious way: which cue each deadline still owes."""

    def __init__(self, seconds: float) -> None:
        self.elapsed = 0.0
        self.total = seconds
        self.owed = {WARNING: seconds > 10, OVER: True}
        self.ended = False

    def extend(self, amount: float) -> None:
        self.total += amount
        left = self.total - self.elapsed
        self.owed[WARNING] = self.owed[WARNING] or left > 10
        self.owed[OVER] = self.owed[OVER] or left > EPSILON

    def cues(self) -> list[RestCue]:
        return [RestCue(WARNING, self.total - 10), RestCue(OVER, self.total)]

    def due(self) -> list[RestCue]:
        return [c for c in self.cues() if self.owed[c.kind] and c.at <= self.elapsed + EPSILON]


@FAST
@given(st.floats(5, 600), ops, skip_at)
def test_any_sequence_fires_each_cue_at_its_moment_at_most_once_per_deadline(
    seconds: float, steps: list[tuple[str, float]], skip_step: int
) -> None:
    clock = FakeClock()
    rest = RestTimer(seconds, clock)
    model = Model(seconds)
    popped: list[RestCue] = []
    if skip_step < len(steps):
        steps = [*steps[:skip_step], ("skip", 0.0), *steps[skip_step:]]
    for op, amount in steps:
        before = rest.remaining()
        if op == "advance":
            clock.advance(amount)
            if rest.is_running:
                model.elapsed += amount
        elif op == "extend":
            if rest.extend(amount):
                model.extend(amount)
            else:
                assert model.ended or model.total + amount - model.elapsed > MAX_REST
        elif op == "pause":
            rest.pause()
        elif op == "resume":
            rest.resume()
        elif op == "skip":
            rest.skip()
            model.ended = True
        elif op == "almost":
            deadline = rest.next_deadline()
            if deadline is not None and deadline - amount > clock.now():
                if rest.is_running:
                    model.elapsed += deadline - amount - clock.now()
                clock.set(deadline - amount)
                assert rest.pop_due() == [], "a cue came before its deadline"
        elif op == "deadline":
            deadline = rest.next_deadline()
            if deadline is not None:
                ahead = deadline > clock.now()
                if rest.is_running:
                    model.elapsed += max(deadline - clock.now(), 0.0)
                clock.set(max(deadline, clock.now()))
                due = rest.pop_due()
                assert due, "nothing was due at the announced deadline"
                if ahead:  # the deadline is the cue's exact moment, not a tick near it
                    assert math.isclose(due[0].at, rest.elapsed(), abs_tol=1e-9)
                popped += due
                for cue in due:
                    model.owed[cue.kind] = False
        if op == "pop":
            expected = [] if rest.is_ended else model.due()
            due = rest.pop_due()
            assert [(c.kind, round(c.at, 6)) for c in due] == [
                (c.kind, round(c.at, 6)) for c in expected]
            popped += due
            for cue in due:
                model.owed[cue.kind] = False
        assert rest.is_ended == model.ended
        # Readings come from absolute clock values: they match the model, never drift.
        assert math.isclose(rest.elapsed(), model.elapsed, abs_tol=1e-9)
        assert math.isclose(rest.total, model.total, abs_tol=1e-9)
        assert math.isclose(rest.remaining(), max(model.total - model.elapsed, 0), abs_tol=1e-9)
        assert math.isclose(rest.overrun(), max(model.elapsed - model.total, 0), abs_tol=1e-9)
        # The next deadline is the earliest owed cue's moment, in clock time.
        owed = [c.at for c in model.cues() if model.owed[c.kind]]
        if rest.is_running and owed:
            expected_deadline = clock.now() + min(owed) - model.elapsed
            assert math.isclose(rest.next_deadline() or -1, expected_deadline, abs_tol=1e-6)
        # Remaining time never jumps up, except by what an extension added.
        allowed = amount if op == "extend" else 0.0
        assert rest.remaining() <= before + allowed + 1e-9
        # No cue is ever early, and none twice for the same deadline.
        assert all(cue.at <= rest.elapsed() + EPSILON for cue in popped)
        assert len({(c.kind, round(c.at, 6)) for c in popped}) == len(popped)
        assert all(c.at > 0 for c in popped if c.kind is WARNING)
        if rest.is_ended:
            assert rest.pop_due() == [] and rest.next_deadline() is None
    if not rest.is_ended:
        # Run to the end: the final deadline delivers what it still owes, exactly once.
        rest.resume()
        owed = dict(model.owed)
        clock.advance(rest.remaining() + 1)
        final = rest.pop_due()
        assert [c.kind for c in final] == [k for k in (WARNING, OVER) if owed[k]]
        assert all(c.at in (rest.total - 10, rest.total) for c in final)
        assert rest.pop_due() == [] and rest.next_deadline() is None


@FAST
@given(st.floats(5, 900), st.floats(0, 2000))
def test_the_warning_sounds_only_for_rests_longer_than_ten_seconds(
    seconds: float, late: float
) -> None:
    rest, clock = resting(seconds)
    clock.advance(late)
    kinds = [cue.kind for cue in rest.pop_due()]
    expected_warning = seconds > 10 and late + EPSILON >= seconds - 10
    assert (WARNING in kinds) == expected_warning
    assert (OVER in kinds) == (late + EPSILON >= seconds)


def test_no_drift_after_ten_thousand_small_random_advances() -> None:
    rng = random.Random(20240612)
    clock = FakeClock()
    rest = RestTimer(MAX_REST, clock)
    paused_for = 0.0
    popped: list[RestCue] = []
    for step in range(10_000):
        dt = rng.uniform(0.0, 0.05)
        if rest.is_paused:
            paused_for += dt
        clock.advance(dt)
        if step % 97 == 0:
            rest.pause() if not rest.is_paused else rest.resume()
        if step % 7 == 0:
            popped += rest.pop_due()
    wall = clock.now() - START
    assert wall > 200
    assert abs(rest.elapsed() - (wall - paused_for)) < 1e-9
    assert abs(rest.remaining() - (MAX_REST - (wall - paused_for))) < 1e-9
    rest.resume()
    deadline = rest.next_deadline()
    assert deadline is not None
    clock.set(deadline)
    assert rest.pop_due() == [RestCue(WARNING, MAX_REST - 10)]
    assert popped == []
