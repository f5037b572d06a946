"""Warnings shown above the screens: what went wrong, that nothing was lost, what to do.

Kept light (no other screen's module) because the app builds them before the window exists,
e.g. for what start-up recovery repaired.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QWidget

from legcoach.ui.widgets import button, label

__all__ = ["ProblemBanner", "StatusLine", "read_only_banner", "recovery_banner_text"]


class ProblemBanner(QFrame):
    """A visible, dismissable warning, e.g. for a user exercise file that could not be read."""

    def __init__(self, head: str, messages: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 10, 10)
        self.text = label(head + "\n" + "\n".join(f"• {m}" for m in messages), wrap=True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text, 1)
        dismiss = button("Dismiss", accessible="Dismiss warning", min_height=48)
        dismiss.clicked.connect(self.hide)
        layout.addWidget(dismiss, 0, Qt.AlignmentFlag.AlignTop)


def read_only_banner(reason: str) -> ProblemBanner:
    """Why nothing is saved in this window, and what to do about it."""
    if not reason or reason.startswith("another legcoach"):
        return ProblemBanner("Read-only: another legcoach is open on this data folder.",
                             ["You can look at everything here, but nothing you change is "
                              "saved.",
                              "Close the other window and restart legcoach to train and log."])
    return ProblemBanner("Read-only: nothing you change in this window is saved.",
                         [f"Why: {reason}."])


def recovery_banner_text(messages: Sequence[str], *, read_only: bool | None = None
                         ) -> tuple[str, list[str]]:
    """(head, lines) for a ProblemBanner about what start-up recovery did.

    `read_only` defaults to the report's own `needs_read_only` when given a RecoveryReport.
    """
    if read_only is None:
        read_only = bool(getattr(messages, "needs_read_only", False))
    repaired = bool(getattr(messages, "moved", True))
    if read_only:
        head = ("legcoach repaired damaged data at start-up, and opened your data read-only:"
                if repaired else "Your data is open read-only:")
    else:
        head = "legcoach found damaged data at start-up and repaired what it could:"
    return head, list(messages)


class StatusLine(QWidget):
    """The latest message for the lifter ("Saved…", "Could not save…"), until replaced or
    dismissed: a message about something that went wrong must stay until it is read."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 4, 24, 4)
        row.setSpacing(8)
        self.label = label("", wrap=True)
        self.label.setProperty("role", "coach")
        self.label.setAccessibleName("Message")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss = button("✕", accessible="Dismiss the message", min_height=48)
        self.dismiss.setMinimumWidth(56)
        self.dismiss.clicked.connect(lambda: self.show_message(""))
        row.addWidget(self.label, 1)
        row.addWidget(self.dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self.show_message("")

    def show_message(self, message: str) -> None:
        self.label.setText(message)
        self.label.setVisible(bool(message))
        self.setVisible(bool(message))
