"""Progress charts: load, estimated 1RM, reps and volume over time, legs and feet compared.

pyqtgraph costs ~0.7 s to import, so this module never imports it at module level: the charts
are built the first time the screen is shown (`ensure_charts`), one tab at a time (a tab's
plots when it is first opened; the filter rows when first opened), and the app starts without
it. The numbers come from a `ProgressModel` that reads each exercise from the log once and is
then told about new sets (`set_logged`), so switching exercise or filter redraws from a cache
instead of re-reading the log. Plot items are made once and given new data (`setData`).

Colours come from the look (`themes.current()`, see `chart_colours`); a change of look reaches
the screen as a style change and re-colours what is built (`follow_look`).

Times are stored in UTC and shown in local time; `utc_offset_seconds` pins the offset (tests,
screenshots), None follows the system time zone including daylight saving.
"""

from __future__ import annotations

import functools
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import QEvent, QMetaObject, Qt, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QStackedLayout,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from legcoach.core.exercise import Exercise
from legcoach.core.records import exercise_phrase, format_load, format_number
from legcoach.core.setlog import LoadUnit, SetRecord, from_kg
from legcoach.core.sides import Side
from legcoach.core.strength import E1RM_DESCRIPTION
from legcoach.core.workspace import Workspace
from legcoach.ui import theme, themes
from legcoach.ui.widgets import Segmented, button, foot_choices, label

if TYPE_CHECKING:  # the real imports wait for the first show: they bring numpy along
    from legcoach.core.progress import (
        Filters,
        PlacementStats,
        ProgressModel,
        SessionSeries,
        SideComparison,
        WeeklySeries,
    )

DAY = 86_400.0
RANGES: dict[str, tuple[str, float | None]] = {
    "4w": ("4 weeks", 28 * DAY),
    "3m": ("3 months", 91 * DAY),
    "1y": ("1 year", 365 * DAY),
    "all": ("All", None),
}
"""Range presets: key → (button text, span in seconds; None = the whole history)."""
WIDE_CONTROLS = 900
"""px: from this width the filter button says which filters are on and the readout has two
lines; narrower (a portrait tablet) the button just says "Filters" and the readout gets three."""
DEFAULT_RANGE = "3m"
SIDE_CHOICES: list[tuple[str, Side | None]] = [("Both legs", None), ("Left", Side.LEFT),
                                               ("Right", Side.RIGHT)]

LINE_WIDTH = 4
SYMBOL_SIZE = 12
RECORD_SIZE = 26
TICK_FONT_PX = 17
AXIS_WIDTH = 84  # fixed, so stacked charts line up on the time axis
MAX_SYMBOLS = 160  # sessions in view above which lines drop their symbols
MIN_BAR_PX = 2.0  # bars never get thinner than this on screen
GRID_ALPHA = 46  # of 255: grid lines you can follow without them competing with the data

PAGE_STRENGTH, PAGE_VOLUME, PAGE_SIDES, PAGE_FEET = "strength", "volume", "sides", "feet"
READOUT_HINT = "Touch or point at a chart to read its values."
DIRECT_CHILDREN = Qt.FindChildOption.FindDirectChildrenOnly


# --- colours ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChartColours:
    """Every colour the charts paint, for one look. Each series has its own colour AND its
    own symbol or dash, so the charts also read without colour."""

    surface: str  # plot background, hollow marks, the rim around symbols
    border: str  # axes, and the grid at GRID_ALPHA
    text: str  # record star outlines, numbers on bars
    text_soft: str  # tick labels, the readout
    text_dim: str  # crosshair, zero line
    load: str
    e1rm: str
    reps: str
    session_volume: str
    week_volume: str
    left: str
    right: str


_SERIES: Final[dict[str, tuple[str, str, str, str]]] = {
    # look → (e1rm and left leg, reps, right leg); load and weekly volume take the accent.
    "dark": ("#5ec8ff", "#8be28b", "#5ec8ff", "#ff7aa8"),
    "light": ("#005f99", "#2e7d32", "#005f99", "#b0175a"),  # the dark ones vanish on white
    "high_contrast": ("#7fdcff", "#7dff7d", "#7fdcff", "#ff9ccf"),
}
"""Series colours per look, each at least 4.5:1 on that look's surface (tests check)."""


def chart_colours(palette: themes.Palette) -> ChartColours:
    """The charts' colours in `palette`'s look (an unknown look gets dark's series colours)."""
    e1rm, reps, left, right = _SERIES.get(palette.name, _SERIES["dark"])
    return ChartColours(
        surface=palette.surface, border=palette.border, text=palette.text,
        text_soft=palette.text_soft, text_dim=palette.text_dim, load=palette.accent, e1rm=e1rm,
        reps=reps, session_volume=e1rm, week_volume=palette.accent, left=left, right=right)


def _load_pyqtgraph() -> Any:
    """Import pyqtgraph (only here: it is slow). Colours are set per chart, from the look."""
    import pyqtgraph as pg

    pg.setConfigOptions(antialias=True)
    return pg


def _untitled(base: type) -> type:
    """`base` (a pyqtgraph AxisItem) for axes without a title, as all of ours are."""

    class Untitled(base):  # type: ignore[misc, valid-type]
        def _updateLabel(self) -> None:
            # pyqtgraph re-lays out the title's HTML on every pen, style and range change
            # (~0.05 ms each, dozens per chart drawn); hidden, it only needs a repaint. With
            # a pyqtgraph that no longer calls this, the axes simply work as before.
            if self.label.isVisible():
                super()._updateLabel()
            else:
                self.picture = None
                self.update()

    return Untitled


@functools.cache
def axis_type(pg: Any) -> type:
    return _untitled(pg.AxisItem)


@functools.cache
def date_axis_type(pg: Any) -> type:
    """pyqtgraph's DateAxisItem with one kind of label per zoom level: "7 Sep" on Mondays,
    "Sep 2026", or "2026". Its own levels mix month and day labels, which collide in big type.
    """
    from pyqtgraph.graphicsItems import DateAxisItem as dates

    def mondays(value: float, n: int, first: bool) -> float:
        """Ticks every n days, lined up so that weekly ticks fall on Mondays (UTC+offset)."""
        step = n * DAY
        return ((value + 3 * DAY) // step + 1) * step - 3 * DAY if first else value + step

    levels = OrderedDict([
        (float("inf"), dates.ZoomLevel([dates.TickSpec(dates.YEAR_SPACING, dates.makeYStepper(1),
                                                 "%Y", autoSkip=[1, 2, 5, 10])], "2026")),
        (150 * DAY, dates.ZoomLevel([dates.TickSpec(dates.MONTH_SPACING, dates.makeMStepper(1),
                                                    "%b %Y", autoSkip=[1, 2, 3, 6])],
                                    "Sep 2026")),
        (12 * DAY, dates.ZoomLevel([dates.TickSpec(DAY, mondays, "%d %b", autoSkip=[1, 7, 14])],
                                   "30 Sep")),
    ])

    class DateAxis(_untitled(pg.DateAxisItem)):  # type: ignore[misc]
        def __init__(self, utc_offset: int | None) -> None:
            super().__init__(orientation="bottom", utcOffset=utc_offset)
            self.zoomLevels = levels

        def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
            return [text.lstrip("0") for text in super().tickStrings(values, scale, spacing)]

    return DateAxis


Legend = tuple[tuple[str, str, str], ...]
"""A legend's entries: (ChartColours field, mark, text)."""


def legend_html(colours: ChartColours, entries: Legend) -> str:
    return "&nbsp;&nbsp;&nbsp;".join(
        f'<span style="color:{getattr(colours, role)}; font-weight:700">{mark}</span>'
        f"&nbsp;{text}" for role, mark, text in entries)


def legend(colours: ChartColours, *entries: tuple[str, str, str]) -> QWidget:
    """A chart's legend as big Qt text (pyqtgraph's own legend is small and sits on the data)."""
    widget = label(legend_html(colours, entries), wrap=True)
    widget.setTextFormat(Qt.TextFormat.RichText)
    widget.setStyleSheet("font-size: 19px;")
    return widget


def show_children(parent: QWidget) -> None:
    """Show the children just added to `parent`, unless hidden on purpose. Added to a shown
    parent, Qt would show them from the event loop: not in this render (nor in a test or a grab
    right after), and one at a time, each re-laying out the screen and resizing every chart."""
    explicit = Qt.WidgetAttribute.WA_WState_ExplicitShowHide
    for child in parent.findChildren(QWidget, options=DIRECT_CHILDREN):
        if not (child.isHidden() and child.testAttribute(explicit)):
            child.show()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "exercise"


# --- the tabs -------------------------------------------------------------------------------


class Chart:
    """A plot assembled from pyqtgraph's parts: a ViewBox with a left axis and a bottom (date)
    axis. Not PlotWidget: its PlotItem builds a settings form we never show, ~12 ms a chart."""

    def __init__(self, pg: Any, bottom: Any, *, name: str) -> None:
        self.widget = pg.GraphicsLayoutWidget()
        self.widget.setAccessibleName(name)
        self.widget.setMinimumHeight(120)
        # It fills its area with its own background: redrawing it need not repaint the
        # screens behind it (the view, the tabs, the page: half the cost of a redraw).
        for widget in (self.widget, self.widget.viewport()):
            widget.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.box = pg.ViewBox(enableMenu=False)
        self.box.setAutoVisible(y=True)  # the y range fits what is in view
        self.left = axis_type(pg)("left")
        self.bottom = bottom
        grid = self.widget.ci
        grid.setContentsMargins(2, 8, 14, 2)
        grid.setSpacing(0)
        grid.addItem(self.left, 0, 0)
        grid.addItem(self.box, 0, 1)
        grid.addItem(self.bottom, 1, 1)
        font = theme.pixel_font(TICK_FONT_PX)
        for axis in (self.left, self.bottom):
            # No axis titles, so no SI prefix to show; left on, every range change would
            # re-lay out the hidden title's HTML (~0.1 ms each, several per redraw).
            axis.enableAutoSIPrefix(False)
            axis.linkToView(self.box)
            axis.setGrid(GRID_ALPHA)
            axis.setStyle(tickFont=font, tickTextOffset=8)
        self.left.setWidth(AXIS_WIDTH)
        self.bottom.setHeight(TICK_FONT_PX + 22)

    def style(self, pg: Any, colours: ChartColours) -> None:
        """Background, axes and grid in the look's colours (at build and on a look change)."""
        self.widget.setBackground(colours.surface)
        for axis in (self.left, self.bottom):
            axis.setPen(pg.mkPen(colours.border, width=2))
            axis.setTextPen(pg.mkPen(colours.text_soft))

    def add(self, item: Any, *, ignore_bounds: bool = False) -> Any:
        self.box.addItem(item, ignoreBounds=ignore_bounds)
        return item


class _Page(QWidget):
    """One tab: its plots are made on first view and redrawn only while visible and stale.

    Shows either the plots or a message telling the lifter what to do (never blank axes).
    """

    title = ""

    def __init__(self, view: ProgressView) -> None:
        super().__init__()
        self.view = view
        self.pg: Any = None
        self.drawn: object = None
        """What was drawn last (exercise, filters, model version), to skip redundant redraws."""
        self.time_plots: list[Chart] = []
        self.charts: list[Chart] = []
        self.limits: tuple[float, float] | None = None
        self.crosshairs: list[Any] = []
        self.symbols: dict[Any, str] = {}
        self.marks: list[Any] = []
        self.bar_widths: dict[Any, float] = {}
        self.legends: list[tuple[QWidget, Legend]] = []
        self.colourers: list[Callable[[ChartColours], None]] = []
        """Each gives one item its colours: run at build, and again when the look changes."""
        self.dense = False
        self.span = 0.0

    @property
    def built(self) -> bool:
        return self.pg is not None

    def ensure_built(self, pg: Any) -> None:
        """Make the page's parts and plots (when it is first shown: most tabs never are)."""
        if self.pg is not None:
            return
        self.pg = pg
        # Lay out first (the page gets its size) and build hidden, then show the whole: each
        # chart is sized once, not once per part added and again when laid out.
        self._stack = QStackedLayout(self)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(8, 8, 8, 4)
        self.body_layout.setSpacing(4)
        self.message = label("", "h2", wrap=True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setAccessibleName("Chart message")
        self._stack.addWidget(self.body)  # the current one: shown with the page
        self._stack.addWidget(self.message)
        self.body.hide()
        self.view.layout().activate()
        self.build()
        for chart in self.charts:
            chart.style(pg, self.view.colours)
        show_children(self.body)
        self.body.show()
        self.view.layout().activate()

    def restyle(self) -> None:
        """Take the view's (new) colours; data-dependent colours come with the next draw."""
        colours = self.view.colours
        for chart in self.charts:
            chart.style(self.pg, colours)
        for colour in self.colourers:
            colour(colours)
        for widget, entries in self.legends:
            widget.setText(legend_html(colours, entries))
        self.drawn = None

    def coloured(self, item: Any, colour: Callable[[ChartColours], None]) -> Any:
        """Give `item` its colours now and whenever the look changes."""
        colour(self.view.colours)
        self.colourers.append(colour)
        return item

    def legend(self, *entries: tuple[str, str, str]) -> QWidget:
        widget = legend(self.view.colours, *entries)
        self.legends.append((widget, entries))
        return widget

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self._stack.setCurrentWidget(self.message)

    def show_body(self) -> None:
        self._stack.setCurrentWidget(self.body)

    @property
    def showing_message(self) -> bool:
        return self._stack.currentWidget() is self.message

    def add_plot(self, title: QWidget, *, stretch: int = 1, time_axis: bool = True,
                 dates: bool = True, name: str) -> Chart:
        """A chart under its title/legend; time charts get pan/zoom, hover and a crosshair.

        `dates=False` for the upper of two stacked time charts: the lower one names the
        dates for both, which leaves the height to the data on a small tablet.
        """
        pg = self.pg
        bottom = (date_axis_type(pg)(self.view.pyqtgraph_utc_offset) if time_axis
                  else axis_type(pg)("bottom"))
        chart = Chart(pg, bottom, name=name)
        if not dates:
            bottom.setStyle(showValues=False)
            bottom.setHeight(6)
        self.charts.append(chart)
        chart.box.setMouseEnabled(x=time_axis, y=False)
        if time_axis:
            self.time_plots.append(chart)
            if len(self.time_plots) > 1:
                chart.box.setXLink(self.time_plots[0].box)
            chart.box.sigXRangeChanged.connect(self.view._panned)
            scene = chart.widget.scene()
            scene.sigMouseMoved.connect(lambda pos, c=chart: self._hover(c, pos))
            scene.sigMouseClicked.connect(lambda event, c=chart: self._hover(c, event.scenePos()))
        self.body_layout.addWidget(title)
        self.body_layout.addWidget(chart.widget, stretch)
        return chart

    def line(self, chart: Chart, role: str, symbol: str, *, dash: bool = False) -> Any:
        """A thick line with a symbol per session, in the ChartColours field `role`.

        Only the part in view is processed (clipToView). No dynamicRangeLimit: the y range
        always fits the data in view, and with a limit every y change re-processes the line.
        """
        pg = self.pg
        style = Qt.PenStyle.DashLine if dash else Qt.PenStyle.SolidLine
        item = pg.PlotDataItem([], [], symbol=symbol, symbolSize=SYMBOL_SIZE, connect="finite",
                               clipToView=True, dynamicRangeLimit=None)

        def colour(c: ChartColours) -> None:
            item.setPen(pg.mkPen(getattr(c, role), width=LINE_WIDTH, style=style))
            item.setSymbolBrush(getattr(c, role))
            item.setSymbolPen(pg.mkPen(c.surface, width=1.5))

        self.symbols[item] = symbol
        return chart.add(self.coloured(item, colour))

    def declutter(self, sessions_in_view: int, span: float) -> None:
        """Keep years of sessions readable (and quick to draw): past MAX_SYMBOLS sessions in
        view, lines drop their symbols and average neighbouring sessions, record marks give
        way to the lines, and bars widen to at least MIN_BAR_PX so that they still show."""
        dense = sessions_in_view > MAX_SYMBOLS
        if dense != self.dense:
            self.dense = dense
            for item, symbol in self.symbols.items():
                item.setSymbol(None if dense else symbol)
            for item in self.marks:
                item.setVisible(not dense)
        average = -(-sessions_in_view // MAX_SYMBOLS) if dense else 1
        for item in self.symbols:
            if item.opts["downsample"] != average:
                item.setDownsampling(ds=average, auto=False, method="mean")
        self.span = span
        for item in self.bar_widths:
            width = self.bar_width(item)
            if width != item.opts["width"]:
                item.setOpts(width=width)

    def bar_width(self, item: Any) -> float:
        """The bar's own width, or MIN_BAR_PX at the current zoom if that is wider."""
        chart = self.time_plots[0] if self.time_plots else None
        pixels = chart.box.width() if chart is not None else 0.0
        floor = MIN_BAR_PX * self.span / pixels if pixels > 0 and self.span else 0.0
        return max(self.bar_widths[item], floor)

    def markers(self, chart: Chart, role: str, *, hollow: bool = False) -> Any:
        """Record stars (or hollow marks for estimates that are not trusted) in the colour
        `role`. A bare ScatterPlotItem: it paints only the marks in view, and unlike a
        PlotDataItem it is not rebuilt on every pan (there are far fewer marks than sessions).
        """
        pg = self.pg
        item = pg.ScatterPlotItem(symbol="o" if hollow else "star",
                                  size=SYMBOL_SIZE + 2 if hollow else RECORD_SIZE)

        def colour(c: ChartColours) -> None:
            if hollow:
                item.setBrush(c.surface)
                item.setPen(pg.mkPen(getattr(c, role), width=3))
            else:
                item.setBrush(getattr(c, role))
                item.setPen(pg.mkPen(c.text, width=2))

        self.marks.append(item)
        return chart.add(self.coloured(item, colour))

    def bars(self, chart: Chart, role: str | None, width: float = 1.0) -> Any:
        """Bars `width` wide (x units), without outlines: thin bars must keep their colour.
        In the colour `role`, or None when draw() gives each bar its own."""
        item = chart.add(self.pg.BarGraphItem(x=[], height=[], width=width, pen=None))
        if role is not None:
            self.coloured(item, lambda c: item.setOpts(brush=getattr(c, role)))
        if chart in self.time_plots:
            self.bar_widths[item] = width
        return item

    def _hover(self, chart: Chart, pos: Any) -> None:
        if chart.box.sceneBoundingRect().contains(pos):
            self.view.show_readout_at(chart.box.mapSceneToView(pos).x(), chart)

    def set_crosshair(self, t: float | None) -> None:
        if t is not None and not self.crosshairs:  # made when first asked for
            self.crosshairs = [chart.add(self.pg.InfiniteLine(angle=90, movable=False),
                                         ignore_bounds=True) for chart in self.time_plots]
            self.coloured(self.crosshairs, self._colour_crosshair)
        for line in self.crosshairs:
            line.setVisible(t is not None)
            if t is not None:
                line.setValue(t)

    def _colour_crosshair(self, colours: ChartColours) -> None:
        for line in self.crosshairs:
            line.setPen(self.pg.mkPen(colours.text_dim, width=2, style=Qt.PenStyle.DashLine))

    def apply_x_range(self, x_range: tuple[float, float], limits: tuple[float, float]) -> None:
        if limits != self.limits:  # setting them, even unchanged, recomputes the view
            self.limits = limits
            for chart in self.time_plots:
                chart.box.setLimits(xMin=limits[0], xMax=limits[1], minXRange=3 * DAY)
        if self.time_plots:
            self.time_plots[0].box.setXRange(*x_range, padding=0)

    # Subclasses: build() makes the plots; draw() fills them (or shows a message); readout().
    def build(self) -> None:
        raise NotImplementedError

    def draw(self) -> None:
        raise NotImplementedError

    def readout(self, t: float, plot: Any) -> tuple[str, float | None]:
        """The text for the time under the pointer, and where to put the crosshair."""
        return "", None


class StrengthPage(_Page):
    """Top-set load and estimated 1RM with record stars; the top set's reps below."""

    title = "Strength"

    def build(self) -> None:
        self.load_legend = self.legend(("load", "━●", "Top-set load"),
                                       ("e1rm", "━◆", "Estimated 1RM"),
                                       ("e1rm", "○", "from > 12 reps (rough)"),
                                       ("text", "★", "record"))
        self.load_legend.setToolTip(E1RM_DESCRIPTION)
        self.strength_plot = self.add_plot(self.load_legend, stretch=3, dates=False,
                                           name="Top-set load and estimated 1RM chart")
        self.load_line = self.line(self.strength_plot, "load", "o")
        self.e1rm_line = self.line(self.strength_plot, "e1rm", "d")
        self.e1rm_rough = self.markers(self.strength_plot, "e1rm", hollow=True)
        self.load_records = self.markers(self.strength_plot, "load")
        self.e1rm_records = self.markers(self.strength_plot, "e1rm")
        caption = label(f"{E1RM_DESCRIPTION} · {self.view.unit.value}", "dim")
        caption.setStyleSheet("font-size: 16px;")
        self.body_layout.insertWidget(1, caption)
        self.reps_plot = self.add_plot(self.legend(("reps", "━■", "Reps of the top set")),
                                       stretch=2, name="Top-set reps chart")
        self.reps_line = self.line(self.reps_plot, "reps", "s")

    def draw(self) -> None:
        s, k = self.view.series(), self.view.per_kg
        load, e1rm = s.top_load_kg * k, s.best_e1rm_kg * k  # in the lifter's unit
        self.load_line.setData(s.t, load)
        self.e1rm_line.setData(s.t, e1rm)
        rough = ~s.e1rm_reliable & (s.best_e1rm_kg == s.best_e1rm_kg)  # not NaN
        self.e1rm_rough.setData(s.t[rough], e1rm[rough])
        self.load_records.setData(s.t[s.load_record], load[s.load_record])
        self.e1rm_records.setData(s.t[s.e1rm_record], e1rm[s.e1rm_record])
        self.reps_line.setData(s.t, s.top_reps)

    def readout(self, t: float, plot: Any) -> tuple[str, float | None]:
        return self.view.session_readout(t)


class VolumePage(_Page):
    """Volume per session and per ISO week, as bars."""

    title = "Volume"

    def build(self) -> None:
        self.session_plot = self.add_plot(
            self.legend(("session_volume", "▮",
                         f"Volume per session ({self.view.unit.value} = load × reps)")),
            dates=False, name="Volume per session chart")
        self.session_bars = self.bars(self.session_plot, "session_volume", 2.2 * DAY)
        self.week_plot = self.add_plot(
            self.legend(("week_volume", "▮",
                         f"Volume per week (Monday–Sunday, {self.view.unit.value})")),
            name="Volume per week chart")
        self.week_bars = self.bars(self.week_plot, "week_volume", 6 * DAY)

    def draw(self) -> None:
        s = self.view.series()
        self.session_bars.setOpts(x=s.t, height=s.volume_kg * self.view.per_kg,
                                  width=self.bar_width(self.session_bars))
        weeks = self.view.weekly()
        self.week_bars.setOpts(x=weeks.t + 3.5 * DAY, height=weeks.volume_kg * self.view.per_kg,
                               width=self.bar_width(self.week_bars))

    def readout(self, t: float, plot: Any) -> tuple[str, float | None]:
        if plot is not self.week_plot:
            return self.view.session_readout(t)
        weeks = self.view.weekly()
        index = _nearest(weeks.t + 3.5 * DAY, t)
        if index is None:
            return "", None
        monday = self.view.local(weeks.monday(index))
        count = int(weeks.sessions[index])
        text = (f"Week {weeks.label(index)} (from {_day(monday)}) · "
                f"{format_load(float(weeks.volume_kg[index]), self.view.unit, 0)} in {count} "
                f"session{'s' if count != 1 else ''}")
        return text, float(weeks.t[index] + 3.5 * DAY)


class SidesPage(_Page):
    """Left against right by estimated 1RM, and the gap between them per session."""

    title = "Left vs right"

    def build(self) -> None:
        self.sides_plot = self.add_plot(
            self.legend(("left", "━●", "Left leg"), ("right", "╍■", "Right leg"),
                        ("text_dim", "", f"estimated 1RM, {self.view.unit.value}")),
            stretch=3, dates=False, name="Left and right leg chart")
        self.left_line = self.line(self.sides_plot, "left", "o")
        self.right_line = self.line(self.sides_plot, "right", "s", dash=True)
        self.gap_plot = self.add_plot(
            self.legend(("left", "▲", "above 0: left leg weaker"),
                        ("right", "▼", "below 0: right leg weaker"),
                        ("text_dim", "", "gap in % of the stronger leg")),
            stretch=2, name="Leg imbalance chart")
        self.gap_bars = self.bars(self.gap_plot, None, 2.2 * DAY)  # draw() colours each bar
        pg = self.pg
        zero = pg.InfiniteLine(pos=0, angle=0)
        self.coloured(zero, lambda c: zero.setPen(pg.mkPen(c.text_dim, width=2)))
        self.gap_plot.add(zero, ignore_bounds=True)

    def draw(self) -> None:
        sides = self.view.sides()
        if not len(sides):
            self.show_message("Log both legs in the same session to compare them here.")
            return
        k = self.view.per_kg
        self.left_line.setData(sides.left.t, sides.left.best_e1rm_kg * k)
        self.right_line.setData(sides.right.t, sides.right.best_e1rm_kg * k)
        colours = self.view.colours
        brushes = [colours.left if gap > 0 else colours.right for gap in sides.imbalance_pct]
        self.gap_bars.setOpts(x=sides.t, height=sides.imbalance_pct,
                              width=self.bar_width(self.gap_bars),
                              brushes=brushes)

    def readout(self, t: float, plot: Any) -> tuple[str, float | None]:
        sides = self.view.sides()
        index = _nearest(sides.t, t)
        if index is None:
            return "", None
        gap = float(sides.imbalance_pct[index])
        weaker = sides.weaker(index)
        verdict = ("legs equal" if weaker is None
                   else f"{weaker.value} leg {format_number(abs(gap), 1)}% weaker")
        text = (f"{self.view.when(sides.started_at[index])} · left "
                f"{format_load(float(sides.left_e1rm_kg[index]), self.view.unit, 1)} · right "
                f"{format_load(float(sides.right_e1rm_kg[index]), self.view.unit, 1)} · "
                f"{verdict}")
        return text, float(sides.t[index])


class FeetPage(_Page):
    """Best estimated 1RM and number of sessions for each foot placement."""

    title = "Feet"

    def build(self) -> None:
        self.feet_plot = self.add_plot(
            self.legend(("load", "▮", "Best estimated 1RM per foot placement "
                                      f"({self.view.unit.value})")),
            time_axis=False, name="Foot placement chart")
        self.feet_bars = self.bars(self.feet_plot, "load")
        self.feet_labels: list[Any] = []
        """The numbers above the bars now drawn (the first of `_label_pool`)."""
        self._label_pool: list[Any] = []  # reused from draw to draw, hidden when not needed
        self.coloured(self._label_pool, lambda c: [text.setColor(c.text)
                                                   for text in self._label_pool])
        self.hint = label("", "dim", wrap=True)
        self.hint.setStyleSheet("font-size: 19px;")
        self.body_layout.addWidget(self.hint)

    def draw(self) -> None:
        stats = self.view.placements()
        known = [s for s in stats if s.best_e1rm_kg is not None]
        if not known:
            self.show_message("Record where your feet were in the log form to compare "
                              "foot placements here.")
            return
        chart = self.feet_plot
        heights = [s.best_e1rm_kg * self.view.per_kg for s in known]
        self.feet_bars.setOpts(x=list(range(len(known))), height=heights, width=0.6)
        chart.bottom.setTicks([[(i, s.label) for i, s in enumerate(known)]])
        while len(self._label_pool) < len(known):
            text = self.pg.TextItem("", color=self.view.colours.text, anchor=(0.5, 1.0))
            text.setFont(theme.pixel_font(19, bold=True))
            self._label_pool.append(chart.add(text))
        self.feet_labels = self._label_pool[:len(known)]
        for i, (text, stat) in enumerate(zip(self.feet_labels, known, strict=True)):
            text.setText(_placement_text(stat, self.view.unit))
            text.setPos(i, heights[i])
            text.show()
        for text in self._label_pool[len(known):]:
            text.hide()
        chart.box.setXRange(-0.6, len(known) - 0.4, padding=0)
        chart.box.setYRange(0, max(heights) * 1.3, padding=0)
        self.hint.setText(_feet_hint(known))


def _placement_text(stat: PlacementStats, unit: LoadUnit = LoadUnit.KG) -> str:
    rough = "" if stat.e1rm_reliable else " (rough)"
    count = f"{stat.sessions} session{'s' if stat.sessions != 1 else ''}"
    return f"{format_load(stat.best_e1rm_kg or 0.0, unit, 1)}{rough}\n{count}"


def _feet_hint(known: list[PlacementStats]) -> str:
    if len(known) == 1:
        return (f"Every counted set so far used one placement ({known[0].label.lower()}). "
                "Log sets with other feet to compare them.")
    best = max(known, key=lambda s: s.best_e1rm_kg or 0.0)
    return (f"Strongest so far: {best.label.lower()}. Placements shift the work between "
            "muscles, so compare like with like.")


def _nearest(values: Any, t: float) -> int | None:
    if not len(values):
        return None
    return int(abs(values - t).argmin())


def _day(moment: datetime) -> str:
    return f"{moment:%a} {moment.day} {moment:%b %Y}"


# --- the screen -----------------------------------------------------------------------------


class ProgressView(QWidget):
    """The progress screen. Tell it about sets: `set_logged` after logging, `log_changed`
    after an edit, delete or undo; `refresh` is cheap and catches anything it missed."""

    notify = Signal(str)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None, *,
                 utc_offset_seconds: int | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.unit: LoadUnit = workspace.settings.unit
        """The lifter's display unit, read once: the window builds the view again when it
        changes (legends and axes are made in it)."""
        self.per_kg = from_kg(1.0, self.unit)
        """What one kg is in `unit`: chart values are stored in kg and scaled when drawn."""
        self._known_count = workspace.sets.store.count()
        self.utc_offset_seconds = utc_offset_seconds
        self.tz: tzinfo | None = (None if utc_offset_seconds is None
                                  else timezone(timedelta(seconds=utc_offset_seconds)))
        self.exercises: list[Exercise] = list(workspace.library)
        self.exercise: Exercise | None = self.exercises[0] if self.exercises else None
        self.range_key = DEFAULT_RANGE
        self.x_range: tuple[float, float] | None = None
        self.range_note = ""
        self.density_note = ""
        self.built = False
        self.pg: Any = None
        self.tabs: QTabWidget | None = None
        self.pages: dict[str, _Page] = {}
        self._model: ProgressModel | None = None
        self._filters: Filters | None = None
        self._shown: object = None
        self._settling = False
        self._rendering = False
        self.colours = chart_colours(themes.current())
        """The look's colours the charts are painted in (see changeEvent)."""
        self._look_check_queued = False
        QVBoxLayout(self).setContentsMargins(24, 8, 24, 12)

    @property
    def model(self) -> ProgressModel:
        """Made on first use, reading each exercise from the store when it is first shown."""
        if self._model is None:
            from legcoach.core.progress import ProgressModel

            store = self.workspace.sets.store
            self._model = ProgressModel(
                loader=lambda exercise_id: store.query(exercise_id=exercise_id))
        return self._model

    @property
    def filters(self) -> Filters:
        if self._filters is None:
            from legcoach.core.progress import Filters

            self._filters = Filters()
        return self._filters

    def ensure_ui(self) -> None:
        """Build the controls (on first show: the app's start-up does not pay for them)."""
        if self.built:
            return
        self.built = True
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.setSpacing(8)
        layout.addLayout(self._build_choices())
        self.filter_panel: QWidget | None = None  # made when first opened (ensure_filters)
        self.range_label = label("", "dim", wrap=True)
        self.range_label.setStyleSheet("font-size: 18px;")
        self.range_label.hide()
        layout.addWidget(self.range_label)

        self.content = QStackedLayout()
        self.empty = QWidget()
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.addStretch(1)
        self.empty_label = label("", "h1", wrap=True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setAccessibleName("Progress message")
        self.empty_hint = label("", "dim", wrap=True)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setStyleSheet("font-size: 22px;")
        self.reset_button = button("Show all sets again", accessible="Reset the chart filters")
        self.reset_button.clicked.connect(self.reset_filters)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addWidget(self.empty_hint)
        empty_layout.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(2)
        self.content.addWidget(self.empty)
        self.charts_host = QWidget()
        self.charts_layout = QVBoxLayout(self.charts_host)
        self.charts_layout.setContentsMargins(0, 0, 0, 0)
        self.content.addWidget(self.charts_host)
        layout.addLayout(self.content, 1)

        bottom = QHBoxLayout()
        bottom.setSpacing(12)
        self.readout = label(READOUT_HINT, wrap=True)
        self.readout.setAccessibleName("Chart readout")
        self._style_readout()
        self._fit_readout()
        self.png_button = button("Export PNG", accessible="Export the chart as a picture")
        self.csv_button = button("Export CSV", accessible="Export the chart data as CSV")
        self.png_button.clicked.connect(self._ask_png)
        self.csv_button.clicked.connect(self._ask_csv)
        bottom.addWidget(self.readout, 1)
        bottom.addWidget(self.png_button)
        bottom.addWidget(self.csv_button)
        layout.addLayout(bottom)
        self._sync_controls()
        show_children(self)

    # --- the look ---------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        """A new application style sheet (a look change) reaches every widget as StyleChange:
        re-colour the charts then, even while hidden, so they show in the new look.

        Checked from the event loop (before the next paint): `themes.apply_look` sets the style
        sheet, which sends this, before it makes the new look `themes.current()`."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange and not self._look_check_queued:
            self._look_check_queued = True
            QMetaObject.invokeMethod(self, "_check_look", Qt.ConnectionType.QueuedConnection)

    @Slot()
    def _check_look(self) -> None:
        self._look_check_queued = False
        self.follow_look()

    def follow_look(self) -> None:
        """Re-colour what is built if the look changed since; cheap when it did not (StyleChange
        also comes for other reasons). Pages built later take the colours when built."""
        colours = chart_colours(themes.current())
        if colours == self.colours:
            return
        self.colours = colours
        if self.built:
            self._style_readout()
        for page in self.pages.values():
            if page.built:
                page.restyle()
        self._shown = None  # redraw: some colours depend on the data (bars of the weaker leg)
        self.render()

    def _style_readout(self) -> None:
        self.readout.setStyleSheet(f"font-size: 20px; color: {self.colours.text_soft};")

    # --- controls ---------------------------------------------------------------------------

    def _build_choices(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(14)
        self.exercise_box = QComboBox()
        self.exercise_box.setAccessibleName("Exercise")
        self.exercise_box.setMinimumHeight(theme.TOUCH_MIN)
        self.exercise_box.setStyleSheet("QComboBox { font-size: 22px; font-weight: 600; }")
        for exercise in self.exercises:
            self.exercise_box.addItem(exercise.name, exercise.id)
        self.exercise_box.currentIndexChanged.connect(
            lambda index: self.set_exercise(self.exercise_box.itemData(index)))
        self.range_choice = Segmented([(text, key) for key, (text, _) in RANGES.items()],
                                      name="Time range")
        self.range_choice.set_value(self.range_key)
        self.range_choice.changed.connect(self.set_range)
        self.filter_button = button("Filters", accessible="Show or hide the chart filters")
        self.filter_button.setCheckable(True)
        self.filter_button.toggled.connect(self.filter_panel_toggled)
        row.addWidget(self.exercise_box, 3)
        row.addWidget(self.range_choice, 4)
        row.addWidget(self.filter_button, 2)
        return row

    def ensure_filters(self) -> QWidget:
        """The filter rows, made the first time the lifter opens them: four rows of buttons
        nobody may ever open need not slow down every first view of the charts."""
        if self.filter_panel is None:
            self.ensure_ui()
            self.filter_panel = self._build_filters()
            self.filter_panel.hide()
            layout = self.layout()
            assert isinstance(layout, QVBoxLayout)
            layout.insertWidget(1, self.filter_panel)  # under the exercise and range row
            self._sync_controls()
        return self.filter_panel

    def _build_filters(self) -> QWidget:
        panel = QWidget()
        grid = QGridLayout(panel)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        from legcoach.core.progress import ALL_SETS, HARD_SETS, WORKING_SETS

        self.set_type_choice = Segmented([("Working", WORKING_SETS),
                                          ("+ drop/failure", HARD_SETS),
                                          ("+ warm-ups", ALL_SETS)], name="Sets counted")
        self.side_choice = Segmented(SIDE_CHOICES, name="Leg")
        self.height_choice, self.width_choice = foot_choices()
        self.side_label = label("Leg", "dim")
        for row, column, text, widget in ((0, 0, "Sets", self.set_type_choice),
                                          (0, 2, "", self.side_choice),
                                          (1, 0, "Feet", self.height_choice),
                                          (1, 2, "", self.width_choice)):
            caption = self.side_label if widget is self.side_choice else label(text, "dim")
            grid.addWidget(caption, row, column)
            grid.addWidget(widget, row, column + 1)
            widget.changed.connect(self._filters_changed)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        return panel

    def filter_panel_toggled(self, shown: bool) -> None:
        if shown or self.filter_panel is not None:
            self.ensure_filters().setVisible(shown)

    def _filters_changed(self, _value: object = None) -> None:
        from legcoach.core.progress import WORKING_SETS, Filters

        self.set_filters(Filters(set_types=self.set_type_choice.value() or WORKING_SETS,
                                 side=self.side_choice.value(),  # type: ignore[arg-type]
                                 foot_height=self.height_choice.value(),  # type: ignore[arg-type]
                                 foot_width=self.width_choice.value()))  # type: ignore[arg-type]

    def _sync_controls(self) -> None:
        """Controls show the current choices; the side filter only for one-leg exercises."""
        if not self.built:
            return
        if self.filter_panel is not None:
            one_sided = self.exercise is not None and self.exercise.one_sided
            self.side_choice.setVisible(one_sided)
            self.side_label.setVisible(one_sided)
            self.set_type_choice.set_value(self.filters.set_types)
            self.side_choice.set_value(self.filters.side)
            self.height_choice.set_value(self.filters.foot_height)
            self.width_choice.set_value(self.filters.foot_width)
        self.range_choice.set_value(self.range_key)
        if self.exercise is not None:
            self.exercise_box.blockSignals(True)
            self.exercise_box.setCurrentIndex(self.exercise_box.findData(self.exercise.id))
            self.exercise_box.blockSignals(False)
        summary = f"Filters: {self.filter_summary()}"
        self.filter_button.setAccessibleName(f"{summary} (show or hide the chart filters)")
        # On a portrait tablet the summary does not fit beside the range: the panel shows it.
        self.filter_button.setText(summary if self.width() >= WIDE_CONTROLS else "Filters")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.built and (event.size().width() >= WIDE_CONTROLS) != (
                event.oldSize().width() >= WIDE_CONTROLS):
            self._sync_controls()
            self._fit_readout()

    def _fit_readout(self) -> None:
        """A fixed height, so a new readout never relayouts the charts: two lines when wide,
        three on a portrait tablet."""
        self.readout.setFixedHeight(56 if self.width() >= WIDE_CONTROLS else 84)

    def filter_summary(self) -> str:
        """E.g. "working · any feet" or "all sets · high · wide · left"."""
        from legcoach.core.progress import ALL_SETS, HARD_SETS, WORKING_SETS

        names = {WORKING_SETS: "working", HARD_SETS: "hard sets", ALL_SETS: "all sets"}
        parts = [names.get(self.filters.set_types, "custom")]
        feet = [f.value for f in (self.filters.foot_height, self.filters.foot_width) if f]
        parts.append(" · ".join(feet) if feet else "any feet")
        if self.filters.side is not None and self.exercise is not None \
                and self.exercise.one_sided:
            parts.append(self.filters.side.value)
        return " · ".join(parts)

    # --- what to show -----------------------------------------------------------------------

    def set_exercise(self, exercise_id: str) -> None:
        exercise = self.workspace.library.get(exercise_id)
        if exercise is None or exercise is self.exercise:
            return
        self.exercise = exercise
        if not exercise.one_sided and self._filters is not None \
                and self._filters.side is not None:
            self._filters = self._filters.with_side(None)
        self._restart_range()  # a new exercise starts on the chosen range preset
        self.clear_readout()
        self._sync_controls()
        self.render()

    def set_range(self, key: object) -> None:
        if key not in RANGES:
            return
        self.range_key = str(key)
        self._restart_range()
        self._sync_controls()
        self.render()

    def set_filters(self, filters: Filters) -> None:
        if filters == self.filters:
            return
        self._filters = filters
        self._restart_range()
        self._sync_controls()
        self.render()

    def _restart_range(self) -> None:
        """Forget pans and zooms: the next render shows the preset's window (up to now)."""
        self.x_range = None
        self._shown = None

    def reset_filters(self) -> None:
        from legcoach.core.progress import ALL_SETS, Filters

        self.set_filters(Filters(set_types=ALL_SETS))

    # --- telling it about the log -----------------------------------------------------------

    def set_logged(self, records: SetRecord | list[SetRecord]) -> None:
        """After sets were logged (and stored): take them in without re-reading the log."""
        if self._model is not None:  # else the model, when made, reads them from the store
            for record in records if isinstance(records, list) else [records]:
                self._model.add(record)
        self._known_count = self.workspace.sets.store.count()
        self.render()

    def log_changed(self, exercise_id: str | None = None) -> None:
        """After an edit, delete or undo: that exercise (or all) is read again when shown."""
        if self._model is not None:
            self._model.reload(exercise_id)
        self._known_count = self.workspace.sets.store.count()
        self.render()

    def refresh(self) -> None:
        """Redraw if needed. A changed set count that nobody reported means the log changed
        behind our back: everything is read again (lazily, current exercise first)."""
        count = self.workspace.sets.store.count()
        if count != self._known_count:
            self.log_changed()
        else:
            self.render()

    # --- data for the pages -----------------------------------------------------------------

    def _exercise_id(self) -> str:
        assert self.exercise is not None
        return self.exercise.id

    def series(self) -> SessionSeries:
        return self.model.sessions(self._exercise_id(), self.filters)

    def weekly(self) -> WeeklySeries:
        return self.model.weekly(self._exercise_id(), self.filters)

    def sides(self) -> SideComparison:
        return self.model.sides(self._exercise_id(), self.filters)

    def placements(self) -> tuple[PlacementStats, ...]:
        return self.model.placements(self._exercise_id(), self.filters)

    # --- time -------------------------------------------------------------------------------

    @property
    def pyqtgraph_utc_offset(self) -> int | None:
        """pyqtgraph counts the offset west of Greenwich (like time.timezone): the sign flips."""
        return None if self.utc_offset_seconds is None else -self.utc_offset_seconds

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)

    def when(self, moment: datetime) -> str:
        """E.g. "Mon 7 Sep 2026 18:57", in local time."""
        local = self.local(moment)
        return f"{_day(local)} {local:%H:%M}"

    # --- drawing ----------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.ensure_ui()
        self.follow_look()  # in case the look changed while no StyleChange could reach us
        self.render()

    def ensure_charts(self) -> None:
        """Import pyqtgraph and make the tabs; their plots are made when each is first shown."""
        if self.tabs is not None:
            return
        self.ensure_ui()
        self.pg = _load_pyqtgraph()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Chart")
        self.tabs.setDocumentMode(True)
        for key, page_type in ((PAGE_STRENGTH, StrengthPage), (PAGE_VOLUME, VolumePage),
                               (PAGE_SIDES, SidesPage), (PAGE_FEET, FeetPage)):
            page = page_type(self)
            self.pages[key] = page
            self.tabs.addTab(page, page.title)
        self.tabs.currentChanged.connect(lambda _index: self.render())
        self.charts_layout.addWidget(self.tabs)
        show_children(self.charts_host)

    @property
    def page(self) -> _Page | None:
        return None if self.tabs is None else self.tabs.currentWidget()  # type: ignore[return-value]

    def show_page(self, key: str) -> None:
        self.ensure_charts()
        assert self.tabs is not None
        self.tabs.setCurrentWidget(self.pages[key])

    def render(self) -> None:
        """Bring what is on screen up to date; nothing happens while hidden (done on show)."""
        if not self.isVisible() or self.exercise is None or self._rendering:
            return
        self._rendering = True  # tab changes made here must not start a second render
        try:
            self._render()
        finally:
            self._rendering = False

    def _render(self) -> None:
        assert self.exercise is not None
        exercise = self.exercise
        self.ensure_ui()
        if self.model.set_count(exercise.id) == 0:  # before the charts: no pyqtgraph needed
            self._shown = None
            self._show_empty(f"Log your first {exercise_phrase(exercise.name)} set to see "
                             "progress here.",
                             "Start a set from Exercises or a routine under Train; the charts "
                             "fill in after every set you save.", reset=False)
            return
        self.ensure_charts()
        assert self.tabs is not None
        one_sided = exercise.one_sided
        sides_tab = self.tabs.indexOf(self.pages[PAGE_SIDES])
        if self.tabs.isTabVisible(sides_tab) != one_sided:  # else it still relays the window
            self.tabs.setTabVisible(sides_tab, one_sided)
        if not one_sided and self.page is self.pages[PAGE_SIDES]:
            self.tabs.setCurrentWidget(self.pages[PAGE_STRENGTH])
        shown = (exercise.id, self.filters, self.model.version(exercise.id), self.range_key,
                 self.tabs.currentIndex())
        if shown == self._shown:
            return
        self._shown = shown
        series = self.series()
        if not len(series):
            self._show_empty(f"No {exercise_phrase(exercise.name)} sets match these "
                             f"filters ({self.filter_summary()}).",
                             "Change the filters above, or show every set again.", reset=True)
            return
        self.content.setCurrentWidget(self.charts_host)
        for control in (self.range_choice, self.filter_button, self.png_button,
                        self.csv_button):
            control.setEnabled(True)
        page = self.page
        assert page is not None
        page.ensure_built(self.pg)
        self._apply_range(series, page)  # first: lines then take in only what is in view
        key = (exercise.id, self.filters, self.model.version(exercise.id))
        if page.drawn != key:
            page.show_body()  # draw() may switch to a message instead
            page.draw()
            page.drawn = key
        for chart in page.charts:
            chart.box.prepareForPaint()  # fit y now, or the first paint triggers a second

    def _show_empty(self, text: str, hint: str, *, reset: bool) -> None:
        self.empty_label.setText(text)
        self.empty_hint.setText(hint)
        self.reset_button.setVisible(reset)
        self.range_label.hide()
        self.content.setCurrentWidget(self.empty)
        for control in (self.range_choice, self.png_button, self.csv_button):
            control.setEnabled(False)
        self.filter_button.setEnabled(reset)
        if not reset:
            self.filter_button.setChecked(False)  # no sets at all: filters cannot help

    def _apply_range(self, series: SessionSeries, page: _Page) -> None:
        now = self.workspace.now().timestamp()
        first, last = float(series.t[0]), float(series.t[-1])
        limits = (first - 30 * DAY, max(now, last) + 30 * DAY)
        if self.x_range is None:
            self.x_range, self.range_note = self._preset_range(first, last, now)
        self._show_notes()
        shown = (max(self.x_range[0], limits[0]), min(self.x_range[1], limits[1]))
        self._settling = True  # our own range change is not a pan by the lifter
        try:
            page.apply_x_range(shown, limits)
        finally:
            self._settling = False
        self._declutter(page, *shown)

    def _preset_range(self, first: float, last: float, now: float
                      ) -> tuple[tuple[float, float], str]:
        """The preset's window ending now; if it holds no session, the one ending at the last
        session instead, with a note saying so (never an empty chart)."""
        pad = 2 * DAY
        text, span = RANGES[self.range_key]
        end = max(now, last)
        if span is None:
            return (first - pad, end + pad), ""
        if last >= end - span:
            return (end - span, end + pad), ""
        when = _day(self.local(datetime.fromtimestamp(last, UTC)))
        note = (f"No sessions in the last {text}: showing the {text} up to your last one "
                f"({when}).")
        return (last - span, last + pad), note

    def _panned(self, _box: Any = None, x_range: Any = None) -> None:
        """Remember a pan or zoom (other tabs open on the same dates) and thin the symbols."""
        if x_range is None or self.page is None:
            return
        start, end = float(x_range[0]), float(x_range[1])
        if not (self._settling or self._rendering):  # only the lifter's own pans and zooms
            self.x_range = (start, end)
        self._declutter(self.page, start, end)

    def _declutter(self, page: _Page, start: float, end: float) -> None:
        if self.exercise is None or not self.model.is_loaded(self.exercise.id):
            return
        times = self.series().t
        page.declutter(int(times.searchsorted(end) - times.searchsorted(start)), end - start)
        self.density_note = ("Lines average neighbouring sessions at this zoom; zoom in or "
                             "pick a shorter range for single sessions and record stars."
                             if page.dense and page.symbols else "")
        self._show_notes()

    def _show_notes(self) -> None:
        text = " ".join(note for note in (self.range_note, self.density_note) if note)
        if text != self.range_label.text():
            self.range_label.setText(text)
        self.range_label.setVisible(bool(text))

    # --- readout ----------------------------------------------------------------------------

    def clear_readout(self) -> None:
        if not self.built:
            return
        self.readout.setText(READOUT_HINT)
        for page in self.pages.values():
            page.set_crosshair(None)

    def show_readout_at(self, t: float, plot: Any = None) -> str:
        """Put the crosshair on the session nearest `t` and say what happened there."""
        page = self.page
        if page is None or not page.built or page.showing_message:
            return ""
        text, at = page.readout(t, plot)
        page.set_crosshair(at)
        if text:
            self.readout.setText(text)
        return text

    def session_readout(self, t: float) -> tuple[str, float | None]:
        series = self.series()
        index = series.index_near(t)
        if index is None:
            return "", None
        row = series.row(index)
        parts = [self.when(row.started_at)]
        if row.top_load_kg is not None:
            parts.append(f"top set {format_load(row.top_load_kg, self.unit)} × {row.top_reps}")
        if row.best_e1rm_kg is not None:
            rough = "" if row.e1rm_reliable else " (rough)"
            parts.append(f"e1RM {format_load(row.best_e1rm_kg, self.unit, 1)}{rough}")
        parts.append(f"volume {format_load(row.volume_kg, self.unit, 0)}")
        stars = [name for flag, name in ((row.load_record, "heaviest"),
                                         (row.e1rm_record, "best e1RM")) if flag]
        if stars:
            parts.append("★ " + " & ".join(stars))
        return " · ".join(parts), float(series.t[index])

    # --- export -----------------------------------------------------------------------------

    def _export_name(self, what: str, suffix: str) -> str:
        name = self.exercise.name if self.exercise else "progress"
        return f"legcoach-{_slug(name)}-{what}.{suffix}"

    def csv_export(self) -> tuple[str, str]:
        """(what, CSV text) for the tab on screen: left/right, weekly volume, or sessions."""
        from legcoach.core.progress import sessions_csv, sides_csv, weekly_csv

        if self.page is self.pages.get(PAGE_SIDES):
            return "left-right", sides_csv(self.sides())
        if self.page is self.pages.get(PAGE_VOLUME):
            return "weekly-volume", weekly_csv(self.weekly())
        return "sessions", sessions_csv(self.series())

    def export_csv(self, path: str | Path) -> bool:
        """Write the data on screen as CSV (UTF-8, UTC ISO dates); False and a message if not."""
        what, text = self.csv_export()
        return self._write(path, lambda target: target.write_text(text, encoding="utf-8"),
                           f"the {what.replace('-', ' ')} data")

    def export_png(self, path: str | Path) -> bool:
        """Save the screen as a picture: charts with the exercise, range and filters shown."""
        def save(target: Path) -> None:
            if not self.grab().save(str(target), "PNG"):
                raise OSError(f"could not write {target.name}")
        return self._write(path, save, "the chart")

    def _write(self, path: str | Path, write: Callable[[Path], None], what: str) -> bool:
        target = Path(path)
        try:
            write(target)
        except OSError as error:
            reason = getattr(error, "strerror", None) or error
            self.notify.emit(f"Could not save {what} ({reason}).")
            return False
        self.notify.emit(f"Saved {what} to {target}.")
        return True

    def _ask_png(self) -> None:
        self._ask("Export chart as PNG", self._export_name("chart", "png"), "PNG image (*.png)",
                  self.export_png)

    def _ask_csv(self) -> None:
        what, _text = self.csv_export()
        self._ask("Export chart data as CSV", self._export_name(what, "csv"),
                  "CSV file (*.csv)", self.export_csv)

    def _ask(self, title: str, name: str, kinds: str, export: Callable[[str], bool]) -> None:
        path, _kind = QFileDialog.getSaveFileName(self, title, str(Path.home() / name), kinds)
        if path:
            export(path)
