"""Guided mode: one step at a time in type big enough to read from two metres.

Font sizes follow the window height (and width, for narrow portrait screens) so the same
layout holds from 1024×600 to 1920×1080. Keys: → / Space next, ← / Backspace back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QVBoxLayout, QWidget

from legcoach.core.exercise import Exercise
from legcoach.core.guide import GuidedWalk, GuidePage
from legcoach.ui import themes
from legcoach.ui.theme import pixel_font
from legcoach.ui.widgets import button, label

NEXT_KEYS = (Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_PageDown)
BACK_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_Backspace, Qt.Key.Key_PageUp)


class GuidedView(QWidget):
    """Renders a GuidedWalk; `finished` fires when the lifter leaves the ready page."""

    finished = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.walk: GuidedWalk | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Guided steps")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 20, 40, 24)
        layout.setSpacing(16)

        self.position_label = label("")
        themes.follow_look(self.position_label, lambda look: f"color: {look.accent};")
        self.position_label.setAccessibleName("Step position")
        layout.addWidget(self.position_label)

        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setRange(0, 1000)
        layout.addWidget(self.progress)

        layout.addStretch(1)
        self.title_label = label("", wrap=True)
        self.title_label.setAccessibleName("Step title")
        self.text_label = label("", wrap=True)
        self.text_label.setAccessibleName("Step text")
        themes.follow_look(self.text_label, lambda look: f"color: {look.text_soft};")
        layout.addWidget(self.title_label)
        layout.addWidget(self.text_label)
        layout.addStretch(2)

        buttons = QHBoxLayout()
        buttons.setSpacing(24)
        self.back_button = button("◀  Previous", accessible="Previous step", min_height=96)
        self.next_button = button("Next  ▶", role="primary", accessible="Next step",
                                  min_height=96)
        for widget in (self.back_button, self.next_button):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys belong to the view
            widget.setStyleSheet("font-size: 28px;")
            buttons.addWidget(widget, 1)
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        layout.addLayout(buttons)
        self._rescale()

    def start(self, exercise: Exercise) -> None:
        self.walk = GuidedWalk(exercise)
        self.walk.subscribe(self._render)
        self._render(self.walk.current)
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def go_next(self) -> None:
        if self.walk is None:
            return
        if self.walk.at_end:
            self.finished.emit(self.walk.exercise.id)
        else:
            self.walk.next()

    def go_back(self) -> None:
        if self.walk is not None:
            self.walk.back()

    def _render(self, page: GuidePage) -> None:
        assert self.walk is not None
        self.position_label.setText(page.position)
        self.title_label.setText(page.title)
        self.text_label.setText(page.text)
        self.progress.setValue(round(self.walk.progress * 1000))
        self.back_button.setEnabled(not self.walk.at_start)
        self.next_button.setText("Start set  ▶" if page.is_end else "Next  ▶")
        self.next_button.setAccessibleName("Start the set" if page.is_end else "Next step")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in NEXT_KEYS:
            self.go_next()
        elif event.key() in BACK_KEYS:
            self.go_back()
        else:
            super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        """Type as large as the screen allows: ~7.5% of the height for titles, 5% for text."""
        unit = min(self.height(), self.width() * 0.625)
        self.title_label.setFont(pixel_font(max(32, unit * 0.075), bold=True))
        self.text_label.setFont(pixel_font(max(24, unit * 0.05)))
        self.position_label.setFont(pixel_font(max(22, unit * 0.04), bold=True))
