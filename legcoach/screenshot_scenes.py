"""Screenshots of what the main window alone can't show: dialogs and start-up messages.

Each scene builds its widget on the demo window (never the user's data) and returns what to
grab. Kept apart from `screenshots.py`, which walks the window's own screens.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from legcoach.core.clock import FakeWallClock

SCENES = ("settings", "import", "recovery", "second-instance")


def _strong_export(window) -> bytes:
    """A small Strong export (semicolons, kg in the header) of three demo leg days."""
    names = {"leg-press": "Leg Press (Machine)", "leg-press-45": "Incline Leg Press",
             "single-leg-press": "Single Leg Press (Machine)",
             "hip-thrust-machine": "Hip Thrust (Machine)"}
    lines = ['"Workout #";"Date";"Workout Name";"Duration (sec)";"Exercise Name";"Set Order";'
             '"Weight (kg)";"Reps";"RPE";"Distance (meters)";"Seconds";"Notes";"Workout Notes"']
    sets = [r for r in window.workspace.sets.store.query() if r.exercise_id in names][-60:]
    days = sorted({(r.performed_at - timedelta(days=900)).date() for r in sets})
    for number, record in enumerate(sets):
        day = (record.performed_at - timedelta(days=900)).date()
        lines.append(f'"{days.index(day) + 1}";"{day} 18:00:00";"Legs";"3600";'
                     f'"{names[record.exercise_id]}";"{number % 4 + 1}";'
                     f'"{record.load_kg:.1f}";"{record.reps}";"";"0";"0";"";""')
    lines.append('"3";"2024-06-01 18:00:00";"Legs";"3600";"Bulgarian Split Squat";"1";"20.0";'
                 '"10";"";"0";"0";"";""')
    return ("\n".join(lines) + "\n").encode("utf-8")


def _import(window, wall: FakeWallClock):
    from PySide6.QtWidgets import QApplication

    window.data_actions.open_import()
    dialog = window.data_actions.dialog
    path = Path(tempfile.mkdtemp(prefix="legcoach-shot-")) / "strong_workouts.csv"
    path.write_bytes(_strong_export(window))
    dialog.resize(window.size())
    dialog.open_path(path)
    while dialog.parsing:
        QApplication.processEvents()
    return dialog


def _recovery(window, wall: FakeWallClock):
    """A real repair: a backup, a damaged routines file, start-up recovery, its banner."""
    from legcoach.storage.backups import BackupManager
    from legcoach.storage.json_documents import JsonDocumentStore
    from legcoach.storage.recovery import recover
    from legcoach.ui.banners import ProblemBanner, recovery_banner_text

    folder = _scratch_folder()
    JsonDocumentStore(folder).save("routines", {"v": 1, "routines": []})
    backups = BackupManager(folder)
    backups.back_up(wall() - timedelta(days=1))
    (folder / "routines.json").write_bytes(b'{"v": 1, "routines": [{"id": "le')
    report = recover(folder, backups, wall())
    window.add_banner(ProblemBanner(*recovery_banner_text(report)))
    window.show_library()
    return window


def _second_instance(window, wall: FakeWallClock):
    """The real question: this process holds a folder's lock and asks for it again."""
    from legcoach.app import second_instance_box
    from legcoach.instance_lock import DataFolderLock

    folder = Path(tempfile.mkdtemp(prefix="legcoach-shot-"))
    holder, second = DataFolderLock(folder), DataFolderLock(folder)
    holder.acquire()
    second.acquire()
    box = second_instance_box(second.problem())
    holder.release()
    box.show()
    return box


def _scratch_folder() -> Path:
    """An empty folder with a fixed name: its path shows in the recovery message, and the
    picture should come out the same every time."""
    folder = Path(tempfile.gettempdir()) / "legcoach-screenshot-data"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def scene(name: str) -> Callable:
    """The function building scene `name` on the demo window; returns the widget to grab."""
    if name == "settings":
        return lambda window, wall: (window.show_settings(), window)[1]
    return {"import": _import, "recovery": _recovery, "second-instance": _second_instance}[name]
