"""Small JSON documents: one contract for both stores, atomic saves, damaged files set aside."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from legcoach.core.documents import (
    DocumentStore,
    InMemoryDocumentStore,
    Migrator,
    NewerDocumentError,
    check_document_name,
)
from legcoach.core.library import load_library
from legcoach.core.routine import DOCUMENT, RoutineBook
from legcoach.paths import builtin_exercises_dir
from legcoach.storage.json_documents import JsonDocumentStore

MOMENT = datetime(2025, 6, 1, 10, 30, 5, tzinfo=UTC)
DATA: dict[str, Any] = {"v": 1, "routines": [{"name": "Légs – heavy", "sets": [3, 4]}],
                        "nothing": None, "ratio": 0.5, "on": True}


def json_store(folder: Path) -> JsonDocumentStore:
    return JsonDocumentStore(folder, now=lambda: MOMENT)


@pytest.fixture(params=["memory", "json"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> DocumentStore:
    """Both implementations, so the in-memory one used by other tests behaves like the disk."""
    if request.param == "memory":
        return InMemoryDocumentStore()
    return json_store(tmp_path / "documents")


# --- the contract ---------------------------------------------------------------------------


def test_save_then_load_round_trips(store: DocumentStore) -> None:
    assert store.load("routines") is None
    store.save("routines", DATA)
    assert store.load("routines") == DATA
    store.save("routines", {"v": 1})
    assert store.load("routines") == {"v": 1}
    assert store.problems() == []


def test_documents_are_independent_copies(store: DocumentStore) -> None:
    data = {"v": 1, "items": [1, 2]}
    store.save("machine_settings", data)
    data["items"].append(3)
    loaded = store.load("machine_settings")
    assert loaded == {"v": 1, "items": [1, 2]}
    loaded["items"].append(4)
    assert store.load("machine_settings") == {"v": 1, "items": [1, 2]}


@pytest.mark.parametrize("name", ["", "Routines", "../routines", "a.b", "a/b", "sé", "a b",
                                  "x" * 65, None, "routines\n"])
def test_names_are_checked(store: DocumentStore, name: Any) -> None:
    with pytest.raises(ValueError, match="document name"):
        store.save(name, {"v": 1})
    with pytest.raises(ValueError, match="document name"):
        store.load(name)


def test_valid_names() -> None:
    for name in ("routines", "session-in-progress", "machine_settings", "a", "x" * 64, "0"):
        assert check_document_name(name) == name


@pytest.mark.parametrize(("data", "error"), [
    ([1, 2], TypeError), ("text", TypeError), ({"v": float("nan")}, ValueError),
    ({"v": object()}, TypeError),
])
def test_what_json_cannot_hold_is_refused_and_the_old_version_kept(
    store: DocumentStore, data: Any, error: type[Exception]
) -> None:
    store.save("routines", {"v": 1})
    with pytest.raises(error):
        store.save("routines", data)
    assert store.load("routines") == {"v": 1}


# --- on disk --------------------------------------------------------------------------------


def test_one_file_per_document(tmp_path: Path) -> None:
    store = json_store(tmp_path / "nested" / "documents")
    store.save("routines", {"v": 1, "b": 2, "a": "ü"})
    store.save("session", {"v": 1})
    assert sorted(p.name for p in store.folder.iterdir()) == ["routines.json", "session.json"]
    assert store.path("routines").read_bytes() == '{"a":"ü","b":2,"v":1}'.encode()


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_failed_save_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    store = json_store(tmp_path)
    store.save("routines", {"v": 1, "old": True})
    before = store.path("routines").read_bytes()

    def disk_full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, failing, disk_full)
    with pytest.raises(OSError, match="No space"):
        store.save("routines", {"v": 1, "new": True})
    monkeypatch.undo()
    assert store.path("routines").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["routines.json"]
    assert store.load("routines") == {"v": 1, "old": True}


def test_stale_temp_files_from_a_crash_are_removed_on_start(tmp_path: Path) -> None:
    (tmp_path / ".routines.json.abc123xy.tmp").write_bytes(b'{"half')
    (tmp_path / "routines.json").write_bytes(b'{"v":1}')
    store = json_store(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["routines.json"]
    assert store.load("routines") == {"v": 1}


@pytest.mark.parametrize(("content", "why"), [
    (b'{"v": 1, "routines": [', "not valid JSON: Expecting value at line 1, column 23"),
    (b"", "not valid JSON: Expecting value at line 1, column 1"),
    (b"\xff\xfe{}", "not UTF-8 text"),
    (b"[1, 2]", "it holds a list instead of a JSON object"),
    (b'"routines"', "it holds text instead of a JSON object"),
    (b"null", "it holds null instead of a JSON object"),
])
def test_a_damaged_file_is_moved_aside_never_deleted(
    tmp_path: Path, content: bytes, why: str
) -> None:
    store = json_store(tmp_path)
    store.path("routines").write_bytes(content)
    assert store.load("routines") is None
    aside = tmp_path / "routines.corrupt-20250601T103005Z.json"
    assert aside.read_bytes() == content
    assert not store.path("routines").exists()
    assert store.problems() == [
        f"routines.json could not be read ({why}). It was moved to {aside} so nothing is lost, "
        "and legcoach started this part fresh."
    ]
    store.save("routines", {"v": 1})  # starting fresh does not touch the damaged copy
    assert store.load("routines") == {"v": 1} and aside.read_bytes() == content


def test_an_unreadable_file_is_moved_aside(tmp_path: Path) -> None:
    store = json_store(tmp_path)
    store.path("routines").mkdir()  # reading a folder fails with an OSError
    assert store.load("routines") is None
    assert (tmp_path / "routines.corrupt-20250601T103005Z.json").is_dir()
    assert "could not be read" in store.problems()[0]


def test_two_damaged_copies_in_the_same_second_are_both_kept(tmp_path: Path) -> None:
    store = json_store(tmp_path)
    for content in (b"{first", b"{second"):
        store.path("routines").write_bytes(content)
        assert store.load("routines") is None
    assert (tmp_path / "routines.corrupt-20250601T103005Z.json").read_bytes() == b"{first"
    assert (tmp_path / "routines.corrupt-20250601T103005Z-2.json").read_bytes() == b"{second"
    assert len(store.problems()) == 2


def test_if_the_damaged_file_cannot_be_moved_load_fails_and_keeps_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Returning None would let the next save overwrite the only copy."""
    store = json_store(tmp_path)
    store.path("routines").write_bytes(b"{broken")

    def refuse(*args: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="could not be moved aside"):
        store.load("routines")
    assert store.path("routines").read_bytes() == b"{broken"


def test_the_timestamp_is_utc(tmp_path: Path) -> None:
    from datetime import timedelta, timezone

    local = MOMENT.astimezone(timezone(timedelta(hours=2)))
    store = JsonDocumentStore(tmp_path, now=lambda: local)
    store.path("routines").write_bytes(b"{")
    store.load("routines")
    assert (tmp_path / "routines.corrupt-20250601T103005Z.json").exists()


# --- versions, handled by the caller --------------------------------------------------------


def test_a_newer_version_is_returned_as_is_and_the_caller_refuses_it(tmp_path: Path) -> None:
    store = json_store(tmp_path)
    newer = {"v": 7, "routines": {"layout": "from the future"}}
    store.save(DOCUMENT, newer)
    before = store.path(DOCUMENT).read_bytes()
    assert store.load(DOCUMENT) == newer and store.problems() == []
    with pytest.raises(NewerDocumentError, match="Update legcoach"):
        RoutineBook.open(store, load_library(builtin_exercises_dir()))
    assert store.path(DOCUMENT).read_bytes() == before


def test_the_routine_book_lives_in_routines_json(tmp_path: Path) -> None:
    library = load_library(builtin_exercises_dir())
    book = RoutineBook.open(json_store(tmp_path), library)
    mine = book.create("Heavy day")
    assert [p.name for p in tmp_path.iterdir()] == ["routines.json"]
    assert RoutineBook.open(json_store(tmp_path), library).get(mine.id) == mine


def test_migrator_steps_run_in_order_and_never_change_the_input() -> None:
    migrator = Migrator("settings", 2)
    calls: list[int] = []

    def step(version: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
        def upgrade(data: dict[str, Any]) -> dict[str, Any]:
            calls.append(version)
            data["trail"].append(version)
            return data
        return upgrade

    migrator.register(1)(step(1))
    migrator.register(0)(step(0))
    raw = {"v": 0, "trail": []}
    assert migrator.migrate(raw) == {"v": 2, "trail": [0, 1]}
    assert raw == {"v": 0, "trail": []} and calls == [0, 1]
    assert migrator.migrate({"v": 2, "x": 1}) == {"v": 2, "x": 1}
    with pytest.raises(NewerDocumentError) as caught:
        migrator.migrate({"v": 3})
    assert (caught.value.version, caught.value.known) == (3, 2)
    for bad in ({"v": True}, {"v": -1}, {}, [1]):
        with pytest.raises(ValueError, match="settings"):
            migrator.migrate(bad)  # type: ignore[arg-type]
