"""Small widgets shared by several screens."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

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


class Segmented(QWidget):
    """A row of big toggle buttons, one choice at a time (or none when `allow_none`).

    Touch-friendly replacement for a combo box: every option is visible and one tap away;
    Tab reaches each button and Space picks it.
    """

    changed = Signal(object)

    def __init__(self, options: list[tuple[str, object]], *, name: str,
                 allow_none: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self._allow_none = allow_none
        self._value: object = None
        self.buttons: dict[object, QPushButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self._name = name
        self._layout = layout
        for text, value in options:
            self.add_option(text, value)

    def add_option(self, text: str, value: object) -> None:
        widget = button(text, accessible=f"{self._name}: {text}", min_height=56)
        widget.setCheckable(True)
        widget.setProperty("role", "segment")
        widget.clicked.connect(lambda _=False, v=value: self._clicked(v))
        self._layout.addWidget(widget, 1)
        self.buttons[value] = widget

    def _clicked(self, value: object) -> None:
        if value == self._value and self._allow_none:
            self.set_value(None)
        else:
            self.set_value(value)
        self.changed.emit(self._value)

    def value(self) -> object:
        return self._value

    def set_value(self, value: object) -> None:
        self._value = value if value in self.buttons else None
        for option, widget in self.buttons.items():
            widget.setChecked(option == self._value)


def action_row(*buttons: tuple[QWidget, int], spacing: int = 14) -> QHBoxLayout:
    """A row of big buttons, each with its share of the width."""
    row = QHBoxLayout()
    row.setSpacing(spacing)
    for widget, stretch in buttons:
        row.addWidget(widget, stretch)
    return row


def foot_choices() -> tuple[Segmented, Segmented]:
    """The two foot-placement rows (height on the platform, stance width), both optional."""
    from legcoach.core.exercise import FootHeight, FootWidth

    return (Segmented([(h.value.capitalize(), h) for h in FootHeight], name="Feet height",
                      allow_none=True),
            Segmented([(w.value.capitalize(), w) for w in FootWidth], name="Feet width",
                      allow_none=True))
