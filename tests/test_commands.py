"""`legcoach import` / `legcoach export` from the command line, on a real data folder."""

from __future__ import annotations

import io
from pathlib import Path

from legcoach.app import main
from legcoach.commands import main as command_main
from legcoach.instance_lock import DataFolderLock
from legcoach.storage.tinydb_store import TinyDBSetStore

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return command_main(list(argv), out=out), out.getvalue()


def stored(folder: Path) -> list:
    store = TinyDBSetStore(folder)
    try:
        return store.query()
    finally:
        store.close()


def test_import_previews_adds_and_is_idempotent(tmp_path) -> None:
    data = str(tmp_path)
    code, text = run("import", str(FIXTURES / "hevy_kg.csv"), "--dry-run", "--data-dir", data)
    assert code == 0
    assert "Format: Hevy" in text
    assert "Leg Press (Machine) (9 sets) → leg-press" in text
    assert "Dry run: nothing was added." in text
    assert stored(tmp_path) == []
    code, text = run("import", str(FIXTURES / "hevy_kg.csv"), "--data-dir", data)
    assert code == 0
    assert text.endswith("Added 24 sets (0 were already in the log).\n")
    assert {r.source for r in stored(tmp_path)} == {"hevy"}
    code, text = run("import", str(FIXTURES / "hevy_kg.csv"), "--data-dir", data)
    assert text.endswith("Added 0 sets (24 were already in the log).\n")
    assert len(stored(tmp_path)) == 24


def test_a_malformed_file_names_the_line_and_changes_nothing(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.csv"
    lines = (FIXTURES / "hevy_kg.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",", ";")  # a row with the wrong number of cells
    bad.write_text("\n".join(lines), encoding="utf-8")
    code, _ = run("import", str(bad), "--data-dir", str(tmp_path / "data"))
    assert code == 2
    assert "Line 4" in capsys.readouterr().err
    assert stored(tmp_path / "data") == []


def test_import_waits_for_the_running_app(tmp_path, capsys) -> None:
    lock = DataFolderLock(tmp_path)
    assert lock.acquire()
    try:
        code, _ = run("import", str(FIXTURES / "hevy_kg.csv"), "--data-dir", str(tmp_path))
    finally:
        lock.release()
    assert code == 3
    assert "already open on this data folder" in capsys.readouterr().err
    assert stored(tmp_path) == []


def test_export_then_import_into_an_empty_folder_gives_the_same_log(tmp_path) -> None:
    source, target = tmp_path / "source", tmp_path / "target"
    run("import", str(FIXTURES / "strong_header_kg.csv"), "--data-dir", str(source))
    original = stored(source)
    assert original
    code, text = run("export", str(tmp_path / "log.csv"), "--data-dir", str(source))
    assert code == 0
    assert text.startswith(f"Wrote {len(original)} sets")
    code, _ = run("import", str(tmp_path / "log.csv"), "--data-dir", str(target))
    assert code == 0
    assert stored(target) == original
    assert main(["export", str(tmp_path / "all.json"), "--data-dir", str(source)]) == 0
    assert '"format": "legcoach-backup"' in (tmp_path / "all.json").read_text()
