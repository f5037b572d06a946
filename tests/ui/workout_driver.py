"""The autopilot with a user's hands: every button is pressed with a real mouse click."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from legcoach.ui.autopilot import Autopilot


def click(button) -> None:
    assert button.isVisible(), f"{button.text()!r} is not on screen"
    assert button.isEnabled(), f"{button.text()!r} is disabled"
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def pilot(window, clock, wall) -> Autopilot:
    return Autopilot(window, clock, wall, press=click)
