"""Settings reach the screens that use them: look, sound, countdown, rest, unit and gym.

Each test changes a setting the way a lifter does (on the Settings screen or the set screen's
own buttons) and then looks where the change must show.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from legcoach.core.setlog import LoadUnit
from legcoach.ui import themes


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.fixture
def settings_screen(window, qtbot):
    click(qtbot, window.nav["settings"])
    assert window.stack.currentWidget() is window.settings_view
    assert window.title_label.text() == "Settings"
    return window.settings_view


@pytest.fixture
def dark_again(qapp):
    yield
    themes.apply_look(qapp, "dark")


def test_the_theme_applies_at_once_and_is_saved(qtbot, window, settings_screen, workspace,
                                                dark_again) -> None:
    click(qtbot, settings_screen.editor("look.theme").segmented.buttons["light"])
    assert themes.current() is themes.LIGHT
    assert themes.LIGHT.background in QApplication.instance().styleSheet()
    assert workspace.documents.load("settings")["look.theme"] == "light"
    click(qtbot, settings_screen.editor("look.text_size").segmented.buttons["large"])
    assert QApplication.instance().font().pixelSize() == round(themes.BASE_FONT_PX * 1.2)


def test_the_countdown_setting_sets_the_lead_in_of_the_next_set(qtbot, window,
                                                                 settings_screen) -> None:
    countdown = settings_screen.editor("timer.countdown_seconds")
    for _ in range(2):
        click(qtbot, countdown.field.minus)
    window.open_set("leg-press")
    assert window.set_view.run.plan.lead_in == 3


def test_free_training_rests_as_long_as_the_setting_says(qtbot, window,
                                                          settings_screen) -> None:
    click(qtbot, settings_screen.editor("timer.rest_seconds").field.plus)
    window.open_set("leg-press")
    assert window.workout_view.session.item.rest_seconds == 135


def test_log_a_set_starts_in_the_lifters_unit(qtbot, window, settings_screen) -> None:
    click(qtbot, settings_screen.editor("units.load").segmented.buttons["lb"])
    window.open_entry("leg-press")
    assert window.entry_form.unit.value() is LoadUnit.LB


def test_a_routine_starts_at_the_lifters_gym(window, workspace) -> None:
    workspace.settings.set("machines.gym_name", "Iron Works")
    window.start_routine(workspace.routines.builtin.id)
    assert window.workout_view.session.gym == "Iron Works"


def test_sound_buttons_on_the_set_screen_and_in_settings_agree(qtbot, window, workspace,
                                                               sound) -> None:
    window.open_set("leg-press")
    click(qtbot, window.set_view.sound_controls.sound_button)
    assert sound.muted and not workspace.settings.sound_on
    click(qtbot, window.nav["settings"])
    toggle = window.settings_view.editor("sound.on")
    assert not toggle.button.isChecked()
    click(qtbot, toggle.button)
    assert not sound.muted
    assert window.set_view.sound_controls.sound_button.text() == "Sound: on"
