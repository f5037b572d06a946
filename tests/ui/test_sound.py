"""The cue tones on disk and the sound player's graceful degradation.

This test machine has no sound card and no speech daemon, which is exactly the situation the
player must survive: tests that need "no device" use the real detection where they can and skip
on a machine that does have sound. Qt's 'mock' speech engine exercises the voice path.
"""

from __future__ import annotations

import ctypes.util
import importlib.util
import itertools
import math
import struct
import subprocess
import sys
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
import shiboken6
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtMultimedia import QAudioDevice, QMediaDevices, QSoundEffect
from PySide6.QtTextToSpeech import QTextToSpeech

from legcoach.ui import sound as sound_module
from legcoach.ui.sound import (
    NO_DEVICE_NOTICE,
    NO_VOICE_NOTICE,
    TONES_FAILED_NOTICE,
    VOICE_FAILED_NOTICE,
    CuePlayer,
    NullPlayer,
    SoundOutput,
    Tone,
)

ROOT = Path(__file__).resolve().parents[2]
TONES_DIR = ROOT / "assets" / "tones"
MAKE_TONES = ROOT / "assets" / "make_tones.py"
RATE = 44_100

# Intended length of each tone in milliseconds (min, max): short cues must not lag the rep.
DURATION_MS = {
    Tone.LOWER: (230, 270),
    Tone.PUSH: (180, 220),
    Tone.HOLD: (100, 140),
    Tone.TICK: (40, 80),
    Tone.GO: (200, 400),
    Tone.SWITCH: (300, 450),
    Tone.SET_END: (450, 800),
    Tone.REST_WARNING: (200, 400),
    Tone.REST_END: (900, 1500),
}

# A (pretend) device on which QSoundEffect can't load anything logs this; expected there only.
NULL_DEVICE_WARNING = r"^QSoundEffect: playback of this format is not supported"

READY = QTextToSpeech.State.Ready
SPEAKING = QTextToSpeech.State.Speaking


class Wav(NamedTuple):
    channels: int
    sample_width: int
    rate: int
    compression: str
    samples: list[int]


def read_wav(path: Path) -> Wav:
    with wave.open(str(path), "rb") as wav:
        params = wav.getparams()
        frames = wav.readframes(params.nframes)
    samples = list(struct.unpack(f"<{len(frames) // 2}h", frames))
    return Wav(params.nchannels, params.sampwidth, params.framerate, params.comptype, samples)


def zero_crossing_rate(samples: list[int]) -> float:
    """Crossings per sample: proportional to pitch for a fixed waveform shape."""
    crossings = sum(1 for a, b in itertools.pairwise(samples) if (a < 0) != (b < 0))
    return crossings / len(samples)


def machine_has_audio_output() -> bool:
    return bool(QMediaDevices.audioOutputs())


@pytest.fixture
def owner(qtbot) -> Iterator[QObject]:
    """The parent of the player under test, destroyed (with all its children) afterwards."""
    parent = QObject()
    yield parent
    shiboken6.delete(parent)


@pytest.fixture
def null_device(monkeypatch) -> None:
    """Pretend an output exists, but hand Qt a null device that can't play anything."""
    if machine_has_audio_output():
        pytest.skip("a real output device would load the tones fine")
    monkeypatch.setattr(sound_module, "_default_output", QAudioDevice)


def settle() -> None:
    """Deliver queued events (such as queued notices) without sleeping."""
    QCoreApplication.processEvents()


# -- the WAV files ---------------------------------------------------------------------------


def test_every_tone_has_a_file_and_nothing_else() -> None:
    assert {p.stem for p in TONES_DIR.glob("*.wav")} == {tone.value for tone in Tone}


def test_the_script_renders_exactly_the_enum_tones(monkeypatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # no __pycache__ inside assets/
    spec = importlib.util.spec_from_file_location("make_tones", MAKE_TONES)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while building classes
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    assert set(module.TONES) == {tone.value for tone in Tone}


@pytest.mark.parametrize("tone", list(Tone))
def test_tone_format_and_length(tone: Tone) -> None:
    wav = read_wav(TONES_DIR / f"{tone.value}.wav")
    assert wav.channels == 1
    assert wav.sample_width == 2
    assert wav.rate == RATE
    assert wav.compression == "NONE"
    low, high = DURATION_MS[tone]
    assert low <= len(wav.samples) / RATE * 1000 <= high


@pytest.mark.parametrize("tone", list(Tone))
def test_tone_level_and_clean_edges(tone: Tone) -> None:
    samples = read_wav(TONES_DIR / f"{tone.value}.wav").samples
    peak = max(abs(s) for s in samples)
    assert peak < 32_767  # not clipping
    assert -3.5 <= 20 * math.log10(peak / 32_768) <= -2.5  # about -3 dBFS
    # Starts and ends in (near) silence: a fade, not a click.
    assert abs(samples[0]) <= 0.01 * peak
    assert abs(samples[-1]) <= 0.01 * peak
    edge = RATE * 3 // 10_000  # 0.3 ms
    assert max(abs(s) for s in samples[:edge]) <= 0.5 * peak
    assert max(abs(s) for s in samples[-edge:]) <= 0.5 * peak


def test_tones_are_pairwise_different() -> None:
    frames = {tone: (TONES_DIR / f"{tone.value}.wav").read_bytes() for tone in Tone}
    for a, b in itertools.combinations(Tone, 2):
        assert frames[a] != frames[b], (a, b)


def test_lower_falls_and_push_rises() -> None:
    """The two rep cues are told apart by direction: down for lowering, up for pushing."""
    for tone, rising in ((Tone.LOWER, False), (Tone.PUSH, True)):
        samples = read_wav(TONES_DIR / f"{tone.value}.wav").samples
        fifth = len(samples) // 5
        start = zero_crossing_rate(samples[:fifth])
        end = zero_crossing_rate(samples[-fifth:])
        assert (end > 1.3 * start) if rising else (start > 1.3 * end), tone


def test_make_tones_is_deterministic(tmp_path: Path) -> None:
    """Regenerating gives the committed bytes, so the WAVs can't drift from the script."""
    subprocess.run(
        [sys.executable, str(MAKE_TONES), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    generated = sorted(p.name for p in tmp_path.glob("*.wav"))
    assert generated == sorted(p.name for p in TONES_DIR.glob("*.wav"))
    for name in generated:
        assert (tmp_path / name).read_bytes() == (TONES_DIR / name).read_bytes(), name


# -- no sound device -------------------------------------------------------------------------


def test_without_a_device_the_player_degrades_with_one_notice(qtbot, owner) -> None:
    if machine_has_audio_output():
        pytest.skip("this machine has a sound device")
    player = CuePlayer(owner, TONES_DIR)
    received: list[str] = []
    player.notice.connect(received.append)

    assert not player.audio_available
    with qtbot.waitSignal(player.notice) as blocker:
        pass  # notices found while constructing are delivered on the next event-loop pass
    assert blocker.args == [NO_DEVICE_NOTICE]

    for tone in Tone:
        player.play(tone)
    player.set_volume(0.5)
    player.set_muted(True)
    player.set_muted(False)
    for tone in Tone:
        player.play(tone)
    settle()

    assert received == [NO_DEVICE_NOTICE]
    assert player.notices() == [NO_DEVICE_NOTICE]
    assert player.findChildren(QSoundEffect) == []  # nothing loaded, nothing ever played


def test_a_window_created_later_still_gets_the_notices(qtbot, owner, monkeypatch) -> None:
    monkeypatch.setattr(sound_module, "_default_output", lambda: None)
    player = CuePlayer(owner, TONES_DIR)
    assert player.notices() == []  # not announced yet: a window connecting now gets the signal
    with qtbot.waitSignal(player.notice):
        pass
    assert player.notices() == [NO_DEVICE_NOTICE]


def test_missing_tone_files_are_reported_without_loading_anything(
    qtbot, owner, monkeypatch, tmp_path
) -> None:
    monkeypatch.setattr(sound_module, "_default_output", QAudioDevice)  # a device is there, but...
    player = CuePlayer(owner, tmp_path)  # ...the tones folder is empty: a broken install
    with qtbot.waitSignal(player.notice) as blocker:
        pass
    assert blocker.args == [TONES_FAILED_NOTICE]
    assert not player.audio_available
    assert player.findChildren(QSoundEffect) == []
    for tone in Tone:
        player.play(tone)


@pytest.mark.qt_log_ignore(NULL_DEVICE_WARNING)
def test_effects_that_cannot_load_give_one_notice_and_never_play(qtbot, owner, null_device) -> None:
    player = CuePlayer(owner, TONES_DIR)
    effects = player.findChildren(QSoundEffect)
    assert len(effects) == len(Tone)  # preloaded at construction, one per tone
    assert all(effect.parent() is player for effect in effects)

    with qtbot.waitSignal(player.notice, timeout=10_000) as blocker:
        pass
    assert blocker.args == [TONES_FAILED_NOTICE]
    assert not player.audio_available

    def must_not_play() -> None:
        raise AssertionError("play() reached a QSoundEffect that failed to load")

    for effect in effects:
        effect.play = must_not_play  # type: ignore[method-assign]
    for tone in Tone:
        player.play(tone)


@pytest.mark.qt_log_ignore(NULL_DEVICE_WARNING)
def test_a_device_plugged_in_later_is_picked_up(qtbot, owner, monkeypatch) -> None:
    if machine_has_audio_output():
        pytest.skip("this machine has a sound device")
    monkeypatch.setattr(sound_module, "_default_output", lambda: None)
    player = CuePlayer(owner, TONES_DIR)
    received: list[str] = []
    player.notice.connect(received.append)
    with qtbot.waitSignal(player.notice):
        pass
    devices = player.findChild(QMediaDevices)
    assert devices is not None

    # A device appears: tones are preloaded for it and the "no device" notice no longer applies.
    monkeypatch.setattr(sound_module, "_default_output", QAudioDevice)
    devices.audioOutputsChanged.emit()
    assert len(player.findChildren(QSoundEffect)) == len(Tone)
    assert NO_DEVICE_NOTICE not in player.notices()
    with qtbot.waitSignal(player.notice, timeout=10_000):
        pass  # here the pretend device can't play: that is a different problem kind

    # It goes away again: listed again, but not announced a second time.
    monkeypatch.setattr(sound_module, "_default_output", lambda: None)
    devices.audioOutputsChanged.emit()
    settle()
    assert NO_DEVICE_NOTICE in player.notices()
    assert received == [NO_DEVICE_NOTICE, TONES_FAILED_NOTICE]
    assert not player.audio_available


# -- volume and mute -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-1.0, 0.0),
        (0.0, 0.0),
        (0.25, 0.25),
        (1.0, 1.0),
        (1.5, 1.0),
        (math.inf, 1.0),
        (-math.inf, 0.0),
        (math.nan, 0.4),  # keeps the previous volume
    ],
)
def test_volume_is_clamped_and_reaches_the_voice(owner, value, expected) -> None:
    player = CuePlayer(owner, TONES_DIR, engine="mock")
    player.set_voice_enabled(True)
    player.set_volume(0.4)
    player.set_volume(value)
    assert player.volume == expected
    tts = player.findChild(QTextToSpeech)
    assert tts is not None
    assert tts.volume() == pytest.approx(expected)


@given(st.floats())
def test_null_player_volume_always_within_range(value: float) -> None:
    player = NullPlayer(None)
    player.set_volume(value)
    assert 0.0 <= player.volume <= 1.0


def test_mute_silences_voice_and_cuts_it_off(qtbot, owner) -> None:
    player = CuePlayer(owner, TONES_DIR, engine="mock")
    player.set_voice_enabled(True)
    tts = player.findChild(QTextToSpeech)
    assert tts is not None

    player.set_muted(True)
    assert player.muted
    with qtbot.assertNotEmitted(tts.stateChanged):
        player.say("down")
        for tone in Tone:
            player.play(tone)

    player.set_muted(False)
    with qtbot.waitSignal(tts.stateChanged, check_params_cb=lambda state: state is SPEAKING):
        player.say("switch legs")
    with qtbot.waitSignal(tts.stateChanged, check_params_cb=lambda state: state is READY):
        player.set_muted(True)  # muting mid-sentence stops it at once


# -- spoken cues -----------------------------------------------------------------------------


def test_voice_is_created_lazily_and_speaks_with_the_mock_engine(qtbot, owner) -> None:
    player = CuePlayer(owner, TONES_DIR, engine="mock")
    assert player.findChild(QTextToSpeech) is None
    assert not player.voice_available
    player.say("push")  # voice not enabled yet: a no-op

    player.set_voice_enabled(True)
    tts = player.findChild(QTextToSpeech)
    assert tts is not None
    assert tts.engine() == "mock"
    assert player.voice_available

    states: list[QTextToSpeech.State] = []
    tts.stateChanged.connect(states.append)
    with qtbot.waitSignal(tts.stateChanged, check_params_cb=lambda state: state is READY):
        player.say("last rep")
    assert states == [SPEAKING, READY]
    settle()
    assert NO_VOICE_NOTICE not in player.notices()
    assert VOICE_FAILED_NOTICE not in player.notices()

    player.set_voice_enabled(False)
    with qtbot.assertNotEmitted(tts.stateChanged):
        player.say("down")


def test_unknown_engine_gives_a_notice_not_an_exception(qtbot, owner) -> None:
    player = CuePlayer(owner, TONES_DIR, engine="no-such-engine")
    with qtbot.waitSignal(player.notice, check_params_cb=lambda text: text == NO_VOICE_NOTICE):
        player.set_voice_enabled(True)
    assert not player.voice_available
    assert player.findChild(QTextToSpeech) is None
    player.say("push")
    player.set_voice_enabled(False)
    player.set_voice_enabled(True)  # not retried, not announced again
    settle()
    assert player.notices().count(NO_VOICE_NOTICE) == 1


def test_the_mock_engine_is_never_picked_for_real_use(qtbot, owner, monkeypatch) -> None:
    monkeypatch.setattr(sound_module, "_speech_engines", lambda: ["mock"])
    player = CuePlayer(owner, TONES_DIR)
    with qtbot.waitSignal(player.notice, check_params_cb=lambda text: text == NO_VOICE_NOTICE):
        player.set_voice_enabled(True)
    assert player.findChild(QTextToSpeech) is None
    assert not player.voice_available


@pytest.mark.skipif(
    "speechd" not in QTextToSpeech.availableEngines() or ctypes.util.find_library("speechd"),
    reason="needs the speechd plug-in installed without libspeechd, so that it fails to start",
)
@pytest.mark.qt_log_ignore(r'^Error loading text-to-speech plug-in "speechd"')
def test_an_engine_that_fails_to_start_gives_a_notice(qtbot, owner) -> None:
    player = CuePlayer(owner, TONES_DIR)  # default choice: the real engines, here only speechd
    with qtbot.waitSignal(player.notice, check_params_cb=lambda text: text == NO_VOICE_NOTICE):
        player.set_voice_enabled(True)
    assert not player.voice_available
    player.say("switch legs")


def test_an_engine_error_while_running_gives_one_notice(qtbot, owner) -> None:
    player = CuePlayer(owner, TONES_DIR, engine="mock")
    player.set_voice_enabled(True)
    tts = player.findChild(QTextToSpeech)
    assert tts is not None
    received: list[str] = []
    player.notice.connect(received.append)
    settle()
    received.clear()  # whatever the machine says about tones is not this test's business

    with qtbot.waitSignal(player.notice) as blocker:
        tts.errorOccurred.emit(QTextToSpeech.ErrorReason.Playback, "audio device lost")
    assert blocker.args == [VOICE_FAILED_NOTICE]
    assert not player.voice_available
    with qtbot.assertNotEmitted(tts.stateChanged):
        player.say("push")  # a failed engine is not asked to speak

    tts.stateChanged.emit(QTextToSpeech.State.Error)  # the same problem again: no new notice
    settle()
    assert received == [VOICE_FAILED_NOTICE]

    tts.stateChanged.emit(READY)  # the engine recovered
    assert player.voice_available
    assert VOICE_FAILED_NOTICE not in player.notices()


# -- the silent player -----------------------------------------------------------------------


def test_both_players_satisfy_the_protocol(qtbot, owner, monkeypatch) -> None:
    monkeypatch.setattr(sound_module, "_default_output", lambda: None)
    assert isinstance(CuePlayer(owner, TONES_DIR), SoundOutput)
    assert isinstance(NullPlayer(owner), SoundOutput)


def test_null_player_is_silent_and_quiet(qtbot, owner) -> None:
    player = NullPlayer(owner)
    with qtbot.assertNotEmitted(player.notice):
        for tone in Tone:
            player.play(tone)
        player.set_voice_enabled(True)
        player.say("push")
        player.set_muted(True)
        player.set_volume(2.0)
        settle()
    assert not player.audio_available
    assert not player.voice_available
    assert player.notices() == []
    assert player.volume == 1.0
    assert player.muted


def test_null_player_does_not_load_qt_multimedia() -> None:
    """`--no-sound` must not pay for (or log about) Qt Multimedia's backend probing."""
    code = (
        "import sys; from legcoach.ui.sound import NullPlayer, Tone; "
        "p = NullPlayer(None); p.play(Tone.GO); p.say('go'); "
        "assert 'PySide6.QtMultimedia' not in sys.modules, 'QtMultimedia imported'; "
        "assert 'PySide6.QtTextToSpeech' not in sys.modules, 'QtTextToSpeech imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, timeout=60)
