"""The rest screen on a fake clock: what the lifter sees and hears at chosen instants."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QApplication, QPushButton

from legcoach.core.clock import FakeClock
from legcoach.ui.rest_view import GO_COLOUR, RestView
from legcoach.ui.sound import Tone
from legcoach.ui.theme import BACKGROUND, TOUCH_MIN
from tests.ui.test_set_view import RecordingSound

NEXT = "Next: 45° Leg Press · set 2 of 3 · 120 kg × 10–12"
LAST = "Last: set 1 · 120 kg × 11 reps"


@pytest.fixture
def sound(qapp):
    player = RecordingSound(qapp)
    yield player
    player.deleteLater()


@pytest.fixture
def view(qtbot, qapp, clock, sound) -> RestView:
    from legcoach.ui.theme import apply_theme

    apply_theme(qapp)
    widget = RestView(clock, sound)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def at(view: RestView, clock: FakeClock, seconds: float) -> str:
    """Move the clock to `seconds` into the rest, let the screen catch up, return its digits."""
    assert view.rest is not None and view.rest.started_at is not None
    clock.set(view.rest.started_at + seconds)
    view.poll()
    return view.display.text.digits


def screen_colour(view: RestView) -> str:
    """The colour of the screen's corner (margin), as the lifter sees it from afar."""
    return view.grab().toImage().pixelColor(2, 2).name()


def test_a_rest_counts_down_warns_then_turns_green_and_counts_the_overrun(
    view, clock, sound
) -> None:
    view.begin(90, NEXT, LAST)
    display = view.display
    assert (display.text.headline, display.text.digits) == ("REST", "1:30")
    assert (display.next_text, display.last_text) == (NEXT, LAST)
    assert display.fraction == 1.0
    assert screen_colour(view) == QColor(BACKGROUND).name()
    assert view.skip_button.isVisible() and not view.start_button.isVisible()
    assert at(view, clock, 43) == "0:47"
    assert display.fraction == pytest.approx(47 / 90)
    assert at(view, clock, 79.9) == "0:11"
    assert sound.played == []
    assert at(view, clock, 80) == "0:10"
    assert sound.played == [Tone.REST_WARNING]
    assert display.text.headline == "GET READY"
    assert at(view, clock, 89.99) == "0:01"
    assert at(view, clock, 90) == "+0:00"
    assert sound.played == [Tone.REST_WARNING, Tone.REST_END]
    assert sound.said == ["ten seconds", "go"]
    assert (display.text.headline, display.text.detail) == ("GO", "Time for your next set")
    assert screen_colour(view) == QColor(GO_COLOUR).name()
    assert view.start_button.isVisible() and not view.skip_button.isVisible()
    assert at(view, clock, 95.5) == "+0:05"  # keeps counting instead of stopping
    assert at(view, clock, 150) == "+1:00"
    assert sound.played == [Tone.REST_WARNING, Tone.REST_END]  # each tone once
    assert "GO" in display.accessibleDescription()


def test_timers_are_armed_at_absolute_deadlines_and_boundaries(view, clock) -> None:
    view.begin(90, NEXT)
    cue, frame = view._cue_timer, view._display_timer
    assert cue.objectName().startswith("legcoach.rest_")
    assert frame.objectName().startswith("legcoach.rest_")
    for timer in (cue, frame):
        assert timer.isActive() and timer.isSingleShot()
        assert timer.timerType() is Qt.TimerType.PreciseTimer
        assert timer.parent() is view
    assert 79_990 <= cue.interval() <= 80_000  # the warning, 80 s away
    assert 240 <= frame.interval() <= 250  # 4 Hz, on the quarter-second grid
    clock.advance(0.1)
    view.refresh()
    assert 140 <= frame.interval() <= 150  # re-aligned to the grid, not 250 ms from now
    clock.advance(3.7)  # a late wake-up changes no deadline
    view.poll()
    assert 76_190 <= cue.interval() <= 76_200


def test_the_digits_change_exactly_on_the_second(view, clock) -> None:
    view.begin(90, NEXT)
    start = view.rest.started_at
    clock.set(start + 0.9995)  # the display timer woke a hair early
    view._display_timer.timeout.emit()
    assert view.display.text.digits == "1:30"
    assert view._display_timer.interval() == 0  # re-armed for the remainder, not a tick later
    clock.set(start + 1.0)
    view._display_timer.timeout.emit()
    assert view.display.text.digits == "1:29"


def test_plus_thirty_by_key_and_by_touch_and_the_warning_comes_again(
    view, qtbot, clock, sound
) -> None:
    view.begin(60, NEXT)
    with qtbot.waitSignal(view.extended) as extended:
        qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert extended.args == [30]
    assert view.display.text.digits == "1:30"
    with qtbot.waitSignal(view.extended):
        qtbot.mouseClick(view.extend_button, Qt.MouseButton.LeftButton)
    assert view.display.text.digits == "2:00"
    assert at(view, clock, 110) == "0:10"
    assert sound.played == [Tone.REST_WARNING]
    qtbot.keyClick(view, Qt.Key.Key_Equal)  # + without Shift on most keyboards
    assert view.display.text.digits == "0:40"
    assert view.display.text.headline == "REST"  # out of the last ten seconds again
    assert at(view, clock, 140) == "0:10"
    assert sound.played == [Tone.REST_WARNING, Tone.REST_WARNING]
    assert at(view, clock, 150) == "+0:00"
    assert sound.played[-1] is Tone.REST_END


def test_plus_thirty_after_zero_brings_the_countdown_back(view, qtbot, clock) -> None:
    view.begin(30, NEXT)
    at(view, clock, 40)
    assert view.start_button.isVisible()
    qtbot.mouseClick(view.extend_button, Qt.MouseButton.LeftButton)
    assert view.display.text.digits == "0:20"
    assert view.skip_button.isVisible() and not view.start_button.isVisible()
    assert screen_colour(view) == QColor(BACKGROUND).name()


@pytest.mark.parametrize("how", ["space", "enter", "click"])
def test_skip_rest_emits_finished_and_stops_everything(view, qtbot, clock, sound, how) -> None:
    view.begin(90, NEXT)
    at(view, clock, 20)
    with qtbot.waitSignal(view.finished):
        if how == "click":
            qtbot.mouseClick(view.skip_button, Qt.MouseButton.LeftButton)
        else:
            qtbot.keyClick(view, Qt.Key.Key_Space if how == "space" else Qt.Key.Key_Return)
    assert view.rest.is_ended and not view.is_active
    assert not view.timers_active
    at(view, clock, 200)
    assert sound.played == []  # a skipped rest never beeps


@pytest.mark.parametrize("how", ["space", "click"])
def test_start_next_set_after_zero(view, qtbot, clock, how) -> None:
    view.begin(10, NEXT)
    at(view, clock, 12)
    finished: list[bool] = []
    view.finished.connect(lambda: finished.append(True))
    if how == "click":
        qtbot.mouseClick(view.start_button, Qt.MouseButton.LeftButton)
    else:
        qtbot.keyClick(view, Qt.Key.Key_Space)
    assert finished == [True]
    qtbot.keyClick(view, Qt.Key.Key_Space)  # once moved on, a second press does nothing
    assert finished == [True]
    assert not view.timers_active


def test_a_held_space_does_not_finish_the_rest(view, clock) -> None:
    view.begin(90, NEXT)
    finished: list[bool] = []
    view.finished.connect(lambda: finished.append(True))
    repeat = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier,
                       " ", True)
    QApplication.sendEvent(view, repeat)
    assert finished == []


def test_a_late_wake_up_plays_only_the_end_tone(view, clock, sound) -> None:
    view.begin(30, NEXT)
    at(view, clock, 31)  # both cues overdue at once: a warning now would mean nothing
    assert sound.played == [Tone.REST_END]


def test_every_button_is_named_and_finger_sized(view, clock) -> None:
    view.begin(20, NEXT)
    buttons = view.findChildren(QPushButton)
    assert len(buttons) == 3
    for instant in (0, 25):  # the countdown's buttons, then GO's
        at(view, clock, instant)
        for widget in buttons:
            assert widget.accessibleName()
            if widget.isVisible():
                assert widget.height() >= TOUCH_MIN
                assert widget.focusPolicy() is Qt.FocusPolicy.NoFocus  # Space stays ours
    names = {widget.accessibleName() for widget in buttons}
    assert names == {"Add 30 seconds of rest", "Skip the rest and start the next set",
                     "Start the next set"}
    assert view.display.accessibleName() == "Rest timer"


def test_hiding_stops_the_timers_but_not_the_rest(view, clock, sound) -> None:
    view.begin(90, NEXT)
    view.hide()
    assert not view.timers_active
    clock.advance(85)  # the warning falls due unseen
    view.show()
    assert view.timers_active
    assert sound.played == []  # a stale warning is not sounded on return
    assert view.display.text.digits == "0:05"
    at(view, clock, 90)
    assert sound.played == [Tone.REST_END]


def test_no_timer_left_running_after_close(view, clock) -> None:
    view.begin(90, NEXT, LAST)
    assert view.timers_active
    view.close()
    assert not view.timers_active


def test_a_rest_begun_while_hidden_arms_nothing_until_shown(qtbot, clock, sound) -> None:
    hidden = RestView(clock, sound)
    qtbot.addWidget(hidden)
    hidden.begin(60, NEXT)
    assert not hidden.timers_active
    hidden.show()
    assert hidden.timers_active
    hidden.close()


def test_an_invalid_rest_is_refused_and_the_current_one_kept(view, clock) -> None:
    view.begin(90, NEXT)
    rest = view.rest
    with pytest.raises(ValueError, match="between 5 s and 15 min"):
        view.begin(2, "Next: something")
    assert view.rest is rest and view.display.next_text == NEXT


class _JumpClock:
    """The real monotonic clock, plus a jump, so a real-timer test needn't wait out a rest."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.monotonic() + self.offset


@pytest.mark.realclock
def test_real_clock_end_tone_on_time(qtbot, qapp, sound) -> None:
    clock = _JumpClock()
    view = RestView(clock, sound)
    qtbot.addWidget(view)
    view.show()
    view.begin(5, NEXT)
    heard: list[float] = []
    sound.play = lambda tone: heard.append(clock.now())  # type: ignore[method-assign]
    clock.offset += 4.7  # 0.3 s left
    view.poll()
    qtbot.waitUntil(lambda: bool(heard), timeout=3000)
    lateness = heard[0] - (view.rest.started_at + 5)
    assert -0.001 <= lateness < 0.25
    qtbot.waitUntil(lambda: view.display.text.digits == "+0:00", timeout=1000)
    view.close()
