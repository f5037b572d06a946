"""Guided mode as a pure state machine: setup steps, execution steps, then a clear "ready" end.

The Qt view only renders `GuidedWalk.current` and calls `next()`/`back()`, so every rule about
counting ("Setup 2/4") and about where the walk ends is tested here without a window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from legcoach.core.exercise import Exercise


@dataclass(frozen=True)
class GuidePage:
    section: str  # "Setup", "Execution" or "Ready"
    number: int  # 1-based within the section
    of: int  # pages in the section
    title: str
    text: str
    is_end: bool = False

    @property
    def position(self) -> str:
        """The counter the lifter sees, e.g. "Setup 2/4"; the end page just says "Ready"."""
        return self.section if self.is_end else f"{self.section} {self.number}/{self.of}"


def guide_pages(exercise: Exercise) -> tuple[GuidePage, ...]:
    """Every page of the walk in order, ending with the "start your set" page."""
    pages: list[GuidePage] = []
    for section, steps in (("Setup", exercise.setup), ("Execution", exercise.execution)):
        pages.extend(
            GuidePage(section, number, len(steps), step.title, step.text)
            for number, step in enumerate(steps, start=1)
        )
    reminders = " · ".join(exercise.cues[:3])
    pages.append(
        GuidePage(
            "Ready", 1, 1, "Ready: start your set",
            f"{exercise.movement.lead_in_cue}. Keep in mind: {reminders}.",
            is_end=True,
        )
    )
    return tuple(pages)


class GuidedWalk:
    """Where the lifter is in the guide; listeners hear about every move."""

    def __init__(self, exercise: Exercise) -> None:
        self.exercise = exercise
        self.pages = guide_pages(exercise)
        self._index = 0
        self._listeners: list[Callable[[GuidePage], None]] = []

    @property
    def index(self) -> int:
        return self._index

    @property
    def current(self) -> GuidePage:
        return self.pages[self._index]

    @property
    def at_start(self) -> bool:
        return self._index == 0

    @property
    def at_end(self) -> bool:
        return self._index == len(self.pages) - 1

    @property
    def progress(self) -> float:
        """0 on the first page, 1 on the ready page."""
        return self._index / (len(self.pages) - 1)

    def subscribe(self, listener: Callable[[GuidePage], None]) -> None:
        self._listeners.append(listener)

    def next(self) -> bool:
        """Move forward; False (and no change) on the ready page."""
        return self.go_to(self._index + 1)

    def back(self) -> bool:
        """Move back; False (and no change) on the first page."""
        return self.go_to(self._index - 1)

    def restart(self) -> None:
        self.go_to(0)

    def go_to(self, index: int) -> bool:
        if not 0 <= index < len(self.pages) or index == self._index:
            return False
        self._index = index
        for listener in self._listeners:
            listener(self.current)
        return True
