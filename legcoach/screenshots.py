"""`--screenshot`: render one view offscreen to a PNG, from a demo history, and exit.

Screenshots never touch the user's data: they run on an in-memory demo workspace with fake
clocks, so the same command gives the same picture (README images, docs, reviews).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from legcoach.cli import Options
from legcoach.core.clock import FakeClock, FakeWallClock
from legcoach.core.demo import demo_workspace
from legcoach.core.library import ExerciseLibrary
from legcoach.core.session import Stage
from legcoach.screenshot_scenes import SCENES, scene

DEMO_NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def _prepare(window, options: Options, clock: FakeClock, wall: FakeWallClock) -> None:
    from legcoach.ui.autopilot import Autopilot

    exercise_id = options.exercise or next(iter(window.library)).id
    if window.library.get(exercise_id) is None:
        raise SystemExit(f"legcoach: no exercise with id {exercise_id!r}; "
                         f"known: {', '.join(e.id for e in window.library)}")
    pilot = Autopilot(window, clock, wall)
    view = options.view
    if view == "library":
        window.show_library()
    elif view == "detail":
        window.open_exercise(exercise_id)
    elif view == "guided":
        window.open_guided(exercise_id)
        for _ in range(2):  # a step that shows real content, not the first page
            window.guided_view.go_next()
    elif view == "train":
        window.show_train()
    elif view == "history":
        window.show_history()
    elif view == "progress":
        window.show_progress(exercise_id)
    elif view == "set":
        window.open_set(exercise_id)
        pilot.run_set(until=options.at)
    elif view in ("log-form", "rest"):
        window.open_set(exercise_id)
        pilot.run_set()
        if view == "rest":
            pilot.step()  # save the form as prefilled
            clock.advance(options.at)
            window.workout_view.rest_view.poll()
            window.workout_view.rest_view.refresh()
    elif view == "summary":
        window.start_routine(window.workspace.routines.builtin.id)
        pilot.run_until(stage=Stage.DONE)


class _PretendInhibitor:
    """Pictures show a desktop with a screen saver service (most have one), not the notice
    this headless machine would get."""

    name = "pretend"

    def present(self) -> bool:
        return True

    def inhibit(self, reason: str) -> object | None:
        return reason

    def uninhibit(self, token: object) -> None:
        return None


def take_screenshot(library: ExerciseLibrary, options: Options) -> int:
    from PySide6.QtWidgets import QApplication

    from legcoach.ui.keep_awake import KeepAwake
    from legcoach.ui.main_window import MainWindow
    from legcoach.ui.sound import NullPlayer

    assert options.screenshot is not None
    wall, clock = FakeWallClock(DEMO_NOW), FakeClock()
    app = QApplication.instance()
    window = MainWindow(demo_workspace(library, wall), clock, NullPlayer(app),
                        keep_awake=KeepAwake(None, inhibitors=[_PretendInhibitor()]))
    if options.look is not None:
        from legcoach.ui.themes import apply_look

        apply_look(app, options.look)
    window.resize(*options.size)
    window.show()
    target = window
    if options.view in SCENES:
        target = scene(options.view)(window, wall)
    else:
        _prepare(window, options, clock, wall)
    for _ in range(3):  # layouts that reflow by width settle over a pass or two
        QApplication.processEvents()
    path = Path(options.screenshot)
    path.parent.mkdir(parents=True, exist_ok=True)
    ok = target.grab().save(str(path))
    if target is not window:
        target.close()
        target.deleteLater()
    window.close()
    window.deleteLater()  # the caller may take many screenshots in one process
    if not ok:
        raise SystemExit(f"legcoach: could not write the screenshot to {path}")
    return 0
