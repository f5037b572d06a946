"""The set log: recent sets, newest first, each editable and deletable; Ctrl+Z undoes.

Reads only a recent window of the log (not ten years of it), so it opens instantly; the
history and charts screens are where long-term browsing belongs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from legcoach.core.setlog import SetRecord
from legcoach.core.workspace import Workspace
from legcoach.ui.widgets import button, label

RECENT = timedelta(days=60)


def set_line(record: SetRecord, names: dict[str, str]) -> str:
    """E.g. "Sun 22 Nov 10:32 · 45° Leg Press · 120 kg × 12 · RPE 8 · working"."""
    when = record.performed_at.astimezone().strftime("%a %d %b %H:%M")
    parts = [when, names.get(record.exercise_id, record.exercise_id), record.describe()]
    if record.rpe is not None:
        parts.append(f"RPE {record.rpe:g}")
    elif record.rir is not None:
        parts.append(f"RIR {record.rir}")
    parts.append(record.set_type.value)
    if record.note:
        parts.append(f"“{record.note}”")
    return " · ".join(parts)


class LogView(QWidget):
    """Emits `edit_requested(SetRecord)`; deletes and undoes through the workspace."""

    edit_requested = Signal(object)
    notify = Signal(str)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.records: list[SetRecord] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 16)
        layout.setSpacing(10)
        self.empty_label = label("No sets logged in the last 60 days. Start a set from an "
                                 "exercise or a routine and it will appear here.", "h2",
                                 wrap=True)
        layout.addWidget(self.empty_label)
        self.list = QListWidget()
        self.list.setAccessibleName("Recent sets")
        self.list.setStyleSheet("QListWidget { font-size: 21px; } "
                                "QListWidget::item { padding: 14px 8px; }")
        self.list.itemActivated.connect(lambda _item: self.edit_selected())
        layout.addWidget(self.list, 1)
        actions = QHBoxLayout()
        self.undo_button = button("↶  Undo", accessible="Undo the last change", min_height=72)
        self.edit_button = button("Edit set", accessible="Edit the selected set", min_height=72)
        self.delete_button = button("Delete set", accessible="Delete the selected set",
                                    min_height=72)
        for widget in (self.undo_button, self.edit_button, self.delete_button):
            actions.addWidget(widget, 1)
        layout.addLayout(actions)
        self.undo_button.clicked.connect(self.undo)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.confirm: Callable[[str], bool] = self._ask

    def refresh(self) -> None:
        start = self.workspace.now() - RECENT
        self.records = list(reversed(self.workspace.sets.store.query(start=start)))
        names = self.workspace.exercise_names()
        self.list.clear()
        for record in self.records:
            item = QListWidgetItem(set_line(record, names))
            item.setData(Qt.ItemDataRole.UserRole, record.id)
            self.list.addItem(item)
        if self.records:
            self.list.setCurrentRow(0)
        self.empty_label.setVisible(not self.records)
        self.list.setVisible(bool(self.records))
        for widget in (self.edit_button, self.delete_button):
            widget.setEnabled(bool(self.records))
        self.undo_button.setEnabled(self.workspace.sets.can_undo)

    def selected(self) -> SetRecord | None:
        row = self.list.currentRow()
        return self.records[row] if 0 <= row < len(self.records) else None

    def edit_selected(self) -> None:
        record = self.selected()
        if record is not None:
            self.edit_requested.emit(record)

    def delete_selected(self) -> None:
        record = self.selected()
        if record is None or not self.confirm(f"Delete {record.describe()}? (Ctrl+Z undoes)"):
            return
        try:
            self.workspace.delete(record.id)
        except OSError as error:
            self.notify.emit(f"Could not delete the set ({error.strerror or error}); "
                             "nothing changed.")
            return
        self.notify.emit(f"Deleted {record.describe()}. Ctrl+Z brings it back.")
        self.refresh()

    def undo(self) -> None:
        try:
            message = self.workspace.undo()
        except OSError as error:
            message = f"Could not undo ({error.strerror or error}); nothing changed."
        self.notify.emit(message or "Nothing to undo.")
        self.refresh()

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, "legcoach", question)
        return answer == QMessageBox.StandardButton.Yes
