"""How fast does the set log open, and what do the first operations of a session cost?

Opening used to parse every month file to index ids; now it only lists them, and each
operation reads the months it needs. This builds the synthetic histories of
benchmarks/log_latency.py (0, 2,500, 25,000 and 100,000 sets, with its own builder), then,
on a fresh store per repetition, times what a session does first:

  open          TinyDBSetStore(folder)
  recent query  query(start=now − 60 days), "now" being where the history ends
  again         the same query once more (decoded months are cached)
  first add     add() of a set created now into the newest month (a full one)
  count         count(): the full id index, i.e. every month parsed, as opening used to

The code before this change can't run in the same process, so the baseline printed for
reference is a full read of every month file (`read_json` of each) in this run: what the
old open() spent most of its time on. `upgrade` is the one-time first operation on a folder
written by that older code (no journal yet: every month is read once, then the journal is
written). Files are in the page cache, as on a second start of the app; a cold start
reads more from disk for the full read, not for the lazy open.

Usage: python benchmarks/store_open.py [--quick] [--reps N]
The last line is machine-readable:
"store_open: open_25k_ms=… open_100k_ms=… recent_query_100k_ms=… full_read_100k_ms=…".
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from log_latency import ANCHOR, SIZES, _timed_set, build_histories

from legcoach.core.setlog import SetRecord
from legcoach.storage.atomic import read_json
from legcoach.storage.tinydb_store import SETS_FOLDER, TinyDBSetStore

RECENT = timedelta(days=60)
T = TypeVar("T")


def timed(call: Callable[[], T]) -> tuple[T, float]:
    """The call's result and its wall time in ms."""
    started = time.perf_counter()
    result = call()
    return result, (time.perf_counter() - started) * 1000


def fresh_set(rep: int) -> SetRecord:
    """A set as the log form makes it: created now, i.e. after the store opened.

    log_latency's timed set carries the history's dates as created_at; a set created before
    the session might already be stored in an unread month, so add() would read them all.
    """
    now = datetime.now(UTC)
    return dataclasses.replace(_timed_set(rep), created_at=now, updated_at=now)


def full_read_ms(folder: Path) -> float:
    """Parse every month file: the bulk of what open() used to cost."""
    paths = sorted((folder / SETS_FOLDER).glob("*.json"))
    return timed(lambda: [read_json(path) for path in paths])[1]


def session_ms(folder: Path, rep: int, size: int) -> dict[str, float]:
    """One start of the app on `folder`: the first operations, each timed, on a fresh store."""
    store, times = timed(lambda: TinyDBSetStore(folder))
    ms = {"open": times}
    try:
        recent, ms["query"] = timed(lambda: store.query(start=ANCHOR - RECENT))
        again, ms["again"] = timed(lambda: store.query(start=ANCHOR - RECENT))
        if again != recent or (size and not recent):
            raise SystemExit(f"{folder.name}: the recent query is wrong")
        record = fresh_set(rep)
        ms["add"] = timed(lambda: store.add(record))[1]
        count, ms["count"] = timed(store.count)
        if count != size + 1:
            raise SystemExit(f"{folder.name}: expected {size + 1} sets, the store has {count}")
        store.delete(record.id)  # untimed: every repetition sees the same history
    finally:
        store.close()
    return ms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 repetitions instead of 9")
    parser.add_argument("--reps", type=int, default=None, help="timed repetitions per history")
    args = parser.parse_args(argv)
    reps = args.reps or (3 if args.quick else 9)

    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="legcoach-bench-") as tmp:
        started = time.perf_counter()
        folders = build_histories(Path(tmp))
        print(f"built histories in {time.perf_counter() - started:.1f} s", flush=True)
        print(f"{'':>6}  {'open':>7} {'query':>7} {'again':>7} {'add':>7} {'count':>8} "
              f"{'full read':>9} {'upgrade':>8}   (ms, median of {reps}; upgrade once)")
        for name, size in SIZES.items():
            folder = folders[name]
            with TinyDBSetStore(folder) as store:  # the first start after upgrading
                upgrade_ms = timed(store.count)[1]
            samples: dict[str, list[float]] = {}
            for rep in range(reps):
                for key, value in session_ms(folder, rep, size).items():
                    samples.setdefault(key, []).append(value)
                samples.setdefault("full", []).append(full_read_ms(folder))
            row = {key: statistics.median(values) for key, values in samples.items()}
            results[name] = row
            print(f"{name:>6}: {row['open']:7.2f} {row['query']:7.2f} {row['again']:7.2f} "
                  f"{row['add']:7.2f} {row['count']:8.1f} {row['full']:9.1f} {upgrade_ms:8.1f}",
                  flush=True)
    big = results["h100k"]
    print(f"100,000 sets: open is {big['full'] / big['open']:.0f}× faster than a full read; "
          f"the first recent query costs {big['query'] / big['full']:.1%} of one")
    print(
        f"store_open: open_25k_ms={results['h25k']['open']:.2f} "
        f"open_100k_ms={big['open']:.2f} recent_query_100k_ms={big['query']:.2f} "
        f"full_read_100k_ms={big['full']:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
