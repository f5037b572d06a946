"""Putting the lifter's settings into effect: the look of every screen, and the sound.

Other settings (unit, rest, countdown, gym, plates) are read where they are used; these two
change things that already exist, so they are applied here when the app starts and whenever
the settings screen changes them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication

from legcoach.core.settings import Settings
from legcoach.ui.themes import Palette, apply_look


def apply_settings_look(settings: Settings, app: QApplication | None = None) -> Palette:
    """Colours and text size from the settings, on the whole application."""
    application = app or QApplication.instance()
    assert isinstance(application, QApplication), "a QApplication must exist"
    return apply_look(application, settings.theme, settings.text_scale)


def sound_preferences(settings: Settings) -> dict[str, Any]:
    """The settings in the shape the set screen's sound buttons load and emit."""
    return {"muted": not settings.sound_on, "voice": settings.voice_on,
            "volume": settings.volume}
