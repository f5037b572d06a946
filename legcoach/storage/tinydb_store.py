"""The set log on disk: TinyDB files, one per calendar month, each replaced atomically.

Why shards: TinyDB rewrites its whole file on every insert, so one file for all history makes
logging a set slower every month (≈350 ms at 25,000 sets). With one file per month (UTC, by
performed_at) under `<folder>/sets/YYYY-MM.json`, logging rewrites only the current month.

Why a custom Storage: TinyDB's JSONStorage rewrites its file in place, so a crash mid-write
leaves a truncated file. `AtomicJSONStorage` writes through `atomic_write_bytes` instead.

Why opening reads nothing: parsing every month to index ids took 0.36 s at 25,000 sets and
1.4 s at 100,000, paid before the first window even by a "last 60 days" screen. So opening
only lists the month files (their names are the months). A month is parsed the first time an
operation needs it, and then indexed (id → doc id) and checked for data from a newer app
before anything can write to it. Only the operations that really need every month read them
all: count(), a query without a range, get/update/delete of an id no month read so far holds,
and add() of a set that could already be stored in an unread month (see `_surely_new`).

Why a journal of month moves (`sets/moves.journal`): a set is stored twice only after a crash
(or a failed write) between the two writes of a month move, and a range query reading one of
the two months can't tell that its copy is stale. So a move first records the set's id and
both months in the journal; the first operation of the next session reads just those months
and keeps the newest updated_at before anything is served; a completed move clears its entry,
so the journal is normally empty. A folder without a usable journal (from an older legcoach,
or damaged) may hold unrecorded duplicates: its first operation reads every month once, as
opening used to, and then writes the journal.
"""

from __future__ import annotations

import errno
import logging
import os
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from legcoach.core.setlog import SCHEMA_VERSION, NewerSchemaError, SetRecord, migrate
from legcoach.core.setstore import (
    RecordExists,
    RecordNotFound,
    StoreClosed,
    StoreError,
    check_range,
    in_range,
    sort_key,
)
from legcoach.storage.atomic import (
    atomic_write_bytes,
    clean_stale_temp_files,
    dumps_json,
    read_json,
)

__all__ = [
    "MOVES_FILE",
    "SETS_FOLDER",
    "TABLE",
    "AtomicJSONStorage",
    "TinyDBSetStore",
    "month_of",
]

log = logging.getLogger(__name__)

SETS_FOLDER: Final = "sets"
TABLE: Final = "sets"
"""The TinyDB table name inside every shard file."""

MOVES_FILE: Final = "moves.journal"
"""The journal of month moves, next to the month files: JSON {"format": 1, "moves": {id: [months]}}.

Not "*.json", so nothing that reads every shard file mistakes it for one."""

_MOVES_FORMAT: Final = 1
_MONTH = re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])", re.ASCII)
_SHARD_NAME = re.compile(_MONTH.pattern + r"\.json", re.ASCII)
_TICK: Final = timedelta(microseconds=1)
"""The resolution of stored times: the last moment before `end` is `end - _TICK`."""

Where = tuple[str, int]
"""(month "YYYY-MM", TinyDB doc id inside that month's file)."""


def month_of(moment: datetime) -> str:
    """The shard a set performed at `moment` belongs to: its UTC calendar month, "YYYY-MM"."""
    utc = moment.astimezone(UTC)
    return f"{utc.year:04d}-{utc.month:02d}"


def _load_file(path: Path) -> dict[str, Any] | None:
    """A shard's whole content, or None if it doesn't exist yet; StoreError if damaged.

    A failed read (EIO, EACCES) is not damage: it stays an OSError naming the file, like a
    failed write, so a save that had to read the month first is reported by the screens'
    "could not save" handling instead of escaping it.
    """
    try:
        if path.stat().st_size == 0:
            return None
        data = read_json(path)
    except FileNotFoundError:
        return None
    except ValueError as exc:  # bad UTF-8 and bad JSON
        raise StoreError(f"The set log file {path} can't be read: {exc}") from exc
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise StoreError(f"The set log file {path} is not a TinyDB database.")
    return data


Fragment = tuple[tuple[tuple[str, Any], ...], tuple[type, ...], bytes]
"""A document's items and value types when it was last serialised, and its `"key":{…}` JSON."""


def _cacheable(doc: Mapping[str, Any]) -> bool:
    """Whether "same items, same types" proves "same JSON" for this document.

    Not for nested containers (a shallow snapshot can't see changes inside them) nor for a
    float zero (0.0 == -0.0, yet they serialise differently).
    """
    return not any(
        isinstance(value, dict | list) or (type(value) is float and value == 0)
        for value in doc.values()
    )


class AtomicJSONStorage(Storage):
    """TinyDB storage that replaces its file atomically and keeps the last state in memory.

    The in-memory copy spares re-reading and re-parsing the file before every write. TinyDB
    edits the dict returned by read() before passing it to write(); if that write fails, the
    copy is dropped so the next read sees what is really on disk.

    Serialising a whole month costs more than the fsync on a fast disk, so the JSON of each
    document is kept and reused while the document is unchanged: a write re-serialises only
    the set that was added or edited. The bytes are exactly `dumps_json(data)`.
    """

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self._path = Path(path)
        self._data: dict[str, Any] | None = None
        self._loaded = False
        self._fragments: dict[tuple[str, str], Fragment] = {}

    def read(self) -> dict[str, dict[str, Any]] | None:
        if not self._loaded:
            self._data = _load_file(self._path)
            self._loaded = True
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        try:
            atomic_write_bytes(self._path, self._encode(data))
        except BaseException:
            self._data, self._loaded = None, False
            raise
        self._data, self._loaded = data, True

    def _encode(self, data: dict[str, dict[str, Any]]) -> bytes:
        """`dumps_json(data)`, byte for byte, reusing the JSON of unchanged documents."""
        if not all(isinstance(key, str) for table in data.values() for key in table):
            return dumps_json(data)  # json would convert the keys; not worth mirroring that
        fragments: dict[tuple[str, str], Fragment] = {}
        tables = []
        for name in sorted(data):
            docs = data[name]
            parts = [self._fragment(name, key, docs[key], fragments) for key in sorted(docs)]
            tables.append(dumps_json(name) + b":{" + b",".join(parts) + b"}")
        self._fragments = fragments  # documents no longer present are forgotten
        return b"{" + b",".join(tables) + b"}"

    def _fragment(
        self, table: str, key: str, doc: Any, fragments: dict[tuple[str, str], Fragment]
    ) -> bytes:
        if not isinstance(doc, dict):
            return dumps_json(key) + b":" + dumps_json(doc)
        items = tuple(doc.items())
        types = tuple(map(type, doc.values()))
        cached = self._fragments.get((table, key))
        if cached is not None and cached[0] == items and cached[1] == types:
            fragments[table, key] = cached
            return cached[2]
        blob = dumps_json(key) + b":" + dumps_json(doc)
        if _cacheable(doc):
            fragments[table, key] = (items, types, blob)
        return blob


def _replace_with(new: Mapping[str, Any]) -> Callable[[dict[str, Any]], None]:
    """A TinyDB update that swaps the whole document (a plain update would keep stale keys)."""

    def apply(stored: dict[str, Any]) -> None:
        stored.clear()
        stored.update(new)

    return apply


class TinyDBSetStore:
    """SetStore on TinyDB, sharded by month of performed_at. Single process per folder."""

    def __init__(
        self,
        folder: Path | str,
        *,
        max_open_months: int = 4,
        cached_months: int = 24,
        read_only: bool = False,
    ) -> None:
        """Open (creating if needed) the log in `folder`: lists the month files, parses none.

        `max_open_months` bounds how many months stay parsed between calls, `cached_months`
        how many keep their decoded sets (so repeated queries of recent months are cheap).
        Damaged or newer data is reported by the first operation that needs that month.

        `read_only`: another legcoach writes this folder, so nothing here touches the disk:
        temp files are its writes in flight, and a duplicate is only hidden, not removed
        (writing a month file could drop sets the writer logged since it was read).
        """
        self._folder = Path(folder) / SETS_FOLDER
        self.read_only = read_only
        self.removed_temp_files: list[Path] = []
        if not read_only:
            self._folder.mkdir(parents=True, exist_ok=True)
            self.removed_temp_files = clean_stale_temp_files(self._folder)
        self._max_open = max(1, max_open_months)
        self._max_cached = max(0, cached_months)
        try:
            names = [entry.name for entry in os.scandir(self._folder)]
        except FileNotFoundError:  # read-only, and nothing was ever logged
            names = []
        self._months = {n.removesuffix(".json") for n in names if _SHARD_NAME.fullmatch(n)}
        self._journal_on_disk = MOVES_FILE in names
        self._journal_failed = False
        self._moves: dict[str, frozenset[str]] = {}
        """The journal: ids that may have a copy in more than one of these months."""
        self._open: OrderedDict[str, TinyDB] = OrderedDict()
        self._decoded: OrderedDict[str, dict[int, SetRecord]] = OrderedDict()
        self._indexed: set[str] = set()
        self._full = False
        self._where: dict[str, Where] = {}
        self._stale: dict[str, list[Where]] = {}
        """Superseded copies a failed write left: hidden and journaled; delete() retries them,
        the next session removes them."""
        self._absent: set[str] = set()
        """Ids deleted through this store: known to be stored nowhere, without reading all."""
        self._opened_at = datetime.now(UTC)
        self._prepared = False
        self._closed = False

    @property
    def folder(self) -> Path:
        """The folder holding the month files."""
        return self._folder

    def shard_path(self, month: str) -> Path:
        return self._folder / f"{month}.json"

    # --- before the first operation: duplicates a crash left ----------------------------------

    def _ready(self) -> None:
        """Make sure no set is stored twice where a query could see it; runs once a session.

        Normally that is reading the empty journal. After a crashed month move it also reads
        the months the journal names; without a usable journal, every month (once: then the
        journal is written, and later sessions read nothing here).
        """
        self._check_open()
        if self._prepared:
            return
        moves = self._load_moves() if self._journal_on_disk else None
        if moves is None:
            self._index_all()
        else:
            self._moves = moves
            named = set().union(*moves.values())
            for month in sorted(named & self._months):
                self._index_month(month)
        self._prepared = True
        if moves is not None:
            self._settle(list(moves))
        elif self._months:
            self._ensure_journal()

    def _load_moves(self) -> dict[str, frozenset[str]] | None:
        """The journal's entries, or None if it can't be trusted (then every month is read)."""
        path = self._folder / MOVES_FILE
        data: Any = None
        problem = "it is not a journal"
        try:
            data = read_json(path)
        except FileNotFoundError:
            problem = "it is gone"
        except (OSError, ValueError) as exc:  # ValueError covers bad UTF-8 and bad JSON
            problem = str(exc)
        version = data.get("format") if isinstance(data, dict) else None
        if type(version) is int and version > _MOVES_FORMAT:
            raise NewerSchemaError(version, where=str(path))
        moves = data.get("moves") if isinstance(data, dict) and version == _MOVES_FORMAT else None
        if isinstance(moves, dict) and all(
            isinstance(months, list) and all(isinstance(m, str) and _MONTH.fullmatch(m)
                                             for m in months)
            for months in moves.values()
        ):
            return {record_id: frozenset(months) for record_id, months in moves.items()}
        log.warning("The journal %s can't be used (%s); reading every month once.", path, problem)
        self._journal_on_disk = False  # so nothing is journaled before that read is complete
        return None

    def _save_moves(self, *, strict: bool) -> None:
        """Write the journal; a best-effort write (strict=False) only logs a failure.

        A journal that exists promises that every duplicate it doesn't list is resolved, so
        it is only created once `_ready` has made that true.
        """
        if self.read_only or not (self._prepared or self._journal_on_disk):
            return
        moves = {record_id: sorted(months) for record_id, months in sorted(self._moves.items())}
        try:
            atomic_write_bytes(
                self._folder / MOVES_FILE, dumps_json({"format": _MOVES_FORMAT, "moves": moves})
            )
        except OSError as exc:
            if strict:
                raise
            log.warning("Could not update %s: %s", self._folder / MOVES_FILE, exc)
            self._journal_failed = True
            return
        self._journal_on_disk = True

    def _ensure_journal(self) -> None:
        """Create the journal if missing. Best effort: without it the next session reads
        every month once, which is slow but safe."""
        if not self._journal_on_disk and not self._journal_failed:
            self._save_moves(strict=False)

    def _note_move(self, record_id: str, months: frozenset[str]) -> None:
        """Journal that `record_id` may be in any of `months`, before the first write of a move.

        Always written (moves are rare): memory may hold an entry a failed write never saved.
        """
        before = self._moves.get(record_id)
        self._moves[record_id] = months | (before or frozenset())
        try:
            self._save_moves(strict=True)
        except BaseException:
            if before is None:
                del self._moves[record_id]
            else:
                self._moves[record_id] = before
            raise

    def _settle(self, record_ids: list[str]) -> None:
        """Drop the journal entries of sets now stored exactly once.

        Best effort: a leftover entry only costs reading its months at the next start.
        """
        done = [i for i in record_ids if i in self._moves and i not in self._stale]
        if done:
            for record_id in done:
                del self._moves[record_id]
            self._save_moves(strict=False)

    # --- months: parsing, indexing, decoding ---------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise StoreClosed("The set log is closed.")

    def _check_writable(self) -> None:
        """An OSError, like any failed save, so the screens report it without special cases."""
        self._check_open()
        if self.read_only:
            raise OSError(errno.EROFS, "The set log is open read-only.", str(self._folder))

    def _db(self, month: str) -> TinyDB:
        """The month's TinyDB; the few most recently used months stay parsed."""
        self._check_open()
        db = self._open.get(month)
        if db is None:
            db = TinyDB(self.shard_path(month), storage=AtomicJSONStorage)
            self._open[month] = db
            while len(self._open) > self._max_open:
                self._open.popitem(last=False)[1].close()
        else:
            self._open.move_to_end(month)
        return db

    def _table(self, month: str) -> Table:
        return self._db(month).table(TABLE)

    def _docs(self, month: str) -> dict[str, Any]:
        """The month's stored documents by doc id, as parsed: read them, never change them."""
        data = self._db(month).storage.read()
        return {} if data is None else data.get(TABLE, {})

    def _index_month(self, month: str) -> None:
        """Index a month's ids, refusing newer data, before anything reads or writes it.

        Parsing the JSON is most of the cost; the loop keeps current-version documents on a
        fast path and only migrates older ones. A duplicate is resolved on the spot.
        """
        if month in self._indexed:
            return
        path = self.shard_path(month)
        found: list[tuple[str, int]] = []
        for doc_id, raw in self._docs(month).items():
            current = type(raw) is dict and raw.get("v") == SCHEMA_VERSION
            record_id = raw["id"] if current and type(raw.get("id")) is str else None
            if record_id is None:
                record_id = self._raw_id(raw, path)
            if not doc_id.isdigit():
                raise StoreError(f"{path} has a document with a bad id {doc_id!r}.")
            found.append((record_id, int(doc_id)))
        self._indexed.add(month)
        duplicates: list[tuple[str, Where]] = []
        for record_id, doc_id in found:
            where = (month, doc_id)
            if self._where.setdefault(record_id, where) != where:
                duplicates.append((record_id, where))
            self._absent.discard(record_id)
        for record_id, where in duplicates:
            self._resolve_duplicate(record_id, where)

    def _index_all(self) -> None:
        """Complete the id index: what count, unranged queries and unknown ids need."""
        if not self._full:
            for month in sorted(self._months - self._indexed):
                self._index_month(month)
            self._full = True

    def _raw_id(self, raw: object, path: Path) -> str:
        """The id of a stored dict that missed the fast path: older schema, or damaged."""
        try:
            data = migrate(raw)  # type: ignore[arg-type]
        except NewerSchemaError as exc:
            raise NewerSchemaError(exc.version, where=str(path)) from None
        except ValueError as exc:
            raise StoreError(f"A set in {path} can't be read: {exc}") from exc
        record_id = data.get("id")
        if not isinstance(record_id, str):
            raise StoreError(f"A set in {path} has no id.")
        return record_id

    def _resolve_duplicate(self, record_id: str, other: Where) -> None:
        """Two copies of one set (a crash between the two writes of a month move): keep the
        newest updated_at and delete the other. On a tie the copy indexed first stays."""
        kept = self._where[record_id]
        if self._record_at(other).updated_at > self._record_at(kept).updated_at:
            kept, other = other, kept
            self._where[record_id] = kept
        log.warning("Set %s was stored twice (%s, %s); keeping %s.", record_id, kept, other, kept)
        self._drop_copy(record_id, other)

    def _drop_copy(self, record_id: str, where: Where) -> None:
        """Remove a superseded copy of a set.

        If that write fails the copy stays hidden (queries follow the index) and journaled,
        so the next session removes it; failing here would misreport an edit that is saved.
        """
        if self.read_only:
            self._stale.setdefault(record_id, []).append(where)
            return
        try:
            self._table(where[0]).remove(doc_ids=[where[1]])
        except OSError as exc:
            log.warning("Could not remove the old copy of set %s: %s", record_id, exc)
            self._stale.setdefault(record_id, []).append(where)
            months = frozenset({where[0], self._where[record_id][0]})
            if not months <= self._moves.get(record_id, frozenset()):
                self._moves[record_id] = months | self._moves.get(record_id, frozenset())
                self._save_moves(strict=False)
            return
        self._forget(where)

    def _purge_stale(self, record_id: str) -> None:
        """Remove the copies failed writes left: deleting the set around one would bring it
        back at the next start."""
        stale = self._stale.get(record_id, [])
        while stale:
            month, doc_id = stale[0]
            self._table(month).remove(doc_ids=[doc_id])
            self._forget(stale.pop(0))
        self._stale.pop(record_id, None)

    def _cache(self, month: str) -> dict[int, SetRecord]:
        """The month's decoded sets by doc id: decoding (~40 µs a set) is most of a query."""
        cache = self._decoded.get(month)
        if cache is None:
            cache = self._decoded[month] = {}
            while len(self._decoded) > self._max_cached:
                self._decoded.popitem(last=False)
        else:
            self._decoded.move_to_end(month)
        return cache

    def _remember(self, where: Where, record: SetRecord) -> None:
        """Keep a cached month in step with a write that succeeded."""
        cache = self._decoded.get(where[0])
        if cache is not None:
            cache[where[1]] = record

    def _forget(self, where: Where) -> None:
        cache = self._decoded.get(where[0])
        if cache is not None:
            cache.pop(where[1], None)

    def _decode(self, raw: Mapping[str, Any], month: str) -> SetRecord:
        try:
            return SetRecord.from_dict(raw)
        except NewerSchemaError as exc:
            raise NewerSchemaError(exc.version, where=str(self.shard_path(month))) from None
        except ValueError as exc:
            path = self.shard_path(month)
            raise StoreError(f"A set in {path} can't be read: {exc}") from exc

    def _record_at(self, where: Where) -> SetRecord:
        month, doc_id = where
        cache = self._cache(month)
        record = cache.get(doc_id)
        if record is None:
            raw = self._docs(month).get(str(doc_id))
            if raw is None:  # only if the file was changed behind our back
                raise StoreError(f"{self.shard_path(month)} changed while legcoach had it open.")
            record = cache[doc_id] = self._decode(raw, month)
        return record

    def _records_in(self, month: str, exercise_id: str | None) -> Iterator[tuple[int, SetRecord]]:
        """(doc id, set) of every stored copy in the month, stale ones included."""
        cache = self._cache(month)
        for key, raw in self._docs(month).items():
            doc_id = int(key)
            record = cache.get(doc_id)
            if record is None:
                if (
                    exercise_id is not None
                    and raw.get("v") == SCHEMA_VERSION
                    and raw.get("exercise_id") != exercise_id
                ):
                    continue  # cheap pre-filter: decoding is the expensive part
                record = cache[doc_id] = self._decode(raw, month)
            yield doc_id, record

    def _overlapping(self, start: datetime | None, end: datetime | None) -> list[str]:
        """The stored months that can hold a set in [start, end), oldest first."""
        first = month_of(start) if start is not None else ""
        try:
            last = month_of(end - _TICK) if end is not None else "9999-99"
        except OverflowError:  # end is at the start of time: nothing is before it
            return []
        return sorted(month for month in self._months if first <= month <= last)

    # --- finding and writing sets ---------------------------------------------------------------

    def _find(self, record_id: str) -> Where | None:
        """Where the set is stored; reads the unread months only for an id not seen yet."""
        where = self._where.get(record_id)
        if where is None and record_id not in self._absent:
            self._index_all()
            where = self._where.get(record_id)
        return where

    def _surely_new(self, record: SetRecord) -> bool:
        """Whether add() may skip reading the unread months to refuse an id stored there.

        A set created after this store opened can only have been stored by this store (one
        process per folder), so it would be indexed; a set deleted through it is stored
        nowhere. So logging a set, or undoing a delete, reads no other month; re-adding an
        older set (an import, a stale copy) reads them all first, as opening used to. Only a
        clock set back between sessions could fool the first rule; the duplicate would then be
        resolved like a crash's (newest updated_at kept) when the full index is built.
        """
        return record.id in self._absent or record.created_at >= self._opened_at

    def _insert(self, record: SetRecord, month: str) -> None:
        self._ensure_journal()
        self._placed(record, (month, self._table(month).insert(record.to_dict())))

    def _placed(self, record: SetRecord, where: Where) -> None:
        """Index a set just written at `where`."""
        self._where[record.id] = where
        self._months.add(where[0])
        self._absent.discard(record.id)
        self._remember(where, record)

    # --- SetStore -----------------------------------------------------------------------------

    def add(self, record: SetRecord) -> None:
        """One atomic write of the set's month file, after reading only that month (for a
        set created in this session)."""
        self._check_writable()
        self._ready()
        month = month_of(record.performed_at)
        self._index_month(month)  # refuses a month holding newer data before writing it
        if record.id not in self._where and not self._surely_new(record):
            self._index_all()
        if record.id in self._where:
            raise RecordExists(f"A set with id {record.id} is already stored.")
        self._insert(record, month)

    def add_many(self, records: Iterable[SetRecord]) -> list[SetRecord]:
        """New sets by the thousand (an import): one atomic write per month touched.

        One write per set would take minutes for years of history. Each month is written
        whole and atomically, so a failure leaves earlier months added and later ones not;
        importing again adds only what is missing.
        """
        self._check_writable()
        self._ready()
        batch = list(records)
        self._index_all()  # an imported set may be stored in any month, even edited there
        by_month: dict[str, dict[str, SetRecord]] = {}
        for record in batch:
            if record.id not in self._where:
                by_month.setdefault(month_of(record.performed_at), {}).setdefault(record.id,
                                                                                  record)
        added: list[SetRecord] = []
        for month in sorted(by_month):
            self._index_month(month)  # refuses a month holding newer data before writing
            fresh = [r for r in by_month[month].values() if r.id not in self._where]
            if not fresh:
                continue
            self._ensure_journal()
            doc_ids = self._table(month).insert_multiple(r.to_dict() for r in fresh)
            for record, doc_id in zip(fresh, doc_ids, strict=True):
                self._placed(record, (month, doc_id))
            added.extend(fresh)
        return added

    def update(self, record: SetRecord) -> None:
        """Replace the stored set. Within a month: one atomic write.

        Moving to another month takes four writes, ordered so a crash never loses the set and
        never leaves an unrecorded duplicate: the journal gains the move, the new month gains
        the edited copy, the old month drops the old one, the journal drops the move. A crash
        in between leaves at most both copies, journaled; the next session keeps the newest
        updated_at before serving anything.
        """
        self._check_writable()
        self._ready()
        month = month_of(record.performed_at)
        self._index_month(month)  # refuses a month holding newer data before any write
        old = self._find(record.id)
        if old is None:
            raise RecordNotFound(f"No set with id {record.id} to update.")
        if month == old[0]:
            self._table(month).update(_replace_with(record.to_dict()), doc_ids=[old[1]])
            self._remember(old, record)
            return
        self._note_move(record.id, frozenset({old[0], month}))
        self._insert(record, month)
        self._drop_copy(record.id, old)
        self._settle([record.id])

    def delete(self, record_id: str) -> SetRecord:
        self._check_writable()
        self._ready()
        where = self._find(record_id)
        if where is None:
            raise RecordNotFound(f"No set with id {record_id} to delete.")
        record = self._record_at(where)
        self._purge_stale(record_id)
        self._table(where[0]).remove(doc_ids=[where[1]])
        self._forget(where)
        del self._where[record_id]
        self._absent.add(record_id)
        self._settle([record_id])
        return record

    def get(self, record_id: str) -> SetRecord | None:
        self._ready()
        where = self._find(record_id)
        return None if where is None else self._record_at(where)

    def query(
        self,
        exercise_id: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> list[SetRecord]:
        """Reads only the months overlapping [start, end), found from the file names."""
        self._check_open()
        check_range(start, end)
        self._ready()
        found: list[tuple[Where, SetRecord]] = []
        for month in self._overlapping(start, end):
            self._index_month(month)
            found.extend(
                ((month, doc_id), record)
                for doc_id, record in self._records_in(month, exercise_id)
                if in_range(record, exercise_id, start, end)
            )
        # Only the indexed copy of each set: skips stale copies, including any an index step
        # above resolved after its month was already read.
        return sorted((r for where, r in found if self._where.get(r.id) == where), key=sort_key)

    def count(self) -> int:
        self._ready()
        self._index_all()
        return len(self._where)

    def close(self) -> None:
        for db in self._open.values():
            db.close()
        self._open.clear()
        self._decoded.clear()
        self._closed = True

    def __enter__(self) -> TinyDBSetStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
