"""The main window: a header (Back, title, sections) over a stack of screens.

Sections: Train (routines, and the workout in progress), Exercises (library → detail → guided
steps) and Log (recent sets: edit, delete, undo). Only screens that work are reachable.
Esc or Alt+← goes back one level; Ctrl+Z undoes the last change to the log.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from legcoach.core.clock import Clock
from legcoach.core.routine import RoutineItem
from legcoach.core.session import Stage, WorkoutSession, start_session
from legcoach.core.setlog import SetRecord
from legcoach.core.setstore import SAVE_ERRORS, error_text
from legcoach.core.sides import Side
from legcoach.core.workspace import Workspace
from legcoach.ui.detail_view import DetailView
from legcoach.ui.guided_view import GuidedView
from legcoach.ui.history_view import HistoryView
from legcoach.ui.library_view import LibraryView
from legcoach.ui.log_form import LogDraft, LogForm
from legcoach.ui.progress_view import ProgressView
from legcoach.ui.routine_editor import RoutineEditor
from legcoach.ui.sound import SoundOutput
from legcoach.ui.widgets import button, label
from legcoach.ui.workout_view import WorkoutView

FREE_SETS = 10  # a free session (one exercise, no routine) allows up to this many sets
FREE_REST = 120
PREFERENCES_DOC = "preferences"


class ProblemBanner(QFrame):
    """A visible, dismissable warning, e.g. for a user exercise file that could not be read."""

    def __init__(self, head: str, messages: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 10, 10)
        self.text = label(head + "\n" + "\n".join(f"• {m}" for m in messages), wrap=True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text, 1)
        dismiss = button("Dismiss", accessible="Dismiss warning", min_height=48)
        dismiss.clicked.connect(self.hide)
        layout.addWidget(dismiss, 0, Qt.AlignmentFlag.AlignTop)


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace, clock: Clock, sound: SoundOutput,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.library = workspace.library
        self.setWindowTitle("legcoach")
        self.setMinimumSize(800, 560)

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        header = QHBoxLayout()
        header.setContentsMargins(16, 12, 16, 4)
        header.setSpacing(12)
        self.back_button = button("◀  Back", accessible="Back", min_height=56)
        self.back_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.back_button.clicked.connect(self.go_back)
        self.title_label = label("", "h1")
        header.addWidget(self.back_button)
        header.addWidget(self.title_label, 1)
        self.nav: dict[str, QPushButton] = {}
        for key, text in (("workout", "Workout"), ("train", "Train"),
                          ("exercises", "Exercises"), ("history", "History"),
                          ("progress", "Progress")):
            widget = button(text, role="nav", accessible=f"Go to {text}", min_height=56)
            widget.setCheckable(True)
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            header.addWidget(widget)
            self.nav[key] = widget
        outer.addLayout(header)

        self.status_label = label("", wrap=True)
        self.status_label.setProperty("role", "coach")
        self.status_label.setAccessibleName("Message")
        self.status_label.hide()
        status_row = QHBoxLayout()
        status_row.setContentsMargins(24, 4, 24, 4)
        status_row.addWidget(self.status_label)
        outer.addLayout(status_row)

        self.banner: ProblemBanner | None = None
        self.banners: list[ProblemBanner] = []
        if workspace.read_only:
            self._add_banner(ProblemBanner(
                "Read-only: another legcoach is open on this data folder.",
                ["You can look at everything here, but nothing you change is saved.",
                 "Close the other window and restart legcoach to train and log."]), outer)
        problems = [str(p) for p in workspace.library.problems]
        if problems:
            count = len(problems)
            head = (f"{count} exercise file{'s were' if count > 1 else ' was'} skipped "
                    "because of a problem:")
            self.banner = ProblemBanner(head, problems)
            self._add_banner(self.banner, outer)
        resumed = workspace.load_session()
        stored = (workspace.documents.problems() + workspace.routines.problems()
                  + workspace.session_problems)
        if stored:
            self._add_banner(ProblemBanner("Some saved data could not be read:", stored), outer)

        self.stack = QStackedWidget()
        self.train_view = RoutineEditor(workspace.routines, workspace.library)
        self.library_view = LibraryView(workspace.library)
        self.detail_view = DetailView()
        self.guided_view = GuidedView()
        self.workout_view = WorkoutView(workspace, clock, sound)
        self.history_view = HistoryView(workspace, routine_names=workspace.session_names)
        self.progress_view = ProgressView(workspace)
        self.entry_form = LogForm(workspace.now)
        for view in (self.train_view, self.library_view, self.detail_view, self.guided_view,
                     self.workout_view, self.history_view, self.progress_view,
                     self.entry_form):
            self.stack.addWidget(view)
        outer.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.nav["workout"].clicked.connect(self.show_workout)
        self.nav["train"].clicked.connect(self.show_train)
        self.nav["exercises"].clicked.connect(self.show_library)
        self.nav["history"].clicked.connect(self.show_history)
        self.nav["progress"].clicked.connect(self.show_progress)
        self.progress_view.notify.connect(self.notify)
        workspace.changed.append(self._log_changed)
        self.train_view.start_requested.connect(self.start_routine)
        self.library_view.exercise_chosen.connect(self.open_exercise)
        self.detail_view.guided_requested.connect(self.open_guided)
        self.detail_view.set_requested.connect(self.open_set)
        self.detail_view.log_requested.connect(self.open_entry)
        self.detail_view.progress_requested.connect(self.show_progress)
        self.guided_view.finished.connect(self.open_set)
        self.workout_view.left.connect(self._workout_left)
        self.workout_view.notify.connect(self.notify)
        self.history_view.notify.connect(self.notify)
        self.history_view.edit_requested.connect(self.open_edit)
        self.entry_form.saved.connect(self._entry_saved)
        self.entry_form.edited.connect(self._entry_edited)
        self.entry_form.discarded.connect(self.go_back)
        for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence("Alt+Left")):
            QShortcut(keys, self, activated=self.go_back)
        QShortcut(QKeySequence.StandardKey.Undo, self, activated=self.undo)
        QShortcut(QKeySequence(Qt.Key.Key_F11), self, activated=self.toggle_fullscreen)
        controls = self.workout_view.set_view.sound_controls
        controls.load(workspace.documents.load(PREFERENCES_DOC))
        controls.changed.connect(self._save_sound_preferences)

        if resumed is not None:
            self.workout_view.start(resumed)
            self.show_workout()
            self.notify("Welcome back: your workout continues where it stopped.")
        else:
            self.show_library()

    # --- messages and preferences ---------------------------------------------------------

    def _add_banner(self, banner: ProblemBanner, layout: QVBoxLayout) -> None:
        row = QHBoxLayout()
        row.setContentsMargins(24, 4, 24, 4)
        row.addWidget(banner)
        layout.addLayout(row)
        self.banners.append(banner)

    def toggle_fullscreen(self) -> None:
        """F11: the gym-tablet view, nothing but legcoach on the screen."""
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def _save_sound_preferences(self, preferences: dict) -> None:
        try:
            self.workspace.documents.save(PREFERENCES_DOC, {"v": 1, **preferences})
        except OSError as error:
            self.notify(f"Could not save the sound settings ({error.strerror or error}).")

    def notify(self, message: str) -> None:
        self.status_label.setText(message)
        self.status_label.setVisible(bool(message))

    # --- navigation -----------------------------------------------------------------------

    def _show(self, view: QWidget, title: str, section: str, back: str = "") -> None:
        """Show `view`; `back` labels the header button (hidden when there is no way back)."""
        self.stack.setCurrentWidget(view)
        self.title_label.setText(title)
        self.back_button.setVisible(bool(back))
        self.back_button.setText(back)
        self.back_button.setAccessibleName(back.strip("◀✕ ") or "Back")
        self.nav["workout"].setVisible(self.workout_view.is_active)
        for key, widget in self.nav.items():
            widget.setChecked(key == section)

    def show_train(self) -> None:
        self._show(self.train_view, "Train", "train")

    def show_library(self) -> None:
        self._show(self.library_view, "Exercises", "exercises")
        self.library_view.focus_first_card()

    def show_history(self) -> None:
        self.history_view.refresh()
        self._show(self.history_view, "History", "history")
        self.history_view.focus_sessions()

    def show_progress(self, exercise_id: str | None = None) -> None:
        self._show(self.progress_view, "Progress", "progress")
        if exercise_id:
            self.progress_view.set_exercise(exercise_id)
        self.progress_view.refresh()

    def _log_changed(self, exercise_ids: set[str], added: list[SetRecord]) -> None:
        """Keep the charts and history current without re-reading the whole log."""
        if added:
            self.progress_view.set_logged(added)
        else:
            for exercise_id in exercise_ids or {None}:
                self.progress_view.log_changed(exercise_id)
            self.history_view.invalidate_records()

    def undo(self) -> None:
        """Ctrl+Z anywhere: undo the last change to the log, and show it where it happened."""
        self.history_view.undo()
        if self.stack.currentWidget() is not self.history_view:
            self.history_view.refresh()

    def show_workout(self) -> None:
        if self.workout_view.session is None:
            self.show_train()
            return
        self._show(self.workout_view, self.workout_view.session.routine_name, "workout")

    def open_exercise(self, exercise_id: str) -> None:
        exercise = self.library[exercise_id]
        self.detail_view.show_exercise(exercise)
        self._show(self.detail_view, exercise.name, "exercises", "◀  Exercises")
        self.detail_view.set_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_guided(self, exercise_id: str) -> None:
        exercise = self.library[exercise_id]
        self._show(self.guided_view, f"Guided setup · {exercise.name}", "exercises",
                   "✕  Close guide")
        self.guided_view.start(exercise)

    def go_back(self) -> None:
        """Esc / Back: a running set is stopped first (its reps are kept), then we leave."""
        current = self.stack.currentWidget()
        if current is self.workout_view:
            if self.workout_view.set_view.is_active:
                self.workout_view.set_view.stop()
        elif current is self.guided_view and self.guided_view.walk is not None:
            self.open_exercise(self.guided_view.walk.exercise.id)
        elif current is self.detail_view:
            self.show_library()
        elif current is self.entry_form:
            if self.entry_form.editing is not None:
                self.show_history()
            elif self.entry_form.draft is not None:
                self.open_exercise(self.entry_form.draft.exercise.id)

    # --- workouts -------------------------------------------------------------------------

    @property
    def set_view(self):
        """The set screen (inside the workout view)."""
        return self.workout_view.set_view

    def _begin_workout(self, session: WorkoutSession) -> None:
        if self.workout_view.is_active:
            self.notify("A workout is already in progress: finish it (End workout) first.")
            self.show_workout()
            return
        self.workout_view.start(session)
        self.show_workout()

    def start_routine(self, routine_id: str) -> None:
        routine = self.workspace.routines.get(routine_id)
        missing = self.workspace.routines.missing_exercises(routine_id)
        if missing:
            self.notify(f"{routine.name} uses exercises that are not in the library: "
                        f"{', '.join(missing)}. Edit the routine or add the files back.")
            return
        self._begin_workout(start_session(routine, self.workspace.now()))

    def open_set(self, exercise_id: str) -> None:
        """Free training: sets of one exercise, straight to the set screen, no routine."""
        exercise = self.library[exercise_id]
        item = RoutineItem(exercise_id=exercise.id, sets=FREE_SETS,
                           rep_range=exercise.guidance.rep_range, tempo=exercise.movement.tempo,
                           rest_seconds=FREE_REST, per_side=exercise.one_sided)
        session = WorkoutSession(routine_name=f"Free training · {exercise.name}", items=(item,),
                                 started_at=self.workspace.now(), stage=Stage.SET)
        self._begin_workout(session)

    def _workout_left(self) -> None:
        self.show_history()

    # --- logging without the timer, and editing -------------------------------------------

    def open_entry(self, exercise_id: str) -> None:
        exercise = self.library[exercise_id]
        high = exercise.guidance.rep_range[1]
        reps = {Side.LEFT: high, Side.RIGHT: high} if exercise.one_sided else {Side.BOTH: high}
        self.entry_form.begin(LogDraft(exercise=exercise, reps=reps,
                                       title=f"Log a set · {exercise.name}"))
        self._show(self.entry_form, f"Log a set · {exercise.name}", "exercises", "◀  Back")

    def open_edit(self, record: SetRecord) -> None:
        exercise = self.library.get(record.exercise_id)
        if exercise is None:
            self.notify(f"The exercise {record.exercise_id!r} is not in the library any more; "
                        "this set can be deleted but not edited.")
            return
        self.entry_form.begin_edit(record, exercise)
        self._show(self.entry_form, "Edit set", "history", "◀  History")

    def _entry_saved(self, records: list[SetRecord]) -> None:
        try:
            events = self.workspace.log(records)
        except SAVE_ERRORS as error:
            self.notify(f"Could not save the set ({error_text(error)}); it is still "
                        "in the form: try Save again.")
            return
        texts = [event.text for event in events]
        self.notify(" ".join(texts) or f"Logged {', '.join(r.describe() for r in records)}.")
        self.open_exercise(records[0].exercise_id)

    def _entry_edited(self, record: SetRecord) -> None:
        try:
            before = self.workspace.update(record)
        except SAVE_ERRORS as error:
            self.notify(f"Could not save the change ({error_text(error)}); "
                        "the set is unchanged.")
            return
        self.history_view.invalidate_records()
        self.notify(f"Changed {before.describe()} → {record.describe()}. Ctrl+Z undoes.")
        self.show_history()

    def closeEvent(self, event) -> None:
        """Closing mid-set pauses it; the workout itself is already saved at its last step."""
        self.workout_view.set_view.driver.pause()
        super().closeEvent(event)
