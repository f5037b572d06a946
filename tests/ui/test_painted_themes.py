"""Widgets that paint their own colours follow the lifter's look, as the lifter would notice.

Each screen is drawn (`grab()`) in the dark look, then in each other look, then in dark again:
the background must be the look's, the big words must read at 4.5:1 or more (7:1 in high
contrast), no dark-look block may be left in a light or high-contrast picture, and dark must
come back pixel for pixel.
"""

from __future__ import annotations

from array import array
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QVBoxLayout, QWidget

from legcoach.core.setlog import LoadUnit
from legcoach.ui import theme, themes
from legcoach.ui.themes import THEMES, apply_look, contrast_ratio, phase_colours

OTHER_LOOKS = sorted(set(THEMES) - {"dark"})
DARK_ONLY = {theme.BACKGROUND, theme.SURFACE, theme.SURFACE_HIGH}
"""Dark-look fills that would show as dark blocks in another look."""
BLOCK = 200  # pixels of one colour that make a block, not the odd antialiased edge of a letter
SIZE = (900, 560)


def minimum_ratio(name: str) -> float:
    """What text must reach in a look: high contrast promises AAA, the others AA."""
    return 7.0 if name == "high_contrast" else 4.5


@pytest.fixture
def dark(qapp):
    """Start each test in the dark look, and leave it in dark for the tests after it."""
    apply_look(qapp, "dark")
    yield qapp
    apply_look(qapp, "dark")


def pixels(image: QImage, area: QRect | None = None) -> Counter[str]:
    """How many pixels of each colour ("#rrggbb") `image` has, in `area` if given."""
    if area is not None:
        image = image.copy(area)
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    values = array("I", bytes(image.constBits()))
    return Counter(f"#{value & 0xFFFFFF:06x}" for value in values)


def picture(widget: QWidget) -> QImage:
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def dark_blocks(counts: Counter[str]) -> set[str]:
    """Dark-look fills painted as blocks: what a light or high-contrast picture must not have."""
    return {colour for colour in DARK_ONLY if counts[colour] >= BLOCK}


def looks_the_same(first: QImage, second: QImage) -> bool:
    """The same picture to the eye: text edges may differ by a shade between two paints (Qt's
    glyph cache), so a pixel counts as different only when a channel is more than 8 apart."""
    if first.size() != second.size():
        return False
    a = array("I", bytes(first.constBits()))
    b = array("I", bytes(second.constBits()))
    different = sum(
        1 for x, y in zip(a, b, strict=True)
        if x != y and any(abs((x >> s & 0xFF) - (y >> s & 0xFF)) > 8 for s in (0, 8, 16)))
    return different <= len(a) // 1000


def corner(widget: QWidget) -> str:
    return picture(widget).pixelColor(2, 2).name()


def shown(qtbot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.resize(*SIZE)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


# --- the colours themselves ------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(THEMES))
def test_phase_colours_read_and_differ_in_every_look(name) -> None:
    p = THEMES[name]
    colours = phase_colours(p)
    roles = ("lower", "push", "hold", "switch", "countdown", "done")
    low = {role: round(contrast_ratio(getattr(colours, role), p.background), 2)
           for role in roles
           if contrast_ratio(getattr(colours, role), p.background) < minimum_ratio(name)}
    assert not low  # phase words, the side pill's text, GO's ink
    # bar and marker on their track: graphics need 3:1
    assert all(contrast_ratio(getattr(colours, role), p.surface_high) >= 3 for role in roles)
    assert len({getattr(colours, role) for role in roles}) == len(roles)  # each its own


# --- the set screen --------------------------------------------------------------------------


def mid_set(qtbot, clock, sound, library, exercise_id: str, seconds: float):
    from legcoach.ui.set_view import SetView

    view = shown(qtbot, SetView(clock, sound))
    view.prepare(library.get(exercise_id))
    view.start_or_pause()
    clock.set(view.run.started_at + seconds)
    view.driver.poll()
    view.refresh()
    return view


def headline_area(display) -> QRect:
    """Where the phase word is painted (see PaceDisplay._paint_headline)."""
    h = display.height()
    return QRect(int(h * 0.25), int(h * 0.22), int(display.width() * 0.6), int(h * 0.22))


@pytest.mark.parametrize("name", OTHER_LOOKS)
def test_the_pace_display_mid_set_follows_the_look(dark, qtbot, clock, sound, library,
                                                   name) -> None:
    view = mid_set(qtbot, clock, sound, library, "leg-press-45", 5.5)  # lowering, rep 1
    display = view.display
    assert display.text.headline.startswith("LOWER")
    before = picture(display)

    p = apply_look(dark, name)
    image = picture(display)
    assert image.pixelColor(2, 2).name() == p.background
    lower = phase_colours(p).lower
    assert contrast_ratio(lower, p.background) >= minimum_ratio(name)
    word = pixels(image, headline_area(display))
    assert word[lower] > 400  # the phase word is painted in the look's "lower" colour
    everything = pixels(image)
    assert everything[p.text] > 1000  # reps, cue, tension time
    assert everything[p.surface_high] > 1000  # the phase bar's track and the rail
    assert everything[p.border] > 1000  # their outlines and the cue box's: visible borders
    assert not dark_blocks(everything)  # no dark block left behind

    apply_look(dark, "dark")
    assert looks_the_same(picture(display), before)


@pytest.mark.parametrize("name", sorted(THEMES))
def test_the_one_leg_pill_reads_in_every_look(dark, qtbot, clock, sound, library,
                                              name) -> None:
    view = mid_set(qtbot, clock, sound, library, "single-leg-press", 5.5)
    display = view.display
    assert display.text.side
    p = apply_look(dark, name)
    h = display.height()
    pill = pixels(picture(display), QRect(0, 0, display.width() // 2, int(h * 0.16)))
    switch = phase_colours(p).switch
    assert pill[switch] > 500 and pill[p.background] > 50  # the pill, and its word
    assert contrast_ratio(p.background, switch) >= minimum_ratio(name)


# --- the rest screen -------------------------------------------------------------------------


@pytest.fixture
def rest(qtbot, clock, sound):
    from legcoach.ui.rest_view import RestView

    view = shown(qtbot, RestView(clock, sound))
    view.begin(60, "Next: 45° Leg Press · set 2 of 3 · 120 kg × 10–12",
               "Last: set 1 · 120 kg × 11 reps")
    return view


def rest_at(view, clock, seconds: float) -> None:
    clock.set(view.rest.started_at + seconds)
    view.poll()


@pytest.mark.parametrize("name", OTHER_LOOKS)
def test_the_rest_countdown_follows_the_look(dark, qtbot, clock, rest, name) -> None:
    rest_at(rest, clock, 20)
    assert rest.display.text.headline == "REST"
    before = picture(rest)

    p = apply_look(dark, name)
    assert corner(rest) == p.background
    everything = pixels(picture(rest.display))
    assert everything[p.text] > 2000  # the giant digits
    assert everything[p.text_soft] > 1000  # the draining bar
    assert not dark_blocks(everything)
    assert contrast_ratio(p.text, p.background) >= minimum_ratio(name)

    apply_look(dark, "dark")
    assert looks_the_same(picture(rest), before)

    apply_look(dark, name)
    rest_at(rest, clock, 52)  # ten seconds left: amber
    assert rest.display.text.headline == "GET READY"
    assert pixels(picture(rest.display))[p.warning] > 2000
    assert contrast_ratio(p.warning, p.background) >= minimum_ratio(name)


@pytest.mark.parametrize("name", sorted(THEMES))
def test_go_is_the_looks_green_with_readable_ink(dark, qtbot, clock, rest, name) -> None:
    p = apply_look(dark, name)
    rest_at(rest, clock, 63)
    assert rest.display.is_go
    green = phase_colours(p).done
    assert corner(rest) == green
    everything = pixels(picture(rest.display))
    assert everything[p.background] > 2000  # "GO" and the overrun, in the look's background
    assert contrast_ratio(p.background, green) >= minimum_ratio(name)
    button = pixels(picture(rest.start_button))
    assert button.most_common(1)[0][0] == p.background  # stands out on the green


def test_go_changes_green_when_the_look_changes_on_it(dark, qtbot, clock, rest) -> None:
    rest_at(rest, clock, 63)
    assert corner(rest) == phase_colours(themes.DARK).done
    apply_look(dark, "light")
    assert corner(rest) == phase_colours(themes.LIGHT).done
    assert pixels(picture(rest.start_button)).most_common(1)[0][0] == themes.LIGHT.background


# --- the plate calculator's plates ------------------------------------------------------------


@pytest.mark.parametrize("name", OTHER_LOOKS)
def test_the_plate_strip_follows_the_look(dark, qtbot, name) -> None:
    from legcoach.ui.settings_view import PlateStrip

    host = QWidget()  # as on the settings screen: the strip paints over its parent
    layout = QVBoxLayout(host)
    strip = PlateStrip()
    layout.addWidget(strip)
    shown(qtbot, host)
    strip.show_plates((Decimal(20), Decimal(10), Decimal("2.5")), LoadUnit.KG)
    before = picture(strip)

    p = apply_look(dark, name)
    everything = pixels(picture(strip))
    assert everything[p.accent] > 3000  # the plates
    assert everything[p.accent_text] > 100  # their sizes
    assert contrast_ratio(p.accent_text, p.accent) >= minimum_ratio(name)
    assert contrast_ratio(p.accent, p.background) >= 3  # a plate stands out from the page
    assert not dark_blocks(everything)

    apply_look(dark, "dark")
    assert looks_the_same(picture(strip), before)


# --- the shortcut sheet and the summary ------------------------------------------------------


@pytest.mark.parametrize("name", OTHER_LOOKS)
def test_the_shortcut_sheet_follows_the_look(dark, qtbot, name) -> None:
    from legcoach.ui.shortcut_sheet import ShortcutSheet

    host = shown(qtbot, QWidget())
    sheet = ShortcutSheet(host)
    sheet.open_sheet()
    qtbot.wait(20)  # the scroll bar shows once the layout has settled
    before = picture(host)

    p = apply_look(dark, name)
    image = picture(host)
    assert image.pixelColor(4, 4).name() == p.background  # the scrim over the screen
    everything = pixels(image)
    assert everything[p.surface] > 10000  # the sheet
    assert everything[p.accent] > 100  # the screens' names
    assert not dark_blocks(everything)

    apply_look(dark, "dark")
    assert looks_the_same(picture(host), before)


@pytest.mark.parametrize("name", OTHER_LOOKS)
def test_the_summary_takes_the_looks_colours(dark, qtbot, name) -> None:
    from legcoach.core.summary import SessionSummary
    from legcoach.ui.summary_view import SummaryView

    view = shown(qtbot, SummaryView())
    view.show_summary(SessionSummary(title="Legs", duration=timedelta(minutes=42), exercises=(),
                                     records=("New best: 45° Leg Press 130 kg",)))
    assert theme.ACCENT in view.body.toHtml()
    p = apply_look(dark, name)
    assert p.accent in view.body.toHtml() and theme.ACCENT not in view.body.toHtml()


def test_screens_with_their_own_style_follow_the_look(qtbot, qapp, library) -> None:
    """The routine editor, exercise pages and guided steps carry colours of their own."""
    from legcoach.core.documents import InMemoryDocumentStore
    from legcoach.core.routine import RoutineBook
    from legcoach.ui.detail_view import DetailView
    from legcoach.ui.guided_view import GuidedView
    from legcoach.ui.routine_editor import RoutineEditor

    editor = RoutineEditor(RoutineBook.open(InMemoryDocumentStore(), library), library)
    detail, guided = DetailView(), GuidedView()
    for widget in (editor, detail, guided):
        qtbot.addWidget(widget)
        widget.show()
    detail.show_exercise(library["leg-press"])
    guided.start(library["leg-press"])
    try:
        themes.apply_look(qapp, "light")
        qapp.processEvents()
        assert themes.LIGHT.surface in editor.styleSheet()
        assert themes.LIGHT.accent in detail.tabs.widget(0).toHtml()
        assert themes.LIGHT.accent in guided.position_label.styleSheet()
    finally:
        themes.apply_look(qapp, "dark")
        qapp.processEvents()
    assert themes.DARK.surface in editor.styleSheet()
    assert themes.DARK.accent in detail.tabs.widget(0).toHtml()
