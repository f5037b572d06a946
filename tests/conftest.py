"""Shared test setup: Qt offscreen, an isolated data folder per test, strict timers."""

from __future__ import annotations

import os

# Must happen before any Qt import anywhere in the test session.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Qt Multimedia probes for audio backends and logs about each missing one; those are noise here.
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia*=false;qt.speech*=false")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path, monkeypatch):
    """Every test gets its own empty data folder; nothing touches the real user's log."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("LEGCOACH_DATA_DIR", str(data_dir))
    return data_dir
