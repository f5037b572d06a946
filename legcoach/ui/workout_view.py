"""Runs a workout: setup → set → log → rest → … → summary, one screen at a time.

The session is saved the moment its step changes (never while a set is running, so disk
writes never compete with the cue timer), which is what lets a closed or crashed app resume.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from legcoach.core.clock import Clock
from legcoach.core.exercise import Exercise
from legcoach.core.machine_memory import MachineSettings
from legcoach.core.session import PendingSet, Stage, WorkoutSession
from legcoach.core.setlog import LoadUnit, SetRecord, SetType, from_kg
from legcoach.core.setrun import SetResult
from legcoach.core.setstore import SAVE_ERRORS, error_text
from legcoach.core.sides import Side
from legcoach.core.summary import summarize
from legcoach.core.workspace import Workspace
from legcoach.ui.guided_view import GuidedView
from legcoach.ui.log_form import LogDraft, LogForm
from legcoach.ui.rest_view import RestView
from legcoach.ui.set_view import SetView
from legcoach.ui.setup_view import SetupView
from legcoach.ui.sound import SoundOutput
from legcoach.ui.summary_view import SummaryView
from legcoach.ui.widgets import button, label

MIN_REST_ON_RESUME = 5.0  # s: a rest that is (almost) over when the app reopens is skipped
LOOK_BACK = timedelta(days=180)  # "compared with last time" looks this far back


def _load_text(load_kg: float, unit: LoadUnit) -> str:
    value = round(from_kg(load_kg, unit) * 2) / 2
    return f"{value:g}"


class WorkoutView(QWidget):
    """Hosts the screens of one workout; emits `left()` when the lifter is done with it."""

    left = Signal()
    notify = Signal(str)

    def __init__(self, workspace: Workspace, clock: Clock, sound: SoundOutput,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.session: WorkoutSession | None = None
        self.record_texts: list[str] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        bar = QHBoxLayout()
        bar.setContentsMargins(24, 0, 24, 4)
        self.progress_label = label("", "dim", wrap=True)  # two lines on a portrait tablet
        self.progress_label.setAccessibleName("Workout progress")
        self.end_button = button("End workout", accessible="End the workout now",
                                 min_height=52)
        self.end_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        bar.addWidget(self.progress_label, 1)
        bar.addWidget(self.end_button)
        layout.addLayout(bar)

        self.stack = QStackedWidget()
        self.setup_view = SetupView(workspace.now)
        self.guided_view = GuidedView()
        self.set_view = SetView(clock, sound)
        self.log_form = LogForm(workspace.now)
        self.rest_view = RestView(clock, sound)
        self.summary_view = SummaryView()
        for view in (self.setup_view, self.guided_view, self.set_view, self.log_form,
                     self.rest_view, self.summary_view):
            self.stack.addWidget(view)
        layout.addWidget(self.stack, 1)

        self.setup_view.start_set.connect(self._setup_done)
        self.setup_view.guided.connect(self._open_guided)
        self.setup_view.gym_changed.connect(lambda gym: self._step(self._session.with_gym(gym)))
        self.setup_view.skip_exercise.connect(
            lambda: self._step(self._session.skip_exercise(self.workspace.now())))
        self.guided_view.finished.connect(lambda _id: self._step(self._session.begin_set()))
        self.set_view.set_finished.connect(self._set_finished)
        self.log_form.saved.connect(self._logged)
        self.log_form.discarded.connect(lambda: self._step(self._session.discard_set()))
        self.rest_view.finished.connect(lambda: self._step(self._session.rest_over()))
        self.summary_view.done.connect(self._close)
        self.end_button.clicked.connect(self.end_workout)

    # --- entering and leaving ---------------------------------------------------------------

    @property
    def _session(self) -> WorkoutSession:
        assert self.session is not None
        return self.session

    @property
    def is_active(self) -> bool:
        return self.session is not None and not self.session.is_done

    def start(self, session: WorkoutSession) -> None:
        """Begin (or resume) a session at the step it is at."""
        self.record_texts = []
        self._step(session)

    def end_workout(self) -> None:
        """Stop wherever we are; a running set is ended and its reps go to the log form."""
        if self.session is None:
            return
        if self.set_view.is_active:
            self.set_view.stop()  # set_finished → log form; the lifter can still log it
            return
        self._step(self._session.finish_early(self.workspace.now()))

    def _close(self) -> None:
        self._save(None)
        self.session = None
        self.left.emit()

    def exercise(self) -> Exercise:
        return self.workspace.library[self._session.exercise_id]

    # --- the state machine ------------------------------------------------------------------

    def _step(self, session: WorkoutSession) -> None:
        self.session = session
        self._save(session)
        self._enter()

    def _save(self, session: WorkoutSession | None) -> None:
        try:
            self.workspace.save_session(session)
        except OSError as error:
            self.notify.emit(f"Could not save the workout ({error.strerror or error}); "
                             "it stays open here and will be saved at the next step.")

    def _enter(self) -> None:
        session = self._session
        if session.stage is Stage.DONE:
            self._show_summary()
            return
        exercise = self.exercise()
        self.end_button.show()
        self.progress_label.setText(
            f"Exercise {session.item_index + 1} of {len(session.items)} · "
            f"{session.position_text(exercise.name)}")
        if session.stage is Stage.SETUP:
            self.setup_view.begin(exercise, session.position_text(exercise.name),
                                  self.workspace.machines.get(exercise.id, session.gym),
                                  session.gym)
            self.stack.setCurrentWidget(self.setup_view)
        elif session.stage is Stage.SET:
            self.stack.setCurrentWidget(self.set_view)
            self.set_view.prepare(exercise, self._target_reps(exercise), session.item.tempo)
        elif session.stage is Stage.LOG:
            self.log_form.begin(self._draft(exercise))
            self.stack.setCurrentWidget(self.log_form)
        elif session.stage is Stage.REST:
            self._rest(exercise)

    def _target_reps(self, exercise: Exercise) -> int:
        """The coach's rep target when it has one to give, else the middle of the range."""
        low, high = self._session.item.rep_range
        targets = [s.target_reps for s in self.workspace.suggestions(exercise)
                   if s.load_kg is not None]
        target = min(targets) if targets else (low + high + 1) // 2
        return min(max(target, 1), 100)

    def _setup_done(self, settings: MachineSettings) -> None:
        if settings.gym != self._session.gym:
            self.session = self._session.with_gym(settings.gym)
        self.workspace.machines.remember(settings)
        try:
            self.workspace.save_machines()
        except OSError as error:
            self.notify.emit(f"Could not save the machine settings ({error.strerror or error}).")
        self._step(self._session.begin_set())

    def _open_guided(self, exercise_id: str) -> None:
        self.guided_view.start(self.workspace.library[exercise_id])
        self.stack.setCurrentWidget(self.guided_view)

    def _set_finished(self, result: SetResult) -> None:
        if self.session is None or self.session.stage is not Stage.SET:
            return
        run = self.set_view.run
        tempo = str(run.plan.tempo) if run is not None else self._session.item.tempo
        pending = PendingSet(reps=dict(result.completed_reps),
                             tut_seconds=round(result.time_under_tension, 1), tempo=tempo)
        self._step(self._session.set_ended(pending))

    def _draft(self, exercise: Exercise) -> LogDraft:
        session = self._session
        pending = session.pending or PendingSet({}, 0.0, session.item.tempo)
        reps = dict(pending.reps)
        if exercise.one_sided:
            reps = {Side.LEFT: reps.get(Side.LEFT, 0), Side.RIGHT: reps.get(Side.RIGHT, 0)}
        memory = self.workspace.machines.get(exercise.id, session.gym)
        suggestions = self.workspace.suggestions(exercise)
        working = [r for r in self.workspace.recent(exercise.id)
                   if r.set_type is SetType.WORKING]
        last = working[-1] if working else None
        unit = last.unit if last else self.workspace.settings.unit
        load = last.entered_load if last else ""
        loads = [s.load_kg for s in suggestions if s.load_kg is not None]
        if loads:
            load = _load_text(min(loads), unit)
        feet = (memory.foot_height, memory.foot_width) if memory else (None, None)
        if feet == (None, None) and last is not None:
            feet = (last.foot_height, last.foot_width)  # the placement used last time
        return LogDraft(
            exercise=exercise, reps=reps, load=load, unit=unit, tempo=pending.tempo,
            tut_seconds=pending.tut_seconds or None,
            foot_height=feet[0], foot_width=feet[1],
            title=f"Log · {session.position_text(exercise.name)}",
            coach_text=" ".join(f"Coach: {s.reason}" for s in suggestions),
            session_id=session.id,
        )

    def _logged(self, records: list[SetRecord]) -> None:
        try:
            events = self.workspace.log(records)
        except SAVE_ERRORS as error:
            self.notify.emit(f"Could not save the set ({error_text(error)}); nothing "
                             "was lost: it is still in the form, try Save again.")
            return
        for event in events:
            self.record_texts.append(event.text)
            self.notify.emit(event.text)
        first = records[0]
        self.workspace.machines.remember_feet(first.exercise_id, self._session.gym,
                                              first.foot_height, first.foot_width,
                                              self.workspace.now())
        with contextlib.suppress(OSError):  # the feet are a convenience; the set is safe
            self.workspace.save_machines()
        self._step(self._session.logged_set(tuple(r.id for r in records),
                                             self.workspace.now(), None))

    def _rest(self, exercise: Exercise) -> None:
        session = self._session
        ends = session.rest_ends_at
        left = (ends - self.workspace.now()).total_seconds() if ends else session.item.rest_seconds
        if left < MIN_REST_ON_RESUME:
            self._step(session.rest_over())
            return
        position = session.next_position()
        assert position is not None
        item_index, set_number = position
        item = session.items[item_index]
        name = self.workspace.library[item.exercise_id].name
        low, high = item.rep_range
        next_text = f"Next: {name} · set {set_number} of {item.sets} · {low}–{high} reps"
        last = [r for r in self.workspace.sets.store.query(exercise_id=exercise.id)
                if r.session_id == session.id]
        last_text = f"Last set: {last[-1].describe()}" if last else ""
        self.rest_view.begin(round(left), next_text, last_text)
        self.stack.setCurrentWidget(self.rest_view)

    def _show_summary(self) -> None:
        session = self._session
        logged = set(session.logged)
        store = self.workspace.sets.store
        mine = [r for r in store.query(start=session.started_at) if r.id in logged]
        earlier = store.query(start=session.started_at - LOOK_BACK, end=session.started_at)
        summary = summarize(session, mine, earlier, self.workspace.exercise_names(),
                            self.record_texts, now=self.workspace.now())
        self.progress_label.setText("Done")
        self.end_button.hide()
        self.summary_view.unit = self.workspace.settings.unit
        self.summary_view.show_summary(summary)
        self.stack.setCurrentWidget(self.summary_view)
