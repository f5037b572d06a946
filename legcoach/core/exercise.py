"""The exercise model: what the library files describe, as plain immutable data.

The fields follow resources/exercises/SCHEMA.md one to one; `library.py` turns TOML into these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from legcoach.core.setplan import Breath


class Difficulty(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class FootHeight(StrEnum):
    LOW = "low"
    MIDDLE = "middle"
    HIGH = "high"


class FootWidth(StrEnum):
    NARROW = "narrow"
    SHOULDER = "shoulder"
    WIDE = "wide"


@dataclass(frozen=True)
class Step:
    """One guided step: a short title and one or two sentences."""

    title: str
    text: str


@dataclass(frozen=True)
class Mistake:
    name: str
    why: str
    fix: str


@dataclass(frozen=True)
class Variation:
    """A foot placement and what it shifts."""

    name: str
    height: FootHeight
    width: FootWidth
    emphasis: str
    detail: str


@dataclass(frozen=True)
class Faq:
    question: str
    answer: str


@dataclass(frozen=True)
class Movement:
    """How a rep moves: which way it starts, the words for each direction, the default tempo."""

    starts_with: str  # "eccentric" | "concentric"
    eccentric: str
    concentric: str
    tempo: str
    lead_in_cue: str
    end_cue: str
    switch_cue: str = ""


@dataclass(frozen=True)
class Breathing:
    eccentric: Breath
    bottom: Breath
    concentric: Breath
    top: Breath
    summary: str


@dataclass(frozen=True)
class Guidance:
    """Rep range and load advice; `relative_*` says e.g. "40–50% of the two-leg press"."""

    rep_range: tuple[int, int]
    load: str
    sets: tuple[int, int] | None = None
    progression: str = ""
    frequency: str = ""
    notes: tuple[str, ...] = ()
    relative_to: str | None = None
    relative_load: tuple[float, float] | None = None


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    summary: str
    equipment: str
    primary_muscles: tuple[str, ...]
    difficulty: Difficulty
    one_sided: bool
    cues: tuple[str, ...]
    safety: tuple[str, ...]
    movement: Movement
    breathing: Breathing
    guidance: Guidance
    setup: tuple[Step, ...]
    execution: tuple[Step, ...]
    mistakes: tuple[Mistake, ...]
    variations: tuple[Variation, ...] = ()
    faq: tuple[Faq, ...] = ()
    secondary_muscles: tuple[str, ...] = ()
    about: str = ""
    machine: str = ""
    video: str = ""
    builtin: bool = field(default=True, compare=False)

    @property
    def muscles(self) -> tuple[str, ...]:
        """Primary then secondary muscles, for filtering."""
        return self.primary_muscles + self.secondary_muscles

    @property
    def video_url(self) -> str:
        return f"https://www.youtube.com/watch?v={self.video}" if self.video else ""
