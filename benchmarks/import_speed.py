"""How long does importing years of Strong history take? Parse, then add to the real store.

Writes a Strong export (semicolons, kg in the header) of N sets: three leg days a week, four
exercises, four sets each, going back as far as N needs. Times `parse_import` (runs off the
window's thread in the app), then adding the sets to an empty TinyDB log with the store's
batch `add_many` (one atomic write per month, what the app and `legcoach import` use) and,
as the baseline in the same run, one `add` per set (one atomic write each, what import did
before). A second import of the same file must add nothing.

Usage: python benchmarks/import_speed.py [--sets N] [--baseline-sets N]
The last line is machine-readable: "import_speed: sets=… parse_ms=… add_many_ms=… …".
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from legcoach.core.importers import apply_import, parse_import
from legcoach.storage.tinydb_store import TinyDBSetStore

EXERCISES = ("Leg Press (Machine)", "Incline Leg Press", "Single Leg Press (Machine)",
             "Hip Thrust (Machine)")
HEADER = ('"Workout #";"Date";"Workout Name";"Duration (sec)";"Exercise Name";"Set Order";'
          '"Weight (kg)";"Reps";"RPE";"Distance (meters)";"Seconds";"Notes";"Workout Notes"')


def strong_export(sets: int) -> bytes:
    """A realistic Strong file of `sets` sets, newest workout on 2026-11-20."""
    lines = [HEADER]
    per_workout = len(EXERCISES) * 4
    workouts = -(-sets // per_workout)
    day = datetime(2026, 11, 20, 18, 0)
    for number in range(workouts, 0, -1):
        when = day - timedelta(days=(workouts - number) * 7 / 3)
        for index in range(per_workout):
            if len(lines) > sets:
                break
            exercise = EXERCISES[index // 4]
            load = 60 + (number % 40) * 2.5 + index
            lines.append(f'"{number}";"{when:%Y-%m-%d %H:%M:%S}";"Legs";"3600";"{exercise}";'
                         f'"{index % 4 + 1}";"{load:.1f}";"{8 + index % 5}";"8";"0";"0";"";""')
    return ("\n".join(lines) + "\n").encode("utf-8")


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return (time.perf_counter() - started) * 1000, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=10_000)
    parser.add_argument("--baseline-sets", type=int, default=1_000,
                        help="sets added one by one for the baseline (it is slow)")
    args = parser.parse_args()
    data = strong_export(args.sets)
    now = datetime(2026, 11, 22, tzinfo=UTC)
    parse_ms, preview = timed(lambda: parse_import(data, mapping={}, now=now))
    first, last = preview.date_range
    print(f"file: {len(data) / 1e6:.1f} MB, {len(preview.sets):,} sets, "
          f"{first:%Y-%m-%d} to {last:%Y-%m-%d}; parsed in {parse_ms:.0f} ms "
          f"({parse_ms / len(preview.sets) * 1000:.0f} µs a set)")
    with tempfile.TemporaryDirectory(prefix="legcoach-import-") as folder:
        store = TinyDBSetStore(Path(folder) / "batch")
        batch_ms, result = timed(lambda: apply_import(preview, store))
        again_ms, again = timed(lambda: apply_import(preview, store))
        assert result.added == len(preview.sets) and again.added == 0, (result, again)
        store.close()
        one_by_one = TinyDBSetStore(Path(folder) / "single")
        some = preview.sets[:args.baseline_sets]
        single_ms, _ = timed(lambda: [one_by_one.add(record) for record in some])
        one_by_one.close()
    per_set_batch = batch_ms / len(preview.sets)
    per_set_single = single_ms / len(some)
    print(f"add_many: {batch_ms:.0f} ms for {result.added:,} sets ({per_set_batch:.3f} ms a set);"
          f" importing the same file again: {again_ms:.0f} ms, added {again.added}")
    print(f"baseline, one add per set: {single_ms:.0f} ms for {len(some):,} sets "
          f"({per_set_single:.2f} ms a set) → {per_set_single / per_set_batch:.0f}× slower")
    print(f"import_speed: sets={len(preview.sets)} parse_ms={parse_ms:.0f} "
          f"add_many_ms={batch_ms:.0f} reimport_ms={again_ms:.0f} "
          f"one_by_one_ms_per_set={per_set_single:.2f} "
          f"speedup={per_set_single / per_set_batch:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
