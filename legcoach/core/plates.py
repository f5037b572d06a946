"""Plate calculator: which plates to hang on each side of the sled for a target total load.

Greedy (heaviest plate that still fits, repeat) fails for some plate sets: with 15, 10 and 4 kg
plates and 24 kg to put on a side, greedy stops at 15 + 4 + 4 = 23 kg while 10 + 10 + 4 makes 24.
So this solves it exactly: the heaviest per-side load not above the target's share that the
plates can make, and among those the one with the fewest plates (less to carry and to count),
by dynamic programming over the load in steps of the plates' greatest common divisor. Plates
go on in pairs, one per side, so the total is sled + 2 × one side.

All numbers are in one unit, the caller's (`unit` only words the summary); loads are exact
decimals on a 1 g (or 0.001 lb) grid so 2.5 + 1.25 never turns into 3.7499999.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from legcoach.core.records import format_number
from legcoach.core.setlog import LoadUnit, from_kg

__all__ = ["GRID", "MAX_STEPS", "PlateLoad", "in_unit", "plates_per_side"]

GRID: Final = Decimal("0.001")
MAX_STEPS: Final = 250_000
"""Bound on the table size (per-side load ÷ the plates' common divisor): a few tenths of a
second. Real plate sets stay in the hundreds; only sizes like 1.001 and 1.002 would hit it."""

Number = int | float | str | Decimal


@dataclass(frozen=True, slots=True)
class PlateLoad:
    """What to load: `per_side` plates (heaviest first, the same on both sides)."""

    target: Decimal
    sled: Decimal
    unit: LoadUnit
    per_side: tuple[Decimal, ...]

    @property
    def below_sled(self) -> bool:
        """The empty sled already weighs more than the target: no plates can help."""
        return self.target < self.sled

    @property
    def achieved(self) -> Decimal:
        """The total on the machine: sled plus both sides."""
        return self.sled + 2 * sum(self.per_side, Decimal(0))

    @property
    def difference(self) -> Decimal:
        """Target − achieved: ≥ 0 unless `below_sled`."""
        return self.target - self.achieved

    @property
    def exact(self) -> bool:
        return self.difference == 0

    def counts(self) -> list[tuple[Decimal, int]]:
        """(plate, how many per side), heaviest first: "2 × 20"."""
        return sorted(Counter(self.per_side).items(), reverse=True)

    def summary(self) -> str:
        """One line for the lifter, in their unit."""
        u = self.unit.value
        if self.below_sled:
            return (f"The sled alone weighs {_n(self.sled)} {u}, more than {_n(self.target)} "
                    f"{u}: no plates.")
        if not self.per_side:
            side = "no plates"
        else:
            side = " + ".join(f"{count} × {_n(plate)}" if count > 1 else _n(plate)
                              for plate, count in self.counts()) + f" {u} per side"
        total = f"{_n(self.achieved)} {u}"
        if self.exact:
            return f"{side} → {total}."
        return f"{side} → {total}, {_n(self.difference)} {u} under {_n(self.target)} {u}."


def plates_per_side(target: Number, sled: Number, plates: Iterable[Number],
                    unit: LoadUnit = LoadUnit.KG) -> PlateLoad:
    """The best way to reach `target` on a sled weighing `sled` with pairs of `plates`.

    Best: the heaviest total not above `target`, then the fewest plates, then heavier plates
    first. Any number of pairs of each size is assumed. ValueError for a negative or non-finite
    load, or plate sizes too fine to combine quickly (see MAX_STEPS).
    """
    target_d, sled_d = _load(target, "target"), _load(sled, "sled")
    sizes = {_load(p, "plate") for p in plates}
    if any(p <= 0 for p in sizes):
        raise ValueError("Plate sizes must be above zero.")
    if target_d < sled_d:
        return PlateLoad(target_d, sled_d, LoadUnit(unit), ())
    side_room = _steps(target_d - sled_d) // 2
    usable = sorted((s for s in map(_steps, sizes) if s <= side_room), reverse=True)
    chosen = _fewest_plates(side_room, usable) if usable else []
    per_side = tuple(Decimal(step) * GRID for step in chosen)
    return PlateLoad(target_d, sled_d, LoadUnit(unit), tuple(sorted(per_side, reverse=True)))


def in_unit(loads_kg: Iterable[float], unit: LoadUnit) -> tuple[Decimal, ...]:
    """Stored kg values as the lifter reads them (lb to 0.01): the calculator's inputs."""
    if LoadUnit(unit) is LoadUnit.KG:
        return tuple(_load(v, "load") for v in loads_kg)
    return tuple(Decimal(repr(from_kg(v, unit))).quantize(Decimal("0.01"), ROUND_HALF_UP)
                 for v in loads_kg)


def _fewest_plates(room: int, sizes: list[int]) -> list[int]:
    """Plates (grid steps, heaviest first in `sizes`) with the largest sum ≤ `room`, fewest
    plates for that sum. Unbounded change-making, on the sizes' common divisor."""
    unit = math.gcd(*sizes)
    n, coins = room // unit, [s // unit for s in sizes]
    if n > MAX_STEPS:
        raise ValueError("These plate sizes are too fine to combine quickly; round them to "
                         "0.25 or so.")
    impossible = n + 1  # more plates than any real answer
    fewest = [0] + [impossible] * n
    last = [0] * (n + 1)
    for amount in range(1, n + 1):
        best, pick = impossible, 0
        for coin in coins:  # heaviest first: ties keep the heavier plate
            if coin <= amount and fewest[amount - coin] + 1 < best:
                best, pick = fewest[amount - coin] + 1, coin
        fewest[amount], last[amount] = best, pick
    amount = next(a for a in range(n, -1, -1) if fewest[a] < impossible)
    chosen = []
    while amount:
        chosen.append(last[amount] * unit)
        amount -= last[amount]
    return chosen


def _load(value: Number, what: str) -> Decimal:
    """A non-negative, finite load on GRID."""
    if isinstance(value, bool):
        raise ValueError(f"The {what} must be a number, not {value!r}.")
    try:
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except ArithmeticError:
        raise ValueError(f"The {what} must be a number, not {value!r}.") from None
    if not exact.is_finite() or exact < 0:
        raise ValueError(f"The {what} must be a load of 0 or more, not {value!r}.")
    return exact.quantize(GRID, ROUND_HALF_UP)


def _steps(load: Decimal) -> int:
    return int(load / GRID)


def _n(value: Decimal) -> str:
    return format_number(value, 3)
