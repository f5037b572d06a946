"""F1: every keyboard shortcut on one sheet, by screen, in type readable from the bench.

Why a sheet over the window rather than a dialog: on a tablet it opens and closes with one tap
anywhere, and it never leaves a second window behind a full-screen legcoach. While it is open
it takes every key but F11, so Space, Esc or Ctrl+Z can't act unseen on the screen beneath.

The list is data (`SHORTCUTS`), kept next to the widget so a new key is one line here.

Its colours are the current look's (`themes.current()`): the style sheet is rebuilt when the
look or the type size changes, and the scrim is painted in the look's background.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QMouseEvent, QPainter, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLayout,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from legcoach.ui import themes
from legcoach.ui.widgets import label

__all__ = ["SHORTCUTS", "Shortcut", "ShortcutGroup", "ShortcutSheet"]


@dataclass(frozen=True)
class Shortcut:
    keys: tuple[str, ...]
    """Each key that does it, as printed on the key cap ("Space", "→", "Ctrl+Z")."""
    action: str


@dataclass(frozen=True)
class ShortcutGroup:
    screen: str
    shortcuts: tuple[Shortcut, ...]


SHORTCUTS: Final = (
    ShortcutGroup("Set screen", (
        Shortcut(("Space",), "Start · pause · resume"),
        Shortcut(("Esc",), "Stop the set (reps are kept)"),
        Shortcut(("+",), "One rep more"),
        Shortcut(("−",), "One rep fewer"),
        Shortcut(("S",), "Skip the rest of the rep"),
    )),
    ShortcutGroup("Guided steps", (
        Shortcut(("→", "Space"), "Next step"),
        Shortcut(("←", "Backspace"), "Previous step"),
    )),
    ShortcutGroup("Rest timer", (
        Shortcut(("Space", "Enter"), "Skip the rest"),
        Shortcut(("+",), "30 s more"),
    )),
    ShortcutGroup("Everywhere", (
        Shortcut(("F11",), "Full screen on / off"),
        Shortcut(("Ctrl+Z",), "Undo the last change to the log"),
        Shortcut(("Esc", "Alt+←"), "Back"),
        Shortcut(("F1",), "This sheet"),
    )),
)

CLOSE_KEYS: Final = (Qt.Key.Key_Escape, Qt.Key.Key_F1)
PASS_KEYS: Final = (Qt.Key.Key_F11,)  # full screen still toggles with the sheet open
SCRIM_ALPHA: Final = 240  # the screen beneath shows through only faintly: the sheet reads first
MARGIN: Final = 16


def type_scale(width: int, height: int) -> float:
    """How big the type is: 1 on a 1280×800 landscape or 800×1280 portrait window, less on a
    small tablet (never below 0.7, so still big), more on a large screen."""
    fit = max(min(width / 1280, height / 800), min(width / 800, height / 1280))
    return max(0.7, min(1.4, fit))


def style(scale: float, p: themes.Palette | None = None) -> str:
    """The sheet's style sheet at type `scale`, in look `p` (default: the current one).

    The sheet's edge is the look's border colour: white on near-white (light) or black on black
    (high contrast), the card alone would not part it from the dimmed screen beneath."""
    p = p or themes.current()

    def px(size: float) -> str:
        return f"{round(size * scale)}px"

    return f"""
QWidget#sheetViewport, QWidget#group {{ background: transparent; }}
QFrame#sheet {{ background: {p.surface}; border: 2px solid {p.border}; border-radius: 18px; }}
QLabel {{ background: transparent; font-size: {px(24)}; }}
QLabel[role="group"] {{ color: {p.accent}; font-size: {px(28)}; font-weight: 700; }}
QLabel[role="key"] {{
    background: {p.surface_high}; border: 2px solid {p.border}; border-bottom-width: 4px;
    border-radius: 10px; padding: 4px {px(14)}; font-size: {px(26)}; font-weight: 700;
    color: {p.text};
}}
QLabel[role="or"], QLabel[role="hint"] {{ color: {p.text_dim}; font-size: {px(20)}; }}
QLabel[role="h1"] {{ font-size: {px(36)}; font-weight: 700; }}
"""


class ShortcutSheet(QWidget):
    """An overlay over `window`: F1 opens and closes it, so does Esc or a tap anywhere.

    Creating it installs the F1 shortcut on the window; nothing else needs wiring.
    """

    def __init__(self, window: QWidget, *, shortcut: bool = True) -> None:
        """`shortcut=False`: the window has its own F1 (e.g. to build this sheet lazily)."""
        super().__init__(window)
        self.setObjectName("shortcutSheet")
        self.setAccessibleName("Keyboard shortcuts")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._scale = 0.0
        self._look: themes.Palette | None = None
        self._return_focus: QWidget | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setStyleSheet("QScrollArea { background: transparent; }")
        scroll.viewport().setObjectName("sheetViewport")
        self.scroll = scroll
        outer.addWidget(scroll)

        self.sheet = QFrame()
        self.sheet.setObjectName("sheet")
        layout = QVBoxLayout(self.sheet)
        layout.setContentsMargins(24, 20, 24, 24)
        layout.setSpacing(12)
        head = QHBoxLayout()
        head.setSpacing(24)
        head.addWidget(label("Keyboard shortcuts", "h1"))
        hint = label("Tap anywhere, or press Esc or F1, to close.", "hint", wrap=True)
        hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        head.addWidget(hint, 1)
        layout.addLayout(head)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(32)
        self.grid.setVerticalSpacing(14)
        layout.addLayout(self.grid)
        layout.addStretch(1)
        scroll.setWidget(self.sheet)
        self.groups = [self._group(group) for group in SHORTCUTS]
        self._columns = 0
        self._fit()

        self.hide()
        window.installEventFilter(self)
        self.shortcut = (QShortcut(QKeySequence(Qt.Key.Key_F1), window, activated=self.toggle)
                         if shortcut else None)

    # --- building ---------------------------------------------------------------------------

    @staticmethod
    def _group(group: ShortcutGroup) -> QWidget:
        box = QWidget()
        box.setObjectName("group")
        layout = QGridLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(20)
        layout.setVerticalSpacing(6)
        layout.addWidget(label(group.screen, "group"), 0, 0, 1, 2)
        for row, shortcut in enumerate(group.shortcuts, start=1):
            keys = QHBoxLayout()
            keys.setSpacing(8)
            for number, key in enumerate(shortcut.keys):
                if number:
                    keys.addWidget(label("or", "or"))
                cap = label(key, "key")
                cap.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
                keys.addWidget(cap)
            keys.addStretch(1)
            layout.addLayout(keys, row, 0)
            action = label(shortcut.action, wrap=True)
            action.setMinimumWidth(180)
            layout.addWidget(action, row, 1)
        layout.setColumnStretch(1, 1)
        box.setAccessibleName(group.screen)
        return box

    def _fit(self) -> None:
        """Type scaled to the window and colours from the look; two columns when they fit side
        by side, else one. The style sheet is set only when either changed: setting it sends a
        style change, which calls this again."""
        scale = type_scale(self.width(), self.height())
        look = themes.current()
        if scale != self._scale or look != self._look:
            self._scale, self._look = scale, look
            self.setStyleSheet(style(scale, look))
            self._invalidate()
            self._columns = 0
        room = self.width() - 2 * MARGIN - self.scroll.verticalScrollBar().sizeHint().width()
        self._arrange(2)
        if self.sheet.minimumSizeHint().width() > room:
            self._arrange(1)

    def _arrange(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for box in self.groups:
            self.grid.removeWidget(box)
        rows = -(-len(self.groups) // columns)
        for index, box in enumerate(self.groups):  # down the first column, then the second
            self.grid.addWidget(box, index % rows, index // rows, Qt.AlignmentFlag.AlignTop)
        self._invalidate()

    def _invalidate(self) -> None:
        """Layouts cache their sizes: after new type or columns, the sums must be redone."""
        for layout in (self.sheet.layout(), *self.sheet.findChildren(QLayout)):
            layout.invalidate()

    # --- opening and closing ----------------------------------------------------------------

    def toggle(self) -> None:
        self.close_sheet() if self.isVisible() else self.open_sheet()

    def open_sheet(self) -> None:
        parent = self.parentWidget()
        self._return_focus = parent.focusWidget() if parent is not None else None
        if parent is not None:
            self.setGeometry(parent.rect())
        self._fit()
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.PopupFocusReason)

    def close_sheet(self) -> None:
        self.hide()
        if self._return_focus is not None:
            self._return_focus.setFocus(Qt.FocusReason.PopupFocusReason)
        self._return_focus = None

    # --- events -----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self.parentWidget().rect())
        return False

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        """A new look arrives as a style change (`apply_look` sets the look first)."""
        super().changeEvent(event)
        if (event.type() == QEvent.Type.StyleChange and self._look is not None
                and themes.current() != self._look):
            self._fit()  # a new style sheet: the sheet and its scrim repaint

    def event(self, event: QEvent) -> bool:
        """Claim the window's shortcut keys (Esc, Ctrl+Z, …) while open; F11 still passes."""
        if event.type() == QEvent.Type.ShortcutOverride:
            key = event.key()  # type: ignore[attr-defined]
            if key not in PASS_KEYS:
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in CLOSE_KEYS:
            self.close_sheet()
        event.accept()  # every other key stops here: nothing acts unseen beneath the sheet

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.close_sheet()
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # the release closes; the press must not reach the screen beneath

    def focusNextPrevChild(self, next: bool) -> bool:
        return True  # Tab stays on the sheet instead of walking the hidden screen

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        scrim = QColor(themes.current().background)
        scrim.setAlpha(SCRIM_ALPHA)
        painter.fillRect(self.rect(), scrim)
