"""Looks: dark (the original), light and high-contrast palettes, and a text scale.

`theme.py` keeps its constants, `STYLE_SHEET` and `apply_theme` for the screens that import
them; its values *are* the dark palette here (`DARK` is built from them). `style_sheet(DARK, 1)`
reproduces `theme.STYLE_SHEET` character for character (tests/ui/test_themes.py checks), so
one template serves every look and scale.

Contrast is measured, not eyeballed: `contrast_ratio` is WCAG 2's formula and `reading_pairs`
lists every text-on-background pair the style sheet uses; high contrast keeps all of them at 7:1
or more (WCAG AAA), the others at 4.5:1 (AA).

Widgets that paint their own colours read `current()` at paint time; the set screen's phase
colours, which the style sheet never uses, are per look in `PHASE_COLOURS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from legcoach.ui import theme

__all__ = [
    "DARK",
    "HIGH_CONTRAST",
    "LIGHT",
    "PHASE_COLOURS",
    "THEMES",
    "Palette",
    "PhaseColours",
    "apply_look",
    "contrast_ratio",
    "current",
    "follow_look",
    "phase_colours",
    "reading_pairs",
    "style_sheet",
]

BASE_FONT_PX: Final = 18


@dataclass(frozen=True, slots=True)
class Palette:
    """Every colour the style sheet uses, by role."""

    name: str
    background: str
    surface: str
    surface_high: str
    border: str
    text: str
    text_dim: str
    text_soft: str
    accent: str
    accent_text: str
    warning: str
    danger: str
    disabled_text: str
    coach_background: str
    coach_border: str
    banner_background: str


DARK: Final = Palette(
    "dark", background=theme.BACKGROUND, surface=theme.SURFACE, surface_high=theme.SURFACE_HIGH,
    border=theme.BORDER, text=theme.TEXT, text_dim=theme.TEXT_DIM, text_soft=theme.TEXT_SOFT,
    accent=theme.ACCENT, accent_text=theme.ACCENT_TEXT, warning=theme.WARNING,
    danger=theme.DANGER, disabled_text="#5d6673", coach_background="#20331f",
    coach_border="#6bdc74", banner_background="#3a2e12")
"""The original look: theme.py's constants (the last four are literals in its style sheet)."""

LIGHT: Final = Palette(
    "light", background="#f4f5f7", surface="#ffffff", surface_high="#e6e9ee",
    border="#8c96a3", text="#111418", text_dim="#4a5360", text_soft="#252b33",
    accent="#9a4a00", accent_text="#ffffff", warning="#7a4f00", danger="#b3261e",
    disabled_text="#8c96a3", coach_background="#e3f3e3", coach_border="#2e7d32",
    banner_background="#fff1cc")
"""For a bright room or daylight: dark text on near-white; the amber darkened to stay legible."""

HIGH_CONTRAST: Final = Palette(
    "high_contrast", background="#000000", surface="#000000", surface_high="#1a1a1a",
    border="#ffffff", text="#ffffff", text_dim="#e6e6e6", text_soft="#ffffff",
    accent="#ffd400", accent_text="#000000", warning="#ffd400", danger="#ff9a9a",
    disabled_text="#a6a6a6", coach_background="#002400", coach_border="#7dff7d",
    banner_background="#2b2400")
"""Glare, low vision: white on black, yellow accent, white borders on every control."""

THEMES: Final[dict[str, Palette]] = {p.name: p for p in (DARK, LIGHT, HIGH_CONTRAST)}


@dataclass(frozen=True, slots=True)
class PhaseColours:
    """The set screen's phase colours in one look; `done` is also the rest screen's GO.

    Each phase keeps its hue in every look (blue lowers, orange pushes, violet holds, teal
    switches legs, green is done) so the meaning carries over when the lifter changes look;
    the word and the shape drawn next to it carry it without colour.
    """

    lower: str
    push: str
    hold: str
    switch: str
    countdown: str
    done: str


PHASE_COLOURS: Final[dict[str, PhaseColours]] = {
    "dark": PhaseColours(lower="#4aa3ff", push="#ff9a1f", hold="#c4a1ff", switch="#3fd6b0",
                         countdown="#e8eaed", done="#6bdc74"),
    # darker, on near-white: each at 5:1 or more, so phase words read in daylight
    "light": PhaseColours(lower="#0b5cad", push="#a84300", hold="#6a3fb5", switch="#00695c",
                          countdown="#252b33", done="#1b6e20"),
    # lighter than dark's, on black: each at 7:1 or more (AAA, like the rest of the look)
    "high_contrast": PhaseColours(lower="#7fc4ff", push="#ffa640", hold="#d9b8ff",
                                  switch="#5ff5d0", countdown="#ffffff", done="#7dff7d"),
}
"""Phase colours per look, as text on that look's background (tests check the ratios)."""


def phase_colours(p: Palette) -> PhaseColours:
    """The phase colours of `p`'s look (an unknown look gets dark's)."""
    return PHASE_COLOURS.get(p.name, PHASE_COLOURS["dark"])

_current: Palette = DARK


def current() -> Palette:
    """The look last applied: for widgets that paint their own colours."""
    return _current


def style_sheet(p: Palette, text_scale: float = 1.0) -> str:
    """The application style sheet in palette `p`, every text size times `text_scale`.

    Heights that hold a line of text grow with it; paddings and radii stay put.
    """

    def px(size: int) -> str:
        return f"{round(size * text_scale)}px"

    coach, coach_edge = p.coach_background, p.coach_border  # keeps its line under 100
    return f"""
QWidget {{
    background: {p.background};
    color: {p.text};
}}
QLabel {{ background: transparent; }}
QLabel[role="dim"] {{ color: {p.text_dim}; }}
QLabel[role="h1"] {{ font-size: {px(34)}; font-weight: 700; }}
QLabel[role="h2"] {{ font-size: {px(24)}; font-weight: 700; }}
QLabel[role="badge"] {{
    background: {p.surface_high}; border-radius: 12px; padding: 4px 12px; font-size: {px(16)};
}}
QPushButton, QToolButton {{
    background: {p.surface_high};
    border: 2px solid {p.border};
    border-radius: 12px;
    padding: 10px 22px;
    font-size: {px(20)};
    font-weight: 600;
}}
QPushButton:hover, QToolButton:hover {{ border-color: {p.text_dim}; }}
QPushButton:focus, QToolButton:focus {{ border-color: {p.accent}; }}
QPushButton:pressed, QToolButton:pressed {{ background: {p.border}; }}
QPushButton:disabled {{ color: {p.disabled_text}; border-color: {p.surface_high}; }}
QPushButton[role="primary"] {{
    background: {p.accent}; color: {p.accent_text}; border-color: {p.accent};
}}
QPushButton[role="primary"]:focus {{ border-color: {p.text}; }}
QPushButton[role="segment"] {{ padding: 8px 10px; font-size: {px(19)}; }}
QPushButton[role="segment"]:checked {{
    background: {p.accent}; color: {p.accent_text}; border-color: {p.accent};
}}
QLineEdit {{
    background: {p.surface_high}; border: 2px solid {p.border}; border-radius: 10px;
    padding: 8px 12px; font-size: {px(24)}; min-height: {px(40)};
}}
QLineEdit:focus {{ border-color: {p.accent}; }}
QLineEdit[invalid="true"] {{ border-color: {p.danger}; }}
QLabel[role="error"] {{ color: {p.danger}; font-size: {px(17)}; }}
QLabel[role="coach"] {{
    background: {coach}; border: 2px solid {coach_edge}; border-radius: 12px; padding: 10px 14px;
    font-size: {px(20)};
}}
QPushButton[role="nav"] {{
    text-align: left; padding: 12px 18px; border: none; background: transparent;
    border-radius: 10px;
}}
QPushButton[role="nav"]:checked {{ background: {p.surface_high}; color: {p.accent}; }}
QComboBox {{
    background: {p.surface_high}; border: 2px solid {p.border}; border-radius: 10px;
    padding: 8px 14px; min-height: {px(theme.TOUCH_MIN - 24)}; font-size: {px(20)};
}}
QComboBox:focus {{ border-color: {p.accent}; }}
QComboBox QAbstractItemView {{
    background: {p.surface_high}; selection-background-color: {p.accent};
    selection-color: {p.accent_text}; font-size: {px(20)};
}}
QFrame[role="card"] {{
    background: {p.surface}; border: 2px solid {p.surface_high}; border-radius: 16px;
}}
QFrame[role="card"]:focus {{ border-color: {p.accent}; }}
QFrame[role="banner"] {{
    background: {p.banner_background}; border: 2px solid {p.warning}; border-radius: 12px;
}}
QTabBar::tab {{
    background: {p.surface}; color: {p.text_dim}; padding: 14px 22px; min-height: {px(28)};
    font-size: {px(20)}; font-weight: 600; border-top-left-radius: 10px;
    border-top-right-radius: 10px; margin-right: 4px;
}}
QTabBar::tab:selected {{ background: {p.surface_high}; color: {p.accent}; }}
QTabBar::tab:focus {{ color: {p.text}; }}
QTabWidget::pane {{ border: none; background: {p.surface_high}; border-radius: 10px; }}
QTextBrowser {{
    background: {p.surface_high}; border: none; padding: 12px; font-size: {px(20)};
}}
QScrollArea {{ border: none; }}
QScrollBar:vertical {{ width: 18px; background: {p.surface}; }}
QScrollBar::handle:vertical {{ background: {p.border}; border-radius: 8px; min-height: 48px; }}
QProgressBar {{
    background: {p.surface_high}; border: none; border-radius: 6px; max-height: 12px;
}}
QProgressBar::chunk {{ background: {p.accent}; border-radius: 6px; }}
"""


def apply_look(app: QApplication, theme_name: str, text_scale: float = 1.0) -> Palette:
    """Install palette, base font and style sheet for a look; returns the palette.

    Restyles everything that takes its colours from the application style sheet or palette at
    once. ValueError for an unknown theme or a scale outside 0.5–3.
    """
    global _current
    p = THEMES.get(theme_name)
    if p is None:
        raise ValueError(f"There is no theme {theme_name!r}; there are {sorted(THEMES)}.")
    if not 0.5 <= text_scale <= 3:
        raise ValueError(f"A text scale of {text_scale!r} would make the app unusable.")
    if app.style().name().casefold() != "fusion":  # each change restyles every widget
        app.setStyle("Fusion")
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, p.background),
        (QPalette.ColorRole.WindowText, p.text),
        (QPalette.ColorRole.Base, p.surface_high),
        (QPalette.ColorRole.Text, p.text),
        (QPalette.ColorRole.Button, p.surface_high),
        (QPalette.ColorRole.ButtonText, p.text),
        (QPalette.ColorRole.Highlight, p.accent),
        (QPalette.ColorRole.HighlightedText, p.accent_text),
        (QPalette.ColorRole.Link, p.accent),
    ):
        palette.setColor(role, QColor(colour))
    _current = p  # first: widgets restyled below read it while they repaint
    if app.palette() != palette:
        app.setPalette(palette)
    font = QFont(theme.FONT_FAMILY)
    font.setPixelSize(round(BASE_FONT_PX * text_scale))
    if app.font() != font:
        app.setFont(font)
    sheet = style_sheet(p, text_scale)
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)
    return p


# --- contrast ---------------------------------------------------------------------------------


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of "#rrggbb"."""
    value = colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"Expected #rrggbb, not {colour!r}.")
    channels = []
    for i in (0, 2, 4):
        c = int(value[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio, 1 (none) to 21 (black on white); symmetric."""
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def reading_pairs(p: Palette) -> dict[str, tuple[str, str]]:
    """Every (text, background) pair the style sheet puts in front of a reader.

    Disabled text is left out on purpose: WCAG exempts inactive controls.
    """
    return {
        "text on background": (p.text, p.background),
        "text on cards": (p.text, p.surface),
        "text on buttons and fields": (p.text, p.surface_high),
        "dim text on background": (p.text_dim, p.background),
        "dim text on cards": (p.text_dim, p.surface),
        "dim text on fields": (p.text_dim, p.surface_high),
        "soft text on background": (p.text_soft, p.background),
        "primary and chosen buttons": (p.accent_text, p.accent),
        "chosen tab and nav": (p.accent, p.surface_high),
        "accent on background": (p.accent, p.background),
        "errors": (p.danger, p.background),
        "errors on cards": (p.danger, p.surface),
        "warnings": (p.warning, p.background),
        "coach message": (p.text, p.coach_background),
        "banner": (p.text, p.banner_background),
    }


# --- widgets with a style sheet of their own ---------------------------------------------------


class _LookFollower(QObject):
    """Re-applies a widget's own style sheet, built from the palette, when the look changes."""

    def __init__(self, widget: QWidget, make: Callable[[Palette], str]) -> None:
        super().__init__(widget)
        self._make = make
        self._palette: Palette | None = None
        widget.installEventFilter(self)
        self.apply(widget)

    def apply(self, widget: QWidget) -> None:
        palette = current()
        if palette is not self._palette:  # also stops the StyleChange our own sheet sends
            self._palette = palette
            widget.setStyleSheet(self._make(palette))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.Show) and isinstance(
                watched, QWidget):
            self.apply(watched)
        return False


def follow_look(widget: QWidget, make: Callable[[Palette], str]) -> None:
    """Give `widget` the style sheet `make(palette)` now and again after every look change
    (setting the application's style sheet sends each widget a StyleChange)."""
    _LookFollower(widget, make)
