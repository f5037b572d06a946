"""Double progression: what to load next time, with one line saying why.

The rule the exercise guides describe: stay at a load and add reps until every working set
reaches the top of the rep range at a sustainable effort, then add a small step and start again
from the bottom of the range. Two sessions in a row below the bottom of the range mean the load
is too heavy for now, so it comes down. The guides' pace is a ceiling: the 45° press guide
expects an intermediate to add 5–10 kg every week or two, so gains within any 7 days are capped.

Everything here is pure: the caller passes the exercise, the set history and the settings, and
gets back `Suggestion`s. Loads are kg; `unit` only changes the wording of the reasons.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Final

from legcoach.core.exercise import Exercise
from legcoach.core.records import (
    SessionKey,
    exercise_phrase,
    format_load,
    format_number,
    session_key,
)
from legcoach.core.setlog import LoadUnit, SetRecord, SetType
from legcoach.core.setstore import sort_key
from legcoach.core.sides import Side

__all__ = [
    "Action",
    "ProgressionSettings",
    "Suggestion",
    "effective_rpe",
    "suggest_next",
]

WEEK_DAYS: Final = 7
_NEVER: Final = datetime.min.replace(tzinfo=UTC)

_WORKING: Final = frozenset({SetType.WORKING, SetType.FAILURE})
"""Failure sets are working sets that went to the limit; warm-ups and drop sets are extras."""


class Action(StrEnum):
    INCREASE = "increase"
    HOLD = "hold"
    DELOAD = "deload"
    START = "start"


@dataclass(frozen=True, slots=True)
class ProgressionSettings:
    """The lifter's knobs; the defaults follow the exercise guides."""

    increment_two_leg_kg: float = 5.0
    increment_one_leg_kg: float = 2.5
    deload_fraction: float = 0.10
    rpe_ceiling: float = 9.0
    """Sets harder than this (RPE, or 10 − RIR) don't earn an increase yet."""
    max_weekly_gain_kg: float = 10.0
    load_step_kg: float = 0.5
    """Increases are rounded to this step (loads typed in lb land between kg steps)."""
    plate_step_kg: float = 2.5
    """Deloads round down, and first loads round up, to this step: what plates allow."""

    def __post_init__(self) -> None:
        checks = {
            "increment_two_leg_kg": self.increment_two_leg_kg > 0,
            "increment_one_leg_kg": self.increment_one_leg_kg > 0,
            "deload_fraction": 0 < self.deload_fraction < 1,
            "rpe_ceiling": 1 <= self.rpe_ceiling <= 10,
            "max_weekly_gain_kg": self.max_weekly_gain_kg >= 0,
            "load_step_kg": self.load_step_kg > 0,
            "plate_step_kg": self.plate_step_kg > 0,
        }
        # An increment smaller than the rounding step could round back to the old load.
        checks["load_step_kg"] &= self.load_step_kg <= min(
            self.increment_two_leg_kg, self.increment_one_leg_kg)
        for name, ok in checks.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not math.isfinite(value) or not ok:
                raise ValueError(f"Progression setting {name} is out of range: {value!r}.")

    def increment(self, one_sided: bool) -> float:
        return self.increment_one_leg_kg if one_sided else self.increment_two_leg_kg


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The next load for one side (Side.BOTH: for both legs, or each leg at the same load).

    `load_kg` is None only when there is nothing to go on (no history, no reference load).
    """

    exercise_id: str
    side: Side
    load_kg: float | None
    target_reps: int
    action: Action
    reason: str
    last_load_kg: float | None = None
    """The working load of the session judged, for the UI to show the change."""


def effective_rpe(record: SetRecord) -> float | None:
    """RPE as logged, else 10 − RIR (RIR 1 ≈ RPE 9), else None: an unrated set counts as fine."""
    if record.rpe is not None:
        return record.rpe
    return None if record.rir is None else float(10 - record.rir)


# --- exact load arithmetic ------------------------------------------------------------------


def _d(value: float) -> Decimal:
    return Decimal(repr(float(value)))


def _to_step(value: Decimal, step: float, rounding: str) -> float:
    return float((value / _d(step)).to_integral_value(rounding) * _d(step))


# --- sessions ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Session:
    """The working sets of one session, in the order performed."""

    sets: tuple[SetRecord, ...]

    @property
    def load(self) -> float:
        """The session's working load: its heaviest working set."""
        return max(s.load_kg for s in self.sets)

    @property
    def ended(self) -> datetime:
        return self.sets[-1].performed_at

    def missed(self, bottom: int) -> bool:
        return any(s.reps < bottom for s in self.sets)


def _sessions(sets: Iterable[SetRecord]) -> list[_Session]:
    """Working sets grouped into sessions, oldest session first."""
    groups: dict[SessionKey, list[SetRecord]] = defaultdict(list)
    for record in sorted(sets, key=sort_key):
        if record.set_type in _WORKING:
            groups[session_key(record)].append(record)
    sessions = [_Session(tuple(group)) for group in groups.values()]
    return sorted(sessions, key=lambda s: sort_key(s.sets[-1]))


# --- wording ------------------------------------------------------------------------------------


def _number(load_kg: float, unit: LoadUnit) -> str:
    """A load without its unit, for "135 → 120 kg"."""
    return format_load(load_kg, unit).rpartition(" ")[0]


def _change(before: float, after: float, unit: LoadUnit) -> str:
    return f"{_number(before, unit)} → {format_load(after, unit)}"


def _sets_text(sets: Sequence[SetRecord], unit: LoadUnit) -> str:
    """ "10, 10, 9 reps at 100 kg", or "100 kg × 12, 105 kg × 10" when the loads differ."""
    if len({s.load_kg for s in sets}) == 1:
        reps = ", ".join(str(s.reps) for s in sets)
        plural = "s" if len(sets) > 1 or sets[0].reps != 1 else ""
        return f"{reps} rep{plural} at {format_load(sets[0].load_kg, unit)}"
    return ", ".join(f"{format_load(s.load_kg, unit)} × {s.reps}" for s in sets)


def _all_sets(count: int) -> str:
    return {1: "Your set", 2: "Both sets"}.get(count, f"All {count} sets")


def _percent(fraction: float) -> str:
    return format_number(_d(fraction) * 100)


def _effort(record: SetRecord) -> str:
    if record.rpe is not None:
        return f"RPE {format_number(record.rpe, 1)}"
    return f"{record.rir} rep{'' if record.rir == 1 else 's'} in reserve"


# --- the rules ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Context:
    exercise: Exercise
    settings: ProgressionSettings
    now: datetime
    unit: LoadUnit

    def suggestion(
        self, side: Side, load: float | None, target: int, action: Action, reason: str,
        last: float | None,
    ) -> Suggestion:
        return Suggestion(exercise_id=self.exercise.id, side=side, load_kg=load,
                          target_reps=target, action=action, reason=reason, last_load_kg=last)


def _judge(ctx: _Context, sessions: Sequence[_Session], side: Side) -> Suggestion:
    """Double progression for one side, judged on its most recent session."""
    bottom, top = ctx.exercise.guidance.rep_range
    last = sessions[-1]
    load, unit = last.load, ctx.unit
    stay = f"stay at {format_load(load, unit)}"

    def hold(target: int, reason: str) -> Suggestion:
        return ctx.suggestion(side, load, target, Action.HOLD, reason, load)

    if last.missed(bottom):
        percent = _percent(ctx.settings.deload_fraction)
        if len(sessions) >= 2 and sessions[-2].missed(bottom):
            cut = _d(load) * (1 - _d(ctx.settings.deload_fraction))
            new = max(0.0, _to_step(cut, ctx.settings.plate_step_kg, ROUND_FLOOR))
            if new >= load:  # an empty machine can't get lighter
                return hold(bottom, f"Reps fell below {bottom} in the last two sessions, "
                                    f"and {format_load(load, unit)} can't go lower → {stay}")
            reason = (f"Reps fell below {bottom} in the last two sessions → −{percent}% "
                      f"({_change(load, new, unit)})")
            return ctx.suggestion(side, new, bottom, Action.DELOAD, reason, load)
        return hold(bottom, f"{_sets_text(last.sets, unit)} fell below {bottom} → {stay}; "
                            f"−{percent}% if it happens again")
    if not all(s.reps >= top for s in last.sets):
        best = max(s.reps for s in last.sets)
        aim = f"aim for {best + 1}" if best < top else f"aim for {top} on every set"
        return hold(min(best + 1, top), f"{_sets_text(last.sets, unit)} → {stay} and {aim}")
    reached = f"{_all_sets(len(last.sets))} reached {top} reps"
    failures = sum(s.set_type is SetType.FAILURE for s in last.sets)
    if failures:
        which = "one" if failures == 1 else f"{failures}"
        return hold(top, f"{reached}, but {which} went to failure → {stay} "
                         "and make every rep clean")
    hardest = max(last.sets, key=lambda s: effective_rpe(s) or 0.0)
    if (effective_rpe(hardest) or 0.0) > ctx.settings.rpe_ceiling:
        return hold(top, f"{reached}, but at {_effort(hardest)} → {stay} until it feels easier")
    return _increase(ctx, sessions, side, reached)


def _increase(ctx: _Context, sessions: Sequence[_Session], side: Side, reached: str) -> Suggestion:
    """Last load + the increment, within the weekly cap and rounded to the load step."""
    settings, unit = ctx.settings, ctx.unit
    bottom, top = ctx.exercise.guidance.rep_range
    load = sessions[-1].load
    this_week = [s.load for s in sessions
                 if (ctx.now.date() - s.ended.date()).days < WEEK_DAYS]
    added = max(Decimal(0), _d(load) - _d(min(this_week))) if this_week else Decimal(0)
    room = _d(settings.max_weekly_gain_kg) - added
    increment = _d(settings.increment(ctx.exercise.one_sided))
    ceiling = _d(load) + room
    new = _to_step(_d(load) + min(increment, room), settings.load_step_kg, ROUND_HALF_UP)
    if _d(new) > ceiling:
        new = _to_step(ceiling, settings.load_step_kg, ROUND_FLOOR)
    if added > 0:
        capped = f"Capped: +{format_load(float(added), unit)} already added this week"
    else:
        capped = f"Capped at +{format_load(settings.max_weekly_gain_kg, unit)} a week"
    if new <= load:
        reason = f"{capped} → stay at {format_load(load, unit)}"
        return ctx.suggestion(side, load, top, Action.HOLD, reason, load)
    step = f"+{format_load(new - load, unit)} ({_change(load, new, unit)})"
    reason = f"{capped} → {step}" if room < increment else f"{reached} → {step}"
    return ctx.suggestion(side, new, bottom, Action.INCREASE, reason, load)


def _start(ctx: _Context, history: Sequence[SetRecord], reference: Exercise | None) -> Suggestion:
    """No history: a share of the reference exercise's load, or just the guide's advice."""
    guidance, settings, unit = ctx.exercise.guidance, ctx.settings, ctx.unit
    bottom, top = guidance.rep_range
    target = guidance.relative_to
    reference_sets = [r for r in history if r.exercise_id == target and r.side is Side.BOTH]
    sessions = _sessions(reference_sets)
    if target is None or guidance.relative_load is None or not sessions:
        reason = f"No history yet: pick a load you can move for {top} clean reps"
        return ctx.suggestion(Side.BOTH, None, top, Action.START, reason, None)
    low_share, high_share = guidance.relative_load
    base = sessions[-1].load
    low, high = _d(base) * _d(low_share), _d(base) * _d(high_share)
    # Round up so the start stays inside the guide's band (40% of 120 kg = 48 → 50 kg).
    start = _to_step(low, settings.plate_step_kg, ROUND_CEILING)
    if _d(start) > high:
        start = _to_step(low, settings.load_step_kg, ROUND_CEILING)
    name = reference.name if reference is not None else target
    reason = (f"First {exercise_phrase(ctx.exercise.name)}: {_percent(low_share)}–"
              f"{_percent(high_share)}% of your {exercise_phrase(name)} working load "
              f"({format_load(base, unit)}) → start at {format_load(start, unit)}")
    return ctx.suggestion(Side.BOTH, start, bottom, Action.START, reason, None)


def _for_side(suggestion: Suggestion, side: Side, judged: Side) -> Suggestion:
    """The suggestion for `side`, its reason prefixed with the leg(s) judged: "Left leg: …"."""
    reason = suggestion.reason
    label = judged.label.capitalize()
    return dataclasses.replace(suggestion, side=side,
                               reason=f"{label}: {reason[:1].lower()}{reason[1:]}")


def _one_sided(
    ctx: _Context, by_side: dict[Side, list[_Session]]
) -> tuple[Suggestion, ...]:
    """Judge each leg; one load for both (the weaker leg's) unless they train at different loads."""
    judged = {side: _judge(ctx, sessions, side) for side, sessions in by_side.items() if sessions}
    if len(judged) == 1:
        ((side, only),) = judged.items()
        other = Side.RIGHT if side is Side.LEFT else Side.LEFT
        load = only.last_load_kg
        reason = (f"No {other.label.lower()} sets yet: start at the {side.label.lower()}'s "
                  f"{format_load(load or 0.0, ctx.unit)}")
        bottom = ctx.exercise.guidance.rep_range[0]
        start = ctx.suggestion(other, load, bottom, Action.START, reason, None)
        return tuple(sorted((_for_side(only, side, side), start),
                            key=lambda s: s.side is Side.RIGHT))
    left, right = judged[Side.LEFT], judged[Side.RIGHT]
    if left.last_load_kg != right.last_load_kg:
        return (_for_side(left, Side.LEFT, Side.LEFT), _for_side(right, Side.RIGHT, Side.RIGHT))
    same = dataclasses.replace(left, side=Side.RIGHT) == right
    weaker = min((left, right), key=lambda s: (s.load_kg or 0.0, s.target_reps))
    return (_for_side(weaker, Side.BOTH, Side.BOTH if same else weaker.side),)


def suggest_next(
    exercise: Exercise,
    history: Iterable[SetRecord],
    settings: ProgressionSettings | None = None,
    *,
    reference: Exercise | None = None,
    now: datetime | None = None,
    unit: LoadUnit = LoadUnit.KG,
) -> tuple[Suggestion, ...]:
    """What to load next session: one suggestion, or one per leg when the legs differ.

    `history` may hold any exercise's sets; this exercise's are picked out, and those of
    `exercise.guidance.relative_to` are used for a first load. `reference` is that exercise
    (only its name is used). `now` is when the next session happens, for the weekly cap; it
    defaults to the last logged set, which caps most strictly.
    """
    if now is not None and now.utcoffset() is None:
        raise ValueError("`now` must be timezone-aware.")
    if reference is not None and reference.id != exercise.guidance.relative_to:
        raise ValueError(f"{reference.id!r} is not the reference exercise of {exercise.id!r}.")
    records = list(history)
    own = [r for r in records if r.exercise_id == exercise.id and r.set_type in _WORKING]
    moment = now or max((r.performed_at for r in own), default=_NEVER)
    ctx = _Context(exercise, settings or ProgressionSettings(), moment.astimezone(UTC), unit)
    if exercise.one_sided:
        by_side = {
            side: _sessions(r for r in own if r.side in (side, Side.BOTH))
            for side in (Side.LEFT, Side.RIGHT)
        }
        if any(by_side.values()):
            return _one_sided(ctx, by_side)
    else:
        sessions = _sessions(r for r in own if r.side is Side.BOTH)
        if sessions:
            return (_judge(ctx, sessions, Side.BOTH),)
    return (_start(ctx, records, reference),)
