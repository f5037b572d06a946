"""Running time with pauses, on an injected monotonic clock: what the set and the rest share.

Every reading is computed from absolute clock readings (start, pause instants), never by
adding up ticks, so a late timer or a long pause can't make the set or the rest drift. One
place knows how a pause is measured, so both resume exactly where they stopped.
"""

from __future__ import annotations

from legcoach.core.clock import Clock

__all__ = ["PausableTimeline"]


class PausableTimeline:
    """Seconds run since `start()`, pauses excluded. Owners decide when pausing is allowed."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.started_at: float | None = None
        """Clock reading at start()."""
        self._paused_since: float | None = None
        self._paused_total = 0.0

    @property
    def is_started(self) -> bool:
        return self.started_at is not None

    @property
    def is_paused(self) -> bool:
        return self._paused_since is not None

    def now(self) -> float:
        return self._clock.now()

    def start(self, what: str) -> None:
        """Start now; RuntimeError naming `what` if it already started."""
        if self.started_at is not None:
            raise RuntimeError(f"This {what} has already started.")
        self.started_at = self._clock.now()

    def pause(self) -> None:
        """Freeze the running time (nothing happens before start or when already paused)."""
        if self.started_at is not None and self._paused_since is None:
            self._paused_since = self._clock.now()

    def resume(self) -> None:
        """Continue from the pause instant; nothing happens unless paused."""
        if self._paused_since is not None:
            self._paused_total += self._clock.now() - self._paused_since
            self._paused_since = None

    def seconds(self) -> float:
        """Seconds run so far: 0 before start; while paused, up to the pause instant."""
        if self.started_at is None:
            return 0.0
        reference = self._clock.now() if self._paused_since is None else self._paused_since
        return reference - self.started_at - self._paused_total

    def clock_time_at(self, seconds: float) -> float:
        """The clock reading at which seconds() reaches `seconds` if no pause comes first."""
        assert self.started_at is not None, "not started"
        return self.started_at + self._paused_total + seconds
