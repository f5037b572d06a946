"""The set plan and its pure schedule: hand-computed timelines plus tiling properties."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legcoach.core.setplan import (
    DEFAULT_BREATHING,
    REP_PHASES,
    Breath,
    Cue,
    CueKind,
    PhaseKind,
    Segment,
    SetPlan,
    build_schedule,
)
from legcoach.core.sides import Side
from legcoach.core.tempo import Tempo, parse_tempo

FAST = settings(max_examples=300, deadline=None)

E, B, C, T = PhaseKind.ECCENTRIC, PhaseKind.BOTTOM, PhaseKind.CONCENTRIC, PhaseKind.TOP
CD, SW = PhaseKind.COUNTDOWN, PhaseKind.SWITCH


def leg_press(**changes: object) -> SetPlan:
    """Two legs, 2 reps of 3-1-2-0, 5 s lead-in: the worked example below."""
    plan = SetPlan(
        exercise_id="leg_press",
        target_reps=2,
        tempo=parse_tempo("3-1-2-0"),
        lead_in_cue="Release the safety handles",
        end_cue="Rack it: lock the safety handles",
    )
    return replace(plan, **changes)


def outline(segments: tuple[Segment, ...]) -> list[tuple[object, ...]]:
    return [(s.kind, s.side, s.rep, s.start, s.duration) for s in segments]


def cue_outline(cues: tuple[Cue, ...]) -> list[tuple[float, CueKind, str]]:
    return [(c.at, c.kind, c.text) for c in cues]


# -- worked examples ---------------------------------------------------------------------------


def test_two_leg_leg_press_schedule_by_hand() -> None:
    schedule = build_schedule(leg_press())
    both = Side.BOTH
    # Lead-in 0-5; rep 1: lower 5-8, hold 8-9, push 9-11 (top pause 0 s is omitted);
    # rep 2: lower 11-14, hold 14-15, push 15-17. Total 5 + 2 * 6 = 17 s.
    assert outline(schedule.segments) == [
        (CD, both, 0, 0.0, 5.0),
        (E, both, 1, 5.0, 3.0),
        (B, both, 1, 8.0, 1.0),
        (C, both, 1, 9.0, 2.0),
        (E, both, 2, 11.0, 3.0),
        (B, both, 2, 14.0, 1.0),
        (C, both, 2, 15.0, 2.0),
    ]
    assert schedule.total == 17.0
    assert cue_outline(schedule.cues) == [
        (0.0, CueKind.COUNTDOWN_TICK, "5"),
        (1.0, CueKind.COUNTDOWN_TICK, "4"),
        (2.0, CueKind.COUNTDOWN_TICK, "3"),
        (3.0, CueKind.COUNTDOWN_TICK, "2"),
        (4.0, CueKind.COUNTDOWN_TICK, "1"),
        (5.0, CueKind.GO, "GO"),
        (5.0, CueKind.PHASE, "LOWER"),
        (8.0, CueKind.PHASE, "HOLD"),
        (9.0, CueKind.PHASE, "PUSH"),
        (11.0, CueKind.LAST_REP, "LAST REP"),
        (11.0, CueKind.PHASE, "LOWER"),
        (14.0, CueKind.PHASE, "HOLD"),
        (15.0, CueKind.PHASE, "PUSH"),  # rep 2's push: 5 + 6 + 3 + 1 = 15
        (17.0, CueKind.SET_END, "Rack it: lock the safety handles"),
    ]
    push_2 = [c for c in schedule.cues if c.kind is CueKind.PHASE and c.rep == 2 and c.phase is C]
    assert [c.at for c in push_2] == [15.0]
    assert push_2[0].breath is Breath.EXHALE


def test_labels_combine_word_and_breath() -> None:
    schedule = build_schedule(leg_press())
    labels = [s.label for s in schedule.segments]
    assert labels[:4] == [
        "Release the safety handles",
        "LOWER · inhale",
        "HOLD",
        "PUSH · exhale",
    ]


def test_one_sided_plan_left_reps_switch_then_right_reps() -> None:
    plan = SetPlan(
        exercise_id="single_leg_press",
        target_reps=2,
        tempo=parse_tempo("2-0-1-0"),
        one_sided=True,
        lead_in=3.0,
        switch_seconds=10.0,
        switch_cue="Switch to the right leg",
    )
    schedule = build_schedule(plan)
    left, right = Side.LEFT, Side.RIGHT
    assert outline(schedule.segments) == [
        (CD, left, 0, 0.0, 3.0),
        (E, left, 1, 3.0, 2.0),
        (C, left, 1, 5.0, 1.0),
        (E, left, 2, 6.0, 2.0),
        (C, left, 2, 8.0, 1.0),
        (SW, right, 0, 9.0, 10.0),  # the switch announces the side that comes next
        (E, right, 1, 19.0, 2.0),
        (C, right, 1, 21.0, 1.0),
        (E, right, 2, 22.0, 2.0),
        (C, right, 2, 24.0, 1.0),
    ]
    assert schedule.total == 25.0
    assert schedule.reps == (2, 2)
    assert schedule.sides == (left, right)
    kinds = [(c.at, c.kind, c.side) for c in schedule.cues if c.kind is not CueKind.PHASE]
    assert kinds == [
        (0.0, CueKind.COUNTDOWN_TICK, left),
        (1.0, CueKind.COUNTDOWN_TICK, left),
        (2.0, CueKind.COUNTDOWN_TICK, left),
        (3.0, CueKind.GO, left),
        (6.0, CueKind.LAST_REP, left),
        (9.0, CueKind.SWITCH, right),
        (22.0, CueKind.LAST_REP, right),
        (25.0, CueKind.SET_END, right),
    ]
    switch = next(c for c in schedule.cues if c.kind is CueKind.SWITCH)
    assert switch.text == "Switch to the right leg"
    assert schedule.segments[5].label == "Switch to the right leg"
    assert schedule.segments[5].breath is Breath.BREATHE


def test_one_sided_plan_can_start_on_the_right() -> None:
    plan = leg_press(one_sided=True, first_side=Side.RIGHT)
    schedule = build_schedule(plan)
    assert plan.sides == (Side.RIGHT, Side.LEFT)
    assert schedule.segments[0].side is Side.RIGHT
    assert schedule.segments[-1].side is Side.LEFT


def test_hip_thrust_drives_up_first_and_exhales_on_every_push() -> None:
    plan = SetPlan(
        exercise_id="hip_thrust",
        target_reps=3,
        tempo=parse_tempo("2-1-X-2"),
        starts_with="concentric",
        eccentric_word="Lower",
        concentric_word="Drive",
        lead_in=0.0,
    )
    schedule = build_schedule(plan)
    first_rep = [(s.kind, s.start, s.duration) for s in schedule.segments if s.rep == 1]
    # C (X = 1 s), T 2 s, E 2 s, B 1 s.
    assert first_rep == [(C, 0.0, 1.0), (T, 1.0, 2.0), (E, 3.0, 2.0), (B, 5.0, 1.0)]
    assert schedule.total == 18.0
    assert [s.kind for s in schedule.segments] == [C, T, E, B] * 3
    assert all(s.breath is Breath.EXHALE for s in schedule.segments if s.kind is C)
    assert schedule.segments[0].label == "DRIVE · exhale"
    assert schedule.segments[1].label == "HOLD · breathe"
    assert schedule.segments[3].label == "HOLD"
    # No lead-in: no countdown segment, no ticks, GO together with the first DRIVE at 0.
    assert cue_outline(schedule.cues)[:3] == [
        (0.0, CueKind.GO, "GO"),
        (0.0, CueKind.PHASE, "DRIVE"),
        (1.0, CueKind.PHASE, "HOLD"),
    ]
    last_rep = [c for c in schedule.cues if c.kind is CueKind.LAST_REP]
    assert [(c.at, c.rep, c.phase) for c in last_rep] == [(12.0, 3, C)]


def test_fractional_lead_in_ticks_on_whole_seconds_remaining() -> None:
    schedule = build_schedule(leg_press(lead_in=3.5))
    ticks = [(c.at, c.text) for c in schedule.cues if c.kind is CueKind.COUNTDOWN_TICK]
    assert ticks == [(0.5, "3"), (1.5, "2"), (2.5, "1")]
    assert schedule.segments[0].duration == 3.5
    assert next(c.at for c in schedule.cues if c.kind is CueKind.GO) == 3.5


def test_blank_lead_in_cue_falls_back_to_get_ready() -> None:
    schedule = build_schedule(leg_press(lead_in_cue="  "))
    assert schedule.segments[0].word == "GET READY"


def test_reps_override_per_side() -> None:
    plan = leg_press(one_sided=True)
    schedule = build_schedule(plan, reps=(2, 3))
    assert schedule.reps_for(Side.LEFT) == 2
    assert schedule.reps_for(Side.RIGHT) == 3
    right_reps = {s.rep for s in schedule.segments if s.side is Side.RIGHT and s.is_rep_phase}
    assert right_reps == {1, 2, 3}
    with pytest.raises(ValueError, match="one count per side"):
        build_schedule(plan, reps=(2,))
    with pytest.raises(ValueError, match="between 1 and 100"):
        build_schedule(plan, reps=(2, 0))


def test_schedule_queries() -> None:
    schedule = build_schedule(leg_press())
    assert schedule.segment_at(0.0).kind is CD
    assert schedule.segment_at(5.0).kind is E  # a boundary belongs to the segment it starts
    assert schedule.segment_at(8.5).kind is B
    assert schedule.segment_at(17.0).kind is C  # the end belongs to the last segment
    assert schedule.tension_until(4.0) == 0.0
    assert schedule.tension_until(9.5) == 4.5
    assert schedule.tension_until(100.0) == 12.0
    assert schedule.completed_reps_at(10.9) == {Side.BOTH: 0}
    assert schedule.completed_reps_at(11.0) == {Side.BOTH: 1}
    assert schedule.completed_reps_at(17.0) == {Side.BOTH: 2}
    assert schedule.next_rep_start_after(0) == 5.0
    assert schedule.next_rep_start_after(2) == 11.0
    assert schedule.next_rep_start_after(5) == 17.0
    assert schedule.find(E, Side.BOTH, 2) == 4
    assert schedule.find(E, Side.LEFT, 2) is None


# -- plan validation ---------------------------------------------------------------------------


def test_plan_defaults_and_normalisation() -> None:
    plan = SetPlan(
        "leg_press",
        10,
        parse_tempo("3-1-2-0"),
        breathing={"eccentric": "inhale", "bottom": "hold", "concentric": "exhale",
                   "top": "breathe"},
        first_side="right",  # type: ignore[arg-type]
    )
    assert plan.breathing == DEFAULT_BREATHING
    assert plan.breathing[PhaseKind.CONCENTRIC] is Breath.EXHALE
    assert plan.first_side is Side.RIGHT
    assert plan.lead_in == 5.0
    assert plan.switch_seconds == 10.0
    assert plan.rep_order == REP_PHASES
    with pytest.raises(TypeError):
        plan.breathing[PhaseKind.TOP] = Breath.HOLD  # type: ignore[index]


def test_plan_copies_the_breathing_mapping() -> None:
    breathing = dict(DEFAULT_BREATHING)
    plan = leg_press(breathing=breathing)
    breathing[PhaseKind.CONCENTRIC] = Breath.INHALE
    assert plan.breathing[PhaseKind.CONCENTRIC] is Breath.EXHALE


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"exercise_id": ""}, "exercise_id must not be empty"),
        ({"target_reps": 0}, "between 1 and 100"),
        ({"target_reps": 101}, "between 1 and 100"),
        ({"target_reps": True}, "whole number"),
        ({"target_reps": 2.0}, "whole number"),
        ({"tempo": "3-1-2-0"}, "tempo must be a Tempo"),
        ({"breathing": {E: Breath.INHALE}}, "missing bottom, concentric, top"),
        ({"breathing": {**DEFAULT_BREATHING, CD: Breath.HOLD}}, "not one of the four rep phases"),
        ({"breathing": {**DEFAULT_BREATHING, E: "gasp"}}, "breathing for eccentric is 'gasp'"),
        ({"breathing": [("eccentric", "inhale")]}, "must be a mapping"),
        ({"one_sided": 1}, "one_sided must be True or False"),
        ({"starts_with": "middle"}, "starts_with must be 'eccentric'"),
        ({"eccentric_word": " "}, "eccentric_word must not be empty"),
        ({"concentric_word": None}, "concentric_word must be text"),
        ({"lead_in": -1}, "lead_in must be >= 0"),
        ({"lead_in": 61}, "lead_in must be at most 60"),
        ({"lead_in": math.nan}, "lead_in must be"),
        ({"switch_seconds": 0}, "switch_seconds must be > 0"),
        ({"switch_seconds": 301}, "at most 300"),
        ({"go_cue": ""}, "go_cue must not be empty"),
        ({"switch_cue": ""}, "switch_cue must not be empty"),
        ({"end_cue": ""}, "end_cue must not be empty"),
        ({"first_side": Side.BOTH}, "first_side must be left or right"),
        ({"first_side": "up"}, "first_side must be left or right"),
    ],
)
def test_plan_validation(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        leg_press(**changes)


# -- properties --------------------------------------------------------------------------------


@st.composite
def tempos(draw: st.DrawFn) -> Tempo:
    def move() -> float | None:
        cents = draw(st.one_of(st.none(), st.integers(1, 2000)))
        return None if cents is None else cents / 100

    return Tempo(move(), draw(st.integers(0, 2000)) / 100, move(), draw(st.integers(0, 2000)) / 100)


@st.composite
def plans(draw: st.DrawFn, max_reps: int = 12) -> SetPlan:
    """Any valid plan (small rep counts keep the examples fast)."""
    breath = st.sampled_from(list(Breath))
    return SetPlan(
        exercise_id="x",
        target_reps=draw(st.integers(1, max_reps)),
        tempo=draw(tempos()),
        breathing={phase: draw(breath) for phase in REP_PHASES},
        one_sided=draw(st.booleans()),
        starts_with=draw(st.sampled_from(["eccentric", "concentric"])),
        lead_in=draw(st.integers(0, 1000)) / 100,
        switch_seconds=draw(st.integers(1, 3000)) / 100,
        first_side=draw(st.sampled_from([Side.LEFT, Side.RIGHT])),
    )


@FAST
@given(plans())
def test_segments_tile_the_timeline_exactly(plan: SetPlan) -> None:
    schedule = build_schedule(plan)
    segments = schedule.segments
    assert segments[0].start == 0.0
    for before, after in itertools.pairwise(segments):
        assert after.start == before.end  # no gap, no overlap
    assert segments[-1].end == schedule.total
    assert all(s.duration > 0 for s in segments)
    assert math.isclose(schedule.total, math.fsum(s.duration for s in segments), abs_tol=1e-9)
    sides = len(plan.sides)
    expected = plan.lead_in + sides * plan.target_reps * plan.tempo.rep_seconds
    expected += (sides - 1) * plan.switch_seconds
    assert math.isclose(schedule.total, expected, rel_tol=1e-12, abs_tol=1e-9)


@FAST
@given(plans())
def test_breath_and_order_follow_the_plan(plan: SetPlan) -> None:
    schedule = build_schedule(plan)
    for segment in schedule.segments:
        if segment.is_rep_phase:
            assert segment.breath is plan.breathing[segment.kind]
    concentric = [s for s in schedule.segments if s.kind is C]
    assert len(concentric) == len(plan.sides) * plan.target_reps
    assert all(s.breath is plan.breathing[C] for s in concentric)
    order = [k for k in plan.rep_order if plan.tempo.seconds(k) > 0]
    for side in plan.sides:
        for rep in range(1, plan.target_reps + 1):
            kinds = [s.kind for s in schedule.segments if s.side is side and s.rep == rep
                     and s.is_rep_phase]
            assert kinds == order


@FAST
@given(plans())
def test_cues_are_sorted_and_complete(plan: SetPlan) -> None:
    schedule = build_schedule(plan)
    cues = schedule.cues
    assert [c.at for c in cues] == sorted(c.at for c in cues)
    phase_starts = [s.start for s in schedule.segments if s.is_rep_phase]
    assert [c.at for c in cues if c.kind is CueKind.PHASE] == phase_starts
    for cue in cues:
        if cue.kind is CueKind.PHASE:
            segment = schedule.segment_at(cue.at)
            assert (cue.phase, cue.side, cue.rep, cue.text) == (
                segment.kind, segment.side, segment.rep, segment.word)
    ticks = [c for c in cues if c.kind is CueKind.COUNTDOWN_TICK]
    assert [c.text for c in ticks] == [str(n) for n in range(math.floor(plan.lead_in), 0, -1)]
    assert all(0 <= c.at < plan.lead_in for c in ticks)
    assert [c.at for c in cues if c.kind is CueKind.GO] == [plan.lead_in]
    assert len([c for c in cues if c.kind is CueKind.LAST_REP]) == len(plan.sides)
    assert len([c for c in cues if c.kind is CueKind.SWITCH]) == len(plan.sides) - 1
    assert cues[-1].kind is CueKind.SET_END
    assert cues[-1].at == schedule.total
    assert [c for c in cues if c.kind is CueKind.SET_END] == [cues[-1]]
