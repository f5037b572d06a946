"""Does logging a set stay fast as the history grows? Times TinyDBSetStore.add on big logs.

Builds synthetic histories of 0, 2,500, 25,000 and 100,000 sets in temp folders, opens each
with the real store (timing the open), then times logging one set many times (median).
Each timed set is deleted again, untimed, so every repetition sees the same history.

The histories are written as shard files directly, with the store's own serialiser
(`dumps_json`) and file layout (`month_of`, `TABLE`, doc ids 1..n), but without fsync: going
through add() 100,000 times would take minutes (every add fsyncs), and a throwaway history
needs no durability. The store then opens them and its count() must match.

Realistic density, unrealistic span: ~3 sessions a week of 3–5 sets keeps every month at about
50 sets (what an add rewrites), so 100,000 sets reach back ~150 years (what opening reads).

Usage: python benchmarks/log_latency.py [--quick] [--reps N]
The last line is machine-readable: "log_latency: empty_ms=… h2500_ms=… … ratio_100k=…".
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from legcoach.core.setlog import FootHeight, FootWidth, LoadUnit, SetRecord, SetType
from legcoach.core.sides import Side
from legcoach.storage.atomic import atomic_write_bytes, dumps_json
from legcoach.storage.tinydb_store import SETS_FOLDER, TABLE, TinyDBSetStore, month_of

SIZES = {"empty": 0, "h2500": 2_500, "h25k": 25_000, "h100k": 100_000}
ANCHOR = datetime(2025, 6, 28, 18, 0, tzinfo=UTC)
"""History ends just before this; timed sets land in its month, a full month (worst case)."""

EXERCISES = {  # id: (final working load in kg, one-sided?)
    "leg-press": (180.0, False),
    "leg-press-45": (220.0, False),
    "single-leg-press": (80.0, True),
    "hip-thrust-machine": (140.0, False),
}


def _hex_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def synthetic_history(count: int, seed: int = 7) -> Iterator[SetRecord]:
    """`count` sets, newest first, ending just before ANCHOR."""
    rng = random.Random(seed)
    names = list(EXERCISES)
    day = ANCHOR.replace(hour=0) - timedelta(days=1)
    made = 0
    while made < count:
        # Evening sessions (16:00–20:00 UTC) never cross midnight, so never span two months.
        moment = day + timedelta(hours=16, minutes=rng.randint(0, 240))
        years_back = (ANCHOR - moment).days / 365.25
        exercise = rng.choice(names)
        top_load, one_sided = EXERCISES[exercise]
        progress = 0.6 + 0.4 * math.exp(-years_back / 3)  # slow growth toward today's load
        in_lb = rng.random() < 0.1
        session = _hex_id(rng)
        sets = rng.randint(3, 5)
        for index in range(sets):
            if made == count:
                break
            load_kg = top_load * progress * (0.6 if index == 0 else 1.0)
            if in_lb:
                entered, unit = str(5 * round(load_kg / 0.45359237 / 5)), LoadUnit.LB
            else:
                entered, unit = f"{2.5 * round(load_kg / 2.5):g}", LoadUnit.KG
            at = moment + timedelta(minutes=3 * index)
            rpe_or_rir = rng.random()
            yield SetRecord(
                id=_hex_id(rng),
                exercise_id=exercise,
                session_id=session,
                performed_at=at,
                unit=unit,
                entered_load=entered,
                reps=rng.randint(6, 15),
                side=(Side.LEFT, Side.RIGHT)[index % 2] if one_sided else Side.BOTH,
                foot_height=rng.choice([None, FootHeight.MIDDLE, FootHeight.HIGH]),
                foot_width=rng.choice([None, FootWidth.SHOULDER]),
                tempo=rng.choice([None, "3-1-2-0", "2-0-X-0"]),
                tut_seconds=None if rng.random() < 0.7 else float(rng.randint(25, 60)),
                rpe=rng.choice([7.0, 7.5, 8.0, 8.5, 9.0]) if rpe_or_rir < 0.4 else None,
                rir=rng.randint(0, 4) if rpe_or_rir > 0.8 else None,
                set_type=SetType.WARMUP if index == 0 else SetType.WORKING,
                note="felt strong" if rng.random() < 0.02 else "",
                created_at=at,
                updated_at=at,
            )
            made += 1
        day -= timedelta(days=rng.choice([2, 2, 3]))


def build_histories(root: Path) -> dict[str, Path]:
    """One pass over the largest history, each month written to every history that reaches it."""
    folders = {name: root / name for name in SIZES}
    for folder in folders.values():
        (folder / SETS_FOLDER).mkdir(parents=True)
    largest = max(SIZES.values())

    def flush(month: str, docs: list[tuple[int, dict[str, object]]]) -> None:
        for name, size in SIZES.items():
            kept = [doc for position, doc in docs if position < size]
            if kept:  # oldest first, doc ids 1..n, exactly as inserts would number them
                table = {str(i): doc for i, doc in enumerate(reversed(kept), start=1)}
                path = folders[name] / SETS_FOLDER / f"{month}.json"
                path.write_bytes(dumps_json({TABLE: table}))

    month, docs = "", []
    for position, record in enumerate(synthetic_history(largest)):
        if month_of(record.performed_at) != month:
            if docs:
                flush(month, docs)
            month, docs = month_of(record.performed_at), []
        docs.append((position, record.to_dict()))
    if docs:
        flush(month, docs)
    return folders


def _timed_set(rep: int) -> SetRecord:
    at = ANCHOR + timedelta(minutes=rep)
    return SetRecord(
        exercise_id="leg-press", session_id="b" * 32, performed_at=at, unit=LoadUnit.KG,
        entered_load="182.5", reps=8, rpe=8.5, created_at=at, updated_at=at,
    )


def time_logging(
    stores: dict[str, TinyDBSetStore], reps: int, floor_file: Path
) -> tuple[dict[str, float], float]:
    """Median ms to log one set on each store, and the disk's floor for one atomic write.

    Round-robin over the stores, so a burst of disk activity from elsewhere hits all sizes
    alike instead of skewing one. Each timed set is deleted again, untimed, so every
    repetition sees the same history. Two warm-up rounds parse the month once (in the app the
    current month is hot after the first set of a session). The floor is a bare
    atomic_write_bytes of a tiny file (two fsyncs and a rename): no store can beat it.
    """
    samples: dict[str, list[float]] = {name: [] for name in stores}
    floor: list[float] = []
    for rep in range(reps + 2):
        for name, store in stores.items():
            record = _timed_set(rep)
            started = time.perf_counter()
            store.add(record)
            elapsed = time.perf_counter() - started
            store.delete(record.id)
            if rep >= 2:
                samples[name].append(elapsed * 1000)
        started = time.perf_counter()
        atomic_write_bytes(floor_file, b"{}")
        floor.append((time.perf_counter() - started) * 1000)
    medians = {name: statistics.median(values) for name, values in samples.items()}
    return medians, statistics.median(floor[2:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="15 repetitions instead of 50")
    parser.add_argument("--reps", type=int, default=None, help="timed repetitions per history")
    args = parser.parse_args(argv)
    reps = args.reps or (15 if args.quick else 50)

    with tempfile.TemporaryDirectory(prefix="legcoach-bench-") as tmp:
        started = time.perf_counter()
        folders = build_histories(Path(tmp))
        print(f"built histories in {time.perf_counter() - started:.1f} s", flush=True)
        stores: dict[str, TinyDBSetStore] = {}
        try:
            for name, size in SIZES.items():
                shards = len(list((folders[name] / SETS_FOLDER).glob("*.json")))
                started = time.perf_counter()
                stores[name] = store = TinyDBSetStore(folders[name])
                opened_ms = (time.perf_counter() - started) * 1000
                if store.count() != size:
                    raise SystemExit(f"{name}: expected {size} sets, the store has {store.count()}")
                month = store.query(start=ANCHOR.replace(day=1, hour=0), end=ANCHOR)
                print(f"{name:>6}: {size:>7} sets in {shards:>4} month files, "
                      f"open {opened_ms:7.1f} ms, {len(month)} sets in the logging month",
                      flush=True)
            results, floor_ms = time_logging(stores, reps, Path(tmp) / "floor.json")
        finally:
            for store in stores.values():
                store.close()
        for name, median_ms in results.items():
            print(f"{name:>6}: log one set {median_ms:.2f} ms (median of {reps})")
        print(f" floor: bare atomic write of a tiny file {floor_ms:.2f} ms (the disk's fsync cost)")
    empty = results["empty"]
    print(
        f"log_latency: empty_ms={empty:.2f} h2500_ms={results['h2500']:.2f} "
        f"h25k_ms={results['h25k']:.2f} h100k_ms={results['h100k']:.2f} "
        f"ratio_25k={results['h25k'] / empty:.2f} ratio_100k={results['h100k'] / empty:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
