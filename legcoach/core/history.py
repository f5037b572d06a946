"""The training history as sessions: what the History screen lists, searches and drills into.

Pure and linear: one pass over the sets in time order groups them into sessions and feeds a
`RecordBook` as it goes, so each set is flagged with the records it set *at the time it was
lifted* (a later, heavier session does not un-star an old one). 25,000 sets take a fraction of
a second; nothing here is quadratic.

Dates typed by the lifter are local calendar days; stored times are UTC. `local_range` turns
local days into half-open UTC bounds once, and every comparison after that is in UTC. The time
zone is an argument (None = this computer's, daylight saving included) so tests can pin it.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Final

from legcoach.core.records import RecordBook, RecordEvent, RecordKind, SessionKey, session_key
from legcoach.core.setlog import SetRecord
from legcoach.core.summary import SessionSummary, volume_kg

__all__ = [
    "ALL",
    "PRESETS",
    "RECORD_KINDS",
    "SessionRow",
    "group_sessions",
    "local_day",
    "local_range",
    "preset_range",
    "record_holders",
    "search",
]

RECORD_KINDS: Final = frozenset({RecordKind.HEAVIEST, RecordKind.E1RM})
"""The records that earn a session its star: strength, not rep or volume bookkeeping."""

ALL: Final = "All"
PRESETS: Final = ("4 weeks", "3 months", "1 year", ALL)
"""Date-range shortcuts, in the order the screen shows them."""

_PRESET_MONTHS: Final = {"3 months": 3, "1 year": 12}


@dataclass(frozen=True, slots=True)
class SessionRow:
    """One workout (or one UTC day of sets logged outside a workout), ready to list."""

    key: SessionKey
    started_at: datetime
    """UTC time of the first set."""
    ended_at: datetime
    """UTC time of the last set."""
    exercises: tuple[str, ...]
    """Exercise names in the order they were first trained."""
    exercise_ids: tuple[str, ...]
    """Same order as `exercises`; what the exercise search matches."""
    sets: tuple[SetRecord, ...]
    """Every set, warm-ups included, in time order: the drill-down shows them all."""
    volume_kg: float
    """Load × reps without warm-ups, like the workout summary."""
    records: tuple[RecordEvent, ...]
    """Heaviest / best-e1RM records set in this session, in the order they happened."""
    routine: str | None = None
    """The routine's name when known: sets do not store it, the caller may."""

    @property
    def duration(self) -> timedelta:
        """First set to last set: the log has no start/stop times of its own."""
        return self.ended_at - self.started_at

    # The summary's wording ("52 min", "1 h 05 min"), shared rather than retyped.
    duration_text = SessionSummary.duration_text

    @property
    def record_set_ids(self) -> frozenset[str]:
        """Sets to mark with a star in the drill-down."""
        return frozenset(event.set_id for event in self.records)

    @property
    def session_id(self) -> str | None:
        return self.key[1] if self.key[0] == "session" else None


@dataclass(slots=True)
class _Bucket:
    """A session while it is being collected: plain lists, appended to in O(1)."""

    sets: list[SetRecord]
    exercise_ids: dict[str, None]  # an ordered set
    records: list[RecordEvent]


def group_sessions(
    records: Iterable[SetRecord],
    names: Mapping[str, str],
    routines: Mapping[str, str] | None = None,
    book: RecordBook | None = None,
) -> list[SessionRow]:
    """Sessions of `records` (in time order, as `SetStore.query` returns them), newest first.

    `book` holds the records of everything before the first of `records` (a screen reading
    only a date range passes the book of the sets before it); it is updated in place. Without
    it the flags are relative to `records` alone, which is right when they start at the
    beginning of the log. `routines` maps session id → routine name.
    Raises ValueError if `records` are out of order: records would be flagged wrongly.
    """
    book = book if book is not None else RecordBook(names=names)
    buckets: dict[SessionKey, _Bucket] = {}
    last_time: datetime | None = None
    last_id = ""
    for record in records:
        moment = record.performed_at
        if last_time is not None and (moment < last_time or
                                      (moment == last_time and record.id < last_id)):
            raise ValueError("Sets must be in time order (performed_at, then id).")
        last_time, last_id = moment, record.id
        key = session_key(record)
        bucket = buckets.get(key)
        if bucket is None:
            bucket = buckets[key] = _Bucket([], {}, [])
        bucket.sets.append(record)
        bucket.exercise_ids[record.exercise_id] = None
        events = book.add(record)
        if events:
            bucket.records.extend(e for e in events if e.kind in RECORD_KINDS)
    rows = [_row(key, bucket, names, routines or {}) for key, bucket in buckets.items()]
    rows.sort(key=lambda row: (row.started_at, row.key), reverse=True)
    return rows


def _row(key: SessionKey, bucket: _Bucket, names: Mapping[str, str],
         routines: Mapping[str, str]) -> SessionRow:
    ids = tuple(bucket.exercise_ids)
    return SessionRow(
        key=key,
        started_at=bucket.sets[0].performed_at,
        ended_at=bucket.sets[-1].performed_at,
        exercises=tuple(names.get(i, i) for i in ids),
        exercise_ids=ids,
        sets=tuple(bucket.sets),
        volume_kg=volume_kg(bucket.sets),
        records=tuple(bucket.records),
        routine=routines.get(key[1]) if key[0] == "session" else None,
    )


def record_holders(records: Iterable[SetRecord], names: Mapping[str, str] | None = None
                   ) -> tuple[SetRecord, ...]:
    """The few sets holding the heaviest and best-e1RM records among `records`.

    Stars depend only on those two maxima per exercise and side, so a fresh RecordBook fed
    just these sets flags later sets exactly as one fed the whole past: a screen that reads a
    date range keeps this handful instead of the log before the range (or a copy of its book).
    """
    kept = list(records)
    book = RecordBook.from_history(kept, names=names)
    ids = {held.set_id for key, held in book.records().items() if key.kind in RECORD_KINDS}
    return tuple(record for record in kept if record.id in ids)


# --- dates: local days in, UTC bounds out ----------------------------------------------------


def _midnight_utc(day: date, tz: tzinfo | None) -> datetime:
    """Local midnight starting `day`, in UTC; tz None = this computer's zone, DST and all."""
    if tz is None:
        return datetime.combine(day, time()).astimezone(UTC)  # naive = local, via mktime
    return datetime.combine(day, time(), tzinfo=tz).astimezone(UTC)


def local_range(
    first: date | None, last: date | None, tz: tzinfo | None = None
) -> tuple[datetime | None, datetime | None]:
    """Local days `first`…`last` (both included, None = open) as half-open UTC bounds.

    The shape `SetStore.query(start=…, end=…)` takes, so a screen reads only that range.
    """
    start = None if first is None else _midnight_utc(first, tz)
    end = None if last is None else _midnight_utc(last + timedelta(days=1), tz)
    return start, end


def local_day(moment: datetime, tz: tzinfo | None = None) -> date:
    """The lifter's calendar day of a UTC moment."""
    return (moment.astimezone(tz) if tz is not None else moment.astimezone()).date()


def _months_back(day: date, months: int) -> date:
    """Same day of the month `months` earlier, clamped (31 May − 3 months → 28/29 Feb)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def preset_range(preset: str, today: date) -> tuple[date | None, date | None]:
    """The local days a preset covers, up to and including today (open-ended at the top,
    so sets logged later today still show). ValueError for an unknown preset."""
    if preset == ALL:
        return None, None
    if preset == "4 weeks":
        return today - timedelta(weeks=4), None
    if preset in _PRESET_MONTHS:
        return _months_back(today, _PRESET_MONTHS[preset]), None
    raise ValueError(f"Unknown range {preset!r}; choose from {', '.join(PRESETS)}.")


def search(
    rows: Sequence[SessionRow],
    exercise_id: str | None = None,
    first: date | None = None,
    last: date | None = None,
    tz: tzinfo | None = None,
) -> list[SessionRow]:
    """Sessions with `exercise_id` (None = any) that started on local days `first`…`last`.

    Order is kept (newest first from `group_sessions`). A session counts on the day it began.
    """
    start, end = local_range(first, last, tz)
    return [
        row for row in rows
        if (exercise_id is None or exercise_id in row.exercise_ids)
        and (start is None or row.started_at >= start)
        and (end is None or row.started_at < end)
    ]


def set_line(record: SetRecord, names: dict[str, str]) -> str:
    """E.g. "Sun 22 Nov 10:32 · 45° Leg Press · 120 kg × 12 · RPE 8 · working"."""
    when = record.performed_at.astimezone().strftime("%a %d %b %H:%M")
    parts = [when, names.get(record.exercise_id, record.exercise_id), record.describe()]
    if record.rpe is not None:
        parts.append(f"RPE {record.rpe:g}")
    elif record.rir is not None:
        parts.append(f"RIR {record.rir}")
    parts.append(record.set_type.value)
    if record.note:
        parts.append(f"“{record.note}”")
    return " · ".join(parts)
