"""The routine editor: pick a routine on the left, shape its exercises on the right.

Built for a gym tablet: every row and button is a finger-sized target, everything also works
from the keyboard (arrows in the lists, Ctrl+↑/↓ to reorder, Enter to save, Esc to cancel), and
questions (a name, "really delete?", which exercise to add) appear inline instead of in modal
dialogs that a sweaty tap can dismiss by accident. The widget only calls `RoutineBook`; it
redraws when the book announces a change, so the screen always shows what was saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QKeySequence, QPainter, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from legcoach.core.library import ExerciseLibrary
from legcoach.core.routine import (
    ITEM_FORM_FIELDS,
    BookChange,
    Routine,
    RoutineBook,
    RoutineError,
    RoutineItem,
    item_form_text,
    parse_item_form,
)
from legcoach.ui import themes
from legcoach.ui.theme import TOUCH_MIN, pixel_font
from legcoach.ui.widgets import FlowRow, button, label

T = TypeVar("T")

ROW_HEIGHT = 84
LEFT_WIDTH = 340
SIDE_WIDTH = 400
ITEMS_MIN = 444  # px: the exercise list's buttons two by two
PAGE_MIN = 560  # px: the routine's page with the form below the list
QWIDGETSIZE_MAX = (1 << 24) - 1
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 1
FLAG_ROLE = Qt.ItemDataRole.UserRole + 2

# Shared input rules (QLineEdit, [invalid="true"], role="error") live in theme.py; these only
# add what this screen needs on top of them.
DANGER_FILL = {"dark": "#5a1f22", "light": "#f8dcd9", "high_contrast": "#3d0000"}
"""Behind a Delete button's text in each look: a red that still leaves the text readable."""


def editor_style(p: themes.Palette) -> str:
    """This screen's rules on top of the application's, in look `p` (the dialogs share them)."""
    return f"""
QLineEdit {{ min-height: {TOUCH_MIN - 20}px; }}  /* + 2 × 8 px padding + 2 × 2 px border */
QLineEdit:disabled {{ color: {p.text_dim}; background: {p.surface}; }}
QCheckBox {{ font-size: 20px; spacing: 14px; background: transparent; }}
QCheckBox::indicator {{
    width: 34px; height: 34px; border: 2px solid {p.border}; border-radius: 8px;
    background: {p.surface_high};
}}
QCheckBox::indicator:checked {{ background: {p.accent}; border-color: {p.accent}; }}
QCheckBox:focus {{ color: {p.accent}; }}
QListWidget {{
    background: transparent; border: 2px solid transparent; border-radius: 14px;
    outline: none;
}}
QListWidget:focus {{ border-color: {p.border}; }}
QLabel[role="hint"] {{ color: {p.text_dim}; font-size: 17px; }}
QLabel[role="ok"] {{ color: {p.text_soft}; }}
QLabel[role="warning"] {{ color: {p.warning}; }}
QPushButton[role="danger"] {{ background: {DANGER_FILL.get(p.name, "#5a1f22")};
    border-color: {p.danger}; }}
QPushButton[role="primary"]:disabled {{
    background: {p.surface_high}; color: {p.disabled_text}; border-color: {p.surface_high};
}}
#chooserScroll, #chooserViewport, #chooserHost {{ background: transparent; }}
#pageScroll, #pageViewport, #pageHost {{ background: transparent; border: none; }}
QFrame[role="panel"] {{
    background: {p.surface}; border: 2px solid {p.surface_high}; border-radius: 16px;
}}
"""


FIELD_LABELS = {
    "sets": ("Sets", "Sets", "1 to 10"),
    "reps_low": ("Reps", "Fewest reps", "1 to 100, fewest to most"),
    "reps_high": ("", "Most reps", ""),
    "tempo": ("Tempo", "Tempo", "Lower-pause-push-pause"),
    "rest": ("Rest", "Rest between sets", "Seconds (90) or m:ss (1:30)"),
}
"""Form field key → (caption, accessible name, hint shown while the value is fine)."""


def _restyle(widget: QWidget, role_property: str, value: object) -> None:
    """Change a style-sheet property and make Qt re-read the style for it."""
    widget.setProperty(role_property, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class _RowDelegate(QStyledItemDelegate):
    """Draws a big row: a bold title over a dim detail line, amber when the row is flagged."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
                 ) -> QSize:
        return QSize(option.rect.width(), ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(2, 3, -2, -3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(Qt.PenStyle.NoPen)
        look = themes.current()
        painter.setBrush(QColor(look.surface_high if selected else look.surface))
        painter.drawRoundedRect(rect, 12, 12)
        if selected:
            painter.setBrush(QColor(look.accent))
            painter.drawRoundedRect(QRect(rect.left(), rect.top(), 8, rect.height()), 4, 4)
        flagged = bool(index.data(FLAG_ROLE))
        text_rect = rect.adjusted(24, 10, -16, -10)
        for text, font, colour, align in (
            (index.data(Qt.ItemDataRole.DisplayRole), pixel_font(22, bold=True),
             look.warning if flagged else look.text, Qt.AlignmentFlag.AlignTop),
            (index.data(DETAIL_ROLE), pixel_font(18),
             look.warning if flagged else look.text_dim, Qt.AlignmentFlag.AlignBottom),
        ):
            painter.setFont(font)
            painter.setPen(QColor(colour))
            shown = QFontMetrics(font).elidedText(
                str(text or ""), Qt.TextElideMode.ElideRight, text_rect.width())
            painter.drawText(text_rect, align | Qt.AlignmentFlag.AlignLeft, shown)
        painter.restore()


class RowList(QListWidget):
    """A list of big rows (title + detail) that scrolls by finger and by arrow keys."""

    def __init__(self, accessible: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible)
        self.setItemDelegate(_RowDelegate(self))
        self.setUniformItemSizes(True)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)

    def set_rows(self, rows: list[tuple[str, str, bool]], current: int) -> None:
        """Replace all rows (title, detail, flagged) and select `current`, without signals."""
        self.blockSignals(True)
        self.clear()
        for title, detail, flagged in rows:
            item = QListWidgetItem(title)
            item.setData(DETAIL_ROLE, detail)
            item.setData(FLAG_ROLE, flagged)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{title}. {detail}")
            self.addItem(item)
        self.setCurrentRow(current)
        self.blockSignals(False)

    def titles(self) -> list[str]:
        return [self.item(row).text() for row in range(self.count())]

    def details(self) -> list[str]:
        return [self.item(row).data(DETAIL_ROLE) for row in range(self.count())]


class TouchCheckBox(QCheckBox):
    """A check box that toggles wherever its row is tapped, not just on the box and text."""

    def hitButton(self, pos: QPoint) -> bool:
        return self.rect().contains(pos)


class RoutineEditor(QWidget):
    """Routines on the left, the chosen routine's exercises and the exercise form on the right.

    Emits `start_requested(routine_id)` from the "Start this routine" button.
    """

    start_requested = Signal(str)

    def __init__(
        self, book: RoutineBook, library: ExerciseLibrary, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.library = library
        themes.follow_look(self, editor_style)
        self.routine_id = book.builtin.id
        self.item_index = 0
        self._name_mode = ""  # "create" or "rename" while the name bar is open

        # Routines beside the routine's page on a landscape screen, above it on a portrait
        # one; the page scrolls when the exercise form must go below the list (see _reflow).
        self._outer = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._outer.setContentsMargins(24, 16, 24, 16)
        self._outer.setSpacing(24)
        self._outer.addWidget(self._build_routine_column())
        self.page_scroll = QScrollArea()
        self.page_scroll.setObjectName("pageScroll")
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.page_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        page = QWidget()
        page.setObjectName("pageHost")
        page_layout = self._build_routine_page()
        page_layout.setContentsMargins(0, 0, 0, 0)
        page.setLayout(page_layout)
        self.page_scroll.setWidget(page)
        self.page_scroll.viewport().setObjectName("pageViewport")
        QScroller.grabGesture(self.page_scroll.viewport(),
                              QScroller.ScrollerGestureType.TouchGesture)
        self._outer.addWidget(self.page_scroll, 1)
        self._mode: tuple[bool, bool] | None = None

        self._unsubscribe = book.subscribe(self._on_book_changed)
        unsubscribe = self._unsubscribe
        self.destroyed.connect(lambda *_: unsubscribe())  # the book may outlive this widget
        self._render()
        self._status("", "hint")

    # --- building -------------------------------------------------------------------------

    def _build_routine_column(self) -> QWidget:
        column = QWidget()
        column.setFixedWidth(LEFT_WIDTH)
        self.routine_column = column
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(label("Routines", "h2"))
        self.routine_list = RowList("Routines")
        self.routine_list.currentRowChanged.connect(self._on_routine_row)
        layout.addWidget(self.routine_list, 1)

        # The name bar: asks for a name in place when creating or renaming.
        self.name_bar = QFrame()
        self.name_bar.setProperty("role", "panel")
        bar = QVBoxLayout(self.name_bar)
        bar.setContentsMargins(14, 12, 14, 14)
        bar.setSpacing(8)
        self.name_prompt = label("", wrap=True)
        self.name_edit = QLineEdit()
        self.name_edit.setMinimumHeight(TOUCH_MIN)
        self.name_edit.setMaxLength(60)  # longer than allowed, so the limit gets explained
        self.name_edit.setAccessibleName("Routine name")
        self.name_edit.returnPressed.connect(self._submit_name)
        self.name_message = label("", "error", wrap=True)
        self.name_message.setAccessibleName("Name problem")
        self.name_ok_button = button("Create", role="primary")
        self.name_ok_button.clicked.connect(self._submit_name)
        self.name_cancel_button = button("Cancel", accessible="Cancel naming")
        self.name_cancel_button.clicked.connect(self._close_prompts)
        for widget in (self.name_prompt, self.name_edit, self.name_message):
            bar.addWidget(widget)
        bar.addLayout(_grid(self.name_ok_button, self.name_cancel_button))
        layout.addWidget(self.name_bar)

        # The confirm bar: "really delete?" next to the Delete button.
        self.confirm_bar = QFrame()
        self.confirm_bar.setProperty("role", "banner")
        confirm = QVBoxLayout(self.confirm_bar)
        confirm.setContentsMargins(14, 12, 14, 14)
        confirm.setSpacing(10)
        self.confirm_label = label("", wrap=True)
        self.confirm_button = button("Delete", role="danger", accessible="Yes, delete routine")
        self.confirm_button.clicked.connect(self._confirm_delete)
        self.keep_button = button("Keep it", accessible="No, keep routine")
        self.keep_button.clicked.connect(self._close_prompts)
        confirm.addWidget(self.confirm_label)
        confirm.addLayout(_grid(self.confirm_button, self.keep_button))
        layout.addWidget(self.confirm_bar)

        self.new_button = button("+ New", accessible="New routine")
        self.new_button.clicked.connect(lambda: self._open_name_bar("create"))
        self.rename_button = button("Rename", accessible="Rename routine")
        self.rename_button.clicked.connect(lambda: self._open_name_bar("rename"))
        self.duplicate_button = button("Duplicate", accessible="Duplicate routine")
        self.duplicate_button.clicked.connect(self._duplicate)
        self.delete_button = button("Delete", accessible="Delete routine")
        self.delete_button.clicked.connect(self._ask_delete)
        layout.addWidget(_buttons(self.new_button, self.duplicate_button,
                                  self.rename_button, self.delete_button))
        self.name_bar.hide()
        self.confirm_bar.hide()
        return column

    def _build_routine_page(self) -> QVBoxLayout:
        page = QVBoxLayout()
        page.setSpacing(10)
        header = FlowRow(spacing=14)
        self.title_label = label("", "h1")
        self.title_label.setAccessibleName("Routine name")
        self.builtin_badge = label("Built in", "badge")
        self.builtin_badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.builtin_badge.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.start_button = button("▶  Start this routine", role="primary", min_height=72,
                                   accessible="Start this routine")
        self.start_button.clicked.connect(
            lambda: self.start_requested.emit(self.routine_id))
        header.add(self.title_label, 1)
        header.add(self.builtin_badge, 0)
        header.add(self.start_button, 0)
        page.addWidget(header)
        self.status_label = label("", wrap=True)
        self.status_label.setAccessibleName("Status")
        self.status_label.setMinimumHeight(28)
        page.addWidget(self.status_label)

        body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        body.setSpacing(20)
        self._body = body
        exercises = QVBoxLayout()
        exercises.setSpacing(10)
        self.item_list = RowList("Exercises in this routine")
        self.item_list.currentRowChanged.connect(self._on_item_row)
        exercises.addWidget(self.item_list, 1)
        self.up_button = button("▲ Move up", accessible="Move exercise up")
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button = button("▼ Move down", accessible="Move exercise down")
        self.down_button.clicked.connect(lambda: self._move(+1))
        self.remove_button = button("✕ Remove", accessible="Remove exercise")
        self.remove_button.clicked.connect(self._remove)
        self.add_button = button("+ Add exercise", accessible="Add exercise")
        self.add_button.clicked.connect(self._open_chooser)
        exercises.addWidget(_buttons(self.up_button, self.down_button,
                                     self.remove_button, self.add_button))
        for keys, step in (("Ctrl+Up", -1), ("Ctrl+Down", +1)):
            shortcut = QShortcut(QKeySequence(keys), self.item_list)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda s=step: self._move(s))
        body.addLayout(exercises, 1)

        self.side = QStackedWidget()
        self.side.setFixedWidth(SIDE_WIDTH)
        self.side.addWidget(self._build_item_form())
        self.side.addWidget(self._build_chooser())
        body.addWidget(self.side)
        page.addLayout(body, 1)
        return page

    # --- fitting the screen ---------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reflow()

    def _reflow(self) -> None:
        """Three columns on a wide screen; narrower, the exercise form goes below the list
        (the page scrolls), and on a portrait screen the routines go above the page."""
        margins = self._outer.contentsMargins()
        inner = self.width() - margins.left() - margins.right()
        side_by_side = inner >= LEFT_WIDTH + self._outer.spacing() + PAGE_MIN
        page = inner - (LEFT_WIDTH + self._outer.spacing() if side_by_side else 0)
        form_beside = page >= ITEMS_MIN + self._body.spacing() + SIDE_WIDTH
        mode = (side_by_side, form_beside)
        if mode == self._mode:
            return
        self._mode = mode
        direction = QBoxLayout.Direction
        self._outer.setDirection(direction.LeftToRight if side_by_side
                                 else direction.TopToBottom)
        if side_by_side:
            self.routine_column.setFixedWidth(LEFT_WIDTH)
            self.routine_list.setMaximumHeight(QWIDGETSIZE_MAX)
        else:  # a full-width strip: room for two routines, the rest scrolls
            self.routine_column.setMinimumWidth(0)
            self.routine_column.setMaximumWidth(QWIDGETSIZE_MAX)
            self.routine_list.setMaximumHeight(2 * ROW_HEIGHT + 12)
        self._body.setDirection(direction.LeftToRight if form_beside
                                else direction.TopToBottom)
        if form_beside:
            self.side.setFixedWidth(SIDE_WIDTH)
            self.item_list.setMinimumHeight(0)
        else:  # below the list, as wide as the page; the list shows up to four exercises
            self.side.setMinimumWidth(0)
            self.side.setMaximumWidth(QWIDGETSIZE_MAX)
            self.item_list.setMinimumHeight(4 * ROW_HEIGHT + 12)

    def _build_item_form(self) -> QFrame:
        self.form = QFrame()
        self.form.setProperty("role", "panel")
        layout = QVBoxLayout(self.form)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.setSpacing(2)
        self.form_title = label("", "h2", wrap=True)
        layout.addWidget(self.form_title)
        self.form_notice = label("", "warning", wrap=True)
        layout.addWidget(self.form_notice)

        self.fields: dict[str, QLineEdit] = {}
        self.messages: dict[str, QLabel] = {}
        for key in ITEM_FORM_FIELDS:
            edit = QLineEdit()
            edit.setMinimumHeight(TOUCH_MIN)
            edit.setAccessibleName(FIELD_LABELS[key][1])
            edit.returnPressed.connect(self._save_item)
            edit.textEdited.connect(self._revalidate)
            self.fields[key] = edit
            if key != "reps_high":  # the two reps fields share one caption and one message
                self.messages[key] = label(FIELD_LABELS[key][2], "hint", wrap=True)
                self.messages[key].setAccessibleName(f"{FIELD_LABELS[key][0]} message")
        self.messages["reps_high"] = self.messages["reps_low"]
        for key in ("sets", "reps_low", "tempo", "rest"):
            caption = label(FIELD_LABELS[key][0])
            caption.setFixedWidth(76)
            row = QHBoxLayout()
            row.setSpacing(10)
            row.addWidget(caption)
            if key == "reps_low":
                row.addWidget(self.fields["reps_low"], 1)
                row.addWidget(label("to"))
                row.addWidget(self.fields["reps_high"], 1)
            else:
                row.addWidget(self.fields[key], 1 if key in ("tempo", "rest") else 0)
                if key == "sets":
                    self.fields[key].setFixedWidth(110)
                    row.addStretch(1)
            layout.addLayout(row)
            message_row = QHBoxLayout()
            message_row.addSpacing(86)
            message_row.addWidget(self.messages[key], 1)
            layout.addLayout(message_row)

        self.per_side_check = TouchCheckBox("Per leg")
        self.per_side_check.setMinimumHeight(TOUCH_MIN)
        self.per_side_check.setAccessibleName("Per leg")
        self.per_side_check.setAccessibleDescription("Each set on one leg, then the other")
        per_side = QHBoxLayout()  # the hint beside the box: the form fits 1280×800 unscrolled
        per_side.setSpacing(10)
        per_side.addWidget(self.per_side_check)
        per_side.addWidget(label("Each set on one leg, then the other.", "hint", wrap=True), 1)
        layout.addLayout(per_side)
        layout.addStretch(1)
        self.save_button = button("Save changes", role="primary", accessible="Save exercise")
        self.save_button.clicked.connect(self._save_item)
        layout.addWidget(self.save_button)
        return self.form

    def _build_chooser(self) -> QFrame:
        chooser = QFrame()
        chooser.setProperty("role", "panel")
        layout = QVBoxLayout(chooser)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(label("Add which exercise?", "h2"))
        layout.addWidget(label("It goes at the end, with the sets, reps and tempo its guide "
                               "suggests.", "hint", wrap=True))
        host = QWidget()
        host.setObjectName("chooserHost")
        choices = QVBoxLayout(host)
        choices.setContentsMargins(0, 0, 0, 0)
        choices.setSpacing(10)
        self.chooser_buttons: dict[str, QPushButton] = {}
        for exercise in self.library:
            choice = button(exercise.name, accessible=f"Add {exercise.name}")
            choice.clicked.connect(lambda _=False, e=exercise.id: self._add(e))
            self.chooser_buttons[exercise.id] = choice
            choices.addWidget(choice)
        choices.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("chooserScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(host)
        scroll.viewport().setObjectName("chooserViewport")
        QScroller.grabGesture(scroll.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        layout.addWidget(scroll, 1)
        self.chooser_cancel = button("Cancel", accessible="Cancel adding")
        self.chooser_cancel.clicked.connect(self._close_prompts)
        layout.addWidget(self.chooser_cancel)
        return chooser

    # --- state ----------------------------------------------------------------------------

    @property
    def routine(self) -> Routine:
        return self.book.get(self.routine_id)

    @property
    def item(self) -> RoutineItem:
        return self.routine.items[self.item_index]

    def exercise_name(self, item: RoutineItem) -> str:
        exercise = self.book.exercise(item.exercise_id)
        return exercise.name if exercise else item.exercise_id

    def select(self, routine_id: str, item_index: int = 0) -> None:
        """Show a routine and one of its exercises (clamped to the ones it has)."""
        if routine_id not in self.book:
            routine_id = self.book.builtin.id
        self.routine_id = routine_id
        self.item_index = max(0, min(item_index, len(self.routine.items) - 1))
        self._render()

    def _on_book_changed(self, change: BookChange) -> None:
        self.select(self.routine_id, self.item_index)

    def _render(self) -> None:
        """Redraw everything from the book (after a change or a programmatic selection)."""
        routines = self.book.routines
        self.routine_list.set_rows(
            [(r.name, self._routine_detail(r), bool(self.book.missing_exercises(r.id)))
             for r in routines],
            next(i for i, r in enumerate(routines) if r.id == self.routine_id),
        )
        self._render_routine()

    def _render_routine(self) -> None:
        """Redraw the right side; the routine list stays (it may be mid-click)."""
        routine = self.routine
        self.title_label.setText(routine.name)
        self.builtin_badge.setVisible(routine.builtin)
        self.start_button.setEnabled(not self.book.missing_exercises(routine.id))
        self.item_list.set_rows(
            [self._item_row(number, item) for number, item in enumerate(routine.items, 1)],
            self.item_index,
        )
        self._render_item()

    def _render_item(self) -> None:
        """Redraw the item buttons and the form; the item list stays (it may be mid-click)."""
        routine = self.routine
        editable = not routine.builtin
        last = len(routine.items) - 1
        self.up_button.setEnabled(editable and self.item_index > 0)
        self.down_button.setEnabled(editable and self.item_index < last)
        self.remove_button.setEnabled(editable and last > 0)
        self.add_button.setEnabled(editable)
        self._fill_form()

    def _routine_detail(self, routine: Routine) -> str:
        count = len(routine.items)
        parts = [f"{count} exercise{'s' if count != 1 else ''}"]
        if routine.builtin:
            parts.append("built in")
        missing = len(self.book.missing_exercises(routine.id))
        if missing:
            parts.append(f"{missing} missing")
        return " · ".join(parts)

    def _item_row(self, number: int, item: RoutineItem) -> tuple[str, str, bool]:
        if self.book.exercise(item.exercise_id) is None:
            return (f"{number}. {item.exercise_id} (missing)",
                    "Exercise file not found; kept in case it comes back", True)
        return f"{number}. {self.exercise_name(item)}", item.describe(), False

    def _fill_form(self) -> None:
        item = self.item
        routine = self.routine
        self.form_title.setText(self.exercise_name(item))
        notice = ""
        if routine.builtin:
            notice = "Built in: duplicate it to make changes."
        elif self.book.exercise(item.exercise_id) is None:
            notice = "This exercise's file is missing. Remove it to start the routine."
        self.form_notice.setText(notice)
        self.form_notice.setVisible(bool(notice))
        for key, text in item_form_text(item).items():
            self.fields[key].setText(text)
            self.fields[key].setEnabled(not routine.builtin)
        self.per_side_check.setChecked(item.per_side)
        self.per_side_check.setEnabled(not routine.builtin)
        self.save_button.setEnabled(not routine.builtin)
        self._show_field_errors({})

    # --- messages -------------------------------------------------------------------------

    def _status(self, text: str, role: str) -> None:
        """One line above the exercises: what just happened, or why it couldn't."""
        if not text:
            missing = self.book.missing_exercises(self.routine_id)
            if missing:
                text, role = (f"Can't start: {', '.join(missing)} is not in the library. "
                              "Remove it, or put its file back."), "warning"
        self.status_label.setText(text)
        _restyle(self.status_label, "role", role)

    def _act(self, action: Callable[[], T], show: Callable[[str], None] | None = None
             ) -> T | None:
        """Run a book operation; show why it was refused (or couldn't be saved) instead."""
        report = show or (lambda message: self._status(message, "error"))
        try:
            return action()
        except RoutineError as error:
            report(error.message)
        except OSError as error:
            report(f"Couldn't save ({error.strerror or error}). Nothing was changed.")
        return None

    def _show_field_errors(self, errors: dict[str, str]) -> None:
        for key, edit in self.fields.items():
            _restyle(edit, "invalid", key in errors)
            edit.setAccessibleDescription(errors.get(key, ""))
        for key in ("sets", "reps_low", "tempo", "rest"):
            message = errors.get(key) or (errors.get("reps_high") if key == "reps_low" else None)
            self.messages[key].setText(message or FIELD_LABELS[key][2])
            _restyle(self.messages[key], "role", "error" if message else "hint")

    # --- routine actions ------------------------------------------------------------------

    def _on_routine_row(self, row: int) -> None:
        if 0 <= row < len(self.book.routines):
            self._close_prompts()
            self.routine_id, self.item_index = self.book.routines[row].id, 0
            self._render_routine()
            self._status("", "hint")

    def _editable(self) -> bool:
        """True for a user routine; for the built-in one, show why not and return False."""
        return self._act(lambda: self.book.check_editable(self.routine_id)) is not None

    def _open_name_bar(self, mode: str) -> None:
        if mode == "rename" and not self._editable():
            return
        self._close_prompts()
        self._name_mode = mode
        renaming = mode == "rename"
        self.name_prompt.setText(f"New name for “{self.routine.name}”:" if renaming
                                 else "Name the new routine:")
        self.name_ok_button.setText("Rename" if renaming else "Create")
        self.name_ok_button.setAccessibleName("Rename routine now" if renaming
                                              else "Create routine")
        self.name_edit.setText(self.routine.name if renaming else "")
        self.name_message.setText("")
        self.name_message.hide()
        self.name_bar.show()
        self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.name_edit.selectAll()

    def _submit_name(self) -> None:
        name = self.name_edit.text()

        def show(message: str) -> None:
            self.name_message.setText(message)
            self.name_message.show()

        if self._name_mode == "rename":
            old = self.routine.name
            if self._act(lambda: self.book.rename(self.routine_id, name), show) is None:
                return
            self._close_prompts()
            self._status(f"Renamed “{old}” to “{self.routine.name}”.", "ok")
            return
        created = self._act(lambda: self.book.create(name), show)
        if created is None:
            return
        self._close_prompts()
        self.select(created.id)
        self._status(f"Created “{created.name}” with the {self.exercise_name(created.items[0])}"
                     " to start. Add more exercises below.", "ok")

    def _duplicate(self) -> None:
        copy = self._act(lambda: self.book.duplicate(self.routine_id))
        if copy is not None:
            self._close_prompts()
            self.select(copy.id)
            self._status(f"Made “{copy.name}”. This copy is yours to change.", "ok")

    def _ask_delete(self) -> None:
        if not self._editable():
            return
        self._close_prompts()
        self.confirm_label.setText(f"Delete “{self.routine.name}”? This can't be undone.")
        self.confirm_bar.show()
        self.keep_button.setFocus(Qt.FocusReason.OtherFocusReason)  # the safe answer first

    def _confirm_delete(self) -> None:
        position = [r.id for r in self.book.routines].index(self.routine_id)
        deleted = self._act(lambda: self.book.delete(self.routine_id))
        self._close_prompts()
        if deleted is not None:
            self.select(self.book.routines[position - 1].id)
            self._status(f"Deleted “{deleted.name}”.", "ok")

    def _close_prompts(self) -> None:
        self.name_bar.hide()
        self.confirm_bar.hide()
        self.side.setCurrentIndex(0)
        self._name_mode = ""

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and (
            self.name_bar.isVisible() or self.confirm_bar.isVisible() or self.side.currentIndex()
        ):
            self._close_prompts()
            return
        super().keyPressEvent(event)

    # --- item actions ---------------------------------------------------------------------

    def _on_item_row(self, row: int) -> None:
        if 0 <= row < len(self.routine.items):
            self.item_index = row
            self._render_item()

    def _move(self, step: int) -> None:
        target = self.item_index + step
        if self.routine.builtin or not 0 <= target < len(self.routine.items):
            return  # the buttons are disabled then; this catches the keyboard shortcut
        if self._act(lambda: self.book.move_item(self.routine_id, self.item_index, target)):
            self.select(self.routine_id, target)
            self._status(f"Moved {self.exercise_name(self.item)} to number {target + 1}.", "ok")

    def _remove(self) -> None:
        item = self.item
        if self._act(lambda: self.book.remove_item(self.routine_id, self.item_index)):
            self.select(self.routine_id, self.item_index)
            self._status(f"Removed {self.exercise_name(item)}.", "ok")

    def _open_chooser(self) -> None:
        self._close_prompts()
        self.side.setCurrentIndex(1)
        first = next(iter(self.chooser_buttons.values()), None)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _add(self, exercise_id: str) -> None:
        changed = self._act(lambda: self.book.add_item(self.routine_id, exercise_id))
        self._close_prompts()
        if changed is not None:
            self.select(self.routine_id, len(changed.items) - 1)
            self._status(f"Added {self.exercise_name(self.item)}. Adjust it on the right.", "ok")

    def _form_item(self) -> RoutineItem:
        return parse_item_form(
            {key: edit.text() for key, edit in self.fields.items()},
            exercise_id=self.item.exercise_id, per_side=self.per_side_check.isChecked(),
        )

    def _revalidate(self) -> None:
        """While messages are showing, update them as the lifter types the fix."""
        if not any(edit.property("invalid") for edit in self.fields.values()):
            return
        try:
            self._form_item()
        except RoutineError as error:
            self._show_field_errors(error.errors)
        else:
            self._show_field_errors({})

    def _save_item(self) -> None:
        if self.routine.builtin:
            return
        try:
            item = self._form_item()
        except RoutineError as error:
            self._show_field_errors(error.errors)
            self._status("Check the highlighted fields; nothing was saved yet.", "error")
            return
        if self._act(lambda: self.book.update_item(self.routine_id, self.item_index, item)):
            self._fill_form()  # shows the canonical text, e.g. rest "90" → "1:30"
            self._status(f"Saved {self.exercise_name(item)}: {item.describe()}.", "ok")


def _buttons(*widgets: QWidget) -> FlowRow:
    """Buttons in even rows (two by two in a narrow column, one row when there is room)."""
    row = FlowRow(spacing=10, equal=True)
    for widget in widgets:
        row.add(widget)
    return row


def _grid(*widgets: QWidget, columns: int = 2) -> QGridLayout:
    """Buttons in equal columns, so pairs line up like keys on a keypad."""
    layout = QGridLayout()
    layout.setSpacing(10)
    for position, widget in enumerate(widgets):
        layout.addWidget(widget, position // columns, position % columns)
    for column in range(columns):
        layout.setColumnStretch(column, 1)
    return layout
