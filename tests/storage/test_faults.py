"""Fault injection: whichever file operation of a save fails, nothing stored is lost or faked.

For each save (add, an edit that shortens a note, a month move, a delete), on a store that has
already read the month ("warm") and on one doing its first operation of the session ("cold",
which also reads the journal and the months), every file operation of the save in turn fails:
the Nth call, for every N, once or from then on (a full or dead disk), with ENOSPC, EIO and
EACCES. Then:

- a save that raises raises an OSError with that errno, naming a file of the set log, which the
  screens' "could not save (…)" handlers show; a save that returns has saved;
- the disk holds the state before the save if it raised, after it if it returned (a fresh
  store reads it back);
- the store that saw the fault shows exactly what is on disk: no phantom or missing set;
- no descriptor leaks; a one-off fault leaves no temp file, a lasting one none after the next
  start;
- with the fault gone, the same save succeeds, and the next start finds every set once.

The calls are intercepted in `os` and `io` themselves, under tempfile, pathlib and the store.
fsync is counted but never performed here: durability is the kill test's subject, and the
~1,000 saves with their retries and reopenings would spend most of their time in it.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from legcoach.core.setlog import LoadUnit, SetRecord, replace_fields
from legcoach.core.setstore import sort_key
from legcoach.storage.atomic import read_json
from legcoach.storage.tinydb_store import MOVES_FILE, SETS_FOLDER, TABLE, TinyDBSetStore

JUNE = datetime(2025, 6, 10, 18, tzinfo=UTC)
JULY = datetime(2025, 7, 10, 18, tzinfo=UTC)


def make(performed_at: datetime, **overrides: Any) -> SetRecord:
    values: dict[str, Any] = {
        "exercise_id": "leg-press", "performed_at": performed_at, "unit": LoadUnit.KG,
        "entered_load": "100", "reps": 10, "created_at": JUNE, "updated_at": JUNE,
    }
    return SetRecord(**(values | overrides))


LONG_NOTE = make(JUNE, note="Slow down, knees out. " * 20)
OTHER_JUNE = make(JUNE + timedelta(days=1), reps=8)
IN_JULY = make(JULY)
BEFORE = {r.id: r for r in (LONG_NOTE, OTHER_JUNE, IN_JULY)}


def new_set() -> SetRecord:
    """A set logged now (created after the store opened, as the app logs them)."""
    now = datetime.now(UTC)
    return make(JUNE + timedelta(days=2), reps=12, created_at=now, updated_at=now)


Save = tuple[Callable[[TinyDBSetStore], object], dict[str, SetRecord]]
"""The save, and the state it leads to."""


def plan(kind: str) -> Save:
    if kind == "add":
        added = new_set()
        return (lambda store: store.add(added)), BEFORE | {added.id: added}
    if kind == "update":  # the file shrinks
        short = replace_fields(LONG_NOTE, note="ok", reps=9)
        return (lambda store: store.update(short)), BEFORE | {short.id: short}
    if kind == "move":  # June → July: four writes (journal, July, June, journal)
        moved = replace_fields(OTHER_JUNE, performed_at=JULY + timedelta(days=5))
        return (lambda store: store.update(moved)), BEFORE | {moved.id: moved}
    assert kind == "delete"
    after = {i: r for i, r in BEFORE.items() if i != IN_JULY.id}
    return (lambda store: store.delete(IN_JULY.id)), after


KINDS = ["add", "update", "move", "delete"]


# --- the faulty disk -----------------------------------------------------------------------------


@dataclass
class FaultyDisk:
    """Counts the file-system calls made while armed and fails the `at`-th one (and, if
    `persistent`, every later one) with `code`, as the kernel would: calls on a path name
    it, calls on a descriptor don't."""

    at: int = 0
    """0: never fail (a dry run that only counts)."""
    code: int = errno.EIO
    persistent: bool = False
    calls: list[str] = field(default_factory=list)

    def hit(self, name: str, path: object = None) -> None:
        self.calls.append(name)
        number = len(self.calls)
        if self.at and (number == self.at or (self.persistent and number > self.at)):
            filename = os.fspath(path) if isinstance(path, str | os.PathLike) else None
            raise OSError(self.code, os.strerror(self.code), filename)

    @contextlib.contextmanager
    def armed(self) -> Iterator[None]:
        real = {name: getattr(os, name)
                for name in ("open", "fdopen", "close", "replace", "unlink", "stat")}
        real_io_open = io.open

        def os_open(path: Any, *args: Any, **kwargs: Any) -> int:
            self.hit("open", path)
            return real["open"](path, *args, **kwargs)

        def fdopen(fd: int, *args: Any, **kwargs: Any) -> _File:
            self.hit("fdopen")  # like a real failure, leaves the descriptor to the caller
            return _File(self, real_io_open(fd, *args, **kwargs))

        def io_open(path: Any, *args: Any, **kwargs: Any) -> _File:
            self.hit("open", path)
            return _File(self, real_io_open(path, *args, **kwargs))

        def fsync(fd: int) -> None:
            self.hit("fsync")

        def close(fd: int) -> None:
            real["close"](fd)  # close(2) releases the descriptor even when it reports an error
            self.hit("close")

        def replace(source: Any, target: Any, **kwargs: Any) -> None:
            self.hit("replace", source)
            real["replace"](source, target, **kwargs)

        def unlink(path: Any, **kwargs: Any) -> None:
            self.hit("unlink", path)
            real["unlink"](path, **kwargs)

        def stat(path: Any, **kwargs: Any) -> os.stat_result:
            self.hit("stat", path)
            return real["stat"](path, **kwargs)

        fakes = {"open": os_open, "fdopen": fdopen, "fsync": fsync, "close": close,
                 "replace": replace, "unlink": unlink, "stat": stat}
        with pytest.MonkeyPatch.context() as patch:
            for name, fake in fakes.items():
                patch.setattr(os, name, fake)
            patch.setattr(io, "open", io_open)
            yield


class _File:
    """A file object whose reads, writes, flushes and close count as calls that may fail."""

    def __init__(self, disk: FaultyDisk, real: Any) -> None:
        self._disk = disk
        self._real = real

    def __enter__(self) -> _File:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def fileno(self) -> int:
        return int(self._real.fileno())

    def read(self, *args: Any) -> Any:
        self._disk.hit("read")
        return self._real.read(*args)

    def write(self, data: bytes) -> int:
        self._disk.hit("write")
        return int(self._real.write(data))

    def flush(self) -> None:
        self._disk.hit("flush")
        self._real.flush()

    def close(self) -> None:
        if not self._real.closed:
            self._real.close()  # the descriptor is released even when close reports an error
            self._disk.hit("close")


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """See the module doc: the checks here are about what the store does with errors."""
    monkeypatch.setattr(os, "fsync", lambda fd: None)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A set log with two sets in June (one with a long note), one in July, and a journal."""
    folder = tmp_path_factory.mktemp("template")
    with TinyDBSetStore(folder) as store:
        for record in BEFORE.values():
            store.add(record)
    return folder


def ordered(state: dict[str, SetRecord]) -> list[SetRecord]:
    return sorted(state.values(), key=sort_key)


def open_descriptors() -> int:
    """How many descriptors this process holds (Linux; elsewhere the check is skipped)."""
    return len(os.listdir("/proc/self/fd")) if Path("/proc/self/fd").is_dir() else 0


def stored_copies(folder: Path) -> Counter[str]:
    """How many copies of each set the month files hold."""
    shards = [read_json(path)[TABLE] for path in (folder / SETS_FOLDER).glob("*.json")]
    return Counter(doc["id"] for docs in shards for doc in docs.values())


def journal(folder: Path) -> dict[str, list[str]]:
    return read_json(folder / SETS_FOLDER / MOVES_FILE)["moves"]


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in (folder / SETS_FOLDER).iterdir() if p.name.endswith(".tmp"))


def open_store(template: Path, folder: Path, cold: bool) -> TinyDBSetStore:
    """A copy of the template log, opened; warm: its months already read by a query."""
    shutil.copytree(template, folder)
    store = TinyDBSetStore(folder)
    if not cold:
        assert store.query() == ordered(BEFORE)
    return store


_dry_runs: dict[tuple[str, bool], list[str]] = {}


def calls_of(template: Path, folder: Path, kind: str, cold: bool) -> list[str]:
    """The file operations one fault-free save makes, in order (computed once per save)."""
    if (kind, cold) not in _dry_runs:
        store = open_store(template, folder, cold)
        save, after = plan(kind)
        disk = FaultyDisk()
        with disk.armed():
            save(store)
        assert store.query() == ordered(after)
        store.close()
        _dry_runs[kind, cold] = disk.calls
    return _dry_runs[kind, cold]


def save_with_fault(template: Path, folder: Path, kind: str, cold: bool, disk: FaultyDisk) -> None:
    """One save with `disk`'s fault, then every check of the module doc."""
    store = open_store(template, folder, cold)
    save, after = plan(kind)
    descriptors = open_descriptors()
    error: Exception | None = None
    with disk.armed():
        try:
            save(store)
        except Exception as exc:  # which one it is, is checked below
            error = exc
    where = (f"{kind} ({'cold' if cold else 'warm'}), {errno.errorcode[disk.code]} at call "
             f"{disk.at} of {disk.calls} → {error!r}")
    assert len(disk.calls) >= disk.at, f"the fault never fired: {where}"
    assert open_descriptors() == descriptors, f"a descriptor leaked: {where}"
    if error is not None:
        assert isinstance(error, OSError) and error.errno == disk.code, where
        assert error.strerror == os.strerror(disk.code), where
        assert error.filename and Path(error.filename).parent == store.folder, where
    if not disk.persistent:
        assert temp_files(folder) == [], where

    expected = BEFORE if error is not None else after
    with TinyDBSetStore(folder, read_only=True) as on_disk:
        assert on_disk.query() == ordered(expected), f"disk: {where}"
    assert store.query() == ordered(expected), f"memory: {where}"
    assert store.count() == len(expected), f"memory: {where}"
    for record_id in BEFORE.keys() | after.keys():
        assert store.get(record_id) == expected.get(record_id), f"memory: {where}"

    if error is not None:
        save(store)  # the fault is gone: the same save goes through
        assert store.query() == ordered(after), f"retry: {where}"
    store.close()
    # On disk as this session leaves it: every set, and a second copy only where the journal
    # lists it (an old copy a failed write couldn't remove). A document a failed write left
    # in memory would have been written out with the next write of its month.
    copies = stored_copies(folder)
    assert copies.keys() == after.keys(), f"disk: {where}"
    twice = {record_id for record_id, n in copies.items() if n > 1}
    assert twice <= journal(folder).keys(), f"disk: {where}"
    with TinyDBSetStore(folder) as next_start:
        assert next_start.query() == ordered(after), f"next start: {where}"
    assert temp_files(folder) == [], f"next start: {where}"
    assert stored_copies(folder) == dict.fromkeys(after, 1), f"next start: {where}"
    assert journal(folder) == {}, f"next start: {where}"


# --- the tests -------------------------------------------------------------------------------


def test_the_disk_sees_every_call_of_an_atomic_write(template: Path, tmp_path: Path) -> None:
    """Else the positions below would skip calls: a warm add is exactly one atomic write."""
    assert calls_of(template, tmp_path / "dry", "add", cold=False) == [
        "open", "fdopen", "write", "flush", "fsync", "close", "replace",  # temp file, rename
        "open", "fsync", "close",  # the folder
    ]


def test_a_cold_save_also_reads_the_journal_and_its_months(
    template: Path, tmp_path: Path
) -> None:
    calls = calls_of(template, tmp_path / "dry", "move", cold=True)
    reads = ["open", "read", "close"]
    assert calls[:3] == reads and calls[3:11] == ["stat", *reads] * 2  # journal, June, July
    assert calls.count("replace") == 4  # journal, July, June, journal


@pytest.mark.parametrize("persistent", [False, True], ids=["once", "from-then-on"])
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO, errno.EACCES],
                         ids=["ENOSPC", "EIO", "EACCES"])
@pytest.mark.parametrize("cold", [False, True], ids=["warm", "cold"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_save_survives_a_failure_at_every_file_operation(
    template: Path, tmp_path: Path, kind: str, cold: bool, code: int, persistent: bool
) -> None:
    calls = calls_of(template, tmp_path / "dry", kind, cold)
    for at in range(1, len(calls) + 1):
        disk = FaultyDisk(at=at, code=code, persistent=persistent)
        save_with_fault(template, tmp_path / f"at{at}", kind, cold, disk)
