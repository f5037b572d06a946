"""Personal records, kept up to date one set at a time so the set screen can cheer at once.

Records are tracked per exercise and per side: a set's `side` is part of the key, so the left
and right leg of a one-sided exercise each have their own records, while two-leg sets (side
"both") share one. Warm-ups never count, and neither do sets with 0 reps (nothing was lifted).

Announcing is part of the job, so `RecordBook.add` returns what a set just broke. A record must
be beaten, not matched: equal is not new. The very first counting set of an exercise (per side)
only sets the baselines and is announced as "first", never as a record; likewise the first set
at a new load or the first reliable 1RM estimate sets a baseline silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Final, NamedTuple

from legcoach.core.setlog import LoadUnit, SetRecord, SetType, from_kg
from legcoach.core.setstore import sort_key
from legcoach.core.sides import Side
from legcoach.core.strength import E1RM_FORMULA, Formula, estimate_1rm, exact_volume

__all__ = [
    "RecordBook",
    "RecordEvent",
    "RecordKey",
    "RecordKind",
    "SessionKey",
    "TrackedRecord",
    "exercise_phrase",
    "format_load",
    "format_number",
    "load_key",
    "session_key",
]

REP_LOAD_STEP: Final = Decimal("0.5")
"""Loads within a quarter kg count as "the same load" for rep records (lb loads land off-grid)."""

E1RM_PLACES: Final = 3
"""e1RM values are compared to the gram, so two equal estimates never differ by float noise."""


# --- shared helpers: sessions and wording (progression.py uses them too) -------------------

SessionKey = tuple[str, str]
"""("session", session_id), or ("day", "YYYY-MM-DD") in UTC for sets logged without a session."""


def session_key(record: SetRecord) -> SessionKey:
    """Which training session a set belongs to; the tag keeps ids and dates from colliding."""
    if record.session_id is not None:
        return ("session", record.session_id)
    return ("day", record.performed_at.date().isoformat())


def load_key(load_kg: float) -> float:
    """The load rounded to the nearest 0.5 kg (halves up): the bucket for rep records."""
    steps = (Decimal(repr(float(load_kg))) / REP_LOAD_STEP).to_integral_value(ROUND_HALF_UP)
    return float(steps * REP_LOAD_STEP)


def format_number(value: float | Decimal, places: int = 2) -> str:
    """At most `places` decimals, no trailing zeros, thousands separated: 4,200 · 102.5."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    text = f"{exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_load(load_kg: float, unit: LoadUnit = LoadUnit.KG, places: int = 2) -> str:
    """A kg value as the lifter reads it in their unit: "160 kg", "352.74 lb"."""
    value = load_kg if LoadUnit(unit) is LoadUnit.KG else from_kg(load_kg, unit)
    return f"{format_number(value, places)} {LoadUnit(unit).value}"


def format_volume(volume_kg: float, unit: LoadUnit = LoadUnit.KG) -> str:
    """Load × reps in the lifter's display unit, whole: "9,840 kg", "21,693 lb"."""
    value = volume_kg if LoadUnit(unit) is LoadUnit.KG else from_kg(volume_kg, unit)
    return f"{format_number(value, 0)} {LoadUnit(unit).value}"


def exercise_phrase(name: str, side: Side = Side.BOTH) -> str:
    """The name as it reads mid-sentence: "45° Leg Press" → "45° leg press (left leg)".

    Only Title-case words are lowered, so acronyms such as "ATG" keep their capitals.
    """
    words = " ".join(word.lower() if word.istitle() else word for word in name.split(" "))
    return words if side is Side.BOTH else f"{words} ({side.label.lower()})"


# --- the records ------------------------------------------------------------------------------


class RecordKind(StrEnum):
    FIRST = "first"
    """Not a record: the first counting set of an exercise (per side), which sets the baselines."""
    HEAVIEST = "heaviest"
    E1RM = "e1rm"
    REPS = "reps"
    """Most reps at one load (bucketed by `load_key`)."""
    SESSION_VOLUME = "session_volume"


_COUNTING: Final = frozenset({SetType.WORKING, SetType.FAILURE, SetType.DROP})


class RecordKey(NamedTuple):
    exercise_id: str
    side: Side
    kind: RecordKind
    load_kg: float | None = None
    """The load bucket for REPS records, None for the others."""


@dataclass(frozen=True, slots=True)
class TrackedRecord:
    """A record's current value and the set that holds it.

    For session volume, `set_id`/`performed_at` are the session's latest set added so far.
    """

    value: float
    set_id: str
    session: SessionKey
    performed_at: datetime


@dataclass(frozen=True, slots=True)
class RecordEvent:
    """Something to announce about a set just logged. `value` is kg, or reps for REPS."""

    kind: RecordKind
    exercise_id: str
    side: Side
    value: float
    previous: float | None
    set_id: str
    exercise_name: str
    load_kg: float | None = None
    """The load of a REPS record, None for other kinds."""
    first: bool = False
    """True for the FIRST announcement: the UI says "first … logged" instead of a record."""

    @property
    def text(self) -> str:
        """The announcement in kg."""
        return self.describe(LoadUnit.KG)

    def describe(self, unit: LoadUnit = LoadUnit.KG) -> str:
        """The announcement with loads in the lifter's unit."""
        what = exercise_phrase(self.exercise_name, self.side)
        if self.kind is RecordKind.FIRST:
            return f"First {what} logged"
        if self.kind is RecordKind.REPS:
            load = format_load(self.load_kg or 0.0, unit)
            return (f"New rep record for {what}: {format_number(self.value)} reps at {load} "
                    f"(was {format_number(self.previous or 0)})")
        places = 1 if self.kind is RecordKind.E1RM else 2
        value, was = (format_load(v or 0.0, unit, places) for v in (self.value, self.previous))
        title = {
            RecordKind.HEAVIEST: f"New heaviest {what}",
            RecordKind.E1RM: f"New best estimated 1RM for {what}",
            RecordKind.SESSION_VOLUME: f"New best session volume for {what}",
        }[self.kind]
        return f"{title}: {value} (was {was})"


def _held(record: SetRecord, session: SessionKey, value: float) -> TrackedRecord:
    return TrackedRecord(value=value, set_id=record.id, session=session,
                         performed_at=record.performed_at)


@dataclass(slots=True)
class _Track:
    """Records of one (exercise, side); plain dict look-ups so adding a set is O(1)."""

    heaviest: TrackedRecord
    e1rm: TrackedRecord | None
    reps: dict[float, TrackedRecord]
    session_volume: dict[SessionKey, Decimal]
    best_volume: TrackedRecord


@dataclass
class RecordBook:
    """All personal records, built set by set; `names` maps exercise ids to display names.

    Adding is incremental. An edit or a deletion can change any record, so after one, call
    `rebuild` with the full history.
    """

    names: Mapping[str, str] = field(default_factory=dict)
    formula: Formula = E1RM_FORMULA
    _tracks: dict[tuple[str, Side], _Track] = field(default_factory=dict, init=False, repr=False)
    _seen: set[str] = field(default_factory=set, init=False, repr=False)

    @classmethod
    def from_history(
        cls,
        records: Iterable[SetRecord],
        names: Mapping[str, str] | None = None,
        formula: Formula = E1RM_FORMULA,
    ) -> RecordBook:
        """A book holding the records of `records`, replayed in the order they were performed."""
        book = cls(names=dict(names or {}), formula=formula)
        book.rebuild(records)
        return book

    def rebuild(self, records: Iterable[SetRecord]) -> None:
        """Forget everything and replay `records` in time order (after an edit or a delete)."""
        self._tracks.clear()
        self._seen.clear()
        for record in sorted(records, key=sort_key):
            self.add(record)

    def add(self, record: SetRecord) -> list[RecordEvent]:
        """Take one new set into account and return what it broke (empty if nothing).

        Raises ValueError for a set id already added: an edited set needs `rebuild`.
        """
        if record.id in self._seen:
            raise ValueError(f"Set {record.id} is already in the record book; rebuild after edits.")
        self._seen.add(record.id)
        if record.set_type not in _COUNTING or record.reps < 1:
            return []
        track_key = (record.exercise_id, record.side)
        session = session_key(record)
        volume = exact_volume(record.load_kg, record.reps)
        e1rm = self._e1rm(record)
        track = self._tracks.get(track_key)
        if track is None:
            self._tracks[track_key] = _Track(
                heaviest=_held(record, session, record.load_kg),
                e1rm=None if e1rm is None else _held(record, session, e1rm),
                reps={load_key(record.load_kg): _held(record, session, record.reps)},
                session_volume={session: volume},
                best_volume=_held(record, session, float(volume)),
            )
            return [self._event(RecordKind.FIRST, record, record.load_kg, None, first=True)]
        return self._update(track, record, session, volume, e1rm)

    def _e1rm(self, record: SetRecord) -> float | None:
        """Reliable estimates only: a 20-rep finisher must not set a strength record."""
        estimate = estimate_1rm(record.load_kg, record.reps, self.formula)
        if estimate is None or not estimate.reliable:
            return None
        return round(estimate.kg, E1RM_PLACES)

    def _update(
        self, track: _Track, record: SetRecord, session: SessionKey, volume: Decimal,
        e1rm: float | None,
    ) -> list[RecordEvent]:
        def here(value: float) -> TrackedRecord:
            return _held(record, session, value)

        events: list[RecordEvent] = []
        if record.load_kg > track.heaviest.value:
            events.append(self._event(RecordKind.HEAVIEST, record, record.load_kg,
                                      track.heaviest.value))
            track.heaviest = here(record.load_kg)
        if e1rm is not None and (track.e1rm is None or e1rm > track.e1rm.value):
            if track.e1rm is not None:
                events.append(self._event(RecordKind.E1RM, record, e1rm, track.e1rm.value))
            track.e1rm = here(e1rm)
        bucket = load_key(record.load_kg)
        best_reps = track.reps.get(bucket)
        if best_reps is None or record.reps > best_reps.value:
            if best_reps is not None:
                events.append(self._event(RecordKind.REPS, record, record.reps, best_reps.value,
                                          load_kg=bucket))
            track.reps[bucket] = here(record.reps)
        total = track.session_volume.get(session, Decimal(0)) + volume
        track.session_volume[session] = total
        best = track.best_volume
        if best.session == session:
            # The holder keeps growing; it was announced when it took the lead.
            track.best_volume = here(float(total))
        elif total > track.session_volume[best.session]:
            events.append(self._event(RecordKind.SESSION_VOLUME, record, float(total), best.value))
            track.best_volume = here(float(total))
        return events

    def _event(
        self, kind: RecordKind, record: SetRecord, value: float, previous: float | None,
        *, first: bool = False, load_kg: float | None = None,
    ) -> RecordEvent:
        return RecordEvent(
            kind=kind, exercise_id=record.exercise_id, side=record.side, value=value,
            previous=previous, set_id=record.id,
            exercise_name=self.names.get(record.exercise_id, record.exercise_id),
            load_kg=load_kg, first=first,
        )

    # --- queries ---------------------------------------------------------------------------

    def heaviest(self, exercise_id: str, side: Side = Side.BOTH) -> TrackedRecord | None:
        track = self._tracks.get((exercise_id, Side(side)))
        return None if track is None else track.heaviest

    def best_e1rm(self, exercise_id: str, side: Side = Side.BOTH) -> TrackedRecord | None:
        track = self._tracks.get((exercise_id, Side(side)))
        return None if track is None else track.e1rm

    def most_reps(
        self, exercise_id: str, load_kg: float, side: Side = Side.BOTH
    ) -> TrackedRecord | None:
        """Most reps at `load_kg` (to the nearest 0.5 kg)."""
        track = self._tracks.get((exercise_id, Side(side)))
        return None if track is None else track.reps.get(load_key(load_kg))

    def best_session_volume(self, exercise_id: str, side: Side = Side.BOTH) -> TrackedRecord | None:
        track = self._tracks.get((exercise_id, Side(side)))
        return None if track is None else track.best_volume

    def records(self) -> dict[RecordKey, TrackedRecord]:
        """Every current record, keyed flat: for the records screen and for comparisons."""
        result: dict[RecordKey, TrackedRecord] = {}
        for (exercise_id, side), track in self._tracks.items():
            result[RecordKey(exercise_id, side, RecordKind.HEAVIEST)] = track.heaviest
            if track.e1rm is not None:
                result[RecordKey(exercise_id, side, RecordKind.E1RM)] = track.e1rm
            for bucket, record in track.reps.items():
                result[RecordKey(exercise_id, side, RecordKind.REPS, bucket)] = record
            result[RecordKey(exercise_id, side, RecordKind.SESSION_VOLUME)] = track.best_volume
        return result
