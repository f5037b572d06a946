"""Sound, voice and volume, one tap each, on the set screen where they are needed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from legcoach.ui.sound import SoundOutput
from legcoach.ui.widgets import button, label

VOLUME_STEP = 0.1
CONTROL_HEIGHT = 52


class SoundControls(QWidget):
    """Mute, voice on/off, volume −/+; emits `changed(preferences)` to be saved."""

    changed = Signal(dict)

    def __init__(self, sound: SoundOutput, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sound = sound
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.sound_button = button("", accessible="Sound on or off", min_height=CONTROL_HEIGHT)
        self.voice_button = button("", accessible="Spoken cues on or off",
                                   min_height=CONTROL_HEIGHT)
        self.quieter = button("−", accessible="Quieter", min_height=CONTROL_HEIGHT)
        self.volume_label = label("", "dim")
        self.volume_label.setAccessibleName("Volume")
        self.louder = button("+", accessible="Louder", min_height=CONTROL_HEIGHT)
        for widget in (self.sound_button, self.voice_button):
            widget.setCheckable(True)
        for widget in (self.sound_button, self.voice_button, self.quieter, self.volume_label,
                       self.louder):
            layout.addWidget(widget)
        self.sound_button.clicked.connect(lambda on: self._apply(muted=not on))
        self.voice_button.clicked.connect(lambda on: self._apply(voice=on))
        self.quieter.clicked.connect(lambda: self._apply(volume=self.sound.volume - VOLUME_STEP))
        self.louder.clicked.connect(lambda: self._apply(volume=self.sound.volume + VOLUME_STEP))
        self._render()

    def preferences(self) -> dict[str, Any]:
        return {"volume": round(self.sound.volume, 2), "muted": self.sound.muted,
                "voice": self.sound.voice_enabled}

    def load(self, preferences: Mapping[str, Any] | None) -> None:
        """Apply saved preferences; unknown or bad values keep the current ones."""
        prefs = preferences or {}
        volume, muted, voice = prefs.get("volume"), prefs.get("muted"), prefs.get("voice")
        if isinstance(volume, int | float) and not isinstance(volume, bool):
            self.sound.set_volume(float(volume))
        if isinstance(muted, bool):
            self.sound.set_muted(muted)
        if isinstance(voice, bool):
            self.sound.set_voice_enabled(voice)
        self._render()

    def _apply(self, *, muted: bool | None = None, voice: bool | None = None,
               volume: float | None = None) -> None:
        if muted is not None:
            self.sound.set_muted(muted)
        if voice is not None:
            self.sound.set_voice_enabled(voice)
        if volume is not None:
            self.sound.set_volume(min(1.0, max(0.0, volume)))
        self._render()
        self.changed.emit(self.preferences())

    def _render(self) -> None:
        muted = self.sound.muted
        self.sound_button.setChecked(not muted)
        self.sound_button.setText("Sound: off" if muted else "Sound: on")
        self.voice_button.setChecked(self.sound.voice_enabled)
        self.voice_button.setText("Voice: on" if self.sound.voice_enabled else "Voice: off")
        self.volume_label.setText(f"Volume {round(self.sound.volume * 100)}%")
        for widget in (self.quieter, self.louder, self.voice_button):
            widget.setEnabled(not muted)
