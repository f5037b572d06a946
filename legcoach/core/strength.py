"""Strength maths: estimated one-rep max and training volume, from a set's load and reps.

Nobody maxes out on a leg press, so the one-rep max is estimated from ordinary sets. The
formulas are fitted on low-rep sets and drift apart above roughly 12–15 reps (a 20-rep
finisher "predicts" a max nobody could lift), so every estimate is still computed but flagged
`reliable` only up to RELIABLE_MAX_REPS; records and charts can then ignore or grey out the rest.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Final, Literal

from legcoach.core.setlog import SetRecord

__all__ = [
    "E1RM_DESCRIPTION",
    "E1RM_FORMULA",
    "FORMULAS",
    "RELIABLE_MAX_REPS",
    "Formula",
    "OneRepMax",
    "brzycki",
    "epley",
    "estimate_1rm",
    "exact_volume",
    "total_volume",
    "volume_kg",
]

Formula = Literal["epley", "brzycki"]

RELIABLE_MAX_REPS: Final = 12
"""Above this many reps an estimate is shown but not trusted (see the module doc)."""


def _check(load_kg: float, reps: int) -> None:
    """Reject inputs no logged set can have, instead of returning a plausible-looking number."""
    if isinstance(load_kg, bool) or not math.isfinite(load_kg) or load_kg < 0:
        raise ValueError(f"Load must be a finite number of kg ≥ 0, not {load_kg!r}.")
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 0:
        raise ValueError(f"Reps must be a whole number ≥ 0, not {reps!r}.")


def epley(load_kg: float, reps: int) -> float | None:
    """load × (1 + reps/30); a single rep is the max itself (the raw formula would add 3.3%).

    None for 0 reps: a set with no completed rep says nothing about the max.
    """
    _check(load_kg, reps)
    if reps == 0:
        return None
    # Multiply before dividing: equal products give bit-identical estimates.
    return float(load_kg) if reps == 1 else load_kg * (30 + reps) / 30


def brzycki(load_kg: float, reps: int) -> float | None:
    """load × 36 / (37 − reps); None for 0 reps and from 37 reps, where it divides by ≤ 0."""
    _check(load_kg, reps)
    if reps == 0 or reps >= 37:
        return None
    return load_kg * 36 / (37 - reps)


FORMULAS: Final[dict[str, tuple[Callable[[float, int], float | None], str]]] = {
    "epley": (epley, "Estimated 1RM (Epley): load × (1 + reps ÷ 30)"),
    "brzycki": (brzycki, "Estimated 1RM (Brzycki): load × 36 ÷ (37 − reps)"),
}
"""Formula name → (function, the one line the UI shows to explain the number)."""

E1RM_FORMULA: Final[Formula] = "epley"
"""The default: Epley reads well across the 8–15 rep ranges these presses are trained in."""

E1RM_DESCRIPTION: Final = FORMULAS[E1RM_FORMULA][1]


@dataclass(frozen=True, slots=True)
class OneRepMax:
    """An estimate and whether it can be trusted (reps ≤ RELIABLE_MAX_REPS)."""

    kg: float
    formula: Formula
    reps: int
    reliable: bool


def estimate_1rm(load_kg: float, reps: int, formula: Formula = E1RM_FORMULA) -> OneRepMax | None:
    """The estimated one-rep max of one set, or None when the formula has no answer."""
    if formula not in FORMULAS:
        raise ValueError(f"Unknown 1RM formula {formula!r}; choose from {', '.join(FORMULAS)}.")
    value = FORMULAS[formula][0](load_kg, reps)
    if value is None:
        return None
    return OneRepMax(kg=value, formula=formula, reps=reps, reliable=reps <= RELIABLE_MAX_REPS)


def exact_volume(load_kg: float, reps: int) -> Decimal:
    """load × reps as an exact decimal, so sums come out the same in any order."""
    _check(load_kg, reps)
    return Decimal(repr(float(load_kg))) * reps


def volume_kg(load_kg: float, reps: int) -> float:
    """Volume of one set: load × reps (kg moved, counting each rep once)."""
    return float(exact_volume(load_kg, reps))


def total_volume(records: Iterable[SetRecord]) -> float:
    """Sum of load × reps over `records`, exactly; the caller picks which sets count.

    One-leg sets are summed like any other, so a session's left and right sides add up.
    """
    return float(sum((exact_volume(r.load_kg, r.reps) for r in records), Decimal(0)))
