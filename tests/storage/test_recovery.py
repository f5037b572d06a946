"""Start-up recovery: damaged files moved aside and restored, newer files left alone, cheap."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from legcoach.storage import recovery
from legcoach.storage.atomic import dumps_json
from legcoach.storage.backups import NOT_DATA, BackupManager, data_files, format_when
from legcoach.storage.recovery import DAMAGED_FOLDER, STATE_FILE, recover
from legcoach.storage.tinydb_store import TinyDBSetStore
from tests.storage.test_backups import (
    NOW,
    Crash,
    build_data,
    changed_after_backup,
    crash_after,
    make_set,
    snapshot,
    write_months,
)

MONTH = "sets/2025-07.json"
DOCUMENT = "routines.json"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return build_data(tmp_path / "data")


@pytest.fixture
def manager(data: Path) -> BackupManager:
    return BackupManager(data)


def damaged_copies(data: Path) -> list[Path]:
    folder = data / DAMAGED_FOLDER
    return sorted(folder.iterdir()) if folder.is_dir() else []


def parses(monkeypatch: pytest.MonkeyPatch, data: Path) -> list[str]:
    """The data files recovery parses from now on, by relative path."""
    seen: list[str] = []
    real = recovery.read_json

    def counted(path: Path | str):
        if Path(path).name != STATE_FILE:
            seen.append(Path(path).relative_to(data).as_posix())
        return real(path)

    monkeypatch.setattr(recovery, "read_json", counted)
    return seen


DAMAGE = {
    "empty": lambda raw: b"",
    "truncated": lambda raw: raw[: len(raw) // 2],
    "not JSON": lambda raw: b"hello, this is not json",
    "not UTF-8": lambda raw: b'{"v": 1, "x": "\xff\xfe"}',
    "zeroed": lambda raw: b"\x00" * len(raw),
    "a list": lambda raw: b"[1, 2, 3]",
}
MONTH_SCHEMA = {
    "a set that is not an object": b'{"sets": {"1": 5}}',
    "a set without a version": b'{"sets": {"1": {"id": "a"}}}',
    "a set without an id": b'{"sets": {"1": {"v": 1}}}',
    "a bad set number": b'{"sets": {"x": {"v": 1, "id": "a"}}}',
    "a table that is not an object": b'{"sets": []}',
}
DOCUMENT_SCHEMA = {
    "no version": b'{"routines": []}',
    "a version that is text": b'{"v": "1", "routines": []}',
}
CASES = ([(rel, kind, damage) for rel in (MONTH, DOCUMENT) for kind, damage in DAMAGE.items()]
         + [(MONTH, kind, lambda raw, b=bad: b) for kind, bad in MONTH_SCHEMA.items()]
         + [(DOCUMENT, kind, lambda raw, b=bad: b) for kind, bad in DOCUMENT_SCHEMA.items()])


@pytest.mark.parametrize(("rel", "kind", "damage"), CASES,
                         ids=[f"{rel}-{kind}" for rel, kind, _ in CASES])
def test_a_damaged_file_is_moved_aside_and_restored_from_the_newest_backup(
        data: Path, manager: BackupManager, rel: str, kind: str, damage) -> None:
    older = manager.back_up(NOW - timedelta(days=2))
    write_months(data, [make_set(datetime(2025, 7, 30, tzinfo=UTC))])  # a newer July
    (data / DOCUMENT).write_bytes(dumps_json({"v": 1, "routines": [], "newer": True}))
    newest = manager.back_up(NOW - timedelta(days=1))
    assert older != newest
    good = (data / rel).read_bytes()
    broken = damage(good)
    (data / rel).write_bytes(broken)
    recover(data, manager, NOW - timedelta(hours=1))  # a first start with a state file…
    (data / rel).write_bytes(broken)
    report = recover(data, manager, NOW)  # …and one where the damage is new
    assert (data / rel).read_bytes() == good
    assert report.restored == {rel: NOW - timedelta(days=1)}
    moved = damaged_copies(data)
    assert moved[-1].read_bytes() == broken
    assert moved[-1].name == f"{Path(rel).name}.20261122T200000Z"
    message = report[-1]
    assert rel in message and str(moved[-1]) in message
    assert f"the backup of {format_when(NOW - timedelta(days=1))} was put back" in message
    assert not report.needs_read_only


def test_the_newest_backup_with_a_good_copy_is_used(data: Path,
                                                    manager: BackupManager) -> None:
    good = (data / MONTH).read_bytes()
    oldest = manager.back_up(NOW - timedelta(days=3))
    (data / MONTH).write_bytes(b'{"sets": {"1": 7}}')  # parses, wrong layout: in the backup
    manager.back_up(NOW - timedelta(days=2))
    (data / MONTH).write_bytes(b"{")  # doesn't parse: left out of the next backup
    manager.back_up(NOW - timedelta(days=1))
    report = recover(data, manager, NOW)
    assert (data / MONTH).read_bytes() == good
    assert report.restored == {MONTH: NOW - timedelta(days=3)}
    assert manager.list()[-1].path == oldest


def test_a_damaged_backup_is_passed_over(data: Path, manager: BackupManager) -> None:
    good = (data / DOCUMENT).read_bytes()
    manager.back_up(NOW - timedelta(days=2))
    manager.back_up(NOW - timedelta(days=1)).write_bytes(b"garbage")
    (data / DOCUMENT).write_bytes(b"")
    report = recover(data, manager, NOW)
    assert (data / DOCUMENT).read_bytes() == good
    assert report.restored == {DOCUMENT: NOW - timedelta(days=2)}


def test_without_a_backup_the_file_is_moved_aside_and_reported(data: Path,
                                                               manager: BackupManager) -> None:
    (data / MONTH).write_bytes(b'{"sets": {"1": {"v": 1, "id": "abc", "reps": 1')
    report = recover(data, manager, NOW)
    assert not (data / MONTH).exists()
    assert [p.name for p in damaged_copies(data)] == ["2025-07.json.20261122T200000Z"]
    assert len(report) == 1
    assert "could not be read (not valid JSON" in report[0]
    assert "No backup holds a good copy of it, so that month starts empty" in report[0]
    assert report.moved == {MONTH: data / DAMAGED_FOLDER / "2025-07.json.20261122T200000Z"}
    with TinyDBSetStore(data) as store:  # the rest of the log opens
        assert store.count() == 30 - 3


def test_a_second_damage_in_the_same_second_keeps_both_copies(data: Path,
                                                              manager: BackupManager) -> None:
    for content in (b"first", b"second"):
        (data / DOCUMENT).write_bytes(content)
        recover(data, manager, NOW)
    assert [p.read_bytes() for p in damaged_copies(data)] == [b"first", b"second"]


@pytest.mark.parametrize(("rel", "content", "version"), [
    (MONTH, dumps_json({"sets": {"1": {"v": 1, "id": "a"}, "2": {"v": 2, "new": {}}}}), 2),
    (MONTH, dumps_json({"sets": {"1": {"v": 7, "layout": "unknown to us"}}}), 7),
    (DOCUMENT, dumps_json({"v": 3, "plans": []}), 3),
    ("machine_settings.json", dumps_json({"v": 2}), 2),
])
def test_a_file_from_a_newer_legcoach_is_left_untouched_and_reported(
        data: Path, manager: BackupManager, rel: str, content: bytes, version: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    manager.back_up(NOW - timedelta(days=1))
    (data / rel).write_bytes(content)
    before = snapshot(data)
    parsed: list[str] = []
    for start in ("first", "next"):  # the next start reports it from the state file
        report = recover(data, manager, NOW)
        assert snapshot(data) == before
        assert damaged_copies(data) == []
        assert report.needs_read_only and report.newer == [rel]
        assert len(report) == 1
        assert f"{rel} " in report[0] and f"data version {version};" in report[0]
        assert "left untouched" in report[0] and "read-only" in report[0]
        if start == "first":
            parsed = parses(monkeypatch, data)
    assert parsed == []


def test_an_unknown_document_only_has_to_be_an_object(data: Path,
                                                      manager: BackupManager) -> None:
    (data / "routines-unreadable-20250101t000000z.json").write_bytes(b'{"anything": 1}')
    assert recover(data, manager, NOW) == []


def test_all_is_well_costs_no_parsing(data: Path, manager: BackupManager,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    first = parses(monkeypatch, data)
    assert recover(data, manager, NOW) == []
    assert len(first) == len([rel for rel in data_files(data) if rel.endswith(".json")])
    monkeypatch.undo()
    again = parses(monkeypatch, data)
    assert recover(data, manager, NOW) == []
    assert again == []
    monkeypatch.undo()
    write_months(data, [make_set(datetime(2025, 7, 29, tzinfo=UTC))])  # July changes
    logged = parses(monkeypatch, data)
    assert recover(data, manager, NOW) == []
    assert logged == [MONTH]


def test_damage_that_keeps_size_and_time_is_caught_by_the_cheap_check(
        data: Path, manager: BackupManager) -> None:
    good = (data / MONTH).read_bytes()
    manager.back_up(NOW - timedelta(days=1))
    recover(data, manager, NOW)
    stat = (data / MONTH).stat()
    (data / MONTH).write_bytes(b"\x00" * len(good))  # e.g. a power cut on some filesystems
    os.utime(data / MONTH, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    report = recover(data, manager, NOW)
    assert (data / MONTH).read_bytes() == good
    assert report.restored == {MONTH: NOW - timedelta(days=1)}


def test_a_damaged_state_file_means_checking_everything_once(
        data: Path, manager: BackupManager, monkeypatch: pytest.MonkeyPatch) -> None:
    recover(data, manager, NOW)
    (data / STATE_FILE).write_bytes(b"\x00\x00")
    parsed = parses(monkeypatch, data)
    assert recover(data, manager, NOW) == []
    assert MONTH in parsed
    assert (data / STATE_FILE).read_bytes().startswith(b"{")


def test_the_state_file_is_not_data() -> None:
    assert STATE_FILE.removesuffix(".json") in NOT_DATA


def test_a_file_that_cannot_be_moved_aside_is_left_and_opens_read_only(
        data: Path, manager: BackupManager, monkeypatch: pytest.MonkeyPatch) -> None:
    (data / MONTH).write_bytes(b"{")

    def refuse(*_: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(recovery.os, "replace", refuse)
    report = recover(data, manager, NOW)
    monkeypatch.undo()
    assert (data / MONTH).read_bytes() == b"{"
    assert report.blocked == [MONTH] and report.needs_read_only
    assert "nor moved aside (Permission denied)" in report[0]


def test_a_file_the_system_refuses_to_read_is_reported_not_replaced(
        data: Path, manager: BackupManager, monkeypatch: pytest.MonkeyPatch) -> None:
    """Permissions or an I/O error say nothing about the content: never swap in an old copy."""
    manager.back_up(NOW - timedelta(days=1))
    (data / MONTH).write_bytes(b'{"sets": {}}')
    real = recovery.read_json

    def refuse(path: Path | str):
        if Path(path).name == "2025-07.json":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(recovery, "read_json", refuse)
    report = recover(data, manager, NOW)
    assert report.unreadable == [MONTH] and not report.needs_read_only
    assert "could not be read (Permission denied). It was left as it is" in report[0]
    assert (data / MONTH).read_bytes() == b'{"sets": {}}' and damaged_copies(data) == []
    monkeypatch.undo()
    assert recover(data, manager, NOW) == []  # checked again, and fine


def test_an_interrupted_restore_is_finished_at_start(
        data: Path, manager: BackupManager, monkeypatch: pytest.MonkeyPatch) -> None:
    path, at_backup, _ = changed_after_backup(data)
    crash_after(monkeypatch, 3)
    with pytest.raises(Crash):
        manager.restore(path, NOW + timedelta(minutes=1))
    monkeypatch.undo()
    report = recover(data, manager, NOW + timedelta(minutes=2))
    assert snapshot(data) == at_backup
    assert report[0].startswith(f"A restore from {path.name} was interrupted; it has been "
                                "finished")
    with TinyDBSetStore(data) as store:
        assert store.count() == 30


def test_temp_files_of_an_interrupted_backup_are_removed(data: Path,
                                                         manager: BackupManager) -> None:
    manager.back_up(NOW)
    stale = manager.folder / ".legcoach-backup-20261122T200100Z.zip.k2j4h5g6.tmp"
    stale.write_bytes(b"half a zip")
    recover(data, manager, NOW)
    assert not stale.exists() and len(manager.list()) == 1


def test_no_data_folder_yet_is_nothing_to_do(tmp_path: Path) -> None:
    missing = tmp_path / "new"
    assert recover(missing, BackupManager(missing), NOW) == []
    assert not missing.exists()
