"""A set in progress: where on its schedule the lifter is, driven by an injected clock.

The position is always recomputed from absolute clock readings,

    elapsed = (now - started_at) - paused_total + adjustments,

never by adding up timer ticks, so a late or skipped UI timer cannot make the pacing drift.
Edits (skip, add/remove a rep) rebuild the pure schedule and move `adjustments` so that the
lifter stays at the same side, rep, phase and progress.

The Qt side only needs: `start()`, a timer armed at `next_deadline()` that calls `pop_due()`
and plays the cues, and a display refresh that reads `state()`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from legcoach.core.clock import Clock
from legcoach.core.setplan import (
    MAX_REPS,
    Breath,
    Cue,
    PhaseKind,
    Schedule,
    SetPlan,
    build_schedule,
)
from legcoach.core.sides import Side
from legcoach.core.timeline import PausableTimeline

EPSILON = 1e-6
"""Timing tolerance in seconds: a cue is due when its time is at most this far ahead.

A timer armed at `next_deadline()` wakes at a clock value whose round trip through float
arithmetic may land a few ulps short of the cue; without the tolerance it would re-arm for 0 s.
"""


@dataclass(frozen=True)
class SetState:
    """A snapshot of the running set for the screen (cheap; take one per frame).

    For a finished set `kind` is DONE, `label` the plan's end cue, progress 1 and remaining 0.
    `next_cue` is the next cue `pop_due()` will return (it may already be due).
    """

    kind: PhaseKind
    side: Side
    rep: int
    target_reps: int
    breath: Breath | None
    word: str
    label: str
    progress: float
    remaining: float
    elapsed: float
    total: float
    time_under_tension: float
    completed_reps: Mapping[Side, int]
    next_cue: Cue | None
    started: bool
    paused: bool
    finished: bool


@dataclass(frozen=True)
class SetResult:
    """What the set log records. Skipped reps also count as completed (the rep ended)."""

    exercise_id: str
    completed_reps: Mapping[Side, int]
    target_reps: Mapping[Side, int]
    skipped_reps: Mapping[Side, int]
    time_under_tension: float
    ended_early: bool

    @property
    def total_reps(self) -> int:
        """Reps over all sides."""
        return sum(self.completed_reps.values())


class SetRun:
    """The live state of one set; pure Python, no timers of its own."""

    def __init__(self, plan: SetPlan, clock: Clock) -> None:
        self._plan = plan
        self._schedule = build_schedule(plan)
        self._time = PausableTimeline(clock)
        self._offset = 0.0  # timeline adjustments from skips and edits
        self._next_cue = 0  # index in schedule.cues of the first cue not yet handed out
        self._carried: list[Cue] = []  # due cues of a replaced schedule, not yet handed out
        self._tension_banked = 0.0  # time under tension before the last timeline jump
        self._tension_anchor = 0.0  # timeline position right after the last jump
        self._skipped = dict.fromkeys(plan.sides, 0)
        self._ended_at: float | None = None  # position frozen by end_early()
        self._result: SetResult | None = None

    # -- read-only views -------------------------------------------------------------------

    @property
    def plan(self) -> SetPlan:
        """The plan as edited so far (target_reps is the current side's target)."""
        return self._plan

    @property
    def schedule(self) -> Schedule:
        """The current schedule (replaced by add_rep/remove_rep)."""
        return self._schedule

    @property
    def started_at(self) -> float | None:
        """Clock reading at start(); a cue is due at started_at + paused time + cue.at."""
        return self._time.started_at

    @property
    def is_started(self) -> bool:
        """Whether start() has been called."""
        return self._time.is_started

    @property
    def is_finished(self) -> bool:
        """The timeline has reached its end, or the set was ended early."""
        return self._finished_at(self.elapsed())

    def _finished_at(self, position: float) -> bool:
        if self._ended_at is not None:
            return True
        return self.is_started and position + EPSILON >= self._schedule.total

    @property
    def is_paused(self) -> bool:
        """Paused and not finished."""
        return self._time.is_paused and not self.is_finished

    @property
    def is_running(self) -> bool:
        """Started, not paused, not finished: the timeline is moving."""
        return self.is_started and not self._time.is_paused and not self.is_finished

    # -- clock control ---------------------------------------------------------------------

    def start(self) -> None:
        """Start the countdown now. Call pop_due() right after: the first tick is due at once."""
        self._time.start("set")

    def pause(self) -> None:
        """Freeze the timeline; does nothing before start, when paused or when finished."""
        if self.is_running:
            self._time.pause()

    def resume(self) -> None:
        """Continue from where pause() froze the timeline; does nothing if not paused."""
        self._time.resume()

    def elapsed(self) -> float:
        """Position on the schedule in seconds (0..total), from absolute clock readings only."""
        if self._ended_at is not None:
            return self._ended_at
        base = self._time.seconds() if self.is_started else 0.0
        return min(max(base + self._offset, 0.0), self._schedule.total)

    # -- cues --------------------------------------------------------------------------------

    def pop_due(self) -> list[Cue]:
        """Cues whose time has come and that were not returned before, oldest first.

        Each cue is returned exactly once; after a late wake-up all missed cues come together.
        Nothing is due before start() or after end_early().
        """
        if not self._time.is_started or self._ended_at is not None:
            return []
        due, self._carried = self._carried, []
        cues = self._schedule.cues
        limit = self.elapsed() + EPSILON
        index = self._next_cue
        while index < len(cues) and cues[index].at <= limit:
            due.append(cues[index])
            index += 1
        self._next_cue = index
        return due

    def next_deadline(self) -> float | None:
        """Clock time (same clock as now()) when the next cue is due; arm one timer for it.

        None before start, after end_early(), once every cue was handed out (the set_end cue
        is still reported after the timeline ends, until popped) and while paused - unless a
        cue is already due (e.g. after an edit or skip made while paused), then now. The value
        may be in the past when the caller is late: fire at once.
        """
        if not self._time.is_started or self._ended_at is not None:
            return None
        now = self._time.now()
        if self._carried:
            return now
        if self._next_cue >= len(self._schedule.cues):
            return None
        at = self._schedule.cues[self._next_cue].at
        if self._time.is_paused:
            return now if at <= self.elapsed() + EPSILON else None
        # Inverse of elapsed(): the clock reading at which elapsed() == at.
        return self._time.clock_time_at(at - self._offset)

    # -- state -------------------------------------------------------------------------------

    def _index(self, position: float) -> int:
        """Segment index at a position, with the same tolerance as cue timing."""
        return self._schedule.index_at(min(position + EPSILON, self._schedule.total))

    def _tension(self, position: float) -> float:
        schedule = self._schedule
        since_anchor = schedule.tension_until(position) - schedule.tension_until(
            self._tension_anchor
        )
        return self._tension_banked + max(since_anchor, 0.0)

    def _completed(self, position: float) -> dict[Side, int]:
        return self._schedule.completed_reps_at(position, EPSILON)

    def state(self) -> SetState:
        """A snapshot for the screen at the clock's current time."""
        position = self.elapsed()
        schedule = self._schedule
        completed = self._completed(position)
        next_cue = self._peek_cue()
        # One clock reading per snapshot, so every field describes the same instant.
        finished = self._finished_at(position)
        segment = schedule.segments[self._index(position)]
        common = {
            "side": segment.side,
            "target_reps": schedule.reps_for(segment.side),
            "elapsed": position,
            "total": schedule.total,
            "time_under_tension": self._tension(position),
            "completed_reps": MappingProxyType(completed),
            "next_cue": next_cue,
            "started": self.is_started,
            "paused": self._time.is_paused and not finished,
            "finished": finished,
        }
        if finished:
            return SetState(
                kind=PhaseKind.DONE,
                rep=completed[segment.side],
                breath=None,
                word=self._plan.end_cue,
                label=self._plan.end_cue,
                progress=1.0,
                remaining=0.0,
                **common,
            )
        inside = min(max(position - segment.start, 0.0), segment.duration)
        return SetState(
            kind=segment.kind,
            rep=segment.rep,
            breath=segment.breath,
            word=segment.word,
            label=segment.label,
            progress=inside / segment.duration,
            remaining=segment.duration - inside,
            **common,
        )

    def _peek_cue(self) -> Cue | None:
        if self._ended_at is not None:
            return None
        if self._carried:
            return self._carried[0]
        cues = self._schedule.cues
        return cues[self._next_cue] if self._next_cue < len(cues) else None

    # -- edits -------------------------------------------------------------------------------

    def _jump(self, old: float, new: float, schedule: Schedule, *, fire_at_new: bool) -> None:
        """Move from `old` on the current schedule to `new` on `schedule` without losing cues.

        Cues already due at `old` but not yet popped are kept for the next pop_due(); cues of
        the new schedule up to `new` count as passed, except those exactly at `new` when
        `fire_at_new` (a skip lands on a rep start whose cue should sound).
        """
        current = self._schedule
        started = self._time.is_started
        if started:
            cues = current.cues
            while self._next_cue < len(cues) and cues[self._next_cue].at <= old + EPSILON:
                self._carried.append(cues[self._next_cue])
                self._next_cue += 1
        self._tension_banked = self._tension(old)
        self._tension_anchor = new
        if fire_at_new or not started:
            first = schedule.first_cue_at_or_after(new - EPSILON)
        else:
            first = schedule.first_cue_after(new + EPSILON)
        self._next_cue = max(self._next_cue, first) if schedule is current else first
        self._schedule = schedule
        self._offset += new - old

    def skip_rep(self) -> bool:
        """Jump to the start of the next rep (or the switch / the end).

        Returns False (and does nothing) before start() and once finished. A skipped rep
        counts as completed (its end was reached) and is also tallied in
        `SetResult.skipped_reps`; its remaining time is not time under tension.
        """
        if not self.is_started or self.is_finished:
            return False
        position = self.elapsed()
        index = self._index(position)
        segment = self._schedule.segments[index]
        if segment.is_rep_phase:
            self._skipped[segment.side] += 1
        target = self._schedule.next_rep_start_after(index)
        self._jump(position, target, self._schedule, fire_at_new=True)
        return True

    def add_rep(self) -> bool:
        """One more rep on the current and following sides (max 100); False if not possible."""
        return self._change_target(+1)

    def remove_rep(self) -> bool:
        """One rep fewer on the current and following sides; False if not possible.

        Never below the rep in progress (you cannot remove the rep you are doing) nor below 1.
        """
        return self._change_target(-1)

    def _change_target(self, delta: int) -> bool:
        if self.is_finished:
            return False
        position = self.elapsed()
        old = self._schedule
        segment = old.segments[self._index(position)]
        # During the switch the "current side" is the one about to start (segment.side).
        side_index = old.sides.index(segment.side)
        floor = max(1, segment.rep if segment.is_rep_phase else 0)
        target = old.reps[side_index] + delta
        if not floor <= target <= MAX_REPS:
            return False
        reps = old.reps[:side_index] + (target,) * (len(old.reps) - side_index)
        plan = replace(self._plan, target_reps=target)
        schedule = build_schedule(plan, reps)
        new_index = schedule.find(segment.kind, segment.side, segment.rep)
        if new_index is None:  # pragma: no cover - the floor above keeps the segment
            raise AssertionError(f"Lost the current segment {segment} after an edit.")
        new_position = schedule.segments[new_index].start + (position - segment.start)
        self._plan = plan
        self._jump(position, new_position, schedule, fire_at_new=False)
        return True

    # -- the end -----------------------------------------------------------------------------

    def end_early(self) -> SetResult:
        """Stop now and return the result; pending cues are dropped. Idempotent."""
        if self._result is not None:
            return self._result
        if self.is_finished:
            return self.result()
        position = self.elapsed()
        self._result = self._make_result(position, ended_early=True)
        self._ended_at = position
        self._carried.clear()
        return self._result

    def result(self) -> SetResult:
        """The result of a finished set; RuntimeError while it is still going."""
        if self._result is not None:
            return self._result
        if not self.is_finished:
            raise RuntimeError("The set is still going; use end_early() to stop it now.")
        self._result = self._make_result(self.elapsed(), ended_early=False)
        return self._result

    def _make_result(self, position: float, *, ended_early: bool) -> SetResult:
        schedule = self._schedule
        return SetResult(
            exercise_id=self._plan.exercise_id,
            completed_reps=MappingProxyType(self._completed(position)),
            target_reps=MappingProxyType(dict(zip(schedule.sides, schedule.reps, strict=True))),
            skipped_reps=MappingProxyType(dict(self._skipped)),
            time_under_tension=self._tension(position),
            ended_early=ended_early,
        )
