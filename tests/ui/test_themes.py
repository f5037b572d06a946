"""Looks: each theme applies, dark is the original, contrast is measured (WCAG 2)."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest
from PySide6.QtGui import QPalette

from legcoach.core.settings import TEXT_SCALES, declaration
from legcoach.ui import theme, themes
from legcoach.ui.themes import (
    DARK,
    HIGH_CONTRAST,
    THEMES,
    Palette,
    apply_look,
    contrast_ratio,
    reading_pairs,
    style_sheet,
)


@pytest.fixture
def app(qapp):
    """The shared application, put back to the original look afterwards for later tests."""
    yield qapp
    theme.apply_theme(qapp)
    apply_look(qapp, "dark")


def test_the_settings_offer_exactly_these_themes() -> None:
    assert set(THEMES) == set(declaration("look.theme").choice_values())


def test_dark_is_theme_py_unchanged() -> None:
    assert style_sheet(DARK, 1.0) == theme.STYLE_SHEET
    assert (DARK.background, DARK.text, DARK.accent) == (theme.BACKGROUND, theme.TEXT,
                                                         theme.ACCENT)


@pytest.mark.parametrize("name", sorted(THEMES))
@pytest.mark.parametrize("size", sorted(TEXT_SCALES))
def test_each_look_applies(app, name, size) -> None:
    scale = TEXT_SCALES[size]
    palette = apply_look(app, name, scale)
    assert palette is THEMES[name] is themes.current()
    assert app.styleSheet() == style_sheet(palette, scale)
    assert app.palette().color(QPalette.ColorRole.Window).name() == palette.background
    assert app.palette().color(QPalette.ColorRole.WindowText).name() == palette.text
    assert app.font().pixelSize() == round(18 * scale)


def test_text_scale_multiplies_every_font_size_and_nothing_else() -> None:
    normal, large = style_sheet(DARK, 1.0), style_sheet(DARK, 1.4)
    sizes = [int(n) for n in re.findall(r"font-size: (\d+)px", normal)]
    assert [int(n) for n in re.findall(r"font-size: (\d+)px", large)] == [
        round(n * 1.4) for n in sizes]
    assert re.findall(r"padding: [^;]+", normal) == re.findall(r"padding: [^;]+", large)


def test_unknown_theme_or_absurd_scale_is_refused(app) -> None:
    with pytest.raises(ValueError, match="no theme 'neon'"):
        apply_look(app, "neon")
    with pytest.raises(ValueError, match="unusable"):
        apply_look(app, "dark", 10)


@pytest.mark.parametrize(("foreground", "background", "ratio"), [
    ("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#777777", "#ffffff", 4.48),
])
def test_contrast_ratio_matches_wcag(foreground, background, ratio) -> None:
    assert contrast_ratio(foreground, background) == pytest.approx(ratio, abs=0.01)
    assert contrast_ratio(background, foreground) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize("where", sorted(reading_pairs(HIGH_CONTRAST)))
def test_high_contrast_reaches_aaa_everywhere(where) -> None:
    foreground, background = reading_pairs(HIGH_CONTRAST)[where]
    assert contrast_ratio(foreground, background) >= 7


@pytest.mark.parametrize("name", sorted(THEMES))
def test_every_theme_reaches_aa(name) -> None:
    low = {where: round(contrast_ratio(*pair), 2)
           for where, pair in reading_pairs(THEMES[name]).items()
           if contrast_ratio(*pair) < 4.5}
    assert not low


def test_every_colour_role_is_checked_somewhere() -> None:
    """A role no pair checks could hide an unreadable colour: give each role its own colour
    and see which ones the pairs use."""
    roles = [f.name for f in fields(Palette) if f.name != "name"]
    unique = Palette("probe", *(f"#0000{i:02x}" for i in range(len(roles))))
    used = {colour for pair in reading_pairs(unique).values() for colour in pair}
    unchecked = {role for role in roles if getattr(unique, role) not in used}
    assert unchecked == {"border", "disabled_text", "coach_border"}  # outlines; WCAG-exempt
