"""The exercise library: cards with muscles, equipment and difficulty, filterable.

Each card is one big touch target that also takes keyboard focus (Tab, arrows, Enter/Space).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from legcoach.core.exercise import Exercise
from legcoach.core.library import ExerciseLibrary
from legcoach.ui.widgets import FlowRow, label, labelled, muscle_label

ALL = "All"


class ExerciseCard(QFrame):
    """A focusable card; click, tap, Enter or Space opens the exercise."""

    activated = Signal(str)

    def __init__(self, exercise: Exercise, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exercise = exercise
        self.setProperty("role", "card")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(f"Open {exercise.name}")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(150)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 18)
        layout.setSpacing(8)
        title = label(exercise.name, "h2")
        layout.addWidget(title)
        self.muscles_label = muscle_label(exercise)
        layout.addWidget(self.muscles_label)
        badges = QHBoxLayout()
        badges.setSpacing(8)
        texts = [exercise.equipment, exercise.difficulty.value.capitalize()]
        if exercise.one_sided:
            texts.append("One leg at a time")
        if not exercise.builtin:
            texts.append("Your file")
        for text in texts:
            badges.addWidget(label(text, "badge"))
        badges.addStretch(1)
        layout.addLayout(badges)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.activated.emit(self.exercise.id)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.exercise.id)
            return
        super().keyPressEvent(event)


class LibraryView(QWidget):
    """Filters on top, cards below; emits `exercise_chosen(id)`."""

    exercise_chosen = Signal(str)

    def __init__(self, library: ExerciseLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.cards: list[ExerciseCard] = []

        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 16)
        outer.setSpacing(14)

        filters = FlowRow(spacing=12)  # two rows on a portrait tablet
        self.muscle_filter = self._combo("Muscle", [ALL, *library.muscles()])
        self.equipment_filter = self._combo("Equipment", [ALL, *library.equipment()])
        for caption, combo in (("Muscle", self.muscle_filter),
                               ("Equipment", self.equipment_filter)):
            filters.add(labelled(label(caption, "dim"), combo), 1)
        self.count_label = label("", "dim")
        filters.add(self.count_label, 0)
        outer.addWidget(filters)

        self.empty_label = label("No exercise matches these filters. Choose “All” to see them.",
                                 "h2", wrap=True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.empty_label)

        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(16)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._grid_host)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll, 1)

        for exercise in library:
            card = ExerciseCard(exercise)
            card.activated.connect(self.exercise_chosen)
            self.cards.append(card)
        self._columns = 0
        self.apply_filters()

    def _combo(self, name: str, items: list[str]) -> QComboBox:
        combo = QComboBox()
        combo.addItems(items)
        combo.setAccessibleName(f"Filter by {name.lower()}")
        combo.currentIndexChanged.connect(self.apply_filters)
        return combo

    def visible_cards(self) -> list[ExerciseCard]:
        return [card for card in self.cards if not card.isHidden()]

    def apply_filters(self) -> None:
        muscle = self.muscle_filter.currentText()
        equipment = self.equipment_filter.currentText()
        shown = {
            e.id for e in self.library.filter(
                muscle=None if muscle == ALL else muscle,
                equipment=None if equipment == ALL else equipment,
            )
        }
        for card in self.cards:
            card.setHidden(card.exercise.id not in shown)
        self.empty_label.setVisible(not shown)
        total = len(self.cards)
        self.count_label.setText(
            f"{len(shown)} of {total} exercises" if len(shown) != total else f"{total} exercises"
        )
        self._relayout(force=True)

    def _relayout(self, *, force: bool = False) -> None:
        """Two columns when there is room for two readable cards, else one."""
        columns = 2 if self.width() >= 900 else 1
        if columns == self._columns and not force:
            return
        self._columns = columns
        while self._grid.count():
            self._grid.takeAt(0)
        for position, card in enumerate(self.visible_cards()):
            self._grid.addWidget(card, position // columns, position % columns)
        self._grid.setRowStretch(self._grid.rowCount(), 1)
        previous: QWidget | None = None
        for card in self.visible_cards():
            if previous is not None:
                QWidget.setTabOrder(previous, card)
            previous = card

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._relayout()

    def focus_first_card(self) -> None:
        cards = self.visible_cards()
        if cards:
            cards[0].setFocus(Qt.FocusReason.OtherFocusReason)

