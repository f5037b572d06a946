"""The backups dialog: back up now, see it listed, restore after a preview and a confirmation."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from legcoach.storage.backups import BackupManager
from legcoach.storage.json_documents import JsonDocumentStore
from legcoach.storage.recovery import RecoveryReport
from legcoach.ui.backup_dialog import BackupDialog
from legcoach.ui.banners import recovery_banner_text
from legcoach.ui.theme import TOUCH_MIN, apply_theme
from tests.storage.test_backups import NOW, build_data, rewrite_zip, snapshot

NAMES = {"leg-press": "Leg press", "leg-press-45": "45° leg press",
         "hip-thrust-machine": "Machine hip thrust"}


class Clock:
    def __init__(self) -> None:
        self.at = NOW

    def __call__(self):
        return self.at


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return build_data(tmp_path / "data")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def closed() -> list[str]:
    return []


def open_dialog(qtbot, qapp, data: Path, clock: Clock, closed: list[str], **options
                ) -> BackupDialog:
    apply_theme(qapp)
    dialog = BackupDialog(BackupManager(data), clock, names=NAMES,
                          before_restore=lambda: closed.append("set log closed"), **options)
    qtbot.addWidget(dialog)
    dialog.resize(900, 680)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.fixture
def dialog(qtbot, qapp, data: Path, clock: Clock, closed: list[str]) -> BackupDialog:
    return open_dialog(qtbot, qapp, data, clock, closed)


def test_back_up_now_and_see_it_listed(qtbot, dialog: BackupDialog) -> None:
    assert dialog.list.count() == 0 and dialog.empty_label.isVisible()
    assert not dialog.restore_button.isEnabled()
    qtbot.mouseClick(dialog.back_up_button, Qt.MouseButton.LeftButton)
    assert dialog.list.count() == 1
    assert re.fullmatch(r"30 sets · 9 months · [0-9]+ kB", dialog.list.details()[0])
    assert dialog.result_label.isVisible()
    assert dialog.result_label.text().startswith("Backed up 30 sets to legcoach-backup-")
    assert dialog.restore_button.isEnabled() and not dialog.empty_label.isVisible()


def test_restore_shows_a_preview_then_restores_when_confirmed(
        qtbot, dialog: BackupDialog, data: Path, clock: Clock, closed: list[str]) -> None:
    at_backup = snapshot(data)
    qtbot.mouseClick(dialog.back_up_button, Qt.MouseButton.LeftButton)
    JsonDocumentStore(data).save("routines", {"v": 1, "routines": [], "changed": True})
    (data / "sets" / "2025-06.json").unlink()
    clock.at = NOW + timedelta(days=1)
    qtbot.mouseClick(dialog.back_up_button, Qt.MouseButton.LeftButton)
    assert dialog.list.details()[0].startswith("27 sets")
    dialog.list.setCurrentRow(1)  # the older one
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    assert dialog.pages.currentIndex() == 1
    shown = dialog.preview_label.text()
    assert "30 sets from 10 Jun 2025 to" in shown
    assert "Leg press: 10 sets" in shown and "45° leg press: 10 sets" in shown
    assert "Also: machine settings, routines." in shown
    assert "You have 27 sets now" in shown
    assert "backed up first, so you can undo" in shown
    assert snapshot(data) != at_backup and closed == []  # nothing happens before confirming

    clock.at = NOW + timedelta(days=1, minutes=5)
    with qtbot.waitSignal(dialog.restored) as signal:
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    report = signal.args[0]
    assert closed == ["set log closed"]
    assert snapshot(data) == at_backup
    assert report.undo.exists()
    assert dialog.pages.currentIndex() == 0
    assert dialog.result_label.text().startswith("Restored the backup of")
    assert "made before a restore" in dialog.list.details()[0]


def test_cancel_or_escape_leaves_everything_as_it_was(qtbot, dialog: BackupDialog,
                                                      data: Path, closed: list[str]) -> None:
    dialog.back_up_now()
    before = snapshot(data)
    dialog.list.setFocus()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)  # the keyboard way to "Restore…"
    assert dialog.pages.currentIndex() == 1
    assert dialog.cancel_button.hasFocus()  # the safe choice has the focus
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.pages.currentIndex() == 0 and dialog.isVisible()
    dialog.ask_restore()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == 0
    assert snapshot(data) == before and closed == [] and len(dialog.manager.list()) == 1
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_damaged_backup_is_flagged_and_cannot_be_restored(qtbot, dialog: BackupDialog
                                                            ) -> None:
    dialog.back_up_now()
    dialog.manager.list()[0].path.write_bytes(b"broken")
    dialog.refresh()
    assert dialog.list.details()[0].startswith("Damaged, can't be restored:")
    assert not dialog.restore_button.isEnabled()
    dialog.ask_restore()
    assert dialog.pages.currentIndex() == 0


def test_a_restore_that_fails_says_so_and_asks_to_reopen(
        qtbot, dialog: BackupDialog, data: Path, closed: list[str]) -> None:
    dialog.back_up_now()
    dialog.ask_restore()
    rewrite_zip(dialog.selected().path, {"routines.json": b"{}"})  # damaged after the preview
    before = snapshot(data)
    with qtbot.waitSignal(dialog.restored) as signal:
        dialog.confirm_restore()
    assert signal.args == [None]
    assert "The restore did not finish" in dialog.error_label.text()
    assert dialog.error_label.isVisible() and snapshot(data) == before


def test_read_only_can_back_up_but_not_restore(qtbot, qapp, data: Path, clock: Clock,
                                               closed: list[str]) -> None:
    dialog = open_dialog(qtbot, qapp, data, clock, closed, read_only=True)
    dialog.back_up_now()
    assert dialog.list.count() == 1
    assert not dialog.restore_button.isEnabled()
    assert "Read-only" in dialog.restore_button.toolTip()


def test_controls_are_touch_sized_and_named(dialog: BackupDialog) -> None:
    for widget in (dialog.back_up_button, dialog.restore_button, dialog.close_button,
                   dialog.confirm_button, dialog.cancel_button):
        assert widget.minimumHeight() >= TOUCH_MIN
        assert widget.accessibleName()
    assert dialog.list.accessibleName() == "Backups, newest first"
    assert dialog.preview_label.accessibleName() == "What the backup holds"


def test_recovery_banner_text() -> None:
    report = RecoveryReport()
    report.append("sets/2025-07.json … was put back.")
    report.moved["sets/2025-07.json"] = Path("damaged/2025-07.json.x")
    head, lines = recovery_banner_text(report)
    assert head == "legcoach found damaged data at start-up and repaired what it could:"
    assert lines == ["sets/2025-07.json … was put back."]
    report.newer.append("routines.json")
    assert recovery_banner_text(report)[0].endswith("and opened your data read-only:")
    newer_only = RecoveryReport()
    newer_only.newer.append("routines.json")
    assert recovery_banner_text(newer_only)[0] == "Your data is open read-only:"
