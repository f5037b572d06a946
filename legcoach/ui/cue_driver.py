"""Drives a `SetRun` from the Qt event loop: fires cues on time, refreshes the display.

Two parented timers with different jobs:

- the **cue timer** (`Qt.PreciseTimer`, single shot) is re-armed after every wake-up to the next
  absolute deadline from `SetRun.next_deadline()`, measured on the injected monotonic clock.
  A late wake-up never shifts later cues, because deadlines come from the start time, not from
  the previous tick. If the timer wakes a little early it simply re-arms for the remainder.
- the **frame timer** (coarse, ~60 Hz) only asks the screen to repaint; it never decides when a
  cue happens, so a slow paint cannot delay a cue and a busy cue cannot stutter the animation.

Tests drive the same object with a FakeClock: advance the clock, call `poll()`.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from legcoach.core.clock import Clock
from legcoach.core.setplan import Cue
from legcoach.core.setrun import SetResult, SetRun

FRAME_MS = 16
FRAME_GUARD = 0.010  # s: no repaint this close to a cue, so a paint never delays the cue
SPIN_WINDOW = 0.002  # s: below this, re-arm with 0 ms instead of trusting ms rounding


def msec_until(deadline: float, clock: Clock) -> int:
    """Timer delay that wakes at or just before `deadline`; 0 inside the last SPIN_WINDOW.

    Rounding down means a timer never fires late because of millisecond granularity; the
    caller re-arms for the remainder if it woke a little early.
    """
    remaining = deadline - clock.now()
    if remaining <= SPIN_WINDOW:
        return 0
    return max(0, math.floor((remaining - SPIN_WINDOW / 2) * 1000))


class CueDriver(QObject):
    """Owns the timers for one set at a time; widgets subscribe to its signals."""

    cue = Signal(object)  # Cue, at its deadline
    frame = Signal()  # time to repaint
    state_changed = Signal()  # started, paused, resumed, edited or finished
    finished = Signal(object)  # SetResult

    def __init__(self, clock: Clock, parent: QObject) -> None:
        super().__init__(parent)
        self.clock = clock
        self.run: SetRun | None = None
        self._cue_timer = QTimer(self)
        self._cue_timer.setObjectName("legcoach.cue_timer")
        self._cue_timer.setSingleShot(True)
        self._cue_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._cue_timer.timeout.connect(self.poll)
        self._frame_timer = QTimer(self)
        self._frame_timer.setObjectName("legcoach.frame_timer")
        self._frame_timer.setTimerType(Qt.TimerType.CoarseTimer)
        self._frame_timer.setInterval(FRAME_MS)
        self._frame_timer.timeout.connect(self._on_frame_timer)
        self._reported = False

    # --- control --------------------------------------------------------------------------

    def load(self, run: SetRun) -> None:
        """Take a new, not yet started set (stops any previous one)."""
        self.stop_timers()
        self.run = run
        self._reported = False
        self.state_changed.emit()
        self.frame.emit()

    def start(self) -> None:
        if self.run is None or self.run.is_started:
            return
        self.run.start()
        self.poll()
        self.state_changed.emit()

    def toggle(self) -> None:
        """Space: start, pause or resume, whichever applies now."""
        if self.run is None or self.run.is_finished:
            return
        if not self.run.is_started:
            self.start()
        elif self.run.is_paused:
            self.resume()
        else:
            self.pause()

    def pause(self) -> None:
        if self.run is None or not self.run.is_running:
            return
        self.run.pause()
        self.stop_timers()
        self.state_changed.emit()
        self.frame.emit()

    def resume(self) -> None:
        if self.run is None or not self.run.is_paused:
            return
        self.run.resume()
        self.poll()
        self.state_changed.emit()

    def end_early(self) -> SetResult | None:
        """Stop now; completed reps are kept and reported through `finished`."""
        if self.run is None or not self.run.is_started or self._reported:
            return None
        result = self.run.end_early()
        self._finish(result)
        return result

    def edit(self, change: str) -> bool:
        """Apply "add", "remove" or "skip" to the running set and re-arm for the new plan."""
        if self.run is None or self.run.is_finished:
            return False
        changed = {"add": self.run.add_rep, "remove": self.run.remove_rep,
                   "skip": self.run.skip_rep}[change]()
        if changed:
            if self.run.is_running:
                self.poll()
            self.state_changed.emit()
            self.frame.emit()
        return changed

    def stop_timers(self) -> None:
        self._cue_timer.stop()
        self._frame_timer.stop()

    @property
    def timers_active(self) -> bool:
        return self._cue_timer.isActive() or self._frame_timer.isActive()

    # --- the loop -------------------------------------------------------------------------

    def poll(self) -> None:
        """Fire every cue that is due, then arm the cue timer for the next deadline."""
        run = self.run
        if run is None:
            return
        due: list[Cue] = run.pop_due()
        for item in due:
            self.cue.emit(item)
        if due:
            self.frame.emit()  # the picture changes exactly with the cue
        if run.is_finished:
            # The clock moved on since pop_due(): cues that came due in between (the set_end
            # cue, typically) must still fire before the set is reported finished.
            for item in run.pop_due():
                self.cue.emit(item)
            self._finish(run.result())
            return
        # Decide on flags, not on the clock: is_running would read the clock again and, if
        # the set ended in between, leave the last cue without a timer.
        if not run.is_started or run.is_paused:
            return
        self._arm(run.next_deadline())
        if not self._frame_timer.isActive():
            self._frame_timer.start()

    def _on_frame_timer(self) -> None:
        """Repaint, unless a cue is due within FRAME_GUARD: it will repaint when it fires."""
        deadline = self.run.next_deadline() if self.run is not None else None
        if deadline is not None and deadline - self.clock.now() < FRAME_GUARD:
            return
        self.frame.emit()

    def _arm(self, deadline: float | None) -> None:
        if deadline is None:
            self._cue_timer.stop()
            return
        self._cue_timer.start(msec_until(deadline, self.clock))

    def _finish(self, result: SetResult) -> None:
        self.stop_timers()
        if self._reported:
            return
        self._reported = True
        self.state_changed.emit()
        self.frame.emit()
        self.finished.emit(result)
