"""Import workouts from Strong, Hevy or a legcoach CSV, and export the log, from the window.

Import is choose → (unit, if the file doesn't say) → preview → import, because an import adds
years of sets at once: the lifter checks first what the file holds, where each exercise name
goes (a library exercise, a custom exercise of its own, or nowhere) and which rows are skipped
and why. Nothing is written before "Import N sets", and then only through the `apply` callback,
so this dialog never touches storage; a file that can't be read shows its line and imports
nothing. Importing the same file again adds nothing twice (the core derives set ids from the
file's content).

Parsing runs off the GUI thread: `parse_import` takes about 0.2 ms a row, so a Strong export of
a few years takes seconds, and the window (a rest timer, say) must keep painting meanwhile.
Every change of an exercise's destination parses again, so the counts and warnings shown are
always exactly what "Import" will add.

Export ("Export CSV…", "Export JSON backup…") renders with `legcoach.core.exporters` and writes
through a `write(path, bytes)` callback (the app passes its atomic writer).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Final

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QLabel,
    QListView,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from legcoach.core.exercise import Exercise
from legcoach.core.exporters import export_csv, export_json
from legcoach.core.importers import (
    ImportFileError,
    ImportPreview,
    ImportResult,
    MissingUnitError,
    custom_exercise_id,
    parse_import,
)
from legcoach.core.setlog import LoadUnit
from legcoach.core.setstore import StoreError
from legcoach.core.workspace import Workspace
from legcoach.ui import themes
from legcoach.ui.routine_editor import editor_style
from legcoach.ui.widgets import Segmented, action_row, button, label

__all__ = [
    "CSV_EXPORT",
    "JSON_BACKUP",
    "ExportFormat",
    "ImportDialog",
    "export_log",
]

KEEP_CUSTOM: Final = "\x00custom"  # combo data: not an exercise id (ids can't hold NUL)
DONT_IMPORT: Final = "\x00skip"
WARNINGS_SHOWN: Final = 200  # more is a scroll nobody reads; the count says how many there are
FILE_FILTER: Final = "Workout exports (*.csv *.txt);;All files (*)"
NARROW: Final = 720  # px of dialog width below which the preview's buttons take two rows

EXTRA_STYLE: Final = """
QComboBox QAbstractItemView::item { min-height: 48px; padding: 0 10px; }
QLabel[role="name"] { font-size: 21px; font-weight: 600; }
QLabel[role="line"] { font-size: 28px; font-weight: 700; }
"""


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _day(moment: datetime, tz: tzinfo | None) -> str:
    local = moment.astimezone(tz)
    return f"{local.day} {local:%b %Y}"


def preview_facts(preview: ImportPreview, tz: tzinfo | None = None) -> str:
    """The file at a glance: format and unit, then workouts, sets and dates."""
    head = preview.layout
    if preview.unit is not None:
        head += f" · weights in {preview.unit.value}"
    facts = [_plural(len(preview.sessions), "workout"),
             f"{_plural(len(preview.sets), 'set')} to import"]
    if preview.date_range is not None:
        first, last = (_day(moment, tz) for moment in preview.date_range)
        facts.append(first if first == last else f"{first} – {last}")
    return head + "\n" + " · ".join(facts)


def done_text(result: ImportResult) -> str:
    already = result.skipped_existing
    return (f"Added {_plural(result.added, 'set')} ({already:,} "
            f"{'was' if already == 1 else 'were'} already in the log).")


class _Relay(QObject):
    """Carries a parse result from the worker thread to the dialog, on the GUI thread.

    Not parented to the dialog: the worker holds it too, so it outlives a dialog closed
    mid-parse (Qt then drops the connection and the late result goes nowhere).
    """

    parsed = Signal(int, object)


@dataclass
class _Row:
    """One exercise name of the file: its count label and (foreign files) its combo."""

    count: QLabel
    combo: QComboBox | None


class ImportDialog(QDialog):
    """Choose a file, check the preview, import. `imported(result, mapping)` on success.

    `apply(preview) -> ImportResult` writes the sets (the dialog never touches storage);
    `remembered`: the exercise mapping of earlier imports (name → id, None = don't import);
    after an import, `chosen_mapping()` (also sent with `imported`) is this file's, to
    remember for the next one.
    """

    imported = Signal(object, dict)

    PAGES: Final = ("start", "busy", "unit", "error", "preview", "done")

    def __init__(self, library: Iterable[Exercise],
                 apply: Callable[[ImportPreview], ImportResult], *,
                 remembered: Mapping[str, str | None] | None = None,
                 now: Callable[[], datetime] | None = None, tz: tzinfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exercises = sorted(library, key=lambda exercise: exercise.name.casefold())
        self._names = {exercise.id: exercise.name for exercise in self.exercises}
        self._apply = apply
        self.remembered = dict(remembered or {})
        self._now = now or (lambda: datetime.now(UTC))
        self.tz = tz
        self.path: Path | None = None
        self.data = b""
        self.unit: LoadUnit | None = None
        self.choices: dict[str, str | None] = {}
        self.preview: ImportPreview | None = None
        self.result: ImportResult | None = None
        self._generation = self._parsed_generation = 0  # parse requests made / answered
        self._rows: dict[str, _Row] = {}
        self._cells: list[tuple[QLabel, QLabel, QComboBox | None]] = []
        self._grid_narrow: bool | None = None  # how the exercise rows are arranged now
        self._relay = _Relay()
        self._relay.parsed.connect(self._parsed)

        self.setWindowTitle("Import workouts")
        self.setAccessibleName("Import workouts")
        themes.follow_look(self, lambda look: editor_style(look) + EXTRA_STYLE)
        self.setMinimumSize(540, 440)
        self.pages = QStackedWidget()
        for build in (self._start_page, self._busy_page, self._unit_page, self._error_page,
                      self._preview_page, self._done_page):
            self.pages.addWidget(build())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        outer.addWidget(self.pages)
        for widget in self.findChildren(QPushButton):
            widget.setAutoDefault(False)  # Enter must never import by accident

    # --- pages ------------------------------------------------------------------------------

    @staticmethod
    def _page(title: str | QWidget) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addWidget(label(title, "h2", wrap=True) if isinstance(title, str) else title)
        return page, layout

    def _start_page(self) -> QWidget:
        page, layout = self._page("Import workouts")
        text = label("A workout export of Strong or Hevy (CSV), or a legcoach CSV export. You "
                     "see what the file holds before anything is added, and importing a file "
                     "again never adds a set twice.", wrap=True)
        layout.addWidget(text)
        layout.addStretch(1)
        choose = button("Choose file…", role="primary", accessible="Choose a file to import")
        choose.clicked.connect(self.choose_file)
        cancel = button("Cancel", accessible="Cancel the import")
        cancel.clicked.connect(self.reject)
        layout.addLayout(action_row((choose, 2), (cancel, 1)))
        return page

    def _busy_page(self) -> QWidget:
        page, layout = self._page("Reading the file…")
        self.busy_label = label("", "dim", wrap=True)
        layout.addWidget(self.busy_label)
        progress = QProgressBar()
        progress.setRange(0, 0)  # a moving bar: the parser does not report progress
        progress.setTextVisible(False)
        layout.addWidget(progress)
        layout.addStretch(1)
        return page

    def _unit_page(self) -> QWidget:
        page, layout = self._page("Kilograms or pounds?")
        layout.addWidget(label("This Strong export doesn't say which unit its weights are "
                               "in. Choose the one your Strong app uses:", wrap=True))
        self.unit_choice = Segmented([("kg", LoadUnit.KG), ("lb", LoadUnit.LB)],
                                     name="Weight unit")
        layout.addWidget(self.unit_choice)
        layout.addStretch(1)
        self.unit_button = button("Continue", role="primary", accessible="Continue with this unit")
        self.unit_button.clicked.connect(lambda: self.set_unit(self.unit_choice.value()))
        self.unit_choice.changed.connect(lambda unit: self.unit_button.setEnabled(bool(unit)))
        other = button("Choose another file", accessible="Choose another file")
        other.clicked.connect(self.choose_file)
        layout.addLayout(action_row((self.unit_button, 2), (other, 2)))
        return page

    def _error_page(self) -> QWidget:
        self.error_title = label("", "h2", wrap=True)
        page, layout = self._page(self.error_title)
        self.error_line = label("", "line")
        self.error_line.setAccessibleName("Line of the problem")
        self.error_reason = label("", wrap=True)
        self.error_reason.setAccessibleName("Problem")
        self.error_reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.error_line)
        layout.addWidget(self.error_reason)
        nothing = label("Nothing was imported.", "warning")
        layout.addWidget(nothing)
        layout.addStretch(1)
        other = button("Choose another file", role="primary", accessible="Choose another file")
        other.clicked.connect(self.choose_file)
        close = button("Close", accessible="Close the import")
        close.clicked.connect(self.reject)
        layout.addLayout(action_row((other, 2), (close, 1)))
        return page

    def _preview_page(self) -> QWidget:
        self.file_label = label("", "h2", wrap=True)
        page, layout = self._page(self.file_label)
        self.facts_label = label("", wrap=True)
        self.facts_label.setAccessibleName("What the file holds")
        layout.addWidget(self.facts_label)

        body = QWidget()
        body.setObjectName("previewBody")
        body.setStyleSheet("QWidget#previewBody { background: transparent; }")
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 12, 0)
        body_layout.setSpacing(10)
        body_layout.addWidget(label("Exercises", "h2"))
        self.exercise_grid = QGridLayout()
        self.exercise_grid.setHorizontalSpacing(16)
        self.exercise_grid.setVerticalSpacing(10)
        self.exercise_grid.setColumnStretch(0, 3)  # names and their destinations share the width
        self.exercise_grid.setColumnStretch(1, 2)
        body_layout.addLayout(self.exercise_grid)
        self.left_out_label = label("", "hint", wrap=True)
        body_layout.addWidget(self.left_out_label)
        self.warnings_title = label("", "h2")
        body_layout.addWidget(self.warnings_title)
        self.warnings_label = label("", "warning", wrap=True)
        self.warnings_label.setAccessibleName("Warnings")
        self.warnings_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body_layout.addWidget(self.warnings_label)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)

        self.apply_error = label("", "error", wrap=True)
        self.apply_error.setAccessibleName("Problem")
        self.apply_error.hide()
        layout.addWidget(self.apply_error)
        self.import_button = button("Import", role="primary", accessible="Import the sets")
        self.import_button.clicked.connect(self.import_now)
        self.other_button = button("Other file…", accessible="Choose another file")
        self.other_button.clicked.connect(self.choose_file)
        self.cancel_button = button("Cancel", accessible="Cancel the import")
        self.cancel_button.clicked.connect(self.reject)
        self.actions = QGridLayout()
        self.actions.setSpacing(14)
        layout.addLayout(self.actions)
        self._arrange_actions()
        return page

    def _arrange_actions(self) -> None:
        """One row of buttons; on a narrow (portrait) screen "Import N sets" gets a row of its
        own, so its count is never cut off."""
        narrow = self.width() < NARROW
        for widget in (self.import_button, self.other_button, self.cancel_button):
            self.actions.removeWidget(widget)
        self.actions.addWidget(self.import_button, 0, 0, 1, 2 if narrow else 1)
        self.actions.addWidget(self.other_button, 1 if narrow else 0, 0 if narrow else 1)
        self.actions.addWidget(self.cancel_button, 1 if narrow else 0, 1 if narrow else 2)
        for column, stretch in enumerate((1, 1, 0) if narrow else (3, 2, 2)):
            self.actions.setColumnStretch(column, stretch)

    def _done_page(self) -> QWidget:
        page, layout = self._page("Imported")
        self.done_label = label("", "coach", wrap=True)
        self.done_label.setAccessibleName("Result")
        layout.addWidget(self.done_label)
        layout.addStretch(1)
        done = button("Done", role="primary", accessible="Close the import")
        done.clicked.connect(self.accept)
        layout.addLayout(action_row((done, 1)))
        return page

    def page(self) -> str:
        """The page on show ("start", "busy", "unit", "error", "preview", "done")."""
        return self.PAGES[self.pages.currentIndex()]

    def _show_page(self, name: str) -> None:
        self.pages.setCurrentIndex(self.PAGES.index(name))

    def showEvent(self, event: QShowEvent) -> None:
        """As big as the window allows, so the preview reads at a glance on a small tablet."""
        parent = self.parentWidget()
        if parent is not None:
            room = parent.window().size()
            self.resize(max(self.minimumWidth(), min(960, room.width() - 32)),
                        max(self.minimumHeight(), min(760, room.height() - 32)))
        super().showEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange_actions()
        self._arrange_grid()

    # --- reading the file -------------------------------------------------------------------

    def choose_file(self) -> None:
        """The system's file chooser; tests call `open_path` instead."""
        chosen, _ = QFileDialog.getOpenFileName(self, "Import workouts", str(Path.home()),
                                                FILE_FILTER)
        if chosen:
            self.open_path(Path(chosen))

    def open_path(self, path: Path | str) -> None:
        """Read `path` and start the preview (parsed in the background)."""
        self.path = Path(path)
        self.unit = None
        self.choices = {}
        self.preview = None
        self._rows = {}
        self._generation += 1  # a parse of the previous file still running is now stale
        self._parsed_generation = self._generation
        try:
            self.data = self.path.read_bytes()
        except OSError as error:
            self._show_error(f"Can't read {self.path.name}", None,
                             f"{error.strerror or error}.")
            return
        self._parse(busy=True)

    def set_unit(self, unit: object) -> None:
        """The lifter's answer for a Strong export without a unit."""
        if isinstance(unit, LoadUnit):
            self.unit = unit
            self._parse(busy=True)

    def _mapping(self) -> dict[str, str | None]:
        return {**self.remembered, **self.choices}

    def _parse(self, *, busy: bool) -> None:
        """Parse again with the current unit and mapping; older results are ignored."""
        self._generation += 1
        generation, relay = self._generation, self._relay
        data, unit, mapping, now = self.data, self.unit, self._mapping(), self._now()
        tz = self.tz
        if busy:
            assert self.path is not None
            self.busy_label.setText(f"Reading {self.path.name}…")
            self._show_page("busy")
        self._update_import_button()

        def work() -> None:
            try:
                outcome: object = parse_import(data, tz=tz, unit=unit, mapping=mapping, now=now)
            except Exception as error:  # shown to the lifter; nothing is imported
                outcome = error
            relay.parsed.emit(generation, outcome)

        threading.Thread(target=work, name="legcoach-import-parse", daemon=True).start()

    @property
    def parsing(self) -> bool:
        return self._parsed_generation != self._generation

    def _parsed(self, generation: int, outcome: object) -> None:
        if generation != self._generation:
            return  # the lifter changed something meanwhile; a newer parse is on its way
        self._parsed_generation = generation
        assert self.path is not None
        if isinstance(outcome, MissingUnitError):
            self.unit_choice.set_value(None)
            self.unit_button.setEnabled(False)
            self._show_page("unit")
        elif isinstance(outcome, ImportFileError):
            self._show_error(f"Can't import {self.path.name}", outcome.line, outcome.reason)
        elif isinstance(outcome, ImportPreview):
            self._show_preview(outcome)
        else:
            self._show_error(f"Can't import {self.path.name}", None,
                             f"legcoach could not read it ({outcome}).")

    def _show_error(self, title: str, line: int | None, reason: str) -> None:
        self.error_title.setText(title)
        self.error_line.setText(f"Line {line}" if line is not None else "")
        self.error_line.setVisible(line is not None)
        self.error_reason.setText(reason[:1].upper() + reason[1:])
        self._show_page("error")

    # --- the preview ------------------------------------------------------------------------

    @property
    def foreign(self) -> bool:
        """Strong or Hevy: names to map. A legcoach CSV names library ids already."""
        return self.preview is not None and self.preview.source != "legcoach"

    def _show_preview(self, preview: ImportPreview) -> None:
        self.preview = preview
        assert self.path is not None
        if list(self._rows) != list(preview.exercise_map):
            self._build_rows(preview)
            if self.foreign and self._mapping_from_rows() != dict(preview.exercise_map):
                self.choices = self._mapping_from_rows()  # e.g. an id no longer in the library
                self._parse(busy=False)
        self.file_label.setText(self.path.name)
        self.facts_label.setText(preview_facts(preview, self.tz))
        for name, row in self._rows.items():
            row.count.setText(self._count_text(preview.exercise_counts.get(name, 0)))
        notes = []
        if preview.left_out:
            notes.append(f"{_plural(preview.left_out, 'set')} of exercises set to "
                         "“Don't import” will be left out.")
        if preview.ignored_rows:
            notes.append(f"{_plural(preview.ignored_rows, 'rest timer or note row')} "
                         "are not sets and are skipped.")
        self.left_out_label.setText("\n".join(notes))
        self.left_out_label.setVisible(bool(notes))
        warnings = preview.warnings
        self.warnings_title.setText(_plural(len(warnings), "warning"))
        lines = [str(warning) for warning in warnings[:WARNINGS_SHOWN]]
        if len(warnings) > WARNINGS_SHOWN:
            lines.append(f"… and {len(warnings) - WARNINGS_SHOWN:,} more.")
        self.warnings_label.setText("\n".join(lines))
        for widget in (self.warnings_title, self.warnings_label):
            widget.setVisible(bool(warnings))
        self.apply_error.hide()
        self._update_import_button()
        if self.page() != "preview":
            self._show_page("preview")
            self.import_button.setFocus(Qt.FocusReason.OtherFocusReason)

    @staticmethod
    def _count_text(count: int) -> str:
        return _plural(count, "set") if count else "no sets with a weight and reps"

    def _build_rows(self, preview: ImportPreview) -> None:
        while self.exercise_grid.count():
            item = self.exercise_grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._rows = {}
        self._cells = []
        for name, target in preview.exercise_map.items():
            shown = name if self.foreign else self._names.get(name, name)
            name_label = label(shown, "name", wrap=True)
            count = label("", "dim")
            combo = None
            if self.foreign and preview.exercise_counts.get(name, 0):
                combo = self._combo(name, target)
            self._cells.append((name_label, count, combo))
            self._rows[name] = _Row(count, combo)
        self._grid_narrow: bool | None = None
        self._arrange_grid()

    def _arrange_grid(self) -> None:
        """Each name with its destination beside it; on a narrow (portrait) screen the
        destination goes below the name, so neither is cut off."""
        narrow = self.width() < NARROW
        cells = self._cells
        if narrow == self._grid_narrow or not cells:
            return
        self._grid_narrow = narrow
        for cell in cells:
            for widget in cell:
                if widget is not None:
                    self.exercise_grid.removeWidget(widget)
        for number, (name_label, count, combo) in enumerate(cells):
            top = 3 * number if narrow else 2 * number
            self.exercise_grid.addWidget(name_label, top, 0, 1, 2 if narrow else 1)
            self.exercise_grid.addWidget(count, top + 1, 0, 1, 2 if narrow else 1)
            if combo is not None:
                if narrow:
                    self.exercise_grid.addWidget(combo, top + 2, 0, 1, 2)
                else:
                    self.exercise_grid.addWidget(combo, top, 1, 2, 1,
                                                 Qt.AlignmentFlag.AlignVCenter)

    def _combo(self, name: str, target: str | None) -> QComboBox:
        combo = QComboBox()
        combo.setView(QListView())  # a plain list view honours the item height of the style
        combo.setAccessibleName(f"Import {name} as")
        combo.setMinimumHeight(56)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(18)  # narrow screens: the popup still shows full names
        for exercise in self.exercises:
            combo.addItem(exercise.name, exercise.id)
        combo.insertSeparator(combo.count())
        combo.addItem("Keep as custom exercise", KEEP_CUSTOM)
        combo.addItem("Don't import", DONT_IMPORT)
        if target is None or target not in self._names:
            wanted = KEEP_CUSTOM if target is not None and target.startswith("custom:") \
                else DONT_IMPORT
        else:
            wanted = target
        combo.setCurrentIndex(combo.findData(wanted))
        combo.currentIndexChanged.connect(lambda _=0, n=name: self._choice_changed(n))
        return combo

    @staticmethod
    def _target(name: str, data: str) -> str | None:
        if data == KEEP_CUSTOM:
            return custom_exercise_id(name)
        return None if data == DONT_IMPORT else data

    def _mapping_from_rows(self) -> dict[str, str | None]:
        """Name → destination as the combos show it (names without sets keep the file's)."""
        assert self.preview is not None
        mapping = dict(self.preview.exercise_map)
        for name, row in self._rows.items():
            if row.combo is not None:
                mapping[name] = self._target(name, row.combo.currentData())
        return mapping

    def _choice_changed(self, name: str) -> None:
        combo = self._rows[name].combo
        assert combo is not None
        self.choices[name] = self._target(name, combo.currentData())
        self._parse(busy=False)

    def choose(self, name: str, target: str | None, *, custom: bool = False) -> None:
        """Set where `name` goes, as the combo would (tests and keyboard-free scripts)."""
        combo = self._rows[name].combo
        assert combo is not None, f"{name!r} has no choice to make"
        data = KEEP_CUSTOM if custom else DONT_IMPORT if target is None else target
        combo.setCurrentIndex(combo.findData(data))

    def chosen_mapping(self) -> dict[str, str | None]:
        """This file's exercise names → library id, custom id, or None (don't import)."""
        if not self.foreign:
            return {}
        return {name: target for name, target in self._mapping_from_rows().items()
                if self._rows[name].combo is not None}

    def _update_import_button(self) -> None:
        preview = self.preview
        if self.parsing:
            text, enabled = "Updating…", False
        elif preview is None or not preview.sets:
            text, enabled = "Nothing to import", False
        else:
            text, enabled = f"Import {_plural(len(preview.sets), 'set')}", True
        self.import_button.setText(text)
        self.import_button.setAccessibleName(text)
        self.import_button.setEnabled(enabled)

    # --- importing --------------------------------------------------------------------------

    def import_now(self) -> None:
        """Apply the preview on show (it matches the choices: the button waits for that)."""
        preview = self.preview
        if preview is None or self.parsing or not preview.sets:
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = self._apply(preview)
        except (OSError, StoreError) as error:
            why = error.strerror if isinstance(error, OSError) and error.strerror else error
            self.apply_error.setText(f"Could not import: {why}. The sets added before the "
                                     "problem are kept; importing again adds the rest, never "
                                     "a set twice.")
            self.apply_error.show()
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.result = result
        self.done_label.setText(done_text(result))
        self._show_page("done")
        self.imported.emit(result, self.chosen_mapping())


# --- export -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFormat:
    title: str
    file_filter: str
    suffix: str
    stem: str


CSV_EXPORT: Final = ExportFormat("Export CSV", "CSV spreadsheet (*.csv)", ".csv", "legcoach")
JSON_BACKUP: Final = ExportFormat("Export JSON backup", "legcoach backup (*.json)", ".json",
                                  "legcoach-backup")


def ask_export_path(parent: QWidget | None, fmt: ExportFormat, today: datetime) -> Path | None:
    """The system's save dialog, proposing legcoach-YYYY-MM-DD.csv (or .json) at home."""
    proposal = Path.home() / f"{fmt.stem}-{today.astimezone():%Y-%m-%d}{fmt.suffix}"
    chosen, _ = QFileDialog.getSaveFileName(parent, fmt.title, str(proposal), fmt.file_filter)
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == fmt.suffix else path.with_name(path.name + fmt.suffix)


def export_log(parent: QWidget | None, fmt: ExportFormat, workspace: Workspace,
               write: Callable[[Path, bytes], None], *, documents: Sequence[str] = (),
               path: Path | None = None) -> str | None:
    """Write the whole log to a file; the message for the lifter, or None if cancelled.

    `documents`: the names of the JSON documents a backup carries (the CLI's list);
    `path`: skip the save dialog (tests). The CSV starts with a byte-order mark so a
    spreadsheet opens "45°" as UTF-8; legcoach's own import reads it either way.
    """
    if path is None:
        path = ask_export_path(parent, fmt, workspace.now())
        if path is None:
            return None
    records = workspace.sets.store.query()
    if fmt is CSV_EXPORT:
        data = export_csv(records, workspace.exercise_names()).encode("utf-8-sig")
    else:
        kept = {name: doc for name in documents
                if (doc := workspace.documents.load(name)) is not None}
        data = export_json(records, kept).encode("utf-8")
    try:
        write(path, data)
    except OSError as error:
        return f"Could not write {path.name} ({error.strerror or error}); nothing was changed."
    return f"Wrote {_plural(len(records), 'set')} to {path}."
