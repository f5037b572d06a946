"""The settings screen, built from the declaration table, and the plate calculator.

Nothing here lists settings by hand: every row comes from `legcoach.core.settings.DECLARATIONS`
and its kind picks the control (a row of big buttons for a choice, −/+ for a number, an on/off
button, a text field, plate chips). Each change is checked by the core (`Settings.set`), shown
next to its control when it is refused, and otherwise announced at once with
`changed(key, value)` so the caller saves and applies it: there is no Save button to forget.
Loads are stored in kg and shown and typed in the lifter's unit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any, Final

import shiboken6
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from legcoach.core.plates import PlateLoad, in_unit, plates_per_side
from legcoach.core.records import format_number
from legcoach.core.setlog import MAX_LOAD_KG, LoadUnit, from_kg
from legcoach.core.settings import (
    UNIT,
    Group,
    Kind,
    Setting,
    SettingError,
    Settings,
    groups,
)
from legcoach.ui import themes
from legcoach.ui.log_form import StepperField
from legcoach.ui.theme import fitted_font
from legcoach.ui.widgets import Segmented, button, label

__all__ = ["PlateCalculator", "SettingsView"]

Machines = Sequence[tuple[str, str]]
"""(exercise id, name) of the machines to offer a sled weight for, in screen order."""

PLATE_CHOICES: Final = {
    LoadUnit.KG: ("50", "25", "20", "15", "10", "5", "2.5", "1.25", "0.5"),
    LoadUnit.LB: ("45", "35", "25", "10", "5", "2.5"),
}
"""Plate sizes offered as chips; other sizes can be added by typing them."""
TYPED_DIGITS: Final = 12
NARROW: Final = 900
"""Below this width (a portrait tablet) each setting's control goes under its text."""
"""Typed numbers past 10¹² are not loads or seconds anyone means: asked to type again."""


def _parse(text: str) -> Decimal | None:
    """A typed number ("2,5" too), or None; "1e9999999" is None too, as arithmetic on it
    would overflow rather than be refused in words."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() and value.adjusted() <= TYPED_DIGITS else None


def _shown(value: float | Decimal) -> str:
    return format_number(value, 2)


def _to_kg(number: Decimal, unit: LoadUnit) -> float:
    """A typed load as stored kg; the core rounds it to its grid and checks the bounds."""
    return float(number * LoadUnit(unit).kg_factor)


# --- one control per kind -----------------------------------------------------------------


class _Editor(QWidget):
    """A control for one value: `edited` carries a candidate in the *stored* form, `unparsable`
    a message when the typed text isn't a value at all."""

    edited = Signal(object)
    unparsable = Signal(str)

    def show_value(self, value: Any, unit: LoadUnit) -> None:
        raise NotImplementedError


class _ChoiceEditor(_Editor):
    def __init__(self, setting: Setting[Any]) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.segmented = Segmented([(text, value) for value, text in setting.choices],
                                   name=setting.label)
        self.segmented.changed.connect(self.edited.emit)
        layout.addWidget(self.segmented)

    def show_value(self, value: Any, unit: LoadUnit) -> None:
        self.segmented.set_value(value)


class _ToggleEditor(_Editor):
    """One big button that reads "On" or "Off": the whole row is the target, not a tiny box."""

    def __init__(self, setting: Setting[Any]) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.button = button("", accessible=setting.label, min_height=56)
        self.button.setCheckable(True)
        self.button.setProperty("role", "segment")
        self.button.setMinimumWidth(160)
        self.button.clicked.connect(lambda on: self.edited.emit(on))
        layout.addWidget(self.button)
        layout.addStretch(1)

    def show_value(self, value: Any, unit: LoadUnit) -> None:
        self.button.setChecked(bool(value))
        self.button.setText("On" if value else "Off")


class _NumberEditor(_Editor):
    """−/+ steps within the bounds, or type a value; loads in the lifter's unit."""

    def __init__(self, setting: Setting[Any], name: str | None = None) -> None:
        super().__init__()
        self.setting = setting
        self.unit = LoadUnit.KG
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.field = StepperField(name or setting.label, self._step)
        self.unit_label = label("", "dim")
        layout.addWidget(self.field)
        layout.addWidget(self.unit_label)
        layout.addStretch(1)
        self._text = self._valid = ""  # as shown; the last value the core accepted
        for step_button in (self.field.minus, self.field.plus):  # runs after the field's bump
            step_button.clicked.connect(lambda: self._commit(stepped=True))
        self.field.edit.editingFinished.connect(self._commit)

    def _step(self) -> Decimal:
        s = self.setting
        if s.is_load and self.unit is LoadUnit.LB and s.step_lb is not None:
            return Decimal(repr(s.step_lb))
        return Decimal(repr(s.step or 1)) * Decimal(repr(s.display_scale))

    def _bounds(self) -> tuple[Decimal | None, Decimal | None]:
        """Bounds as shown, rounded inwards so a shown bound converts back inside."""
        s, grid = self.setting, Decimal("0.01")

        def shown(value: float | None, rounding: str) -> Decimal | None:
            if value is None:
                return None
            return Decimal(repr(s.shown(value, self.unit))).quantize(grid, rounding)

        return shown(s.minimum, ROUND_CEILING), shown(s.maximum, ROUND_FLOOR)

    def show_value(self, value: Any, unit: LoadUnit) -> None:
        self.unit = unit
        self._text = self._valid = _shown(self.setting.shown(value, unit))
        self.field.set_text(self._text)
        self.unit_label.setText(self.setting.unit_text(unit).strip())
        low, high = self._bounds()
        number = _parse(self._text)
        self.field.minus.setEnabled(low is None or number is None or number > low)
        self.field.plus.setEnabled(high is None or number is None or number < high)

    def _commit(self, *, stepped: bool = False) -> None:
        text = self.field.text()
        if text == self._text:
            return
        number = _parse(text)
        if number is None:  # back to what applies, so −/+ step from a number again
            self.field.set_text(self._valid)
            self._text = self._valid
            self.unparsable.emit(f"Type a number, like {self._valid}.")
            return
        low, high = self._bounds()
        if stepped:  # a step stops at the bounds; a typed value out of them is explained
            number = max(low, number) if low is not None else number
            number = min(high, number) if high is not None else number
        self.edited.emit(self._stored(number))

    def _stored(self, number: Decimal) -> float:
        s = self.setting
        return _to_kg(number, self.unit) if s.is_load else float(number) / s.display_scale


class _TextEditor(_Editor):
    def __init__(self, setting: Setting[Any]) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setAccessibleName(setting.label)
        self.edit.setPlaceholderText("not set")
        self.edit.setMinimumHeight(60)
        self.edit.editingFinished.connect(lambda: self.edited.emit(self.edit.text()))
        layout.addWidget(self.edit)

    def show_value(self, value: Any, unit: LoadUnit) -> None:
        self.edit.setText(value)


class _PlateSizesEditor(_Editor):
    """Chips for the usual plates of the unit plus any stored size; type to add another."""

    def __init__(self, setting: Setting[Any]) -> None:
        super().__init__()
        self.setting = setting
        self.unit = LoadUnit.KG
        self.chips: dict[Decimal, QPushButton] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.grid = QGridLayout()
        self.grid.setSpacing(8)
        outer.addLayout(self.grid)
        add_row = QHBoxLayout()
        self.other = QLineEdit()
        self.other.setAccessibleName("Other plate size")
        self.other.setPlaceholderText("other size")
        self.other.setMinimumHeight(56)
        self.other.setMaximumWidth(200)
        self.add_button = button("Add", accessible="Add plate size", min_height=56)
        self.other.returnPressed.connect(self._add)
        self.add_button.clicked.connect(self._add)
        add_row.addWidget(self.other)
        add_row.addWidget(self.add_button)
        add_row.addStretch(1)
        outer.addLayout(add_row)

    def show_value(self, value: Any, unit: LoadUnit) -> None:
        self.unit = unit
        self.other.setPlaceholderText(f"other size, {unit.value}")
        chosen = set(in_unit(value, unit))
        sizes = sorted(chosen | {Decimal(v) for v in PLATE_CHOICES[unit]}, reverse=True)
        for chip in self.chips.values():
            self.grid.removeWidget(chip)
            chip.deleteLater()
        self.chips = {}
        for index, size in enumerate(sizes):
            chip = button(_shown(size), accessible=f"Plate {_shown(size)} {unit.value}",
                          min_height=56)
            chip.setProperty("role", "segment")
            chip.setCheckable(True)
            chip.setChecked(size in chosen)
            chip.clicked.connect(self._toggled)
            self.grid.addWidget(chip, index // 5, index % 5)  # 5 a row: fits a portrait tablet
            self.chips[size] = chip

    def _kg(self, sizes: list[Decimal]) -> list[float]:
        return [_to_kg(size, self.unit) for size in sizes]

    def _toggled(self) -> None:
        self.edited.emit(self._kg([s for s, chip in self.chips.items() if chip.isChecked()]))

    def _add(self) -> None:
        size = _parse(self.other.text())
        if size is None:
            self.unparsable.emit(f"Type a plate size in {self.unit.value}, like 2.5.")
            return
        self.other.clear()
        chosen = [s for s, chip in self.chips.items() if chip.isChecked()]
        self.edited.emit(self._kg([*chosen, size]))


def _editor_for(setting: Setting[Any]) -> _Editor:
    editors: dict[Kind, Callable[[Setting[Any]], _Editor]] = {
        Kind.CHOICE: _ChoiceEditor, Kind.BOOL: _ToggleEditor, Kind.INT: _NumberEditor,
        Kind.NUMBER: _NumberEditor, Kind.TEXT: _TextEditor, Kind.LOAD_LIST: _PlateSizesEditor,
    }
    return editors[setting.kind](setting)


# --- rows ----------------------------------------------------------------------------------


class _Row:
    """One value on the screen: title, description, control, Reset and its message.

    `read`/`write`/`forget` reach the value, so a machine's sled weight (one entry of a table)
    uses the same row as a whole setting.
    """

    def __init__(self, view: SettingsView, setting: Setting[Any], editor: _Editor, *,
                 title: str, description: str, read: Callable[[], Any],
                 write: Callable[[Any, LoadUnit], Any], forget: Callable[[], None],
                 is_default: Callable[[], bool], entry: str = "") -> None:
        self.view, self.setting, self.editor = view, setting, editor
        self._entry = f"{entry}: " if entry else ""  # the row's title already names it
        self._read, self._write, self._forget, self._is_default = read, write, forget, is_default
        self.title = label(f"<b>{title}</b>", wrap=True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.description = label(description, "dim", wrap=True)
        self.reset_button = button("Reset", accessible=f"Reset {title} to default",
                                   min_height=56)
        self.message = label("", "error", wrap=True)
        self.message.setAccessibleName(f"{title}: problem")
        self.message.hide()
        self.text_box = QWidget()  # title and description, moved as one when rows reflow
        self.text_box.setStyleSheet("background: transparent;")  # the card shows through
        text = QVBoxLayout(self.text_box)
        text.setContentsMargins(0, 0, 0, 0)
        text.setSpacing(2)
        text.addWidget(self.title)
        if description:
            text.addWidget(self.description)
        else:
            self.description.hide()
        text.addStretch(1)
        editor.edited.connect(self._edited)
        editor.unparsable.connect(self._show_message)
        self.reset_button.clicked.connect(self._reset)

    def place(self, grid: QGridLayout, *, narrow: bool = False) -> None:
        """Text | control | Reset on a wide screen; on a narrow one the text takes the
        whole width and the control and Reset go below it."""
        row = grid.rowCount()
        top = Qt.AlignmentFlag.AlignTop
        if narrow:
            grid.addWidget(self.text_box, row, 0, 1, 3)
            grid.addWidget(self.editor, row + 1, 0, 1, 2, top)
            grid.addWidget(self.reset_button, row + 1, 2, top)
            grid.addWidget(self.message, row + 2, 0, 1, 3)
            return
        grid.addWidget(self.text_box, row, 0)
        grid.addWidget(self.editor, row, 1, top)  # level with the title
        grid.addWidget(self.reset_button, row, 2, top)
        grid.addWidget(self.message, row + 1, 1, 1, 2)

    def render(self) -> None:
        self.editor.show_value(self._read(), self.view.settings.unit)
        self.reset_button.setEnabled(not self._is_default())

    def _edited(self, candidate: object) -> None:
        before = self._read()
        try:
            self._write(candidate, self.view.settings.unit)
        except SettingError as error:
            self.render()  # the control shows what still applies; the message says why
            reason = error.reason.removeprefix(self._entry)
            self._show_message(reason[:1].upper() + reason[1:])
            return
        self._show_message("")
        self.render()
        if self._read() != before:
            self.view.announce(self.setting)

    def _reset(self) -> None:
        self._forget()
        self._show_message("")
        self.render()
        self.view.announce(self.setting)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))


class SettingsView(QWidget):
    """Every setting in its section, applied and announced as soon as it changes.

    `changed(key, value)`: save the settings and apply the value (theme, sound, …).
    """

    changed = Signal(str, object)

    def __init__(self, settings: Settings, machines: Machines = (),
                 extras: Sequence[tuple[str, QWidget]] = (),
                 parent: QWidget | None = None) -> None:
        """`extras`: (title, widget) sections shown after the settings, e.g. data tools."""
        super().__init__(parent)
        self.settings = settings
        self.rows: dict[str, _Row] = {}
        self.sections: dict[Group | str, QWidget] = {}
        outer = QHBoxLayout(self)
        outer.setContentsMargins(16, 8, 16, 8)
        outer.setSpacing(16)
        # The section buttons scroll on their own when the screen is short (1024×600) and
        # give way on a narrow screen, where the sections are one column to scroll through.
        self.nav_host = QWidget()
        nav = QVBoxLayout(self.nav_host)
        nav.setContentsMargins(0, 0, 0, 0)
        nav.setSpacing(4)
        self.nav: dict[Group | str, QPushButton] = {}
        self.nav_scroll = QScrollArea()
        self.nav_scroll.setWidgetResizable(True)
        self.nav_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.nav_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.nav_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav_scroll.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.nav_scroll.setWidget(self.nav_host)
        outer.addWidget(self.nav_scroll)
        self._cards: list[tuple[QFrame, list[_Row | QWidget]]] = []
        self._narrow: bool | None = None

        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 12, 24)
        column.setSpacing(10)
        self.banner = self._banner()
        if self.banner is not None:
            column.addWidget(self.banner)
        for group, members in groups():
            header = label(group.value, "h2")
            column.addWidget(header)
            self.sections[group] = header
            card = QFrame()
            card.setProperty("role", "card")
            entries: list[_Row | QWidget] = []
            for setting in members:
                if setting.kind is Kind.LOAD_MAP:
                    entries += self._machine_rows(setting, machines)
                else:
                    entries.append(self._add_row(self._setting_row(setting), setting.key))
            self._cards.append((card, entries))
            self._fill_card(card, entries, narrow=False)
            column.addWidget(card)
            nav.addWidget(self._nav_button(group, group.value))
        for title, widget in extras:
            header = label(title, "h2")
            column.addWidget(header)
            self.sections[title] = header
            column.addWidget(widget)
            nav.addWidget(self._nav_button(title, title))
        column.addStretch(1)
        nav.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(body)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(self.scroll, 1)
        self.refresh()

    # --- building ---

    def _nav_button(self, key: Group | str, title: str) -> QPushButton:
        item = button(title, role="nav", accessible=f"Settings: {title}", min_height=56)
        item.setCheckable(True)
        item.clicked.connect(lambda _=False: self.show_section(key))
        self.nav[key] = item
        return item

    def _banner(self) -> QFrame | None:
        lines = list(self.settings.problems)
        if self.settings.read_only and not lines:
            lines.append(f"Changes apply now but are not saved: {self.settings.read_only_reason}.")
        if not lines:
            return None
        frame = QFrame()
        frame.setProperty("role", "banner")
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(16, 10, 16, 10)
        text = label("\n".join(f"• {line}" for line in lines), wrap=True)
        text.setAccessibleName("Settings problems")
        layout.addWidget(text)
        return frame

    def _setting_row(self, setting: Setting[Any]) -> _Row:
        s = self.settings
        return _Row(self, setting, _editor_for(setting), title=setting.label,
                    description=setting.description, read=lambda: s.get(setting),
                    write=lambda value, unit: s.set(setting, value, unit),
                    forget=lambda: s.reset(setting), is_default=lambda: s.is_default(setting))

    def _machine_rows(self, setting: Setting[Any], machines: Machines
                      ) -> list[_Row | QWidget]:
        """One stepper per machine: a table entry behaves like a setting of its own."""
        intro = label(f"<b>{setting.label}</b> · {setting.description}", "dim", wrap=True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        entries: list[_Row | QWidget] = [intro]
        if not machines:
            entries.append(label("No machines in the library.", "dim", wrap=True))
        s = self.settings
        for machine_id, name in machines:
            row = _Row(
                self, setting, _NumberEditor(setting, f"{setting.label}, {name}"),
                title=name, description="",
                read=lambda m=machine_id: s.sled_kg(m),
                write=lambda value, unit, m=machine_id: s.set_sled_kg(m, value, unit),
                forget=lambda m=machine_id: s.set_sled_kg(m, None),
                is_default=lambda m=machine_id: m not in s.get(setting), entry=machine_id)
            entries.append(self._add_row(row, f"{setting.key}/{machine_id}"))
        return entries

    def _add_row(self, row: _Row, key: str) -> _Row:
        self.rows[key] = row
        return row

    def _fill_card(self, card: QFrame, entries: list[_Row | QWidget], *, narrow: bool) -> None:
        """Lay out a card's rows afresh (a new grid: a used one keeps its empty rows)."""
        old = card.layout()
        if old is not None:
            while old.count():
                old.takeAt(0)
            shiboken6.delete(old)
        grid = QGridLayout(card)
        grid.setContentsMargins(20, 14, 20, 14)
        grid.setHorizontalSpacing(20)
        grid.setVerticalSpacing(12)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        for entry in entries:
            if isinstance(entry, _Row):
                entry.place(grid, narrow=narrow)
            else:
                grid.addWidget(entry, grid.rowCount(), 0, 1, 3)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.nav_scroll.setFixedWidth(self.nav_host.sizeHint().width()
                                      + self.nav_scroll.verticalScrollBar().sizeHint().width())
        narrow = self.width() < NARROW
        if narrow != self._narrow:
            self._narrow = narrow
            self.nav_scroll.setVisible(not narrow)
            for card, entries in self._cards:
                self._fill_card(card, entries, narrow=narrow)

    # --- behaviour ---

    def editor(self, key: str) -> _Editor:
        """The control of a setting ("machines.sled_kg/leg-press" for one machine)."""
        return self.rows[key].editor

    def row(self, key: str) -> _Row:
        return self.rows[key]

    def refresh(self) -> None:
        """Show the current values (after a unit change, or settings changed elsewhere)."""
        for row in self.rows.values():
            row.render()

    def announce(self, setting: Setting[Any]) -> None:
        if setting is UNIT:
            self.refresh()  # every load is shown again in the new unit
        self.changed.emit(setting.key, self.settings.get(setting))

    def show_section(self, group: Group | str) -> None:
        for each, item in self.nav.items():
            item.setChecked(each is group)
        self.scroll.verticalScrollBar().setValue(self.sections[group].y())


# --- the plate calculator --------------------------------------------------------------------


class PlateStrip(QWidget):
    """One side's plates as big blocks on a sleeve, heaviest nearest the sled, each labelled
    with its size in type big enough to read from two metres."""

    BLOCK_WIDTH: Final = 104
    GAP: Final = 10
    COLLAR: Final = 16

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plates: tuple[Decimal, ...] = ()
        self.unit = LoadUnit.KG
        self.setMinimumHeight(200)
        self.setMaximumHeight(380)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(800, 320)

    def show_plates(self, plates: tuple[Decimal, ...], unit: LoadUnit) -> None:
        self.plates, self.unit = plates, unit
        sizes = ", ".join(_shown(p) for p in plates) or "none"
        self.setAccessibleName(f"Plates per side: {sizes} {unit.value}")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = themes.current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        middle = rect.center().y()
        painter.fillRect(QRectF(rect.left(), middle - 9, rect.width(), 18), QColor(p.border))
        collar = QRectF(rect.left(), rect.top() + rect.height() * 0.1, self.COLLAR,
                        rect.height() * 0.8)  # where the sled is: the heaviest plate goes here
        painter.fillRect(collar, QColor(p.text_dim))
        if not self.plates:
            painter.end()
            return
        heaviest = max(self.plates)
        count = len(self.plates)
        room = rect.width() - self.COLLAR - self.GAP * (count + 1)
        width = min(self.BLOCK_WIDTH, room / count)
        x = rect.left() + self.COLLAR + self.GAP
        for plate in self.plates:
            height = rect.height() * float(Decimal("0.45") + Decimal("0.55") * plate / heaviest)
            block = QRectF(x, middle - height / 2, width, height)
            painter.setPen(QPen(QColor(p.background), 3))
            painter.setBrush(QColor(p.accent))
            painter.drawRoundedRect(block, 10, 10)
            painter.setPen(QColor(p.accent_text))
            text = _shown(plate)
            painter.setFont(fitted_font(text, 40, width - 10))
            painter.drawText(block, Qt.AlignmentFlag.AlignCenter, text)
            x += width + self.GAP
        painter.end()


class PlateCalculator(QWidget):
    """Target load in the lifter's unit → the plates for each side of the chosen machine.

    Reads unit, plate sizes and sled weights from `settings`; call `refresh()` after they
    change.
    """

    def __init__(self, settings: Settings, machines: Machines = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.result: PlateLoad | None = None
        self.machine: str | None = machines[0][0] if machines else None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(label("Plate calculator", "h2"))
        self.machines = Segmented([(name, machine_id) for machine_id, name in machines],
                                  name="Machine")
        self.machines.set_value(self.machine)
        self.machines.changed.connect(self._machine_chosen)
        self.machines.setVisible(bool(machines))
        layout.addWidget(self.machines)
        target_row = QHBoxLayout()
        target_row.addWidget(label("<b>Target total</b>"))
        self.target = StepperField("Target load", self._step)
        self.unit_label = label("", "dim")
        target_row.addWidget(self.target)
        target_row.addWidget(self.unit_label)
        target_row.addStretch(1)
        layout.addLayout(target_row)
        self.message = label("", "error", wrap=True)
        self.message.hide()
        layout.addWidget(self.message)
        self.summary = label("", "h1", wrap=True)
        self.summary.setAccessibleName("Plates")
        layout.addWidget(self.summary)
        self.detail = label("", "dim", wrap=True)
        layout.addWidget(self.detail)
        layout.addWidget(label("One side (the other is the same):", "dim"))
        self.strip = PlateStrip()
        layout.addWidget(self.strip, 1)
        layout.addStretch(0)  # spare height goes below the strip, not between the lines
        for step_button in (self.target.minus, self.target.plus):
            step_button.clicked.connect(self.refresh)
        self.target.edit.editingFinished.connect(self.refresh)
        self._unit = settings.unit
        self._last_good = ""
        self.set_target(100.0)

    def _plates(self) -> tuple[Decimal, ...]:
        return in_unit(self.settings.plates_kg, self.settings.unit)

    def _step(self) -> Decimal:
        """Twice the smallest plate: the smallest change a pair of plates can make."""
        plates = self._plates()
        return 2 * min(plates) if plates else Decimal(1)

    def set_target(self, load_kg: float) -> None:
        """Show the plates for a total of `load_kg` (e.g. the coach's suggestion)."""
        self._unit = self.settings.unit
        self.target.set_text(_shown(from_kg(load_kg, self._unit)))
        self.refresh()

    def _machine_chosen(self, machine_id: object) -> None:
        self.machine = str(machine_id) if machine_id else None
        self.refresh()

    def refresh(self) -> None:
        unit = self.settings.unit
        if unit is not self._unit:  # the lifter switched units: keep the same load
            typed = _parse(self.target.text())
            if typed is not None:
                self.target.set_text(_shown(from_kg(_to_kg(typed, self._unit), unit)))
            self._unit = unit
        self.unit_label.setText(unit.value)
        target = _parse(self.target.text())
        limit = Decimal(repr(from_kg(float(MAX_LOAD_KG), unit)))
        if target is None or not 0 <= target <= limit:
            if target is None:  # back to the last load, so −/+ step from a number again
                self.target.set_text(self._last_good)
            self._fail(f"Type a total load from 0 to {_shown(limit)} {unit.value}.")
            return
        self._last_good = self.target.text()
        sled = in_unit([self.settings.sled_kg(self.machine)] if self.machine else [0.0], unit)[0]
        try:
            self.result = plates_per_side(target, sled, self._plates(), unit)
        except ValueError as error:
            self._fail(str(error))
            return
        self.message.hide()
        self.summary.setText(self.result.summary())
        self.detail.setText(f"Sled {_shown(sled)} {unit.value} · each side "
                            f"{_shown(sum(self.result.per_side, Decimal(0)))} {unit.value}")
        self.strip.show_plates(self.result.per_side, unit)

    def _fail(self, message: str) -> None:
        self.result = None
        self.message.setText(message)
        self.message.show()
        self.summary.setText("")
        self.detail.setText("")
        self.strip.show_plates((), self.settings.unit)
