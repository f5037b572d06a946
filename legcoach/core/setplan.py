"""What one set should look like (`SetPlan`) and its pure timeline (`build_schedule`).

The schedule is computed once, up front, as absolute offsets from the set's start: segments
that tile [0, total] and the cues (sounds/voice) that fall on them. Running a set is then only
"where on this timeline are we now?" (see setrun.py), which is what keeps the pacing exact.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import Final, Literal

from legcoach.core.sides import Side
from legcoach.core.tempo import Tempo

MAX_REPS: Final = 100
"""Upper bound on reps per side: beyond it the plan is a typo, not a set."""

MAX_LEAD_IN_SECONDS: Final = 60.0
MAX_SWITCH_SECONDS: Final = 300.0


class Breath(StrEnum):
    """What to do with the breath during a segment."""

    INHALE = "inhale"
    EXHALE = "exhale"
    HOLD = "hold"
    BREATHE = "breathe"  # free breathing: countdown, switch, or a relaxed top pause


class PhaseKind(StrEnum):
    """The kinds of segment on the set timeline (and `DONE` for a finished set's state)."""

    COUNTDOWN = "countdown"
    ECCENTRIC = "eccentric"
    BOTTOM = "bottom"
    CONCENTRIC = "concentric"
    TOP = "top"
    SWITCH = "switch"
    DONE = "done"


REP_PHASES: Final = (PhaseKind.ECCENTRIC, PhaseKind.BOTTOM, PhaseKind.CONCENTRIC, PhaseKind.TOP)
"""The four phases of a rep, in tempo-notation order."""

MOVEMENT_KINDS: Final = frozenset({PhaseKind.ECCENTRIC, PhaseKind.CONCENTRIC})

PAUSE_WORD: Final = "HOLD"
"""Screen word and cue text for both pauses (bottom and top)."""

LAST_REP_TEXT: Final = "LAST REP"
DEFAULT_COUNTDOWN_WORD: Final = "GET READY"

DEFAULT_BREATHING: Final[Mapping[PhaseKind, Breath]] = MappingProxyType(
    {
        PhaseKind.ECCENTRIC: Breath.INHALE,
        PhaseKind.BOTTOM: Breath.HOLD,
        PhaseKind.CONCENTRIC: Breath.EXHALE,
        PhaseKind.TOP: Breath.BREATHE,
    }
)
"""The usual pattern: breathe in while lowering, brace at the bottom, breathe out on the push."""


class CueKind(StrEnum):
    """Why a cue fires; the UI maps each kind (plus `Cue.phase`) to a sound or a voice line."""

    COUNTDOWN_TICK = "countdown_tick"
    GO = "go"
    PHASE = "phase"
    LAST_REP = "last_rep"
    SWITCH = "switch"
    SET_END = "set_end"


def _text(name: str, value: object, *, allow_empty: bool = False) -> str:
    """Validate a text field of the plan (a blank word would leave the screen empty)."""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, not {type(value).__name__}.")
    if not allow_empty and not value.strip():
        raise ValueError(f"{name} must not be empty.")
    return value


def _seconds(name: str, value: object, low: float, high: float, *, allow_low: bool) -> float:
    """Validate a duration field of the plan and return it as a float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number of seconds, not {value!r}.")
    number = float(value)
    if not math.isfinite(number) or number < low or (number == low and not allow_low):
        bound = f">= {low:g}" if allow_low else f"> {low:g}"
        raise ValueError(f"{name} must be {bound} and at most {high:g} s, not {value!r}.")
    if number > high:
        raise ValueError(f"{name} must be at most {high:g} s, not {value!r}.")
    return number


def _check_reps(name: str, value: object) -> int:
    """Validate a rep count: a real int in 1..MAX_REPS."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, not {value!r}.")
    if not 1 <= value <= MAX_REPS:
        raise ValueError(f"{name} must be between 1 and {MAX_REPS}, not {value}.")
    return value


@dataclass(frozen=True)
class SetPlan:
    """Everything needed to pace one set; validated on creation so scheduling cannot fail.

    `starts_with` is the movement the rep begins with: leg presses start at the top and
    lower first ("eccentric"); a hip thrust starts at the bottom and drives up first
    ("concentric"), so its rep runs concentric, top, eccentric, bottom.
    `first_side` only matters for one-sided plans.
    """

    exercise_id: str
    target_reps: int
    tempo: Tempo
    breathing: Mapping[PhaseKind, Breath] = field(default_factory=lambda: DEFAULT_BREATHING)
    one_sided: bool = False
    starts_with: Literal["eccentric", "concentric"] = "eccentric"
    eccentric_word: str = "Lower"
    concentric_word: str = "Push"
    lead_in: float = 5.0
    lead_in_cue: str = ""
    go_cue: str = "GO"
    switch_seconds: float = 10.0
    switch_cue: str = "Switch legs"
    end_cue: str = "Set done"
    first_side: Side = Side.LEFT

    def __post_init__(self) -> None:
        """Validate and normalise (strings to enums, mapping to a read-only copy)."""
        set_ = object.__setattr__
        _text("exercise_id", self.exercise_id)
        _check_reps("target_reps", self.target_reps)
        if not isinstance(self.tempo, Tempo):
            raise ValueError(f"tempo must be a Tempo (see parse_tempo), not {self.tempo!r}.")
        set_(self, "breathing", _check_breathing(self.breathing))
        if not isinstance(self.one_sided, bool):
            raise ValueError(f"one_sided must be True or False, not {self.one_sided!r}.")
        if self.starts_with not in ("eccentric", "concentric"):
            raise ValueError(
                f"starts_with must be 'eccentric' (lower first, e.g. leg press) or "
                f"'concentric' (push first, e.g. hip thrust), not {self.starts_with!r}."
            )
        set_(self, "starts_with", str(self.starts_with))
        _text("eccentric_word", self.eccentric_word)
        _text("concentric_word", self.concentric_word)
        set_(self, "lead_in", _seconds("lead_in", self.lead_in, 0.0, MAX_LEAD_IN_SECONDS,
                                       allow_low=True))
        _text("lead_in_cue", self.lead_in_cue, allow_empty=True)
        _text("go_cue", self.go_cue)
        set_(self, "switch_seconds", _seconds("switch_seconds", self.switch_seconds, 0.0,
                                              MAX_SWITCH_SECONDS, allow_low=False))
        _text("switch_cue", self.switch_cue)
        _text("end_cue", self.end_cue)
        try:
            first_side = Side(self.first_side)
        except ValueError:
            first_side = None
        if first_side not in (Side.LEFT, Side.RIGHT):
            raise ValueError(f"first_side must be left or right, not {self.first_side!r}.")
        set_(self, "first_side", first_side)

    @property
    def sides(self) -> tuple[Side, ...]:
        """The sides in the order they are worked: (BOTH,) or (first_side, the other one)."""
        if not self.one_sided:
            return (Side.BOTH,)
        other = Side.RIGHT if self.first_side is Side.LEFT else Side.LEFT
        return (self.first_side, other)

    @property
    def rep_order(self) -> tuple[PhaseKind, ...]:
        """The four rep phases in movement order (E,B,C,T or, starting with the push, C,T,E,B)."""
        if self.starts_with == "eccentric":
            return REP_PHASES
        return (PhaseKind.CONCENTRIC, PhaseKind.TOP, PhaseKind.ECCENTRIC, PhaseKind.BOTTOM)

    def word(self, phase: PhaseKind) -> str:
        """The uppercased word shown and cued for a rep phase: "LOWER", "PUSH", "HOLD"."""
        if phase == PhaseKind.ECCENTRIC:
            return self.eccentric_word.strip().upper()
        if phase == PhaseKind.CONCENTRIC:
            return self.concentric_word.strip().upper()
        if phase in (PhaseKind.BOTTOM, PhaseKind.TOP):
            return PAUSE_WORD
        raise ValueError(f"{phase!r} is not a rep phase.")


def _check_breathing(breathing: object) -> Mapping[PhaseKind, Breath]:
    """Exactly one breath per rep phase; accepts plain strings (as stored in files)."""
    if not isinstance(breathing, Mapping):
        raise ValueError(f"breathing must be a mapping of phase to breath, not {breathing!r}.")
    result: dict[PhaseKind, Breath] = {}
    for key, value in breathing.items():
        try:
            phase = PhaseKind(key)
        except ValueError:
            phase = None
        if phase not in REP_PHASES:
            raise ValueError(f"breathing has {key!r}, which is not one of the four rep phases.")
        try:
            result[phase] = Breath(value)
        except ValueError:
            choices = ", ".join(b.value for b in Breath)
            raise ValueError(
                f"breathing for {phase.value} is {value!r}; use one of {choices}."
            ) from None
    missing = [phase.value for phase in REP_PHASES if phase not in result]
    if missing:
        raise ValueError(f"breathing is missing {', '.join(missing)}.")
    return MappingProxyType({phase: result[phase] for phase in REP_PHASES})


@dataclass(frozen=True)
class Segment:
    """One stretch of the timeline: [start, start + duration) seconds from the set's start.

    `rep` is 0 for the countdown and the switch; a switch segment carries the side that is
    about to be worked, so the screen can say which leg is next.
    """

    kind: PhaseKind
    side: Side
    rep: int
    start: float
    duration: float
    breath: Breath
    word: str

    @property
    def end(self) -> float:
        """Where the next segment starts."""
        return self.start + self.duration

    @property
    def is_rep_phase(self) -> bool:
        """Whether this is lifting time (counts toward time under tension)."""
        return self.kind in REP_PHASES

    @property
    def label(self) -> str:
        """What the set screen shows: "LOWER · inhale", "PUSH · exhale", "HOLD"."""
        if self.kind in MOVEMENT_KINDS:
            return f"{self.word} · {self.breath.value}"
        if self.is_rep_phase and self.breath is not Breath.HOLD:
            return f"{self.word} · {self.breath.value}"  # e.g. "HOLD · breathe" at the top
        return self.word


@dataclass(frozen=True)
class Cue:
    """A moment to signal something, `at` seconds from the set's start.

    `phase` and `breath` are set for PHASE cues (and LAST_REP/GO cues, which share a moment
    with the first phase of a rep) so the UI can pick a distinct sound per movement.
    """

    at: float
    kind: CueKind
    side: Side
    rep: int
    text: str
    phase: PhaseKind | None = None
    breath: Breath | None = None


@dataclass(frozen=True)
class Schedule:
    """The complete, immutable timeline of one set; built by `build_schedule`."""

    plan: SetPlan
    reps: tuple[int, ...]
    segments: tuple[Segment, ...]
    cues: tuple[Cue, ...]
    total: float

    @property
    def sides(self) -> tuple[Side, ...]:
        """Sides in the order worked."""
        return self.plan.sides

    def reps_for(self, side: Side) -> int:
        """Target reps of one side in this schedule."""
        return self.reps[self.sides.index(side)]

    @cached_property
    def _starts(self) -> tuple[float, ...]:
        return tuple(segment.start for segment in self.segments)

    @cached_property
    def _tension_before(self) -> tuple[float, ...]:
        """Rep-phase seconds in all segments before index i (prefix sums, computed once)."""
        sums = [0.0]
        for segment in self.segments:
            sums.append(sums[-1] + (segment.duration if segment.is_rep_phase else 0.0))
        return tuple(sums)

    @cached_property
    def _rep_ends(self) -> Mapping[Side, tuple[float, ...]]:
        """Per side, the time each rep's last phase ends (ascending)."""
        ends: dict[Side, dict[int, float]] = {side: {} for side in self.sides}
        for segment in self.segments:
            if segment.is_rep_phase:
                ends[segment.side][segment.rep] = segment.end
        return {side: tuple(by_rep[r] for r in sorted(by_rep)) for side, by_rep in ends.items()}

    def index_at(self, t: float) -> int:
        """Index of the segment containing t; a boundary belongs to the segment it starts."""
        index = bisect_right(self._starts, t) - 1
        return min(max(index, 0), len(self.segments) - 1)

    def segment_at(self, t: float) -> Segment:
        """The segment containing t (the last one for t >= total)."""
        return self.segments[self.index_at(t)]

    def find(self, kind: PhaseKind, side: Side, rep: int) -> int | None:
        """Index of the segment with this kind, side and rep, if the schedule has it."""
        for index, segment in enumerate(self.segments):
            if segment.kind == kind and segment.side == side and segment.rep == rep:
                return index
        return None

    def tension_until(self, t: float) -> float:
        """Rep-phase seconds on the timeline between 0 and t."""
        t = min(max(t, 0.0), self.total)
        index = self.index_at(t)
        segment = self.segments[index]
        inside = min(max(t - segment.start, 0.0), segment.duration) if segment.is_rep_phase else 0
        return self._tension_before[index] + inside

    def completed_reps_at(self, t: float, tolerance: float = 0.0) -> dict[Side, int]:
        """Per side, how many reps have their last phase ended by time t."""
        return {side: bisect_right(ends, t + tolerance) for side, ends in self._rep_ends.items()}

    def next_rep_start_after(self, index: int) -> float:
        """Start of the next rep (or of the switch) after segment `index`; total if none."""
        current = self.segments[index]
        for segment in self.segments[index + 1 :]:
            if segment.kind is PhaseKind.SWITCH or (
                segment.is_rep_phase and (segment.side, segment.rep) != (current.side, current.rep)
            ):
                return segment.start
        return self.total

    @cached_property
    def _cue_times(self) -> tuple[float, ...]:
        return tuple(cue.at for cue in self.cues)

    def first_cue_at_or_after(self, t: float) -> int:
        """Index of the first cue with `at >= t` (len(cues) if none)."""
        return bisect_left(self._cue_times, t)

    def first_cue_after(self, t: float) -> int:
        """Index of the first cue with `at > t` (len(cues) if none)."""
        return bisect_right(self._cue_times, t)


def build_schedule(plan: SetPlan, reps: Sequence[int] | None = None) -> Schedule:
    """Lay out the whole set as segments and cues; pure, so it is trivially testable.

    `reps` overrides the target per side (in `plan.sides` order): a run edited on its second
    side keeps the reps the first side was given.
    """
    sides = plan.sides
    counts = tuple(reps) if reps is not None else (plan.target_reps,) * len(sides)
    if len(counts) != len(sides):
        raise ValueError(f"reps needs one count per side ({len(sides)}), not {len(counts)}.")
    for count in counts:
        _check_reps("reps per side", count)

    segments: list[Segment] = []
    cues: list[Cue] = []
    t = 0.0
    first_side = sides[0]
    if plan.lead_in > 0:
        word = plan.lead_in_cue.strip() or DEFAULT_COUNTDOWN_WORD
        segments.append(Segment(PhaseKind.COUNTDOWN, first_side, 0, t, plan.lead_in,
                                Breath.BREATHE, word))
        for remaining in range(math.floor(plan.lead_in), 0, -1):
            cues.append(Cue(plan.lead_in - remaining, CueKind.COUNTDOWN_TICK, first_side, 0,
                            str(remaining)))
        t = plan.lead_in
    first_phase = plan.rep_order[0]
    cues.append(Cue(t, CueKind.GO, first_side, 0, plan.go_cue, first_phase,
                    plan.breathing[first_phase]))

    for side_index, (side, count) in enumerate(zip(sides, counts, strict=True)):
        if side_index > 0:
            segments.append(Segment(PhaseKind.SWITCH, side, 0, t, plan.switch_seconds,
                                    Breath.BREATHE, plan.switch_cue))
            cues.append(Cue(t, CueKind.SWITCH, side, 0, plan.switch_cue))
            t += plan.switch_seconds
        for rep in range(1, count + 1):
            for phase in plan.rep_order:
                duration = plan.tempo.seconds(phase)
                if duration <= 0:
                    continue  # a 0 s pause is no segment at all, so no cue either
                breath = plan.breathing[phase]
                word = plan.word(phase)
                if rep == count and phase is first_phase:
                    cues.append(Cue(t, CueKind.LAST_REP, side, rep, LAST_REP_TEXT, phase, breath))
                segments.append(Segment(phase, side, rep, t, duration, breath, word))
                cues.append(Cue(t, CueKind.PHASE, side, rep, word, phase, breath))
                t += duration
    cues.append(Cue(t, CueKind.SET_END, sides[-1], counts[-1], plan.end_cue))
    cues.sort(key=lambda cue: cue.at)  # stable: same-moment cues keep the order built above
    return Schedule(plan, counts, tuple(segments), tuple(cues), t)
