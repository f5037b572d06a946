"""Do the progress charts stay quick on a long history, and does the app still start fast?

History: 25,000 sets from `legcoach.core.demo.iter_demo_history`, held in an
`InMemorySetStore` behind a real `Workspace` (the store the tests use; reading the TinyDB store
is measured by benchmarks/log_latency.py). The demo's loads climb every session and would pass
the 1,000 kg limit after ~1,000 sessions, so the history is made of back-to-back blocks of 300
Leg days (~2.9 years each, as if training restarted after a layoff): ~17 years, four exercises,
~1,800 sessions of each.

Measured offscreen (QT_QPA_PLATFORM=offscreen), wall clock and this process's CPU time (the
machine may be shared: CPU time shows the work itself, wall time what a lifter would wait):
- open: a new ProgressView shown until its charts are painted (it builds its controls,
  reads the chosen exercise from the store, builds the first tab). First with the lazy
  pyqtgraph import (the first view in this process), then without it (fresh views once
  pyqtgraph is loaded, one at a time as in the app; median of --opens). `import pyqtgraph`
  alone is timed in a child. Every timing is checked to include a chart paint (`ChartPaints`).
- switch: changing exercise on the last view opened until painted, cycling the four exercises
  --rounds times. The first visit to an exercise reads it from the store ("cold"); later
  visits redraw from the model's cache ("warm"). The figure is the median of all switches.
- peak RSS of this process (resource.getrusage), after all of the above.
- start-up: time from spawning `python -c …` to its line "shown", for the real app (built as
  app.run builds it: theme, data folder, library, TinyDB workspace, sound, MainWindow, show)
  against a bare `QApplication + QWidget().show()`, alternating, after one untimed warm-up
  each; median of --starts. A third kind builds a ProgressView in the app too (as it will be
  wired) to show that it adds nothing to start-up. The children write bytecode caches to a
  temp folder, as an installed app has them (this machine sets PYTHONDONTWRITEBYTECODE).

Usage: python benchmarks/charts.py [--starts N] [--opens N] [--rounds N] [--skip-startup]
The last line is machine-readable: "charts: open_ms=… switch_ms=… rss_mb=… startup_ratio=…"
(wall-clock medians; open_ms without the import). Targets: open ≤ 100 ms, switch ≤ 30 ms,
RSS ≤ 250 MB, startup_ratio ≤ 1.3.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from legcoach.core.setlog import SetRecord  # noqa: E402

SETS = 25_000
BLOCK_SESSIONS = 300
BLOCK_DAYS = 1_050  # 300 sessions, 3.5 days apart
NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
EXERCISES = ("leg-press-45", "leg-press", "single-leg-press", "hip-thrust-machine")
HEAVY = ("pyqtgraph", "numpy")

BARE_CODE = """
import sys
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv[:1])
window = QWidget()
window.resize(1280, 800)
window.show()
app.processEvents()
print("shown", flush=True)
"""

APP_CODE = """
import sys
from PySide6.QtWidgets import QApplication
from legcoach.app import load_exercises, open_data_window
from legcoach.cli import parse_args
from legcoach.instance_lock import DataFolderLock
from legcoach.paths import DataPaths
from legcoach.storage.backups import BackupManager
options = parse_args([])
app = QApplication(sys.argv[:1])
app.setApplicationName("legcoach")
data = DataPaths(options.data_dir)
data.ensure()
lock = DataFolderLock(data.root)
lock.acquire()
# What `legcoach` does before its first window: lock, start-up recovery, settings, look.
window = open_data_window(load_exercises(data), data, BackupManager(data.root))
if WITH_PROGRESS_VIEW:
    window.progress_view  # built on first use; here on purpose, to show what it costs
window.resize(*options.size)
window.show()
app.processEvents()
print("shown", flush=True)
print("loaded: " + (", ".join(n for n in HEAVY if n in sys.modules) or "neither"), flush=True)
lock.release()
"""

IMPORT_CODE = """
import time
import PySide6.QtWidgets
started = time.perf_counter()
import pyqtgraph
print(f"{(time.perf_counter() - started) * 1000:.1f}")
"""


def history(count: int = SETS) -> Iterator[SetRecord]:
    """`count` demo sets, oldest block first, the newest ending two days before NOW."""
    from legcoach.core.demo import iter_demo_history

    blocks = -(-count // (BLOCK_SESSIONS * 14))  # a Leg day logs 14 sets
    generators = (iter_demo_history(NOW - timedelta(days=BLOCK_DAYS * block), BLOCK_SESSIONS,
                                    seed=11 + block)
                  for block in reversed(range(blocks)))
    return itertools.islice(itertools.chain.from_iterable(generators), count)


@dataclass
class Timings:
    """Wall-clock and CPU milliseconds of repeated runs of one thing."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def add(self, wall: float, cpu: float) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)

    def __str__(self) -> str:
        if not self.wall:
            return "-"
        runs = ", ".join(f"{w:.0f}" for w in self.wall)
        return (f"{statistics.median(self.wall):.1f} ms wall, "
                f"{statistics.median(self.cpu):.1f} ms CPU (medians) [wall: {runs}]")


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


# --- in this process: the view --------------------------------------------------------------


class ChartPaints:
    """Counts paints of the charts, to prove that a timing includes drawing them.

    Once pyqtgraph is loaded it wraps pyqtgraph's GraphicsView.paintEvent (a Python method
    already), which costs the timing nothing; PySide looks the method up once per chart, so
    only charts made after `charts_only` are counted. Before that (the first view imports
    pyqtgraph) an application event filter counts every paint; it is removed afterwards because
    PySide calls it for every event of the application, ~1,600 per open, which added ~25 ms to
    each open (measured) that the app itself never pays.
    """

    def __init__(self, app: object) -> None:
        from PySide6.QtCore import QEvent, QObject

        counter = self

        class AnyPaint(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    counter.count += 1
                return False

        self.count = 0
        self.app = app
        self.filter = AnyPaint()
        self.filtering = False
        self.use_filter(True)

    def use_filter(self, on: bool) -> None:
        """Count every paint through an application event filter (on), or stop doing so."""
        if on != self.filtering:
            install = self.app.installEventFilter if on else self.app.removeEventFilter
            install(self.filter)  # type: ignore[attr-defined]
            self.filtering = on

    def charts_only(self) -> None:
        """Count only chart paints, through pyqtgraph (imported by now), not an event filter."""
        from pyqtgraph.widgets.GraphicsView import GraphicsView

        self.use_filter(False)
        paint = GraphicsView.paintEvent

        def counted(view: object, event: object) -> object:
            self.count += 1
            return paint(view, event)

        GraphicsView.paintEvent = counted


@dataclass
class ViewResults:
    open_with_import: Timings = field(default_factory=Timings)
    open: Timings = field(default_factory=Timings)
    open_filtered: Timings = field(default_factory=Timings)
    cold: Timings = field(default_factory=Timings)
    warm: Timings = field(default_factory=Timings)
    sessions: int = 0
    rss_mb: float = 0.0


def measure_view(opens: int, rounds: int) -> ViewResults:
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from legcoach.core.clock import FakeWallClock
    from legcoach.core.documents import InMemoryDocumentStore
    from legcoach.core.library import load_library
    from legcoach.core.setstore import InMemorySetStore
    from legcoach.core.undo import SetLogEditor
    from legcoach.core.workspace import Workspace
    from legcoach.paths import builtin_exercises_dir
    from legcoach.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    started = time.perf_counter()
    store = InMemorySetStore(list(history()))
    wall = FakeWallClock(NOW)
    workspace = Workspace(library=load_library(builtin_exercises_dir()),
                          sets=SetLogEditor(store, now=wall), documents=InMemoryDocumentStore(),
                          now=wall)
    print(f"history: {store.count():,} sets in memory, built in "
          f"{time.perf_counter() - started:.1f} s", flush=True)

    from legcoach.ui.progress_view import ProgressView

    loaded = [name for name in HEAVY if name in sys.modules]
    assert not loaded, f"{loaded} imported before the view was shown"
    paints = ChartPaints(app)

    def painted(action: Callable[[], object], into: Timings) -> None:
        """Time `action` and the event processing that paints its result (checked)."""
        paints.count = 0
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        action()
        app.processEvents()
        into.add((time.perf_counter() - wall_start) * 1000,
                 (time.process_time() - cpu_start) * 1000)
        if not paints.count:
            raise SystemExit("no chart was painted: the timing would not include drawing")

    def close(view: ProgressView) -> None:
        """Close and delete a view, as the app's event loop would: processEvents() alone does
        not run deferred deletes, so each closed view (~10 MB) would stay in memory (RSS)."""
        view.close()
        view.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()

    def open_view(into: Timings) -> ProgressView:
        views: list[ProgressView] = []

        def show() -> None:
            views.append(ProgressView(workspace, utc_offset_seconds=0))
            views[0].resize(1280, 800)
            views[0].show()

        painted(show, into)
        return views[0]

    results = ViewResults()
    view = open_view(results.open_with_import)
    paints.charts_only()
    for _ in range(opens):  # one view at a time, as in the app; the last one is switched
        for timings, filtered in ((results.open_filtered, True), (results.open, False)):
            paints.use_filter(filtered)  # alternately as this benchmark used to check paints
            close(view)
            view = open_view(timings)

    visited = {view.exercise.id if view.exercise else ""}
    for exercise_id in [*EXERCISES[1:], *EXERCISES * (rounds - 1), EXERCISES[0]]:
        kind = results.warm if exercise_id in visited else results.cold
        painted(lambda exercise_id=exercise_id: view.set_exercise(exercise_id), kind)
        visited.add(exercise_id)
    results.sessions = len(view.series())
    view.close()
    results.rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return results


# --- in child processes: start-up -----------------------------------------------------------


def child_env(data_dir: Path, pycache: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LEGCOACH_DATA_DIR=str(data_dir),
               PYTHONPYCACHEPREFIX=str(pycache))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def time_to_shown(code: str, env: dict[str, str]) -> tuple[float, list[str]]:
    """Milliseconds from spawn to the child's "shown" line, and the lines it printed after."""
    with tempfile.TemporaryFile("w+") as errors:
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=errors, text=True)
        assert child.stdout is not None
        line = child.stdout.readline()
        elapsed = (time.perf_counter() - started) * 1000
        rest = child.stdout.read()  # not communicate(): it would skip what readline buffered
        child.wait(timeout=60)
        if line.strip() != "shown" or child.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"start-up child failed ({child.returncode}): {line}{rest}"
                             f"{errors.read()}")
    return elapsed, rest.strip().splitlines()


@dataclass
class Startup:
    runs: dict[str, list[float]]
    notes: dict[str, str]
    import_ms: float

    def median(self, kind: str) -> float:
        return statistics.median(self.runs[kind])


def measure_startup(starts: int) -> Startup:
    kinds = {
        "bare": BARE_CODE,
        "app": f"HEAVY = {HEAVY!r}\nWITH_PROGRESS_VIEW = False\n{APP_CODE}",
        "app+progress view": f"HEAVY = {HEAVY!r}\nWITH_PROGRESS_VIEW = True\n{APP_CODE}",
    }
    runs: dict[str, list[float]] = {kind: [] for kind in kinds}
    notes: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="legcoach-bench-") as tmp:
        env = child_env(Path(tmp) / "data", Path(tmp) / "pycache")
        for kind, code in kinds.items():  # warm-up: bytecode cache, data folder, font cache
            notes[kind] = " ".join(time_to_shown(code, env)[1])
        for _ in range(starts):
            for kind, code in kinds.items():
                runs[kind].append(time_to_shown(code, env)[0])
        imports = [subprocess.run([sys.executable, "-c", IMPORT_CODE], cwd=ROOT, env=env,
                                  capture_output=True, text=True, check=True).stdout
                   for _ in range(4)][1:]  # the first run writes the bytecode cache
    return Startup(runs, notes, statistics.median(float(text) for text in imports))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=7, help="timed start-ups of each kind")
    parser.add_argument("--opens", type=int, default=5, help="fresh views opened (at least 1)")
    parser.add_argument("--rounds", type=int, default=4, help="rounds over the exercises")
    parser.add_argument("--skip-startup", action="store_true", help="only the chart figures")
    args = parser.parse_args(argv)
    if args.opens < 1:
        parser.error("--opens must be at least 1: switches are timed on the last view opened")

    print(f"load average before: {load_average()} ({os.cpu_count()} CPUs)", flush=True)
    startup = None if args.skip_startup else measure_startup(args.starts)
    view = measure_view(args.opens, args.rounds)
    print(f"open, first view, with the pyqtgraph import: {view.open_with_import}")
    if startup is not None:
        print(f"import pyqtgraph alone (in a child, PySide6 already loaded): "
              f"{startup.import_ms:.0f} ms")
    print(f"open, fresh view, pyqtgraph loaded: {view.open}")
    print(f"  the same, measured with an application event filter (the old paint check, which "
          f"PySide calls for every event): {view.open_filtered}")
    print(f"switch exercise ({view.sessions:,} sessions each), cold (first visit reads the "
          f"store): {view.cold}")
    print(f"switch exercise, warm (from the model's cache): {view.warm}")
    print(f"peak RSS: {view.rss_mb:.0f} MB")
    ratio = float("nan")
    if startup is not None:
        for kind, runs in startup.runs.items():
            note = f"; {startup.notes[kind]}" if startup.notes[kind] else ""
            print(f"start-up to first shown window, {kind}: {startup.median(kind):.0f} ms "
                  f"median [{', '.join(f'{r:.0f}' for r in runs)}]{note}")
        ratio = startup.median("app") / startup.median("bare")
    print(f"load average after: {load_average()}")
    switches = view.cold.wall + view.warm.wall
    print(f"charts: open_ms={statistics.median(view.open.wall):.1f} "
          f"switch_ms={statistics.median(switches):.1f} rss_mb={view.rss_mb:.0f} "
          f"startup_ratio={ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
