"""The pausable timeline under the set and the rest: pauses are excluded exactly."""

from __future__ import annotations

import pytest

from legcoach.core.clock import FakeClock
from legcoach.core.timeline import PausableTimeline


def test_running_time_excludes_every_pause_and_deadlines_follow() -> None:
    clock = FakeClock()
    time = PausableTimeline(clock)
    assert time.seconds() == 0 and not time.is_started
    clock.advance(3)
    time.start("set")
    clock.advance(10)
    time.pause()
    clock.advance(100)  # a long pause moves nothing
    assert time.seconds() == 10 and time.is_paused
    time.pause()  # pausing twice keeps the first instant
    time.resume()
    clock.advance(5)
    assert time.seconds() == 15
    assert time.clock_time_at(20) == clock.now() + 5
    with pytest.raises(RuntimeError, match="This set has already started"):
        time.start("set")


def test_resume_without_a_pause_and_pause_before_start_do_nothing() -> None:
    clock = FakeClock()
    time = PausableTimeline(clock)
    time.pause()
    assert not time.is_paused
    time.start("rest")
    time.resume()
    clock.advance(2)
    assert time.seconds() == 2
