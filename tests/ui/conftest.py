"""Fixtures for widget tests: the real built-in library and a themed main window."""

from __future__ import annotations

import pytest

from legcoach.core.library import load_library
from legcoach.paths import builtin_exercises_dir


@pytest.fixture(scope="session")
def library():
    return load_library(builtin_exercises_dir())


@pytest.fixture
def clock():
    from legcoach.core.clock import FakeClock

    return FakeClock()


@pytest.fixture
def sound(qapp):
    from legcoach.ui.sound import NullPlayer

    player = NullPlayer(qapp)
    yield player
    player.deleteLater()


@pytest.fixture
def wall():
    """The UTC wall clock the workspace reads (dates of sets); tests move it by hand."""
    from datetime import UTC, datetime

    from legcoach.core.clock import FakeWallClock

    return FakeWallClock(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))


@pytest.fixture
def documents():
    from legcoach.core.documents import InMemoryDocumentStore

    return InMemoryDocumentStore()


@pytest.fixture
def set_store():
    from legcoach.core.setstore import InMemorySetStore

    return InMemorySetStore()


@pytest.fixture
def workspace(library, documents, set_store, wall):
    from legcoach.core.undo import SetLogEditor
    from legcoach.core.workspace import Workspace

    return Workspace(library=library, sets=SetLogEditor(set_store, now=wall),
                     documents=documents, now=wall)


@pytest.fixture
def window(qtbot, qapp, workspace, clock, sound):
    from legcoach.ui.main_window import MainWindow
    from legcoach.ui.theme import apply_theme

    apply_theme(qapp)
    main = MainWindow(workspace, clock, sound)
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    qtbot.waitExposed(main)
    return main
