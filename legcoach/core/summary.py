"""The end-of-workout summary: duration, volume per exercise, records, and last time.

Pure: it reads the session and set records, so it is the same whether the workout just ended
or is reopened later.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from legcoach.core.records import session_key
from legcoach.core.session import WorkoutSession
from legcoach.core.setlog import LoadUnit, SetRecord, SetType, from_kg
from legcoach.core.strength import total_volume


@dataclass(frozen=True)
class ExerciseSummary:
    exercise_id: str
    name: str
    sets: int  # working and other non-warm-up sets; both legs of a one-leg set count once each
    reps: int
    volume_kg: float  # load × reps over non-warm-up sets
    best_set: str  # "120 kg × 12"
    previous_volume_kg: float | None  # the last earlier session with this exercise

    @property
    def change_text(self) -> str:
        """E.g. "+240 kg vs last time", "same as last time", "first time"."""
        return self.change_in(LoadUnit.KG)

    def change_in(self, unit: LoadUnit) -> str:
        """`change_text` with the volume in the lifter's display unit."""
        if self.previous_volume_kg is None:
            return "first time"
        delta_kg = self.volume_kg - self.previous_volume_kg
        delta = delta_kg if unit is LoadUnit.KG else from_kg(delta_kg, unit)
        if round(delta) == 0:  # as the text rounds it: never "+0 kg" (or "-0 kg") for ±0.5
            return "same volume as last time"
        if self.previous_volume_kg > 0:
            percent = f" ({delta_kg / self.previous_volume_kg:+.0%})"
        else:
            percent = ""
        return f"{delta:+,.0f} {unit.value} volume vs last time{percent}"


@dataclass(frozen=True)
class SessionSummary:
    title: str
    duration: timedelta
    exercises: tuple[ExerciseSummary, ...]
    records: tuple[str, ...]

    @property
    def total_volume_kg(self) -> float:
        return sum(e.volume_kg for e in self.exercises)

    @property
    def duration_text(self) -> str:
        minutes = int(self.duration.total_seconds() // 60)
        return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def volume_kg(records: Iterable[SetRecord]) -> float:
    """Load × reps over the sets that count for volume (warm-ups do not)."""
    return total_volume(r for r in records if r.set_type is not SetType.WARMUP)


def _best(records: Sequence[SetRecord]) -> str:
    if not records:
        return ""
    best = max(records, key=lambda r: (r.load_kg, r.reps))
    return best.describe()


def summarize(
    session: WorkoutSession,
    session_sets: Sequence[SetRecord],
    earlier_sets: Sequence[SetRecord],
    names: Mapping[str, str],
    records: Sequence[str] = (),
    now: datetime | None = None,
) -> SessionSummary:
    """`earlier_sets`: sets logged before this session (any exercise, any order)."""
    end = session.finished_at or now or session.started_at
    order = list(dict.fromkeys(item.exercise_id for item in session.items))
    order += [r.exercise_id for r in session_sets if r.exercise_id not in order]
    exercises = []
    for exercise_id in order:
        mine = [r for r in session_sets if r.exercise_id == exercise_id]
        if not mine:
            continue
        counted = [r for r in mine if r.set_type is not SetType.WARMUP]
        exercises.append(ExerciseSummary(
            exercise_id=exercise_id,
            name=names.get(exercise_id, exercise_id),
            sets=len(counted),
            reps=sum(r.reps for r in counted),
            volume_kg=volume_kg(mine),
            best_set=_best(counted or mine),
            previous_volume_kg=_previous_volume(exercise_id, earlier_sets, session.id),
        ))
    return SessionSummary(
        title=session.routine_name,
        duration=max(end - session.started_at, timedelta(0)),
        exercises=tuple(exercises),
        records=tuple(records),
    )


def _previous_volume(exercise_id: str, earlier: Sequence[SetRecord], session_id: str
                     ) -> float | None:
    """Volume of the latest earlier session (or day, for sets logged outside a session)."""
    mine = [r for r in earlier if r.exercise_id == exercise_id and r.session_id != session_id]
    if not mine:
        return None
    latest = session_key(max(mine, key=lambda r: r.performed_at))
    return volume_kg(r for r in mine if session_key(r) == latest)
