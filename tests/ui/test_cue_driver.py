"""The Qt driver: arms one precise timer at the next absolute deadline; fires each cue once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Qt

from legcoach.core.clock import FakeClock, MonotonicClock
from legcoach.core.setplan import CueKind, SetPlan
from legcoach.core.setrun import SetRun
from legcoach.core.tempo import parse_tempo
from legcoach.ui.cue_driver import CueDriver


@pytest.fixture
def owner(qapp):
    parent = QObject()
    yield parent
    parent.deleteLater()


def tiny_plan(reps: int = 2, lead_in: float = 1.0) -> SetPlan:
    return SetPlan("smoke", reps, parse_tempo("0.2-0-0.2-0"), lead_in=lead_in,
                   lead_in_cue="Ready", end_cue="Done")


def test_timer_is_armed_for_the_next_deadline_not_a_fixed_tick(owner) -> None:
    clock = FakeClock()
    driver = CueDriver(clock, owner)
    driver.load(SetRun(SetPlan("x", 3, parse_tempo("3-1-2-0")), clock))
    fired = []
    driver.cue.connect(fired.append)
    driver.start()
    assert [c.kind for c in fired] == [CueKind.COUNTDOWN_TICK]  # "5" at once
    timer = driver._cue_timer
    assert timer.isActive()
    assert timer.timerType() is Qt.TimerType.PreciseTimer
    assert timer.isSingleShot()
    assert 990 <= timer.interval() <= 1000  # next tick "4" in one second
    clock.advance(3.7)  # late wake-up: three ticks overdue → all delivered together, in order
    driver.poll()
    assert [c.text for c in fired] == ["5", "4", "3", "2"]
    assert 290 <= timer.interval() <= 300  # re-armed for "1" at 4.0 s, not 1 s from now
    driver.end_early()
    assert not driver.timers_active


def test_every_cue_fires_once_in_order_and_finished_is_reported(owner, qtbot) -> None:
    clock = FakeClock()
    driver = CueDriver(clock, owner)
    run = SetRun(tiny_plan(), clock)
    driver.load(run)
    fired = []
    driver.cue.connect(fired.append)
    driver.start()
    with qtbot.waitSignal(driver.finished) as finished:
        for _ in range(40):
            clock.advance(0.05)
            driver.poll()
    assert fired == list(run.schedule.cues)
    assert finished.args[0].total_reps == 2
    assert not driver.timers_active


@pytest.mark.realclock
def test_real_clock_smoke(owner, qtbot) -> None:
    """On the real monotonic clock and event loop, cues arrive in order and close to on time."""
    clock = MonotonicClock()
    driver = CueDriver(clock, owner)
    run = SetRun(tiny_plan(), clock)
    driver.load(run)
    lateness = []
    fired = []

    def record(cue) -> None:
        fired.append(cue)
        lateness.append(clock.now() - (run.started_at + cue.at))

    driver.cue.connect(record)
    with qtbot.waitSignal(driver.finished, timeout=15000):
        driver.start()
    assert fired == list(run.schedule.cues)
    assert min(lateness) >= -0.001  # never early
    assert max(lateness) < 0.25  # generous: CI machines are busy; the benchmark measures


class CreepingClock(FakeClock):
    """Time moves a little on every reading, like a real clock between two calls."""

    def now(self) -> float:
        reading = super().now()
        self.advance(0.0004)
        return reading


@pytest.mark.parametrize("before_end_ms", [x / 10 for x in range(0, 25)])
def test_the_last_cue_fires_even_if_the_clock_crosses_the_end_during_poll(
    owner, qtbot, before_end_ms
) -> None:
    """Regression: the clock crossing the end between two readings inside poll() lost the
    set_end cue (and, in another spot, the timer for it), so `finished` never came."""
    clock = CreepingClock()
    driver = CueDriver(clock, owner)
    run = SetRun(tiny_plan(), clock)
    driver.load(run)
    fired = []
    driver.cue.connect(fired.append)
    driver.start()
    clock.set(run.started_at + run.schedule.total - before_end_ms / 1000)
    driver._cue_timer.stop()  # as when it has just fired and called poll()
    with qtbot.waitSignal(driver.finished, timeout=2000):
        driver.poll()
    assert fired == list(run.schedule.cues)
