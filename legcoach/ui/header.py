"""The window's header: a Back button, the screen's title and the section buttons.

Kept apart from the main window so that how the header fits a narrow or portrait screen is one
widget's concern, and the window only says which section and title to show.

The header picks its arrangement from its width each time it changes:

- one row (Back, title, sections) while the title still fits beside the sections, in up to
  two lines of smaller type if it must (a 1024×600 laptop during a workout);
- else two rows: Back and the title on top, the sections below, wrapped into even rows of
  equal buttons (a portrait tablet). Every button keeps its full text and touch height.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from legcoach.ui.theme import pixel_font
from legcoach.ui.widgets import FlowRow, button, label

SECTIONS: tuple[tuple[str, str], ...] = (
    ("workout", "Workout"),
    ("train", "Train"),
    ("exercises", "Exercises"),
    ("history", "History"),
    ("progress", "Progress"),
    ("settings", "Settings"),
)
"""(key, text) of every section, in the order they appear."""

MARGINS = (16, 10, 16, 6)
SPACING = 12
NAV_SPACING = 6
TITLE_PIXELS = 34  # the h1 size, used whenever the title fits in it
ONE_ROW_SMALLEST = 22  # below this a title beside the sections is too small: go to two rows
TWO_LINES_LARGEST = 26  # two lines of this still fit the height of a 56 px button row
SMALLEST = 20
SLACK = 12  # px kept free beside the title: a label wraps a little before its full width
HEADER_STYLE = """
QPushButton[role="nav"] { padding: 12px 12px; text-align: center; }
QPushButton#backButton { padding: 10px 14px; }
"""


def title_lines(text: str, pixels: int, room: int) -> int | None:
    """Lines `text` takes in bold type of `pixels` wrapped at `room` px (None: a word is too
    long for the room, so wrapping would cut it)."""
    metrics = QFontMetrics(pixel_font(pixels, bold=True))
    if any(metrics.horizontalAdvance(word) > room for word in text.split()):
        return None
    box = metrics.boundingRect(QRect(0, 0, room, 100_000), Qt.TextFlag.TextWordWrap, text)
    return max(1, round(box.height() / metrics.lineSpacing()))


def fit_title(text: str, room: int, *, smallest: int) -> int | None:
    """The largest type (px) in which `text` fits `room` on one line, or on two lines of at
    most TWO_LINES_LARGEST px; None when even `smallest` px does not fit."""
    if room <= 0:
        return None
    for pixels in range(TITLE_PIXELS, smallest - 1, -1):
        lines = title_lines(text, pixels, room)
        if lines == 1 or (lines == 2 and pixels <= TWO_LINES_LARGEST):
            return pixels
    return None


class AppHeader(QWidget):
    """Back, title and sections; `section_chosen(key)` when a section button is pressed."""

    section_chosen = Signal(str)
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(HEADER_STYLE)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(*MARGINS)
        self._grid.setHorizontalSpacing(SPACING)
        self._grid.setVerticalSpacing(8)
        self._grid.setColumnStretch(1, 1)
        self.back_button = button("◀  Back", accessible="Back", min_height=56)
        self.back_button.setObjectName("backButton")
        self.back_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.back_button.clicked.connect(self.back_requested)
        self.title_label = label("", wrap=True)
        self.title_label.setAccessibleName("Screen title")
        # The title takes what the buttons leave; its type is fitted to that (see _reflow).
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)  # two lines of title make the row taller
        self.title_label.setSizePolicy(policy)
        self.title_label.setFont(pixel_font(TITLE_PIXELS, bold=True))
        self.sections = FlowRow(spacing=NAV_SPACING)
        self.nav: dict[str, QPushButton] = {}
        for key, text in SECTIONS:
            widget = button(text, role="nav", accessible=f"Go to {text}", min_height=56)
            widget.setCheckable(True)
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            widget.clicked.connect(lambda _=False, key=key: self.section_chosen.emit(key))
            self.sections.add(widget)
            self.nav[key] = widget
        self._grid.addWidget(self.back_button, 0, 0, Qt.AlignmentFlag.AlignVCenter)
        self._grid.addWidget(self.title_label, 0, 1)
        self.one_row = True
        """True: Back, title and sections share one row; False: the sections are below."""
        self._grid.addWidget(self.sections, 0, 2)

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
        self._reflow(self.width())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reflow(self.width())

    def _reflow(self, width: int) -> None:
        """One row when the title fits beside the sections, else the sections go below."""
        left, _, right, _ = MARGINS
        inner = width - left - right
        back = self.back_button.sizeHint().width() + SPACING if self.back_button.isVisibleTo(
            self) else 0
        text = self.title_label.text()
        beside = inner - back - self.sections.sizeHint().width() - SPACING - SLACK
        pixels = fit_title(text, beside, smallest=ONE_ROW_SMALLEST) if text else TITLE_PIXELS
        one_row = pixels is not None and beside > 0
        if not one_row:
            room = inner - back - SLACK
            pixels = fit_title(text, room, smallest=SMALLEST) or SMALLEST
        if one_row != self.one_row:
            self.one_row = one_row
            self._grid.removeWidget(self.sections)
            if one_row:
                self._grid.addWidget(self.sections, 0, 2)
            else:
                self._grid.addWidget(self.sections, 1, 0, 1, 3)
        if self.title_label.font().pixelSize() != pixels:
            self.title_label.setFont(pixel_font(pixels or TITLE_PIXELS, bold=True))
