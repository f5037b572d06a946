"""The progress charts take their colours from the look and follow a change of look at once:
background, axes, grid, series, legends and readout, on built tabs and tabs built later."""

from __future__ import annotations

from typing import Any

import pytest

from legcoach.ui import theme, themes
from legcoach.ui.progress_view import ChartColours, chart_colours
from legcoach.ui.themes import DARK, LIGHT, THEMES, Palette, apply_look, contrast_ratio
from tests.ui import test_progress_view
from tests.ui.test_progress_view import lifted, press_history

make_view = test_progress_view.make_view  # the same fixture: a shown view over a test log


@pytest.fixture
def looks(qapp):
    """Change the look as the settings screen does, and let the event loop run once (the
    charts re-colour from it, before the next paint). Dark, which every other test expects,
    comes back after."""

    def change(name: str) -> None:
        apply_look(qapp, name)
        qapp.processEvents()

    yield change
    theme.apply_theme(qapp)
    apply_look(qapp, "dark")


def colour(thing: Any) -> str:
    """"#rrggbb" of a QPen, QBrush, QColor or colour text."""
    from PySide6.QtGui import QColor

    if hasattr(thing, "color"):
        thing = thing.color()
    return QColor(thing).name()


def chart_paint(chart: Any) -> tuple[str, str, str]:
    """A chart's background, axis (and grid) and tick-label colours."""
    return (colour(chart.widget.backgroundBrush()), colour(chart.left.pen()),
            colour(chart.bottom.textPen()))


def expected(p: Palette) -> tuple[str, str, str]:
    return p.surface, p.border, p.text_soft


def test_the_charts_follow_a_change_of_look_and_back(make_view, looks) -> None:
    view = make_view(press_history())
    strength = view.pages["strength"]
    assert [chart_paint(c) for c in strength.charts] == [expected(DARK)] * 2

    looks("light")
    assert view.colours == chart_colours(LIGHT)
    assert [chart_paint(c) for c in strength.charts] == [expected(LIGHT)] * 2
    light = view.colours
    assert colour(strength.load_line.opts["pen"]) == light.load == LIGHT.accent
    assert colour(strength.e1rm_line.opts["pen"]) == light.e1rm
    assert colour(strength.load_records.opts["brush"]) == light.load
    assert colour(strength.load_records.opts["pen"]) == LIGHT.text  # the stars' outline
    view.show_readout_at(strength.load_line.getData()[0][-1])  # the crosshair is made now
    assert [colour(line.pen) for line in strength.crosshairs] == [LIGHT.text_dim] * 2
    assert light.e1rm in strength.load_legend.text()
    assert LIGHT.text_soft in view.readout.styleSheet()
    # A tab first opened in the new look is built in it.
    view.show_page("volume")
    volume = view.pages["volume"]
    assert [chart_paint(c) for c in volume.charts] == [expected(LIGHT)] * 2
    assert colour(volume.week_bars.opts["brush"]) == light.week_volume

    looks("dark")
    dark = chart_colours(DARK)
    assert view.colours == dark
    for page in (strength, volume):
        assert [chart_paint(c) for c in page.charts] == [expected(DARK)] * 2
    assert colour(strength.load_line.opts["pen"]) == dark.load
    assert [colour(line.pen) for line in strength.crosshairs] == [DARK.text_dim] * 2
    assert colour(volume.session_bars.opts["brush"]) == dark.session_volume
    assert light.e1rm not in strength.load_legend.text()
    assert dark.e1rm in strength.load_legend.text()
    # Still the same data: only the colours changed.
    assert list(volume.session_bars.opts["height"]) == [1800.0, 1100.0, 2100.0]


def test_colours_that_depend_on_the_data_follow_too(make_view, looks) -> None:
    """The gap bars take the weaker leg's colour, the placement numbers the text colour."""
    view = make_view([lifted(3, 60, 10, exercise="single-leg-press", side="left"),
                      lifted(3, 50, 10, exercise="single-leg-press", minute=2, side="right"),
                      *press_history()])
    view.set_exercise("single-leg-press")
    view.show_page("sides")
    gaps = view.pages["sides"].gap_bars
    assert gaps.opts["brushes"] == [chart_colours(DARK).right]
    looks("light")
    assert gaps.opts["brushes"] == [chart_colours(LIGHT).right]
    view.set_exercise("leg-press-45")
    view.show_page("feet")
    labels = view.pages["feet"].feet_labels
    assert labels and {colour(text.color) for text in labels} == {LIGHT.text}
    looks("dark")
    assert {colour(text.color) for text in labels} == {DARK.text}


def test_a_look_changed_while_hidden_shows_on_return(make_view, looks) -> None:
    view = make_view(press_history())
    view.hide()
    looks("high_contrast")
    view.show()
    assert view.colours == chart_colours(THEMES["high_contrast"])
    assert chart_paint(view.pages["strength"].strength_plot) == expected(THEMES["high_contrast"])


@pytest.mark.parametrize("name", sorted(THEMES))
def test_every_series_reads_on_its_chart(name: str) -> None:
    """WCAG asks 3:1 of graphics; the series (and the text drawn on charts) get 4.5:1."""
    c: ChartColours = chart_colours(THEMES[name])
    for field in ("text", "text_soft", "text_dim", "load", "e1rm", "reps", "session_volume",
                  "week_volume", "left", "right"):
        assert contrast_ratio(getattr(c, field), c.surface) >= 4.5, field
    assert c.left != c.right  # the two legs never share a colour
    assert themes.current() is DARK  # this test changed nothing
