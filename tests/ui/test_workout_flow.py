"""End to end: the whole Leg day, logged set by set, surviving a restart and a killed process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from legcoach.app import open_workspace
from legcoach.core.session import Stage
from legcoach.core.sides import Side
from legcoach.paths import DataPaths
from tests.ui.workout_driver import pilot

HERE = Path(__file__).resolve().parent


@pytest.fixture
def data(tmp_path) -> DataPaths:
    paths = DataPaths(tmp_path / "data")
    paths.ensure()
    return paths


@pytest.fixture
def open_window(qtbot, qapp, library, clock, sound, wall, data):
    """Open the app on the data folder; call again to simulate a restart."""
    from legcoach.ui.main_window import MainWindow

    windows = []

    def opener():
        for old in windows:
            old.close()
            old.workspace.sets.store.close()
        window = MainWindow(open_workspace(library, data, now=wall), clock, sound)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        windows.append(window)
        return window

    yield opener
    for window in windows:
        window.workspace.sets.store.close()


def start_leg_day(window, qtbot) -> None:
    window.show_train()
    qtbot.mouseClick(window.train_view.start_button, Qt.MouseButton.LeftButton)
    assert window.workout_view.isVisible()


def test_whole_leg_day_with_a_restart_in_the_middle(open_window, qtbot, clock, wall) -> None:
    window = open_window()
    start_leg_day(window, qtbot)
    session = window.workout_view.session
    assert session.routine_name == "Leg day"
    planned = sum(item.sets for item in session.items)
    autopilot = pilot(window, clock, wall)
    seen = [autopilot.step() for _ in range(3)]
    assert seen == [Stage.SETUP, Stage.SET, Stage.LOG]
    assert autopilot.stage() is Stage.REST
    assert window.workout_view.rest_view.isVisible()
    autopilot.run_until(logged=5)
    at_restart = window.workout_view.session

    window = open_window()  # the app is closed and opened again
    resumed = window.workout_view.session
    assert window.workout_view.isVisible()
    assert resumed.id == at_restart.id
    assert (resumed.item_index, resumed.set_number, resumed.stage) == (
        at_restart.item_index, at_restart.set_number, at_restart.stage)
    assert "continues" in window.status_label.text()

    pilot(window, clock, wall).run_until()
    done = window.workout_view.session
    assert done.is_done
    assert window.workout_view.summary_view.isVisible()
    summary = window.workout_view.summary_view.summary
    single = next(e for e in summary.exercises if e.exercise_id == "single-leg-press")
    assert single.sets == 2 * 2  # two sets, each logged for the left and the right leg
    assert [e.exercise_id for e in summary.exercises] == [i.exercise_id for i in done.items]
    assert sum(e.sets for e in summary.exercises) == planned + 2
    assert all(e.change_text == "first time" for e in summary.exercises)
    text = window.workout_view.summary_view.body.toPlainText()
    assert "45° Leg Press" in text
    assert "Records" in text

    stored = window.workspace.sets.store.query()
    assert len(stored) == planned + 2
    assert {r.session_id for r in stored} == {done.id}
    assert {r.side for r in stored if r.exercise_id == "single-leg-press"} == {
        Side.LEFT, Side.RIGHT}
    qtbot.mouseClick(window.workout_view.summary_view.done_button, Qt.MouseButton.LeftButton)
    history = window.history_view
    assert history.isVisible()
    assert len(history.rows) == 1
    assert history.rows[0].routine == "Leg day"
    assert len(history.rows[0].sets) == planned + 2

    window = open_window()  # nothing to resume once the workout is over
    assert window.workout_view.session is None
    assert window.library_view.isVisible()


def test_second_workout_gets_coached_from_the_first(open_window, qtbot, clock, wall) -> None:
    window = open_window()
    start_leg_day(window, qtbot)
    autopilot = pilot(window, clock, wall)
    autopilot.run_until()
    qtbot.mouseClick(window.workout_view.summary_view.done_button, Qt.MouseButton.LeftButton)
    wall.now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    start_leg_day(window, qtbot)
    autopilot.step()  # setup
    autopilot.step()  # the set: the timer counted the target reps
    form = window.workout_view.log_form
    assert form.isVisible()
    assert form.coach_label.text().startswith("Coach: ")
    assert "100 kg" in form.coach_label.text()
    autopilot.run_until()  # finish, then compare with last time
    summary = window.workout_view.summary_view.summary
    assert summary.exercises[0].previous_volume_kg is not None


CHILD = """
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, {root!r})
from datetime import UTC, datetime, timedelta
from PySide6.QtWidgets import QApplication
from legcoach.app import open_workspace
from legcoach.core.clock import FakeClock, FakeWallClock
from legcoach.core.library import load_library
from legcoach.paths import DataPaths, builtin_exercises_dir
from legcoach.ui.autopilot import Autopilot
from legcoach.ui.main_window import MainWindow
from legcoach.ui.sound import NullPlayer

app = QApplication([])
wall, clock = FakeWallClock(datetime(2026, 11, 22, 9, 0, tzinfo=UTC)), FakeClock()
workspace = open_workspace(load_library(builtin_exercises_dir()), DataPaths({data!r}), now=wall)
window = MainWindow(workspace, clock, NullPlayer(app))
window.show()
window.start_routine(workspace.routines.builtin.id)
Autopilot(window, clock, wall).run_until(logged=3)
print("LOGGED", window.workout_view.session.stage.value, flush=True)
time.sleep(60)
"""


def test_a_killed_process_resumes_with_nothing_lost(open_window, data, tmp_path) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(root=str(HERE.parent.parent), data=str(data.root)))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        line = child.stdout.readline()
        assert line.startswith("LOGGED"), line
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    window = open_window()
    session = window.workout_view.session
    assert session is not None
    assert len(session.logged) == 3
    assert session.stage.value == line.split()[1]
    stored = window.workspace.sets.store.query()
    assert sorted(r.id for r in stored) == sorted(session.logged)
    assert not list(data.root.rglob("*.tmp"))
