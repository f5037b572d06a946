"""The set screen paced on a fake clock: what the lifter sees and hears at chosen instants."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from legcoach.core.setplan import CueKind
from legcoach.core.sides import Side
from legcoach.ui.sound import NullPlayer, Tone


class RecordingSound(NullPlayer):
    """Remembers what would have been played and said."""

    def __init__(self, parent) -> None:
        super().__init__(parent)
        self.played: list[Tone] = []
        self.said: list[str] = []

    def play(self, tone: Tone) -> None:
        self.played.append(tone)

    def say(self, text: str) -> None:
        self.said.append(text)


@pytest.fixture
def sound(qapp):
    player = RecordingSound(qapp)
    yield player
    player.deleteLater()


def open_set(window, qtbot, exercise_id: str):
    window.open_exercise(exercise_id)
    qtbot.mouseClick(window.detail_view.set_button, Qt.MouseButton.LeftButton)
    view = window.set_view
    assert view.isVisible()
    return view


def at(view, clock, seconds: float):
    """Move the fake clock to `seconds` after the set's start and let the driver catch up."""
    run = view.run
    clock.set(run.started_at + seconds)
    view.driver.poll()
    view.refresh()
    return view.display.text


def test_a_two_leg_set_from_start_to_finish(window, qtbot, clock, sound) -> None:
    view = open_set(window, qtbot, "leg-press-45")  # tempo 3-1-1-0, 12 reps, 5 s lead-in
    assert view.display.text.headline == "READY"
    assert view.display.text.reps == "0 / 12"
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert view.start_button.text().endswith("Pause")
    text = at(view, clock, 0.5)
    assert text.headline == "5"
    assert text.detail == view.exercise.movement.lead_in_cue
    assert sound.played == [Tone.TICK]
    text = at(view, clock, 5.5)
    assert text.headline == "LOWER · inhale"
    assert text.reps == "1 / 12"
    assert text.side == "BOTH LEGS"
    assert text.coaching == view.exercise.cues[0]
    assert view.display.kind.value == "eccentric"
    assert 0.9 < view.display.marker < 1.0  # just started down
    assert Tone.GO in sound.played
    assert sound.played[-1] is Tone.LOWER
    text = at(view, clock, 8.2)
    assert text.headline == "HOLD"
    assert view.display.marker == 0.0
    text = at(view, clock, 9.5)
    assert text.headline == "PUSH · exhale"
    assert sound.played[-1] is Tone.PUSH
    assert "push" in sound.said
    text = at(view, clock, 10.5)  # rep 2 begins: 5 s per rep
    assert text.reps == "2 / 12"
    assert text.coaching == view.exercise.cues[1]
    assert text.tension == "TUT 0:05"
    with qtbot.waitSignal(view.set_finished) as finished:
        at(view, clock, 5 + 12 * 5 + 0.01)
    result = finished.args[0]
    assert result.completed_reps[Side.BOTH] == 12
    assert not result.ended_early
    assert view.display.text.headline == "SET DONE"
    assert view.display.text.detail == view.exercise.movement.end_cue
    assert sound.played[-1] is Tone.SET_END
    assert "last rep" in sound.said
    assert view.start_button.text().endswith("Next set")


def test_one_leg_set_switches_sides(window, qtbot, clock, sound) -> None:
    view = open_set(window, qtbot, "single-leg-press")  # 3-1-2-0: 6 s a rep, 10 reps a leg
    reps = view.run.plan.target_reps
    view.start_or_pause()
    assert at(view, clock, 6).side == "LEFT LEG"
    switch_at = 5 + reps * 6
    text = at(view, clock, switch_at + 1)
    assert text.headline == "SWITCH LEGS"
    assert text.detail.startswith("RIGHT LEG next")
    assert Tone.SWITCH in sound.played
    assert "switch legs" in sound.said
    text = at(view, clock, switch_at + 10 + 0.5)
    assert text.side == "RIGHT LEG"
    assert text.reps == f"1 / {reps}"
    with qtbot.waitSignal(view.set_finished) as finished:
        at(view, clock, switch_at + 10 + reps * 6)
    assert dict(finished.args[0].completed_reps) == {Side.LEFT: reps, Side.RIGHT: reps}


def test_pause_freezes_the_screen_and_resume_continues(window, qtbot, clock, sound) -> None:
    view = open_set(window, qtbot, "leg-press-45")
    qtbot.mouseClick(view.start_button, Qt.MouseButton.LeftButton)
    at(view, clock, 6.0)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert view.run.is_paused
    assert view.start_button.text().endswith("Resume")
    frozen = view.display.text
    assert "PAUSED" in frozen.detail
    played = list(sound.played)
    clock.advance(120)  # a long pause changes nothing on screen and plays nothing
    view.driver.poll()
    view.refresh()
    assert view.display.text == frozen
    assert sound.played == played
    assert not view.driver.timers_active
    qtbot.mouseClick(view.start_button, Qt.MouseButton.LeftButton)
    clock.advance(2.5)  # 6.0 + 2.5 → 8.5 s of set time: the bottom hold of rep 1
    view.driver.poll()
    view.refresh()
    assert view.display.text.headline == "HOLD"


def test_escape_stops_and_keeps_completed_reps(window, qtbot, clock, sound) -> None:
    view = open_set(window, qtbot, "leg-press-45")
    qtbot.keyClick(view, Qt.Key.Key_Space)
    at(view, clock, 5 + 3 * 5 + 1)  # three reps done, fourth under way
    with qtbot.waitSignal(view.set_finished) as finished:
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    result = finished.args[0]
    assert result.ended_early
    assert result.completed_reps[Side.BOTH] == 3
    form = window.workout_view.log_form  # the reps done go straight to the log form
    assert form.isVisible()
    assert form.reps_both.text() == "3"


def test_plus_minus_and_skip_by_key_and_touch(window, qtbot, clock, sound) -> None:
    view = open_set(window, qtbot, "leg-press-45")
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.display.text.reps == "0 / 13"
    qtbot.mouseClick(view.minus_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.minus_button, Qt.MouseButton.LeftButton)
    assert view.display.text.reps == "0 / 11"
    qtbot.keyClick(view, Qt.Key.Key_Space)
    at(view, clock, 6.0)
    qtbot.keyClick(view, Qt.Key.Key_S)  # skip the rest of rep 1
    view.refresh()
    assert view.display.text.reps == "2 / 11"
    assert view.display.text.headline == "LOWER · inhale"
    qtbot.mouseClick(view.plus_button, Qt.MouseButton.LeftButton)
    assert view.display.text.reps == "2 / 12"


def test_leaving_the_screen_pauses_the_set(window, qtbot, clock, sound) -> None:
    view = open_set(window, qtbot, "leg-press")
    view.start_or_pause()
    at(view, clock, 2.0)
    window.stack.setCurrentWidget(window.library_view)
    assert view.run.is_paused
    assert not view.driver.timers_active


def test_hip_thrust_drives_up_first_on_the_exhale(window, qtbot, clock, sound) -> None:
    view = open_set(window, qtbot, "hip-thrust-machine")
    assert view.display.marker == 0.0  # waits at the bottom
    view.start_or_pause()
    text = at(view, clock, 5.1)
    assert text.headline == "DRIVE · exhale"
    assert sound.played[-1] is Tone.PUSH


def test_cue_kinds_each_have_a_distinct_sound() -> None:
    from legcoach.core.setplan import Cue, PhaseKind
    from legcoach.ui.cue_sounds import tone_for

    def cue(kind, phase=None):
        return Cue(0.0, kind, Side.BOTH, 1, "x", phase)

    tones = [tone_for(cue(CueKind.PHASE, PhaseKind.ECCENTRIC)),
             tone_for(cue(CueKind.PHASE, PhaseKind.CONCENTRIC)),
             tone_for(cue(CueKind.PHASE, PhaseKind.BOTTOM)),
             tone_for(cue(CueKind.COUNTDOWN_TICK)), tone_for(cue(CueKind.GO)),
             tone_for(cue(CueKind.SWITCH)), tone_for(cue(CueKind.SET_END))]
    assert len(set(tones)) == len(tones)
    assert tone_for(cue(CueKind.LAST_REP)) is None
