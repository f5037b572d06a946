"""The clocks: the fake one must behave like a monotonic clock so tests are honest."""

from __future__ import annotations

import math

import pytest

from legcoach.core.clock import Clock, FakeClock, MonotonicClock


def test_fake_clock_starts_at_1000_by_default() -> None:
    assert FakeClock().now() == 1000.0
    assert FakeClock(start=5.0).now() == 5.0


def test_fake_clock_advance_and_set_move_forward() -> None:
    clock = FakeClock()
    assert clock.advance(2.5) == 1002.5
    assert clock.now() == 1002.5
    assert clock.advance(0) == 1002.5
    assert clock.set(1010.0) == 1010.0
    assert clock.set(1010.0) == 1010.0  # setting to now is allowed
    assert clock.now() == 1010.0


@pytest.mark.parametrize("seconds", [-0.001, -5, math.nan, math.inf])
def test_fake_clock_refuses_to_advance_backwards_or_by_non_finite(seconds: float) -> None:
    clock = FakeClock()
    with pytest.raises(ValueError, match="forward"):
        clock.advance(seconds)
    assert clock.now() == 1000.0


def test_fake_clock_never_goes_backwards() -> None:
    clock = FakeClock()
    clock.advance(10)
    with pytest.raises(ValueError, match="never goes backwards"):
        clock.set(1009.999)
    with pytest.raises(ValueError, match="finite"):
        clock.set(math.nan)
    assert clock.now() == 1010.0


def test_fake_clock_rejects_non_finite_start() -> None:
    with pytest.raises(ValueError, match="finite"):
        FakeClock(start=math.inf)


def test_both_clocks_satisfy_the_protocol() -> None:
    assert isinstance(FakeClock(), Clock)
    assert isinstance(MonotonicClock(), Clock)


@pytest.mark.realclock
def test_monotonic_clock_never_goes_backwards() -> None:
    clock = MonotonicClock()
    readings = [clock.now() for _ in range(1000)]
    assert readings == sorted(readings)
    assert all(math.isfinite(r) for r in readings)
