"""What the set screen says at any moment, as plain text: pure, so tests can read it.

The Qt display only paints these strings; every wording rule lives here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from legcoach.core.exercise import Exercise
from legcoach.core.plans import coaching_cue
from legcoach.core.setplan import Cue, CueKind, PhaseKind, SetPlan
from legcoach.core.setrun import SetState
from legcoach.core.sides import Side


@dataclass(frozen=True)
class DisplayText:
    headline: str  # "LOWER · inhale", "5", "SWITCH LEGS", "SET DONE"
    detail: str  # the lead-in cue, "RIGHT LEG next", the end cue ...
    reps: str  # "4 / 12"
    side: str  # "LEFT LEG"
    next_cue: str  # "Next: PUSH · exhale"
    coaching: str  # one in-set cue from the exercise
    tension: str  # "TUT 0:23"
    seconds: str  # seconds left in this phase: "2.1 s"


def clock_text(seconds: float) -> str:
    """m:ss, for time under tension and rest."""
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def _next_text(cue: Cue | None) -> str:
    if cue is None:
        return ""
    if cue.kind is CueKind.COUNTDOWN_TICK:
        return "Next: GO"
    if cue.kind is CueKind.SET_END:
        return "Next: set done"
    return f"Next: {cue.text}"


def idle_text(plan: SetPlan) -> DisplayText:
    """Before the start: what is planned, and how to begin."""
    sides = " then ".join(side.label for side in plan.sides)
    reps = f"{plan.target_reps} reps" + (" per leg" if plan.one_sided else "")
    return DisplayText(
        headline="READY",
        detail=f"{reps} · tempo {plan.tempo} · press Start",
        reps=f"0 / {plan.target_reps}",
        side=sides if plan.one_sided else Side.BOTH.label,
        next_cue=f"First: {plan.lead_in_cue}" if plan.lead_in_cue else "",
        coaching="",
        tension="TUT 0:00",
        seconds="",
    )


def display_text(state: SetState, plan: SetPlan, exercise: Exercise) -> DisplayText:
    """The screen's words for a snapshot of a started set."""
    reps_done = state.completed_reps.get(state.side, 0)
    common = {
        "side": state.side.label,
        "next_cue": _next_text(state.next_cue),
        "tension": f"TUT {clock_text(state.time_under_tension)}",
    }
    if state.finished:
        total = sum(state.completed_reps.values())
        return DisplayText(
            headline="SET DONE", detail=plan.end_cue,
            reps=f"{total} rep{'s' if total != 1 else ''}", coaching="",
            seconds="", **{**common, "side": "", "next_cue": ""},
        )
    seconds = f"{state.remaining:.1f} s"
    if state.kind is PhaseKind.COUNTDOWN:
        return DisplayText(
            headline=str(max(1, math.ceil(state.remaining - 1e-9))),
            detail=plan.lead_in_cue or "Get ready",
            reps=f"0 / {state.target_reps}", coaching="", seconds="", **common,
        )
    if state.kind is PhaseKind.SWITCH:
        return DisplayText(
            headline="SWITCH LEGS", detail=f"{state.side.label} next · {plan.switch_cue}",
            reps=f"0 / {state.target_reps}", coaching="", seconds=seconds, **common,
        )
    return DisplayText(
        headline=state.label,
        detail="PAUSED · press Start to go on" if state.paused else
        ("Last rep" if state.rep == state.target_reps else ""),
        reps=f"{max(state.rep, reps_done)} / {state.target_reps}",
        coaching=coaching_cue(exercise, state.rep),
        seconds=seconds, **common,
    )
