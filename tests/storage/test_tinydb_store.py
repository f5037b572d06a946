"""The SetStore contract (in memory and on TinyDB), then TinyDB sharding and crash recovery."""

from __future__ import annotations

import errno
import json
import logging
import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from tinydb import TinyDB

from legcoach.core import setlog
from legcoach.core.setlog import (
    SCHEMA_VERSION,
    LoadUnit,
    NewerSchemaError,
    SetRecord,
    register_migration,
    replace_fields,
)
from legcoach.core.setstore import (
    InMemorySetStore,
    RecordExists,
    RecordNotFound,
    SetStore,
    StoreClosed,
    StoreError,
)
from legcoach.core.undo import SetLogEditor
from legcoach.storage import tinydb_store
from legcoach.storage.atomic import dumps_json, read_json
from legcoach.storage.tinydb_store import TABLE, AtomicJSONStorage, TinyDBSetStore

JUNE = datetime(2025, 6, 10, 18, tzinfo=UTC)


def make(performed_at: datetime = JUNE, **overrides: Any) -> SetRecord:
    values: dict[str, Any] = {
        "exercise_id": "leg-press", "performed_at": performed_at, "unit": LoadUnit.KG,
        "entered_load": "100", "reps": 10, "created_at": JUNE, "updated_at": JUNE,
    }
    return SetRecord(**(values | overrides))


def shard(store: TinyDBSetStore, month: str) -> dict[str, dict[str, Any]]:
    """The documents of one month file, read straight from disk."""
    return read_json(store.shard_path(month))[TABLE]


def ids_on_disk(store: TinyDBSetStore) -> list[str]:
    return sorted(
        doc["id"] for path in store.folder.glob("*.json") for doc in read_json(path)[TABLE].values()
    )


# --- the contract, for every implementation -------------------------------------------------------


@pytest.fixture(params=["memory", "tinydb"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SetStore]:
    made: SetStore = InMemorySetStore() if request.param == "memory" else TinyDBSetStore(tmp_path)
    yield made
    made.close()


def test_add_get_count(store: SetStore) -> None:
    first, second = make(), make(JUNE + timedelta(days=40), reps=8)
    store.add(first)
    store.add(second)
    assert (store.get(first.id), store.get(second.id), store.count()) == (first, second, 2)
    assert store.get("f" * 32) is None


def test_ids_are_unique(store: SetStore) -> None:
    first = make()
    store.add(first)
    with pytest.raises(RecordExists):
        store.add(replace_fields(first, reps=3))
    assert store.count() == 1


def test_update_and_delete(store: SetStore) -> None:
    first = make()
    store.add(first)
    edited = replace_fields(first, reps=12, note="grindy")
    store.update(edited)
    assert store.get(first.id) == edited
    assert store.delete(first.id) == edited
    assert (store.get(first.id), store.count()) == (None, 0)


def test_missing_ids_are_reported(store: SetStore) -> None:
    with pytest.raises(RecordNotFound):
        store.update(make())
    with pytest.raises(RecordNotFound):
        store.delete("0" * 32)


def test_query_sorts_and_filters(store: SetStore) -> None:
    made = [
        make(JUNE + timedelta(days=35)),
        make(JUNE - timedelta(days=1), exercise_id="hip-thrust-machine"),
        make(JUNE),
        make(JUNE + timedelta(days=400), exercise_id="hip-thrust-machine"),
    ]
    for record in made:
        store.add(record)
    everything = store.query()
    assert [r.performed_at for r in everything] == sorted(r.performed_at for r in made)
    assert {r.id for r in store.query("hip-thrust-machine")} == {made[1].id, made[3].id}
    # start is inclusive, end exclusive: back-to-back ranges never count a set twice.
    assert store.query(start=JUNE, end=JUNE + timedelta(days=35)) == [made[2]]
    assert store.query(start=JUNE + timedelta(days=35)) == [made[0], made[3]]
    assert store.query("hip-thrust-machine", end=JUNE) == [made[1]]
    assert store.query("squat") == []


def test_query_ties_are_ordered_by_id(store: SetStore) -> None:
    twins = [make(), make(), make()]
    for record in twins:
        store.add(record)
    assert [r.id for r in store.query()] == sorted(r.id for r in twins)


def test_query_bounds_must_be_aware(store: SetStore) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        store.query(start=datetime(2025, 6, 1))


def test_an_edit_can_move_a_set_to_another_month(store: SetStore) -> None:
    first = make()
    store.add(first)
    moved = replace_fields(first, performed_at=JUNE + timedelta(days=60))
    store.update(moved)
    assert store.query(end=JUNE + timedelta(days=30)) == []
    assert store.query() == [moved] and store.count() == 1


def test_a_closed_store_refuses_everything(store: SetStore) -> None:
    store.add(make())
    store.close()
    store.close()  # idempotent
    for call in (store.count, store.query, lambda: store.get("a" * 32), lambda: store.add(make())):
        with pytest.raises(StoreClosed):
            call()


# --- TinyDB: layout ------------------------------------------------------------------------------


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def open_store(log_dir: Path) -> Iterator[Callable[..., TinyDBSetStore]]:
    """Opens stores on one folder; closes whatever is left open at the end."""
    opened: list[TinyDBSetStore] = []

    def open_(**kwargs: Any) -> TinyDBSetStore:
        opened.append(TinyDBSetStore(log_dir, **kwargs))
        return opened[-1]

    yield open_
    for made in opened:
        made.close()


def test_one_file_per_utc_month(open_store: Callable[..., TinyDBSetStore]) -> None:
    store = open_store()
    january = make(datetime(2025, 1, 15, tzinfo=UTC))
    # 23:30 in New York on 31 January is already February in UTC.
    late = make(datetime(2025, 1, 31, 23, 30, tzinfo=timezone(timedelta(hours=-5))))
    store.add(january)
    store.add(late)
    assert sorted(p.name for p in store.folder.iterdir()) == ["2025-01.json", "2025-02.json"]
    assert store.folder == store.folder.parent / "sets"
    assert [doc["id"] for doc in shard(store, "2025-02").values()] == [late.id]


def test_logging_writes_only_the_month_of_the_set(
    open_store: Callable[..., TinyDBSetStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store()
    for months in range(6):
        store.add(make(JUNE - timedelta(days=31 * months)))
    written: list[str] = []
    real_write = tinydb_store.atomic_write_bytes
    monkeypatch.setattr(
        tinydb_store, "atomic_write_bytes",
        lambda path, data: written.append(Path(path).name) or real_write(path, data),
    )
    store.add(make())
    assert written == ["2025-06.json"]


def test_a_shard_is_a_plain_tinydb_file(open_store: Callable[..., TinyDBSetStore]) -> None:
    store = open_store()
    records = [make(), make(reps=8, note="Ünïcödé 💪")]
    for record in records:
        store.add(record)
    raw = store.shard_path("2025-06").read_bytes()
    assert raw == dumps_json(json.loads(raw))  # compact, sorted keys, UTF-8
    assert "💪".encode() in raw
    with TinyDB(store.shard_path("2025-06"), access_mode="r") as plain:
        assert [dict(doc) for doc in plain.table(TABLE).all()] == [r.to_dict() for r in records]


def test_reopening_sees_everything(open_store: Callable[..., TinyDBSetStore]) -> None:
    store = open_store()
    records = [make(JUNE + timedelta(days=17 * i), reps=i) for i in range(8)]
    for record in records:
        store.add(record)
    store.update(replace_fields(records[0], performed_at=JUNE + timedelta(days=200)))
    store.delete(records[1].id)
    before = store.query()
    store.close()
    again = open_store()
    assert again.query() == before and again.count() == 7
    assert again.get(records[0].id) == before[-1]


def test_few_months_stay_parsed_but_all_stay_reachable(
    open_store: Callable[..., TinyDBSetStore],
) -> None:
    store = open_store(max_open_months=1)
    records = [make(JUNE + timedelta(days=31 * i)) for i in range(4)]
    for record in records:
        store.add(record)
    for record in records:
        store.update(replace_fields(record, reps=3))
    assert [r.reps for r in store.query()] == [3, 3, 3, 3]


# --- TinyDB: moving between months and crashes -------------------------------------------------


def test_a_month_move_adds_first_then_removes(
    open_store: Callable[..., TinyDBSetStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store()
    record = make()
    store.add(record)
    written: list[str] = []
    real_write = tinydb_store.atomic_write_bytes
    monkeypatch.setattr(
        tinydb_store, "atomic_write_bytes",
        lambda path, data: written.append(Path(path).name) or real_write(path, data),
    )
    store.update(replace_fields(record, performed_at=JUNE + timedelta(days=30)))
    assert written == ["2025-07.json", "2025-06.json"]
    assert shard(store, "2025-06") == {} and ids_on_disk(store) == [record.id]


class Crash(BaseException):
    """The process dies: nothing after this point runs, no except OSError catches it."""


def crash_on_write(monkeypatch: pytest.MonkeyPatch, number: int) -> None:
    """Let `number - 1` more shard writes through, then crash."""
    real_write = tinydb_store.atomic_write_bytes
    calls = iter(range(1, 1000))

    def write(path: Path, data: bytes) -> None:
        if next(calls) == number:
            raise Crash
        real_write(path, data)

    monkeypatch.setattr(tinydb_store, "atomic_write_bytes", write)


@pytest.mark.parametrize("crash_at", [1, 2])
def test_a_crash_during_a_month_move_never_loses_the_set(
    open_store: Callable[..., TinyDBSetStore], monkeypatch: pytest.MonkeyPatch, crash_at: int
) -> None:
    store = open_store()
    record = make()
    store.add(record)
    moved = replace_fields(record, performed_at=JUNE + timedelta(days=30), reps=7)
    crash_on_write(monkeypatch, crash_at)
    with pytest.raises(Crash):
        store.update(moved)
    monkeypatch.undo()
    if crash_at == 2:  # between the two writes: both months hold a copy
        assert ids_on_disk(store) == [record.id, record.id]
    again = open_store()
    expected = record if crash_at == 1 else moved  # the newest copy wins
    assert again.query() == [expected] and again.count() == 1
    assert ids_on_disk(again) == [record.id]  # the stale copy is gone from disk too


def test_duplicates_keep_the_newest_updated_at_whatever_the_month(
    open_store: Callable[..., TinyDBSetStore], log_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    record = make(JUNE + timedelta(days=30))  # the newer copy lives in the LATER month
    older = make(JUNE, id=record.id, reps=4, updated_at=JUNE - timedelta(days=1))
    newer = replace_fields(record, now=JUNE + timedelta(days=1), reps=9)
    store = open_store()
    store.add(newer)
    store.close()
    folder = log_dir / tinydb_store.SETS_FOLDER
    (folder / "2025-06.json").write_bytes(dumps_json({TABLE: {"1": older.to_dict()}}))
    with caplog.at_level(logging.WARNING, logger=tinydb_store.__name__):
        again = open_store()
    assert again.query() == [newer] and "stored twice" in caplog.text
    assert shard(again, "2025-06") == {}


def test_a_failed_write_changes_nothing(
    open_store: Callable[..., TinyDBSetStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parsed month is dropped after a failed write, so memory never runs ahead of disk."""
    store = open_store()
    kept = make()
    store.add(kept)

    def disk_full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tinydb_store, "atomic_write_bytes", disk_full)
    lost = make(reps=1)
    with pytest.raises(OSError, match="No space"):
        store.add(lost)
    with pytest.raises(OSError, match="No space"):
        store.update(replace_fields(kept, reps=2))
    with pytest.raises(OSError, match="No space"):
        store.delete(kept.id)
    monkeypatch.undo()
    assert store.query() == [kept] and store.get(lost.id) is None and store.count() == 1
    store.add(lost)  # and the store keeps working
    assert open_store().query() == sorted([kept, lost], key=lambda r: (r.performed_at, r.id))


def test_if_the_old_copy_cannot_be_removed_the_edit_still_counts(
    open_store: Callable[..., TinyDBSetStore],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = open_store()
    record = make()
    store.add(record)
    moved = replace_fields(record, performed_at=JUNE + timedelta(days=30))
    real_write = tinydb_store.atomic_write_bytes

    def old_month_fails(path: Path, data: bytes) -> None:
        if Path(path).name == "2025-06.json":
            raise OSError(errno.EIO, "I/O error")
        real_write(path, data)

    monkeypatch.setattr(tinydb_store, "atomic_write_bytes", old_month_fails)
    with caplog.at_level(logging.WARNING, logger=tinydb_store.__name__):
        store.update(moved)
    monkeypatch.undo()
    assert "Could not remove the old copy" in caplog.text
    assert store.query() == [moved] and store.get(record.id) == moved  # stale copy hidden
    store.close()
    assert open_store().query() == [moved]


def test_undo_of_a_month_move_survives_reopening(
    open_store: Callable[..., TinyDBSetStore],
) -> None:
    store = open_store()
    editor = SetLogEditor(store)
    record = make()
    editor.add(record)
    editor.update(replace_fields(record, performed_at=JUNE + timedelta(days=45)))
    assert editor.undo() is not None
    store.close()
    [restored] = open_store().query()
    assert restored.performed_at == JUNE and restored.updated_at > record.updated_at


# --- TinyDB: opening old, newer and damaged data --------------------------------------------------


def write_shard(log_dir: Path, month: str, docs: list[dict[str, Any]]) -> Path:
    folder = log_dir / tinydb_store.SETS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{month}.json"
    path.write_bytes(dumps_json({TABLE: {str(i): doc for i, doc in enumerate(docs, 1)}}))
    return path


def test_a_newer_record_refuses_the_whole_log_and_changes_nothing(
    open_store: Callable[..., TinyDBSetStore], log_dir: Path
) -> None:
    future = make().to_dict() | {"v": SCHEMA_VERSION + 1, "velocity": [0.5, 0.4]}
    path = write_shard(log_dir, "2025-06", [make().to_dict(), future])
    before = path.read_bytes()
    with pytest.raises(NewerSchemaError, match=r"2025-06\.json") as caught:
        open_store()
    assert "newer version of legcoach" in str(caught.value)
    assert path.read_bytes() == before


def test_old_records_are_migrated_on_read(
    open_store: Callable[..., TinyDBSetStore], log_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(setlog, "MIGRATIONS", {})

    @register_migration(0)
    def v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
        return data | {"entered_load": str(data.pop("weight_kg")), "unit": "kg"}

    current = make(reps=5)
    old = make().to_dict() | {"v": 0, "weight_kg": 90}
    del old["entered_load"], old["unit"], old["load_kg"]
    path = write_shard(log_dir, "2025-06", [old, current.to_dict()])
    store = open_store()
    assert store.get(old["id"]) is not None and store.get(old["id"]).load_kg == 90.0
    assert store.query("leg-press")[0].reps in (5, 10) and store.count() == 2
    assert read_json(path)[TABLE]["1"]["v"] == 0  # reading never rewrites
    store.update(replace_fields(store.get(old["id"]), reps=6))
    assert read_json(path)[TABLE]["1"]["v"] == SCHEMA_VERSION  # an edit stores the new layout
    assert "weight_kg" not in read_json(path)[TABLE]["1"]


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[1,2]", b'{"sets":[]}', b'{"sets":{"x":{}}}', b"\xff\xfe"],
)
def test_a_damaged_month_file_is_reported_with_its_name(
    open_store: Callable[..., TinyDBSetStore], log_dir: Path, content: bytes
) -> None:
    path = write_shard(log_dir, "2025-06", [])
    path.write_bytes(content)
    with pytest.raises(StoreError, match=r"2025-06\.json"):
        open_store()


def test_stale_temp_files_are_removed_at_open(
    open_store: Callable[..., TinyDBSetStore], log_dir: Path
) -> None:
    write_shard(log_dir, "2025-06", [make().to_dict()])
    leftover = log_dir / "sets" / ".2025-06.json.a1b2c3d4.tmp"
    leftover.write_bytes(b'{"sets":{"1":')
    unrelated = log_dir / "sets" / "README.txt"
    unrelated.write_text("mine")
    store = open_store()
    assert store.removed_temp_files == [leftover] and not leftover.exists()
    assert unrelated.exists() and store.count() == 1


def test_empty_month_files_are_fine(
    open_store: Callable[..., TinyDBSetStore], log_dir: Path
) -> None:
    write_shard(log_dir, "2025-05", []).write_bytes(b"")
    store = open_store()
    assert store.count() == 0
    store.add(make(datetime(2025, 5, 3, tzinfo=UTC)))
    assert len(shard(store, "2025-05")) == 1


# --- the storage's JSON cache --------------------------------------------------------------------


def test_cached_document_json_always_matches_the_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reusing unchanged documents' JSON must give exactly dumps_json(data), even for values
    that compare equal but serialise differently (1 / 1.0 / True, 0.0 / -0.0)."""
    files: dict[str, bytes] = {}  # in memory: this is about the bytes, not the disk
    monkeypatch.setattr(
        tinydb_store, "atomic_write_bytes", lambda path, data: files.__setitem__(str(path), data)
    )
    db = TinyDB(tmp_path / "db.json", storage=AtomicJSONStorage)
    table = db.table(TABLE)
    rng = random.Random(4)
    values = [0, 1, 1.0, True, False, 0.0, -0.0, "1", "ü", None, 2.5, [1], {"a": 1}]
    for _ in range(600):
        doc_ids = [doc.doc_id for doc in table.all()]
        action = rng.random()
        if action < 0.35 or not doc_ids:
            table.insert({"a": rng.choice(values), "b": rng.choice(values)})
        elif action < 0.7:
            table.update({"a": rng.choice(values)}, doc_ids=[rng.choice(doc_ids)])
        else:
            table.remove(doc_ids=[rng.choice(doc_ids)])
        assert files[str(tmp_path / "db.json")] == dumps_json(db.storage.read())
    db.close()
