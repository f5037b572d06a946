"""Gym-tablet behaviour of the whole window: the screen stays on for a workout, F1 and the
Help buttons show the shortcuts, and the first window builds only what it shows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtTest import QTest

from legcoach.ui.keep_awake import UNAVAILABLE_NOTE, KeepAwake
from legcoach.ui.main_window import MainWindow
from legcoach.ui.theme import apply_theme
from tests.ui.test_keep_awake import FakeInhibitor


@pytest.fixture
def make_window(qtbot, qapp, workspace, clock, sound):
    def make(inhibitor: FakeInhibitor) -> MainWindow:
        apply_theme(qapp)
        window = MainWindow(workspace, clock, sound,
                            keep_awake=KeepAwake(None, inhibitors=[inhibitor]))
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


def test_the_screen_stays_on_from_workout_start_to_its_end(make_window, workspace,
                                                            qtbot) -> None:
    inhibitor = FakeInhibitor()
    window = make_window(inhibitor)
    assert inhibitor.calls == []
    window.start_routine(workspace.routines.builtin.id)
    assert window.keep_awake.holding
    assert [call for call, _ in inhibitor.calls] == ["inhibit"]
    window.workout_view.end_workout()
    assert window.keep_awake.holding  # the summary is still part of the workout
    qtbot.mouseClick(window.workout_view.summary_view.done_button, Qt.MouseButton.LeftButton)
    assert not window.keep_awake.holding
    assert [call for call, _ in inhibitor.calls] == ["inhibit", "uninhibit"]


def test_without_a_way_to_keep_the_screen_on_the_lifter_is_told_once(make_window) -> None:
    window = make_window(FakeInhibitor(works=False))
    window.open_set("leg-press")
    assert window.status_label.text() == UNAVAILABLE_NOTE
    assert window.set_view.isVisible()  # the set goes on


def test_f1_and_the_help_button_open_the_shortcut_sheet(make_window, qtbot) -> None:
    window = make_window(FakeInhibitor())
    (f1,) = [shortcut for shortcut in window.findChildren(QShortcut)
             if shortcut.key() == QKeySequence(Qt.Key.Key_F1)]
    f1.activated.emit()  # as F1 does (tests/ui/test_shortcut_sheet.py presses the key)
    sheet = window.shortcut_sheet
    assert sheet.isVisible() and sheet.geometry() == window.rect()
    QTest.keyClick(sheet, Qt.Key.Key_F1)
    assert not sheet.isVisible()
    window.show_settings()
    from legcoach.ui.help_card import HelpCard

    qtbot.mouseClick(window.settings_view.findChild(HelpCard).shortcuts_button,
                     Qt.MouseButton.LeftButton)
    assert sheet.isVisible()


def test_the_first_window_builds_only_the_library(make_window) -> None:
    window = make_window(FakeInhibitor())
    assert window.stack.currentWidget() is window.library_view
    assert [name for name in ("train_view", "workout_view", "history_view", "progress_view",
                              "settings_view", "entry_form") if window.is_built(name)] == []
    window.show_history()
    assert window.is_built("history_view") and window.stack.currentWidget() is \
        window.history_view


def test_a_message_stays_until_the_lifter_dismisses_it(make_window, qtbot) -> None:
    window = make_window(FakeInhibitor())
    window.notify("Could not save the set (disk full); it is still in the form.")
    window.show_history()
    window.show_library()
    assert window.status_label.isVisible()  # moving around does not lose it
    qtbot.mouseClick(window.status_line.dismiss, Qt.MouseButton.LeftButton)
    assert not window.status_line.isVisible() and window.status_label.text() == ""
