"""The window's header: a Back button, the screen's title and the section buttons.

Kept apart from the main window so that how the header fits a narrow or portrait screen is one
widget's concern, and the window only says which section and title to show.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from legcoach.ui.widgets import button, label

SECTIONS: tuple[tuple[str, str], ...] = (
    ("workout", "Workout"),
    ("train", "Train"),
    ("exercises", "Exercises"),
    ("history", "History"),
    ("progress", "Progress"),
    ("settings", "Settings"),
)
"""(key, text) of every section, in the order they appear."""


class AppHeader(QWidget):
    """Back, title and sections; `section_chosen(key)` when a section button is pressed."""

    section_chosen = Signal(str)
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 12, 16, 4)
        row.setSpacing(12)
        self.back_button = button("◀  Back", accessible="Back", min_height=56)
        self.back_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.back_button.clicked.connect(self.back_requested)
        self.title_label = label("", "h1")
        row.addWidget(self.back_button)
        row.addWidget(self.title_label, 1)
        self.nav: dict[str, QPushButton] = {}
        for key, text in SECTIONS:
            widget = button(text, role="nav", accessible=f"Go to {text}", min_height=56)
            widget.setCheckable(True)
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            widget.clicked.connect(lambda _=False, key=key: self.section_chosen.emit(key))
            row.addWidget(widget)
            self.nav[key] = widget

    def show_place(self, title: str, section: str, back: str = "", *,
                   workout_active: bool = False) -> None:
        """Title the screen, light its section, and label Back (hidden when `back` is empty)."""
        self.title_label.setText(title)
        self.back_button.setVisible(bool(back))
        self.back_button.setText(back)
        self.back_button.setAccessibleName(back.strip("◀✕ ") or "Back")
        self.nav["workout"].setVisible(workout_active)
        for key, widget in self.nav.items():
            widget.setChecked(key == section)
