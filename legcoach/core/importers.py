"""Read other apps' workout exports (Strong, Hevy) and legcoach's own CSV into a preview.

Nothing here touches a store: `parse_import` turns a file into an `ImportPreview` the lifter can
check first (workouts, sets, how each exercise name maps onto the library, what was skipped and
why), and only `apply_import` writes. Set and session ids are derived from the file's content
(uuid5 over source, the workout's local start, exercise name and the set's position among that
exercise's rows in the workout), so importing the same export twice, or a later export that
repeats old workouts, adds every set exactly once. The file's own set numbers are not used:
Strong's warm-ups have none and Hevy restarts ``set_index`` when an exercise comes back.

Formats, recognised by their header (BOM, quoting, ``;`` / ``,`` / tab and CRLF all tolerated;
extra columns are ignored):

- Strong with the unit in the header: ``Workout #;Date;...;Weight (kg)|Weight (lbs);...``.
- Strong (iOS) without any unit: ``Date,Workout Name,Duration,...,RPE``; the caller must pass
  `unit`, else `MissingUnitError`. Durations like ``29m`` / ``1h 5m``, times like ``5:36:08 PM``.
- Strong (older) with a ``Weight Unit`` column per row (``kg`` / ``lbs``).
- Hevy: ``title,start_time,end_time,...,weight_kg|weight_lbs,...``, times like
  ``15 Sep 2025, 07:48``.
- legcoach's own CSV export (`LEGCOACH_CSV_COLUMNS`), read back exactly, ids and all.

Times in Strong and Hevy files are local wall-clock times without a zone: `tz` says which zone
they are in (None: this computer's zone). They carry no time per set either, so the n-th set row
of a workout is stamped n seconds after its start: the log, sorted by time, keeps the file order.

Fatal (`ImportFileError` and subclasses, with the line; nothing of the file is used): not UTF-8,
empty, an unknown header or a duplicate column, a row with the wrong number of cells, a date that
does not parse (or lies outside 1900-2200), a cell in a number column that is not a number, an
unknown weight unit, a unit that is needed but unknown, and for legcoach's own CSV any invalid
set. Those mean the file is not what its header says, so guessing on would import garbage.

Warnings (`RowWarning`, the rest of the file is imported): Strong's ``Rest Timer`` and ``Note``
rows are not sets and are only counted (`ignored_rows`). A set row without an exercise name, of
an unknown set type, with an empty weight (for a leg press most likely a missing value, not
bodyweight), an empty or fractional or out-of-range rep count, a negative weight (an assisted
exercise) or a load above legcoach's limit is skipped. An RPE off legcoach's scale (1-10 in
halves; 0 means none) or an out-of-range duration is dropped and the set kept; a note longer than
legcoach allows is shortened. Weights are rounded to 0.01 to drop float noise
(``12.900000000000034`` → ``12.9``) and notes get plain line feeds. Row warnings are only given
for exercises that would be imported: 200 skipped plank rows are noise when planks are left out.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from legcoach.core.setlog import (
    MAX_NOTE_CHARS,
    MAX_REPS,
    LoadUnit,
    SetFormError,
    SetRecord,
    SetType,
)
from legcoach.core.setstore import SetStore
from legcoach.core.utc import parse_utc

__all__ = [
    "GUESSES",
    "LEGCOACH_CSV_COLUMNS",
    "ImportFileError",
    "ImportPreview",
    "ImportResult",
    "ImportSession",
    "MalformedRowError",
    "MissingUnitError",
    "RowWarning",
    "UnknownFormatError",
    "apply_import",
    "custom_exercise_id",
    "guess_exercise_id",
    "parse_import",
]

LEGCOACH_CSV_COLUMNS: Final = (
    "performed_at", "exercise", "exercise_id", "load", "unit", "load_kg", "reps", "side",
    "set_type", "rpe", "rir", "tempo", "tut_seconds", "foot_height", "foot_width", "note",
    "session_id", "source", "id", "created_at", "updated_at",
)
"""legcoach's CSV columns, in order. Defined here, used by the exporter, so the two directions
cannot drift apart. `exercise` (the name) and `load_kg` are for people and spreadsheets: reading
back, the id and the load as entered + unit are what count."""

_ID_NAMESPACE: Final = uuid.UUID("48ab6bac-6ea0-41fb-8bc8-01e059a85308")
"""Fixed forever: changing it would give every re-imported set a new id (duplicates)."""

_CENT: Final = Decimal("0.01")
_LOAD_LIMIT: Final = Decimal(1_000_000)
"""Beyond any unit's plausible load; keeps quantize away from absurd exponents."""
_MAX_TUT: Final = Decimal(3600)
_YEARS: Final = range(1900, 2201)

GUESSES: Final[Mapping[str, tuple[str, ...]]] = {
    "leg-press": ("Leg Press (Machine)", "Leg Press", "Seated Leg Press",
                  "Leg Press Horizontal (Machine)"),
    "leg-press-45": ("45° Leg Press", "Leg Press 45", "Incline Leg Press"),
    "single-leg-press": ("Single Leg Press", "Single Leg Press (Machine)"),
    "hip-thrust-machine": ("Hip Thrust (Machine)", "Machine Hip Thrust"),
}
"""Built-in library id → exercise names other apps use for it (compared ignoring case,
punctuation and accents). A remembered mapping passed to `parse_import` wins over these."""


# --- errors and results -----------------------------------------------------------------------


class ImportFileError(ValueError):
    """The file can't be imported; nothing of it is used.

    `line` is the 1-based line where the problem starts (None: the file as a whole) and
    `reason` the message without it, for a dialog that shows the line separately.
    """

    def __init__(self, reason: str, line: int | None = None) -> None:
        self.reason = reason
        self.line = line
        super().__init__(reason if line is None else f"Line {line}: {reason}")


class UnknownFormatError(ImportFileError):
    """Not a file legcoach can read: empty, not UTF-8 text, or a header it doesn't know."""


class MissingUnitError(ImportFileError):
    """The export doesn't say kg or lb: ask the lifter and parse again with `unit`."""


class MalformedRowError(ImportFileError):
    """A row doesn't hold what the header promises (cells, dates, numbers, units)."""


@dataclass(frozen=True, slots=True)
class RowWarning:
    """A row skipped, or a value of it dropped, while the rest of the file is imported."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class ImportSession:
    """One workout of the file. `set_count` is how many of its sets will be imported."""

    id: str
    name: str
    started_at: datetime
    duration: timedelta | None
    note: str
    set_count: int


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What an import would add, for the lifter to check before `apply_import`.

    `exercise_map` maps every exercise name in the file (legcoach CSV: every exercise id) to a
    library id or None (also for names kept as custom exercises, whose sets carry
    `custom_exercise_id(name)`); `exercise_counts` counts the valid sets per name, imported or not;
    `left_out` counts valid sets not imported because their exercise is unmapped;
    `date_range` spans every valid set of the file.
    """

    source: str
    layout: str
    unit: LoadUnit | None
    sessions: tuple[ImportSession, ...]
    sets: tuple[SetRecord, ...]
    exercise_map: Mapping[str, str | None]
    exercise_counts: Mapping[str, int]
    warnings: tuple[RowWarning, ...]
    left_out: int
    ignored_rows: int
    date_range: tuple[datetime, datetime] | None


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: int
    skipped_existing: int


# --- exercise names -----------------------------------------------------------------------------


def _name_key(name: str) -> str:
    """"45° Leg-Press" and "45 leg press" are one name: case, accents, punctuation ignored.

    Letters of any script survive, so two names in Cyrillic never collapse into one key.
    """
    folded = unicodedata.normalize("NFKD", name.casefold())
    kept = "".join(ch if ch.isalnum() else " " for ch in folded if not unicodedata.combining(ch))
    return " ".join(kept.split())


_GUESS_BY_KEY: Final = {_name_key(name): eid for eid, names in GUESSES.items() for name in names}


def guess_exercise_id(name: str) -> str | None:
    """The built-in library id another app's exercise name most likely means, or None."""
    return _GUESS_BY_KEY.get(_name_key(name))


def custom_exercise_id(name: str) -> str:
    """A stable id for an exercise kept under its own name: "custom:" + an ASCII slug."""
    ascii_words = re.findall(r"[a-z0-9]+", _name_key(name).encode("ascii", "ignore").decode())
    slug = "-".join(ascii_words)[:60].strip("-")
    return "custom:" + (slug or uuid.uuid5(_ID_NAMESPACE, _name_key(name)).hex[:12])


# --- cells ------------------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]{1,4})?", re.ASCII)
_WHOLE = re.compile(r"[0-9]{1,4}", re.ASCII)
_PLAIN_FLOAT = re.compile(r"[0-9]{1,30}(?:\.[0-9]{1,30})?(?:e[+-]?[0-9]{1,4})?", re.ASCII)
_TIME = r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]{1,6})?)?(?:\s*([AaPp])\.?[Mm]\.?)?"
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})[ T]" + _TIME)
_DAY_MONTH_DATE = re.compile(r"([0-9]{1,2}) ([A-Za-z]{3,9})\.? ([0-9]{4}),? " + _TIME)
_MONTHS: Final = ("january", "february", "march", "april", "may", "june", "july", "august",
                  "september", "october", "november", "december")
_DURATION = re.compile(
    r"(?:([0-9]{1,3})\s*h)?\s*(?:([0-9]{1,4})\s*m(?:in)?)?\s*(?:([0-9]{1,5})\s*s)?", re.ASCII)


def _number(text: str, label: str, line: int) -> Decimal | None:
    """A number cell ("12.5", "12,5", "1e1"), None if empty; anything else is fatal."""
    if text == "":
        return None
    if _NUMBER.fullmatch(text) is None:
        raise MalformedRowError(f"{label} {text!r} is not a number.", line)
    return Decimal(text.replace(",", "."))


def _month(word: str) -> int | None:
    """English month names, by hand: strptime's %b follows the locale Qt sets at start."""
    lowered = word.lower()
    for number, month in enumerate(_MONTHS, start=1):
        if len(lowered) >= 3 and month.startswith(lowered):
            return number
    return None


def _local_time(text: str, label: str, line: int) -> datetime:
    """A zone-less date and time as written by Strong or Hevy; fatal if it doesn't parse."""
    problem = f"{label} {text!r} is not a date and time like 2024-11-28 17:36:08."
    if (match := _ISO_DATE.fullmatch(text)) is not None:
        year, month, day = (int(match[i]) for i in (1, 2, 3))
        clock = match.groups()[3:]
    elif (match := _DAY_MONTH_DATE.fullmatch(text)) is not None:
        year, month, day = int(match[3]), _month(match[2]) or 0, int(match[1])
        clock = match.groups()[3:]
    else:
        raise MalformedRowError(problem, line)
    hour, minute, second, half = int(clock[0]), int(clock[1]), int(clock[2] or 0), clock[3]
    if half is not None:
        if not 1 <= hour <= 12:
            raise MalformedRowError(problem, line)
        hour = hour % 12 + (12 if half in "Pp" else 0)
    if year not in _YEARS:
        raise MalformedRowError(f"{label} {text!r} is not between 1900 and 2200.", line)
    try:
        return datetime(year, month, day, hour, minute, second)  # local on purpose
    except ValueError:
        raise MalformedRowError(f"{label} {text!r} is not a real date and time.", line) from None


def _to_utc(local: datetime, tz: tzinfo | None, line: int) -> datetime:
    try:
        aware = local.replace(tzinfo=tz) if tz is not None else local.astimezone()
        return aware.astimezone(UTC)
    except (OverflowError, OSError, ValueError):  # OSError: Windows' mktime before 1970
        raise MalformedRowError(f"{local} can't be placed in a time zone.", line) from None


def _load_text(weight: Decimal) -> str:
    """The load as legcoach stores it typed: float noise rounded off, no trailing zeros.

    Raises _Skip for loads legcoach can't log (negative: an assisted exercise; absurdly big).
    """
    if abs(weight) >= _LOAD_LIMIT:
        raise _Skip(f"weight {weight} is out of range: row skipped.")
    rounded = weight.quantize(_CENT, rounding=ROUND_HALF_UP)
    if rounded < 0:
        raise _Skip(f"negative weight {rounded.normalize():f} (an assisted exercise): row skipped.")
    return f"{abs(rounded).normalize():f}"


def _rep_count(reps: Decimal) -> int:
    if not 0 <= reps <= MAX_REPS or reps != reps.to_integral_value():
        raise _Skip(f"{reps} reps is not a whole number from 0 to {MAX_REPS}: row skipped.")
    return int(reps)


class _Skip(Exception):  # control flow inside the reader, never escapes it
    """A set row that can't become a set; the message becomes the row's warning."""


def _rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the line each starts on (quoted cells may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        raise MalformedRowError(f"this is not valid CSV ({exc}).", start) from None


def _decode(data: str | bytes) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = len(before.splitlines()) + (1 if before.endswith((b"\n", b"\r")) or not before
                                           else 0)
        raise UnknownFormatError(
            "the file is not UTF-8 text (was it saved again by a spreadsheet?). Export it from "
            "the app again.", line) from None


# --- layouts and detection ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """One known header: which column plays which role, and where the unit comes from."""

    source: str
    title: str
    roles: Mapping[str, str]
    """role → column name (casefolded). Roles: start, end, workout, workout_note, duration,
    exercise, note, kind, reps, rpe, seconds, unit."""
    weights: Mapping[str, LoadUnit | None]
    """Weight column → the unit it implies; None: from a unit column or the caller."""
    duration: str = ""
    """How the workout's length is given: "seconds", "text" (1h 5m), "end" (an end time)."""


_STRONG_ROLES: Final = {
    "start": "date", "workout": "workout name", "exercise": "exercise name", "kind": "set order",
    "reps": "reps", "rpe": "rpe", "seconds": "seconds", "note": "notes",
    "workout_note": "workout notes",
}
_LAYOUTS: Final = (
    _Layout("strong", "Strong (unit in the header)",
            {**_STRONG_ROLES, "duration": "duration (sec)", "number": "workout #"},
            {"weight (kg)": LoadUnit.KG, "weight (lbs)": LoadUnit.LB}, duration="seconds"),
    _Layout("strong", "Strong (older, with a unit column)",
            {**_STRONG_ROLES, "unit": "weight unit"}, {"weight": None}),
    _Layout("strong", "Strong (iOS, no unit)",
            {**_STRONG_ROLES, "duration": "duration"}, {"weight": None}, duration="text"),
    _Layout("hevy", "Hevy",
            {"start": "start_time", "end": "end_time", "workout": "title",
             "workout_note": "description", "exercise": "exercise_title",
             "note": "exercise_notes", "kind": "set_type", "reps": "reps", "rpe": "rpe",
             "seconds": "duration_seconds"},
            {"weight_kg": LoadUnit.KG, "weight_lbs": LoadUnit.LB}, duration="end"),
)
_LEGCOACH_TITLE: Final = "legcoach CSV export"


def _delimiter(first_line: str) -> str:
    counts = {mark: first_line.count(mark) for mark in (",", ";", "\t")}
    return max(counts, key=lambda mark: (counts[mark], mark == ","))


def _detect(header: list[str], line: int) -> tuple[_Layout | None, str, dict[str, int]]:
    """(layout, weight column, column → index); layout None means legcoach's own CSV."""
    names = [cell.strip().casefold() for cell in header]
    index: dict[str, int] = {}
    for position, name in enumerate(names):
        if name in index:
            raise UnknownFormatError(f"the column {header[position].strip()!r} appears twice.",
                                     line)
        index[name] = position
    if set(LEGCOACH_CSV_COLUMNS) <= index.keys():
        return None, "", index
    candidates = [
        (layout, weight, {*layout.roles.values(), weight})
        for layout in _LAYOUTS for weight in layout.weights
    ]
    matching = [c for c in candidates if c[2] <= index.keys()]
    if matching:
        layout, weight, _ = max(matching, key=lambda c: len(c[2]))
        return layout, weight, index
    options = [(_LEGCOACH_TITLE, set(LEGCOACH_CSV_COLUMNS))]
    options += [(layout.title, wanted) for layout, _, wanted in candidates]
    title, wanted = max(options, key=lambda o: len(o[1] & index.keys()) / len(o[1]))
    if len(wanted & index.keys()) >= 3:  # enough to name the likely format
        missing = ", ".join(sorted(wanted - index.keys()))
        raise UnknownFormatError(f"this looks like a {title}, but it lacks the columns {missing}.",
                                 line)
    raise UnknownFormatError(
        "this is not a Strong, Hevy or legcoach CSV export: the first line should name the "
        "columns, e.g. Date;Workout Name;Exercise Name;Set Order;...", line)


# --- reading Strong and Hevy ------------------------------------------------------------------

_NOT_SETS: Final = frozenset({"rest timer", "note"})
_SET_KINDS: Final = {
    "w": SetType.WARMUP, "d": SetType.DROP, "f": SetType.FAILURE,
    "normal": SetType.WORKING, "warmup": SetType.WARMUP, "failure": SetType.FAILURE,
    "dropset": SetType.DROP,
}
_UNIT_WORDS: Final = {"kg": LoadUnit.KG, "kgs": LoadUnit.KG, "lb": LoadUnit.LB,
                      "lbs": LoadUnit.LB}


def _set_kind(text: str) -> SetType | None:
    """Strong's set order (1, 2, W, D, F) or Hevy's set type; None if unknown."""
    lowered = text.casefold()
    return SetType.WORKING if _WHOLE.fullmatch(lowered) else _SET_KINDS.get(lowered)


@dataclass
class _Workout:
    id: str
    key: str
    name: str
    start: datetime
    duration: timedelta | None
    note: str
    rows: int = 0
    imported: int = 0

    def session(self) -> ImportSession:
        return ImportSession(self.id, self.name, self.start, self.duration, self.note,
                             self.imported)


@dataclass(frozen=True)
class _Options:
    tz: tzinfo | None
    unit: LoadUnit | None
    mapping: Mapping[str, str | None]
    keep_unmapped: bool
    now: datetime


@dataclass
class _Collected:
    """What a reader gathers before the preview is frozen; shared by every format."""

    sets: list[SetRecord] = field(default_factory=list)
    workouts: dict[str, _Workout] = field(default_factory=dict)
    exercise_map: dict[str, str | None] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    warnings: list[RowWarning] = field(default_factory=list)
    left_out: int = 0
    ignored: int = 0
    first: datetime | None = None
    last: datetime | None = None

    def saw_set(self, name: str, moment: datetime) -> None:
        self.counts[name] += 1
        self.first = moment if self.first is None else min(self.first, moment)
        self.last = moment if self.last is None else max(self.last, moment)

    def preview(self, source: str, layout: str, unit: LoadUnit | None) -> ImportPreview:
        return ImportPreview(
            source=source, layout=layout, unit=unit,
            sessions=tuple(w.session() for w in self.workouts.values()),
            sets=tuple(self.sets), exercise_map=dict(self.exercise_map),
            exercise_counts={name: self.counts[name] for name in self.exercise_map},
            warnings=tuple(self.warnings), left_out=self.left_out, ignored_rows=self.ignored,
            date_range=None if self.first is None or self.last is None
            else (self.first, self.last),
        )


class _ForeignReader:
    """Turns Strong or Hevy rows into SetRecords, one row at a time."""

    def __init__(self, layout: _Layout, weight_column: str, index: Mapping[str, int],
                 options: _Options) -> None:
        self.layout = layout
        self.options = options
        self.header_unit = layout.weights[weight_column]
        self.positions = {role: index[name] for role, name in layout.roles.items()}
        self.positions["weight"] = index[weight_column]
        self.width = len(index)
        self.got = _Collected()
        self.ordinals: Counter[tuple[str, str]] = Counter()

    def row(self, line: int, cells: list[str]) -> None:
        if len(cells) != self.width:
            raise MalformedRowError(
                f"this row has {len(cells)} cells but the header names {self.width} columns.",
                line)
        cell = {role: cells[at].strip() for role, at in self.positions.items()}
        local = _local_time(cell["start"], "The date", line)
        end = _local_time(cell["end"], "The end time", line) if cell.get("end") else None
        workout = self._workout(local, end, cell, line)
        if cell["kind"].casefold() in _NOT_SETS:
            self.got.ignored += 1
            return
        position, workout.rows = workout.rows, workout.rows + 1
        name = cell["exercise"]
        ordinal_key = (workout.key, _name_key(name))
        ordinal = self.ordinals[ordinal_key]
        self.ordinals[ordinal_key] += 1
        weight = _number(cell["weight"], "The weight", line)
        reps = _number(cell["reps"], "The reps", line)
        rpe = _number(cell["rpe"], "The RPE", line)
        seconds = _number(cell["seconds"], "The seconds", line)
        unit = self._unit(cell, weight, line)
        if not _name_key(name):
            self.got.warnings.append(RowWarning(line, "no exercise name: row skipped."))
            return
        library_id = self._library_id(name)
        target = library_id or (custom_exercise_id(name) if self.options.keep_unmapped else None)
        self.got.exercise_map.setdefault(name, library_id)
        try:
            kind = _set_kind(cell["kind"])
            if kind is None:
                raise _Skip(f"unknown set type {cell['kind']!r}: row skipped.")
            if weight is None:
                raise _Skip("no weight: row skipped (an empty weight is taken as missing).")
            if reps is None:
                raise _Skip("no reps: row skipped.")
            load, count = _load_text(weight), _rep_count(reps)
        except _Skip as skip:
            if target is not None:
                self.got.warnings.append(RowWarning(line, str(skip)))
            return
        performed_at = workout.start + timedelta(seconds=position)
        if target is None:
            self.got.saw_set(name, performed_at)
            self.got.left_out += 1
            return
        set_id = uuid.uuid5(_ID_NAMESPACE, f"{workout.id}|{ordinal_key[1]}|{ordinal}").hex
        try:
            record = SetRecord(
                id=set_id, exercise_id=target, session_id=workout.id, performed_at=performed_at,
                unit=unit, entered_load=load, reps=count, set_type=kind,
                rpe=self._rpe(rpe, line), tut_seconds=self._seconds(seconds, line),
                note=self._note(cell["note"], line), source=self.layout.source,
                created_at=self.options.now, updated_at=self.options.now,
            )
        except SetFormError as exc:
            problems = " ".join(exc.errors.values())
            self.got.warnings.append(RowWarning(line, f"{problems} Row skipped."))
            return
        self.got.saw_set(name, performed_at)
        self.got.sets.append(record)
        workout.imported += 1

    def _library_id(self, name: str) -> str | None:
        key = _name_key(name)
        if key in self.options.mapping:
            return self.options.mapping[key]
        return _GUESS_BY_KEY.get(key)

    def _workout(self, local: datetime, end: datetime | None, cell: Mapping[str, str],
                 line: int) -> _Workout:
        """The row's workout, created on its first row. Identity = source + local start time,
        so neither the chosen time zone nor a renamed workout changes the ids."""
        key = local.isoformat()
        if (workout := self.got.workouts.get(key)) is not None:
            return workout
        workout = _Workout(
            id=uuid.uuid5(_ID_NAMESPACE, f"{self.layout.source}|{key}").hex, key=key,
            name=cell["workout"], start=_to_utc(local, self.options.tz, line),
            duration=self._duration(local, end, cell.get("duration", ""), line),
            note=cell.get("workout_note", ""),
        )
        self.got.workouts[key] = workout
        return workout

    def _duration(self, local: datetime, end: datetime | None, text: str,
                  line: int) -> timedelta | None:
        """The workout's length if the file knows it; an unreadable one is only a warning."""
        kind = self.layout.duration
        if kind == "end":
            return end - local if end is not None and end >= local else None
        if text == "":
            return None
        if kind == "seconds" and _NUMBER.fullmatch(text):
            seconds = Decimal(text.replace(",", "."))
            if 0 <= seconds < 7 * 86400:  # a week: anything longer is garbage
                return timedelta(seconds=int(seconds))
        if kind == "text" and (match := _DURATION.fullmatch(text)) and any(match.groups()):
            hours, minutes, seconds_ = (int(group or 0) for group in match.groups())
            return timedelta(hours=hours, minutes=minutes, seconds=seconds_)
        self.got.warnings.append(RowWarning(line, f"workout duration {text!r} not understood."))
        return None

    def _unit(self, cell: Mapping[str, str], weight: Decimal | None, line: int) -> LoadUnit:
        if self.header_unit is not None:
            return self.header_unit
        word = cell.get("unit", "").casefold()
        if word in _UNIT_WORDS:
            return _UNIT_WORDS[word]
        if word:
            raise MalformedRowError(f"unknown weight unit {cell['unit']!r} (kg or lbs).", line)
        if self.options.unit is not None:
            return self.options.unit
        if weight is None:
            return LoadUnit.KG  # nothing to convert; the row is skipped anyway
        raise MissingUnitError("this row has a weight but no unit: choose kg or lb.", line)

    def _rpe(self, rpe: Decimal | None, line: int) -> float | None:
        if rpe is None or rpe == 0:
            return None
        if 1 <= rpe <= 10 and (rpe * 2) == (rpe * 2).to_integral_value():
            return float(rpe)
        self.got.warnings.append(RowWarning(line, f"RPE {rpe} is off the 1-10 scale: dropped."))
        return None

    def _seconds(self, seconds: Decimal | None, line: int) -> float | None:
        if seconds is None or seconds == 0:
            return None
        if 0 < seconds <= _MAX_TUT:
            return float(seconds)
        self.got.warnings.append(RowWarning(line, f"{seconds} seconds is out of range: dropped."))
        return None

    def _note(self, note: str, line: int) -> str:
        """Line breaks made "\n" (a CRLF file gives "\r\n"), cut to what legcoach keeps."""
        note = note.replace("\r\n", "\n").replace("\r", "\n")
        if len(note) <= MAX_NOTE_CHARS:
            return note
        self.got.warnings.append(
            RowWarning(line, f"note shortened to legcoach's {MAX_NOTE_CHARS} characters."))
        return note[:MAX_NOTE_CHARS]


# --- reading legcoach's own CSV ---------------------------------------------------------------


class _LegcoachReader:
    """legcoach's export read back exactly; any invalid set is fatal (it's our own format)."""

    def __init__(self, index: Mapping[str, int]) -> None:
        self.positions = {name: index[name] for name in LEGCOACH_CSV_COLUMNS}
        self.width = len(index)
        self.got = _Collected()
        self.lines: dict[str, int] = {}

    def row(self, line: int, cells: list[str]) -> None:
        if len(cells) != self.width:
            raise MalformedRowError(
                f"this row has {len(cells)} cells but the header names {self.width} columns.",
                line)
        cell = {name: cells[at].strip() for name, at in self.positions.items()}
        record = self._record(cell, line)
        if record.id in self.lines:
            raise MalformedRowError(
                f"set {record.id} is also on line {self.lines[record.id]}.", line)
        self.lines[record.id] = line
        self.got.exercise_map[record.exercise_id] = record.exercise_id
        self.got.saw_set(record.exercise_id, record.performed_at)
        self.got.sets.append(record)
        if record.session_id is not None:
            self._count_session(record.session_id, record.performed_at)

    def _count_session(self, session_id: str, performed_at: datetime) -> None:
        """legcoach sessions have no name or length of their own: a start and a count."""
        workout = self.got.workouts.setdefault(session_id, _Workout(
            id=session_id, key=session_id, name="", start=performed_at, duration=None, note=""))
        workout.start = min(workout.start, performed_at)
        workout.imported += 1

    @staticmethod
    def _record(cell: Mapping[str, str], line: int) -> SetRecord:
        def whole(name: str) -> int | None:
            if cell[name] == "":
                return None
            if _WHOLE.fullmatch(cell[name]) is None:
                raise MalformedRowError(f"{name} {cell[name]!r} is not a whole number.", line)
            return int(cell[name])

        def number(name: str) -> float | None:
            if cell[name] == "":
                return None
            if _PLAIN_FLOAT.fullmatch(cell[name]) is None:
                raise MalformedRowError(f"{name} {cell[name]!r} is not a number.", line)
            return float(cell[name])

        def moment(name: str) -> datetime:
            try:
                return parse_utc(cell[name])
            except (ValueError, OverflowError):
                raise MalformedRowError(
                    f"{name} {cell[name]!r} is not a UTC time like 2025-06-01T10:30:00.000000Z.",
                    line) from None

        try:
            return SetRecord(
                id=cell["id"], exercise_id=cell["exercise_id"],
                session_id=cell["session_id"] or None, performed_at=moment("performed_at"),
                unit=cell["unit"], entered_load=cell["load"],  # type: ignore[arg-type]
                reps=whole("reps"), side=cell["side"],  # type: ignore[arg-type]
                foot_height=cell["foot_height"] or None,  # type: ignore[arg-type]
                foot_width=cell["foot_width"] or None,  # type: ignore[arg-type]
                tempo=cell["tempo"] or None, tut_seconds=number("tut_seconds"),
                rpe=number("rpe"), rir=whole("rir"),
                set_type=cell["set_type"], note=cell["note"],  # type: ignore[arg-type]
                source=cell["source"], created_at=moment("created_at"),
                updated_at=moment("updated_at"),
            )
        except SetFormError as exc:
            raise MalformedRowError(f"this set is not valid: {exc}.", line) from None


# --- the entry points -------------------------------------------------------------------------


def parse_import(
    data: str | bytes,
    *,
    tz: tzinfo | None = None,
    unit: LoadUnit | str | None = None,
    mapping: Mapping[str, str | None] | None = None,
    keep_unmapped: bool = False,
    now: datetime | None = None,
) -> ImportPreview:
    """Read an export into a preview; raise an `ImportFileError` for a file that can't be used.

    `tz`: the zone of the file's local times (None: this computer's). `unit`: kg or lb for a
    Strong export that doesn't say (ignored when the file says). `mapping`: remembered exercise
    name → library id (None: deliberately unmapped), compared like the built-in guesses and
    winning over them. `keep_unmapped`: import unmapped exercises as "custom:<slug>" instead of
    leaving them out. `now`: created_at/updated_at of the new sets (default: the current time).
    """
    when = now if now is not None else datetime.now(UTC)
    if when.utcoffset() is None:
        raise ValueError("now must be timezone-aware.")
    remembered: dict[str, str | None] = {}
    for name, target in (mapping or {}).items():
        if target is not None and (not isinstance(target, str) or not target.strip()):
            raise ValueError(f"The mapping for {name!r} must be an exercise id or None.")
        remembered[_name_key(name)] = target
    options = _Options(tz, LoadUnit(unit) if unit is not None else None, remembered,
                       keep_unmapped, when)

    text = _decode(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise UnknownFormatError("the file is empty.", 1)
    if first_line.lstrip().startswith(("{", "[")):
        raise UnknownFormatError(
            "this is a JSON file, not a CSV export. A legcoach backup is restored with "
            "Restore backup.", 1)
    rows = _rows(text, _delimiter(first_line))
    header_line, header = next(((n, cells) for n, cells in rows if cells), (1, []))
    layout, weight_column, index = _detect(header, header_line)
    reader: _ForeignReader | _LegcoachReader
    if layout is None:
        reader = _LegcoachReader(index)
    else:
        reader = _ForeignReader(layout, weight_column, index, options)
        if reader.header_unit is None and "unit" not in layout.roles and options.unit is None:
            raise MissingUnitError(
                "this Strong export doesn't say whether weights are kg or lb: choose the unit "
                "and import again.", header_line)
    for line, cells in rows:
        if cells and any(cell.strip() for cell in cells):
            reader.row(line, cells)
    if layout is None:
        return reader.got.preview("legcoach", _LEGCOACH_TITLE, None)
    unit_shown = reader.header_unit or (options.unit if "unit" not in layout.roles else None)
    return reader.got.preview(layout.source, layout.title, unit_shown)


def apply_import(preview: ImportPreview, store: SetStore) -> ImportResult:
    """Add the preview's sets whose id the store doesn't hold yet; never changes a stored set.

    Stored sets win, so edits made after an earlier import survive a re-import. If the store
    fails part-way, importing again completes the job without duplicates.
    """
    added = store.add_many(preview.sets)
    return ImportResult(added=len(added), skipped_existing=len(preview.sets) - len(added))
