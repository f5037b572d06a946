"""Imports point one way: ui → core, storage → core; the core imports no Qt, TinyDB or pyqtgraph."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "legcoach"
FORBIDDEN_IN_CORE = ("PySide6", "shiboken6", "pyqtgraph", "tinydb", "legcoach.ui",
                     "legcoach.storage", "legcoach.app")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules_under(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


@pytest.mark.parametrize("path", modules_under("core"), ids=lambda p: p.name)
def test_core_is_pure(path: Path) -> None:
    bad = {m for m in imported_modules(path) if m.startswith(FORBIDDEN_IN_CORE)}
    assert not bad, f"{path.name} imports {sorted(bad)}: the core must stay free of them"


@pytest.mark.parametrize("path", modules_under("storage"), ids=lambda p: p.name)
def test_storage_does_not_reach_into_the_ui(path: Path) -> None:
    bad = {m for m in imported_modules(path)
           if m.startswith(("PySide6", "pyqtgraph", "legcoach.ui", "legcoach.app"))}
    assert not bad, f"{path.name} imports {sorted(bad)}"


@pytest.mark.parametrize("path", modules_under("ui"), ids=lambda p: p.name)
def test_ui_does_not_import_tinydb_or_the_app(path: Path) -> None:
    bad = {m for m in imported_modules(path) if m.startswith(("tinydb", "legcoach.app"))}
    assert not bad, f"{path.name} imports {sorted(bad)}: go through the core's interfaces"


def test_the_architecture_check_sees_a_violation(tmp_path: Path) -> None:
    """The scanner itself must catch both import forms, or the tests above prove nothing."""
    module = tmp_path / "bad.py"
    module.write_text("import PySide6.QtCore\nfrom tinydb import TinyDB\n", encoding="utf-8")
    assert {"PySide6.QtCore", "tinydb"} <= imported_modules(module)


def test_main_py_only_calls_the_entry_point() -> None:
    source = (PACKAGE.parent / "main.py").read_text(encoding="utf-8")
    assert "from legcoach.app import main" in source
    assert len([line for line in source.splitlines() if line.strip()]) <= 8
