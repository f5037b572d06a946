"""Small widgets shared by several screens."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations, pairwise

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from legcoach.core.exercise import Exercise
from legcoach.ui.theme import TOUCH_MIN

SEGMENT_SPACING = 6


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


def hint(widget: QWidget) -> QSize:
    """The size a layout gives `widget` when it can: its size hint within its limits."""
    return widget.sizeHint().expandedTo(widget.minimumSize()).boundedTo(widget.maximumSize())


def least(widget: QWidget) -> QSize:
    """The smallest size `widget` can take: a wrapping row can go down to one button wide,
    anything else keeps its size hint (a button narrower than its text is cut)."""
    if isinstance(widget, FlowRow | Segmented):
        return widget.minimumSizeHint().expandedTo(widget.minimumSize())
    return hint(widget)


def balanced_rows(widths: Sequence[int], room: int, spacing: int) -> tuple[int, ...]:
    """How many of `widths` (in order) go on each row: the fewest rows in which every row
    fits `room`, split so the widest row is as narrow as it can be (rows look even).

    When one item alone is wider than `room`, every item gets a row of its own.
    """
    count = len(widths)
    if count == 0:
        return ()

    def need(row: Sequence[int]) -> int:
        return sum(row) + spacing * (len(row) - 1)

    for rows in range(1, count + 1):
        best: tuple[int, tuple[int, ...]] | None = None
        for cuts in combinations(range(1, count), rows - 1):
            bounds = (0, *cuts, count)
            widest = max(need(widths[a:b]) for a, b in pairwise(bounds))
            if widest <= room and (best is None or widest < best[0]):
                best = (widest, tuple(b - a for a, b in pairwise(bounds)))
        if best is not None:
            return best[1]
    return (1,) * count


def greedy_rows(widths: Sequence[int], room: int, spacing: int) -> tuple[int, ...]:
    """How many of `widths` go on each row when every row takes as many as fit, in order
    (the last row holds what is left: there a main action can stand alone, full width)."""
    rows: list[int] = []
    used = 0
    for width in widths:
        if rows and used + spacing + width <= room:
            rows[-1] += 1
            used += spacing + width
        else:
            rows.append(1)
            used = width
    return tuple(rows)


class FlowRow(QWidget):
    """Widgets side by side while they fit the width, else wrapped into even rows.

    A screen keeps one arrangement from a landscape laptop to a portrait tablet instead of
    squeezing a button below its text: the rows are chosen from the widgets' own size hints
    each time the width changes. Hidden widgets take no room.
    """

    def __init__(self, spacing: int = 14, parent: QWidget | None = None, *,
                 equal: bool = False, greedy: bool = False) -> None:
        super().__init__(parent)
        self._spacing = spacing
        self._equal = equal
        """Every widget as wide as the widest: rows of buttons line up like a keypad."""
        self._greedy = greedy
        """Fill each row before the next (see greedy_rows) instead of evening them out."""
        self._items: list[tuple[QWidget, int]] = []
        self._split: tuple[object, ...] | None = None
        self._current: tuple[int, ...] = ()
        """Widgets per row as arranged now."""
        self._rows = QVBoxLayout(self)
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._rows.setSpacing(spacing)

    def add(self, widget: QWidget, stretch: int = 1) -> None:
        """Append `widget`; `stretch` is its share of a row's spare width."""
        self._items.append((widget, stretch))
        widget.setParent(self)
        self._split = None
        self._arrange(self.width() or self.sizeHint().width())

    def _shown(self) -> list[tuple[QWidget, int]]:
        return [(widget, stretch) for widget, stretch in self._items if not widget.isHidden()]

    def split_for(self, width: int) -> tuple[int, ...]:
        """Widgets per row at `width` (hidden widgets not counted)."""
        widths = [hint(widget).width() for widget, _ in self._shown()]
        if self._equal and widths:
            widths = [max(widths)] * len(widths)
        split = greedy_rows if self._greedy else balanced_rows
        return split(widths, width, self._spacing)

    def _arrange(self, width: int) -> None:
        shown = self._shown()
        split = self.split_for(width)
        key = (split, tuple(id(widget) for widget, _ in shown))
        if key == self._split:
            return
        self._split = key
        self._current = split
        if self._equal and shown:
            widest = max(widget.sizeHint().width() for widget, _ in shown)
            for widget, _ in shown:
                widget.setMinimumWidth(widest)
        while self._rows.count():
            row = self._rows.takeAt(0).layout()
            while row is not None and row.count():
                row.takeAt(0)
            if row is not None:
                row.deleteLater()
        start = 0
        for size in split or (0,):
            row = QHBoxLayout()
            row.setSpacing(self._spacing)
            for widget, stretch in shown[start:start + size]:
                row.addWidget(widget, stretch)
            if not any(stretch for _, stretch in shown[start:start + size]):
                row.addStretch(1)  # nothing wants the spare width: keep the row to the left
            self._rows.addLayout(row)
            start += size
        last = self._rows.itemAt(self._rows.count() - 1).layout()
        for widget, stretch in self._items:
            if widget.isHidden():  # kept in the last row: showing it asks for a new split
                last.addWidget(widget, stretch)
        self.updateGeometry()

    def _height(self, split: tuple[int, ...]) -> int:
        shown = self._shown()
        if sum(split) != len(shown):  # a widget was shown or hidden since the last split
            split = self.split_for(self.width())
        heights, start = [], 0
        for size in split:
            heights.append(max((hint(w).height() for w, _ in shown[start:start + size]),
                               default=0))
            start += size
        return sum(heights) + self._spacing * max(0, len(heights) - 1)

    # The hints report the rows as they are now: the width picks the rows (resizeEvent), the
    # rows set the height, so the parent layout settles in one more pass.

    def sizeHint(self) -> QSize:
        shown = self._shown()
        width = sum(hint(widget).width() for widget, _ in shown)
        width += self._spacing * max(0, len(shown) - 1)
        return QSize(width, self._height(self._current))

    def minimumSizeHint(self) -> QSize:
        shown = self._shown()
        width = max((least(widget).width() for widget, _ in shown), default=0)
        return QSize(width, self._height(self._current))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(self.width())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest and self._items:
            self._arrange(self.width())  # a widget was shown, hidden or changed its text
        return super().event(event)


class Segmented(QWidget):
    """A row of big toggle buttons, one choice at a time (or none when `allow_none`).

    Touch-friendly replacement for a combo box: every option is visible and one tap away;
    Tab reaches each button and Space picks it. When the row is narrower than the buttons'
    texts (a portrait tablet), the buttons wrap into even rows of equal columns.
    """

    changed = Signal(object)

    def __init__(self, options: list[tuple[str, object]], *, name: str,
                 allow_none: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self._allow_none = allow_none
        self._value: object = None
        self.buttons: dict[object, QPushButton] = {}
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SEGMENT_SPACING)
        self._name = name
        self._layout = layout
        self._columns = 0
        for text, value in options:
            self.add_option(text, value)

    def add_option(self, text: str, value: object) -> None:
        widget = button(text, accessible=f"{self._name}: {text}", min_height=56)
        widget.setCheckable(True)
        widget.setProperty("role", "segment")
        widget.clicked.connect(lambda _=False, v=value: self._clicked(v))
        self.buttons[value] = widget
        self._columns = 0
        self._arrange(self.width() or self.sizeHint().width())

    def columns_for(self, width: int) -> int:
        """All buttons on one row when their texts fit, else even rows of equal columns."""
        hints = [hint(widget).width() for widget in self.buttons.values()]
        count = len(hints)
        if not count or sum(hints) + SEGMENT_SPACING * (count - 1) <= width:
            return max(count, 1)
        cell = max(hints) + SEGMENT_SPACING
        fit = max(1, (width + SEGMENT_SPACING) // cell)
        rows = -(-count // fit)
        return -(-count // rows)

    def _arrange(self, width: int) -> None:
        columns = self.columns_for(width)
        if columns == self._columns:
            return
        self._columns = columns
        for widget in self.buttons.values():
            self._layout.removeWidget(widget)
        for column in range(self._layout.columnCount()):
            self._layout.setColumnStretch(column, 0)
        for index, widget in enumerate(self.buttons.values()):
            self._layout.addWidget(widget, index // columns, index % columns)
        for column in range(columns):
            self._layout.setColumnStretch(column, 1)
        self.updateGeometry()

    def _height(self, columns: int) -> int:
        if not self.buttons:
            return 0
        rows = -(-len(self.buttons) // columns)
        tallest = max(hint(widget).height() for widget in self.buttons.values())
        return rows * tallest + (rows - 1) * SEGMENT_SPACING

    # As FlowRow: the hints report the rows as they are now.

    def sizeHint(self) -> QSize:
        hints = [hint(widget).width() for widget in self.buttons.values()]
        width = sum(hints) + SEGMENT_SPACING * max(0, len(hints) - 1)
        return QSize(width, self._height(max(self._columns, 1)))

    def minimumSizeHint(self) -> QSize:
        width = max((hint(w).width() for w in self.buttons.values()), default=0)
        return QSize(width, self._height(max(self._columns, 1)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(self.width())

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


def labelled(caption: QWidget, field: QWidget, spacing: int = 12) -> QWidget:
    """A caption and its field as one widget, kept together when a FlowRow wraps."""
    pair = QWidget()
    layout = QHBoxLayout(pair)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(spacing)
    layout.addWidget(caption)
    layout.addWidget(field, 1)
    return pair


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
