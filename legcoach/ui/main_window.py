"""The main window: a header with Back and the current title over a stack of screens.

Navigation is a drill-down (library → exercise → guided steps) and shows only screens that work.
Esc or Alt+← goes back one level, like the on-screen Back button.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from legcoach.core.clock import Clock
from legcoach.core.library import ExerciseLibrary
from legcoach.ui.detail_view import DetailView
from legcoach.ui.guided_view import GuidedView
from legcoach.ui.library_view import LibraryView
from legcoach.ui.set_view import SetView
from legcoach.ui.sound import SoundOutput
from legcoach.ui.widgets import button, label


class ProblemBanner(QFrame):
    """A visible, dismissable warning, e.g. for a user exercise file that could not be read."""

    def __init__(self, messages: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 10, 10)
        count = len(messages)
        head = (f"{count} exercise file{'s were' if count > 1 else ' was'} skipped "
                "because of a problem:")
        self.text = label(head + "\n" + "\n".join(f"• {m}" for m in messages), wrap=True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text, 1)
        dismiss = button("Dismiss", accessible="Dismiss warning", min_height=48)
        dismiss.clicked.connect(self.hide)
        layout.addWidget(dismiss, 0, Qt.AlignmentFlag.AlignTop)


class MainWindow(QMainWindow):
    def __init__(
        self, library: ExerciseLibrary, clock: Clock, sound: SoundOutput,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.setWindowTitle("legcoach")
        self.setMinimumSize(800, 560)

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        header = QHBoxLayout()
        header.setContentsMargins(16, 12, 24, 4)
        header.setSpacing(16)
        self.back_button = button("◀  Back", accessible="Back", min_height=56)
        self.back_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.back_button.clicked.connect(self.go_back)
        self.title_label = label("Exercises", "h1")
        header.addWidget(self.back_button)
        header.addWidget(self.title_label, 1)
        outer.addLayout(header)

        self.banner: ProblemBanner | None = None
        if library.problems:
            self.banner = ProblemBanner([str(p) for p in library.problems])
            banner_row = QHBoxLayout()
            banner_row.setContentsMargins(24, 4, 24, 4)
            banner_row.addWidget(self.banner)
            outer.addLayout(banner_row)

        self.stack = QStackedWidget()
        self.library_view = LibraryView(library)
        self.detail_view = DetailView()
        self.guided_view = GuidedView()
        self.set_view = SetView(clock, sound)
        for view in (self.library_view, self.detail_view, self.guided_view, self.set_view):
            self.stack.addWidget(view)
        outer.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.library_view.exercise_chosen.connect(self.open_exercise)
        self.detail_view.guided_requested.connect(self.open_guided)
        self.detail_view.set_requested.connect(self.open_set)
        self.guided_view.finished.connect(self.open_set)
        for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence("Alt+Left")):
            QShortcut(keys, self, activated=self.go_back)
        self.show_library()

    # --- navigation -----------------------------------------------------------------------

    def _show(self, view: QWidget, title: str, back: str = "") -> None:
        """Show `view`; `back` labels the header button (hidden when there is no way back)."""
        self.stack.setCurrentWidget(view)
        self.title_label.setText(title)
        self.back_button.setVisible(bool(back))
        self.back_button.setText(back)
        self.back_button.setAccessibleName(back.strip("◀✕ ") or "Back")

    def show_library(self) -> None:
        self._show(self.library_view, "Exercises")
        self.library_view.focus_first_card()

    def open_exercise(self, exercise_id: str) -> None:
        exercise = self.library[exercise_id]
        self.detail_view.show_exercise(exercise)
        self._show(self.detail_view, exercise.name, "◀  Exercises")
        self.detail_view.guided_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_guided(self, exercise_id: str) -> None:
        exercise = self.library[exercise_id]
        self._show(self.guided_view, f"Guided setup · {exercise.name}", "✕  Close guide")
        self.guided_view.start(exercise)

    def open_set(self, exercise_id: str) -> None:
        exercise = self.library[exercise_id]
        self._show(self.set_view, exercise.name, "✕  Leave set")
        self.set_view.prepare(exercise)

    def go_back(self) -> None:
        """Esc / Back: a running set is stopped first (its reps are kept), then we leave."""
        current = self.stack.currentWidget()
        if current is self.set_view:
            if not self.set_view.stop() and self.set_view.exercise is not None:
                self.open_exercise(self.set_view.exercise.id)
        elif current is self.guided_view and self.guided_view.walk is not None:
            self.open_exercise(self.guided_view.walk.exercise.id)
        elif current is self.detail_view:
            self.show_library()
