"""Start-up repair, run before the set log or the documents are opened.

A damaged data file (empty, cut short, not JSON, not the layout legcoach writes) is moved
into `<data>/damaged/` (never deleted: it may hold sets logged after the last backup) and
replaced by the newest good copy any backup holds. A file written by a newer legcoach is
never moved nor overwritten: the caller opens the data read-only instead.

Why it is cheap: parsing every month file at each start costs over a second at 100,000 sets,
the very cost the set log avoids by opening lazily. So `recovery_state.json` remembers the
size and mtime of every file that passed a full check; an unchanged file only gets a stat and
a look at its first and last bytes. Normally only the month logged in last time is parsed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from legcoach.storage.atomic import (
    atomic_write_bytes,
    clean_stale_temp_files,
    read_json,
    write_json_atomic,
)
from legcoach.storage.backups import (
    DAMAGED,
    NEWER,
    OK,
    BackupManager,
    Verdict,
    apply_pending_restore,
    check_content,
    data_files,
    describe_parse_error,
    drop_moves_journal,
    format_when,
    is_month_file,
)

__all__ = ["DAMAGED_FOLDER", "STATE_FILE", "RecoveryReport", "recover"]

log = logging.getLogger(__name__)

DAMAGED_FOLDER: Final = "damaged"
STATE_FILE: Final = "recovery_state.json"
_STATE_VERSION: Final = 1
_EDGE: Final = 64
"""Bytes read at each end of an unchanged file: enough to skip trailing whitespace."""

_NAMES: Final[Mapping[str, str]] = {
    "routines.json": "your routines",
    "machine_settings.json": "your machine settings",
    "active_session.json": "the workout in progress",
    "session_names.json": "the names of your workouts",
    "preferences.json": "your sound settings",
    "import_mapping.json": "your import choices",
}


class RecoveryReport(list[str]):
    """The messages for the lifter, in order, plus what the caller has to act on."""

    def __init__(self) -> None:
        super().__init__()
        self.newer: list[str] = []
        """Files from a newer legcoach: left untouched; open the data read-only."""
        self.blocked: list[str] = []
        """Damaged files that could not be moved aside: open read-only so none is overwritten."""
        self.unreadable: list[str] = []
        """Files the system refused to read (permissions, I/O error): reported, left as is."""
        self.moved: dict[str, Path] = {}
        self.restored: dict[str, datetime] = {}
        """File → the creation time of the backup its copy came from."""

    @property
    def needs_read_only(self) -> bool:
        return bool(self.newer or self.blocked)


def describe(rel: str) -> str:
    """A data file as the lifter knows it: "sets/2025-06.json (your sets of June 2025)"."""
    if is_month_file(rel):
        month = datetime.strptime(rel[5:12], "%Y-%m")
        return f"{rel} (your sets of {month:%B %Y})"
    name = _NAMES.get(rel)
    return f"{rel} ({name})" if name else rel


def _looks_whole(path: Path, size: int) -> bool:
    """The cheap check for a file unchanged since its last full check: not empty, starts with
    "{" and ends with "}" (a cut-short or zeroed file fails this)."""
    if size == 0:
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(_EDGE)
            handle.seek(max(0, size - _EDGE))
            tail = handle.read(_EDGE)
    except OSError:
        return False
    return head.lstrip().startswith(b"{") and tail.rstrip().endswith(b"}")


def _full_check(rel: str, path: Path) -> Verdict:
    if path.stat().st_size == 0:
        return Verdict(DAMAGED, "the file is empty")
    try:
        data = read_json(path)
    except ValueError as error:  # bad JSON or bad UTF-8
        return Verdict(DAMAGED, describe_parse_error(error))
    return check_content(rel, data)


def _load_state(path: Path) -> dict[str, list[Any]]:
    """Files that passed a full check: rel → `_entry`. Unusable state → {} (everything is
    checked once more, which is only slower)."""
    try:
        raw = read_json(path)
    except (OSError, ValueError):
        return {}
    files = raw.get("files") if isinstance(raw, dict) and raw.get("v") == _STATE_VERSION else None
    if not isinstance(files, dict):
        return {}
    return {rel: entry for rel, entry in files.items()
            if isinstance(entry, list) and len(entry) == 5}


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _move_aside(path: Path, folder: Path, now: datetime) -> Path:
    """Rename `path` into `folder` as `<name>.<UTC stamp>`; never over an earlier one."""
    folder.mkdir(parents=True, exist_ok=True)
    target, number = folder / f"{path.name}.{_stamp(now)}", 2
    while target.exists():
        target, number = folder / f"{path.name}.{_stamp(now)}-{number}", number + 1
    os.replace(path, target)
    return target


def _newer_message(rel: str, verdict: Verdict) -> str:
    return (f"{describe(rel)} was saved by a newer legcoach (data version {verdict.version}; "
            f"this one reads up to {verdict.known}). It was left untouched and your data is "
            "open read-only: update legcoach to train and log.")


def recover(data_folder: Path | str, backups: BackupManager, now: datetime) -> RecoveryReport:
    """Check the data files and repair what is damaged; returns messages for the lifter.

    Run it after taking the data folder's lock and before opening the set log and the
    documents; never from a read-only window (another legcoach is writing).
    If `needs_read_only`, open the workspace read-only.
    """
    root = Path(data_folder)
    report = RecoveryReport()
    if not root.is_dir():
        return report
    clean_stale_temp_files(backups.folder)
    backup_name, done, left = apply_pending_restore(root)
    if backup_name is not None:
        report.append(f"A restore from {backup_name} was interrupted; it has been finished "
                      f"({len(done)} files).")
        report.extend(f"{describe(rel)} changed after that restore began and was left as it "
                      "is." for rel in left)
    state_path = root / STATE_FILE
    state = _load_state(state_path)
    checked: dict[str, list[Any]] = {}
    for rel, path in data_files(root).items():
        if not rel.endswith(".json"):
            continue  # the exercise library reports its own files
        try:
            stat = path.stat()
        except OSError:
            continue
        known = state.get(rel)
        unchanged = known is not None and known[:2] == [stat.st_size, stat.st_mtime_ns]
        if unchanged and known[2] == OK and _looks_whole(path, stat.st_size):
            checked[rel] = known
            continue
        if unchanged and known[2] == NEWER:
            verdict = Verdict(NEWER, version=known[3], known=known[4])
        else:
            try:
                verdict = _full_check(rel, path)
            except OSError as error:  # EACCES, EIO: the file may be fine; don't replace it
                report.unreadable.append(rel)
                report.append(f"{describe(rel)} could not be read ({error.strerror or error}). "
                              "It was left as it is; legcoach checks it again at the next "
                              "start.")
                continue
        if verdict.status == NEWER:
            report.newer.append(rel)
            report.append(_newer_message(rel, verdict))
        if verdict.status in (OK, NEWER):
            checked[rel] = _entry(stat, verdict)  # the stat from before the check: safe side
        else:
            entry = _repair(root, rel, path, verdict.why, backups, now, report)
            if entry is not None:
                checked[rel] = entry
    if checked != state:
        try:
            write_json_atomic(state_path, {"v": _STATE_VERSION, "files": checked})
        except OSError as error:  # only costs a full check next time
            log.warning("Could not save %s: %s", state_path, error)
    return report


def _repair(root: Path, rel: str, path: Path, why: str, backups: BackupManager,
            now: datetime, report: RecoveryReport) -> list[Any] | None:
    """Move a damaged file aside and put back the newest good copy; the state entry of the
    file now in place, or None if there is none."""
    try:
        moved = _move_aside(path, root / DAMAGED_FOLDER, now)
    except OSError as error:
        report.blocked.append(rel)
        report.append(f"{describe(rel)} could not be read ({why}), nor moved aside "
                      f"({error.strerror or error}). It was left untouched and your data is "
                      "open read-only, so nothing overwrites it.")
        return None
    report.moved[rel] = moved
    head = f"{describe(rel)} could not be read ({why}). It was moved to {moved}"
    copy = backups.good_copy(rel)
    if copy is None:
        what = "that month starts empty" if is_month_file(rel) else "legcoach starts it fresh"
        report.append(f"{head}. No backup holds a good copy of it, so {what}; the moved file "
                      "keeps whatever can still be rescued.")
        return None
    info, raw = copy
    try:
        atomic_write_bytes(path, raw)
    except OSError as error:
        report.append(f"{head}, but the copy from the backup of {format_when(info.created_at)} "
                      f"could not be put back ({error.strerror or error}).")
        return None
    if is_month_file(rel):
        drop_moves_journal(root)  # the older copy may hold a set that moved month since
    report.restored[rel] = info.created_at
    report.append(f"{head} and the copy from the backup of {format_when(info.created_at)} was "
                  "put back; anything saved after that backup is only in the moved file.")
    return _entry(path.stat(), Verdict(OK))


def _entry(stat: os.stat_result, verdict: Verdict) -> list[Any]:
    """What the state remembers of a fully checked file: [size, mtime_ns, status, version,
    known version] (the versions only matter for a newer file's message)."""
    return [stat.st_size, stat.st_mtime_ns, verdict.status, verdict.version, verdict.known]
