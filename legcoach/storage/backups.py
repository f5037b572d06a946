"""Backups of the data folder: one zip per snapshot, thinned by the policy, previewed, restored.

Why one zip: a snapshot is then one file written by `atomic_write_bytes` (temp, fsync,
rename), so a backup is either complete or absent, and easy to copy off the machine. Inside,
`manifest.json` holds the sha256 of every file, so a damaged backup is told apart from a good
one before anything is restored from it.

Why a snapshot is consistent while the app runs: every data file is replaced atomically, so
each read gets one whole version; each file's bytes are parsed before they go in (a file that
doesn't parse is left out and named in the manifest), and the parsed bytes are the hashed and
stored ones. Across files, a set moved between two months while a backup runs can end up in
both: restoring drops the month-move journal, so the set log checks every month for such
duplicates once and keeps the newest copy.

Why a restore is staged: all new files are written to `.restore-staging/` first, then a plan
is written (the commit point), then files are swapped in one `os.replace` at a time. A crash
leaves each file old or new, and `apply_pending_restore` (run by recovery at the next start)
finishes the plan; it only swaps a file whose content is still the old one, so a file changed
since then is never overwritten.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import shutil
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from legcoach import __version__
from legcoach.core import machine_memory, routine, session
from legcoach.core.backup_policy import due, keep
from legcoach.core.documents import DOCUMENT_NAME
from legcoach.core.setlog import MIGRATIONS, SCHEMA_VERSION
from legcoach.core.utc import iso_utc, parse_utc
from legcoach.core.workspace import MACHINES_DOC, NAMES_DOC, SESSION_DOC
from legcoach.storage.atomic import (
    _fsync_folder,
    atomic_write_bytes,
    dumps_json,
    parse_json_bytes,
    read_json,
)
from legcoach.storage.tinydb_store import _SHARD_NAME, MOVES_FILE, SETS_FOLDER, TABLE

__all__ = [
    "AUTO",
    "BACKUPS_FOLDER",
    "BEFORE_RESTORE",
    "DAMAGED",
    "DOCUMENT_VERSIONS",
    "MANUAL",
    "NEWER",
    "NOT_DATA",
    "OK",
    "BackupError",
    "BackupInfo",
    "BackupManager",
    "RestorePreview",
    "RestoreReport",
    "Verdict",
    "apply_pending_restore",
    "check_bytes",
    "check_content",
    "data_files",
    "describe_parse_error",
    "drop_moves_journal",
    "format_when",
    "is_data_path",
    "is_month_file",
    "parse_bytes",
]

log = logging.getLogger(__name__)

BACKUPS_FOLDER: Final = "backups"
EXERCISES_FOLDER: Final = "exercises"
STAGING_FOLDER: Final = ".restore-staging"
PLAN_FILE: Final = "plan.json"
MANIFEST: Final = "manifest.json"
FORMAT: Final = "legcoach-snapshot"
FORMAT_VERSION: Final = 1
MANUAL, AUTO, BEFORE_RESTORE = "manual", "auto", "before-restore"
KEEP_BEFORE_RESTORE: Final = timedelta(days=30)
"""A restore's undo is kept this long even when the policy would thin it away."""

NOT_DATA: Final = frozenset({"recovery_state"})
"""Top-level JSON files that are bookkeeping, not the lifter's data: never backed up."""

DOCUMENT_VERSIONS: Final[Mapping[str, int]] = {
    routine.DOCUMENT: routine.SCHEMA_VERSION,
    MACHINES_DOC: machine_memory.SCHEMA_VERSION,
    SESSION_DOC: session.SCHEMA_VERSION,
    NAMES_DOC: 1,  # written by Workspace.save_session
    "preferences": 1,  # ui.main_window.PREFERENCES_DOC (storage must not import the ui)
    "import_mapping": 1,  # commands.MAPPING_DOC
}
"""The newest "v" this legcoach reads for each document it knows; a higher one is newer data."""

_NAME = re.compile(r"legcoach-backup-([0-9]{8}T[0-9]{6}Z)(?:-[0-9]{1,4})?(-before-restore)?\.zip",
                   re.ASCII)
"""The only files thin() may delete: the names back_up() gives."""
_EXERCISE_FILE = re.compile(r"[^./\\\x00][^/\\\x00]{0,200}\.toml")
"""Any exercise file the library would read (`*.toml`), but never a path or a hidden file."""
_DATA_PATH = re.compile(
    rf"{SETS_FOLDER}/{_SHARD_NAME.pattern}|{DOCUMENT_NAME.pattern}\.json"
    rf"|{EXERCISES_FOLDER}/{_EXERCISE_FILE.pattern}", re.ASCII)


def is_data_path(rel: str) -> bool:
    """Whether a backup or a restore plan may name `rel`: nothing outside these is written."""
    return (_DATA_PATH.fullmatch(rel) is not None
            and rel.removesuffix(".json") not in NOT_DATA)


OK, NEWER, DAMAGED = "ok", "newer", "damaged"


class BackupError(Exception):
    """A backup can't be used (damaged, missing, from a newer legcoach): nothing was changed."""


# --- what is data, and whether a file of it is usable -------------------------------------------


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    try:
        return list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []


def data_files(folder: Path | str) -> dict[str, Path]:
    """The lifter's files, by path relative to the data folder ("sets/2025-06.json").

    The month files, the documents (top-level `<name>.json` with a valid document name, so
    `*.corrupt-*.json` files set aside are not data) and the user's exercise files.
    """
    root = Path(folder)
    found: dict[str, Path] = {}
    for entry in _entries(root / SETS_FOLDER):
        if _SHARD_NAME.fullmatch(entry.name) and entry.is_file():
            found[f"{SETS_FOLDER}/{entry.name}"] = Path(entry.path)
    for entry in _entries(root):
        stem = entry.name.removesuffix(".json")
        if (entry.name.endswith(".json") and DOCUMENT_NAME.fullmatch(stem)
                and stem not in NOT_DATA and entry.is_file()):
            found[entry.name] = Path(entry.path)
    for entry in _entries(root / EXERCISES_FOLDER):
        if _EXERCISE_FILE.fullmatch(entry.name) and entry.is_file():
            found[f"{EXERCISES_FOLDER}/{entry.name}"] = Path(entry.path)
    return dict(sorted(found.items()))


def is_month_file(rel: str) -> bool:
    return rel.startswith(f"{SETS_FOLDER}/")


@dataclass(frozen=True)
class Verdict:
    """Whether a data file can be used: OK, NEWER (leave it alone) or DAMAGED (and why)."""

    status: str
    why: str = ""
    version: int = 0
    known: int = 0


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _kind(value: object) -> str:
    return {list: "a list", str: "text", bool: "true/false", int: "a number",
            float: "a number", type(None): "null"}.get(type(value), type(value).__name__)


def _check_month(data: Any) -> Verdict:
    """A TinyDB month file whose every set has a version this code can read and an id.

    Only what the store needs before it trusts a file, not a full decode of each set (40 µs
    a set: seconds at 100,000 sets): a single bad set is the store's to report.
    """
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        return Verdict(DAMAGED, f"it holds {_kind(data)} instead of a set log")
    docs = data.get(TABLE, {})
    newest = max((raw["v"] for raw in docs.values()
                  if isinstance(raw, dict) and _is_int(raw.get("v"))), default=0)
    if newest > SCHEMA_VERSION:  # before any damage check: newer data may look odd to us
        return Verdict(NEWER, version=newest, known=SCHEMA_VERSION)
    for key, raw in docs.items():
        if not key.isdigit():
            return Verdict(DAMAGED, f"a set has a bad number {key!r}")
        if not isinstance(raw, dict):
            return Verdict(DAMAGED, f"set {key} is {_kind(raw)}, not a set")
        version = raw.get("v")
        if not _is_int(version) or version < 0:
            return Verdict(DAMAGED, f"set {key} has no valid version")
        if any(step not in MIGRATIONS for step in range(version, SCHEMA_VERSION)):
            return Verdict(DAMAGED, f"set {key} has version {version}, which can't be upgraded")
        if not isinstance(raw.get("id"), str):
            return Verdict(DAMAGED, f"set {key} has no id")
    return Verdict(OK)


def _check_document(name: str, data: Any) -> Verdict:
    if not isinstance(data, dict):
        return Verdict(DAMAGED, f"it holds {_kind(data)} instead of a JSON object")
    known = DOCUMENT_VERSIONS.get(name)
    if known is None:  # a document this version doesn't know (e.g. a set-aside copy)
        return Verdict(OK)
    version = data.get("v")
    if not _is_int(version) or version < 0:
        return Verdict(DAMAGED, f"it has no valid version number (v = {version!r})")
    if version > known:
        return Verdict(NEWER, version=version, known=known)
    return Verdict(OK)


def check_content(rel: str, data: Any) -> Verdict:
    """Judge the parsed content of a JSON data file (`rel` as in `data_files`)."""
    if is_month_file(rel):
        return _check_month(data)
    return _check_document(rel.removesuffix(".json"), data)


def parse_bytes(raw: bytes) -> Any:
    """Bytes already read (and hashed) → JSON; `read_json` would read the file a second time,
    and the second read might get a newer version than the one hashed."""
    return parse_json_bytes(raw)


def check_bytes(rel: str, raw: bytes) -> Verdict:
    """Parse and judge one JSON data file's bytes."""
    if not raw:
        return Verdict(DAMAGED, "the file is empty")
    try:
        data = parse_bytes(raw)
    except ValueError as error:
        return Verdict(DAMAGED, describe_parse_error(error))
    return check_content(rel, data)


def describe_parse_error(error: ValueError) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"not valid JSON: {error.msg.lower()} at line {error.lineno}, column {error.colno}"
    if isinstance(error, UnicodeDecodeError):
        return "not UTF-8 text"
    return str(error)


def _count_sets(data: Any) -> int:
    docs = data.get(TABLE) if isinstance(data, dict) else None
    return len(docs) if isinstance(docs, dict) else 0


def _sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def drop_moves_journal(data_folder: Path) -> None:
    """Remove the set log's month-move journal, so its next open checks every month for a set
    stored twice (a restored month can hold a copy of a set moved after that backup).

    A journal from a newer legcoach is left alone: it isn't ours to drop, and the store
    refuses to write next to it anyway.
    """
    path = data_folder / SETS_FOLDER / MOVES_FILE
    try:
        data = read_json(path)
    except FileNotFoundError:
        return
    except (OSError, ValueError):
        data = None
    version = data.get("format") if isinstance(data, dict) else None
    if _is_int(version) and version > 1:
        return
    path.unlink(missing_ok=True)


# --- what the outside sees -------------------------------------------------------------------


@dataclass(frozen=True)
class BackupInfo:
    """One backup as listed: `damaged` says why it can't be used (then the counts are 0)."""

    path: Path
    created_at: datetime
    sets: int
    months: int
    size: int
    kind: str = MANUAL
    damaged: str | None = None
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class RestorePreview:
    """What a backup (or the current data) holds: shown before the lifter confirms a restore."""

    created_at: datetime | None
    sets: int
    first: datetime | None
    last: datetime | None
    per_exercise: dict[str, int]
    documents: tuple[str, ...]
    exercise_files: tuple[str, ...]
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class RestoreReport:
    """What a restore did; `undo` is the backup of the data as it was just before."""

    source: Path
    backup_created_at: datetime
    undo: Path
    written: tuple[str, ...]
    removed: tuple[str, ...]
    left: tuple[str, ...] = ()
    """Files kept as they were: not in the backup, or changed after the restore began."""

    def messages(self) -> list[str]:
        lines = [f"Restored the backup of {format_when(self.backup_created_at)}."]
        lines.append(f"Your data as it was just before is in the backup {self.undo.name} "
                     "(“made before a restore”): restore that one to undo this.")
        if self.left:
            lines.append("Kept as they were (not in that backup): " + ", ".join(self.left) + ".")
        return lines


def format_when(moment: datetime) -> str:
    """"Tue 3 Jun 2025, 20:05" in the computer's time zone: how the lifter knows a backup."""
    local = moment.astimezone()
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


# --- reading a backup ------------------------------------------------------------------------


@dataclass
class _Opened:
    created_at: datetime
    kind: str
    sets_per_month: dict[str, int]
    entries: dict[str, dict[str, Any]]
    skipped: dict[str, dict[str, Any]]
    files: dict[str, bytes] = field(default_factory=dict)


def _manifest(archive: zipfile.ZipFile) -> _Opened:
    """The manifest, checked enough that nothing read from it can crash or escape the folder."""
    try:
        raw = parse_bytes(archive.read(MANIFEST))
    except KeyError:
        raise BackupError("it has no manifest") from None
    except ValueError as error:
        raise BackupError(f"its manifest is {describe_parse_error(error)}") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise BackupError("it is not a legcoach backup")
    version = raw.get("v")
    if not _is_int(version) or version > FORMAT_VERSION:
        raise BackupError(f"it was made by a newer legcoach (backup format {version!r})")
    entries, skipped = raw.get("files"), raw.get("skipped", {})
    counts = raw.get("sets_per_month")
    if not (isinstance(entries, dict) and isinstance(skipped, dict)
            and isinstance(counts, dict)
            and all(is_data_path(rel) and isinstance(entry, dict)
                    and isinstance(entry.get("sha256"), str) for rel, entry in entries.items())
            and all(_is_int(n) for n in counts.values())):
        raise BackupError("its manifest is damaged")
    try:
        created_at = parse_utc(raw.get("created_at"))
    except ValueError as error:
        raise BackupError(f"its manifest has no valid time ({error})") from None
    return _Opened(created_at=created_at, kind=str(raw.get("kind", MANUAL)),
                   sets_per_month=dict(counts), entries=entries,
                   skipped={str(rel): s for rel, s in skipped.items() if isinstance(s, dict)})


def _read_entry(archive: zipfile.ZipFile, opened: _Opened, rel: str) -> bytes:
    """One file from the backup, checked against the manifest's sha256."""
    try:
        raw = archive.read(rel)
    except KeyError:
        raise BackupError(f"{rel} is missing from it") from None
    if _sha256(raw) != opened.entries[rel]["sha256"]:
        raise BackupError(f"{rel} in it is damaged (checksum mismatch)")
    return raw


def _open(path: Path, *, files: bool = True) -> _Opened:
    """Open a backup; with `files`, read and verify every file in it. BackupError if unusable."""
    try:
        with zipfile.ZipFile(path) as archive:
            opened = _manifest(archive)
            if files:
                opened.files = {rel: _read_entry(archive, opened, rel) for rel in opened.entries}
    except FileNotFoundError:
        raise BackupError("the file is gone") from None
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, RuntimeError,
            NotImplementedError) as error:  # RuntimeError: encrypted entries
        raise BackupError(f"it can't be read ({error})") from None
    return opened


# --- restoring: a plan, applied one atomic swap at a time --------------------------------------


def _swap(source: Path | None, target: Path) -> None:
    """One step of a restore: move the staged `source` over `target`, or remove `target`."""
    if source is None:
        target.unlink(missing_ok=True)
    else:
        os.replace(source, target)


def _current_sha(path: Path) -> str | None:
    try:
        return _sha256(path.read_bytes())
    except FileNotFoundError:
        return None


def apply_pending_restore(data_folder: Path | str) -> tuple[str | None, list[str], list[str]]:
    """Finish a restore a crash interrupted (or do the one `restore` just planned).

    Returns (backup file name or None if nothing was pending, files swapped, files left as
    they were because they changed after the plan was made). Only files still holding their
    pre-restore content are replaced or removed, so running this twice, or after the app
    wrote a file, never overwrites anything new.
    """
    root = Path(data_folder)
    staging = root / STAGING_FOLDER
    try:
        plan = read_json(staging / PLAN_FILE)
    except (OSError, ValueError):  # no plan: the restore never reached its commit point
        plan = None
    if not (isinstance(plan, dict) and isinstance(plan.get("write"), dict)
            and isinstance(plan.get("remove"), dict)):
        shutil.rmtree(staging, ignore_errors=True)
        return None, [], []
    drop_moves_journal(root)
    done: list[str] = []
    left: list[str] = []
    folders: set[Path] = set()
    steps = [(rel, step, staging / step["staged"]) for rel, step in plan["write"].items()]
    steps += [(rel, step, None) for rel, step in plan["remove"].items()]
    for rel, step, staged in sorted(steps, key=lambda s: s[0]):
        if not is_data_path(rel):
            continue
        target = root / rel
        current = _current_sha(target)
        if current == step.get("new"):
            done.append(rel)  # swapped before the interruption
            continue
        if current != step.get("old"):
            left.append(rel)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        _swap(staged, target)
        folders.add(target.parent)
        done.append(rel)
    for folder in sorted(folders):
        _fsync_folder(folder)
    shutil.rmtree(staging, ignore_errors=True)
    return str(plan.get("backup", "")), done, left


# --- the manager ---------------------------------------------------------------------------


@dataclass
class _Snapshot:
    files: dict[str, bytes]
    entries: dict[str, dict[str, Any]]
    skipped: dict[str, dict[str, Any]]
    sets_per_month: dict[str, int]


class BackupManager:
    """Backups of one data folder, kept in `backups_folder` (default `<data>/backups`).

    One thread at a time: back_up may run on a worker thread (it only reads data files,
    which are replaced atomically), but not while another method of the same manager runs.
    """

    def __init__(self, data_folder: Path | str, backups_folder: Path | str | None = None) -> None:
        self.data_folder = Path(data_folder)
        self.folder = (Path(backups_folder) if backups_folder is not None
                       else self.data_folder / BACKUPS_FOLDER)
        self._headers: dict[Path, tuple[tuple[int, int, int], _Opened | BackupError]] = {}

    # --- making one ---

    def _snapshot(self, previous: _Opened | None = None) -> _Snapshot:
        """Every data file's bytes as read once; JSON that doesn't parse is left out.

        A file whose sha256 matches its copy in `previous` (a backup, which parsed it then)
        is not parsed again: most months never change, and parsing is most of the cost.
        """
        snap = _Snapshot({}, {}, {}, {})
        for rel, path in data_files(self.data_folder).items():
            try:
                with path.open("rb") as handle:
                    stat = os.fstat(handle.fileno())
                    raw = handle.read()
            except FileNotFoundError:
                continue  # deleted since the folder was listed
            except OSError as error:
                snap.skipped[rel] = {"why": error.strerror or str(error)}
                continue
            sha = _sha256(raw)
            month = rel.removeprefix(f"{SETS_FOLDER}/").removesuffix(".json")
            seen = previous is not None and previous.entries.get(rel, {}).get("sha256") == sha
            if seen and (not is_month_file(rel) or month in previous.sets_per_month):
                if is_month_file(rel):
                    snap.sets_per_month[month] = previous.sets_per_month[month]
            elif rel.endswith(".json"):
                try:
                    data = parse_bytes(raw)
                except ValueError as error:
                    why = "the file is empty" if not raw else describe_parse_error(error)
                    snap.skipped[rel] = {"why": why, "size": len(raw),
                                         "mtime_ns": stat.st_mtime_ns}
                    continue
                if is_month_file(rel):
                    snap.sets_per_month[month] = _count_sets(data)
            snap.files[rel] = raw
            snap.entries[rel] = {"sha256": sha, "size": len(raw), "mtime_ns": stat.st_mtime_ns}
        return snap

    def back_up(self, now: datetime, *, kind: str = MANUAL) -> Path:
        """Write one snapshot of the data folder and return its path.

        Written whole to a temp file and renamed, so a crash leaves no half backup under a
        backup's name. OSError if the backups folder can't be written.
        """
        created = now.astimezone(UTC)
        snap = self._snapshot(self._newest_manifest())
        manifest = {
            "format": FORMAT, "v": FORMAT_VERSION, "created_at": iso_utc(created),
            "app_version": __version__, "kind": kind, "sets_per_month": snap.sets_per_month,
            "files": snap.entries, "skipped": snap.skipped,
        }
        stamp = max(created, datetime(1980, 1, 1, tzinfo=UTC)).timetuple()[:6]  # zip's epoch
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for rel, raw in [*snap.files.items(), (MANIFEST, dumps_json(manifest))]:
                # Level 1: 2.5× faster than the default level for a 14% bigger file.
                archive.writestr(zipfile.ZipInfo(rel, date_time=stamp), raw,
                                 compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._new_path(created, kind)
        atomic_write_bytes(path, buffer.getvalue())
        return path

    def _new_path(self, created: datetime, kind: str) -> Path:
        stem = f"legcoach-backup-{created:%Y%m%dT%H%M%S}Z"
        suffix = "-before-restore" if kind == BEFORE_RESTORE else ""
        path, number = self.folder / f"{stem}{suffix}.zip", 2
        while path.exists():  # two backups within a second: keep both
            path, number = self.folder / f"{stem}-{number}{suffix}.zip", number + 1
        return path

    # --- listing and thinning ---

    def list(self) -> list[BackupInfo]:
        """Every backup, newest first; one that can't be read is listed with `damaged` set."""
        infos = [self._info(Path(entry.path)) for entry in _entries(self.folder)
                 if _NAME.fullmatch(entry.name) and entry.is_file()]
        return sorted(infos, key=lambda i: (i.created_at, i.path.name), reverse=True)

    def _header(self, path: Path) -> tuple[_Opened, int]:
        """A backup's manifest and size, re-read only when the file changed: listing opens
        every backup, and back_up_if_due lists them every few minutes."""
        stat = path.stat()
        key = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
        cached = self._headers.get(path)
        if cached is None or cached[0] != key:
            try:
                cached = (key, _open(path, files=False))
            except BackupError as error:
                cached = (key, error)
            self._headers[path] = cached
        if isinstance(cached[1], BackupError):
            raise cached[1]
        return cached[1], stat.st_size

    def _info(self, path: Path) -> BackupInfo:
        match = _NAME.fullmatch(path.name)
        assert match is not None
        try:
            opened, size = self._header(path)
        except (BackupError, OSError) as error:
            named = datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            kind = BEFORE_RESTORE if match.group(2) else MANUAL
            return BackupInfo(path, named, 0, 0, 0, kind, damaged=str(error))
        return BackupInfo(path, opened.created_at, sum(opened.sets_per_month.values()),
                          len(opened.sets_per_month), size, opened.kind,
                          skipped=tuple(sorted(opened.skipped)))

    def _newest_manifest(self) -> _Opened | None:
        newest = self.newest()
        try:
            return None if newest is None else self._header(newest.path)[0]
        except (BackupError, OSError):
            return None

    def newest(self) -> BackupInfo | None:
        """The newest usable backup."""
        return next((info for info in self.list() if info.damaged is None), None)

    def thin(self, now: datetime) -> list[Path]:
        """Delete the backups the policy doesn't keep; returns what was deleted.

        Only usable backups named by back_up(): a damaged one may still hold something a
        person could rescue, and any other file here is not ours. A restore's undo is kept
        for KEEP_BEFORE_RESTORE whatever the policy says.
        """
        usable = [info for info in self.list() if info.damaged is None]
        kept = keep([info.created_at for info in usable], now)
        deleted: list[Path] = []
        for info in usable:
            if info.created_at in kept or (
                    info.kind == BEFORE_RESTORE and now - info.created_at < KEEP_BEFORE_RESTORE):
                continue
            try:
                info.path.unlink()
            except OSError as error:
                log.warning("Could not delete the old backup %s: %s", info.path, error)
                continue
            deleted.append(info.path)
        return deleted

    # --- when to make one ---

    def has_changes(self, since: BackupInfo | None = None) -> bool:
        """Whether any data file was added, removed or rewritten since the newest backup
        (`since`, if already known): compares sizes and mtimes, reads no file."""
        since = since or self.newest()
        if since is None:
            return bool(data_files(self.data_folder))
        try:
            opened = self._header(since.path)[0]
        except (BackupError, OSError):
            return True
        recorded = {rel: (e.get("size"), e.get("mtime_ns"))
                    for rel, e in [*opened.entries.items(), *opened.skipped.items()]}
        current: dict[str, tuple[Any, Any]] = {}
        for rel, path in data_files(self.data_folder).items():
            try:
                stat = path.stat()
            except OSError:
                return True
            current[rel] = (stat.st_size, stat.st_mtime_ns)
        return current != recorded

    def back_up_if_due(self, now: datetime, *, session_ended: bool = False) -> Path | None:
        """Back up (then thin) if the policy says so: call at the end of every session and
        every few minutes while the app runs. Returns the new backup, or None."""
        newest = self.newest()
        last = newest.created_at if newest is not None else None
        if not due(last, self.has_changes(newest), now, session_ended=session_ended):
            return None
        path = self.back_up(now, kind=AUTO)
        self.thin(now)
        return path

    # --- looking inside ---

    def preview(self, path: Path | str) -> RestorePreview:
        """What the backup holds; BackupError if it is damaged (then it can't be restored)."""
        opened = _open(Path(path))
        return _summarise(opened.files, opened.created_at, opened.skipped)

    def preview_current(self) -> RestorePreview:
        """The same summary of the data as it is now, to compare before restoring."""
        snap = self._snapshot()
        return _summarise(snap.files, None, snap.skipped)

    def good_copy(self, rel: str) -> tuple[BackupInfo, bytes] | None:
        """The newest backup holding a usable copy of `rel`, with that copy's bytes."""
        for info in self.list():
            if info.damaged is not None:
                continue
            try:
                with zipfile.ZipFile(info.path) as archive:
                    opened = _manifest(archive)
                    if rel not in opened.entries:
                        continue
                    raw = _read_entry(archive, opened, rel)
            except (BackupError, OSError, zipfile.BadZipFile, EOFError, RuntimeError,
                    NotImplementedError) as error:
                log.warning("Backup %s has no usable %s: %s", info.path, rel, error)
                continue
            if not rel.endswith(".json") or check_bytes(rel, raw).status == OK:
                return info, raw
        return None

    # --- restoring ---

    def restore(self, path: Path | str, now: datetime) -> RestoreReport:
        """Put the data folder back as it was in the backup at `path`.

        First backs up the current data (the undo), then stages every file, then swaps them
        in one atomic rename each. Data files not in the backup are removed, but only if the
        undo holds them; a file the backup had to leave out (unreadable then) is kept.
        The set log must be closed while this runs (it caches months in memory).
        BackupError/OSError before the first swap mean nothing changed; an error during the
        swaps leaves each file old or new, and the next start (recovery) finishes the job.
        """
        source = Path(path)
        opened = _open(source)
        for rel, raw in opened.files.items():
            verdict = check_bytes(rel, raw) if rel.endswith(".json") else Verdict(OK)
            if verdict.status == NEWER:
                raise BackupError(f"{rel} in it was saved by a newer legcoach (data version "
                                  f"{verdict.version}); update legcoach to restore it")
        undo = self.back_up(now, kind=BEFORE_RESTORE)
        saved = set(_open(undo).files)  # verified: the undo is readable before we go on
        current = data_files(self.data_folder)
        write = {rel: {"staged": f"{index:05d}", "new": _sha256(raw),
                       "old": _current_sha(self.data_folder / rel)}
                 for index, (rel, raw) in enumerate(sorted(opened.files.items()))}
        remove = {rel: {"old": _current_sha(current[rel])} for rel in current
                  if rel not in opened.files and rel not in opened.skipped and rel in saved}
        left = sorted(rel for rel in current if rel not in opened.files and rel not in remove)
        staging = self.data_folder / STAGING_FOLDER
        shutil.rmtree(staging, ignore_errors=True)  # an older, abandoned plan
        staging.mkdir(parents=True)
        for rel, step in write.items():
            atomic_write_bytes(staging / step["staged"], opened.files[rel])
        atomic_write_bytes(staging / PLAN_FILE, dumps_json(
            {"backup": source.name, "write": write, "remove": remove}))  # the commit point
        _, done, changed = apply_pending_restore(self.data_folder)
        return RestoreReport(
            source=source, backup_created_at=opened.created_at, undo=undo,
            written=tuple(rel for rel in done if rel in write),
            removed=tuple(rel for rel in done if rel in remove),
            left=tuple(sorted({*left, *changed})))


def _summarise(files: Mapping[str, bytes], created_at: datetime | None,
               skipped: Iterable[str]) -> RestorePreview:
    """Sets, their date range and count per exercise, read from the month files' bytes."""
    per_exercise: Counter[str] = Counter()
    times: list[datetime] = []
    for rel, raw in files.items():
        if not is_month_file(rel):
            continue
        try:
            data = parse_bytes(raw)
        except ValueError:
            continue
        docs = data.get(TABLE) if isinstance(data, dict) else None
        for doc in (docs or {}).values():
            if not isinstance(doc, dict):
                continue
            per_exercise[str(doc.get("exercise_id", "?"))] += 1
            try:
                times.append(parse_utc(doc.get("performed_at")))
            except ValueError:
                continue
    return RestorePreview(
        created_at=created_at, sets=sum(per_exercise.values()),
        first=min(times, default=None), last=max(times, default=None),
        per_exercise=dict(per_exercise.most_common()),
        documents=tuple(sorted(rel.removesuffix(".json") for rel in files if "/" not in rel)),
        exercise_files=tuple(sorted(rel.split("/", 1)[1] for rel in files
                                    if rel.startswith(f"{EXERCISES_FOLDER}/"))),
        skipped=tuple(sorted(skipped)))
