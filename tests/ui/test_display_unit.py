"""A lifter who chose lb sees volumes in lb: the workout summary and history. Each set still
reads as it was typed ("100 kg" stays "100 kg")."""

from __future__ import annotations

from datetime import timedelta

from legcoach.core.records import format_volume
from legcoach.core.setlog import LoadUnit
from legcoach.core.summary import ExerciseSummary, SessionSummary
from legcoach.ui.summary_view import summary_html


def test_volumes_read_in_the_display_unit() -> None:
    assert format_volume(10_000, LoadUnit.KG) == "10,000 kg"
    assert format_volume(10_000, LoadUnit.LB) == "22,046 lb"  # 10,000 / 0.45359237
    press = ExerciseSummary("leg-press", "Leg Press", 3, 30, 3_000.0, "100 kg × 10", 2_900.0)
    assert press.change_in(LoadUnit.LB) == "+220 lb volume vs last time (+3%)"
    assert press.change_text == "+100 kg volume vs last time (+3%)"


def test_the_summary_shows_volumes_in_lb_and_the_best_set_as_typed(qapp) -> None:
    press = ExerciseSummary("leg-press", "Leg Press", 3, 30, 3_000.0, "100 kg × 10", None)
    html = summary_html(SessionSummary("Leg day", timedelta(minutes=30), (press,), ()),
                        unit=LoadUnit.LB)
    assert "6,614 lb" in html and "100 kg × 10" in html and "3,000 kg" not in html


def test_history_rows_show_the_volume_in_the_lifters_unit(window, workspace, wall, qtbot
                                                          ) -> None:
    from legcoach.core.setlog import SetRecord

    record = SetRecord(exercise_id="leg-press", performed_at=wall(), unit=LoadUnit.KG,
                       entered_load="100", reps=10, created_at=wall(), updated_at=wall(),
                       session_id="s1")
    workspace.log([record])
    workspace.settings.set("units.load", "lb")
    window.show_history()
    facts = window.history_view.facts_label.text()
    assert "2,205 lb volume" in facts  # 1,000 kg


def test_progress_charts_follow_the_unit_setting(window, workspace, wall, qtbot) -> None:
    from PySide6.QtCore import Qt

    from legcoach.core.setlog import SetRecord

    record = SetRecord(exercise_id="leg-press", performed_at=wall(), unit=LoadUnit.KG,
                       entered_load="100", reps=10, created_at=wall(), updated_at=wall(),
                       session_id="s1")
    workspace.log([record])
    window.show_progress("leg-press")
    kg_view = window.progress_view
    window.show_settings()
    qtbot.mouseClick(window.settings_view.editor("units.load").segmented.buttons["lb"],
                     Qt.MouseButton.LeftButton)
    window.show_progress("leg-press")
    assert window.progress_view is not kg_view  # built again, in lb
    view = window.progress_view
    assert view.unit is LoadUnit.LB
    _, loads = view.pages["strength"].load_line.getData()
    assert round(float(loads[-1]), 1) == 220.5  # 100 kg
    text, _ = view.session_readout(float(view.series().t[-1]))
    assert "top set 220.46 lb × 10" in text and "volume 2,205 lb" in text
