"""Backups: back up now, see every backup, restore one after seeing what it holds.

A restore replaces the whole log, so it is two steps on purpose: "Restore…" shows what the
backup holds next to what you have now (sets, dates, exercises), and only "Restore this
backup" on that page does it. The current data is backed up first; the dialog says where.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from legcoach.storage.backups import (
    MANUAL,
    BackupError,
    BackupInfo,
    BackupManager,
    RestorePreview,
    RestoreReport,
    format_when,
)
from legcoach.ui import themes
from legcoach.ui.routine_editor import RowList, editor_style
from legcoach.ui.widgets import action_row, button, label

_DOCUMENT_NAMES: Mapping[str, str] = {
    "routines": "routines",
    "machine_settings": "machine settings",
    "active_session": "the workout in progress",
    "preferences": "sound settings",
}


def _day(moment: datetime | None) -> str:
    return "—" if moment is None else f"{moment.astimezone().day} {moment.astimezone():%b %Y}"


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{max(1, size // 1000)} kB"


def _sets(count: int) -> str:
    return f"{count:,} set{'' if count == 1 else 's'}"


def backup_row(info: BackupInfo) -> tuple[str, str, bool]:
    """(title, detail, flagged) for the list: a damaged backup is flagged and says why."""
    title = format_when(info.created_at)
    if info.damaged is not None:
        return title, f"Damaged, can't be restored: {info.damaged}", True
    parts = [_sets(info.sets), f"{info.months} month{'' if info.months == 1 else 's'}",
             _size(info.size)]
    if info.kind == "before-restore":
        parts.append("made before a restore")
    if info.skipped:
        parts.append(f"{len(info.skipped)} unreadable file(s) left out")
    return title, " · ".join(parts), bool(info.skipped)


def preview_text(preview: RestorePreview, current: RestorePreview | None,
                 names: Mapping[str, str]) -> str:
    """What a restore would bring back, in the lifter's words, one fact a line."""
    lines = []
    if preview.created_at is not None:
        lines.append(f"Backup of {format_when(preview.created_at)}")
    if preview.sets:
        lines.append(f"{_sets(preview.sets)} from {_day(preview.first)} to {_day(preview.last)}")
    else:
        lines.append("No sets.")
    lines.extend(f"   {names.get(exercise, exercise)}: {_sets(count)}"
                 for exercise, count in preview.per_exercise.items())
    documents = [_DOCUMENT_NAMES[d] for d in preview.documents if d in _DOCUMENT_NAMES]
    if documents:
        lines.append("Also: " + ", ".join(documents) + ".")
    if preview.exercise_files:
        lines.append(f"Your own exercise files: {', '.join(preview.exercise_files)}.")
    if current is not None:
        lines.append("")
        lines.append(f"You have {_sets(current.sets)} now"
                     + (f", up to {_day(current.last)}." if current.last else "."))
    lines.append("Your data as it is now is backed up first, so you can undo this restore.")
    return "\n".join(lines)


class BackupDialog(QDialog):
    """Back up now, the list of backups, and restore with a preview and a confirmation.

    `before_restore` runs just before the files are replaced: close the set log there (it
    caches months in memory). `restored` is emitted after every restore that got that far,
    with the RestoreReport, or None if it failed part-way: either way reopen the data (the
    start-up recovery finishes a restore that stopped half-way).
    """

    restored = Signal(object)

    def __init__(self, manager: BackupManager, now: Callable[[], datetime], *,
                 names: Mapping[str, str] | None = None, read_only: bool = False,
                 before_restore: Callable[[], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.manager = manager
        self._now = now
        self._names = dict(names or {})
        self._read_only = read_only
        self._before_restore = before_restore
        self._infos: list[BackupInfo] = []
        self._pending: BackupInfo | None = None
        self.setWindowTitle("Backups")
        self.setAccessibleName("Backups")
        themes.follow_look(self, editor_style)
        self.setMinimumSize(760, 560)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._list_page())
        self.pages.addWidget(self._confirm_page())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        outer.addWidget(self.pages)
        self.refresh()

    # --- pages ---

    def _list_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(label("Backups", "h2"))
        hint = label(f"Kept in {self.manager.folder}. legcoach backs up after every workout and "
                     "keeps the newest of each of the last 12 days, 10 weeks and 9 months.",
                     wrap=True)
        hint.setProperty("role", "hint")
        layout.addWidget(hint)
        self.list = RowList("Backups, newest first")
        self.list.currentRowChanged.connect(self._update_buttons)
        self.list.itemActivated.connect(self.ask_restore)
        layout.addWidget(self.list, 1)
        self.empty_label = label("No backups yet: “Back up now” makes the first.", "dim")
        layout.addWidget(self.empty_label)
        self.result_label = _message_label("coach", "Result")
        self.error_label = _message_label("error", "Problem")
        layout.addWidget(self.result_label)
        layout.addWidget(self.error_label)
        self.back_up_button = button("Back up now", role="primary",
                                     accessible="Back up now")
        self.restore_button = button("Restore…", accessible="Restore the selected backup")
        self.close_button = button("Close", accessible="Close backups")
        self.back_up_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.ask_restore)
        self.close_button.clicked.connect(self.accept)
        layout.addLayout(action_row((self.back_up_button, 2), (self.restore_button, 2),
                                    (self.close_button, 1)))
        for widget in (self.back_up_button, self.restore_button, self.close_button):
            widget.setAutoDefault(False)
        return page

    def _confirm_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addWidget(label("Restore this backup?", "h2"))
        warning = label("Everything you have now is replaced by what this backup holds.",
                        wrap=True)
        warning.setProperty("role", "warning")
        layout.addWidget(warning)
        self.preview_label = label("", wrap=True)
        self.preview_label.setStyleSheet("font-size: 21px;")
        self.preview_label.setAccessibleName("What the backup holds")
        self.preview_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.preview_label, 1, Qt.AlignmentFlag.AlignTop)
        self.confirm_button = button("Restore this backup", role="danger",
                                     accessible="Restore this backup, replacing your data")
        self.cancel_button = button("Cancel", accessible="Cancel the restore")
        self.confirm_button.clicked.connect(self.confirm_restore)
        self.cancel_button.clicked.connect(self.show_list)
        for widget in (self.confirm_button, self.cancel_button):
            widget.setAutoDefault(False)
        layout.addLayout(action_row((self.confirm_button, 2), (self.cancel_button, 1)))
        return page

    # --- the list ---

    def refresh(self, select: object = None) -> None:
        """Re-read the backups folder; select the backup at path `select` (else the newest)."""
        self._infos = self.manager.list()
        current = next((row for row, info in enumerate(self._infos) if info.path == select), 0)
        self.list.set_rows([backup_row(info) for info in self._infos], current)
        self.empty_label.setVisible(not self._infos)
        self._update_buttons()

    def selected(self) -> BackupInfo | None:
        row = self.list.currentRow()
        return self._infos[row] if 0 <= row < len(self._infos) else None

    def _update_buttons(self) -> None:
        info = self.selected()
        usable = info is not None and info.damaged is None
        self.restore_button.setEnabled(usable and not self._read_only)
        self.restore_button.setToolTip(
            "Read-only: restore from the legcoach that is writing this data." if self._read_only
            else "" if usable else "Choose a backup that is not damaged.")

    def _say(self, result: str = "", error: str = "") -> None:
        for widget, text in ((self.result_label, result), (self.error_label, error)):
            widget.setText(text)
            widget.setVisible(bool(text))

    def show_list(self) -> None:
        self._pending = None
        self.pages.setCurrentIndex(0)
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- actions ---

    def back_up_now(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            path = self.manager.back_up(self._now(), kind=MANUAL)
            if not self._read_only:  # thinning is the writing legcoach's job
                self.manager.thin(self._now())
        except OSError as error:
            self._say(error=f"Could not back up: {error.strerror or error}.")
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.refresh(select=path)
        info = self.selected()
        sets = _sets(info.sets) if info is not None else "Your data"
        self._say(result=f"Backed up {sets} to {path.name}.")

    def ask_restore(self) -> None:
        """Step one: show what the selected backup holds and ask."""
        info = self.selected()
        if info is None or info.damaged is not None or self._read_only:
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            preview = self.manager.preview(info.path)
            current = self.manager.preview_current()
        except BackupError as error:
            self._say(error=f"This backup can't be restored: {error}.")
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._pending = info
        self.preview_label.setText(preview_text(preview, current, self._names))
        self.pages.setCurrentIndex(1)
        self.cancel_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def confirm_restore(self) -> None:
        """Step two: the lifter confirmed."""
        info = self._pending
        if info is None:
            return
        if self._before_restore is not None:
            self._before_restore()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            report: RestoreReport | None = self.manager.restore(info.path, self._now())
        except (BackupError, OSError) as error:
            report = None
            why = error.strerror if isinstance(error, OSError) and error.strerror else error
            self._say(error=f"The restore did not finish: {why}. Each file is either as it was "
                            "or as in the backup; restarting legcoach completes it.")
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.show_list()
        self.refresh(select=info.path)
        if report is not None:
            self._say(result="\n".join(report.messages()))
        self.restored.emit(report)

    def reject(self) -> None:
        """Esc on the confirmation goes back to the list; on the list it closes."""
        if self.pages.currentIndex() == 1:
            self.show_list()
        else:
            super().reject()


def _message_label(role: str, name: str) -> QLabel:
    widget = label("", role, wrap=True)
    widget.setAccessibleName(name)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    widget.hide()
    return widget
