"""A believable training history, generated: for screenshots, the demo mode and benchmarks.

Twice-weekly Leg day sessions going back from a given date, loads creeping up with the odd
bad day, one-leg work logged per leg (the left a little weaker), feet placements varied now
and then. Deterministic for a given seed, so pictures and benchmark figures are repeatable.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta

from legcoach.core.exercise import FootHeight, FootWidth
from legcoach.core.setlog import LoadUnit, SetRecord, SetType
from legcoach.core.sides import Side

# exercise id, sets, (low, high) reps, start load kg, kg gained per session, one-sided
PLAN = (
    ("leg-press-45", 4, (8, 15), 100.0, 0.9, False),
    ("leg-press", 3, (10, 15), 80.0, 0.6, False),
    ("single-leg-press", 2, (8, 12), 40.0, 0.35, True),
    ("hip-thrust-machine", 3, (8, 12), 60.0, 0.6, False),
)


def _round(load: float, step: float = 2.5) -> float:
    return max(step, round(load / step) * step)


def demo_history(end: datetime, sessions: int = 24, seed: int = 11) -> list[SetRecord]:
    """`sessions` Leg days, the last one two days before `end`, oldest first."""
    return list(iter_demo_history(end, sessions, seed))


def iter_demo_history(end: datetime, sessions: int, seed: int = 11) -> Iterator[SetRecord]:
    rng = random.Random(seed)
    first_day = end - timedelta(days=2 + (sessions - 1) * 3.5)
    for number in range(sessions):
        start = (first_day + timedelta(days=number * 3.5)).replace(
            hour=17 + rng.randrange(3), minute=rng.randrange(60), second=0, microsecond=0)
        session_id = uuid.UUID(int=rng.getrandbits(128)).hex
        moment = start
        bad_day = rng.random() < 0.08
        for exercise_id, sets, (low, high), base, gain, one_sided in PLAN:
            load = _round(base + gain * number * (0.85 if bad_day else 1.0))
            feet = (FootHeight.MIDDLE, FootWidth.SHOULDER)
            if exercise_id == "leg-press-45" and number % 6 == 5:
                feet = (FootHeight.HIGH, FootWidth.WIDE)
            sides = (Side.LEFT, Side.RIGHT) if one_sided else (Side.BOTH,)
            for set_number in range(sets):
                for side in sides:
                    fatigue = set_number + (1 if side is Side.LEFT else 0)
                    reps = max(low - 2, min(high, high - fatigue - rng.randrange(3)
                                            - (3 if bad_day else 0)))
                    moment += timedelta(seconds=rng.randrange(100, 200))
                    yield SetRecord(
                        id=uuid.UUID(int=rng.getrandbits(128)).hex,
                        exercise_id=exercise_id, session_id=session_id, performed_at=moment,
                        unit=LoadUnit.KG, entered_load=f"{load:g}", reps=reps, side=side,
                        foot_height=feet[0], foot_width=feet[1],
                        rpe=rng.choice((7.0, 7.5, 8.0, 8.5, 9.0)),
                        set_type=SetType.WORKING, created_at=moment, updated_at=moment,
                    )


def demo_workspace(library, now, sessions: int = 24):
    """A workspace in memory, filled with `demo_history`: nothing is read from or written to
    the user's data folder (used by --demo and --screenshot)."""
    from legcoach.core.documents import InMemoryDocumentStore
    from legcoach.core.setstore import InMemorySetStore
    from legcoach.core.undo import SetLogEditor
    from legcoach.core.workspace import Workspace

    store = InMemorySetStore()
    for record in iter_demo_history(now(), sessions):
        store.add(record)
    return Workspace(library=library, sets=SetLogEditor(store, now=now),
                     documents=InMemoryDocumentStore(), now=now)
