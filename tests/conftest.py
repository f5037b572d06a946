"""Shared test setup: Qt offscreen, an isolated data folder per test, strict timers."""

from __future__ import annotations

import os

# Must happen before any Qt import anywhere in the test session.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Qt Multimedia probes for audio backends and logs about each missing one; those are noise here.
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia*=false;qt.speech*=false")

import pytest


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path, monkeypatch):
    """Every test gets its own empty data folder; nothing touches the real user's log."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("LEGCOACH_DATA_DIR", str(data_dir))
    return data_dir


@pytest.fixture(autouse=True)
def no_timer_left_running():
    """Fail a test that leaves one of legcoach's timers running after its widgets closed.

    Our timers are named "legcoach.*" and always parented, so they can be found from the
    application and its top-level widgets.
    """
    yield
    import sys

    if "PySide6.QtWidgets" not in sys.modules:
        return  # a pure core test: no Qt, no timers
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    owners = [app, *app.topLevelWidgets()]
    running = {
        timer.objectName()
        for owner in owners
        for timer in owner.findChildren(QTimer)
        if timer.objectName().startswith("legcoach.") and timer.isActive()
    }
    assert not running, f"timers still running after the test: {sorted(running)}"


@pytest.fixture(autouse=True)
def delete_closed_widgets():
    """Run Qt's deferred deletes after each test: closed windows really go away, so later
    tests do not restyle (and slow down on) every widget earlier tests left behind."""
    yield
    import sys

    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    for widget in app.topLevelWidgets():  # closed windows nobody owns: a test left them
        if widget.parent() is None and not widget.isVisible():
            widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
