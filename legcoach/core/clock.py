"""Time sources for the set pacer.

The pacer never reads the system time itself: it asks an injected `Clock`. The app passes a
`MonotonicClock` (immune to wall-clock jumps from NTP or daylight saving); tests and benchmarks
pass a `FakeClock` they move by hand, so no test ever sleeps.
"""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """Anything that tells the time in seconds on a clock that never goes backwards."""

    def now(self) -> float:
        """Current time in seconds; only differences between two readings are meaningful."""
        ...


class MonotonicClock:
    """The real clock: `time.monotonic`, which wall-clock adjustments cannot move."""

    def now(self) -> float:
        """Seconds since an arbitrary, fixed point in the past."""
        return time.monotonic()


class FakeClock:
    """A clock that only moves when told to, so timing tests are exact and instantaneous."""

    def __init__(self, start: float = 1000.0) -> None:
        # A non-zero default start catches code that wrongly treats clock readings as durations.
        if not math.isfinite(start):
            raise ValueError(f"A clock must start at a finite time, not {start!r}.")
        self._now = float(start)

    def now(self) -> float:
        """The time as last set or advanced."""
        return self._now

    def advance(self, seconds: float) -> float:
        """Move forward by `seconds` (>= 0) and return the new time."""
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"A clock can only move forward by a finite amount, not {seconds!r}.")
        self._now += seconds
        return self._now

    def set(self, t: float) -> float:
        """Jump to absolute time `t`; never earlier than now (monotonic, like the real one)."""
        if not math.isfinite(t):
            raise ValueError(f"A clock time must be finite, not {t!r}.")
        if t < self._now:
            raise ValueError(f"A monotonic clock never goes backwards: {t!r} < {self._now!r}.")
        self._now = float(t)
        return self._now


class FakeWallClock:
    """A UTC wall clock (for dates of sets) that only moves when told: tests and demos."""

    def __init__(self, start: datetime) -> None:
        if start.utcoffset() is None:
            raise ValueError("The fake wall clock needs a time zone (use UTC).")
        self.now = start.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now
