"""Audible cues: preloaded tones and optional spoken words, degrading to on-screen only.

A lifter under a loaded sled can't look at the screen, so tones must play the instant a cue
fires: every tone is decoded into a QSoundEffect when the player is built, and play() only
starts it. Sound is a nice-to-have, though: a machine without a sound device or a speech engine
must still run the session, so every failure here becomes a friendly notice for the window
(once per kind of problem) and a silent no-op, never an exception, a block or a crash.

Qt Multimedia and Qt TextToSpeech are imported lazily, inside CuePlayer: merely importing
QtMultimedia probes for PipeWire, VA-API and FFmpeg (and logs about each), which `--no-sound`
(NullPlayer) and the non-audio tests should not pay for.
"""

from __future__ import annotations

import logging
import math
from enum import Enum, StrEnum, auto
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtCore import QObject, Qt, QUrl, Signal, SignalInstance

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QAudioDevice, QSoundEffect
    from PySide6.QtTextToSpeech import QTextToSpeech

logger = logging.getLogger(__name__)

NO_DEVICE_NOTICE = "No sound device found: cues are shown on screen only."
TONES_FAILED_NOTICE = "Sound cues could not be loaded: they are shown on screen only."
SOME_TONES_FAILED_NOTICE = "Some sound cues could not be loaded: those are shown on screen only."
NO_VOICE_NOTICE = (
    "Spoken cues are unavailable on this system (no working speech engine was found): "
    "cues are still shown on screen."
)
VOICE_FAILED_NOTICE = (
    "Spoken cues are unavailable on this system (the speech engine stopped working): "
    "cues are still shown on screen."
)

# Qt's test engine: fine for exercising the voice path, but it speaks nothing, so a real
# session must never end up with it.
MOCK_ENGINE = "mock"


class Tone(StrEnum):
    """The cue tones; each value is the stem of its WAV file in the tones folder."""

    LOWER = "lower"
    PUSH = "push"
    HOLD = "hold"
    TICK = "tick"
    GO = "go"
    SWITCH = "switch"
    SET_END = "set_end"
    REST_WARNING = "rest_warning"
    REST_END = "rest_end"


@runtime_checkable
class SoundOutput(Protocol):
    """What the session screens need from a sound player, real (CuePlayer) or silent."""

    @property
    def notice(self) -> SignalInstance:
        """Signal(str): a message for the lifter about a sound problem, once per kind."""
        ...

    @property
    def audio_available(self) -> bool: ...

    @property
    def voice_available(self) -> bool: ...

    @property
    def volume(self) -> float: ...

    @property
    def muted(self) -> bool: ...

    @property
    def voice_enabled(self) -> bool: ...

    def play(self, tone: Tone) -> None: ...

    def say(self, text: str) -> None: ...

    def set_volume(self, volume: float) -> None: ...

    def set_muted(self, muted: bool) -> None: ...

    def set_voice_enabled(self, enabled: bool) -> None: ...

    def notices(self) -> list[str]: ...


def _clamped_volume(value: float, current: float) -> float:
    """Clamp to 0..1; NaN (e.g. from a broken settings file) keeps the current volume."""
    value = float(value)
    if math.isnan(value):
        return current
    return min(1.0, max(0.0, value))


def _default_output() -> QAudioDevice | None:
    """The output tones should play on, None without any (a seam the tests replace)."""
    from PySide6.QtMultimedia import QMediaDevices

    outputs = QMediaDevices.audioOutputs()
    if not outputs:
        return None
    device = QMediaDevices.defaultAudioOutput()
    return outputs[0] if device.isNull() else device


def _perceptual_to_linear(volume: float) -> float:
    """Map a 0..1 loudness (slider) value to the linear gain QSoundEffect expects."""
    from PySide6.QtMultimedia import QtAudio

    scale = QtAudio.VolumeScale
    return float(
        QtAudio.convertVolume(volume, scale.LogarithmicVolumeScale, scale.LinearVolumeScale)
    )


def _speech_engines() -> list[str]:
    """Installed text-to-speech plug-ins (a seam the tests replace)."""
    from PySide6.QtTextToSpeech import QTextToSpeech

    return list(QTextToSpeech.availableEngines())


class _Problem(Enum):
    """Kinds of sound problem; each is announced to the lifter at most once."""

    NO_DEVICE = auto()
    TONES = auto()
    VOICE = auto()


class NullPlayer(QObject):
    """A silent player for tests and `--no-sound`: same interface, no Qt Multimedia at all."""

    notice = Signal(str)

    def __init__(self, parent: QObject | None) -> None:
        super().__init__(parent)
        self._volume = 1.0
        self._muted = False
        self._voice_enabled = False

    @property
    def audio_available(self) -> bool:
        """Always False: nothing is ever played."""
        return False

    @property
    def voice_available(self) -> bool:
        """Always False: nothing is ever spoken."""
        return False

    @property
    def volume(self) -> float:
        return self._volume

    @property
    def muted(self) -> bool:
        return self._muted

    @property
    def voice_enabled(self) -> bool:
        return self._voice_enabled

    def play(self, tone: Tone) -> None:
        """Do nothing."""

    def say(self, text: str) -> None:
        """Do nothing."""

    def set_volume(self, volume: float) -> None:
        """Remember the clamped volume so settings round-trip as with a real player."""
        self._volume = _clamped_volume(volume, self._volume)

    def set_muted(self, muted: bool) -> None:
        self._muted = muted

    def set_voice_enabled(self, enabled: bool) -> None:
        self._voice_enabled = enabled

    def notices(self) -> list[str]:
        """No notices: the user asked for silence, there is nothing to apologise for."""
        return []


class CuePlayer(QObject):
    """Plays the cue tones (preloaded) and optional spoken cues, or degrades with a notice.

    Notices are emitted through a queued connection, i.e. on the next pass of the event loop,
    so a window that connects to `notice` right after building the player still hears about
    problems found during construction. `notices()` lists the problems already announced that
    still apply, so a window created later can show them too without showing any twice.
    """

    notice = Signal(str)
    _notices_pending = Signal()

    def __init__(self, parent: QObject | None, tones_dir: Path, *, engine: str | None = None):
        """`engine` forces one text-to-speech plug-in (tests use "mock"); None picks a real one."""
        super().__init__(parent)
        from PySide6.QtMultimedia import QMediaDevices

        self._tones_dir = Path(tones_dir)
        self._engine = engine
        self._volume = 1.0
        self._muted = False
        self._voice_enabled = False

        self._messages: dict[_Problem, str] = {}  # current problems -> text for the lifter
        self._announced: set[_Problem] = set()  # kinds already emitted (never emitted again)
        self._queued: list[_Problem] = []
        self._notices_pending.connect(self._emit_notices, Qt.ConnectionType.QueuedConnection)

        self._effects: dict[Tone, QSoundEffect] = {}
        self._missing: set[Tone] = set()  # tones whose WAV file isn't there
        self._device_id: bytes | None = None  # the output the effects were built for

        self._tts: QTextToSpeech | None = None
        self._speech_probed = False
        self._speech_ok = False

        # Follow hot-plugging (e.g. Bluetooth speakers paired mid-session).
        self._media_devices = QMediaDevices(self)
        self._media_devices.audioOutputsChanged.connect(self._refresh_device)
        self._refresh_device()

    # -- state ---------------------------------------------------------------------------

    @property
    def audio_available(self) -> bool:
        """True while there is an output device and at least one tone that can play."""
        return self._device_id is not None and len(self._broken_tones()) < len(Tone)

    @property
    def voice_available(self) -> bool:
        """True once voice is enabled and a working speech engine is up (False before)."""
        return self._tts is not None and self._speech_ok

    @property
    def volume(self) -> float:
        return self._volume

    @property
    def muted(self) -> bool:
        return self._muted

    @property
    def voice_enabled(self) -> bool:
        return self._voice_enabled

    def notices(self) -> list[str]:
        """Announced problems that still apply, for a window created after they were emitted."""
        return [text for kind, text in self._messages.items() if kind in self._announced]

    # -- controls ------------------------------------------------------------------------

    def play(self, tone: Tone) -> None:
        """Start a preloaded tone; a silent no-op when muted or the tone can't play."""
        if self._muted:
            return
        effect = self._effects.get(tone)
        if effect is None or effect.status() is effect.Status.Error:
            return
        effect.play()

    def say(self, text: str) -> None:
        """Speak a short cue without waiting; newer cues cut off stale ones (QTextToSpeech.say)."""
        tts = self._tts
        if self._muted or not self._voice_enabled or tts is None or not self._speech_ok:
            return
        if not text.strip():
            return
        if tts.state() is tts.State.Error:
            self._speech_failed(tts.errorString())
            return
        tts.say(text)

    def set_volume(self, volume: float) -> None:
        """Set loudness 0..1 (clamped) on a perceptual scale, so 0.5 sounds about half as loud."""
        self._volume = _clamped_volume(volume, self._volume)
        linear = _perceptual_to_linear(self._volume)
        for effect in self._effects.values():
            effect.setVolume(linear)
        if self._tts is not None:
            self._tts.setVolume(self._volume)

    def set_muted(self, muted: bool) -> None:
        """Silence tones and voice at once, cutting off anything still sounding."""
        self._muted = muted
        if not muted:
            return
        for effect in self._effects.values():
            if effect.isPlaying():
                effect.stop()
        if self._tts is not None and self._speech_ok:
            self._tts.stop()

    def set_voice_enabled(self, enabled: bool) -> None:
        """Turn spoken cues on or off; the speech engine is only started the first time.

        Starting an engine can take a moment (speech-dispatcher may be spawned), which is why
        it happens here, when the lifter flips the setting, and never at cue time. A failed
        start is not retried, so a broken engine doesn't log on every toggle.
        """
        self._voice_enabled = enabled
        if enabled and not self._speech_probed:
            self._start_speech()
        elif not enabled and self._tts is not None and self._speech_ok:
            self._tts.stop()

    # -- tones ---------------------------------------------------------------------------

    def _refresh_device(self) -> None:
        """(Re)build the effects for the current default output, or report that there is none.

        Without an output device no QSoundEffect is created at all: loading one would only
        fail (with a Qt warning) and play() has nothing to play on.
        """
        device = _default_output()
        if device is None:
            logger.info("no audio output device: tones are disabled")
            self._drop_effects()
            self._device_id = None
            self._resolve(_Problem.TONES)
            self._report(_Problem.NO_DEVICE, NO_DEVICE_NOTICE)
            return
        self._resolve(_Problem.NO_DEVICE)
        device_id = bytes(device.id().data())
        if device_id == self._device_id:
            return  # the list changed but our output is still the default: keep the effects
        self._drop_effects()
        self._device_id = device_id
        self._load_effects(device)

    def _load_effects(self, device: QAudioDevice) -> None:
        """Preload one QSoundEffect per tone so that play() costs nothing at cue time."""
        from PySide6.QtMultimedia import QSoundEffect

        linear = _perceptual_to_linear(self._volume)
        for tone in Tone:
            path = self._tones_dir / f"{tone.value}.wav"
            if not path.is_file():
                logger.warning("tone file missing: %s", path)
                self._missing.add(tone)
                continue
            effect = QSoundEffect(device, self)
            effect.setVolume(linear)
            effect.statusChanged.connect(partial(self._on_effect_status, tone))
            effect.setSource(QUrl.fromLocalFile(str(path)))
            self._effects[tone] = effect
        self._check_tones()

    def _drop_effects(self) -> None:
        for effect in self._effects.values():
            effect.stop()
            effect.deleteLater()
        self._effects.clear()
        self._missing.clear()

    def _on_effect_status(self, tone: Tone) -> None:
        effect = self._effects.get(tone)
        if effect is None:
            return  # a late signal from an effect dropped after a device change
        if effect.status() is effect.Status.Error:
            logger.warning("tone %s could not be loaded from %s", tone.value, effect.source())
        self._check_tones()

    def _broken_tones(self) -> set[Tone]:
        """Tones that can't play: file missing, or QSoundEffect in Error.

        Read live rather than tracked from statusChanged: the status is updated by Qt's loader
        before the (queued) signal arrives, so tracking would lag behind.
        """
        errored = {t for t, e in self._effects.items() if e.status() is e.Status.Error}
        return self._missing | errored

    def _check_tones(self) -> None:
        """Once every effect has finished loading, report tones that can't play (if any)."""
        if any(
            effect.status() not in (effect.Status.Ready, effect.Status.Error)
            for effect in self._effects.values()
        ):
            return
        broken = self._broken_tones()
        if len(broken) == len(Tone):
            self._report(_Problem.TONES, TONES_FAILED_NOTICE)
        elif broken:
            self._report(_Problem.TONES, SOME_TONES_FAILED_NOTICE)
        else:
            self._resolve(_Problem.TONES)

    # -- speech --------------------------------------------------------------------------

    def _start_speech(self) -> None:
        """Create the speech engine: the injected one, else the first real engine that starts."""
        from PySide6.QtTextToSpeech import QTextToSpeech

        self._speech_probed = True
        installed = _speech_engines()
        if self._engine is not None:
            candidates = [self._engine]
        else:
            candidates = [name for name in installed if name != MOCK_ENGINE]
        for name in candidates:
            if name not in installed:
                # Asking Qt for it anyway would only log a critical "not supported".
                logger.warning("text-to-speech engine %r is not installed", name)
                continue
            tts = QTextToSpeech(name, self)
            if tts.state() is QTextToSpeech.State.Error:
                logger.warning("text-to-speech engine %r failed: %s", name, tts.errorString())
                tts.deleteLater()
                continue
            tts.stateChanged.connect(self._on_speech_state)
            tts.errorOccurred.connect(self._on_speech_error)
            tts.setVolume(self._volume)
            self._tts = tts
            self._speech_ok = True
            return
        self._report(_Problem.VOICE, NO_VOICE_NOTICE)

    def _on_speech_state(self, state: QTextToSpeech.State) -> None:
        if self._tts is None:
            return
        if state is self._tts.State.Error:
            self._speech_failed(self._tts.errorString())
        elif not self._speech_ok:
            logger.info("text-to-speech engine recovered")
            self._speech_ok = True
            self._resolve(_Problem.VOICE)

    def _on_speech_error(self, reason: QTextToSpeech.ErrorReason, message: str) -> None:
        if self._tts is not None and reason is not self._tts.ErrorReason.NoError:
            self._speech_failed(message)

    def _speech_failed(self, detail: str) -> None:
        if self._speech_ok:
            logger.warning("text-to-speech engine failed: %s", detail)
        self._speech_ok = False
        self._report(_Problem.VOICE, VOICE_FAILED_NOTICE)

    # -- notices -------------------------------------------------------------------------

    def _report(self, kind: _Problem, text: str) -> None:
        """Mark a problem current; announce it on the next event-loop pass if never announced."""
        self._messages[kind] = text
        if kind in self._announced or kind in self._queued:
            return
        self._queued.append(kind)
        self._notices_pending.emit()

    def _resolve(self, kind: _Problem) -> None:
        """The problem went away (device plugged in, engine recovered): stop listing it."""
        self._messages.pop(kind, None)

    def _emit_notices(self) -> None:
        queued, self._queued = self._queued, []
        for kind in queued:
            text = self._messages.get(kind)
            if text is None:
                continue  # resolved before anyone heard of it: it may still be announced later
            self._announced.add(kind)
            self.notice.emit(text)
