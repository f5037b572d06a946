"""Wires the pieces together: options → data folder → library → Qt application → window.

`main()` is the console entry point; `main.py` at the top of the checkout calls it too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from legcoach.cli import Options, parse_args
from legcoach.core.clock import Clock, FakeClock, MonotonicClock
from legcoach.core.library import ExerciseFileError, ExerciseLibrary, load_library
from legcoach.core.undo import SetLogEditor
from legcoach.core.workspace import Workspace, utc_now
from legcoach.paths import DataPaths, assets_dir, builtin_exercises_dir


def load_exercises(data: DataPaths) -> ExerciseLibrary:
    """Built-in exercises plus the user's own files from the data folder."""
    return load_library(builtin_exercises_dir(), data.exercises)


def build_sound(enabled: bool = True):
    """The cue player (parented to the application), or a silent one for --no-sound."""
    from PySide6.QtWidgets import QApplication

    from legcoach.ui.sound import CuePlayer, NullPlayer

    app = QApplication.instance()
    return CuePlayer(app, assets_dir() / "tones") if enabled else NullPlayer(app)


def open_workspace(library: ExerciseLibrary, data: DataPaths,
                   now: Callable[[], datetime] = utc_now) -> Workspace:
    """The core's view of the data folder: sets in TinyDB, small documents as JSON."""
    from legcoach.storage.json_documents import JsonDocumentStore
    from legcoach.storage.tinydb_store import TinyDBSetStore

    store = TinyDBSetStore(data.root)
    return Workspace(library=library, sets=SetLogEditor(store, now=now),
                     documents=JsonDocumentStore(data.root), now=now)


def build_window(workspace: Workspace, *, clock: Clock | None = None, sound=None):
    """Create the main window (a QApplication must exist); tests pass a fake clock and sound."""
    from legcoach.ui.main_window import MainWindow

    return MainWindow(workspace, clock or MonotonicClock(), sound or build_sound())


def _prepare_view(window, options: Options) -> None:
    exercise_id = options.exercise or next(iter(window.library)).id
    if window.library.get(exercise_id) is None:
        raise SystemExit(f"legcoach: no exercise with id {exercise_id!r}; "
                         f"known: {', '.join(e.id for e in window.library)}")
    if options.view == "detail":
        window.open_exercise(exercise_id)
    elif options.view == "guided":
        window.open_guided(exercise_id)
        for _ in range(2):  # a step that shows real content, not the first page
            window.guided_view.go_next()
    elif options.view == "set":
        window.open_set(exercise_id)
        driver = window.set_view.driver
        driver.start()
        driver.clock.advance(options.at)  # a FakeClock: the picture is of that exact moment
        driver.poll()
        window.set_view.refresh()


def save_screenshot(window, path: Path) -> None:
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):
        raise SystemExit(f"legcoach: could not write the screenshot to {path}")


def run(options: Options) -> int:
    if options.screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QMessageBox

    from legcoach.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("legcoach")
    app.setDesktopFileName("legcoach")
    apply_theme(app)
    data = DataPaths(options.data_dir)
    try:
        data.ensure()
    except OSError as error:
        QMessageBox.critical(None, "legcoach", f"Cannot use the data folder {data.root}:\n{error}")
        return 2
    try:
        library = load_exercises(data)
    except ExerciseFileError as error:  # a broken built-in file: the installation is damaged
        QMessageBox.critical(None, "legcoach", f"A built-in exercise file is broken:\n{error}")
        return 2
    # A screenshot of the set screen shows a chosen instant, so it runs on a fake clock.
    clock = FakeClock() if options.screenshot is not None and options.view == "set" else None
    window = build_window(open_workspace(library, data), clock=clock,
                          sound=build_sound(options.sound))
    window.resize(*options.size)
    if options.screenshot is not None:
        window.show()
        _prepare_view(window, options)
        save_screenshot(window, options.screenshot)
        window.close()
        return 0
    window.show()
    return app.exec()


def main(argv: Sequence[str] | None = None) -> int:
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
