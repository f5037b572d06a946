"""Small widgets shared by several screens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from legcoach.core.exercise import Exercise
from legcoach.ui.theme import TOUCH_MIN


def label(text: str = "", role: str | None = None, *, wrap: bool = False) -> QLabel:
    """A label with a style role from the theme (h1, h2, dim, badge)."""
    widget = QLabel(text)
    if role:
        widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return widget


def button(
    text: str, *, role: str | None = None, accessible: str | None = None,
    parent: QWidget | None = None, min_height: int = TOUCH_MIN,
) -> QPushButton:
    """A finger-sized push button with an accessible name."""
    widget = QPushButton(text, parent)
    if role:
        widget.setProperty("role", role)
    widget.setMinimumHeight(min_height)
    widget.setAccessibleName(accessible or text.replace("&", ""))
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    return widget


def muscle_label(exercise: Exercise) -> QLabel:
    """Primary muscles in bold, then the secondary ones."""
    text = f"<b>{', '.join(exercise.primary_muscles)}</b>"
    if exercise.secondary_muscles:
        text += f"  ·  {', '.join(exercise.secondary_muscles)}"
    widget = label(text, wrap=True)
    widget.setTextFormat(Qt.TextFormat.RichText)
    return widget
