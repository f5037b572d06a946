"""Generate legcoach's cue tones into assets/tones/ (run: ``python assets/make_tones.py``).

The WAVs are committed next to this script; rerun it after changing a tone and commit both.
Output is 16-bit mono 44.1 kHz PCM and byte-for-byte deterministic (no randomness, no
timestamps), so a test can regenerate the set and compare it with the committed files.

Design: a lifter mid-rep must tell the cues apart without looking, often over gym music, so
every tone differs from every other one by pitch AND by shape, and most carry a few harmonics
so they survive small laptop or phone speakers. Every note has a raised-cosine fade-in and
fade-out (no clicks) and each file is normalised to a peak of about -3 dBFS.

=============  ================================  ===================================
tone           pitch                             shape
=============  ================================  ===================================
lower          E5 -> E4 (659 -> 330 Hz)          soft falling glide, 250 ms
push           C5 -> C6 (523 -> 1047 Hz)         bright rising glide, 200 ms
hold           D4 (294 Hz)                       short low steady beep, 120 ms
tick           C6 (1047 Hz)                      60 ms percussive blip (countdown)
go             G6 (1568 Hz)                      double beep, short then long
switch         G5 / C6 (784 / 1047 Hz)           hollow two-tone alternation x4
set_end        C5 E5 G5 (523 659 784 Hz)         rising arpeggio, ringing
rest_warning   F5 (698 Hz)                       two equal short beeps
rest_end       E6 then C6 (1319 / 1047 Hz)       long "ding-dong" chime, 1.2 s
=============  ================================  ===================================
"""

from __future__ import annotations

import argparse
import math
import struct
import sys
import wave
from dataclasses import dataclass
from pathlib import Path

SAMPLE_RATE = 44_100
PEAK_DBFS = -3.0
FULL_SCALE = 32_767
DEFAULT_OUT = Path(__file__).resolve().parent / "tones"

# Harmonic recipes as (frequency multiple, relative amplitude).
PURE = ((1.0, 1.0),)
SOFT = ((1.0, 1.0), (2.0, 0.12))
WARM = ((1.0, 1.0), (2.0, 0.35), (3.0, 0.15))  # low notes: harmonics carry on small speakers
BRIGHT = ((1.0, 1.0), (2.0, 0.5), (3.0, 0.3), (4.0, 0.15))
HOLLOW = ((1.0, 1.0), (3.0, 0.25), (5.0, 0.08))  # odd harmonics: a square-ish, "siren" colour
KNOCK = ((1.0, 1.0), (2.76, 0.3))  # inharmonic partial: woodblock-like click
BELL = ((1.0, 1.0), (2.0, 0.3), (3.0, 0.12), (4.2, 0.05))


@dataclass(frozen=True)
class Note:
    """One enveloped sound event; a tone is a few of these mixed together."""

    start: float  # seconds from the start of the file
    duration: float  # seconds
    freq: float  # Hz at the start
    freq_end: float | None = None  # Hz at the end (exponential glide); None = steady
    partials: tuple[tuple[float, float], ...] = PURE
    attack: float = 0.005  # raised-cosine fade-in, seconds
    release: float = 0.02  # raised-cosine fade-out, seconds
    decay: float | None = None  # exponential decay time constant; None = sustained
    gain: float = 1.0


TONES: dict[str, tuple[Note, ...]] = {
    # Soft, slow-attack falling glide: "let the weight come down".
    "lower": (Note(0.0, 0.25, 659.26, 329.63, SOFT, attack=0.03, release=0.08),),
    # Bright, fast-attack rising glide: "drive it up".
    "push": (Note(0.0, 0.20, 523.25, 1046.5, BRIGHT, attack=0.006, release=0.03),),
    # Short, low and steady: "hold still".
    "hold": (Note(0.0, 0.12, 293.66, None, WARM, attack=0.01, release=0.03),),
    # Percussive blip with a fast decay: a metronome-like countdown tick.
    "tick": (Note(0.0, 0.06, 1046.5, None, KNOCK, attack=0.002, release=0.015, decay=0.015),),
    # Higher than the tick, short-then-long like a race start: "GO".
    "go": (
        Note(0.0, 0.07, 1567.98, None, SOFT, attack=0.004, release=0.015),
        Note(0.11, 0.18, 1567.98, None, SOFT, attack=0.004, release=0.05),
    ),
    # Hollow hi-lo-hi-lo alternation: "change legs".
    "switch": tuple(
        Note(i * 0.09, 0.09, 1046.5 if i % 2 else 783.99, None, HOLLOW, attack=0.006, release=0.012)
        for i in range(4)
    ),
    # Pleasant rising major arpeggio whose notes ring into each other: "set done".
    "set_end": (
        Note(0.0, 0.22, 523.25, None, BELL, attack=0.004, release=0.04, decay=0.18),
        Note(0.12, 0.22, 659.26, None, BELL, attack=0.004, release=0.04, decay=0.18),
        Note(0.24, 0.40, 783.99, None, BELL, attack=0.004, release=0.12, decay=0.22),
    ),
    # Two equal, evenly spaced mid beeps: "10 s of rest left".
    "rest_warning": (
        Note(0.0, 0.10, 698.46, None, WARM, attack=0.006, release=0.02),
        Note(0.20, 0.10, 698.46, None, WARM, attack=0.006, release=0.02),
    ),
    # Long descending two-strike bell: "rest is over".
    "rest_end": (
        Note(0.0, 0.50, 1318.51, None, BELL, attack=0.003, release=0.10, decay=0.30),
        Note(0.35, 0.85, 1046.5, None, BELL, attack=0.003, release=0.30, decay=0.35),
    ),
}


def _raised_cosine(x: float) -> float:
    """0 -> 1 over x in [0, 1] with zero slope at both ends, so fades don't click."""
    return 0.5 - 0.5 * math.cos(math.pi * min(max(x, 0.0), 1.0))


def render_note(note: Note) -> list[float]:
    """Synthesise one note as floats; the envelope is exactly 0 at both ends."""
    n = round(note.duration * SAMPLE_RATE)
    attack_n = max(1, round(note.attack * SAMPLE_RATE))
    release_n = max(1, round(note.release * SAMPLE_RATE))
    freq_end = note.freq if note.freq_end is None else note.freq_end
    ratio = freq_end / note.freq
    weight = sum(amp for _, amp in note.partials)
    out: list[float] = []
    phase = 0.0  # accumulated so a glide never jumps in phase
    for i in range(n):
        t = i / SAMPLE_RATE
        progress = i / max(1, n - 1)
        freq = note.freq * ratio**progress  # exponential: glides sound even to the ear
        value = sum(amp * math.sin(mult * phase) for mult, amp in note.partials) / weight
        env = _raised_cosine(i / attack_n) * _raised_cosine((n - 1 - i) / release_n)
        if note.decay is not None:
            env *= math.exp(-t / note.decay)
        out.append(note.gain * env * value)
        phase = (phase + 2.0 * math.pi * freq / SAMPLE_RATE) % (2.0 * math.pi)
    return out


def render_tone(notes: tuple[Note, ...]) -> list[int]:
    """Mix a tone's notes and normalise the peak to PEAK_DBFS as 16-bit integers."""
    length = max(round((n.start + n.duration) * SAMPLE_RATE) for n in notes)
    mix = [0.0] * length
    for note in notes:
        offset = round(note.start * SAMPLE_RATE)
        for i, value in enumerate(render_note(note)):
            mix[offset + i] += value
    peak = max(abs(v) for v in mix)
    scale = FULL_SCALE * 10 ** (PEAK_DBFS / 20) / peak
    return [round(v * scale) for v in mix]


def write_wav(path: Path, samples: list[int]) -> None:
    """Write 16-bit little-endian mono PCM; `wave` adds no timestamps, so bytes are stable."""
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(struct.pack(f"<{len(samples)}h", *samples))


def main(argv: list[str] | None = None) -> int:
    """Render every tone into the output folder (default: assets/tones next to this file)."""
    parser = argparse.ArgumentParser(description="Generate legcoach's cue tones as WAV files.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, notes in TONES.items():
        samples = render_tone(notes)
        write_wav(args.out / f"{name}.wav", samples)
        print(f"{name + '.wav':<18} {len(samples) / SAMPLE_RATE * 1000:6.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
