"""Turn an exercise from the library into a set plan the tempo coach can pace.

Everything exercise-specific (tempo, breathing per phase, the words "LOWER"/"PUSH", the
lead-in, switch and end cues, which way a rep starts) comes from the exercise file.
"""

from __future__ import annotations

from legcoach.core.exercise import Exercise
from legcoach.core.setplan import PhaseKind, SetPlan
from legcoach.core.sides import Side
from legcoach.core.tempo import Tempo, parse_tempo

DEFAULT_LEAD_IN = 5.0
DEFAULT_SWITCH_SECONDS = 10.0


def default_target_reps(exercise: Exercise) -> int:
    """The middle of the exercise's working range, rounded up (8–15 → 12)."""
    low, high = exercise.guidance.rep_range
    return (low + high + 1) // 2


def plan_for(
    exercise: Exercise,
    target_reps: int | None = None,
    *,
    tempo: Tempo | str | None = None,
    lead_in: float = DEFAULT_LEAD_IN,
    switch_seconds: float = DEFAULT_SWITCH_SECONDS,
    first_side: Side = Side.LEFT,
) -> SetPlan:
    """A set plan for `exercise`; tempo and reps default to the exercise's own guidance."""
    if isinstance(tempo, str):
        tempo = parse_tempo(tempo)
    movement, breathing = exercise.movement, exercise.breathing
    return SetPlan(
        exercise_id=exercise.id,
        target_reps=target_reps if target_reps is not None else default_target_reps(exercise),
        tempo=tempo or parse_tempo(movement.tempo),
        breathing={
            PhaseKind.ECCENTRIC: breathing.eccentric,
            PhaseKind.BOTTOM: breathing.bottom,
            PhaseKind.CONCENTRIC: breathing.concentric,
            PhaseKind.TOP: breathing.top,
        },
        one_sided=exercise.one_sided,
        starts_with=movement.starts_with,  # type: ignore[arg-type]
        eccentric_word=movement.eccentric,
        concentric_word=movement.concentric,
        lead_in=lead_in,
        lead_in_cue=movement.lead_in_cue,
        switch_seconds=switch_seconds,
        switch_cue=movement.switch_cue or "Switch legs",
        end_cue=movement.end_cue,
        first_side=first_side,
    )


def coaching_cue(exercise: Exercise, rep: int) -> str:
    """The in-set cue to show during `rep`: the exercise's cues in turn, one per rep."""
    cues = exercise.cues
    return cues[(max(rep, 1) - 1) % len(cues)]
