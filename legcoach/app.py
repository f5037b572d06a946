"""Wires the pieces together: options → data folder → library → Qt application → window.

`main()` is the console entry point; `main.py` at the top of the checkout calls it too.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime

from legcoach.cli import Options, parse_args
from legcoach.core.clock import Clock, MonotonicClock
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
                   now: Callable[[], datetime] = utc_now, *, read_only: bool = False,
                   read_only_reason: str = "") -> Workspace:
    """The core's view of the data folder: sets in TinyDB, small documents as JSON.

    `read_only`: this window may look but never write (another legcoach holds the folder,
    or recovery found files it must not overwrite: `read_only_reason` says which).
    """
    from legcoach.storage.json_documents import JsonDocumentStore
    from legcoach.storage.tinydb_store import TinyDBSetStore

    store = TinyDBSetStore(data.root, read_only=read_only)
    return Workspace(library=library, sets=SetLogEditor(store, now=now),
                     documents=JsonDocumentStore(data.root, read_only=read_only), now=now,
                     read_only=read_only, read_only_reason=read_only_reason)


def build_window(workspace: Workspace, *, clock: Clock | None = None, sound=None,
                 backups=None):
    """Create the main window (a QApplication must exist); tests pass a fake clock and sound.

    `sound`: a cue player, or a function making one when the first set needs it (the
    default: QtMultimedia costs a noticeable part of a second to load).
    """
    from legcoach.ui.main_window import MainWindow

    return MainWindow(workspace, clock or MonotonicClock(),
                      sound if sound is not None else build_sound, backups=backups)


def second_instance_box(problem: str):
    """The question a second legcoach on the same data folder asks (not shown yet)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, "legcoach", problem)
    box.setInformativeText("Only one legcoach at a time can write your training log. You can "
                           "look at it read-only here, or quit and use the open window.")
    box.setStyleSheet("#qt_msgbox_label, #qt_msgbox_informativelabel { min-width: 480px; }")
    box.view_button = box.addButton("View read-only", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    return box


def ask_second_instance(problem: str) -> bool:
    """True to open read-only, False to quit."""
    box = second_instance_box(problem)
    box.exec()
    return box.clickedButton() is box.view_button


def run(options: Options, ask: Callable[[str], bool] = ask_second_instance) -> int:
    if options.screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QMessageBox

    from legcoach.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("legcoach")
    app.setDesktopFileName("legcoach")
    from PySide6.QtGui import QIcon

    app.setWindowIcon(QIcon(str(assets_dir() / "icon.svg")))
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
    if options.screenshot is not None:
        from legcoach.screenshots import take_screenshot

        return take_screenshot(library, options)
    if options.demo:
        from legcoach.core.demo import demo_workspace

        return _run_window(app, demo_workspace(library, utc_now), options)
    from legcoach.instance_lock import DataFolderLock

    lock = DataFolderLock(data.root)
    reason = ""
    if not lock.acquire():
        if not ask(lock.problem()):
            return 1
        reason = "another legcoach is open on this data folder"
    try:
        return _run_data_folder(app, library, data, options, reason)
    finally:
        lock.release()


def _recover(data: DataPaths, backups) -> tuple[list[str], str]:
    """Start-up repair of damaged data files: (messages for the lifter, read-only reason)."""
    from legcoach.storage.recovery import recover

    try:
        report = recover(data.root, backups, utc_now())
    except OSError as error:  # the check itself failed: say so, open the data as it is
        return [f"The data files could not be checked ({error.strerror or error})."], ""
    if report.needs_read_only:
        return report, ("some data files could not be used safely (see the message below); "
                        "nothing is written until that is sorted out")
    return report, ""


def open_data_window(library: ExerciseLibrary, data: DataPaths, backups, *, reason: str = "",
                     sound=None):
    """Repair the data folder (unless read-only), open it, and build the window on it.

    `reason`: why this window must not write ("" when it holds the lock). Returns the window;
    its `workspace` is the opened data.
    """
    from legcoach.ui.banners import ProblemBanner, recovery_banner_text

    messages: list[str] = []
    if not reason:  # a read-only window never repairs: the other one is writing
        messages, reason = _recover(data, backups)
    workspace = open_workspace(library, data, read_only=bool(reason), read_only_reason=reason)
    from legcoach.ui.settings_apply import apply_settings_look

    apply_settings_look(workspace.settings)  # before the window: styled once, not twice
    window = build_window(workspace, sound=sound, backups=backups)
    if messages:
        window.add_banner(ProblemBanner(*recovery_banner_text(messages,
                                                              read_only=bool(reason))))
    return window


def _run_data_folder(app, library: ExerciseLibrary, data: DataPaths, options: Options,
                     reason: str) -> int:
    """Show the window on the data folder; again after a restore replaced its files."""
    from legcoach.storage.backups import BackupManager

    backups = BackupManager(data.root)
    made: list = []

    def sound():
        if not made:
            made.append(build_sound(options.sound))
        return made[0]

    while True:
        window = open_data_window(library, data, backups, reason=reason, sound=sound)
        code = _show_window(app, window, window.workspace, options)
        if not window.restart_requested:
            return code
        window.deleteLater()
        reason = ""  # the restore happened in the writing window: it still holds the lock


def _run_window(app, workspace: Workspace, options: Options) -> int:
    """The demo: a window on an in-memory workspace (in `--look` if given)."""
    if options.look is not None:
        workspace.settings.set("look.theme", options.look)
    return _show_window(app, build_window(workspace, sound=lambda: build_sound(options.sound)),
                        workspace, options)


def _show_window(app, window, workspace: Workspace, options: Options) -> int:
    from legcoach.ui.settings_apply import apply_settings_look

    apply_settings_look(workspace.settings, app)
    window.resize(*options.size)
    window.show()
    # What start-up made (library, history read so far) lives as long as the app: keep the
    # garbage collector from walking it again on every collection (60-100 ms pauses seen).
    gc.freeze()
    if options.exit_when_shown:  # start-up benchmarks: time to the first shown window
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, app.quit)
    code = app.exec()
    workspace.sets.store.close()
    return code


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("import", "export"):
        from legcoach.commands import main as command_main

        return command_main(args)
    return run(parse_args(args))


if __name__ == "__main__":
    sys.exit(main())
