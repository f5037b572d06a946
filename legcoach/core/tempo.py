"""Tempo notation "E-B-C-T": seconds to lower, pause at the bottom, push, pause at the top.

The four numbers are always written in that order (eccentric first), whatever the movement
starts with; a hip thrust written "1-0-X-2" still lowers in 1 s and drives up explosively.
"X" means "as fast as you can with control"; the pacer schedules it as `EXPLOSIVE_SECONDS`.

Values are kept on a 0.01 s grid: nobody can feel finer differences, and it makes
`parse_tempo(t.format()) == t` exact instead of "equal up to float noise".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

EXPLOSIVE_SECONDS: Final = 1.0
"""How long an "X" (explosive) phase is scheduled for."""

MAX_PHASE_SECONDS: Final = 20.0
"""Longest allowed phase; anything longer is almost certainly a typo (25 for 2.5)."""

PHASES: Final = ("eccentric", "bottom", "concentric", "top")
"""The four tempo phases in notation order. `PhaseKind` members compare equal to these."""

MOVEMENT_PHASES: Final = frozenset({"eccentric", "concentric"})
"""The phases where the weight moves: they may be "X" and may not be 0."""

PHASE_NAMES: Final = {
    "eccentric": "lowering phase",
    "bottom": "bottom pause",
    "concentric": "pushing phase",
    "top": "top pause",
}
"""Names a lifter understands, used in error messages."""

_EXAMPLE: Final = "e.g. 3-1-2-0"
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+", re.ASCII)
_CENT = Decimal("0.01")
# Characters people use between the parts that are not the plain ASCII dash this parser wants.
_WRONG_SEPARATORS: Final = ("/", ":", ",", ";", "|", "–", "—", "−", "_")


class TempoError(ValueError):
    """A tempo text or value a lifter typed is not valid; the message says what to fix."""


def _format_seconds(value: float | None) -> str:
    """Canonical text of one phase: "X", "3", "2.5", "0.25" (no trailing zeros)."""
    if value is None:
        return "X"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _check_phase(phase: str, value: object) -> float | None:
    """Validate one phase value and return it normalised (float on the 0.01 grid, or None)."""
    name = PHASE_NAMES[phase]
    if value is None:
        if phase not in MOVEMENT_PHASES:
            raise TempoError(
                f"X (explosive) only fits the lowering or pushing phase; the {name} needs a "
                "number of seconds, e.g. 0."
            )
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TempoError(f"The {name} must be a number of seconds, not {value!r}.")
    try:
        number = float(value)
    except (OverflowError, ValueError):  # 10**400, Decimal("sNaN"): no float at all
        raise TempoError(f"The {name} must be a finite number of seconds.") from None
    if not math.isfinite(number):
        raise TempoError(f"The {name} must be a finite number of seconds, not {value!r}.")
    if number < 0:
        raise TempoError(f"A tempo phase can't be negative; the {name} is {number:g} s.")
    if number > MAX_PHASE_SECONDS:
        shown = _format_seconds(number) if number < 1e6 else f"{number:g}"
        raise TempoError(
            f"Each phase is at most {MAX_PHASE_SECONDS:g} s; the {name} is {shown} s."
        )
    hundredths = number * 100
    if abs(hundredths - round(hundredths)) > 1e-6:
        raise TempoError(
            f"Use at most two decimals per phase; the {name} is {number!r} s."
        )
    if round(number, 2) == 0 and phase in MOVEMENT_PHASES:  # 1e-9 is stored as 0 too
        raise TempoError(
            f"The {name} can't be 0 s: the weight has to move. Use X for explosive, "
            "e.g. 3-1-X-0."
        )
    return round(number, 2)


@dataclass(frozen=True, slots=True)
class Tempo:
    """Seconds per phase; `None` in a movement phase means "X" (explosive)."""

    eccentric: float | None
    bottom: float
    concentric: float | None
    top: float

    def __post_init__(self) -> None:
        """Reject impossible tempos early, so the scheduler never sees one."""
        for phase in PHASES:
            object.__setattr__(self, phase, _check_phase(phase, getattr(self, phase)))

    def value(self, phase: str) -> float | None:
        """The written value of a phase (None for X); `phase` is a `PHASES` name or PhaseKind."""
        if phase not in PHASES:
            raise KeyError(f"{phase!r} is not a tempo phase; expected one of {PHASES}.")
        return getattr(self, str(phase))

    def is_explosive(self, phase: str) -> bool:
        """Whether the phase is written "X"."""
        return self.value(phase) is None

    def seconds(self, phase: str) -> float:
        """How long the pacer schedules the phase: its value, or EXPLOSIVE_SECONDS for X."""
        value = self.value(phase)
        return EXPLOSIVE_SECONDS if value is None else value

    @property
    def rep_seconds(self) -> float:
        """Scheduled length of one whole rep."""
        return sum(self.seconds(phase) for phase in PHASES)

    def format(self) -> str:
        """Canonical text, e.g. "3-1-2-0" or "2.5-0-X-0"; parse_tempo() reads it back exactly."""
        return "-".join(_format_seconds(getattr(self, phase)) for phase in PHASES)

    def __str__(self) -> str:
        return self.format()


def _looks_like_part(part: str) -> bool:
    """Whether a piece of text is at least shaped like one tempo phase (a number or X)."""
    return part.lower() == "x" or _NUMBER.fullmatch(part) is not None


def parse_tempo(text: str) -> Tempo:
    """Read "E-B-C-T" as typed by a lifter; raise TempoError saying what is wrong.

    Only "-" separates parts (no "/", ":" or en dashes): one strict form keeps the stored
    plans and the error messages unambiguous. Spaces around the text and the dashes are fine.
    """
    if not isinstance(text, str):
        raise TempoError(f"A tempo is text like 3-1-2-0, not {type(text).__name__}.")
    stripped = text.strip()
    if not stripped:
        raise TempoError(
            f"Enter a tempo: four numbers of seconds, lower-pause-push-pause, {_EXAMPLE}."
        )
    for separator in _WRONG_SEPARATORS:
        if separator in stripped:
            raise TempoError(
                f"Separate the four parts with plain dashes '-' only, {_EXAMPLE}; "
                f"this one uses '{separator}'."
            )
    parts = [part.strip() for part in stripped.split("-")]
    if not any(_looks_like_part(part) for part in parts):
        raise TempoError(
            f"'{stripped}' isn't a tempo. Write four numbers of seconds, "
            f"lower-pause-push-pause, {_EXAMPLE}."
        )
    for index, part in enumerate(parts):
        if part:
            continue
        following = parts[index + 1] if index + 1 < len(parts) else ""
        if _looks_like_part(following):
            raise TempoError(
                f"A tempo phase can't be negative ('-{following}' in '{stripped}'); "
                f"each phase is 0 or more seconds, {_EXAMPLE}."
            )
        if following:
            raise TempoError(
                f"'{stripped}' has an empty part or a stray dash; write four numbers of "
                f"seconds separated by single dashes, {_EXAMPLE}."
            )
        raise TempoError(
            f"Part {index + 1} of '{stripped}' is empty; put a number of seconds there, "
            f"{_EXAMPLE}."
        )
    if len(parts) != len(PHASES):
        raise TempoError(
            f"A tempo has four parts (lower-pause-push-pause), {_EXAMPLE}; "
            f"this one has {len(parts)}."
        )
    values: list[float | None] = []
    for phase, part in zip(PHASES, parts, strict=True):
        if part.lower() == "x":
            values.append(_check_phase(phase, None))
            continue
        if _NUMBER.fullmatch(part) is None:
            raise TempoError(
                f"'{part}' isn't a number of seconds (the {PHASE_NAMES[phase]}); write e.g. "
                "3-1-2-0, or X for an explosive lowering or pushing phase."
            )
        number = Decimal(part)
        if number > Decimal(int(MAX_PHASE_SECONDS)):
            raise TempoError(
                f"Each phase is at most {MAX_PHASE_SECONDS:g} s; the {PHASE_NAMES[phase]} is "
                f"{number.normalize():f} s."
            )
        if number != number.quantize(_CENT):
            raise TempoError(
                f"Use at most two decimals per phase; the {PHASE_NAMES[phase]} is {part} s."
            )
        values.append(_check_phase(phase, float(number)))
    eccentric, bottom, concentric, top = values
    # The pauses were checked above never to be X, so they are floats here.
    assert bottom is not None and top is not None
    return Tempo(eccentric, bottom, concentric, top)
