"""Crash-safe file replacement: a file is either its old or its new content, never half of each.

Write a temp file next to the target, fsync it, rename it over the target (atomic on POSIX and
on NTFS via os.replace), then fsync the folder so the rename itself survives a power cut.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Any

__all__ = [
    "atomic_write_bytes",
    "clean_stale_temp_files",
    "dumps_json",
    "parse_json_bytes",
    "read_json",
    "write_json_atomic",
]

log = logging.getLogger(__name__)

_TEMP_SUFFIX = ".tmp"
# mkstemp(prefix=".<name>.", suffix=".tmp") names: a dot, the target name, a dot, 8 random chars.
_STALE_TEMP = re.compile(r"\..+\.[A-Za-z0-9_]{6,}\.tmp")
_CAN_FSYNC_FOLDERS = os.name != "nt"  # Windows can't open a folder as a file
# Folder fsync is a durability nicety some filesystems don't support; those errors are not ours.
_DIR_FSYNC_UNSUPPORTED = {errno.EINVAL, errno.ENOTSUP, errno.EBADF, errno.EACCES, errno.EPERM}


def atomic_write_bytes(path: Path | str, data: bytes) -> None:
    """Replace `path` with `data` atomically; on any error the old file is untouched.

    The caller serialises first, so a serialisation error can't leave anything behind either.
    """
    target = Path(path)
    folder = target.parent
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=_TEMP_SUFFIX, dir=folder)
    temp = Path(temp_name)
    try:
        try:
            handle = os.fdopen(fd, "wb")
        except BaseException:
            os.close(fd)  # a failed fdopen leaves the descriptor to its caller
            raise
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        _name_the_file(exc, target)
        raise
    _fsync_folder(folder)


def _name_the_file(exc: BaseException, path: Path) -> None:
    """Make an OSError that names no file name `path`: read, write, fsync and close errors
    don't, and "No space left on device" alone doesn't say what could not be saved."""
    if isinstance(exc, OSError) and exc.filename is None and exc.errno is not None:
        exc.filename = str(path)


def _fsync_folder(folder: Path) -> None:
    """Persist the rename. Skipped on Windows, where folders can't be opened for fsync.

    Errors are logged, not raised: the new content is already in place, and raising would
    tell the caller the old content is still there.
    """
    if not _CAN_FSYNC_FOLDERS:
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        if exc.errno not in _DIR_FSYNC_UNSUPPORTED:
            log.warning("Could not fsync folder %s: %s", folder, exc)


def clean_stale_temp_files(folder: Path | str) -> list[Path]:
    """Remove temp files a crash left behind in `folder` and return them.

    Call at start, before any writer runs: a temp file of a write in progress looks the same.
    """
    removed: list[Path] = []
    directory = Path(folder)
    if not directory.is_dir():
        return removed
    for entry in directory.iterdir():
        if _STALE_TEMP.fullmatch(entry.name) and entry.is_file():
            try:
                entry.unlink()
            except FileNotFoundError:
                continue
            removed.append(entry)
    return sorted(removed)


def dumps_json(obj: Any) -> bytes:
    """The one serialiser for data files: compact, sorted keys, UTF-8, no NaN/Infinity.

    Sorted and compact so the same data always gives the same bytes; NaN is refused because
    it is not JSON and other readers would choke on it.
    """
    return json.dumps(
        obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_json_bytes(raw: bytes) -> Any:
    """UTF-8 JSON → data, refusing what `dumps_json` could not write back: ValueError for
    NaN/Infinity, lone surrogate escapes, nesting too deep to parse, numbers too long to read.

    So a hand-edited or damaged file is caught where it is read, as damage, instead of
    failing later when the app saves what it read.
    """
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except RecursionError:
        raise ValueError("it is nested too deeply to read") from None
    if b"\\u" in raw:  # only escapes can make lone surrogates; our own files have none
        try:
            dumps_json(data)
        except UnicodeEncodeError:
            raise ValueError("it holds text that is not valid Unicode (a lone surrogate)") \
                from None
    return data


def read_json(path: Path | str) -> Any:
    """Parse a UTF-8 JSON file (the counterpart of write_json_atomic); an OSError names it,
    a ValueError says what is wrong with the content (see `parse_json_bytes`)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        _name_the_file(exc, Path(path))
        raise
    return parse_json_bytes(raw)


def write_json_atomic(path: Path | str, obj: Any) -> None:
    """Serialise `obj`, then replace `path` with it atomically."""
    atomic_write_bytes(path, dumps_json(obj))
