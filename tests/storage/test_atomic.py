"""Atomic replacement: an interrupted write leaves the old file whole and no temp files."""

from __future__ import annotations

import errno
import json
import logging
import os
import stat
from pathlib import Path

import pytest

from legcoach.storage import atomic
from legcoach.storage.atomic import (
    atomic_write_bytes,
    clean_stale_temp_files,
    dumps_json,
    read_json,
    write_json_atomic,
)


def disk_full(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "2025-06.json"
    path.write_bytes(b'{"old":true}')
    return path


def test_write_creates_and_replaces(tmp_path: Path) -> None:
    path = tmp_path / "new.json"
    atomic_write_bytes(path, b"first")
    atomic_write_bytes(path, b"second")
    assert path.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["new.json"]


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_failure_mid_write_keeps_the_old_file_and_no_temp(
    target: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    monkeypatch.setattr(os, failing, disk_full)
    with pytest.raises(OSError, match="No space") as caught:
        atomic_write_bytes(target, b'{"new":true}')
    assert caught.value.errno == errno.ENOSPC
    assert target.read_bytes() == b'{"old":true}'
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_bad_data_leaves_no_temp(target: Path) -> None:
    with pytest.raises(TypeError):
        atomic_write_bytes(target, "not bytes")  # type: ignore[arg-type]
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_a_folder_fsync_failure_is_logged_not_raised(
    target: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The rename already happened: raising would claim the old content is still there."""
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EIO, "I/O error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with caplog.at_level(logging.WARNING, logger=atomic.__name__):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert "Could not fsync folder" in caplog.text


def test_folders_are_not_fsynced_where_the_os_cannot(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(atomic, "_CAN_FSYNC_FOLDERS", False)
    opened: list[object] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda p, *a, **k: opened.append(p) or real_open(p, *a, **k))
    atomic_write_bytes(target, b"new")
    assert target.parent not in [Path(p) for p in opened if not isinstance(p, int)]
    assert target.read_bytes() == b"new"


def test_a_crash_leftover_is_cleaned_at_start(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulate a killed process: the temp file stays because no cleanup code ran."""
    monkeypatch.setattr(os, "replace", disk_full)
    monkeypatch.setattr(Path, "unlink", lambda self, missing_ok=False: None)
    with pytest.raises(OSError, match="No space"):
        atomic_write_bytes(target, b"half")
    monkeypatch.undo()
    leftovers = [p for p in target.parent.iterdir() if p != target]
    assert len(leftovers) == 1 and leftovers[0].name.startswith(".2025-06.json.")
    assert clean_stale_temp_files(target.parent) == leftovers
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_cleanup_only_removes_its_own_pattern(tmp_path: Path) -> None:
    stale = [tmp_path / ".2025-06.json.k3j_x9a2.tmp", tmp_path / ".settings.json.abcdefgh.tmp"]
    kept = [tmp_path / n for n in ("2025-06.json", ".hidden", "notes.tmp", ".2025-06.json",
                                   "x.json.abcdefgh.tmp", ".a.b.tmp")]
    for path in stale + kept:
        path.write_text("x")
    (tmp_path / ".dir.abcdefgh.tmp").mkdir()  # not a file: left alone
    assert clean_stale_temp_files(tmp_path) == sorted(stale)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [p.name for p in kept] + [".dir.abcdefgh.tmp"]
    )
    assert clean_stale_temp_files(tmp_path / "missing") == []


def test_json_helpers_are_compact_sorted_utf8(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    obj = {"b": [1, 2.5, None], "a": "Ünïcödé 💪"}
    write_json_atomic(path, obj)
    assert path.read_bytes() == '{"a":"Ünïcödé 💪","b":[1,2.5,null]}'.encode()
    assert read_json(path) == obj
    assert dumps_json(obj) == path.read_bytes()


def test_nan_is_refused_before_anything_is_written(target: Path) -> None:
    with pytest.raises(ValueError, match="JSON"):
        write_json_atomic(target, {"load": float("nan")})
    assert json.loads(target.read_bytes()) == {"old": True}
    assert [p.name for p in target.parent.iterdir()] == [target.name]
