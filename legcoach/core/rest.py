"""The rest between sets: a countdown on an injected clock, with a warning and an end cue.

Like the running set, every reading is recomputed from absolute clock values,

    elapsed = (now - started_at) - paused_total,    remaining = total - elapsed,

where `total` is the chosen rest plus every extension, never by counting timer ticks, so a
late or skipped UI timer cannot make the countdown drift.

Each deadline (the current `total`) has two cues, each handed out at most once:

- WARNING with 10 s left, so the lifter can get back under the sled in time. A rest of 10 s
  or less has none: it would sound at (or before) the start.
- OVER at zero. The countdown does not stop there: it keeps counting the overrun, so the
  screen can show how late the lifter is ("+0:12").

An extension (+30 s) moves the deadline. A cue not handed out yet moves with it; a cue
already handed out is armed again only when its new moment is still ahead, so after +30 s
the 10-s warning sounds again at the new 10-s mark and the end cue again at the new zero,
while a lifter still in overrun after +30 s hears nothing twice.

The Qt side only needs: a timer armed at `next_deadline()` that calls `pop_due()`, and a
display refresh armed at `next_boundary()` that reads `rest_text()`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from legcoach.core.clock import Clock
from legcoach.core.set_text import clock_text
from legcoach.core.setrun import EPSILON
from legcoach.core.timeline import PausableTimeline

MIN_REST = 5.0
MAX_REST = 15 * 60.0
WARNING_BEFORE = 10.0  # s before zero: time to re-rack the feet and brace
EXTENSION = 30  # s added by one press of "+30 s"


def validate_rest(seconds: float) -> float:
    """The rest length as a float, or ValueError with a message a lifter can act on."""
    try:
        value = float(seconds)
    except (TypeError, ValueError):
        raise ValueError(f"A rest length must be a number of seconds, not {seconds!r}.") from None
    if not (math.isfinite(value) and MIN_REST <= value <= MAX_REST):
        raise ValueError(
            f"A rest must last between {MIN_REST:g} s and {MAX_REST / 60:g} min "
            f"({MAX_REST:g} s), not {seconds!r} s."
        )
    return value


class RestCueKind(StrEnum):
    WARNING = "warning"
    OVER = "over"


@dataclass(frozen=True)
class RestCue:
    """A cue of the rest; `at` is its moment in seconds of running rest (pauses excluded).

    WARNING is at `total - 10`, OVER at `total`, for the total in force when it was due, so
    cues of different deadlines differ by `at`.
    """

    kind: RestCueKind
    at: float


class RestTimer:
    """One rest: pure Python, no timers of its own; ask it, at any time, where it stands."""

    def __init__(self, seconds: float, clock: Clock, *, start: bool = True) -> None:
        """A rest of `seconds` (5 s … 15 min); it starts at once unless `start` is False."""
        self._seconds = validate_rest(seconds)
        self._time = PausableTimeline(clock)
        self._total = self._seconds
        self._ended_at: float | None = None  # position frozen by skip()
        self._extensions = 0
        self._warning_pending = self._total > WARNING_BEFORE
        self._over_pending = True
        if start:
            self.start()

    # -- read-only views -------------------------------------------------------------------

    @property
    def seconds(self) -> float:
        """The rest as chosen, before any extension."""
        return self._seconds

    @property
    def total(self) -> float:
        """The rest including every extension: zero is reached at this elapsed time."""
        return self._total

    @property
    def extensions(self) -> int:
        """How many extensions were granted."""
        return self._extensions

    @property
    def started_at(self) -> float | None:
        """Clock reading at start()."""
        return self._time.started_at

    @property
    def is_started(self) -> bool:
        return self._time.is_started

    @property
    def is_paused(self) -> bool:
        return self._time.is_paused and self._ended_at is None

    @property
    def is_running(self) -> bool:
        """Started, not paused, not ended: the time is moving (also during the overrun)."""
        return self.is_started and not self._time.is_paused and self._ended_at is None

    @property
    def is_ended(self) -> bool:
        """skip() ended it: early, or after zero when the lifter moved on to the next set."""
        return self._ended_at is not None

    @property
    def is_over(self) -> bool:
        """Zero was reached (the overrun is counting) or the rest was ended: time to lift."""
        return self.is_ended or self._total - self.elapsed() <= EPSILON

    def elapsed(self) -> float:
        """Seconds of running rest so far (pauses excluded; not capped at the total)."""
        if self._ended_at is not None:
            return self._ended_at
        return max(self._time.seconds(), 0.0)

    def remaining(self) -> float:
        """Seconds left until zero, never negative (see overrun() past zero)."""
        return max(self._total - self.elapsed(), 0.0)

    def overrun(self) -> float:
        """Seconds past zero, 0 before it: how late the lifter is for the next set."""
        return max(self.elapsed() - self._total, 0.0)

    def fraction_left(self) -> float:
        """remaining / total in 0..1, for the draining bar (an extension refills it)."""
        return min(max(self.remaining() / self._total, 0.0), 1.0)

    # -- control ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start the countdown now; RuntimeError if it already started."""
        self._time.start("rest")

    def pause(self) -> None:
        """Freeze the countdown; does nothing unless running."""
        if self.is_running:
            self._time.pause()

    def resume(self) -> None:
        """Continue from where pause() froze it; does nothing unless paused."""
        if self._ended_at is None:
            self._time.resume()

    def skip(self) -> None:
        """End the rest now (early, or after zero): readings freeze, no cue is due any more."""
        if self._ended_at is None:
            self._ended_at = self.elapsed()

    def extend(self, seconds: float = EXTENSION) -> bool:
        """Add `seconds` to the rest; False (and no change) once ended or past 15 min left.

        Also allowed during the overrun: the total grows, so `remaining` becomes
        total - elapsed again and the countdown resumes if that is above zero.
        """
        amount = float(seconds)
        if not math.isfinite(amount) or amount <= 0:
            raise ValueError(f"A rest can only be extended by a positive time, not {seconds!r}.")
        if self._ended_at is not None:
            return False
        position = self.elapsed()
        if self._total + amount - position > MAX_REST + EPSILON:
            return False
        self._total += amount
        self._extensions += 1
        left = self._total - position
        # A pending cue just moves with the deadline; a spent one re-arms only if still ahead.
        self._warning_pending = self._warning_pending or left > WARNING_BEFORE
        self._over_pending = self._over_pending or left > EPSILON
        return True

    # -- cues --------------------------------------------------------------------------------

    def _pending(self) -> list[RestCue]:
        cues = []
        if self._warning_pending:
            cues.append(RestCue(RestCueKind.WARNING, self._total - WARNING_BEFORE))
        if self._over_pending:
            cues.append(RestCue(RestCueKind.OVER, self._total))
        return cues

    def pop_due(self) -> list[RestCue]:
        """Cues whose moment has come and that were not returned before, oldest first.

        After a late wake-up both may come together; nothing is due before start() or after
        skip().
        """
        if not self._time.is_started or self._ended_at is not None:
            return []
        limit = self.elapsed() + EPSILON
        due = [cue for cue in self._pending() if cue.at <= limit]
        for cue in due:
            if cue.kind is RestCueKind.WARNING:
                self._warning_pending = False
            else:
                self._over_pending = False
        return due

    def next_deadline(self) -> float | None:
        """Clock time (same clock as now()) of the next cue; arm one timer for it.

        None before start, after skip(), once both cues of the current deadline were handed
        out, and while paused - unless a cue is already due, then now. The value may be in
        the past when the caller is late: fire at once.
        """
        pending = self._pending()
        if not self._time.is_started or self._ended_at is not None or not pending:
            return None
        at = pending[0].at
        if self._time.is_paused:
            return self._time.now() if at <= self.elapsed() + EPSILON else None
        # Inverse of elapsed(): the clock reading at which elapsed() == at.
        return self._time.clock_time_at(at)

    def next_boundary(self, step: float = 1.0) -> float | None:
        """Clock time when remaining (or the overrun) next crosses a multiple of `step`.

        The displayed digits change exactly there, so a display timer armed at this instant
        (rather than at a fixed interval) never shows a second late. None unless running.
        """
        if not math.isfinite(step) or step <= 0:
            raise ValueError(f"A display step must be a positive time, not {step!r}.")
        if not self.is_running:
            return None
        left = self._total - self.elapsed()
        below = math.ceil((left - EPSILON) / step) - 1  # the next multiple strictly below
        return self._time.clock_time_at(self._total - below * step)


@dataclass(frozen=True)
class RestText:
    headline: str  # "REST", "GET READY", "GO", "PAUSED"
    digits: str  # "1:30", "0:10", "+0:05"
    detail: str  # "" or "Time for your next set"


def _digits(left: float) -> str:
    if left > EPSILON:
        return clock_text(math.ceil(left - EPSILON))
    return "+" + clock_text(math.floor(EPSILON - left))


def countdown_digits(timer: RestTimer) -> str:
    """m:ss rounded up before zero (it reads 0:01 in the last second), +m:ss after it."""
    return _digits(timer.total - timer.elapsed())


def rest_text(timer: RestTimer) -> RestText:
    """What the rest screen says right now; one clock reading decides every field."""
    left = timer.total - timer.elapsed()
    digits = _digits(left)
    if timer.is_ended or left <= EPSILON:
        return RestText("GO", digits, "Time for your next set")
    if timer.is_paused:
        return RestText("PAUSED", digits, "Rest paused")
    if left <= WARNING_BEFORE + EPSILON:
        return RestText("GET READY", digits, "")
    return RestText("REST", digits, "")
