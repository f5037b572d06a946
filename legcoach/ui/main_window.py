"""The main window: a header (Back, title, sections) over a stack of screens.

Sections: Train (routines, and the workout in progress), Exercises (library → detail → guided
steps) and Log (recent sets: edit, delete, undo). Only screens that work are reachable.
Esc or Alt+← goes back one level; Ctrl+Z undoes the last change to the log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from legcoach.core.clock import Clock
from legcoach.core.routine import RoutineItem
from legcoach.core.session import Stage, WorkoutSession, start_session
from legcoach.core.setlog import SetRecord
from legcoach.core.setstore import SAVE_ERRORS, error_text
from legcoach.core.settings import (
    COUNTDOWN,
    SOUND_ON,
    TEXT_SIZE,
    THEME,
    UNIT,
    VOICE,
    VOLUME,
    SettingError,
)
from legcoach.core.sides import Side
from legcoach.core.workspace import Workspace
from legcoach.ui.banners import ProblemBanner, StatusLine, read_only_banner
from legcoach.ui.header import AppHeader
from legcoach.ui.library_view import LibraryView
from legcoach.ui.settings_apply import apply_settings_look, sound_preferences

if TYPE_CHECKING:  # the other screens are imported when first built (start-up time)
    from legcoach.storage.backups import BackupManager
    from legcoach.ui.data_tools import WriteFile
    from legcoach.ui.detail_view import DetailView
    from legcoach.ui.guided_view import GuidedView
    from legcoach.ui.history_view import HistoryView
    from legcoach.ui.keep_awake import KeepAwake
    from legcoach.ui.log_form import LogForm
    from legcoach.ui.progress_view import ProgressView
    from legcoach.ui.routine_editor import RoutineEditor
    from legcoach.ui.settings_view import SettingsView
    from legcoach.ui.shortcut_sheet import ShortcutSheet
    from legcoach.ui.sound import SoundOutput
    from legcoach.ui.workout_view import WorkoutView

FREE_SETS = 10  # a free session (one exercise, no routine) allows up to this many sets


class _Screen:
    """A screen of the window, built the first time anything uses it.

    Building every screen up front cost a third of a second at start-up; most sessions visit
    two or three of them. `MainWindow._build_<name>` makes the screen and connects it.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, window: MainWindow | None, owner: type | None = None):
        return self if window is None else window.screen(self.name)


class MainWindow(QMainWindow):
    """The window: header, banners, a status line and the screens (built as they are needed).

    `sound` is the cue player, or a function making it on first need (QtMultimedia takes a
    noticeable part of a second to load); `backups` and `write_file` serve Settings → Data.
    """

    train_view = _Screen()
    library_view = _Screen()
    detail_view = _Screen()
    guided_view = _Screen()
    workout_view = _Screen()
    history_view = _Screen()
    progress_view = _Screen()
    entry_form = _Screen()
    settings_view = _Screen()

    def __init__(self, workspace: Workspace, clock: Clock,
                 sound: SoundOutput | Callable[[], SoundOutput],
                 parent: QWidget | None = None, *, backups: BackupManager | None = None,
                 write_file: WriteFile | None = None,
                 keep_awake: KeepAwake | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.library = workspace.library
        self.clock = clock
        self._sound = sound
        self._sound_ready = False
        self._screens: dict[str, QWidget] = {}
        self.restart_requested = False
        """Set when the data files were replaced (a restore): the app opens them again."""
        self.setWindowTitle("legcoach")
        self.setMinimumSize(560, 560)

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.header = AppHeader()
        self.header.back_requested.connect(self.go_back)
        self.header.section_chosen.connect(self.show_section)
        self.back_button = self.header.back_button
        self.title_label = self.header.title_label
        self.nav = self.header.nav
        outer.addWidget(self.header)

        self.status_line = StatusLine()
        self.status_label = self.status_line.label
        outer.addWidget(self.status_line)

        self.banner: ProblemBanner | None = None
        self.banners: list[ProblemBanner] = []
        self._banner_layout = outer
        if workspace.read_only:
            self.add_banner(read_only_banner(workspace.read_only_reason))
        problems = [str(p) for p in workspace.library.problems]
        if problems:
            count = len(problems)
            head = (f"{count} exercise file{'s were' if count > 1 else ' was'} skipped "
                    "because of a problem:")
            self.banner = ProblemBanner(head, problems)
            self.add_banner(self.banner)
        resumed = workspace.load_session()
        stored = (workspace.documents.problems() + workspace.routines.problems()
                  + workspace.session_problems + workspace.settings.problems)
        if stored:
            self.add_banner(ProblemBanner("Some saved data could not be read:", stored))

        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        if write_file is None:
            from legcoach.storage.atomic import atomic_write_bytes as write_file
        from legcoach.ui.data_tools import DataActions

        self.data_actions = DataActions(workspace, backups, write_file,
                                        busy=self._set_running, parent=self)
        self.data_actions.notify.connect(self.notify)
        self.data_actions.reopen_requested.connect(self.reopen)
        self._keep_awake = keep_awake
        if keep_awake is not None:
            keep_awake.notice.connect(self.notify)
        self._shortcut_sheet: ShortcutSheet | None = None

        workspace.changed.append(self._log_changed)
        for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence("Alt+Left")):
            QShortcut(keys, self, activated=self.go_back)
        QShortcut(QKeySequence.StandardKey.Undo, self, activated=self.undo)
        QShortcut(QKeySequence(Qt.Key.Key_F11), self, activated=self.toggle_fullscreen)
        QShortcut(QKeySequence(Qt.Key.Key_F1), self, activated=lambda: self.shortcut_sheet.toggle())

        if resumed is not None:
            self.workout_view.start(resumed)
            self.keep_awake.hold()
            self.show_workout()
            self.notify("Welcome back: your workout continues where it stopped.")
        else:
            self.show_library()

    # --- screens, built on first use -----------------------------------------------------

    def screen(self, name: str) -> QWidget:
        """The screen called `name` (e.g. "history_view"), built now if it wasn't yet."""
        view = self._screens.get(name)
        if view is None:
            view = getattr(self, f"_build_{name}")()
            self._screens[name] = view
            self.stack.addWidget(view)
        return view

    def is_built(self, name: str) -> bool:
        return name in self._screens

    def _forget_screen(self, name: str) -> None:
        """Drop a screen (not on show) so that its next use builds it afresh."""
        view = self._screens.get(name)
        if view is not None and self.stack.currentWidget() is not view:
            del self._screens[name]
            self.stack.removeWidget(view)
            view.deleteLater()

    @property
    def keep_awake(self) -> KeepAwake:
        """Keeps the screen on during a workout; looked up when the first workout starts."""
        if self._keep_awake is None:
            from legcoach.ui.keep_awake import KeepAwake

            self._keep_awake = KeepAwake(self)
            self._keep_awake.notice.connect(self.notify)
        return self._keep_awake

    @property
    def shortcut_sheet(self) -> ShortcutSheet:
        """F1's overlay, built the first time it is asked for."""
        if self._shortcut_sheet is None:
            from legcoach.ui.shortcut_sheet import ShortcutSheet

            self._shortcut_sheet = ShortcutSheet(self, shortcut=False)
        return self._shortcut_sheet

    @property
    def sound(self) -> SoundOutput:
        """The cue player, made when the first set screen needs it, set as the lifter chose."""
        if not self._sound_ready:
            if callable(self._sound) and not isinstance(self._sound, QObject):
                self._sound = self._sound()
            settings = self.workspace.settings
            self._sound.set_muted(not settings.sound_on)
            self._sound.set_voice_enabled(settings.voice_on)
            self._sound.set_volume(settings.volume)
            self._sound_ready = True
        return self._sound  # type: ignore[return-value]

    def _build_train_view(self) -> RoutineEditor:
        from legcoach.ui.routine_editor import RoutineEditor

        view = RoutineEditor(self.workspace.routines, self.library)
        view.start_requested.connect(self.start_routine)
        return view

    def _build_library_view(self) -> LibraryView:
        view = LibraryView(self.library)
        view.exercise_chosen.connect(self.open_exercise)
        return view

    def _build_detail_view(self) -> DetailView:
        from legcoach.ui.detail_view import DetailView

        view = DetailView()
        view.guided_requested.connect(self.open_guided)
        view.set_requested.connect(self.open_set)
        view.log_requested.connect(self.open_entry)
        view.progress_requested.connect(self.show_progress)
        return view

    def _build_guided_view(self) -> GuidedView:
        from legcoach.ui.guided_view import GuidedView

        view = GuidedView()
        view.finished.connect(self.open_set)
        return view

    def _build_workout_view(self) -> WorkoutView:
        from legcoach.ui.workout_view import WorkoutView

        view = WorkoutView(self.workspace, self.clock, self.sound)
        view.left.connect(self._workout_left)
        view.notify.connect(self.notify)
        view.set_view.lead_in = self.workspace.settings.countdown_seconds
        controls = view.set_view.sound_controls
        controls.changed.connect(self._sound_changed_on_set_screen)
        return view

    def _build_history_view(self) -> HistoryView:
        from legcoach.ui.history_view import HistoryView

        view = HistoryView(self.workspace, routine_names=self.workspace.session_names)
        view.notify.connect(self.notify)
        view.edit_requested.connect(self.open_edit)
        return view

    def _build_progress_view(self) -> ProgressView:
        from legcoach.ui.progress_view import ProgressView

        view = ProgressView(self.workspace)
        view.notify.connect(self.notify)
        return view

    def _build_entry_form(self) -> LogForm:
        from legcoach.ui.log_form import LogForm

        view = LogForm(self.workspace.now)
        view.saved.connect(self._entry_saved)
        view.edited.connect(self._entry_edited)
        view.discarded.connect(self.go_back)
        return view

    def _build_settings_view(self) -> SettingsView:
        from legcoach.ui.data_tools import DataTools
        from legcoach.ui.help_card import HelpCard
        from legcoach.ui.settings_view import PlateCalculator, SettingsView

        settings = self.workspace.settings
        machines = [(exercise.id, exercise.name) for exercise in self.library]
        self.plate_calculator = PlateCalculator(settings, machines)
        help_card = HelpCard(lambda: self.shortcut_sheet.open_sheet(), self.toggle_fullscreen)
        view = SettingsView(settings, machines, extras=(
            ("Plate calculator", self.plate_calculator),
            ("Your data", DataTools(self.data_actions)),
            ("Help", help_card)))
        view.changed.connect(self._setting_changed)
        return view

    # --- messages, banners and settings ----------------------------------------------------

    def add_banner(self, banner: ProblemBanner) -> None:
        """Show a warning above the screens until the lifter dismisses it."""
        row = QHBoxLayout()
        row.setContentsMargins(24, 4, 24, 4)
        row.addWidget(banner)
        self._banner_layout.insertLayout(2 + len(self.banners), row)
        self.banners.append(banner)

    def toggle_fullscreen(self) -> None:
        """F11: the gym-tablet view, nothing but legcoach on the screen."""
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def notify(self, message: str) -> None:
        self.status_line.show_message(message)

    def _save_settings(self) -> None:
        try:
            self.workspace.save_settings()
        except OSError as error:
            self.notify(f"The change applies now but could not be saved "
                        f"({error.strerror or error}).")

    def _setting_changed(self, key: str, value: object) -> None:
        """Settings screen: save, then apply where it shows at once."""
        self._save_settings()
        settings = self.workspace.settings
        if key in (THEME.key, TEXT_SIZE.key):
            apply_settings_look(settings)
        elif key in (SOUND_ON.key, VOICE.key, VOLUME.key):
            if self.is_built("workout_view"):
                self.set_view.sound_controls.load(sound_preferences(settings))
        elif key == COUNTDOWN.key and self.is_built("workout_view"):
            self.set_view.lead_in = settings.countdown_seconds
        elif key == UNIT.key:
            self._forget_screen("progress_view")  # its axes and legends are in the old unit
        if hasattr(self, "plate_calculator"):
            self.plate_calculator.refresh()

    def _sound_changed_on_set_screen(self, preferences: dict) -> None:
        """The set screen's own sound buttons change the same settings."""
        settings = self.workspace.settings
        for setting, value in ((SOUND_ON, not preferences["muted"]),
                               (VOICE, preferences["voice"]), (VOLUME, preferences["volume"])):
            try:
                settings.set(setting, value)
            except SettingError:
                continue
        self._save_settings()
        if self.is_built("settings_view"):
            self.settings_view.refresh()

    def _set_running(self) -> bool:
        return self.is_built("workout_view") and self.set_view.is_active

    # --- navigation -----------------------------------------------------------------------

    def _show(self, view: QWidget, title: str, section: str, back: str = "") -> None:
        """Show `view`; `back` labels the header button (hidden when there is no way back)."""
        self.stack.setCurrentWidget(view)
        workout_active = self.is_built("workout_view") and self.workout_view.is_active
        self.header.show_place(title, section, back, workout_active=workout_active)

    def show_section(self, key: str) -> None:
        """A header section button: each section opens at its top screen."""
        {"workout": self.show_workout, "train": self.show_train,
         "exercises": self.show_library, "history": self.show_history,
         "progress": self.show_progress, "settings": self.show_settings}[key]()

    def show_train(self) -> None:
        self._show(self.train_view, "Train", "train")

    def show_library(self) -> None:
        self._show(self.library_view, "Exercises", "exercises")
        self.library_view.focus_first_card()

    def show_history(self) -> None:
        self.history_view.refresh()
        self._show(self.history_view, "History", "history")
        self.history_view.focus_sessions()

    def show_settings(self) -> None:
        self._show(self.settings_view, "Settings", "settings")

    def show_progress(self, exercise_id: str | None = None) -> None:
        if exercise_id:  # before showing: the first paint is already this exercise's
            self.progress_view.set_exercise(exercise_id)
        self._show(self.progress_view, "Progress", "progress")
        self.progress_view.refresh()

    def _log_changed(self, exercise_ids: set[str], added: list[SetRecord]) -> None:
        """Keep the charts and history current without re-reading the whole log."""
        if self.is_built("progress_view"):
            if added:
                self.progress_view.set_logged(added)
            else:
                for exercise_id in exercise_ids or {None}:
                    self.progress_view.log_changed(exercise_id)
        if not added and self.is_built("history_view"):
            self.history_view.invalidate_records()

    def undo(self) -> None:
        """Ctrl+Z anywhere: undo the last change to the log, and show it where it happened."""
        self.history_view.undo()
        if self.stack.currentWidget() is not self.history_view:
            self.history_view.refresh()

    def show_workout(self) -> None:
        if not self.is_built("workout_view") or self.workout_view.session is None:
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
        self.keep_awake.hold()
        self.show_workout()

    def start_routine(self, routine_id: str) -> None:
        routine = self.workspace.routines.get(routine_id)
        missing = self.workspace.routines.missing_exercises(routine_id)
        if missing:
            self.notify(f"{routine.name} uses exercises that are not in the library: "
                        f"{', '.join(missing)}. Edit the routine or add the files back.")
            return
        self._begin_workout(start_session(routine, self.workspace.now(),
                                          gym=self.workspace.settings.gym_name))

    def open_set(self, exercise_id: str) -> None:
        """Free training: sets of one exercise, straight to the set screen, no routine."""
        exercise = self.library[exercise_id]
        item = RoutineItem(exercise_id=exercise.id, sets=FREE_SETS,
                           rep_range=exercise.guidance.rep_range, tempo=exercise.movement.tempo,
                           rest_seconds=self.workspace.settings.rest_seconds,
                           per_side=exercise.one_sided)
        session = WorkoutSession(routine_name=f"Free training · {exercise.name}", items=(item,),
                                 started_at=self.workspace.now(), stage=Stage.SET)
        self._begin_workout(session)

    def _workout_left(self) -> None:
        """The workout is over: let the screen sleep, back up, show where the sets went."""
        if self._keep_awake is not None:
            self._keep_awake.release()
        self.data_actions.back_up_if_due(session_ended=True)
        self.show_history()

    # --- logging without the timer, and editing -------------------------------------------

    def open_entry(self, exercise_id: str) -> None:
        exercise = self.library[exercise_id]
        high = exercise.guidance.rep_range[1]
        reps = {Side.LEFT: high, Side.RIGHT: high} if exercise.one_sided else {Side.BOTH: high}
        from legcoach.ui.log_form import LogDraft

        self.entry_form.begin(LogDraft(exercise=exercise, reps=reps,
                                       unit=self.workspace.settings.unit,
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

    def reopen(self) -> None:
        """The data files were replaced (a restore): close, and let the app open them again."""
        self.restart_requested = True
        self.close()

    def closeEvent(self, event) -> None:
        """Closing mid-set pauses it (the workout is saved at its last step); back up if due."""
        if self.is_built("workout_view"):
            self.set_view.driver.pause()
        if not self.restart_requested:
            self.data_actions.back_up_if_due()
        self.data_actions.timer.stop()
        super().closeEvent(event)
