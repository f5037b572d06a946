"""The logged set: one immutable, always-valid record per set, plus the log form's validation.

Loads are kept twice on purpose: `entered_load` + `unit` are what the lifter typed (225 lb shows
as 225 lb again, never as 102.06 kg), `load_kg` is derived from them for maths and charts.
Every `SetRecord` validates itself on construction, so the form parser, edits and records read
back from storage all share one set of rules and one set of messages.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final

# The exercise model already defines the foot placements; the log reuses them (one enum, not two).
from legcoach.core.exercise import FootHeight, FootWidth
from legcoach.core.sides import Side
from legcoach.core.tempo import TempoError, parse_tempo

__all__ = [
    "FORM_FIELDS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "FootHeight",
    "FootWidth",
    "LoadUnit",
    "NewerSchemaError",
    "SetFormError",
    "SetRecord",
    "SetType",
    "from_kg",
    "migrate",
    "new_set_id",
    "parse_set_form",
    "register_migration",
    "replace_fields",
    "to_kg",
]

SCHEMA_VERSION: Final = 1
"""Version of the stored dict layout; bump it together with a step in MIGRATIONS."""

MAX_LOAD_KG: Final = Decimal(1000)
"""Heaviest load accepted: above any leg press record, so larger numbers are typos."""

MAX_REPS: Final = 100
MAX_NOTE_CHARS: Final = 1000
MAX_TUT_SECONDS: Final = 3600.0
"""An hour of time under tension is already absurd; the bound keeps typos like 1e9 out."""

LB_IN_KG: Final = Decimal("0.45359237")
"""The international pound, exactly (1959 agreement)."""

_KG_GRID: Final = Decimal("0.000001")
"""load_kg is rounded to the milligram so lb→kg conversion gives one canonical float."""

_LOAD_TEXT = re.compile(r"[0-9]{1,30}(?:[.,][0-9]{0,6})?|[.,][0-9]{1,6}", re.ASCII)
_INT_TEXT = re.compile(r"[0-9]{1,4}", re.ASCII)
_DECIMAL_TEXT = re.compile(r"[0-9]{1,6}(?:[.,][0-9]{0,6})?|[.,][0-9]{1,6}", re.ASCII)
_SET_ID = re.compile(r"[0-9a-f]{32}", re.ASCII)

FORM_FIELDS: Final = (
    "load", "unit", "reps", "side", "foot_height", "foot_width",
    "tempo", "tut_seconds", "rpe", "rir", "set_type", "note",
)
"""Keys `parse_set_form` understands; error dicts use the same keys."""

# Messages a lifter reads next to the form field.
MSG_LOAD_MISSING: Final = "Enter the load, e.g. 102.5."
MSG_LOAD_NUMBER: Final = "Load must be a number, e.g. 102.5."
MSG_LOAD_NEGATIVE: Final = "Load can't be negative."
MSG_REPS: Final = "Reps must be a whole number from 0 to 100."
MSG_RPE: Final = "RPE goes from 1 to 10 in half steps, e.g. 8 or 8.5."
MSG_RIR: Final = "RIR (reps in reserve) must be a whole number from 0 to 10."
MSG_RPE_AND_RIR: Final = "Give RPE or RIR, not both."
MSG_TUT: Final = "Time under tension must be a number of seconds from 0 to 3600."
MSG_NOTE_LONG: Final = f"Notes can be at most {MAX_NOTE_CHARS} characters."
MSG_NOTE_CHARS: Final = "The note contains characters that can't be saved."


class SetType(StrEnum):
    WARMUP = "warmup"
    WORKING = "working"
    DROP = "drop"
    FAILURE = "failure"


class LoadUnit(StrEnum):
    KG = "kg"
    LB = "lb"

    @property
    def kg_factor(self) -> Decimal:
        """Kilograms per unit, exact."""
        return Decimal(1) if self is LoadUnit.KG else LB_IN_KG


class SetFormError(ValueError):
    """A set's values are not valid; `errors` maps each bad field to a message for the lifter.

    Carries every problem at once so the form can mark all fields in one go.
    """

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors: dict[str, str] = dict(errors)
        super().__init__("; ".join(f"{key}: {msg}" for key, msg in self.errors.items()))


class NewerSchemaError(Exception):
    """Stored data was written by a newer legcoach; old code must neither read nor rewrite it.

    Not a ValueError on purpose: it is not bad data to be skipped, the user must update the app.
    """

    def __init__(self, version: object, where: str = "") -> None:
        self.version = version
        place = f" in {where}" if where else ""
        super().__init__(
            f"The set log{place} was saved by a newer version of legcoach (data version "
            f"{version}, this version understands up to {SCHEMA_VERSION}). Update legcoach to "
            "open it; nothing was changed."
        )


def new_set_id() -> str:
    """A fresh record id: random, so ids made on two devices never collide."""
    return uuid.uuid4().hex


def to_kg(entered_load: str, unit: LoadUnit) -> float:
    """The canonical kg float for a load as typed: exact decimal maths, milligram grid."""
    return float((Decimal(entered_load) * LoadUnit(unit).kg_factor).quantize(_KG_GRID))


def from_kg(load_kg: float, unit: LoadUnit) -> float:
    """Kilograms shown in `unit` (for display of derived numbers, e.g. a suggested load)."""
    return float(Decimal(repr(load_kg)) / LoadUnit(unit).kg_factor)


_UNITS: Final = tuple(unit.value for unit in LoadUnit)


def _format_limit(unit: LoadUnit) -> str:
    limit = (MAX_LOAD_KG / LoadUnit(unit).kg_factor).quantize(Decimal("0.1"))
    return f"{limit.normalize():f} {unit}"


# --- field rules, shared by SetRecord.__post_init__ and the form --------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _normalise_load(value: object) -> object:
    """Canonical decimal text of a load: "102,5" → "102.5", ".5" → "0.5", 100 → "100".

    Values that are not a plain non-negative decimal come back unchanged for the rule to reject.
    """
    if isinstance(value, str):
        text = value.strip()
        return f"{Decimal(text.replace(',', '.')):f}" if _LOAD_TEXT.fullmatch(text) else text
    if isinstance(value, float) and math.isfinite(value):
        return _normalise_load(f"{Decimal(repr(value)):f}")
    if isinstance(value, Decimal) and value.is_finite():
        return _normalise_load(f"{value:f}")
    if _is_int(value):
        return _normalise_load(str(value))
    return value


def _load_error(entered_load: object, unit: object) -> str | None:
    """Checks a load already passed through _normalise_load."""
    if isinstance(entered_load, str) and entered_load.startswith("-"):
        return MSG_LOAD_NEGATIVE
    if not isinstance(entered_load, str) or _LOAD_TEXT.fullmatch(entered_load) is None:
        return MSG_LOAD_NUMBER
    if unit not in _UNITS:
        return None  # reported under "unit"
    if Decimal(entered_load) * LoadUnit(unit).kg_factor > MAX_LOAD_KG:
        return f"Load can't be more than {_format_limit(LoadUnit(unit))}."
    return None


def _reps_error(reps: object) -> str | None:
    return None if _is_int(reps) and 0 <= reps <= MAX_REPS else MSG_REPS  # type: ignore[operator]


def _rpe_error(rpe: object) -> str | None:
    if rpe is None:
        return None
    ok = _is_number(rpe) and 1 <= rpe <= 10 and float(rpe * 2).is_integer()  # type: ignore[operator]
    return None if ok else MSG_RPE


def _rir_error(rir: object) -> str | None:
    return None if rir is None or (_is_int(rir) and 0 <= rir <= 10) else MSG_RIR  # type: ignore[operator]


def _tut_error(tut: object) -> str | None:
    if tut is None:
        return None
    # Comparisons reject NaN and inf too, without math.isfinite's OverflowError on huge ints.
    ok = _is_number(tut) and 0 <= tut <= MAX_TUT_SECONDS  # type: ignore[operator]
    return None if ok else MSG_TUT


def _note_error(note: object) -> str | None:
    if not isinstance(note, str):
        return MSG_NOTE_CHARS
    if len(note) > MAX_NOTE_CHARS:
        return MSG_NOTE_LONG
    try:
        note.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: JSON could not be written as UTF-8
        return MSG_NOTE_CHARS
    return None


@functools.lru_cache(maxsize=256)
def _canonical_tempo(text: str) -> str:
    """parse_tempo + str, cached: a log holds few distinct tempos and records are read often."""
    return str(parse_tempo(text))


def _tempo_error(tempo: object) -> str | None:
    """None if `tempo` is None or already canonical, else what is wrong with it."""
    if tempo is None:
        return None
    if not isinstance(tempo, str):
        return "Tempo must be text like 3-1-2-0."
    try:
        canonical = _canonical_tempo(tempo)
    except TempoError as exc:
        return str(exc)
    return None if canonical == tempo else f"Tempo should be written {canonical}."


def _enum_error(enum: type[StrEnum], label: str, optional: bool) -> Callable[[object], str | None]:
    choices = [member.value for member in enum]
    words = ", ".join(choices[:-1]) + f" or {choices[-1]}"
    message = f"{label} must be {words}."

    def check(value: object) -> str | None:
        if value is None and optional:
            return None
        return None if value in choices else message

    return check


def _text_error(label: str, optional: bool) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        if value is None and optional:
            return None
        ok = isinstance(value, str) and value != "" and value == value.strip() and len(value) <= 200
        ok = ok and _note_error(value) is None  # and writable as UTF-8 (no lone surrogate)
        return None if ok else f"{label} must be non-empty text without surrounding spaces."

    return check


def _time_error(label: str) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        if not isinstance(value, datetime) or value.utcoffset() is None:
            return f"{label} must be a date and time with a time zone."
        try:
            value.astimezone(UTC)
        except OverflowError:  # e.g. 0001-01-01 at +05:00 is before year 1 in UTC
            return f"{label} is out of range."
        return None

    return check


def _id_error(value: object) -> str | None:
    ok = isinstance(value, str) and _SET_ID.fullmatch(value) is not None
    return None if ok else "A set id is 32 lowercase hex digits."


_FIELD_RULES: Final[dict[str, Callable[[Any], str | None]]] = {
    "id": _id_error,
    "exercise_id": _text_error("Exercise id", optional=False),
    "session_id": _text_error("Session id", optional=True),
    "performed_at": _time_error("The time of the set"),
    "unit": _enum_error(LoadUnit, "Unit", optional=False),
    "reps": _reps_error,
    "side": _enum_error(Side, "Side", optional=False),
    "foot_height": _enum_error(FootHeight, "Foot height", optional=True),
    "foot_width": _enum_error(FootWidth, "Foot width", optional=True),
    "tempo": _tempo_error,
    "tut_seconds": _tut_error,
    "rpe": _rpe_error,
    "rir": _rir_error,
    "set_type": _enum_error(SetType, "Set type", optional=False),
    "note": _note_error,
    "source": _text_error("Source", optional=False),
    "created_at": _time_error("Created at"),
    "updated_at": _time_error("Updated at"),
}
"""Single-field rules keyed by record field; the error key is the same name."""


def _errors(values: Mapping[str, Any]) -> dict[str, str]:
    """Every problem among `values` (record field names); absent fields are not checked."""
    errors = {
        name: message
        for name, rule in _FIELD_RULES.items()
        if name in values and (message := rule(values[name])) is not None
    }
    if "entered_load" in values:
        message = _load_error(values["entered_load"], values.get("unit", LoadUnit.KG))
        if message is not None:
            errors["load"] = message
    if values.get("rpe") is not None and values.get("rir") is not None:
        errors.setdefault("rpe", MSG_RPE_AND_RIR)
        errors.setdefault("rir", MSG_RPE_AND_RIR)
    return errors


# --- the record ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class SetRecord:
    """One logged set. Construction validates everything and raises SetFormError if invalid."""

    id: str = field(default_factory=new_set_id)
    exercise_id: str
    session_id: str | None = None
    performed_at: datetime
    unit: LoadUnit
    entered_load: str
    """The load exactly as typed, as a decimal string ("225", "102.5"); see module doc."""
    reps: int
    side: Side = Side.BOTH
    foot_height: FootHeight | None = None
    foot_width: FootWidth | None = None
    tempo: str | None = None
    tut_seconds: float | None = None
    rpe: float | None = None
    rir: int | None = None
    set_type: SetType = SetType.WORKING
    note: str = ""
    source: str = "legcoach"
    created_at: datetime
    updated_at: datetime
    load_kg: float = field(init=False)
    """Derived from entered_load and unit, so the two can never disagree."""

    def __post_init__(self) -> None:
        set_ = functools.partial(object.__setattr__, self)
        if isinstance(self.note, str):
            set_("note", self.note.strip())
        set_("entered_load", _normalise_load(self.entered_load))
        errors = _errors({name: getattr(self, name) for name in _INIT_FIELDS})
        if errors:
            raise SetFormError(errors)
        # Normalise: enums from their values, times to UTC, numbers to their declared types.
        set_("unit", LoadUnit(self.unit))
        set_("side", Side(self.side))
        set_("set_type", SetType(self.set_type))
        if self.foot_height is not None:
            set_("foot_height", FootHeight(self.foot_height))
        if self.foot_width is not None:
            set_("foot_width", FootWidth(self.foot_width))
        for name in _TIME_FIELDS:
            set_(name, getattr(self, name).astimezone(UTC))
        for name in ("rpe", "tut_seconds"):
            if getattr(self, name) is not None:
                set_(name, float(getattr(self, name)))
        set_("load_kg", to_kg(self.entered_load, self.unit))

    @property
    def load_text(self) -> str:
        """The load as the lifter typed it, e.g. "225 lb"."""
        return f"{self.entered_load} {self.unit}"

    def describe(self) -> str:
        """Short human text, e.g. "100 kg × 10" or "60 kg × 12 (left leg)"."""
        text = f"{self.load_text} × {self.reps}"
        return text if self.side is Side.BOTH else f"{text} ({self.side.label.lower()})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (strings, numbers, None) with the schema version under "v"."""
        data: dict[str, Any] = {"v": SCHEMA_VERSION}
        for name in _ALL_FIELDS:
            value = getattr(self, name)
            if isinstance(value, datetime):
                value = _iso(value)
            elif isinstance(value, StrEnum):
                value = value.value
            data[name] = value
        return data

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> SetRecord:
        """Read a stored dict of any known version; raise ValueError if it is malformed.

        NewerSchemaError if it comes from a newer schema than this code knows.
        """
        data = migrate(raw)
        missing = [name for name in _INIT_FIELDS if name not in data]
        if missing:
            raise ValueError(f"Stored set is missing the fields {', '.join(missing)}.")
        kwargs = {name: data[name] for name in _INIT_FIELDS}
        for name in _TIME_FIELDS:
            kwargs[name] = _parse_iso(kwargs[name], name)
        return cls(**kwargs)


_ALL_FIELDS: Final = tuple(f.name for f in dataclasses.fields(SetRecord))
_INIT_FIELDS: Final = tuple(f.name for f in dataclasses.fields(SetRecord) if f.init)
_TIME_FIELDS: Final = ("performed_at", "created_at", "updated_at")


def _iso(moment: datetime) -> str:
    """Fixed-width UTC ISO-8601 with "Z": sorts as text in time order, reads back exactly."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _parse_iso(text: object, name: str) -> datetime:
    if not isinstance(text, str):
        raise ValueError(f"Stored set field {name!r} must be an ISO-8601 string, not {text!r}.")
    moment = datetime.fromisoformat(text)
    if moment.utcoffset() is None:
        raise ValueError(f"Stored set field {name!r} has no time zone: {text!r}.")
    return moment


def _bumped(previous: datetime, now: datetime) -> datetime:
    """An updated_at strictly after `previous`, even if the clock is behind or too coarse.

    Crash recovery keeps the copy with the newest updated_at, so every edit must increase it.
    """
    return max(now.astimezone(UTC), previous + timedelta(microseconds=1))


_NOT_EDITABLE: Final = frozenset({"id", "created_at", "updated_at", "load_kg"})


def replace_fields(
    record: SetRecord, /, *, now: datetime | None = None, **changes: Any
) -> SetRecord:
    """An edited copy: re-validated (SetFormError), updated_at bumped past the old one.

    Load changes go through `entered_load` (a decimal string, "," accepted) and `unit`;
    load_kg follows. `now` defaults to the current UTC time.
    """
    bad = sorted(set(changes) & _NOT_EDITABLE)
    if bad:
        raise TypeError(f"These fields can't be edited directly: {', '.join(bad)}.")
    stamp = _bumped(record.updated_at, now if now is not None else datetime.now(UTC))
    return dataclasses.replace(record, **changes, updated_at=stamp)


# --- migrations -----------------------------------------------------------------------------

Migration = Callable[[dict[str, Any]], dict[str, Any]]

MIGRATIONS: dict[int, Migration] = {}
"""from-version → function turning a dict of that version into one of the next version.

Empty while SCHEMA_VERSION is 1: no older layout was ever released. When the layout changes,
bump SCHEMA_VERSION and register the step for the old number with `register_migration`.
"""


def register_migration(from_version: int) -> Callable[[Migration], Migration]:
    """Decorator adding the step from `from_version` to `from_version + 1`."""

    def decorate(step: Migration) -> Migration:
        if from_version in MIGRATIONS:
            raise ValueError(f"A migration from v{from_version} is already registered.")
        MIGRATIONS[from_version] = step
        return step

    return decorate


def migrate(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a stored set dict upgraded to SCHEMA_VERSION; `raw` itself is never changed.

    Raises NewerSchemaError for a version above SCHEMA_VERSION (old code must not rewrite
    it), ValueError for a missing version or a gap in the migration table.
    """
    if not isinstance(raw, Mapping):
        raise ValueError(f"A stored set must be a JSON object, not {type(raw).__name__}.")
    version = raw.get("v")
    if not _is_int(version) or version < 0:
        raise ValueError(f"Stored set has no valid schema version 'v': {version!r}.")
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(version)
    data = dict(raw)
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise ValueError(f"No migration from set schema v{version} to v{version + 1}.")
        data = dict(step(dict(data)))
        version += 1
        data["v"] = version
    return data


# --- the log form -------------------------------------------------------------------------


def _parse_decimal(text: str) -> float | None:
    """A plain non-negative decimal ("8", "8.5", "8,5") or None; no signs, exponents, nan."""
    if _DECIMAL_TEXT.fullmatch(text) is None:
        return None
    return float(text.replace(",", "."))


def _parse_int(text: str) -> int | None:
    return int(text) if _INT_TEXT.fullmatch(text) else None


_UNIT_ALIASES: Final = {"kgs": LoadUnit.KG, "kilo": LoadUnit.KG, "kilos": LoadUnit.KG,
                        "lbs": LoadUnit.LB, "pound": LoadUnit.LB, "pounds": LoadUnit.LB}


def _parse_choice(enum: type[StrEnum], text: str) -> StrEnum | str:
    """The member named by `text` (any case), or the text itself for the rule to reject."""
    lowered = text.lower()
    if enum is LoadUnit and lowered in _UNIT_ALIASES:
        return _UNIT_ALIASES[lowered]
    return enum(lowered) if lowered in enum.__members__.values() else text


def parse_set_form(
    fields: Mapping[str, str],
    *,
    exercise_id: str,
    session_id: str | None,
    now: datetime,
    default_unit: LoadUnit,
) -> SetRecord:
    """Turn the raw text of the log form into a new record, or raise SetFormError with all errors.

    Empty fields mean "not given": load and reps are required, the rest have defaults.
    The set is stamped as performed, created and updated at `now`.
    """
    text = {key: val.strip() if isinstance(val, str) else val for key, val in fields.items()}
    errors: dict[str, str] = {}
    for key in sorted(set(text) - set(FORM_FIELDS), key=str):
        errors[key] = "Unknown field."
    for key, value in text.items():
        if key in FORM_FIELDS and not isinstance(value, str):
            errors[key] = "Expected text from the form."
            text[key] = ""
    given = {key: value for key, value in text.items() if key in FORM_FIELDS and value != ""}

    values: dict[str, Any] = {
        "exercise_id": exercise_id,
        "session_id": session_id,
        "performed_at": now,
        "unit": _parse_choice(LoadUnit, given["unit"]) if "unit" in given else default_unit,
        "note": text.get("note", ""),
    }
    for key, enum in (("side", Side), ("set_type", SetType),
                      ("foot_height", FootHeight), ("foot_width", FootWidth)):
        if key in given:
            values[key] = _parse_choice(enum, given[key])
    if "tempo" in given:
        try:
            values["tempo"] = _canonical_tempo(given["tempo"])
        except TempoError as exc:
            errors["tempo"] = str(exc)

    if "load" in given:
        values["entered_load"] = _normalise_load(given["load"])
    else:
        errors["load"] = MSG_LOAD_MISSING
    parsers: dict[str, tuple[Callable[[str], Any], str]] = {
        "reps": (_parse_int, MSG_REPS),
        "rir": (_parse_int, MSG_RIR),
        "rpe": (_parse_decimal, MSG_RPE),
        "tut_seconds": (_parse_decimal, MSG_TUT),
    }
    for key, (parse, message) in parsers.items():
        if key in given:
            parsed = parse(given[key])
            if parsed is None:
                errors[key] = message
            else:
                values[key] = parsed
    if "reps" not in given:
        errors["reps"] = "Enter the reps, e.g. 10."
    for key, message in _errors(values).items():
        errors.setdefault(key, message)
    # Typing both is an error even when one is malformed; that one keeps its own message.
    if "rpe" in given and "rir" in given:
        errors.setdefault("rpe", MSG_RPE_AND_RIR)
        errors.setdefault("rir", MSG_RPE_AND_RIR)
    if errors:
        raise SetFormError(errors)
    return SetRecord(**values, created_at=now, updated_at=now)
