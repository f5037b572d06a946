"""Settings → Help: the shortcut sheet and full screen, for a lifter who has no F-keys handy."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from legcoach.ui.widgets import FlowRow, button


class HelpCard(QFrame):
    """Two big buttons: the keyboard shortcuts (F1) and full screen (F11)."""

    def __init__(self, show_shortcuts: Callable[[], None], toggle_fullscreen: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 14, 20, 14)
        row = FlowRow(16, equal=True)
        outer.addWidget(row)
        self.shortcuts_button = button("Keyboard shortcuts  (F1)",
                                       accessible="Show the keyboard shortcuts", min_height=56)
        self.fullscreen_button = button("Full screen  (F11)", accessible="Full screen on or off",
                                        min_height=56)
        self.shortcuts_button.clicked.connect(show_shortcuts)
        self.fullscreen_button.clicked.connect(toggle_fullscreen)
        row.add(self.shortcuts_button)
        row.add(self.fullscreen_button)
