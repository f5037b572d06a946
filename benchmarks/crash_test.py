"""Kill test: SIGKILL a process while it writes the set log; nothing it acknowledged may be lost.

A child process logs, edits, shortens notes, moves sets between months, deletes and restores
sets in a loop through the real TinyDBSetStore. Before each operation it sends the parent a
"begin" line (op, set id, the state it writes); after the call returns, a "durable" line with
the same. The parent SIGKILLs it at a random moment (a sixth at once, the rest skewed short,
so many kills land inside a write), then does what the next start of the app does: opens the
folder with a fresh store and runs a first operation (a full query). It counts:

  unreadable  files in sets/ that don't parse as a shard or journal, or are empty (an atomic
              writer never leaves an empty file; the store would read one as "no sets")
  lost        acknowledged states the store doesn't return: a missing set, an older version
              of an acknowledged edit, or an acknowledged delete come back
  duplicates  a set stored twice that the journal doesn't list (before recovery), and any set
              still stored twice, or returned twice, after the first operation
  stale_tmp   temp files still in the folder after that first operation

The one operation in flight at the kill (a "begin" without its "durable") may show its before
or its after state; either becomes the state the next child starts from. Kills before the
child's first "begin" (while it starts up) are not counted. After a kill that found damage the
folder is rewritten from the acknowledged state, so one fault is counted once.

Control: the same run with the atomic write swapped, in the child only, for a naive in-place
writer: truncate, then write in four chunks with a flush and a 1 ms pause between them. It
must report unreadable files, or the run proves nothing. The chunks and pauses are deliberate:
a SIGKILL loses no page-cache data, so a single write() of a small file almost always survives
a kill whole, and only power loss or a kernel crash would tear it. Spreading the write out
models that case, where any prefix of the new content may be what reaches the disk. The other
way round, process kills cannot test the fsyncs (power-cut simulation, e.g. dm-log-writes,
would); they test the write ordering, the temp-file cleanup and the month-move journal.

Children are forked, not spawned: importing the app costs ~0.3 s, a fork ~2 ms. The parent
forks with no store open and no other thread. POSIX only (os.fork, SIGKILL).

Usage: python benchmarks/crash_test.py [--kills N] [--control-kills N] [--max-delay-ms MS]
                                       [--seed S]
The last line is machine-readable:
"crash_test: kills=N unreadable=… lost=… duplicates=… stale_tmp=… control_unreadable=…".
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import select
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn

from log_latency import EXERCISES, synthetic_history

from legcoach.core.setlog import LoadUnit, SetRecord, replace_fields
from legcoach.core.setstore import StoreError, sort_key
from legcoach.storage import tinydb_store
from legcoach.storage.atomic import atomic_write_bytes, dumps_json, read_json
from legcoach.storage.tinydb_store import MOVES_FILE, SETS_FOLDER, TABLE, TinyDBSetStore, month_of

SEED_SETS = 200
"""The history the first child finds: synthetic_history's last ~4 months, ~50 sets a month."""

FEWEST, MOST = 150, 250
"""The child adds below FEWEST sets and deletes above MOST, so files neither vanish nor bloat."""

MONTHS = tuple(datetime(2025, month, 1, tzinfo=UTC) for month in range(3, 8))
"""Boundaries of the months new and moved sets go to: March to June 2025, the seed's months."""

OPS = {"add": 3, "restore": 1, "edit": 2, "shorten": 2, "move": 2, "delete": 3}
"""Operation weights. "shorten" cuts a long note and "delete" removes a set: both shrink a
file, the case where an in-place write leaves the old content's tail behind."""

NOTE = "Slow eccentric, knees out, full depth, drive through the heels. " * 16
CHILD_OPS = 100_000
"""A bound on a child's loop, far beyond any kill delay, in case the parent dies."""

TIMEOUT = 30.0
"""Seconds to wait for a child's first line, or for its pipe to close after the kill."""

Model = dict[str, SetRecord]
"""The acknowledged state: every set the store must return, by id."""


# --- the child ---------------------------------------------------------------------------------


def naive_write(path: Path | str, data: bytes) -> None:
    """The control: an in-place rewrite (TinyDB's own JSONStorage does this), in four chunks
    with a flush and a pause between, so a kill can see the file torn (see the module doc)."""
    chunk = -(-len(data) // 4)
    with open(path, "wb") as handle:  # truncates: the old content is gone from here on
        for start in range(0, len(data), chunk):
            handle.write(data[start : start + chunk])
            handle.flush()
            time.sleep(0.001)


def _moment(rng: random.Random, month: int) -> datetime:
    """A random second inside MONTHS[month]."""
    span = int((MONTHS[month + 1] - MONTHS[month]).total_seconds())
    return MONTHS[month] + timedelta(seconds=rng.randrange(span))


def _note(rng: random.Random) -> str:
    return NOTE[: rng.randint(300, 900)]


def _new_set(rng: random.Random) -> SetRecord:
    now = datetime.now(UTC)
    return SetRecord(
        exercise_id=rng.choice(sorted(EXERCISES)),
        performed_at=_moment(rng, rng.randrange(len(MONTHS) - 1)),
        unit=LoadUnit.KG,
        entered_load=f"{2.5 * rng.randint(20, 80):g}",
        reps=rng.randint(5, 15),
        note=_note(rng) if rng.random() < 0.3 else "",
        created_at=now,
        updated_at=now,
    )


def next_op(
    rng: random.Random, live: Model, deleted: list[SetRecord]
) -> tuple[str, str, SetRecord | None]:
    """The child's next operation: (op, set id, the state it writes, None for a delete)."""
    op = rng.choices(list(OPS), weights=list(OPS.values()))[0]
    if len(live) <= FEWEST:
        op = "add"
    elif len(live) >= MOST:
        op = "delete"
    if op == "restore" and not deleted:
        op = "add"
    if op == "add":
        record = _new_set(rng)
        return op, record.id, record
    if op == "restore":  # undo of a delete: the same set again
        record = rng.choice(deleted)
        return op, record.id, record
    long_notes = sorted(i for i, r in live.items() if len(r.note) > 40)
    if op == "shorten" and long_notes:
        record = live[rng.choice(long_notes)]
        return op, record.id, replace_fields(record, note=record.note[: rng.randint(0, 20)])
    record = live[rng.choice(sorted(live))]
    if op == "delete":
        return op, record.id, None
    if op == "move":
        here = month_of(record.performed_at)
        others = [i for i in range(len(MONTHS) - 1) if month_of(MONTHS[i]) != here]
        moved = replace_fields(record, performed_at=_moment(rng, rng.choice(others)))
        return op, record.id, moved
    note = _note(rng) if rng.random() < 0.5 else record.note  # half the edits grow the file
    return "edit", record.id, replace_fields(record, reps=rng.randint(1, 20), note=note)


def apply(model: Model, record_id: str, state: SetRecord | None) -> None:
    """Make `state` the set's state in `model` (None: deleted)."""
    if state is None:
        model.pop(record_id, None)
    else:
        model[record_id] = state


def _send(out: int, event: str, op: str, record_id: str, state: SetRecord | None) -> None:
    """One handshake line; a partial last line (killed mid-write) is ignored by the parent."""
    line = {"ev": event, "op": op, "id": record_id,
            "state": None if state is None else state.to_dict()}
    os.write(out, json.dumps(line).encode() + b"\n")


def child(folder: Path, model: Model, seed: int, out: int, naive: bool) -> NoReturn:
    """The writer: operations in a loop until killed. Never returns into the parent's code."""
    code = 0
    try:
        if naive:
            tinydb_store.atomic_write_bytes = naive_write
        rng = random.Random(seed)
        live, deleted = dict(model), list[SetRecord]()
        store = TinyDBSetStore(folder)
        for _ in range(CHILD_OPS):
            op, record_id, state = next_op(rng, live, deleted)
            _send(out, "begin", op, record_id, state)
            if state is None:
                deleted.append(store.delete(record_id))
            elif op in ("add", "restore"):
                store.add(state)
            else:
                store.update(state)
            _send(out, "durable", op, record_id, state)
            apply(live, record_id, state)
            if op == "restore":
                deleted = [record for record in deleted if record.id != record_id]
    except BrokenPipeError:
        pass  # the parent is gone
    except BaseException:
        code = 1
        line = {"ev": "error", "traceback": traceback.format_exc()}
        os.write(out, json.dumps(line).encode() + b"\n")
    finally:
        os._exit(code)


# --- the parent: kill, then check --------------------------------------------------------------


def write_log(folder: Path, records: Iterable[SetRecord]) -> None:
    """Make `records` the whole set log in `folder`: one shard per month, no journal, as an
    older legcoach leaves it (the next start reads every month once and writes the journal)."""
    sets = folder / SETS_FOLDER
    shutil.rmtree(sets, ignore_errors=True)
    sets.mkdir(parents=True)
    months: dict[str, list[dict[str, Any]]] = {}
    for record in sorted(records, key=sort_key):
        months.setdefault(month_of(record.performed_at), []).append(record.to_dict())
    for month, docs in months.items():
        table = {str(doc_id): doc for doc_id, doc in enumerate(docs, start=1)}
        atomic_write_bytes(sets / f"{month}.json", dumps_json({TABLE: table}))


def kill_delay(rng: random.Random, max_delay: float) -> float:
    """Seconds from the child's first "begin" to the kill: a sixth at once (inside the first
    operation), the rest skewed short (u²) so most land within its first few writes."""
    return 0.0 if rng.random() < 1 / 6 else max_delay * rng.random() ** 2


class _Lines:
    """The child's handshake lines, read from its pipe without blocking the kill."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._buffer = b""
        self.closed = False

    def pump(self, until: float, stop_at_line: bool = False) -> None:
        """Read what arrives until `until` (monotonic), EOF, or the first full line."""
        while not self.closed and not (stop_at_line and b"\n" in self._buffer):
            left = until - time.monotonic()
            if left <= 0:
                return
            ready, _, _ = select.select([self._fd], [], [], left)
            if ready:
                chunk = os.read(self._fd, 65536)
                self._buffer += chunk
                self.closed = not chunk

    def events(self) -> list[dict[str, Any]]:
        """The complete lines; a line cut by the kill is dropped."""
        return [json.loads(line) for line in self._buffer.split(b"\n")[:-1]]


def run_child(folder: Path, model: Model, seed: int, naive: bool, delay: float) -> list[Any]:
    """Fork a child on `folder` and SIGKILL it `delay` s after its first line; its lines."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        child(folder, model, seed, write_end, naive)
    os.close(write_end)
    lines = _Lines(read_end)
    started = False
    try:
        lines.pump(time.monotonic() + TIMEOUT, stop_at_line=True)
        started = bool(lines.events())
        lines.pump(time.monotonic() + delay)
    finally:
        os.kill(pid, signal.SIGKILL)  # the kill; after an error above, no orphan either
        lines.pump(time.monotonic() + TIMEOUT)
        os.close(read_end)
        _, status = os.waitpid(pid, 0)
    events = lines.events()
    errors = [e["traceback"] for e in events if e["ev"] == "error"]
    if errors or not started or not os.WIFSIGNALED(status):
        raise RuntimeError(f"the writer failed before the kill: {errors or status}")
    return events


@dataclass
class Tally:
    """What a run of kills found (the first four must stay 0), and where the kills landed."""

    kills: int = 0
    unreadable: int = 0
    lost: int = 0
    duplicates: int = 0
    stale_tmp: int = 0
    acknowledged: int = 0
    in_flight: Counter[str] = field(default_factory=Counter)
    """Kills inside an operation (a "begin" without its "durable"), by operation."""
    in_flight_done: int = 0
    """…of which the after state was already on disk."""
    temp_left: int = 0
    """Kills that left a temp file: inside an atomic write, before its rename."""
    both_copies: int = 0
    """Kills that left a moved set in both months, journaled: between a move's two writes."""

    @property
    def damage(self) -> int:
        return self.unreadable + self.lost + self.duplicates + self.stale_tmp


def _is_temp(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith(".tmp")


def scan(folder: Path) -> tuple[int, Counter[str], set[str] | None, int]:
    """The files as they are: unreadable ones, copies per set id, the ids the journal lists
    (None without a usable journal), temp files."""
    unreadable, copies, journaled, temps = 0, Counter[str](), None, 0
    for path in sorted((folder / SETS_FOLDER).iterdir()):
        if _is_temp(path):
            temps += 1
            continue
        try:
            data = read_json(path) if path.stat().st_size else None
        except ValueError:
            data = None
        if path.name == MOVES_FILE:
            moves = data.get("moves") if isinstance(data, dict) else None
            journaled = set(moves) if isinstance(moves, dict) else None
            unreadable += journaled is None
        elif path.suffix == ".json":
            docs = data.get(TABLE, {}) if isinstance(data, dict) else None
            if isinstance(docs, dict):
                copies.update(doc["id"] for doc in docs.values())
            else:
                unreadable += 1
    return unreadable, copies, journaled, temps


def check(folder: Path, model: Model, events: list[dict[str, Any]], tally: Tally) -> None:
    """Count what the kill broke, then move `model` to the state on disk (or restore it)."""
    flight: tuple[str, SetRecord | None] | None = None
    op = ""
    for event in events:
        state = None if event["state"] is None else SetRecord.from_dict(event["state"])
        if event["ev"] == "begin":
            flight, op = (event["id"], state), event["op"]
        else:
            apply(model, event["id"], state)
            tally.acknowledged += 1
            flight = None
    unreadable, copies, journaled, temps = scan(folder)
    twice = {record_id for record_id, n in copies.items() if n > 1}
    duplicates = len(twice - journaled) if journaled is not None else 0
    tally.temp_left += temps > 0
    tally.both_copies += bool(twice)
    if flight is not None:
        tally.in_flight[op] += 1

    store = TinyDBSetStore(folder)  # the next start: removes temp files, resolves duplicates
    try:
        found: list[SetRecord] | None = store.query()
    except StoreError:
        found, unreadable = None, max(unreadable, 1)
    finally:
        store.close()
    _, copies, _, stale = scan(folder)
    lost = 0
    if found is not None:  # with a file unreadable, what it held can't be compared
        got = {record.id: record for record in found}
        duplicates += len(found) - len(got) + sum(n > 1 for n in copies.values())
        flight_id = flight[0] if flight else None
        lost = sum(got.get(i) != r for i, r in model.items() if i != flight_id)
        lost += sum(i not in model and i != flight_id for i in got)
        if flight is not None:
            flight_id, after = flight
            now, before = got.get(flight_id), model.get(flight_id)
            tally.in_flight_done += now == after and now != before
            lost += now not in (before, after)
            if now == after:
                apply(model, flight_id, after)
    tally.kills += 1
    tally.unreadable += unreadable
    tally.lost += lost
    tally.duplicates += duplicates
    tally.stale_tmp += stale
    if unreadable or lost or duplicates:
        write_log(folder, model.values())  # so the next kill starts from sound files


def campaign(folder: Path, kills: int, naive: bool, max_delay: float, seed: int) -> Tally:
    """`kills` kills of writers on one folder, each child continuing where the last one died."""
    rng = random.Random(seed)
    model = {record.id: record for record in synthetic_history(SEED_SETS, seed)}
    write_log(folder, model.values())
    tally = Tally()
    step = max(1, kills // 10)
    for kill in range(kills):
        events = run_child(folder, model, rng.randrange(2**32), naive, kill_delay(rng, max_delay))
        check(folder, model, events, tally)
        if not naive and (kill + 1) % step == 0:
            print(f"  {kill + 1} kills, damage so far {tally.damage}", flush=True)
    return tally


class _Warnings(logging.Handler):
    """Counts the store's warnings by template instead of printing one per kill."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen = Counter[str]()

    def emit(self, record: logging.LogRecord) -> None:
        self.seen[str(record.msg)] += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000, help="kills of the real store")
    parser.add_argument("--control-kills", type=int, default=100,
                        help="kills of the naive in-place writer")
    parser.add_argument("--max-delay-ms", type=float, default=100.0,
                        help="longest wait from a child's first operation to its kill")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if not hasattr(os, "fork"):
        print("crash_test: needs os.fork and SIGKILL (POSIX)", file=sys.stderr)
        return 2
    warnings = _Warnings()
    logger = logging.getLogger("legcoach")
    logger.addHandler(warnings)
    logger.propagate = False
    max_delay = args.max_delay_ms / 1000
    with tempfile.TemporaryDirectory(prefix="legcoach-crash-") as tmp:
        started = time.perf_counter()
        real = campaign(Path(tmp) / "atomic", args.kills, False, max_delay, args.seed)
        real_s = time.perf_counter() - started
        started = time.perf_counter()
        control = campaign(Path(tmp) / "naive", args.control_kills, True, max_delay, args.seed)
        control_s = time.perf_counter() - started
    for name, tally, seconds in (("atomic", real, real_s), ("naive", control, control_s)):
        inside = ", ".join(f"{op} {n}" for op, n in tally.in_flight.most_common())
        print(f"{name:>6}: {tally.kills} kills in {seconds:.1f} s, {tally.acknowledged} "
              f"operations acknowledged; {tally.in_flight.total()} kills inside an operation "
              f"({inside}; {tally.in_flight_done} already done), {tally.temp_left} left a temp "
              f"file, {tally.both_copies} left a moved set in both months")
        print(f"{'':>6}  unreadable={tally.unreadable} lost={tally.lost} "
              f"duplicates={tally.duplicates} stale_tmp={tally.stale_tmp}")
    for message, count in warnings.seen.most_common():
        print(f"store warning ×{count}: {message}")
    print(f"crash_test: kills={real.kills} unreadable={real.unreadable} lost={real.lost} "
          f"duplicates={real.duplicates} stale_tmp={real.stale_tmp} "
          f"control_unreadable={control.unreadable}")
    return 0 if real.damage == 0 and control.unreadable > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
