"""Backups: what a snapshot holds, listing damaged ones, thinning, preview, restore and crashes."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from legcoach import __version__
from legcoach.core.backup_policy import keep
from legcoach.core.setlog import LoadUnit, SetRecord, replace_fields
from legcoach.storage import atomic, backups
from legcoach.storage.atomic import dumps_json, read_json
from legcoach.storage.backups import (
    BEFORE_RESTORE,
    STAGING_FOLDER,
    BackupError,
    BackupManager,
    data_files,
)
from legcoach.storage.json_documents import JsonDocumentStore
from legcoach.storage.tinydb_store import MOVES_FILE, TABLE, TinyDBSetStore, month_of

T0 = datetime(2025, 6, 10, 18, tzinfo=UTC)
NOW = datetime(2026, 11, 22, 20, tzinfo=UTC)
EXERCISES = ("leg-press", "leg-press-45", "hip-thrust-machine")


# --- helpers (the recovery and dialog tests use them too) ---------------------------------


def make_set(performed_at: datetime, exercise_id: str = "leg-press", **overrides: Any
             ) -> SetRecord:
    values: dict[str, Any] = {
        "exercise_id": exercise_id, "performed_at": performed_at, "unit": LoadUnit.KG,
        "entered_load": "100", "reps": 10, "created_at": performed_at,
        "updated_at": performed_at,
    }
    return SetRecord(**(values | overrides))


def add_sets(root: Path, records: list[SetRecord]) -> None:
    with TinyDBSetStore(root) as store:
        for record in records:
            store.add(record)


def write_months(root: Path, records: list[SetRecord]) -> None:
    """Month files as the set log writes them, in one write each (no fsync per set)."""
    months: dict[str, dict[str, Any]] = {}
    for record in records:
        docs = months.setdefault(month_of(record.performed_at), {})
        docs[str(len(docs) + 1)] = record.to_dict()
    (root / "sets").mkdir(parents=True, exist_ok=True)
    for month, docs in months.items():
        (root / "sets" / f"{month}.json").write_bytes(dumps_json({TABLE: docs}))


def build_data(root: Path, sets: int = 30) -> Path:
    """A data folder: sets over nine months, two documents and one exercise file."""
    write_months(root, [make_set(T0 + timedelta(days=9 * i, minutes=i), EXERCISES[i % 3])
                        for i in range(sets)])
    documents = JsonDocumentStore(root)
    documents.save("routines", {"v": 1, "routines": []})
    documents.save("machine_settings", {"v": 1, "entries": []})
    (root / "exercises").mkdir(exist_ok=True)
    (root / "exercises" / "my-press.toml").write_text('id = "my-press"\n', encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """The data folder as a backup sees it: relative path → bytes."""
    return {rel: path.read_bytes() for rel, path in data_files(root).items()}


def manifest(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def rewrite_zip(path: Path, change: dict[str, bytes | None]) -> None:
    """Replace (bytes) or drop (None) entries of a backup, as damage or a newer app would."""
    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    for name, raw in change.items():
        if raw is None:
            entries.pop(name, None)
        else:
            entries[name] = raw
    with zipfile.ZipFile(path, "w") as archive:
        for name, raw in entries.items():
            archive.writestr(name, raw)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return build_data(tmp_path / "data")


@pytest.fixture
def manager(data: Path) -> BackupManager:
    return BackupManager(data)


# --- making a backup -------------------------------------------------------------------------


def test_a_backup_is_one_zip_of_every_data_file_and_a_manifest(data: Path,
                                                               manager: BackupManager) -> None:
    before = snapshot(data)
    path = manager.back_up(NOW)
    assert path.parent == data / "backups"
    assert path.name == "legcoach-backup-20261122T200000Z.zip"
    assert os.listdir(path.parent) == [path.name]  # no temp file left behind
    with zipfile.ZipFile(path) as archive:
        stored = {name: archive.read(name) for name in archive.namelist()}
    assert stored.pop("manifest.json")
    assert stored == before
    assert {"routines.json", "machine_settings.json", "exercises/my-press.toml"} <= set(stored)
    assert sum(rel.startswith("sets/") for rel in stored) == 9


def test_the_manifest_has_the_time_version_sets_per_month_and_checksums(
        data: Path, manager: BackupManager) -> None:
    import hashlib

    found = manifest(manager.back_up(NOW))
    assert found["created_at"] == "2026-11-22T20:00:00.000000Z"
    assert found["app_version"] == __version__
    assert sum(found["sets_per_month"].values()) == 30
    assert found["sets_per_month"]["2025-06"] == 3
    for rel, raw in snapshot(data).items():
        assert found["files"][rel]["sha256"] == hashlib.sha256(raw).hexdigest()
    assert found["skipped"] == {}


def test_a_file_that_does_not_parse_is_left_out_and_named(data: Path,
                                                          manager: BackupManager) -> None:
    (data / "sets" / "2025-07.json").write_bytes(b'{"sets": {"1": ')
    (data / "preferences.json").write_bytes(b"")
    found = manifest(manager.back_up(NOW))
    assert "sets/2025-07.json" not in found["files"]
    assert "not valid JSON" in found["skipped"]["sets/2025-07.json"]["why"]
    assert found["skipped"]["preferences.json"]["why"] == "the file is empty"
    assert "2025-07" not in found["sets_per_month"]
    assert manager.list()[0].skipped == ("preferences.json", "sets/2025-07.json")


def test_files_that_are_not_data_stay_out(data: Path, manager: BackupManager) -> None:
    for name in ("routines.corrupt-20250101T000000Z.json", "recovery_state.json", "notes.txt"):
        (data / name).write_text("{}", encoding="utf-8")
    (data / "sets" / ".2025-06.json.abcdef12.tmp").write_text("{", encoding="utf-8")
    (data / "exercises" / ".hidden.toml").write_text("", encoding="utf-8")
    files = manifest(manager.back_up(NOW))["files"]
    assert not {"routines.corrupt-20250101T000000Z.json", "recovery_state.json",
                "notes.txt"} & set(files)
    assert all("tmp" not in rel and "hidden" not in rel for rel in files)


def test_a_file_removed_while_backing_up_is_just_not_in_it(
        data: Path, manager: BackupManager, monkeypatch: pytest.MonkeyPatch) -> None:
    listed = backups.data_files

    def listing_then_delete(folder: Path) -> dict[str, Path]:
        found = listed(folder)
        found["sets/2025-06.json"].unlink()
        return found

    monkeypatch.setattr(backups, "data_files", listing_then_delete)
    files = manifest(manager.back_up(NOW))["files"]
    assert "sets/2025-06.json" not in files and "sets/2025-07.json" in files


def test_a_failed_write_leaves_no_backup_and_no_temp_file(
        data: Path, manager: BackupManager, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", disk_full)
    with pytest.raises(OSError, match="No space"):
        manager.back_up(NOW)
    monkeypatch.undo()
    assert os.listdir(data / "backups") == []
    assert manager.list() == []


def test_two_backups_in_one_second_are_both_kept(manager: BackupManager) -> None:
    first, second = manager.back_up(NOW), manager.back_up(NOW)
    assert first != second and first.exists() and second.exists()
    assert second.name == "legcoach-backup-20261122T200000Z-2.zip"


def test_a_set_moved_while_backing_up_is_not_restored_twice(data: Path,
                                                           manager: BackupManager) -> None:
    """The backup reads June before a set moves to July and July after: it holds both
    copies, and no journal entry says so. Restoring drops the journal, so the set log checks
    every month once before serving anything, and a June-only query can't see the old copy."""
    record = make_set(datetime(2025, 6, 20, 18, tzinfo=UTC))
    add_sets(data, [record])
    june_before = (data / "sets" / "2025-06.json").read_bytes()
    with TinyDBSetStore(data) as store:
        store.update(replace_fields(record, performed_at=datetime(2025, 7, 2, tzinfo=UTC),
                                    now=T0 + timedelta(days=30)))
    assert read_json(data / "sets" / MOVES_FILE)["moves"] == {}  # the move completed
    (data / "sets" / "2025-06.json").write_bytes(june_before)  # the copy the backup read
    path = manager.back_up(NOW)
    add_sets(data, [make_set(datetime(2025, 8, 1, tzinfo=UTC))])  # the journal is current
    manager.restore(path, NOW + timedelta(minutes=1))
    with TinyDBSetStore(data) as store:
        june = store.query(start=datetime(2025, 6, 1, tzinfo=UTC),
                           end=datetime(2025, 7, 1, tzinfo=UTC))
        assert record.id not in {r.id for r in june}
        assert store.get(record.id).performed_at.month == 7
        assert store.count() == 31


# --- listing -----------------------------------------------------------------------------------


def test_list_is_newest_first_with_counts_and_sizes(manager: BackupManager) -> None:
    older = manager.back_up(NOW - timedelta(days=2))
    newer = manager.back_up(NOW)
    infos = manager.list()
    assert [i.path for i in infos] == [newer, older]
    assert infos[0].sets == 30 and infos[0].months == 9
    assert infos[0].size == newer.stat().st_size and infos[0].damaged is None
    assert manager.newest() == infos[0]


@pytest.mark.parametrize(("damage", "why"), [
    (b"not a zip at all", "can't be read"),
    ({"manifest.json": None}, "no manifest"),
    ({"manifest.json": b"{"}, "manifest is not valid JSON"),
    ({"manifest.json": b'{"format": "legcoach-snapshot", "v": 99}'}, "newer legcoach"),
    ({"manifest.json": b'{"format": "something else", "v": 1}'}, "not a legcoach backup"),
])
def test_a_backup_that_cannot_be_read_is_listed_as_damaged(
        manager: BackupManager, damage: bytes | dict[str, bytes | None], why: str) -> None:
    good = manager.back_up(NOW - timedelta(days=1))
    bad = manager.back_up(NOW)
    if isinstance(damage, bytes):
        bad.write_bytes(damage)
    else:
        rewrite_zip(bad, damage)
    infos = manager.list()
    assert [i.path for i in infos] == [bad, good]
    assert why in (infos[0].damaged or "")
    assert infos[0].created_at == NOW  # from its name
    assert manager.newest() == infos[1]
    with pytest.raises(BackupError):
        manager.preview(bad)


def test_a_manifest_naming_a_path_outside_the_data_is_damaged(manager: BackupManager) -> None:
    path = manager.back_up(NOW)
    found = manifest(path)
    found["files"]["../evil.json"] = {"sha256": "0" * 64}
    rewrite_zip(path, {"manifest.json": dumps_json(found), "../evil.json": b"{}"})
    assert manager.list()[0].damaged == "its manifest is damaged"


def test_only_backup_names_are_listed(data: Path, manager: BackupManager) -> None:
    manager.back_up(NOW)
    for name in ("legcoach-backup-latest.zip", "holiday.zip", "legcoach-backup-2026.zip"):
        (data / "backups" / name).write_bytes(b"x")
    assert len(manager.list()) == 1


def test_no_backups_folder_lists_nothing(tmp_path: Path) -> None:
    assert BackupManager(tmp_path / "nothing").list() == []


# --- thinning ----------------------------------------------------------------------------------


def test_thinning_after_every_backup_for_a_year_keeps_what_the_policy_keeps(
        data: Path, manager: BackupManager) -> None:
    made: list[datetime] = []
    moment = NOW - timedelta(days=365)
    while moment <= NOW:  # a backup every day or two, some days twice
        for at in (moment, moment + timedelta(hours=5)) if moment.day % 4 == 0 else (moment,):
            manager.back_up(at)
            made.append(at)
            manager.thin(at)
        moment += timedelta(days=1 + moment.day % 2, hours=1)
    (data / "backups" / "keep-me.zip").write_bytes(b"not ours")
    damaged = manager.back_up(made[0] - timedelta(days=400))
    damaged.write_bytes(b"broken")
    manager.thin(made[-1])
    kept = {info.created_at for info in manager.list() if info.damaged is None}
    assert kept == keep(made, made[-1])
    assert len(kept) <= 31 and max(made) in kept
    assert (data / "backups" / "keep-me.zip").exists() and damaged.exists()


def test_the_undo_of_a_restore_is_kept_for_30_days(manager: BackupManager) -> None:
    source = manager.back_up(NOW - timedelta(days=3))
    undo = manager.restore(source, NOW - timedelta(hours=2)).undo
    manager.back_up(NOW - timedelta(hours=1))
    manager.back_up(NOW)  # the newest of the day now: the policy alone would drop the undo
    manager.thin(NOW)
    assert undo.exists()
    assert manager.thin(NOW + timedelta(days=31)) == [undo]


# --- preview -----------------------------------------------------------------------------------


def test_preview_counts_sets_dates_exercises_and_documents(manager: BackupManager) -> None:
    preview = manager.preview(manager.back_up(NOW))
    assert preview.created_at == NOW
    assert preview.sets == 30
    assert preview.first == T0
    assert preview.last == T0 + timedelta(days=9 * 29, minutes=29)
    assert preview.per_exercise == {"leg-press": 10, "leg-press-45": 10,
                                    "hip-thrust-machine": 10}
    assert preview.documents == ("machine_settings", "routines")
    assert preview.exercise_files == ("my-press.toml",)
    assert manager.preview_current() == preview.__class__(**{**preview.__dict__,
                                                              "created_at": None})


def test_preview_refuses_a_backup_with_a_damaged_file(manager: BackupManager) -> None:
    path = manager.back_up(NOW)
    rewrite_zip(path, {"sets/2025-06.json": b'{"sets": {}}'})
    with pytest.raises(BackupError, match="checksum"):
        manager.preview(path)


# --- restore -----------------------------------------------------------------------------------


def change_everything(root: Path) -> None:
    """Edits after a backup: a new month, an edited document, a lost and a new file."""
    add_sets(root, [make_set(datetime(2026, 10, 1, tzinfo=UTC)),
                    make_set(datetime(2025, 6, 30, tzinfo=UTC))])
    JsonDocumentStore(root).save("routines", {"v": 1, "routines": [], "x": 1})
    JsonDocumentStore(root).save("preferences", {"v": 1, "volume": 3})
    (root / "exercises" / "my-press.toml").unlink()


def test_restore_brings_back_exactly_the_state_at_backup(data: Path,
                                                         manager: BackupManager) -> None:
    at_backup = snapshot(data)
    path = manager.back_up(NOW)
    change_everything(data)
    changed = snapshot(data)
    report = manager.restore(path, NOW + timedelta(hours=1))
    assert snapshot(data) == at_backup
    assert set(report.removed) == {"sets/2026-10.json", "preferences.json"}
    assert {"routines.json", "sets/2025-06.json", "exercises/my-press.toml"} <= set(
        report.written)
    assert not (data / STAGING_FOLDER).exists()
    assert "Restored the backup of" in report.messages()[0]
    with TinyDBSetStore(data) as store:
        assert store.count() == 30
    # The restore saved the state before it first, so it can be undone:
    assert report.undo.name.endswith("-before-restore.zip")
    assert manager.list()[0].kind == BEFORE_RESTORE
    manager.restore(report.undo, NOW + timedelta(hours=2))
    assert snapshot(data) == changed


def test_restore_keeps_a_file_the_backup_had_to_leave_out(data: Path,
                                                          manager: BackupManager) -> None:
    (data / "sets" / "2025-07.json").write_bytes(b"{")
    path = manager.back_up(NOW)
    (data / "sets" / "2025-07.json").write_bytes(b'{"sets": {}}')  # repaired since
    report = manager.restore(path, NOW + timedelta(minutes=5))
    assert (data / "sets" / "2025-07.json").read_bytes() == b'{"sets": {}}'
    assert report.left == ("sets/2025-07.json",)


def test_restore_refuses_data_from_a_newer_legcoach_and_changes_nothing(
        data: Path, manager: BackupManager) -> None:
    path = manager.back_up(NOW)
    newer = dumps_json({"sets": {"1": {"v": 2, "id": "a"}}})
    entry = manifest(path)
    import hashlib

    entry["files"]["sets/2025-06.json"]["sha256"] = hashlib.sha256(newer).hexdigest()
    rewrite_zip(path, {"sets/2025-06.json": newer, "manifest.json": dumps_json(entry)})
    change_everything(data)
    before = snapshot(data)
    with pytest.raises(BackupError, match="newer legcoach"):
        manager.restore(path, NOW)
    assert snapshot(data) == before
    assert len(manager.list()) == 1  # not even the undo backup was made


def test_restore_refuses_a_damaged_backup_and_changes_nothing(data: Path,
                                                              manager: BackupManager) -> None:
    path = manager.back_up(NOW)
    rewrite_zip(path, {"routines.json": b'{"v": 1}'})
    change_everything(data)
    before = snapshot(data)
    with pytest.raises(BackupError, match="checksum"):
        manager.restore(path, NOW)
    assert snapshot(data) == before


class Crash(Exception):
    """Stands for the power going off mid-restore."""


def crash_after(monkeypatch: pytest.MonkeyPatch, steps: int) -> None:
    """Let `steps` file swaps of a restore happen, then crash on the next one."""
    swap = backups._swap
    done = 0

    def counted(source: Path | None, target: Path) -> None:
        nonlocal done
        if done == steps:
            raise Crash(f"crash after {steps} swaps")
        done += 1
        swap(source, target)

    monkeypatch.setattr(backups, "_swap", counted)


def changed_after_backup(root: Path) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """(backup, state in it, state now): the folder changed in every way after the backup."""
    manager = BackupManager(root)
    at_backup = snapshot(root)
    path = manager.back_up(NOW)
    change_everything(root)
    return path, at_backup, snapshot(root)


def swaps_in_a_restore(tmp_path: Path) -> int:
    """How many swaps restoring `changed_after_backup` takes, counted on a scratch copy."""
    root = build_data(tmp_path / "count")
    _, at_backup, now = changed_after_backup(root)
    return sum(at_backup.get(rel) != now.get(rel) for rel in {*at_backup, *now})


def assert_each_file_old_or_new(root: Path, old: dict[str, bytes], new: dict[str, bytes]
                                ) -> None:
    current = snapshot(root)
    for rel in {*old, *new, *current}:
        assert current.get(rel) in (old.get(rel), new.get(rel)), rel


def test_a_crash_mid_restore_leaves_each_file_old_or_new_and_a_second_restore_fixes_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    steps = swaps_in_a_restore(tmp_path)
    assert steps >= 5
    for k in range(steps):
        root = build_data(tmp_path / f"crash-{k}")
        path, at_backup, changed = changed_after_backup(root)
        crash_after(monkeypatch, k)
        with pytest.raises(Crash):
            BackupManager(root).restore(path, NOW + timedelta(minutes=1))
        monkeypatch.undo()
        assert_each_file_old_or_new(root, changed, at_backup)
        done = sum(snapshot(root).get(rel) == at_backup.get(rel) != changed.get(rel)
                   for rel in {*at_backup, *changed})
        assert done == k
        assert not (root / "sets" / MOVES_FILE).exists()  # the set log will check duplicates
        BackupManager(root).restore(path, NOW + timedelta(minutes=2))
        assert snapshot(root) == at_backup, k
        assert not (root / STAGING_FOLDER).exists()


def test_an_interrupted_restore_is_finished_without_overwriting_later_changes(
        data: Path, manager: BackupManager, monkeypatch: pytest.MonkeyPatch) -> None:
    path, at_backup, _ = changed_after_backup(data)
    crash_after(monkeypatch, 2)
    with pytest.raises(Crash):
        manager.restore(path, NOW + timedelta(minutes=1))
    monkeypatch.undo()
    later = dumps_json({"v": 1, "routines": [], "edited": "after the crash"})
    (data / "routines.json").write_bytes(later)  # e.g. the app ran in between
    name, _, left = backups.apply_pending_restore(data)
    assert name == path.name and left == ["routines.json"]
    assert (data / "routines.json").read_bytes() == later
    assert snapshot(data) == {**at_backup, "routines.json": later}
    assert backups.apply_pending_restore(data) == (None, [], [])


def test_a_restore_stopped_before_its_plan_changes_nothing(
        data: Path, manager: BackupManager, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _, changed = changed_after_backup(data)
    real = backups.atomic_write_bytes

    def fail_on_plan(target: Path, raw: bytes) -> None:
        if Path(target).name == backups.PLAN_FILE:
            raise Crash("crash while staging")
        real(target, raw)

    monkeypatch.setattr(backups, "atomic_write_bytes", fail_on_plan)
    with pytest.raises(Crash):
        manager.restore(path, NOW + timedelta(minutes=1))
    monkeypatch.undo()
    assert backups.apply_pending_restore(data) == (None, [], [])
    assert snapshot(data) == changed
    assert not (data / STAGING_FOLDER).exists()


# --- when to back up ---------------------------------------------------------------------------


def test_has_changes_compares_with_the_newest_backup(data: Path,
                                                     manager: BackupManager) -> None:
    assert manager.has_changes()  # no backup yet
    manager.back_up(NOW)
    assert not manager.has_changes()
    add_sets(data, [make_set(datetime(2025, 6, 30, tzinfo=UTC))])
    assert manager.has_changes()
    manager.back_up(NOW)
    (data / "exercises" / "my-press.toml").unlink()
    assert manager.has_changes()


def test_back_up_if_due_follows_the_policy_and_thins(data: Path,
                                                     manager: BackupManager) -> None:
    first = manager.back_up_if_due(NOW)
    assert first is not None
    assert manager.back_up_if_due(NOW + timedelta(hours=2)) is None  # nothing changed
    add_sets(data, [make_set(datetime(2025, 6, 30, tzinfo=UTC))])
    assert manager.back_up_if_due(NOW + timedelta(minutes=10)) is None  # < 30 minutes
    assert manager.back_up_if_due(NOW + timedelta(minutes=11), session_ended=True)
    assert not first.exists()  # the same day's older backup was thinned
    assert len(manager.list()) == 1


def test_unchanged_months_are_not_parsed_again(data: Path, manager: BackupManager,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    manager.back_up(NOW)
    add_sets(data, [make_set(datetime(2025, 6, 30, tzinfo=UTC))])
    parsed: list[bytes] = []
    real = backups.parse_bytes
    monkeypatch.setattr(backups, "parse_bytes", lambda raw: parsed.append(raw) or real(raw))
    found = manifest(manager.back_up(NOW + timedelta(hours=1)))
    month = (data / "sets" / "2025-06.json").read_bytes()
    assert month in parsed and len([raw for raw in parsed if b'"sets"' in raw]) == 1
    assert found["sets_per_month"]["2025-06"] == 4 and sum(found["sets_per_month"].values()) == 31


def test_copies_of_a_data_folder_are_independent(tmp_path: Path) -> None:
    """The crash test copies folders; make sure the helper builds distinct ones."""
    first, second = build_data(tmp_path / "a"), build_data(tmp_path / "b")
    assert snapshot(first).keys() == snapshot(second).keys()
    shutil.rmtree(first)
    assert snapshot(second)


def iter_months(root: Path) -> Iterator[str]:
    yield from sorted(p.stem for p in (root / "sets").glob("*.json"))


def test_the_test_data_spans_nine_months(data: Path) -> None:
    assert len(list(iter_months(data))) == 9
    assert read_json(data / "routines.json") == {"v": 1, "routines": []}
