"""How exactly do cues land? The real Qt event loop, the real set screen, the monotonic clock.

Runs one long set (single-leg press, both sides) through `CueDriver` with the `SetView` shown
offscreen and animating at 60 Hz, and records for every cue how late it fired against its
planned instant. In the same event loop, at the same time, a naive pacer chains
`QTimer.singleShot(next - previous)` from each cue to the next (the common way to write a
metronome), as the baseline: its error accumulates, ours cannot.

    python benchmarks/cue_timing.py            # 5 minutes of cues (the default)
    python benchmarks/cue_timing.py --minutes 30

drift_ms is the lateness of the last cue (the end of the set): what the timing lost over the
whole run. The last line is machine-readable.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from legcoach.core.clock import MonotonicClock
from legcoach.core.library import load_library
from legcoach.core.plans import plan_for
from legcoach.core.setrun import SetRun
from legcoach.core.tempo import Tempo
from legcoach.paths import builtin_exercises_dir
from legcoach.ui.set_view import SetView
from legcoach.ui.sound import NullPlayer
from legcoach.ui.theme import apply_theme

LEAD_IN = 5.0
SWITCH = 10.0


def plan_lasting(minutes: float, exercise):
    """A two-sided plan of about `minutes`: 3-1-2-0 reps, slowed down past 100 reps a side."""
    budget = max(minutes * 60 - LEAD_IN - SWITCH, 12.0)
    reps = math.ceil(budget / 12)
    tempo = Tempo(3.0, 1.0, 2.0, 0.0)
    if reps > 100:
        rep_seconds = budget / 200
        tempo = Tempo(round(rep_seconds / 2, 2), round(rep_seconds / 6, 2),
                      round(rep_seconds / 3, 2), 0.0)
        reps = 100
    return plan_for(exercise, reps, tempo=tempo, lead_in=LEAD_IN, switch_seconds=SWITCH)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


class NaivePacer:
    """The baseline: each cue schedules the next one relative to *now*, by its interval."""

    def __init__(self, offsets: list[float], clock: MonotonicClock, app: QApplication) -> None:
        self.offsets = offsets
        self.clock = clock
        self.app = app
        self.index = 0
        self.start = 0.0
        self.lateness: list[float] = []
        self.done = False

    def begin(self, start: float) -> None:
        self.start = start
        self._fire()

    def _fire(self) -> None:
        self.lateness.append(self.clock.now() - (self.start + self.offsets[self.index]))
        self.index += 1
        if self.index < len(self.offsets):
            gap_ms = round((self.offsets[self.index] - self.offsets[self.index - 1]) * 1000)
            QTimer.singleShot(gap_ms, self.app, self._fire)
        else:
            self.done = True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="length of the run")
    args = parser.parse_args(argv)

    app = QApplication.instance() or QApplication([])
    apply_theme(app)
    clock = MonotonicClock()
    exercise = load_library(builtin_exercises_dir())["single-leg-press"]
    view = SetView(clock, NullPlayer(app))
    view.resize(1280, 800)
    view.show()
    view.prepare(exercise)
    plan = plan_lasting(args.minutes, exercise)
    run = SetRun(plan, clock)
    view.driver.load(run)
    cues = run.schedule.cues
    print(f"plan: {plan.target_reps} reps a side, tempo {plan.tempo}, "
          f"{run.schedule.total / 60:.1f} min, {len(cues)} cues", flush=True)

    lateness: list[float] = []
    frames = 0

    def on_cue(cue) -> None:
        lateness.append(clock.now() - (run.started_at + cue.at))

    def on_frame() -> None:
        nonlocal frames
        frames += 1

    naive = NaivePacer([cue.at for cue in cues], clock, app)
    view.driver.cue.connect(on_cue)
    view.driver.frame.connect(on_frame)
    def quit_when_both_done() -> None:
        if naive.done and view.run is not None and view.run.is_finished:
            app.quit()

    watcher = QTimer(app)
    watcher.timeout.connect(quit_when_both_done)
    watcher.start(250)
    wall = time.perf_counter()
    view.driver.start()
    naive.begin(run.started_at)
    app.exec()
    watcher.stop()
    wall = time.perf_counter() - wall
    view.close()

    ms = [value * 1000 for value in lateness]
    naive_ms = [value * 1000 for value in naive.lateness]
    print(f"ran {wall:.1f} s, {frames} frames painted ({frames / wall:.0f} fps)")
    print(f"legcoach: cues={len(ms)} early={sum(v < -0.05 for v in ms)} "
          f"median={statistics.median(ms):.3f} ms p99={percentile(ms, 0.99):.3f} ms "
          f"max={max(ms):.3f} ms")
    print(f"naive:    cues={len(naive_ms)} median={statistics.median(naive_ms):.3f} ms "
          f"p99={percentile(naive_ms, 0.99):.3f} ms max={max(naive_ms):.3f} ms "
          f"end lateness={naive_ms[-1]:.1f} ms")
    ours_drift, naive_drift = ms[-1], naive_ms[-1]
    ratio = f"{abs(naive_drift / ours_drift):.0f}x" if abs(ours_drift) > 1e-3 else "n/a"
    print(f"end drift: legcoach {ours_drift:.3f} ms, naive {naive_drift:.1f} ms "
          f"(|naive/legcoach| = {ratio})")
    print(f"cue_timing: cues={len(ms)} median_ms={statistics.median(ms):.3f} "
          f"p99_ms={percentile(ms, 0.99):.3f} max_ms={max(ms):.3f} "
          f"drift_ms={ours_drift:.3f} naive_drift_ms={naive_drift:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
