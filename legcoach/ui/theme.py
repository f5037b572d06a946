"""One place for colours, sizes and the style sheet, so every screen reads the same at a glance.

Dark background, near-white text and one warm accent: high contrast under gym lighting and
easy on a tablet. Sizes are in pixels derived from the window height where text must scale.

These colour constants are the dark look only. A widget that paints its own colours, or puts
them in a style sheet or HTML of its own, reads them from `themes.current()` when it paints (or
rebuilds on a style change), so it follows the lifter's chosen look.
"""

from __future__ import annotations

import math

from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QApplication

BACKGROUND = "#14171b"
SURFACE = "#1f242b"
SURFACE_HIGH = "#2a313a"
BORDER = "#3a434e"
TEXT = "#f3f4f6"
TEXT_DIM = "#aab3bf"
TEXT_SOFT = "#d9dee5"  # body text in giant type: a touch softer than titles
ACCENT = "#ffb020"  # amber: reads on dark, distinct from the phase colours used while pacing
ACCENT_TEXT = "#14171b"
WARNING = "#ffcc66"
DANGER = "#ff6b6b"

TOUCH_MIN = 64  # px: the smallest control a sweaty finger should have to hit
FONT_FAMILY = "DejaVu Sans"

STYLE_SHEET = f"""
QWidget {{
    background: {BACKGROUND};
    color: {TEXT};
}}
QLabel {{ background: transparent; }}
QLabel[role="dim"] {{ color: {TEXT_DIM}; }}
QLabel[role="h1"] {{ font-size: 34px; font-weight: 700; }}
QLabel[role="h2"] {{ font-size: 24px; font-weight: 700; }}
QLabel[role="badge"] {{
    background: {SURFACE_HIGH}; border-radius: 12px; padding: 4px 12px; font-size: 16px;
}}
QPushButton, QToolButton {{
    background: {SURFACE_HIGH};
    border: 2px solid {BORDER};
    border-radius: 12px;
    padding: 10px 22px;
    font-size: 20px;
    font-weight: 600;
}}
QPushButton:hover, QToolButton:hover {{ border-color: {TEXT_DIM}; }}
QPushButton:focus, QToolButton:focus {{ border-color: {ACCENT}; }}
QPushButton:pressed, QToolButton:pressed {{ background: {BORDER}; }}
QPushButton:disabled {{ color: #5d6673; border-color: {SURFACE_HIGH}; }}
QPushButton[role="primary"] {{
    background: {ACCENT}; color: {ACCENT_TEXT}; border-color: {ACCENT};
}}
QPushButton[role="primary"]:focus {{ border-color: {TEXT}; }}
QPushButton[role="segment"] {{ padding: 8px 10px; font-size: 19px; }}
QPushButton[role="segment"]:checked {{
    background: {ACCENT}; color: {ACCENT_TEXT}; border-color: {ACCENT};
}}
QLineEdit {{
    background: {SURFACE_HIGH}; border: 2px solid {BORDER}; border-radius: 10px;
    padding: 8px 12px; font-size: 24px; min-height: 40px;
}}
QLineEdit:focus {{ border-color: {ACCENT}; }}
QLineEdit[invalid="true"] {{ border-color: {DANGER}; }}
QLabel[role="error"] {{ color: {DANGER}; font-size: 17px; }}
QLabel[role="coach"] {{
    background: #20331f; border: 2px solid #6bdc74; border-radius: 12px; padding: 10px 14px;
    font-size: 20px;
}}
QPushButton[role="nav"] {{
    text-align: left; padding: 12px 18px; border: none; background: transparent;
    border-radius: 10px;
}}
QPushButton[role="nav"]:checked {{ background: {SURFACE_HIGH}; color: {ACCENT}; }}
QComboBox {{
    background: {SURFACE_HIGH}; border: 2px solid {BORDER}; border-radius: 10px;
    padding: 8px 14px; min-height: {TOUCH_MIN - 24}px; font-size: 20px;
}}
QComboBox:focus {{ border-color: {ACCENT}; }}
QComboBox QAbstractItemView {{
    background: {SURFACE_HIGH}; selection-background-color: {ACCENT};
    selection-color: {ACCENT_TEXT}; font-size: 20px;
}}
QFrame[role="card"] {{
    background: {SURFACE}; border: 2px solid {SURFACE_HIGH}; border-radius: 16px;
}}
QFrame[role="card"]:focus {{ border-color: {ACCENT}; }}
QFrame[role="banner"] {{
    background: #3a2e12; border: 2px solid {WARNING}; border-radius: 12px;
}}
QTabBar::tab {{
    background: {SURFACE}; color: {TEXT_DIM}; padding: 14px 22px; min-height: 28px;
    font-size: 20px; font-weight: 600; border-top-left-radius: 10px;
    border-top-right-radius: 10px; margin-right: 4px;
}}
QTabBar::tab:selected {{ background: {SURFACE_HIGH}; color: {ACCENT}; }}
QTabBar::tab:focus {{ color: {TEXT}; }}
QTabWidget::pane {{ border: none; background: {SURFACE_HIGH}; border-radius: 10px; }}
QTextBrowser {{
    background: {SURFACE_HIGH}; border: none; padding: 12px; font-size: 20px;
}}
QScrollArea {{ border: none; }}
QScrollBar:vertical {{ width: 18px; background: {SURFACE}; }}
QScrollBar::handle:vertical {{ background: {BORDER}; border-radius: 8px; min-height: 48px; }}
QProgressBar {{
    background: {SURFACE_HIGH}; border: none; border-radius: 6px; max-height: 12px;
}}
QProgressBar::chunk {{ background: {ACCENT}; border-radius: 6px; }}
"""


def apply_theme(app: QApplication) -> None:
    """Install the dark look (palette, base font, style sheet) on the application."""
    from legcoach.ui.themes import apply_look  # themes builds its dark palette from here

    apply_look(app, "dark")


def pixel_font(size: float, *, bold: bool = False) -> QFont:
    """A font of `size` pixels: used where text scales with the window."""
    font = QFont(FONT_FAMILY)
    font.setPixelSize(max(8, round(size)))
    font.setBold(bold)
    return font


def fitted_font(text: str, pixels: float, width: float, *, bold: bool = True) -> QFont:
    """The largest font up to `pixels` in which `text` fits `width` on one line."""
    font = pixel_font(pixels, bold=bold)
    advance = QFontMetricsF(font).horizontalAdvance(text)
    if advance > width > 0:
        font.setPixelSize(max(8, math.floor(font.pixelSize() * width / advance)))
    return font
