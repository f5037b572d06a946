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
def window(qtbot, qapp, library, clock, sound):
    from legcoach.ui.main_window import MainWindow
    from legcoach.ui.theme import apply_theme

    apply_theme(qapp)
    main = MainWindow(library, clock, sound)
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    qtbot.waitExposed(main)
    return main
