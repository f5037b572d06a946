"""Drives a workout through its real screens without a person.

Used by `--screenshot` to reach the log form, the rest timer and the summary, and by the
end-to-end tests (which pass a `press` that clicks like a user). Time only moves through the
fake clocks it is given, so every picture and every test is reproducible.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QAbstractButton

from legcoach.core.clock import FakeClock, FakeWallClock
from legcoach.core.session import Stage

Press = Callable[[QAbstractButton], None]


def _click(button: QAbstractButton) -> None:
    button.click()


class Autopilot:
    def __init__(self, window, clock: FakeClock, wall: FakeWallClock,
                 press: Press = _click, load: str = "100") -> None:
        self.window = window
        self.clock = clock
        self.wall = wall
        self.press = press
        self.load = load

    @property
    def workout(self):
        return self.window.workout_view

    def stage(self) -> Stage | None:
        session = self.workout.session
        return None if session is None else session.stage

    def step(self) -> Stage | None:
        """Do what the current screen asks for; return the stage it was in."""
        current = self.stage()
        workout = self.workout
        if current is Stage.SETUP:
            self.press(workout.setup_view.start_button)
        elif current is Stage.SET:
            self.run_set()
        elif current is Stage.LOG:
            self.wall.advance(60)
            if not workout.log_form.load.text():
                workout.log_form.load.set_text(self.load)
            self.press(workout.log_form.save_button)
        elif current is Stage.REST:
            self.wall.advance(90)
            self.press(workout.rest_view.skip_button)
        return current

    def run_set(self, until: float | None = None) -> None:
        """Start the set and let the fake clock run to `until` seconds (default: the end)."""
        view = self.workout.set_view
        if not view.run.is_started:
            self.press(view.start_button)
        run = view.run
        offset = run.schedule.total + 0.01 if until is None else until
        self.clock.set(max(self.clock.now(), run.started_at + offset))
        view.driver.poll()
        view.refresh()

    def run_until(self, *, logged: int | None = None, stage: Stage | None = None,
                  limit: int = 300) -> None:
        """Step until `logged` sets are in the session, `stage` is reached, or it is done."""
        for _ in range(limit):
            session = self.workout.session
            if session is None or session.is_done:
                return
            if logged is not None and len(session.logged) >= logged:
                return
            if stage is not None and session.stage is stage:
                return
            self.step()
        raise AssertionError("the workout did not progress")
