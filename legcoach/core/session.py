"""A workout in progress: which exercise, which set, and which step of the flow we are in.

The flow per exercise is setup → (set → log → rest) × sets, then the next exercise, then done.
The session is plain data that serializes to a small document, saved whenever the step
changes (never while a set is running), so a closed app, a crash or a power cut resumes
exactly where the lifter was; a set that was running resumes at its start, and a finished
set that was not yet logged keeps the reps the timer counted.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Final

from legcoach.core.routine import Routine, RoutineItem
from legcoach.core.sides import Side
from legcoach.core.utc import iso_utc, parse_utc

SCHEMA_VERSION: Final = 1


class Stage(StrEnum):
    SETUP = "setup"  # guided setup and machine settings for a new exercise (skippable)
    SET = "set"  # the tempo coach is (about to be) pacing a set
    LOG = "log"  # the set ended; the log form is open
    REST = "rest"  # resting before the next set
    DONE = "done"  # all sets done (or the lifter finished early): the summary


class SessionError(ValueError):
    """A stored session that cannot be resumed; the message says why."""


@dataclass(frozen=True)
class PendingSet:
    """What the timer measured for a set that ended but is not logged yet."""

    reps: Mapping[Side, int]
    tut_seconds: float
    tempo: str


@dataclass(frozen=True)
class WorkoutSession:
    """Immutable: every step returns a new session, which is what gets saved."""

    routine_name: str
    items: tuple[RoutineItem, ...]
    started_at: datetime
    routine_id: str | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    gym: str = ""
    item_index: int = 0
    set_number: int = 1
    stage: Stage = Stage.SETUP
    logged: tuple[str, ...] = ()
    pending: PendingSet | None = None
    rest_ends_at: datetime | None = None
    finished_at: datetime | None = None

    def __post_init__(self) -> None:
        if not self.items:
            raise SessionError("A session needs at least one exercise.")
        if not 0 <= self.item_index < len(self.items):
            raise SessionError(f"Exercise number {self.item_index + 1} is not in this session.")
        if not 1 <= self.set_number <= self.items[self.item_index].sets:
            raise SessionError(f"Set {self.set_number} is not planned for this exercise.")

    # --- where we are ---------------------------------------------------------------------

    @property
    def item(self) -> RoutineItem:
        return self.items[self.item_index]

    @property
    def exercise_id(self) -> str:
        return self.item.exercise_id

    @property
    def is_done(self) -> bool:
        return self.stage is Stage.DONE

    @property
    def is_last_set(self) -> bool:
        """The last set of the whole session."""
        return self.item_index == len(self.items) - 1 and self.set_number == self.item.sets

    def position_text(self, exercise_name: str) -> str:
        """E.g. "45° Leg Press · set 2 of 3"."""
        return f"{exercise_name} · set {self.set_number} of {self.item.sets}"

    def next_position(self) -> tuple[int, int] | None:
        """(item_index, set_number) of the set after this one, or None after the last."""
        if self.set_number < self.item.sets:
            return self.item_index, self.set_number + 1
        if self.item_index + 1 < len(self.items):
            return self.item_index + 1, 1
        return None

    # --- steps ----------------------------------------------------------------------------

    def begin_set(self) -> WorkoutSession:
        """Setup done or skipped (or rest over): the set screen takes over."""
        return replace(self, stage=Stage.SET, rest_ends_at=None)

    def set_ended(self, pending: PendingSet) -> WorkoutSession:
        """The timer stopped: keep what it counted until the lifter saves the log form."""
        return replace(self, stage=Stage.LOG, pending=pending)

    def logged_set(self, set_ids: tuple[str, ...], now: datetime, rest_seconds: float | None
                   ) -> WorkoutSession:
        """The form was saved: rest before the next set, or finish after the last one."""
        logged = self.logged + tuple(set_ids)
        if self.next_position() is None:
            return replace(self, logged=logged, pending=None, stage=Stage.DONE,
                           finished_at=now.astimezone(UTC))
        seconds = self.item.rest_seconds if rest_seconds is None else rest_seconds
        return replace(self, logged=logged, pending=None, stage=Stage.REST,
                       rest_ends_at=now.astimezone(UTC) + timedelta(seconds=seconds))

    def discard_set(self) -> WorkoutSession:
        """The lifter threw the set away: do it again."""
        return replace(self, stage=Stage.SET, pending=None)

    def rest_over(self) -> WorkoutSession:
        """Move to the next set: straight into it for the same exercise, via setup otherwise."""
        position = self.next_position()
        if position is None:
            return replace(self, stage=Stage.DONE, rest_ends_at=None)
        item_index, set_number = position
        stage = Stage.SET if item_index == self.item_index else Stage.SETUP
        return replace(self, item_index=item_index, set_number=set_number, stage=stage,
                       rest_ends_at=None)

    def skip_exercise(self, now: datetime | None = None) -> WorkoutSession:
        """Leave the remaining sets of this exercise; on to the next one (or the summary).

        `now` stamps the end when this was the last exercise (default: the current time).
        """
        if self.item_index + 1 < len(self.items):
            return replace(self, item_index=self.item_index + 1, set_number=1,
                           stage=Stage.SETUP, pending=None, rest_ends_at=None)
        return self.finish_early(now)

    def finish_early(self, now: datetime | None) -> WorkoutSession:
        return replace(self, stage=Stage.DONE, pending=None, rest_ends_at=None,
                       finished_at=(now or datetime.now(UTC)).astimezone(UTC))

    def with_gym(self, gym: str) -> WorkoutSession:
        return replace(self, gym=gym.strip()[:40])

    # --- storage --------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        pending = None
        if self.pending is not None:
            pending = {"reps": {side.value: n for side, n in self.pending.reps.items()},
                       "tut_seconds": self.pending.tut_seconds, "tempo": self.pending.tempo}
        return {
            "v": SCHEMA_VERSION,
            "id": self.id,
            "routine_id": self.routine_id,
            "routine_name": self.routine_name,
            "items": [_item_dict(item) for item in self.items],
            "started_at": iso_utc(self.started_at),
            "gym": self.gym,
            "item_index": self.item_index,
            "set_number": self.set_number,
            "stage": self.stage.value,
            "logged": list(self.logged),
            "pending": pending,
            "rest_ends_at": iso_utc(self.rest_ends_at) if self.rest_ends_at else None,
            "finished_at": iso_utc(self.finished_at) if self.finished_at else None,
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> WorkoutSession:
        """Read a saved session; SessionError with a clear reason if it cannot be used."""
        version = raw.get("v")
        if not isinstance(version, int) or isinstance(version, bool):
            raise SessionError(f"The saved session is damaged (no valid version: {version!r}).")
        if version > SCHEMA_VERSION:
            raise SessionError("The saved session was written by a newer legcoach.")
        try:
            pending_raw = raw.get("pending")
            pending = None
            if pending_raw:
                pending = PendingSet(
                    reps={Side(side): int(n) for side, n in dict(pending_raw["reps"]).items()},
                    tut_seconds=float(pending_raw["tut_seconds"]),
                    tempo=str(pending_raw["tempo"]),
                )
                if not math.isfinite(pending.tut_seconds):  # json.loads reads NaN, Infinity
                    raise ValueError(f"tut_seconds {pending.tut_seconds!r}")
            routine_id = raw.get("routine_id")
            if routine_id is not None and not isinstance(routine_id, str):
                raise TypeError(f"routine_id {routine_id!r}")
            session = cls(
                id=str(raw["id"]),
                routine_id=routine_id,
                routine_name=str(raw["routine_name"]),
                items=tuple(RoutineItem(
                    exercise_id=i["exercise_id"], sets=int(i["sets"]),
                    rep_range=(int(i["rep_range"][0]), int(i["rep_range"][1])),
                    tempo=str(i["tempo"]), rest_seconds=int(i["rest_seconds"]),
                    per_side=bool(i["per_side"]),
                ) for i in raw["items"]),
                started_at=parse_utc(raw["started_at"]),
                gym=str(raw.get("gym", "")),
                item_index=int(raw["item_index"]),
                set_number=int(raw["set_number"]),
                stage=Stage(raw["stage"]),
                logged=tuple(str(i) for i in raw.get("logged", ())),
                pending=pending,
                rest_ends_at=parse_utc(raw["rest_ends_at"]) if raw.get("rest_ends_at") else None,
                finished_at=parse_utc(raw["finished_at"]) if raw.get("finished_at") else None,
            )
            # It must save again: a JSON "\ud800" escape reads as a lone surrogate, which
            # UTF-8 can't hold (UnicodeEncodeError is a ValueError, reported as damage).
            json.dumps(session.to_dict(), ensure_ascii=False).encode("utf-8")
            return session
        except SessionError:
            raise
        except (KeyError, TypeError, ValueError, IndexError, OverflowError) as error:
            # OverflowError: int(inf) for a number json.loads read as Infinity.
            raise SessionError(f"The saved session is damaged ({error!r}).") from None


def start_session(routine: Routine, now: datetime, gym: str = "") -> WorkoutSession:
    return WorkoutSession(routine_name=routine.name, items=routine.items,
                          started_at=now.astimezone(UTC), routine_id=routine.id,
                          gym=gym.strip()[:40])


def _item_dict(item: RoutineItem) -> dict[str, Any]:
    return {"exercise_id": item.exercise_id, "sets": item.sets,
            "rep_range": list(item.rep_range), "tempo": item.tempo,
            "rest_seconds": item.rest_seconds, "per_side": item.per_side}
