"""Which leg a set (or a part of it) works: shared by the tempo schedule and the set log."""

from __future__ import annotations

from enum import StrEnum


class Side(StrEnum):
    """Both legs together, or one leg at a time for one-sided exercises."""

    BOTH = "both"
    LEFT = "left"
    RIGHT = "right"

    @property
    def label(self) -> str:
        """What the set screen shows: "LEFT LEG", "RIGHT LEG" or "BOTH LEGS"."""
        return {"both": "BOTH LEGS", "left": "LEFT LEG", "right": "RIGHT LEG"}[self.value]
