"""The progress screen draws exactly what was logged: points, bars, record stars, both legs,
filters, local-time date axis, hover readout, exports, empty states, and a lazy pyqtgraph."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtGui import QImage

from legcoach.core.exercise import FootHeight, FootWidth
from legcoach.core.progress import (
    ALL_SETS,
    HARD_SETS,
    Filters,
    sessions_csv,
    sides_csv,
    weekly_csv,
)
from legcoach.core.setlog import LoadUnit, SetRecord, SetType, replace_fields
from legcoach.core.sides import Side

PRESS, SINGLE, THRUST = "leg-press-45", "single-leg-press", "hip-thrust-machine"
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)  # the `wall` fixture's time: a Sunday
DAY = 86_400.0
PLUS_ONE = 3600  # the screen's pinned UTC offset: tests read the same local time everywhere
ROOT = Path(__file__).resolve().parents[2]


def lifted(days_ago: float, load: float, reps: int, *, exercise: str = PRESS,
           session: str | None = None, minute: int = 0, **fields: Any) -> SetRecord:
    """A set `days_ago` days before NOW at 18:00 UTC (+ `minute`), in kg."""
    moment = (NOW - timedelta(days=days_ago)).replace(hour=18) + timedelta(minutes=minute)
    values: dict[str, Any] = {
        "exercise_id": exercise, "session_id": session, "performed_at": moment,
        "unit": LoadUnit.KG, "entered_load": f"{load:g}", "reps": reps,
        "created_at": moment, "updated_at": moment,
    }
    return SetRecord(**(values | fields))


def press_history() -> list[SetRecord]:
    """Three 45° press sessions; the middle one sets both records, the last only volume."""
    return [
        lifted(20, 60, 10, session="a", set_type=SetType.WARMUP),
        lifted(20, 100, 10, session="a", minute=3),
        lifted(20, 100, 8, session="a", minute=6),
        lifted(13, 110, 10, session="b", foot_height=FootHeight.HIGH,
               foot_width=FootWidth.WIDE),
        lifted(13, 90, 12, session="b", minute=3, set_type=SetType.DROP),
        lifted(6, 105, 10, session="c"),
        lifted(6, 105, 10, session="c", minute=3),
    ]


def starts(*days_ago: float) -> list[float]:
    return [(NOW - timedelta(days=d)).replace(hour=18).timestamp() for d in days_ago]


def data_of(item: Any) -> tuple[list[float], list[float]]:
    """What a PlotDataItem or ScatterPlotItem was given, as lists."""
    x, y = item.getData()
    return ([] if x is None else list(x)), ([] if y is None else list(y))


def bars_of(item: Any) -> tuple[list[float], list[float]]:
    return list(item.opts["x"]), list(item.opts["height"])


@pytest.fixture
def make_view(qtbot, qapp, workspace):
    from legcoach.ui.progress_view import ProgressView
    from legcoach.ui.theme import apply_theme

    apply_theme(qapp)

    def make(records: list[SetRecord] = (), *, offset: int | None = PLUS_ONE) -> ProgressView:
        if records:
            workspace.log(list(records))
        view = ProgressView(workspace, utc_offset_seconds=offset)
        qtbot.addWidget(view)
        view.resize(1280, 800)
        view.show()
        qtbot.waitExposed(view)
        return view

    return make


# --- what is drawn ---------------------------------------------------------------------------


def test_strength_chart_draws_the_logged_sessions_and_records(make_view) -> None:
    view = make_view(press_history())
    view.set_range("all")
    page = view.pages["strength"]
    assert view.content.currentWidget() is view.charts_host
    t = starts(20, 13, 6)
    assert data_of(page.load_line) == (t, [100.0, 110.0, 105.0])
    assert data_of(page.e1rm_line) == (t, pytest.approx([100 * 40 / 30, 110 * 40 / 30,
                                                         105 * 40 / 30]))
    assert data_of(page.reps_line) == (t, [10.0, 10.0, 10.0])
    assert data_of(page.load_records) == ([t[1]], [110.0])  # the first session is a baseline
    assert data_of(page.e1rm_records) == ([t[1]], pytest.approx([110 * 40 / 30]))
    assert data_of(page.e1rm_rough) == ([], [])


def test_volume_bars_per_session_and_per_week(make_view) -> None:
    view = make_view(press_history())
    view.set_range("all")
    view.show_page("volume")
    page = view.pages["volume"]
    assert bars_of(page.session_bars) == (starts(20, 13, 6), [1800.0, 1100.0, 2100.0])
    # Sessions 20, 13 and 6 days before Sunday 22 Nov: Mondays 2, 9 and 16 Nov (ISO weeks).
    mondays = [datetime(2026, 11, d, tzinfo=UTC).timestamp() + 3.5 * DAY for d in (2, 9, 16)]
    assert bars_of(page.week_bars) == (mondays, [1800.0, 1100.0, 2100.0])


def test_filters_change_what_is_plotted(make_view, qtbot) -> None:
    view = make_view(press_history())
    view.set_range("all")
    view.show_page("volume")
    page = view.pages["volume"]
    view.set_filters(Filters(set_types=ALL_SETS))
    assert bars_of(page.session_bars)[1] == [600.0 + 1800.0, 1100.0 + 1080.0, 2100.0]
    view.show_page("strength")
    assert data_of(view.pages["strength"].load_line)[1] == [100.0, 110.0, 105.0]  # no warm-ups
    # The filter rows drive the same thing.
    view.filter_button.click()
    assert view.filter_panel.isVisible()
    view.height_choice.buttons[FootHeight.HIGH].click()
    assert view.filters.foot_height is FootHeight.HIGH
    assert data_of(view.pages["strength"].load_line) == (starts(13), [110.0])
    assert "high" in view.filter_button.text()
    view.height_choice.buttons[FootHeight.LOW].click()
    assert view.content.currentWidget() is view.empty
    assert "No 45° leg press sets match these filters" in view.empty_label.text()
    assert view.reset_button.isVisible()
    view.reset_button.click()
    assert view.filters == Filters(set_types=ALL_SETS)
    assert view.content.currentWidget() is view.charts_host


def test_left_and_right_legs_and_their_imbalance(make_view) -> None:
    records = [
        lifted(10, 50, 10, exercise=SINGLE, session="a", side=Side.LEFT),
        lifted(10, 55, 10, exercise=SINGLE, session="a", minute=2, side=Side.RIGHT),
        lifted(3, 60, 10, exercise=SINGLE, session="b", side=Side.LEFT),
        lifted(3, 54, 10, exercise=SINGLE, session="b", minute=2, side=Side.RIGHT),
        lifted(3, 100, 10, session="b", minute=10),
    ]
    view = make_view(records)
    assert not view.tabs.isTabVisible(view.tabs.indexOf(view.pages["sides"]))  # 45° press
    view.set_exercise(SINGLE)
    assert view.tabs.isTabVisible(view.tabs.indexOf(view.pages["sides"]))
    view.filter_button.click()
    assert not view.side_choice.isHidden()
    view.set_range("all")
    view.show_page("sides")
    page = view.pages["sides"]
    t = starts(10, 3)
    e1rm = [load * 40 / 30 for load in (50, 55, 60, 54)]
    assert data_of(page.left_line) == (t, pytest.approx([e1rm[0], e1rm[2]]))
    assert data_of(page.right_line) == (t, pytest.approx([e1rm[1], e1rm[3]]))
    gaps = bars_of(page.gap_bars)
    assert gaps == (t, pytest.approx([5 / 55 * 100, -10.0]))  # left weaker, then right weaker
    assert page.gap_bars.opts["brushes"] == [view.colours.left, view.colours.right]
    text = view.show_readout_at(t[1])
    assert "right leg 10% weaker" in text
    # The strength tab with "right" picks the right leg only.
    view.show_page("strength")
    view.set_filters(Filters(side=Side.RIGHT))
    assert data_of(view.pages["strength"].load_line) == (t, [55.0, 54.0])
    view.set_exercise(PRESS)  # a two-leg exercise drops the side filter
    assert view.filters.side is None


def test_one_leg_logged_only_explains_the_comparison(make_view) -> None:
    view = make_view([lifted(3, 60, 10, exercise=SINGLE, side=Side.LEFT)])
    view.set_exercise(SINGLE)
    view.show_page("sides")
    page = view.pages["sides"]
    assert page.showing_message
    assert "Log both legs in the same session" in page.message.text()


def test_foot_placements_compared(make_view) -> None:
    view = make_view(press_history())
    view.show_page("feet")
    page = view.pages["feet"]
    assert bars_of(page.feet_bars) == ([0, 1], pytest.approx([110 * 40 / 30, 105 * 40 / 30]))
    assert [t.toPlainText() for t in page.feet_labels] == ["146.7 kg\n1 session",
                                                          "140 kg\n2 sessions"]
    assert "Strongest so far: high · wide" in page.hint.text()


# --- built when first needed ----------------------------------------------------------------


def test_a_tab_first_opened_late_shows_what_changed_before(make_view, workspace) -> None:
    """Only the tab on screen is built when the view opens; a tab opened later is built then,
    with every change made meanwhile: a new set, the filters, the range."""
    view = make_view(press_history())
    assert [key for key, page in view.pages.items() if page.built] == ["strength"]
    new = [lifted(1, 115, 8, session="d")]
    workspace.log(new)
    view.set_logged(new)
    view.set_filters(Filters(set_types=ALL_SETS))
    view.set_range("all")
    view.show_page("volume")
    volume = view.pages["volume"]
    assert volume.built and not view.pages["feet"].built
    assert bars_of(volume.session_bars) == (starts(20, 13, 6, 1),
                                            [600.0 + 1800.0, 1100.0 + 1080.0, 2100.0, 920.0])
    assert volume.week_plot.box.viewRange()[0] == \
        pytest.approx(view.pages["strength"].strength_plot.box.viewRange()[0])
    view.show_page("feet")
    feet = view.pages["feet"]
    assert bars_of(feet.feet_bars)[1] == pytest.approx([110 * 40 / 30, 115 * (1 + 8 / 30)])
    assert [t.toPlainText() for t in feet.feet_labels] == ["146.7 kg\n1 session",
                                                          "145.7 kg\n4 sessions"]


def test_placement_numbers_are_reused_not_piled_up(make_view) -> None:
    view = make_view([*press_history(), lifted(3, 60, 10, exercise=SINGLE, side=Side.LEFT)])
    view.show_page("feet")
    page = view.pages["feet"]
    assert len(page.feet_labels) == 2
    view.set_exercise(SINGLE)  # one placement: feet not recorded
    assert [t.toPlainText() for t in page.feet_labels] == ["80 kg\n1 session"]
    texts = [item for item in page.feet_plot.box.addedItems if item in page._label_pool]
    assert len(texts) == 2 and [t.isVisible() for t in texts] == [True, False]


def test_the_filter_rows_are_made_when_first_opened(make_view) -> None:
    view = make_view(press_history())
    view.set_filters(Filters(set_types=HARD_SETS, foot_height=FootHeight.HIGH))
    assert view.filter_panel is None
    assert view.filter_button.text() == "Filters: hard sets · high"
    view.filter_button.click()
    assert view.filter_panel.isVisible()
    assert view.set_type_choice.value() == HARD_SETS  # they show the filters already chosen
    assert view.height_choice.value() is FootHeight.HIGH
    assert view.side_choice.isHidden()  # a two-leg exercise
    view.filter_button.click()
    assert not view.filter_panel.isVisible()


def test_opening_sizes_each_chart_once(qtbot, qapp, workspace) -> None:
    """The view is laid out once with all its parts: a chart resized again and again (as parts
    appear one by one) re-fits its range and redraws each time."""
    from PySide6.QtCore import QEvent, QObject

    from legcoach.ui.progress_view import ProgressView

    class Resizes(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.sizes: dict[str, list[tuple[int, int]]] = {}

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Resize:  # a chart's area: the viewport of its view
                chart = watched.parent()
                if type(chart).__name__ == "GraphicsLayoutWidget":
                    self.sizes.setdefault(chart.accessibleName(), []).append(
                        event.size().toTuple())
            return False

    workspace.log(press_history())
    view = ProgressView(workspace, utc_offset_seconds=PLUS_ONE)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    resizes = Resizes()
    qapp.installEventFilter(resizes)
    try:
        view.show()
        qtbot.waitExposed(view)
        qapp.processEvents()  # what Qt would do next (e.g. show parts added while shown)
    finally:
        qapp.removeEventFilter(resizes)
    assert set(resizes.sizes) == {"Top-set load and estimated 1RM chart", "Top-set reps chart"}
    assert all(len(sizes) == 1 for sizes in resizes.sizes.values()), resizes.sizes


# --- telling the screen about new sets -------------------------------------------------------


def test_a_logged_set_appears_without_reading_the_log_again(make_view, workspace,
                                                             monkeypatch) -> None:
    view = make_view(press_history())
    view.set_range("all")
    reads: list[object] = []
    query = workspace.sets.store.query
    monkeypatch.setattr(workspace.sets.store, "query",
                        lambda *a, **k: reads.append(k) or query(*a, **k))
    new = [lifted(1, 115, 8, session="d")]
    workspace.log(new)
    view.set_logged(new)
    assert data_of(view.pages["strength"].load_line)[1] == [100.0, 110.0, 105.0, 115.0]
    assert data_of(view.pages["strength"].load_records)[1] == [110.0, 115.0]
    view.refresh()  # nothing unreported: no re-read
    assert reads == []


def test_refresh_catches_changes_nobody_reported(make_view, workspace) -> None:
    view = make_view(press_history())
    view.set_range("all")
    last = workspace.sets.store.query(exercise_id=PRESS)[-1]
    workspace.delete(last.id)  # e.g. on the log screen, without telling the charts
    view.refresh()
    view.show_page("volume")
    assert bars_of(view.pages["volume"].session_bars)[1] == [1800.0, 1100.0, 1050.0]


def test_an_edit_is_taken_in_when_reported(make_view, workspace) -> None:
    view = make_view(press_history())
    view.set_range("all")
    first = workspace.sets.store.query(exercise_id=PRESS)[1]  # 100 kg × 10 in session a
    workspace.update(replace_fields(first, entered_load="102.5"))
    view.log_changed(PRESS)
    assert data_of(view.pages["strength"].load_line)[1] == [102.5, 110.0, 105.0]


# --- time -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("offset", "first_tick"), [
    (PLUS_ONE, datetime(2026, 11, 1, 23, 0, tzinfo=UTC)),  # Mon 2 Nov 00:00 at UTC+1
    (-5 * 3600, datetime(2026, 11, 2, 5, 0, tzinfo=UTC)),  # Mon 2 Nov 00:00 at UTC−5
])
def test_date_axis_ticks_are_local_mondays(make_view, offset: int, first_tick: datetime) -> None:
    view = make_view(press_history(), offset=offset)
    view.grab()  # the axis measures its labels with the font it paints with
    axis = view.pages["strength"].reps_plot.bottom
    start = datetime(2026, 10, 29, tzinfo=UTC).timestamp()
    levels = axis.tickValues(start, start + 28 * DAY, 1100)
    spacing, ticks = levels[0]
    assert ticks[0] == first_tick.timestamp()
    assert np.diff(ticks).tolist() == [7 * DAY] * (len(ticks) - 1)
    assert axis.tickStrings(ticks, 1, spacing) == ["2 Nov", "9 Nov", "16 Nov", "23 Nov"]


def test_date_axis_shows_months_then_years_when_zoomed_out(make_view) -> None:
    view = make_view(press_history())
    view.grab()
    axis = view.pages["strength"].reps_plot.bottom
    start = datetime(2026, 1, 10, tzinfo=UTC).timestamp()
    spacing, ticks = axis.tickValues(start, start + 300 * DAY, 1100)[0]
    months = axis.tickStrings(ticks, 1, spacing)
    assert months[0] == "Feb 2026" and all(m.endswith(" 2026") for m in months)
    spacing, ticks = axis.tickValues(start, start + 8 * 365 * DAY, 1100)[0]
    assert axis.tickStrings(ticks, 1, spacing)[:2] == ["2027", "2028"]


def test_hover_reads_the_nearest_session_in_local_time(make_view) -> None:
    view = make_view(press_history())
    t = starts(20, 13, 6)
    text = view.show_readout_at(t[1] + 2 * DAY)
    assert text == ("Mon 9 Nov 2026 19:00 · top set 110 kg × 10 · e1RM 146.7 kg · "
                    "volume 1,100 kg · ★ heaviest & best e1RM")
    assert view.readout.text() == text
    crosshairs = view.pages["strength"].crosshairs
    assert all(line.isVisible() and line.value() == t[1] for line in crosshairs)
    view.set_exercise(SINGLE)
    assert view.readout.text().startswith("Touch or point")
    assert not any(line.isVisible() for line in crosshairs)


def test_hover_on_the_weekly_bars_reads_the_week(make_view) -> None:
    view = make_view(press_history())
    view.show_page("volume")
    week_plot = view.pages["volume"].week_plot
    text = view.show_readout_at(starts(13)[0], week_plot)
    assert text == "Week 2026-W46 (from Mon 9 Nov 2026) · 1,100 kg in 1 session"


def test_pointing_with_the_mouse_moves_the_crosshair(make_view) -> None:
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    view = make_view(press_history())
    view.set_range("all")
    chart = view.pages["strength"].strength_plot
    where = chart.widget.mapFromScene(chart.box.mapViewToScene(QPointF(starts(6)[0] - DAY, 140)))
    viewport = chart.widget.viewport()
    move = QMouseEvent(QEvent.Type.MouseMove, QPointF(where), viewport.mapToGlobal(where),
                       Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, move)
    assert view.readout.text().startswith("Mon 16 Nov 2026 19:00 · top set 105 kg × 10")
    assert view.pages["strength"].crosshairs[0].value() == starts(6)[0]


def test_a_pan_carries_over_to_the_other_tabs(make_view) -> None:
    view = make_view(press_history())
    start, end = starts(22)[0], starts(10)[0]
    view.pages["strength"].strength_plot.box.setXRange(start, end, padding=0)  # a drag
    assert view.x_range == pytest.approx((start, end))
    view.show_page("volume")
    assert view.pages["volume"].week_plot.box.viewRange()[0] == pytest.approx([start, end])
    view.set_range("all")  # a preset forgets the pan
    assert view.x_range != pytest.approx((start, end))


def test_years_of_sessions_drop_the_symbols(make_view) -> None:
    view = make_view([lifted(day, 100 + day / 10, 10) for day in range(1, 400, 2)])
    line = view.pages["strength"].load_line
    assert line.opts["symbol"] == "o"  # 3 months: ~45 sessions in view
    view.set_range("all")  # 200 sessions
    assert line.opts["symbol"] is None
    view.set_range("4w")
    assert line.opts["symbol"] == "o"


def test_the_exercise_box_switches_exercise(make_view) -> None:
    view = make_view(press_history())
    view.exercise_box.setCurrentIndex(view.exercise_box.findData(THRUST))
    assert view.exercise.id == THRUST
    assert view.content.currentWidget() is view.empty


def test_range_presets_and_a_window_without_sessions(make_view, wall) -> None:
    view = make_view(press_history())
    box = view.pages["strength"].strength_plot.box
    view.set_range("4w")
    start, end = box.viewRange()[0]
    assert (start, end) == pytest.approx((NOW.timestamp() - 28 * DAY, NOW.timestamp() + 2 * DAY))
    assert not view.range_label.isVisible()
    wall.advance(60 * DAY)  # two months without training
    view.set_range("4w")
    start, end = box.viewRange()[0]
    last = starts(6)[0]
    assert (start, end) == pytest.approx((last - 28 * DAY, last + 2 * DAY))
    assert view.range_label.isVisible()
    assert "No sessions in the last 4 weeks" in view.range_label.text()


# --- empty states ----------------------------------------------------------------------------


def test_an_exercise_never_logged_says_what_to_do(make_view) -> None:
    view = make_view()
    assert view.content.currentWidget() is view.empty
    assert view.empty_label.text() == "Log your first 45° leg press set to see progress here."
    assert not view.reset_button.isVisible()
    assert not view.png_button.isEnabled() and not view.csv_button.isEnabled()
    assert view.tabs is None  # nothing to chart: the charts (and pyqtgraph) are not needed yet
    view.set_exercise(THRUST)
    assert view.empty_label.text().startswith("Log your first machine hip thrust set")


# --- export ----------------------------------------------------------------------------------


def test_csv_export_writes_the_data_of_the_tab_on_screen(make_view, tmp_path) -> None:
    view = make_view(press_history())
    messages: list[str] = []
    view.notify.connect(messages.append)
    assert view.export_csv(tmp_path / "sessions.csv")
    text = (tmp_path / "sessions.csv").read_text(encoding="utf-8")
    assert text == sessions_csv(view.series())
    assert text.splitlines()[2].startswith("2026-11-09T18:00:00Z,110,10,146.667,1,1100,1,1,1")
    view.show_page("volume")
    assert view.export_csv(tmp_path / "weeks.csv")
    assert (tmp_path / "weeks.csv").read_text(encoding="utf-8") == weekly_csv(view.weekly())
    assert messages[-1] == f"Saved the weekly volume data to {tmp_path / 'weeks.csv'}."
    assert not view.export_csv(tmp_path / "missing" / "x.csv")
    assert messages[-1].startswith("Could not save the weekly volume data")


def test_csv_export_of_left_and_right(make_view, tmp_path) -> None:
    view = make_view([lifted(3, 60, 10, exercise=SINGLE, side=Side.LEFT),
                      lifted(3, 50, 10, exercise=SINGLE, minute=2, side=Side.RIGHT)])
    view.set_exercise(SINGLE)
    view.show_page("sides")
    assert view.export_csv(tmp_path / "lr.csv")
    assert (tmp_path / "lr.csv").read_text(encoding="utf-8") == sides_csv(view.sides())


def test_png_export_is_a_picture_of_the_screen(make_view, tmp_path) -> None:
    view = make_view(press_history())
    assert view.export_png(tmp_path / "chart.png")
    image = QImage(str(tmp_path / "chart.png"))
    assert (image.width(), image.height()) == (1280, 800)
    assert not view.export_png(tmp_path / "missing" / "chart.png")


# --- start-up cost ---------------------------------------------------------------------------


def test_pyqtgraph_is_imported_only_when_the_charts_are_first_shown() -> None:
    """In a fresh interpreter: the app's window module and a built (hidden) progress view
    load neither pyqtgraph nor numpy (the model's); showing the view loads them."""
    script = textwrap.dedent("""
        import sys
        import legcoach.ui.main_window
        import legcoach.ui.progress_view
        HEAVY = ("pyqtgraph", "numpy", "legcoach.core.progress")
        loaded = [name for name in HEAVY if name in sys.modules]
        assert not loaded, f"imported with the window modules: {loaded}"
        from datetime import UTC, datetime
        from PySide6.QtWidgets import QApplication
        from legcoach.core.clock import FakeWallClock
        from legcoach.core.demo import demo_workspace
        from legcoach.core.library import load_library
        from legcoach.paths import builtin_exercises_dir
        app = QApplication([])
        wall = FakeWallClock(datetime(2026, 11, 22, tzinfo=UTC))
        workspace = demo_workspace(load_library(builtin_exercises_dir()), wall, sessions=2)
        view = legcoach.ui.progress_view.ProgressView(workspace)
        view.set_exercise("leg-press")
        view.set_logged(workspace.sets.store.query()[-1:])
        view.refresh()
        loaded = [name for name in HEAVY if name in sys.modules]
        assert not loaded, f"imported by making the view: {loaded}"
        view.show()
        assert all(name in sys.modules for name in HEAVY), "showing the charts loads them"
        assert view.exercise.id == "leg-press" and view.content.currentWidget() is not None
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.stdout.strip() == "ok", done.stdout + done.stderr
