"""Settings → Your data: automatic and manual backups, restore, import and export, from the window.

These run on a real data folder (TinyDB and JSON files in tmp_path) because what they protect
is the files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt

from legcoach.app import open_workspace
from legcoach.core.setlog import LoadUnit, SetRecord
from legcoach.paths import DataPaths
from legcoach.storage.backups import BackupManager
from legcoach.ui.data_tools import BACKUP_CHECK_MS, DataTools
from legcoach.ui.import_dialog import CSV_EXPORT, JSON_BACKUP
from legcoach.ui.main_window import MainWindow

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"


@pytest.fixture
def data(tmp_path: Path) -> DataPaths:
    paths = DataPaths(tmp_path / "data")
    paths.ensure()
    return paths


@pytest.fixture
def make_window(qtbot, qapp, library, data, wall, clock, sound):
    made: list[MainWindow] = []

    def make(read_only: bool = False) -> MainWindow:
        workspace = open_workspace(library, data, now=wall, read_only=read_only)
        window = MainWindow(workspace, clock, sound, backups=BackupManager(data.root))
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        made.append(window)
        return window

    yield make
    for window in made:
        window.workspace.sets.store.close()


def a_set(wall, **changes) -> SetRecord:
    values = {"exercise_id": "leg-press", "performed_at": wall(), "unit": LoadUnit.KG,
              "entered_load": "100", "reps": 10, "created_at": wall(), "updated_at": wall()}
    return SetRecord(**(values | changes))


def test_the_backup_check_timer_belongs_to_the_window(make_window) -> None:
    window = make_window()
    timer = window.data_actions.timer
    assert timer.objectName() == "legcoach.backup" and timer.isActive()
    assert timer.interval() == BACKUP_CHECK_MS
    parent: QObject | None = timer.parent()
    while parent is not None and parent is not window:
        parent = parent.parent()
    assert parent is window


def test_a_finished_workout_is_backed_up_and_a_running_set_is_never_interrupted(
        make_window, wall, clock, qtbot) -> None:
    window = make_window()
    backups = window.data_actions.backups
    window.workspace.log([a_set(wall)])
    window.open_set("leg-press")
    qtbot.keyClick(window.set_view, Qt.Key.Key_Space)
    clock.advance(8.0)
    assert window.set_view.is_active
    wall.advance(2 * 3600)
    assert window.data_actions.back_up_if_due() is None  # not while a set runs
    assert backups.list() == []
    window.set_view.stop()
    path = window.data_actions.back_up_if_due(session_ended=True)
    assert path is not None and [info.path for info in backups.list()] == [path]


def test_closing_the_window_backs_up_what_changed(make_window, wall) -> None:
    window = make_window()
    window.workspace.log([a_set(wall)])
    wall.advance(3600)
    window.close()
    infos = window.data_actions.backups.list()
    assert len(infos) == 1 and infos[0].sets == 1


def test_a_failing_automatic_backup_is_said_once_and_loses_nothing(make_window, wall,
                                                                    monkeypatch) -> None:
    window = make_window()
    window.workspace.log([a_set(wall)])

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(window.data_actions.backups, "back_up_if_due", full)
    window.data_actions.back_up_if_due(session_ended=True)
    message = window.status_label.text()
    assert "automatic backup failed (No space left on device)" in message
    assert "Your log itself is safe" in message
    window.notify("")
    window.data_actions.back_up_if_due(session_ended=True)
    assert window.status_label.text() == ""  # not repeated every five minutes
    assert len(window.workspace.sets.store.query()) == 1


def test_settings_offers_the_data_tools_and_backups_dialog(make_window, qtbot, wall) -> None:
    window = make_window()
    window.workspace.log([a_set(wall)])
    qtbot.mouseClick(window.nav["settings"], Qt.MouseButton.LeftButton)
    assert window.settings_view.sections["Your data"].isVisible()
    card = window.settings_view.findChild(DataTools)
    assert "No backup yet" in card.status.text()
    qtbot.mouseClick(card.backup_button, Qt.MouseButton.LeftButton)
    dialog = window.data_actions.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.back_up_now()
    assert len(window.data_actions.backups.list()) == 1
    dialog.reject()
    assert window.data_actions.dialog is None


def test_a_restore_reopens_the_window_on_the_restored_data(make_window, wall) -> None:
    window = make_window()
    kept = a_set(wall)
    window.workspace.log([kept])
    window.data_actions.open_backups()
    dialog = window.data_actions.dialog
    dialog.back_up_now()
    wall.advance(300)
    window.workspace.log([a_set(wall, reps=3)])  # logged after the backup
    dialog.list.setCurrentRow(0)
    dialog.ask_restore()
    dialog.confirm_restore()
    dialog.reject()
    assert window.restart_requested and not window.isVisible()
    again = make_window()
    assert again.workspace.sets.store.query() == [kept]


def test_import_backs_up_first_adds_the_sets_and_remembers_the_mapping(make_window, qtbot,
                                                                        data) -> None:
    window = make_window()
    window.data_actions.open_import()
    dialog = window.data_actions.dialog
    dialog.open_path(FIXTURES / "strong_header_kg.csv")
    qtbot.waitUntil(lambda: not dialog.parsing and dialog.page() == "preview", timeout=10_000)
    expected = len(dialog.preview.sets)
    assert expected > 0
    dialog.import_now()
    assert dialog.page() == "done"
    assert len(window.workspace.sets.store.query()) == expected
    assert window.status_label.text().startswith("Added")
    backups = window.data_actions.backups.list()
    assert len(backups) == 1 and backups[0].sets == 0  # the state before the import
    remembered = json.loads((data.root / "import_mapping.json").read_text("utf-8"))
    assert remembered["names"]


def test_a_read_only_window_does_not_import_or_back_up_by_itself(make_window) -> None:
    window = make_window(read_only=True)
    assert not window.data_actions.timer.isActive()
    window.data_actions.open_import()
    assert window.data_actions.dialog is None
    assert "read-only" in window.status_label.text()


@pytest.mark.parametrize("fmt", [CSV_EXPORT, JSON_BACKUP], ids=["csv", "json"])
def test_export_writes_the_whole_log(make_window, wall, tmp_path, fmt) -> None:
    window = make_window()
    window.workspace.log([a_set(wall), a_set(wall, reps=8)])
    target = tmp_path / f"out{fmt.suffix}"
    window.data_actions.export(fmt, target)
    assert target.exists()
    assert window.status_label.text() == f"Wrote 2 sets to {target}."
    if fmt is JSON_BACKUP:
        window.workspace.save_settings()
        window.data_actions.export(fmt, target)
        assert "settings" in json.loads(target.read_text("utf-8"))["documents"]
