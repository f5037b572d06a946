"""Progress over time: per-session and per-week series of one exercise, for the charts.

A session is what `records.session_key` says (a workout's id, else the UTC day). For each one
the charts need the top set (heaviest load; more reps break a tie), the best estimated 1RM,
the volume (Σ load × reps) and whether the heaviest load or the best estimate went up. Which
sets count is a `Filters` choice: working sets by default; warm-ups may be added to volume but
never count for load, reps or the estimate, and neither do sets with 0 reps (nothing lifted).

Estimates use the app's formula (`strength.E1RM_DESCRIPTION`). Above RELIABLE_MAX_REPS an
estimate is only used when a session has no lower-rep set, is flagged `e1rm_reliable=False`
(the chart draws it hollow) and never makes a record, as in `records.RecordBook`.

Everything here is pure. `ProgressModel` holds each exercise's sets as columns (numpy at
query time), updated one set at a time by `add`, so the chart screen never re-reads the whole
log on a switch; its answers are cached per (exercise, filters) until that exercise changes.
The module-level functions answer the same questions for a plain list of records.
"""

from __future__ import annotations

import bisect
import csv
import functools
import io
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any, Final, NamedTuple

import numpy as np

from legcoach.core.exercise import FootHeight, FootWidth
from legcoach.core.records import SessionKey, session_key
from legcoach.core.setlog import SetRecord, SetType
from legcoach.core.setstore import sort_key
from legcoach.core.sides import Side
from legcoach.core.strength import (
    E1RM_DESCRIPTION,
    E1RM_FORMULA,
    FORMULAS,
    RELIABLE_MAX_REPS,
)

__all__ = [
    "ALL_SETS",
    "E1RM_DESCRIPTION",
    "HARD_SETS",
    "SESSIONS_CSV_COLUMNS",
    "SIDES_CSV_COLUMNS",
    "WEEKLY_CSV_COLUMNS",
    "WORKING_SETS",
    "Filters",
    "PlacementStats",
    "ProgressModel",
    "SessionRow",
    "SessionSeries",
    "SideComparison",
    "WeeklySeries",
    "placement_comparison",
    "session_series",
    "sessions_csv",
    "side_comparison",
    "sides_csv",
    "weekly_csv",
    "weekly_volume",
]

WORKING_SETS: Final = frozenset({SetType.WORKING})
HARD_SETS: Final = frozenset({SetType.WORKING, SetType.DROP, SetType.FAILURE})
ALL_SETS: Final = frozenset(SetType)

WEEK_SECONDS: Final = 7 * 86_400
_MONDAY_SHIFT: Final = 3 * 86_400
"""1970-01-01 was a Thursday: shifting by three days puts every ISO week on one integer."""

_E1RM: Final = FORMULAS[E1RM_FORMULA][0]
_E1RM_PLACES: Final = 3  # records compare estimates to the gram, like records.RecordBook

# Small integer codes for the columns; -1 stands for "not recorded".
_SIDES: Final = tuple(Side)
_HEIGHTS: Final = tuple(FootHeight)
_WIDTHS: Final = tuple(FootWidth)
_TYPES: Final = tuple(SetType)
_CODES: Final[dict[object, int]] = {
    None: -1, **{value: i for options in (_SIDES, _HEIGHTS, _WIDTHS, _TYPES)
                 for i, value in enumerate(options)}}
"""Enum member → its index among its kind (the enums' values never clash: checked below)."""
assert len(_CODES) == 1 + len(_SIDES) + len(_HEIGHTS) + len(_WIDTHS) + len(_TYPES)
_WARMUP: Final = _CODES[SetType.WARMUP]


@functools.lru_cache(maxsize=4096)
def _estimate(load_kg: float, reps: int) -> float:
    """The app's 1RM formula, NaN for no answer; cached: a log repeats few (load, reps) pairs."""
    value = _E1RM(load_kg, reps)
    return np.nan if value is None else value


def _readonly(values: np.ndarray) -> np.ndarray:
    """Cached results are shared between callers: nobody may change them in place."""
    values.flags.writeable = False
    return values


# --- filters --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Filters:
    """Which sets of an exercise count. None means "any" (for feet: recorded or not)."""

    set_types: frozenset[SetType] = WORKING_SETS
    side: Side | None = None
    foot_height: FootHeight | None = None
    foot_width: FootWidth | None = None

    def __post_init__(self) -> None:
        types = frozenset(SetType(t) for t in self.set_types)
        if not types:
            raise ValueError("Choose at least one set type.")
        object.__setattr__(self, "set_types", types)
        if self.side is not None:
            object.__setattr__(self, "side", Side(self.side))
        if self.foot_height is not None:
            object.__setattr__(self, "foot_height", FootHeight(self.foot_height))
        if self.foot_width is not None:
            object.__setattr__(self, "foot_width", FootWidth(self.foot_width))

    def with_side(self, side: Side | None) -> Filters:
        return Filters(self.set_types, side, self.foot_height, self.foot_width)

    def any_feet(self) -> Filters:
        return Filters(self.set_types, self.side)

    def _mask(self, columns: _Columns, *, feet: bool = True) -> np.ndarray:
        mask = np.isin(columns.set_type, [_CODES[t] for t in self.set_types])
        if self.side is not None:
            mask &= columns.side == _CODES[self.side]
        if feet and self.foot_height is not None:
            mask &= columns.foot_height == _CODES[self.foot_height]
        if feet and self.foot_width is not None:
            mask &= columns.foot_width == _CODES[self.foot_width]
        return mask


DEFAULT_FILTERS: Final = Filters()


# --- one exercise's sets as columns ---------------------------------------------------------


class _Columns(NamedTuple):
    """A snapshot of one exercise's sets as numpy arrays, rows in `sort_key` order."""

    t: np.ndarray  # performed_at, POSIX seconds
    load: np.ndarray
    reps: np.ndarray
    e1rm: np.ndarray  # NaN where the formula has no answer (0 reps)
    side: np.ndarray
    foot_height: np.ndarray
    foot_width: np.ndarray
    set_type: np.ndarray
    session: np.ndarray  # index into _ExerciseLog.session_keys
    session_first_row: np.ndarray  # per session index: its earliest row (any set type)


_COLUMN_TYPES: Final = {"t": np.float64, "load": np.float64, "reps": np.int64,
                        "e1rm": np.float64, "side": np.int8, "foot_height": np.int8,
                        "foot_width": np.int8, "set_type": np.int8, "session": np.int64}
"""Column name → numpy type of its snapshot. Columns are kept as lists: appending and
inserting are cheap, and numpy turns a list into an array faster than array.array takes one."""


def _column_values(records: Sequence[SetRecord], sessions: Sequence[int],
                   times: list[float] | None = None) -> dict[str, list]:
    """The column values of `records`, one list per _COLUMN_TYPES name (column by column:
    several times faster than row tuples for the thousands of sets of a first read);
    `times` if the caller already has the timestamps."""
    loads, reps = [r.load_kg for r in records], [r.reps for r in records]
    return {
        "t": times if times is not None else [r.performed_at.timestamp() for r in records],
        "load": loads,
        "reps": reps,
        "e1rm": list(map(_estimate, loads, reps)),
        "side": [_CODES[r.side] for r in records],
        "foot_height": [_CODES[r.foot_height] for r in records],
        "foot_width": [_CODES[r.foot_width] for r in records],
        "set_type": [_CODES[r.set_type] for r in records],
        "session": list(sessions),
    }


@dataclass(eq=False)
class _ExerciseLog:
    """One exercise's sets, kept sorted; appending a set is O(1) unless it is back-dated."""

    records: list[SetRecord] = field(default_factory=list)
    session_keys: list[SessionKey] = field(default_factory=list)
    _by_id: dict[str, SetRecord] | None = None  # made by the first add()
    _sessions: dict[SessionKey, int] = field(default_factory=dict)
    _columns: dict[str, list] = field(
        default_factory=lambda: {name: [] for name in _COLUMN_TYPES})
    _snapshot: _Columns | None = None

    @classmethod
    def from_records(cls, records: Iterable[SetRecord], *,
                     distinct: bool = False) -> _ExerciseLog:
        """Bulk build: one pass per column, and a sort only if the records are not in order.

        Stores answer in time order, so the times column (needed anyway) usually proves the
        order and the sort (a key tuple per set: a fifth of a first read) is skipped.
        `distinct`: the records are known to be different sets (a store's answer), so the
        check for a set given twice is skipped.
        """
        log = cls()
        rows = list(records)
        times = [r.performed_at.timestamp() for r in rows]
        if not all(map(operator.lt, times, itertools.islice(times, 1, None))):
            rows.sort(key=sort_key)  # equal times are ordered by id: only sort_key knows
            times = [r.performed_at.timestamp() for r in rows]
        log.records = rows
        if not distinct:
            log._by_id = {record.id: record for record in rows}
            if len(log._by_id) != len(rows):
                raise ValueError("The same set appears twice in the history.")
        log._columns = _column_values(rows, log._session_indices(rows), times)
        return log

    def _session_indices(self, records: Sequence[SetRecord]) -> list[int]:
        """Each record's session number, numbering sessions not seen before."""
        known = self._sessions
        keys = self.session_keys
        indices = []
        for record in records:
            key = session_key(record)
            index = known.get(key)
            if index is None:
                index = known[key] = len(keys)
                keys.append(key)
            indices.append(index)
        return indices

    def add(self, record: SetRecord) -> bool:
        """Insert `record` in time order; False if this very record is already here."""
        if self._by_id is None:
            self._by_id = {known.id: known for known in self.records}
        known = self._by_id.get(record.id)
        if known is not None:
            if known == record:
                return False
            raise ValueError(f"Set {record.id} was edited; reload the exercise's history.")
        position = bisect.bisect_right(self.records, sort_key(record), key=sort_key)
        self.records.insert(position, record)
        self._by_id[record.id] = record
        values = _column_values([record], self._session_indices([record]))
        for name, (value,) in values.items():
            self._columns[name].insert(position, value)
        self._snapshot = None
        return True

    def columns(self) -> _Columns:
        if self._snapshot is None:
            arrays = {name: np.array(self._columns[name], dtype=kind)
                      for name, kind in _COLUMN_TYPES.items()}
            first_row = np.zeros(len(self.session_keys), dtype=np.int64)
            sessions, first = np.unique(arrays["session"], return_index=True)
            first_row[sessions] = first  # rows are time-sorted: first seen = earliest
            self._snapshot = _Columns(**arrays, session_first_row=first_row)
        return self._snapshot


# --- per-session series ---------------------------------------------------------------------


class SessionRow(NamedTuple):
    """One session as plain Python values (None = no value): for tests, CSV and readouts."""

    started_at: datetime
    top_load_kg: float | None
    top_reps: int | None
    best_e1rm_kg: float | None
    e1rm_reliable: bool
    volume_kg: float
    sets: int
    load_record: bool
    e1rm_record: bool


def _optional(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


@dataclass(frozen=True, eq=False)
class SessionSeries:
    """One point per session, oldest first. Arrays are read-only and aligned; NaN = no value.

    `t` is the session start as POSIX seconds (for plotting); `started_at` the same as UTC
    datetimes. A session starts at its first set of this exercise, whatever the filters, so
    a session sits at the same place on every chart.
    """

    exercise_id: str
    filters: Filters
    keys: tuple[SessionKey, ...]
    started_at: tuple[datetime, ...]
    t: np.ndarray
    top_load_kg: np.ndarray
    top_reps: np.ndarray  # float so that "no top set" can be NaN
    best_e1rm_kg: np.ndarray
    e1rm_reliable: np.ndarray
    volume_kg: np.ndarray
    set_count: np.ndarray
    load_record: np.ndarray
    """The top-set load beat every earlier session's (the first session sets the baseline)."""
    e1rm_record: np.ndarray
    """The best reliable estimate beat every earlier reliable one."""

    def __len__(self) -> int:
        return len(self.keys)

    def row(self, index: int) -> SessionRow:
        return SessionRow(
            started_at=self.started_at[index],
            top_load_kg=_optional(self.top_load_kg[index]),
            top_reps=None if np.isnan(self.top_reps[index]) else int(self.top_reps[index]),
            best_e1rm_kg=_optional(self.best_e1rm_kg[index]),
            e1rm_reliable=bool(self.e1rm_reliable[index]),
            volume_kg=float(self.volume_kg[index]),
            sets=int(self.set_count[index]),
            load_record=bool(self.load_record[index]),
            e1rm_record=bool(self.e1rm_record[index]),
        )

    def rows(self) -> list[SessionRow]:
        return [self.row(i) for i in range(len(self))]

    def index_near(self, t: float) -> int | None:
        """The session closest in time to `t` (POSIX seconds): for hover readouts."""
        if not len(self):
            return None
        position = int(np.searchsorted(self.t, t))
        candidates = [i for i in (position - 1, position) if 0 <= i < len(self)]
        return min(candidates, key=lambda i: abs(self.t[i] - t))


def _group_max(values: np.ndarray, groups: np.ndarray, count: int) -> np.ndarray:
    """Per-group maximum of `values` (NaN ignored); NaN for a group with no value."""
    best = np.full(count, -np.inf)
    keep = ~np.isnan(values)
    np.maximum.at(best, groups[keep], values[keep])
    best[best == -np.inf] = np.nan
    return best


def _went_up(values: np.ndarray) -> np.ndarray:
    """True where a value beats every earlier one; NaNs neither count nor break a run."""
    if not len(values):
        return np.zeros(0, dtype=bool)
    before = np.concatenate(([np.nan], np.fmax.accumulate(values)[:-1]))
    with np.errstate(invalid="ignore"):
        return values > before  # NaN on either side compares False


def _aggregate(log: _ExerciseLog, rows: np.ndarray, exercise_id: str,
               filters: Filters) -> SessionSeries:
    """The session series over the given rows of `log` (already filtered)."""
    c = log.columns()
    session = c.session[rows]
    present = np.flatnonzero(np.bincount(session, minlength=len(log.session_keys)))
    present = present[np.argsort(c.session_first_row[present], kind="stable")]
    count = len(present)
    group_of = np.full(len(log.session_keys), -1, dtype=np.int64)
    group_of[present] = np.arange(count)
    group = group_of[session]

    load, reps = c.load[rows], c.reps[rows]
    volume = np.bincount(group, weights=load * reps, minlength=count)
    set_count = np.bincount(group, minlength=count)

    lifted = (c.set_type[rows] != _WARMUP) & (reps >= 1)
    lift_rows, lift_group = rows[lifted], group[lifted]
    # The top set: the heaviest load, then the most reps at that load (two group maxima: a
    # few times quicker than sorting the sets by group, load and reps).
    lift_load = c.load[lift_rows]
    top_load = _group_max(lift_load, lift_group, count)
    at_top = lift_load == top_load[lift_group]
    top_reps = _group_max(np.where(at_top, c.reps[lift_rows], np.nan), lift_group, count)
    estimates = c.e1rm[lift_rows]
    trusted = c.reps[lift_rows] <= RELIABLE_MAX_REPS
    best_trusted = _group_max(np.where(trusted, estimates, np.nan), lift_group, count)
    best_any = _group_max(estimates, lift_group, count)
    reliable = ~np.isnan(best_trusted)
    best = np.where(reliable, best_trusted, best_any)

    first_rows = c.session_first_row[present]
    return SessionSeries(
        exercise_id=exercise_id,
        filters=filters,
        keys=tuple(log.session_keys[i] for i in present.tolist()),
        started_at=tuple(log.records[i].performed_at for i in first_rows.tolist()),
        t=_readonly(c.t[first_rows]),
        top_load_kg=_readonly(top_load),
        top_reps=_readonly(top_reps),
        best_e1rm_kg=_readonly(best),
        e1rm_reliable=_readonly(reliable),
        volume_kg=_readonly(volume),
        set_count=_readonly(set_count),
        load_record=_readonly(_went_up(top_load)),
        e1rm_record=_readonly(_went_up(np.where(reliable, np.round(best, _E1RM_PLACES),
                                                np.nan))),
    )


def _sessions_of(log: _ExerciseLog, exercise_id: str, filters: Filters) -> SessionSeries:
    rows = np.flatnonzero(filters._mask(log.columns()))
    return _aggregate(log, rows, exercise_id, filters)


# --- weeks ----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class WeeklySeries:
    """Volume per ISO week (UTC, Monday to Sunday), only weeks with a session, oldest first.

    A session counts in the week it started, so weekly bars add up the session bars.
    """

    exercise_id: str
    filters: Filters
    weeks: tuple[tuple[int, int], ...]  # (ISO year, ISO week)
    t: np.ndarray  # Monday 00:00 UTC, POSIX seconds
    volume_kg: np.ndarray
    sessions: np.ndarray

    def __len__(self) -> int:
        return len(self.weeks)

    def label(self, index: int) -> str:
        """E.g. "2026-W01": the ISO name, unambiguous across a year boundary."""
        year, week = self.weeks[index]
        return f"{year}-W{week:02d}"

    def monday(self, index: int) -> datetime:
        year, week = self.weeks[index]
        return datetime.combine(date.fromisocalendar(year, week, 1), time(), UTC)


def weekly_volume(series: SessionSeries) -> WeeklySeries:
    """Sum a session series into ISO weeks."""
    week = np.floor_divide(series.t + _MONDAY_SHIFT, WEEK_SECONDS).astype(np.int64)
    weeks, group = np.unique(week, return_inverse=True)
    mondays = weeks * WEEK_SECONDS - _MONDAY_SHIFT
    return WeeklySeries(
        exercise_id=series.exercise_id,
        filters=series.filters,
        weeks=tuple((iso.year, iso.week) for iso in (
            datetime.fromtimestamp(int(monday), UTC).isocalendar() for monday in mondays)),
        t=_readonly(mondays.astype(float)),
        volume_kg=_readonly(np.bincount(group, weights=series.volume_kg, minlength=len(weeks))),
        sessions=_readonly(np.bincount(group, minlength=len(weeks))),
    )


# --- left and right -------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SideComparison:
    """Left and right leg of a one-sided exercise, and their gap per session.

    `imbalance_pct` = (right − left) / stronger × 100 by best estimated 1RM, for the sessions
    that have both legs: positive means the LEFT leg is weaker, negative the right, and its
    size is (stronger − weaker) / stronger.
    """

    left: SessionSeries
    right: SessionSeries
    keys: tuple[SessionKey, ...]
    started_at: tuple[datetime, ...]
    t: np.ndarray
    left_e1rm_kg: np.ndarray
    right_e1rm_kg: np.ndarray
    imbalance_pct: np.ndarray

    def __len__(self) -> int:
        return len(self.keys)

    def weaker(self, index: int) -> Side | None:
        """Which leg was weaker in that session (None when they were equal)."""
        value = self.imbalance_pct[index]
        return Side.LEFT if value > 0 else Side.RIGHT if value < 0 else None


def _compare_sides(left: SessionSeries, right: SessionSeries) -> SideComparison:
    right_at = {key: i for i, key in enumerate(right.keys)}
    pairs = [(i, right_at[key]) for i, key in enumerate(left.keys)
             if key in right_at and not np.isnan(left.best_e1rm_kg[i])
             and not np.isnan(right.best_e1rm_kg[right_at[key]])]
    li = np.array([i for i, _ in pairs], dtype=np.int64)
    ri = np.array([j for _, j in pairs], dtype=np.int64)
    left_e1rm, right_e1rm = left.best_e1rm_kg[li], right.best_e1rm_kg[ri]
    stronger = np.maximum(left_e1rm, right_e1rm)
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = np.where(stronger > 0, (right_e1rm - left_e1rm) / stronger * 100, 0.0)
    starts = [left.started_at[i] for i, _ in pairs]  # both series use the same session starts
    return SideComparison(
        left=left, right=right,
        keys=tuple(left.keys[i] for i in li),
        started_at=tuple(starts),
        t=_readonly(np.array([s.timestamp() for s in starts], dtype=float)),
        left_e1rm_kg=_readonly(left_e1rm), right_e1rm_kg=_readonly(right_e1rm),
        imbalance_pct=_readonly(gap),
    )


# --- foot placements ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlacementStats:
    """How an exercise went with one foot placement; None = that part was not recorded."""

    foot_height: FootHeight | None
    foot_width: FootWidth | None
    sessions: int
    sets: int
    best_e1rm_kg: float | None
    e1rm_reliable: bool
    top_load_kg: float | None

    @property
    def label(self) -> str:
        """E.g. "High · wide", "Middle · width?" or "Feet not recorded"."""
        if self.foot_height is None and self.foot_width is None:
            return "Feet not recorded"
        height = self.foot_height.value.capitalize() if self.foot_height else "Height?"
        width = self.foot_width.value if self.foot_width else "width?"
        return f"{height} · {width}"


def _placements_of(log: _ExerciseLog, exercise_id: str,
                   filters: Filters) -> tuple[PlacementStats, ...]:
    c = log.columns()
    mask = filters._mask(c, feet=False)
    combos = sorted({(int(h), int(w)) for h, w in zip(c.foot_height[mask], c.foot_width[mask],
                                                      strict=True)},
                    key=lambda hw: (hw[0] < 0, hw[1] < 0, hw))  # "not recorded" last
    stats = []
    for height, width in combos:
        rows = np.flatnonzero(mask & (c.foot_height == height) & (c.foot_width == width))
        series = _aggregate(log, rows, exercise_id, filters)
        trusted = series.best_e1rm_kg[series.e1rm_reliable]
        pool = trusted if len(trusted) else series.best_e1rm_kg
        stats.append(PlacementStats(
            foot_height=None if height < 0 else _HEIGHTS[height],
            foot_width=None if width < 0 else _WIDTHS[width],
            sessions=len(series),
            sets=int(series.set_count.sum()),
            best_e1rm_kg=_optional(np.nanmax(pool)) if np.any(~np.isnan(pool)) else None,
            e1rm_reliable=bool(len(trusted)),
            top_load_kg=(_optional(np.nanmax(series.top_load_kg))
                         if np.any(~np.isnan(series.top_load_kg)) else None),
        ))
    return tuple(stats)


# --- the pure functions over plain records --------------------------------------------------


def _log_of(records: Iterable[SetRecord], exercise_id: str) -> _ExerciseLog:
    return _ExerciseLog.from_records(r for r in records if r.exercise_id == exercise_id)


def session_series(records: Iterable[SetRecord], exercise_id: str,
                   filters: Filters = DEFAULT_FILTERS) -> SessionSeries:
    """One point per session of `exercise_id` among `records` (other exercises are ignored)."""
    return _sessions_of(_log_of(records, exercise_id), exercise_id, filters)


def side_comparison(records: Iterable[SetRecord], exercise_id: str,
                    filters: Filters = DEFAULT_FILTERS) -> SideComparison:
    """Left against right; the side in `filters` is ignored."""
    log = _log_of(records, exercise_id)
    return _compare_sides(_sessions_of(log, exercise_id, filters.with_side(Side.LEFT)),
                          _sessions_of(log, exercise_id, filters.with_side(Side.RIGHT)))


def placement_comparison(records: Iterable[SetRecord], exercise_id: str,
                         filters: Filters = DEFAULT_FILTERS) -> tuple[PlacementStats, ...]:
    """The exercise split by foot placement (the feet in `filters` are ignored)."""
    return _placements_of(_log_of(records, exercise_id), exercise_id, filters)


# --- the model the chart screen keeps -------------------------------------------------------

Loader = Callable[[str], Iterable[SetRecord]]


class ProgressModel:
    """Each exercise's history as columns, read once, then kept up to date set by set.

    With a `loader` (e.g. `store.query(exercise_id=…)`: like a store, it answers each set
    once) an exercise is read the first time it is asked for, so opening the charts reads one
    exercise, not the whole log. Without one, `from_history` / `rebuild` give the complete
    history up front.

    `add` takes a set that was just logged (a set the loader would also return is fine: the
    same record twice is ignored). After an edit or a delete call `reload` (with a loader) or
    `rebuild`: one changed set can move every record marker after it.
    """

    def __init__(self, loader: Loader | None = None) -> None:
        self._loader = loader
        self._logs: dict[str, _ExerciseLog] = {}
        self._cache: dict[str, dict[tuple[str, Filters], Any]] = {}
        self._versions: dict[str, int] = {}

    @classmethod
    def from_history(cls, records: Iterable[SetRecord]) -> ProgressModel:
        model = cls()
        model.rebuild(records)
        return model

    def rebuild(self, records: Iterable[SetRecord]) -> None:
        """Replace the whole history with `records` (the loader, if any, is not asked again)."""
        by_exercise: dict[str, list[SetRecord]] = {}
        for record in records:
            by_exercise.setdefault(record.exercise_id, []).append(record)
        changed = set(self._logs) | set(by_exercise)
        self._logs = {ex: _ExerciseLog.from_records(rs) for ex, rs in by_exercise.items()}
        self._loader = None
        for exercise_id in changed:
            self._changed(exercise_id)

    def reload(self, exercise_id: str | None = None) -> None:
        """Forget one exercise (or all) so it is read again through the loader."""
        if self._loader is None:
            raise ValueError("This model has no loader; call rebuild() with the history.")
        for key in [exercise_id] if exercise_id is not None else list(self._logs):
            if self._logs.pop(key, None) is not None:
                self._changed(key)

    def add(self, record: SetRecord) -> bool:
        """Take in one new set; False if it was already there. ValueError for an edited set."""
        added = self._log(record.exercise_id).add(record)
        if added:
            self._changed(record.exercise_id)
        return added

    def _changed(self, exercise_id: str) -> None:
        self._cache.pop(exercise_id, None)
        self._versions[exercise_id] = self._versions.get(exercise_id, 0) + 1

    def _log(self, exercise_id: str) -> _ExerciseLog:
        log = self._logs.get(exercise_id)
        if log is None:
            records = self._loader(exercise_id) if self._loader is not None else ()
            log = self._logs[exercise_id] = _ExerciseLog.from_records(records, distinct=True)
        return log

    def _cached(self, exercise_id: str, kind: str, filters: Filters,
                compute: Callable[[], Any]) -> Any:
        cache = self._cache.setdefault(exercise_id, {})
        key = (kind, filters)
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    # --- queries -------------------------------------------------------------------------

    def version(self, exercise_id: str) -> int:
        """Grows whenever the exercise's history changes: the screen replots only then."""
        return self._versions.get(exercise_id, 0)

    def is_loaded(self, exercise_id: str) -> bool:
        return exercise_id in self._logs or self._loader is None

    def set_count(self, exercise_id: str) -> int:
        return len(self._log(exercise_id).records)

    def records(self, exercise_id: str) -> Sequence[SetRecord]:
        """The exercise's sets in time order (read-only view for tests and exports)."""
        return tuple(self._log(exercise_id).records)

    def sessions(self, exercise_id: str, filters: Filters = DEFAULT_FILTERS) -> SessionSeries:
        return self._cached(exercise_id, "sessions", filters,
                            lambda: _sessions_of(self._log(exercise_id), exercise_id, filters))

    def weekly(self, exercise_id: str, filters: Filters = DEFAULT_FILTERS) -> WeeklySeries:
        return self._cached(exercise_id, "weekly", filters,
                            lambda: weekly_volume(self.sessions(exercise_id, filters)))

    def sides(self, exercise_id: str, filters: Filters = DEFAULT_FILTERS) -> SideComparison:
        """Left against right; the side in `filters` is ignored."""
        return self._cached(exercise_id, "sides", filters.with_side(None), lambda: _compare_sides(
            self.sessions(exercise_id, filters.with_side(Side.LEFT)),
            self.sessions(exercise_id, filters.with_side(Side.RIGHT))))

    def placements(self, exercise_id: str,
                   filters: Filters = DEFAULT_FILTERS) -> tuple[PlacementStats, ...]:
        """Split by foot placement; the feet in `filters` are ignored."""
        return self._cached(exercise_id, "placements", filters.any_feet(),
                            lambda: _placements_of(self._log(exercise_id), exercise_id,
                                                   filters))


# --- CSV ------------------------------------------------------------------------------------

SESSIONS_CSV_COLUMNS: Final = (
    "session_start_utc", "top_set_load_kg", "top_set_reps", "best_e1rm_kg", "e1rm_reliable",
    "volume_kg", "sets", "load_record", "e1rm_record",
)
"""session_start_utc: ISO-8601 UTC time of the session's first set of the exercise;
top_set_load_kg / top_set_reps: the heaviest counted set (more reps break a tie), empty if the
session had only warm-ups; best_e1rm_kg: best estimated 1RM (see E1RM_DESCRIPTION), to the
gram; e1rm_reliable: 1 if it comes from a set of at most RELIABLE_MAX_REPS reps; volume_kg:
Σ load × reps of the counted sets; sets: how many sets counted; load_record / e1rm_record: 1
where the top load / best reliable estimate beat every earlier session."""

WEEKLY_CSV_COLUMNS: Final = ("iso_week", "week_start_utc", "volume_kg", "sessions")
"""iso_week: e.g. 2026-W01; week_start_utc: its Monday 00:00 UTC; volume_kg and sessions:
summed over the sessions that started in that week."""

SIDES_CSV_COLUMNS: Final = ("session_start_utc", "left_e1rm_kg", "right_e1rm_kg",
                            "imbalance_pct", "weaker_leg")
"""imbalance_pct: (right − left) / stronger × 100, so positive = left weaker; weaker_leg:
left, right or empty when equal."""


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _number(value: float | None) -> str:
    """At most three decimals (grams), no trailing zeros, no thousands separators."""
    if value is None or np.isnan(value):
        return ""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _csv(columns: Sequence[str], rows: Iterator[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def _flag(value: bool) -> str:
    return "1" if value else "0"


def sessions_csv(series: SessionSeries) -> str:
    """The session series as CSV text with SESSIONS_CSV_COLUMNS."""
    return _csv(SESSIONS_CSV_COLUMNS, (
        (_utc_text(row.started_at), _number(row.top_load_kg),
         "" if row.top_reps is None else str(row.top_reps), _number(row.best_e1rm_kg),
         _flag(row.e1rm_reliable), _number(row.volume_kg), str(row.sets),
         _flag(row.load_record), _flag(row.e1rm_record))
        for row in series.rows()))


def weekly_csv(weekly: WeeklySeries) -> str:
    """The weekly volume as CSV text with WEEKLY_CSV_COLUMNS."""
    return _csv(WEEKLY_CSV_COLUMNS, (
        (weekly.label(i), _utc_text(weekly.monday(i)), _number(float(weekly.volume_kg[i])),
         str(int(weekly.sessions[i])))
        for i in range(len(weekly))))


def sides_csv(sides: SideComparison) -> str:
    """Left against right as CSV text with SIDES_CSV_COLUMNS."""
    return _csv(SIDES_CSV_COLUMNS, (
        (_utc_text(sides.started_at[i]), _number(float(sides.left_e1rm_kg[i])),
         _number(float(sides.right_e1rm_kg[i])), _number(float(sides.imbalance_pct[i])),
         weaker.value if (weaker := sides.weaker(i)) else "")
        for i in range(len(sides))))
