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
    in_range,
    sort_key,
)
from legcoach.core.undo import SetLogEditor
from legcoach.storage import tinydb_store
from legcoach.storage.atomic import dumps_json, read_json
from legcoach.storage.tinydb_store import MOVES_FILE, TABLE, AtomicJSONStorage, TinyDBSetStore

JUNE = datetime(2025, 6, 10, 18, tzinfo=UTC)
JUNE_1, JULY_1, AUGUST_1 = (datetime(2025, month, 1, tzinfo=UTC) for month in (6, 7, 8))


def make(performed_at: datetime = JUNE, **overrides: Any) -> SetRecord:
    values: dict[str, Any] = {
        "exercise_id": "leg-press", "performed_at": performed_at, "unit": LoadUnit.KG,
        "entered_load": "100", "reps": 10, "created_at": JUNE, "updated_at": JUNE,
    }
    return SetRecord(**(values | overrides))


def shard(store: TinyDBSetStore, month: str) -> dict[str, dict[str, Any]]:
    """The documents of one month file, read straight from disk."""
    return read_json(store.shard_path(month))[TABLE]


def journal(store: TinyDBSetStore) -> dict[str, list[str]]:
    """The month moves the journal on disk still lists."""
    return read_json(store.folder / MOVES_FILE)["moves"]


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
    names = sorted(p.name for p in store.folder.iterdir())
    assert names == ["2025-01.json", "2025-02.json", MOVES_FILE]  # and the (empty) journal
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
    assert written == [MOVES_FILE, "2025-07.json", "2025-06.json", MOVES_FILE]
    assert shard(store, "2025-06") == {} and ids_on_disk(store) == [record.id]
    assert journal(store) == {}


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


@pytest.mark.parametrize("crash_at", [1, 2, 3, 4])
@pytest.mark.parametrize("first_look", ["june", "july", "all"])
def test_a_crash_during_a_month_move_never_loses_the_set(
    open_store: Callable[..., TinyDBSetStore],
    monkeypatch: pytest.MonkeyPatch,
    crash_at: int,
    first_look: str,
) -> None:
    """Writes: journal, new month, old month, journal. Whatever month the next session
    looks at first, it sees the newest copy only, never both."""
    store = open_store()
    record = make()
    store.add(record)
    moved = replace_fields(record, performed_at=JUNE + timedelta(days=30), reps=7)
    crash_on_write(monkeypatch, crash_at)
    with pytest.raises(Crash):
        store.update(moved)
    monkeypatch.undo()
    if crash_at == 3:  # between the two month writes: both months hold a copy
        assert ids_on_disk(store) == [record.id, record.id]
    again = open_store()
    expected = record if crash_at <= 2 else moved  # the newest copy wins
    ranges = {"june": (JUNE_1, JULY_1), "july": (JULY_1, AUGUST_1), "all": (None, None)}
    start, end = ranges[first_look]
    assert again.query(start=start, end=end) == [
        r for r in [expected] if start is None or start <= r.performed_at < end
    ]
    assert again.query() == [expected] and again.count() == 1
    assert ids_on_disk(again) == [record.id]  # the stale copy is gone from disk too
    assert journal(again) == {}


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


def test_a_newer_record_in_an_old_folder_refuses_the_whole_log_and_changes_nothing(
    open_store: Callable[..., TinyDBSetStore], log_dir: Path
) -> None:
    """A folder without a journal is read in full by its first operation, whatever it is."""
    future = make().to_dict() | {"v": SCHEMA_VERSION + 1, "velocity": [0.5, 0.4]}
    path = write_shard(log_dir, "2025-06", [make().to_dict(), future])
    write_shard(log_dir, "2025-08", [make(JUNE + timedelta(days=60)).to_dict()])
    before = path.read_bytes()
    store = open_store()  # opening reads nothing, so it can't tell yet
    for operation in (
        lambda: store.query(start=AUGUST_1),
        store.count,
        lambda: store.add(make(JUNE + timedelta(days=60), created_at=datetime.now(UTC))),
    ):
        with pytest.raises(NewerSchemaError, match=r"2025-06\.json") as caught:
            operation()
        assert "newer version of legcoach" in str(caught.value)
    assert path.read_bytes() == before and not (path.parent / MOVES_FILE).exists()


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
    store = open_store()
    with pytest.raises(StoreError, match=r"2025-06\.json"):
        store.query(start=JUNE_1)


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


# --- TinyDB: opening reads nothing, operations read only the months they need ---------------------


def now_made(performed_at: datetime = JUNE, **overrides: Any) -> SetRecord:
    """A set as the log form makes it: created now, so after any store was opened."""
    moment = datetime.now(UTC)
    return make(performed_at, created_at=moment, updated_at=moment, **overrides)


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, the names of the files the store parses (month files and the journal)."""
    names: list[str] = []
    real_read = tinydb_store.read_json

    def read(path: Path | str) -> Any:
        names.append(Path(path).name)
        return real_read(path)

    monkeypatch.setattr(tinydb_store, "read_json", read)
    return names


MONTHS = ["2015-03", "2024-12", "2025-01", "2025-04", "2025-05", "2025-06", "2025-07"]


@pytest.fixture
def history(open_store: Callable[..., TinyDBSetStore]) -> dict[str, SetRecord]:
    """One set in each of MONTHS (the 10th, 18:00 UTC), stored and closed: month → set."""
    store = open_store()
    sets = {}
    for month in MONTHS:
        year, number = map(int, month.split("-"))
        sets[month] = make(datetime(year, number, 10, 18, tzinfo=UTC))
        store.add(sets[month])
    store.close()
    return sets


def test_opening_parses_no_file(
    open_store: Callable[..., TinyDBSetStore],
    history: dict[str, SetRecord],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads = count_reads(monkeypatch)
    store = open_store()
    assert reads == []
    assert store.query(start=JUNE_1, end=JULY_1) == [history["2025-06"]]
    assert reads == [MOVES_FILE, "2025-06.json"]


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (JUNE_1, JULY_1, ["2025-06"]),  # end on a month's first instant: that month is out
        (JUNE_1 - timedelta(microseconds=1), JULY_1, ["2025-05", "2025-06"]),
        (JUNE - timedelta(days=60), None, ["2025-04", "2025-05", "2025-06", "2025-07"]),
        (None, datetime(2025, 1, 1, 1, tzinfo=timezone(timedelta(hours=2))), MONTHS[:2]),
        (datetime(2025, 2, 1, tzinfo=UTC), datetime(2025, 4, 1, tzinfo=UTC), []),
        (JULY_1, JUNE_1, []),
        (None, None, MONTHS),
    ],
)
def test_queries_read_only_the_months_overlapping_their_range(
    open_store: Callable[..., TinyDBSetStore],
    history: dict[str, SetRecord],
    monkeypatch: pytest.MonkeyPatch,
    start: datetime | None,
    end: datetime | None,
    months: list[str],
) -> None:
    store = open_store()
    store.query(start=datetime(2099, 1, 1, tzinfo=UTC))  # reads just the journal
    reads = count_reads(monkeypatch)
    expected = [r for r in history.values() if in_range(r, None, start, end)]
    assert store.query(start=start, end=end) == expected
    assert reads == [f"{month}.json" for month in months]


def test_a_damaged_far_month_stops_only_what_reads_it(
    open_store: Callable[..., TinyDBSetStore],
    history: dict[str, SetRecord],
    log_dir: Path,
) -> None:
    far = log_dir / tinydb_store.SETS_FOLDER / "2015-03.json"
    far.write_bytes(b'{"sets": {"1": {"v": 1, "id": ')
    store = open_store()
    recent = store.query(start=JUNE - timedelta(days=60))
    assert recent == [history[m] for m in ("2025-05", "2025-06", "2025-07")]
    logged = now_made()
    store.add(logged)
    store.update(replace_fields(history["2025-06"], reps=5))
    assert store.get(logged.id) == logged and store.delete(logged.id) == logged
    for reads_everything in (store.query, store.count, lambda: store.get("e" * 32)):
        with pytest.raises(StoreError, match=r"The set log file .*2015-03\.json can't be read"):
            reads_everything()
    assert far.read_bytes() == b'{"sets": {"1": {"v": 1, "id": '


def test_logging_a_new_set_reads_and_writes_only_its_month(
    open_store: Callable[..., TinyDBSetStore],
    history: dict[str, SetRecord],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = open_store()
    reads = count_reads(monkeypatch)
    written: list[str] = []
    real_write = tinydb_store.atomic_write_bytes
    monkeypatch.setattr(
        tinydb_store, "atomic_write_bytes",
        lambda path, data: written.append(Path(path).name) or real_write(path, data),
    )
    logged = now_made()
    store.add(logged)
    assert (reads, written) == ([MOVES_FILE, "2025-06.json"], ["2025-06.json"])
    # Undo (delete) and redo (add again) need no other month either.
    assert store.delete(logged.id) == logged and store.get(logged.id) is None
    store.add(logged)
    assert reads == [MOVES_FILE, "2025-06.json"]
    assert store.count() == len(MONTHS) + 1  # counting has to read everything


def test_adding_an_older_set_again_is_refused_wherever_it_is_stored(
    open_store: Callable[..., TinyDBSetStore], history: dict[str, SetRecord]
) -> None:
    """A set created before this session may sit in a month nothing has read yet."""
    store = open_store()
    again = replace_fields(history["2015-03"], performed_at=JUNE)
    with pytest.raises(RecordExists):
        store.add(again)
    assert store.query(start=JUNE_1, end=JULY_1) == [history["2025-06"]]
    assert store.count() == len(MONTHS)


def test_unknown_ids_are_looked_for_in_every_month(
    open_store: Callable[..., TinyDBSetStore],
    history: dict[str, SetRecord],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = open_store()
    store.query(start=JUNE_1, end=JULY_1)
    assert store.get(history["2015-03"].id) == history["2015-03"]
    store.close()
    store = open_store()
    reads = count_reads(monkeypatch)
    with pytest.raises(RecordNotFound):
        store.update(now_made())
    assert sorted(reads) == sorted([MOVES_FILE, *(f"{m}.json" for m in MONTHS)])
    with pytest.raises(RecordNotFound):
        store.delete("0" * 32)
    assert store.get("0" * 32) is None and len(reads) == len(MONTHS) + 1  # read once only


def test_a_newer_month_refuses_writes_and_reads_but_nothing_else(
    open_store: Callable[..., TinyDBSetStore],
    history: dict[str, SetRecord],
    log_dir: Path,
) -> None:
    """Data from a newer app in one month: that month is never written, the rest works."""
    future = now_made().to_dict() | {"v": SCHEMA_VERSION + 1, "velocity": [0.5, 0.4]}
    path = write_shard(log_dir, "2025-06", [history["2025-06"].to_dict(), future])
    before = path.read_bytes()
    store = open_store()
    may = history["2025-05"]
    assert store.query(start=datetime(2025, 5, 1, tzinfo=UTC), end=JUNE_1) == [may]
    attempts = (
        lambda: store.add(now_made()),
        lambda: store.update(replace_fields(may, performed_at=JUNE)),
        lambda: store.query(start=JUNE_1, end=JULY_1),
        lambda: store.query(),
        store.count,
    )
    for attempt in attempts:
        with pytest.raises(NewerSchemaError, match=r"2025-06\.json"):
            attempt()
    assert path.read_bytes() == before and journal(store) == {}
    assert store.get(may.id) == may  # the refused move changed nothing
    store.add(july := now_made(JULY_1 + timedelta(days=2)))
    store.update(replace_fields(may, reps=3))
    assert store.get(july.id) == july and store.get(may.id).reps == 3
    assert path.read_bytes() == before


def test_a_crash_in_a_folder_without_journal_is_resolved_before_any_query(
    open_store: Callable[..., TinyDBSetStore], log_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Folders written before the journal existed: the first operation reads every month."""
    older = make(JUNE, updated_at=JUNE)
    newer = replace_fields(older, performed_at=JUNE + timedelta(days=30), now=JUNE)
    write_shard(log_dir, "2025-06", [older.to_dict()])
    write_shard(log_dir, "2025-07", [newer.to_dict()])
    store = open_store()
    with caplog.at_level(logging.WARNING, logger=tinydb_store.__name__):
        assert store.query(start=JUNE_1, end=JULY_1) == []  # July was read: its copy is newer
    assert "stored twice" in caplog.text
    assert ids_on_disk(store) == [older.id] and journal(store) == {}
    store.close()
    assert open_store().query() == [newer]


@pytest.mark.parametrize("content", [b"{not json", b'{"format": 1}', b'{"format": 1, "moves": 3}'])
def test_a_damaged_journal_means_reading_every_month_once(
    open_store: Callable[..., TinyDBSetStore],
    history: dict[str, SetRecord],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    content: bytes,
) -> None:
    store = open_store()
    (store.folder / MOVES_FILE).write_bytes(content)
    reads = count_reads(monkeypatch)
    with caplog.at_level(logging.WARNING, logger=tinydb_store.__name__):
        assert store.query(start=JULY_1) == [history["2025-07"]]
    assert "reading every month once" in caplog.text
    assert len(reads) == len(MONTHS) + 1 and journal(store) == {}  # rewritten


def test_a_journal_from_a_newer_app_refuses_the_log(
    open_store: Callable[..., TinyDBSetStore], history: dict[str, SetRecord], log_dir: Path
) -> None:
    path = log_dir / tinydb_store.SETS_FOLDER / MOVES_FILE
    path.write_bytes(b'{"format": 2, "moves": {}, "renames": {}}')
    store = open_store()
    with pytest.raises(NewerSchemaError, match=r"moves\.journal"):
        store.query(start=JULY_1)
    with pytest.raises(NewerSchemaError, match=r"moves\.journal"):
        store.add(now_made())
    assert path.read_bytes() == b'{"format": 2, "moves": {}, "renames": {}}'
    assert ids_on_disk(store) == sorted(r.id for r in history.values())


# --- TinyDB: decoded sets stay cached ------------------------------------------------------------


def count_decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, the ids of the stored sets decoded."""
    decoded: list[str] = []
    real = SetRecord.from_dict.__func__  # type: ignore[attr-defined]

    def from_dict(cls: type[SetRecord], raw: dict[str, Any]) -> SetRecord:
        decoded.append(raw["id"])
        return real(cls, raw)

    monkeypatch.setattr(SetRecord, "from_dict", classmethod(from_dict))
    return decoded


@pytest.mark.parametrize("cached_months", [0, 1, 24])
def test_repeated_queries_decode_each_set_once_and_stay_right(
    open_store: Callable[..., TinyDBSetStore],
    history: dict[str, SetRecord],
    monkeypatch: pytest.MonkeyPatch,
    cached_months: int,
) -> None:
    store = open_store(cached_months=cached_months, max_open_months=1)
    decoded = count_decodes(monkeypatch)
    recent = JUNE - timedelta(days=60)
    expected = store.query(start=recent)
    assert len(decoded) == 4
    assert store.query(start=recent) == expected
    assert len(decoded) == (4 if cached_months == 24 else 8)
    # Writes keep the cache right: add, edit, move away and back, delete.
    logged = now_made(reps=4)
    store.add(logged)
    june = replace_fields(history["2025-06"], reps=1)
    store.update(june)
    moved = replace_fields(history["2025-05"], performed_at=JULY_1)
    store.update(moved)
    store.delete(history["2025-04"].id)
    expected = sorted([logged, june, moved, history["2025-07"]], key=sort_key)
    assert store.query(start=recent) == expected
    assert store.query("leg-press", start=recent) == expected
    assert store.query("squat", start=recent) == []
    store.close()
    assert open_store().query(start=recent) == expected


def test_deleting_a_set_also_removes_a_copy_a_failed_move_left(
    open_store: Callable[..., TinyDBSetStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Otherwise the old copy would come back at the next start."""
    store = open_store()
    record = make()
    store.add(record)
    real_write = tinydb_store.atomic_write_bytes

    def old_month_fails(path: Path, data: bytes) -> None:
        if Path(path).name == "2025-06.json":
            raise OSError(errno.EIO, "I/O error")
        real_write(path, data)

    monkeypatch.setattr(tinydb_store, "atomic_write_bytes", old_month_fails)
    store.update(replace_fields(record, performed_at=JUNE + timedelta(days=30)))
    assert journal(store) == {record.id: ["2025-06", "2025-07"]}  # kept until both are gone
    with pytest.raises(OSError, match="I/O error"):
        store.delete(record.id)  # can't remove the old copy yet: nothing is deleted
    monkeypatch.undo()
    assert store.count() == 1
    store.delete(record.id)
    assert ids_on_disk(store) == [] and journal(store) == {}
    store.close()
    assert open_store().query() == []


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


# --- TinyDB: read-only, beside another legcoach that writes --------------------------------------


def test_a_read_only_store_never_touches_the_disk(
    open_store: Callable[..., TinyDBSetStore], log_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not even to resolve a duplicate or write the journal: the writer's files win."""
    older = make(JUNE, updated_at=JUNE)
    newer = replace_fields(older, performed_at=JUNE + timedelta(days=30), now=JUNE)
    write_shard(log_dir, "2025-06", [older.to_dict()])  # a folder without a journal
    write_shard(log_dir, "2025-07", [newer.to_dict()])
    in_flight = log_dir / "sets" / ".2025-07.json.a1b2c3d4.tmp"  # the writer's, mid-write
    in_flight.write_bytes(b"{")
    before = {path.name: path.read_bytes() for path in (log_dir / "sets").iterdir()}

    def no_writes(path: Path, data: bytes) -> None:
        raise AssertionError(f"wrote {path}")

    monkeypatch.setattr(tinydb_store, "atomic_write_bytes", no_writes)
    store = open_store(read_only=True)
    assert store.query(start=JUNE_1, end=JULY_1) == []  # the stale copy is hidden
    assert store.query() == [newer] and store.count() == 1 and store.get(older.id) == newer
    for write in (
        lambda: store.add(now_made()),
        lambda: store.update(replace_fields(newer, reps=1)),
        lambda: store.delete(newer.id),
    ):
        with pytest.raises(OSError, match="read-only"):
            write()
    assert {path.name: path.read_bytes() for path in (log_dir / "sets").iterdir()} == before


def test_a_read_only_store_on_a_missing_folder_is_empty(tmp_path: Path) -> None:
    store = TinyDBSetStore(tmp_path / "nowhere", read_only=True)
    assert (store.query(), store.count(), store.get("a" * 32)) == ([], 0, None)
    assert not (tmp_path / "nowhere").exists()
    store.close()


# --- add_many: imports, one write per month, nothing replaced, nothing twice ---------------


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
