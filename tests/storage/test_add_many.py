"""Adding sets by the thousand (imports): one write per month, nothing replaced, nothing twice."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from legcoach.core.setlog import replace_fields
from legcoach.core.setstore import InMemorySetStore, SetStore, sort_key
from legcoach.storage import tinydb_store
from legcoach.storage.tinydb_store import TinyDBSetStore
from tests.storage.test_tinydb_store import JUNE, make


@pytest.fixture(params=["memory", "tinydb"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SetStore]:
    made: SetStore = InMemorySetStore() if request.param == "memory" else TinyDBSetStore(tmp_path)
    yield made
    made.close()


def test_adds_new_sets_and_skips_stored_and_repeated_ones(store: SetStore) -> None:
    stored = make()
    store.add(stored)
    edited = replace_fields(stored, reps=3)  # same id: the stored version must win
    fresh = [make(JUNE + timedelta(days=day), reps=day + 1) for day in range(3)]
    added = store.add_many([edited, *fresh, fresh[0]])
    assert added == fresh
    assert store.get(stored.id) == stored
    assert store.query() == sorted([stored, *fresh], key=sort_key)
    assert store.add_many(fresh) == []  # importing the same file again adds nothing


def test_one_atomic_write_per_month(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = TinyDBSetStore(tmp_path)
    written: list[str] = []
    real_write = tinydb_store.atomic_write_bytes

    def counted(path: Path, data: bytes) -> None:
        written.append(Path(path).name)
        real_write(path, data)

    monkeypatch.setattr(tinydb_store, "atomic_write_bytes", counted)
    sets = [make(JUNE + timedelta(days=day, minutes=minute)) for day in (0, 40, 80)
            for minute in range(50)]
    assert len(store.add_many(sets)) == 150
    shard_writes = [name for name in written if name[:4].isdigit()]
    assert sorted(shard_writes) == ["2025-06.json", "2025-07.json", "2025-08.json"]
    store.close()
    assert TinyDBSetStore(tmp_path).count() == 150


def test_a_failed_month_keeps_the_earlier_ones_and_a_retry_completes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = TinyDBSetStore(tmp_path)
    sets = [make(JUNE + timedelta(days=day)) for day in (0, 40)]  # June and July
    real_write = tinydb_store.atomic_write_bytes

    def july_full(path: Path, data: bytes) -> None:
        if Path(path).name == "2025-07.json":
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(path, data)

    monkeypatch.setattr(tinydb_store, "atomic_write_bytes", july_full)
    with pytest.raises(OSError, match="No space"):
        store.add_many(sets)
    monkeypatch.undo()
    assert store.query() == sets[:1]
    assert store.add_many(sets) == sets[1:]
    store.close()
    assert TinyDBSetStore(tmp_path).query() == sets
