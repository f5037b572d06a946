"""History: every workout as one big row, searchable by exercise and dates, with its sets.

Left, the sessions (newest first, ★ where a record fell); right, the chosen session's sets to
edit or delete. Arrow keys move through sessions, Enter or → opens the sets, Enter edits a set,
Delete deletes it (after asking), ← goes back to the sessions, Ctrl+Z undoes.

Only the chosen date range is read from the log. Stars need what came before the range (a set
is a record only if it beat everything earlier), so the older sets are read once and only the
handful holding their records is kept, per range start, for as long as the number of sets
stays the same (`invalidate_records` for edits made elsewhere to sets before the range).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, tzinfo

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from legcoach.core.history import (
    PRESETS,
    SessionRow,
    group_sessions,
    local_day,
    local_range,
    preset_range,
    record_holders,
    search,
    set_line,
)
from legcoach.core.records import RecordBook, format_volume
from legcoach.core.setlog import LoadUnit, SetRecord
from legcoach.core.setstore import SAVE_ERRORS, SetStore, error_text
from legcoach.core.workspace import Workspace
from legcoach.ui import themes
from legcoach.ui.routine_editor import ROW_HEIGHT, RowList, editor_style
from legcoach.ui.theme import TOUCH_MIN
from legcoach.ui.widgets import FlowRow, Segmented, button, label, labelled

DEFAULT_PRESET = "3 months"
SIDE_BY_SIDE = 900  # px of width from which the sessions and the sets stand side by side
EMPTY_TEXT = "No workouts in this range. Log a set or pick a wider range."
ANY_DATE = QDate(2000, 1, 1)
"""The From picker's lowest date, shown as "Any date": no lower bound."""

def history_style(p: themes.Palette) -> str:
    """The editor's rules plus date fields and record lines, in look `p`."""
    return editor_style(p) + f"""
QDateEdit {{
    background: {p.surface_high}; border: 2px solid {p.border}; border-radius: 10px;
    padding: 8px 14px; min-height: {TOUCH_MIN - 20}px; font-size: 20px;
}}
QComboBox {{ min-height: {TOUCH_MIN - 20}px; }}  /* + 2 × 8 px padding + 2 × 2 px border */
QDateEdit:focus {{ border-color: {p.accent}; }}
QDateEdit::drop-down {{ width: 44px; border: none; }}
QCalendarWidget QAbstractItemView {{ font-size: 20px; }}
QCalendarWidget QToolButton {{ font-size: 20px; min-height: 44px; padding: 4px 10px; }}
QComboBox QAbstractItemView::item {{ min-height: {TOUCH_MIN - 8}px; }}
QLabel[role="record"] {{ color: {p.accent}; font-size: 19px; }}
QLabel[role="facts"] {{ color: {p.text_soft}; font-size: 20px; }}
"""


def session_title(row: SessionRow, tz: tzinfo | None = None, *, long: bool = False) -> str:
    """E.g. "Sat 21 Nov 2026 · Leg day ★": the day in local time and what kind of workout."""
    when = _local(row.started_at, tz).strftime("%A %d %B %Y" if long else "%a %d %b %Y")
    kind = row.routine or ("Workout" if row.session_id else "Logged sets")
    return f"{when} · {kind}" + ("  ★" if row.records else "")


def session_facts(row: SessionRow, tz: tzinfo | None = None, *, span: bool = False,
                  unit: LoadUnit = LoadUnit.KG) -> str:
    """E.g. "18:12 · 52 min · 14 sets · 9,840 kg": the numbers a lifter scans for (the volume
    in the lifter's display `unit`)."""
    start = _local(row.started_at, tz).strftime("%H:%M")
    parts = [f"{start} – {_local(row.ended_at, tz):%H:%M}" if span else start]
    if row.duration.total_seconds() >= 60:
        parts.append(row.duration_text)
    count = len(row.sets)
    parts += [f"{count} set{'s' if count != 1 else ''}", format_volume(row.volume_kg, unit)]
    return " · ".join(parts)


def _local(moment: datetime, tz: tzinfo | None) -> datetime:
    return moment.astimezone(tz) if tz is not None else moment.astimezone()


def _to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class HistoryView(QWidget):
    """Emits `edit_requested(SetRecord)` (the main window opens the log form) and `notify`.

    `confirm(question) -> bool` asks before a delete (a dialog by default; tests inject one).
    `routine_names()` maps session id → routine name, since sets do not store it.
    `tz` pins the time zone for dates (None = this computer's).
    """

    edit_requested = Signal(object)
    notify = Signal(str)

    def __init__(
        self, workspace: Workspace, parent: QWidget | None = None, *,
        confirm: Callable[[str], bool] | None = None,
        routine_names: Callable[[], Mapping[str, str]] | None = None,
        tz: tzinfo | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.confirm: Callable[[str], bool] = confirm or self._ask
        self.routine_names = routine_names or (lambda: {})
        self.tz = tz
        self.rows: list[SessionRow] = []
        """The sessions shown, newest first."""
        self._all_rows: list[SessionRow] = []
        self._exercise_id: str | None = None
        self._first: date | None = None
        self._last: date | None = None
        self._holders: dict[datetime, tuple[SetRecord, ...]] = {}
        """Range start → the sets before it that hold records (see module doc)."""
        self._holders_count = -1
        self.setAccessibleName("Workout history")
        themes.follow_look(self, history_style)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 8, 24, 16)
        outer.setSpacing(12)
        outer.addWidget(self._build_exercise_row())
        outer.addWidget(self._build_range_row())
        self.empty_label = label(EMPTY_TEXT, "h2", wrap=True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.empty_label, 1)
        self.content = QWidget()
        # Sessions beside the chosen session's sets on a landscape screen, above them on a
        # portrait one (see resizeEvent).
        self._body = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.content)
        self._body.setContentsMargins(0, 0, 0, 0)
        self._body.setSpacing(16)
        self.session_list = RowList("Workouts, newest first")
        self.session_list.currentRowChanged.connect(self._show_session)
        self.session_list.itemActivated.connect(lambda _item: self.open_session())
        self._body.addWidget(self.session_list, 4)
        self._body.addWidget(self._build_panel(), 6)
        outer.addWidget(self.content, 1)
        for rows in (self.session_list, self.set_list):
            rows.installEventFilter(self)
        self.set_preset(DEFAULT_PRESET)

    # --- building -------------------------------------------------------------------------

    def _build_exercise_row(self) -> FlowRow:
        row = FlowRow(spacing=12)
        self.exercise_combo = QComboBox()
        self.exercise_combo.setAccessibleName("Show workouts with exercise")
        self.exercise_combo.setMinimumHeight(TOUCH_MIN)
        self.exercise_combo.addItem("All exercises", None)
        for exercise in self.workspace.library:
            self.exercise_combo.addItem(exercise.name, exercise.id)
        self.exercise_combo.currentIndexChanged.connect(self._exercise_changed)
        self.count_label = label("", "dim")
        self.count_label.setAccessibleDescription("How many workouts are shown")
        self.undo_button = button("↶  Undo", accessible="Undo the last change to the log",
                                  min_height=TOUCH_MIN)
        self.undo_button.clicked.connect(self.undo)
        caption = label("Exercise", "dim")
        caption.setBuddy(self.exercise_combo)
        row.add(labelled(caption, self.exercise_combo), 3)
        row.add(self.count_label, 2)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
        row.add(self.undo_button, 0)
        return row

    def _build_range_row(self) -> FlowRow:
        row = FlowRow(spacing=12)
        self.presets = Segmented([(name, name) for name in PRESETS], name="Date range")
        for widget in self.presets.buttons.values():
            widget.setMinimumHeight(TOUCH_MIN)
        self.presets.changed.connect(lambda name: name and self.set_preset(str(name)))
        row.add(self.presets, 4)
        self.from_edit = self._date_edit("From date (earliest day shown)")
        self.from_edit.setMinimumDate(ANY_DATE)
        self.from_edit.setSpecialValueText("Any date")
        self.to_edit = self._date_edit("To date (latest day shown)")
        dates = QWidget()
        layout = QHBoxLayout(dates)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        for text, edit in (("From", self.from_edit), ("to", self.to_edit)):
            caption = label(text, "dim")
            caption.setBuddy(edit)
            layout.addWidget(caption)
            layout.addWidget(edit, 1)
        row.add(dates, 3)
        return row

    def _date_edit(self, accessible: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setAccessibleName(accessible)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setMinimumHeight(TOUCH_MIN)
        edit.setKeyboardTracking(False)  # typing a date reads the log once, not per digit
        edit.calendarWidget().setMinimumSize(460, 400)
        edit.calendarWidget().setAccessibleName(f"Calendar: {accessible}")
        edit.dateChanged.connect(self._dates_changed)
        return edit

    def _build_panel(self) -> QFrame:
        panel = QFrame()
        panel.setProperty("role", "panel")
        self.panel = panel
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)
        self.title_label = label("", "h2", wrap=True)
        self.facts_label = label("", "facts", wrap=True)
        self.exercises_label = label("", "dim", wrap=True)
        self.records_label = label("", "record", wrap=True)
        # Labels are read out by their text; the description says what the text is.
        for widget, what in ((self.title_label, "Selected workout"),
                             (self.facts_label, "Time and totals"),
                             (self.exercises_label, "Exercises"),
                             (self.records_label, "Records")):
            widget.setAccessibleDescription(what)
            layout.addWidget(widget)
        self.set_list = RowList("Sets in the selected workout")
        self.set_list.itemActivated.connect(lambda _item: self.edit_selected())
        self.set_list.currentRowChanged.connect(lambda _row: self._update_actions())
        layout.addWidget(self.set_list, 1)
        self.edit_button = button("✎  Edit set", accessible="Edit the selected set")
        self.delete_button = button("Delete set", role="danger",
                                    accessible="Delete the selected set")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        actions = QHBoxLayout()
        actions.setSpacing(12)
        actions.addWidget(self.edit_button, 1)
        actions.addWidget(self.delete_button, 1)
        layout.addLayout(actions)
        return panel

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Sessions above the sets when the screen is too narrow for both side by side."""
        super().resizeEvent(event)
        for edit in (self.from_edit, self.to_edit):  # styled now: the whole date, never cut
            edit.setMinimumWidth(max(edit.minimumWidth(), edit.sizeHint().width()))
        direction = QBoxLayout.Direction
        side_by_side = self.width() >= SIDE_BY_SIDE
        wanted = direction.LeftToRight if side_by_side else direction.TopToBottom
        if self._body.direction() != wanted:
            self._body.setDirection(wanted)
            self._body.setStretch(0, 4 if side_by_side else 1)
            self._body.setStretch(1, 6 if side_by_side else 1)
            # Stacked, the sessions keep a row and a half (the half says "scroll me"); the
            # exercises line gives way, as each set below names its exercise anyway.
            self.session_list.setMinimumHeight(0 if side_by_side else ROW_HEIGHT * 3 // 2)
            self.exercises_label.setVisible(side_by_side)

    # --- search ---------------------------------------------------------------------------

    def today(self) -> date:
        return local_day(self.workspace.now(), self.tz)

    def set_preset(self, preset: str) -> None:
        """Pick "4 weeks", "3 months", "1 year" or "All": reads that range again."""
        self._first, self._last = preset_range(preset, self.today())
        self.presets.set_value(preset)
        self._show_dates()
        self._reload()

    def set_dates(self, first: date | None, last: date | None) -> None:
        """A custom range of local days, both included; None leaves that side open."""
        self._first, self._last = first, last
        self.presets.set_value(None)
        self._show_dates()
        self._reload()

    def set_exercise(self, exercise_id: str | None) -> None:
        """Only workouts with this exercise (None = all); no re-read needed."""
        index = self.exercise_combo.findData(exercise_id)
        self.exercise_combo.setCurrentIndex(max(index, 0))

    def _show_dates(self) -> None:
        today = QDate(self.today())
        for edit in (self.from_edit, self.to_edit):
            edit.blockSignals(True)
            edit.setMaximumDate(today)
        self.from_edit.setDate(QDate(self._first) if self._first else ANY_DATE)
        self.to_edit.setDate(QDate(self._last) if self._last else today)
        for edit in (self.from_edit, self.to_edit):
            edit.blockSignals(False)

    def _dates_changed(self) -> None:
        first = self.from_edit.date()
        self.set_dates(None if first == ANY_DATE else _to_date(first),
                       _to_date(self.to_edit.date()))

    def _exercise_changed(self) -> None:
        self._exercise_id = self.exercise_combo.currentData()
        self._filter()

    # --- reading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the chosen range from the log (after an edit, or when the screen shows)."""
        self._reload()

    def invalidate_records(self) -> None:
        """Sets before the range were edited elsewhere: rebuild their records on next read."""
        self._holders.clear()

    def _read(self, store: SetStore, start: datetime | None, end: datetime | None,
              names: dict[str, str]) -> tuple[list[SetRecord], RecordBook | None]:
        """The sets in range, and a record book standing for everything before it."""
        if start is None:
            return store.query(end=end), None
        count = store.count()
        if count != self._holders_count:  # a set came or went: maybe one before the range
            self._holders.clear()
            self._holders_count = count
        holders = self._holders.get(start)
        if holders is None:
            holders = self._holders[start] = record_holders(store.query(end=start), names)
        return store.query(start=start, end=end), RecordBook.from_history(holders, names=names)

    def _reload(self, fallback: int = 0) -> None:
        names = self.workspace.exercise_names()
        start, end = local_range(self._first, self._last, self.tz)
        records, book = self._read(self.workspace.sets.store, start, end, names)
        self._all_rows = group_sessions(records, names, self.routine_names(), book)
        self._filter(fallback)

    def _filter(self, fallback: int = 0) -> None:
        """Apply the exercise and dates to the sessions read; the selected session stays
        selected, or row `fallback` takes its place."""
        current = self.selected_session()
        self.rows = search(self._all_rows, self._exercise_id, self._first, self._last, self.tz)
        keys = [row.key for row in self.rows]
        index = keys.index(current.key) if current and current.key in keys else fallback
        self._render(min(index, len(self.rows) - 1))

    # --- showing ----------------------------------------------------------------------------

    def _render(self, index: int) -> None:
        self.session_list.set_rows(
            [(session_title(row, self.tz), self._row_detail(row), bool(row.records))
             for row in self.rows], index)
        shown = bool(self.rows)
        self.empty_label.setVisible(not shown)
        self.content.setVisible(shown)
        sets = sum(len(row.sets) for row in self.rows)
        count = len(self.rows)
        self.count_label.setText(f"{count} workout{'s' if count != 1 else ''} · {sets} sets"
                                 if shown else "")
        self._show_session(index)

    def _row_detail(self, row: SessionRow) -> str:
        unit = self.workspace.settings.unit
        return f"{session_facts(row, self.tz, unit=unit)} · {', '.join(row.exercises)}"

    def _show_session(self, index: int, set_index: int = 0) -> None:
        row = self.rows[index] if 0 <= index < len(self.rows) else None
        names = self.workspace.exercise_names()
        if row is None:
            for widget in (self.title_label, self.facts_label, self.exercises_label,
                           self.records_label):
                widget.clear()
            self.set_list.set_rows([], -1)
        else:
            self.title_label.setText(session_title(row, self.tz, long=True))
            self.facts_label.setText(session_facts(row, self.tz, span=True,
                                                   unit=self.workspace.settings.unit) + " volume")
            self.exercises_label.setText(" · ".join(row.exercises))
            count = len(row.records)
            self.records_label.setText(f"★ {count} record{'s' if count != 1 else ''}: "
                                       "the sets marked ★ below" if count else "")
            self.records_label.setVisible(bool(count))
            events: dict[str, list[str]] = {}
            for event in row.records:
                events.setdefault(event.set_id, []).append(event.text)
            self.set_list.set_rows(
                [(self._set_title(record, names, record.id in events),
                  " · ".join(events[record.id]) if record.id in events
                  else set_line(record, names), record.id in events) for record in row.sets],
                min(set_index, len(row.sets) - 1))
        self._update_actions()

    @staticmethod
    def _set_title(record: SetRecord, names: dict[str, str], starred: bool) -> str:
        name = names.get(record.exercise_id, record.exercise_id)
        return f"{name} · {record.describe()}" + ("  ★" if starred else "")

    def _update_actions(self) -> None:
        has_set = self.selected_set() is not None
        self.edit_button.setEnabled(has_set)
        self.delete_button.setEnabled(has_set)
        self.undo_button.setEnabled(self.workspace.sets.can_undo)

    # --- selection and actions ------------------------------------------------------------

    def selected_session(self) -> SessionRow | None:
        index = self.session_list.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def selected_set(self) -> SetRecord | None:
        row = self.selected_session()
        index = self.set_list.currentRow()
        return row.sets[index] if row is not None and 0 <= index < len(row.sets) else None

    def focus_sessions(self) -> None:
        """Where the keyboard starts when the screen is shown."""
        target = self.session_list if self.rows else self.presets.buttons[PRESETS[-1]]
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_session(self) -> None:
        """Enter or →: from the session row into its sets."""
        if self.set_list.count():
            self.set_list.setFocus(Qt.FocusReason.OtherFocusReason)
            if self.set_list.currentRow() < 0:
                self.set_list.setCurrentRow(0)

    def edit_selected(self) -> None:
        record = self.selected_set()
        if record is not None:
            self.edit_requested.emit(record)

    def delete_selected(self) -> None:
        record = self.selected_set()
        if record is None or not self.confirm(f"Delete {record.describe()}? (Ctrl+Z undoes)"):
            return
        before = self.selected_session()
        set_index = self.set_list.currentRow()
        had_focus = self.set_list.hasFocus()
        try:
            self.workspace.delete(record.id)
        except SAVE_ERRORS as error:
            self.notify.emit(f"Could not delete the set ({error_text(error)}); "
                             "nothing changed.")
            return
        self.notify.emit(f"Deleted {record.describe()}. Ctrl+Z brings it back.")
        self._reload(fallback=self.session_list.currentRow())
        after = self.selected_session()
        if before is not None and after is not None and after.key == before.key:
            self._show_session(self.session_list.currentRow(), set_index)  # the next set
        if had_focus and self.set_list.count():
            self.set_list.setFocus(Qt.FocusReason.OtherFocusReason)

    def undo(self) -> None:
        """Ctrl+Z or the Undo button: any change to the log, made on any screen."""
        try:
            message = self.workspace.undo()
        except SAVE_ERRORS as error:
            message = f"Could not undo ({error_text(error)}); nothing changed."
        else:
            self.invalidate_records()  # the undone change may be older than the range
        self.notify.emit(message or "Nothing to undo.")
        self._reload()

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, "legcoach", question)
        return answer == QMessageBox.StandardButton.Yes

    # --- keys -------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keys on the two lists: → / Enter open, ← back, Delete deletes a set."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        if watched is self.session_list and key in (Qt.Key.Key_Right, Qt.Key.Key_Return,
                                                    Qt.Key.Key_Enter):
            self.open_session()
            return True
        if watched is self.set_list:
            if key == Qt.Key.Key_Left:
                self.session_list.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
            if key == Qt.Key.Key_Delete:
                self.delete_selected()
                return True
        return super().eventFilter(watched, event)

    def event(self, event: QEvent) -> bool:
        """Claim Ctrl+Z while focus is here, so a window-wide Undo shortcut does not also
        fire (two shortcuts on one key cancel each other) and this list refreshes."""
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.matches(QKeySequence.StandardKey.Undo)):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo()
            return
        super().keyPressEvent(event)

