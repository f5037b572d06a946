"""Backups, restore, import and export for one window, and the Settings section that offers them.

`DataActions` owns the behaviour: automatic backups (after each workout, and checked every few
minutes while the app runs, never while a set is running so a cue is never late for it), the
backup dialog, the import dialog and the two exports. `DataTools` is the card of big buttons
in Settings → Data. The app passes in the backup manager and the atomic file writer, so this
module never decides where or how files are written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QFrame, QVBoxLayout, QWidget

from legcoach.core.workspace import Workspace
from legcoach.storage.backups import AUTO, BackupManager, format_when
from legcoach.ui.widgets import FlowRow, button, label

if TYPE_CHECKING:  # the dialogs and parsers load when first used: start-up goes without
    from legcoach.core.importers import ImportPreview, ImportResult
    from legcoach.ui.import_dialog import ExportFormat

__all__ = ["BACKUP_CHECK_MS", "DataActions", "DataTools"]

BACKUP_CHECK_MS: Final = 5 * 60 * 1000
"""How often the app asks the backup policy whether a backup is due (it says at most every
30 minutes, and only when something changed)."""

WriteFile = Callable[[Path, bytes], None]


class DataActions(QObject):
    """What the Data buttons do. `notify(text)` for the status line; `reopen_requested()`
    after a restore replaced the data files (the window must be rebuilt on them)."""

    notify = Signal(str)
    reopen_requested = Signal()

    def __init__(self, workspace: Workspace, backups: BackupManager | None,
                 write_file: WriteFile, *, busy: Callable[[], bool] = lambda: False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.backups = backups
        self.write_file = write_file
        self.busy = busy
        self.window = parent
        self.dialog: QDialog | None = None
        """The backup or import dialog while it is open (tests drive it)."""
        self._failed_before = False
        self.timer = QTimer(self)
        self.timer.setObjectName("legcoach.backup")
        self.timer.setInterval(BACKUP_CHECK_MS)
        self.timer.timeout.connect(self.back_up_if_due)
        if self.can_write_backups:
            self.timer.start()

    @property
    def can_write_backups(self) -> bool:
        return self.backups is not None and not self.workspace.read_only

    # --- automatic backups ---

    def back_up_if_due(self, *, session_ended: bool = False) -> Path | None:
        """A backup when the policy says one is due; a failure is said once, never raised."""
        if not self.can_write_backups or self.busy():
            return None
        assert self.backups is not None
        try:
            path = self.backups.back_up_if_due(self.workspace.now(), session_ended=session_ended)
        except OSError as error:
            if not self._failed_before:
                self._failed_before = True
                self.notify.emit(f"The automatic backup failed ({error.strerror or error}). "
                                 "Your log itself is safe; legcoach tries again later.")
            return None
        self._failed_before = False
        return path

    def last_backup_text(self) -> str:
        if self.backups is None:
            return "Backups are not available for this data folder."
        try:
            newest = self.backups.newest()
        except OSError as error:
            return f"The backups folder can't be read ({error.strerror or error})."
        if newest is None:
            return "No backup yet: one is made after your first workout."
        return f"Last backup: {format_when(newest.created_at)}. Kept in {self.backups.folder}."

    # --- dialogs ---

    def open_backups(self) -> None:
        if self.backups is None:
            self.notify.emit(self.last_backup_text())
            return
        from legcoach.ui.backup_dialog import BackupDialog

        dialog = BackupDialog(self.backups, self.workspace.now,
                              names=self.workspace.exercise_names(),
                              read_only=self.workspace.read_only,
                              before_restore=self.workspace.sets.store.close,
                              parent=self.window)
        restored: list[object] = []
        dialog.restored.connect(restored.append)
        dialog.finished.connect(lambda _code: self._backups_closed(bool(restored)))
        self._show(dialog)

    def _backups_closed(self, restored: bool) -> None:
        self.dialog = None
        if restored:  # the set log was closed for the restore: the data must be reopened
            self.reopen_requested.emit()

    def open_import(self) -> None:
        if self.workspace.read_only:
            self.notify.emit("Importing needs the only open legcoach on this data folder: "
                             "this window is read-only.")
            return
        from legcoach.ui.import_dialog import ImportDialog

        dialog = ImportDialog(self.workspace.library, self._import,
                              remembered=self.workspace.import_mapping(),
                              now=self.workspace.now, parent=self.window)
        dialog.imported.connect(self._imported)
        dialog.finished.connect(lambda _code: setattr(self, "dialog", None))
        self._show(dialog)

    def _show(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()  # window-modal, without a nested event loop: the timers keep running

    def _import(self, preview: ImportPreview) -> ImportResult:
        """Back up first (an import can add years at once and has no undo), then add."""
        if self.backups is not None:
            try:
                self.backups.back_up(self.workspace.now(), kind=AUTO)
            except OSError as error:
                raise OSError(error.errno, "your data could not be backed up first "
                              f"({error.strerror or error}), so nothing was added") from error
        return self.workspace.import_sets(preview)

    def _imported(self, result: ImportResult, mapping: dict[str, str | None]) -> None:
        from legcoach.ui.import_dialog import done_text

        message = done_text(result)
        try:
            self.workspace.remember_import_mapping(mapping)
        except OSError as error:
            message += (f" Your exercise choices could not be remembered "
                        f"({error.strerror or error}).")
        self.notify.emit(message)

    def export(self, fmt: ExportFormat, path: Path | None = None) -> None:
        """Export the log (`path` skips the save dialog)."""
        from legcoach.core.exporters import BACKUP_DOCUMENTS
        from legcoach.ui.import_dialog import export_log

        message = export_log(self.window, fmt, self.workspace, self.write_file,
                             documents=BACKUP_DOCUMENTS, path=path)
        if message:
            self.notify.emit(message)


class DataTools(QFrame):
    """Settings → Data: back up, restore, import, export; one big button each."""

    def __init__(self, actions: DataActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actions = actions
        self.setProperty("role", "card")
        column = QVBoxLayout(self)
        column.setContentsMargins(20, 14, 20, 14)
        column.setSpacing(12)
        self.status = label(actions.last_backup_text(), "dim", wrap=True)
        self.status.setAccessibleName("Backups")
        column.addWidget(self.status)
        buttons = FlowRow(16, equal=True)  # two by two on a laptop, one above the other portrait
        column.addWidget(buttons)
        self.backup_button = button("Backups and restore…", accessible="Backups and restore")
        self.import_button = button("Import workouts…", accessible="Import workouts")
        self.csv_button = button("Export CSV…", accessible="Export the log as CSV")
        self.json_button = button("Export JSON backup…", accessible="Export a JSON backup")
        for widget in (self.backup_button, self.import_button, self.csv_button,
                       self.json_button):
            widget.setMinimumHeight(56)
            buttons.add(widget)
        self.import_button.setEnabled(not actions.workspace.read_only)
        from legcoach.ui.import_dialog import CSV_EXPORT, JSON_BACKUP

        self.backup_button.clicked.connect(actions.open_backups)
        self.import_button.clicked.connect(actions.open_import)
        self.csv_button.clicked.connect(lambda: actions.export(CSV_EXPORT))
        self.json_button.clicked.connect(lambda: actions.export(JSON_BACKUP))

    def showEvent(self, event) -> None:
        self.status.setText(self.actions.last_backup_text())
        super().showEvent(event)
