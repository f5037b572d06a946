"""The setup step remembers machine settings per gym; sound controls stick across restarts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from legcoach.core.session import Stage


def start_leg_day(window, qtbot) -> None:
    window.show_train()
    qtbot.mouseClick(window.train_view.start_button, Qt.MouseButton.LeftButton)


def type_into(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def test_machine_settings_come_back_next_time_per_gym(window, qtbot, workspace) -> None:
    start_leg_day(window, qtbot)
    setup = window.workout_view.setup_view
    assert setup.isVisible()
    assert "No settings saved yet" in setup.last_time_label.text()
    type_into(qtbot, setup.gym_edit, "Iron Works")
    type_into(qtbot, setup.fields["seat"], "hole 5")
    type_into(qtbot, setup.fields["safety_stop"], "pin 3")
    qtbot.mouseClick(setup.foot_height.buttons[next(iter(setup.foot_height.buttons))],
                     Qt.MouseButton.LeftButton)
    qtbot.mouseClick(setup.start_button, Qt.MouseButton.LeftButton)
    assert window.workout_view.session.stage is Stage.SET
    assert window.workout_view.session.gym == "Iron Works"
    remembered = workspace.machines.get("leg-press-45", "iron works")
    assert (remembered.seat, remembered.safety_stop, remembered.gym) == (
        "hole 5", "pin 3", "Iron Works")
    stored = workspace.documents.load("machine_settings")
    assert stored["entries"][0]["seat"] == "hole 5"

    window.workout_view.end_workout()  # a new workout shows them again
    qtbot.mouseClick(window.workout_view.summary_view.done_button, Qt.MouseButton.LeftButton)
    start_leg_day(window, qtbot)
    setup = window.workout_view.setup_view
    assert setup.fields["seat"].text() == "hole 5"
    assert "Last time at Iron Works: Seat hole 5 · Catches pin 3" in setup.last_time_label.text()


def test_sound_controls_apply_and_are_saved(window, qtbot, workspace, sound) -> None:
    window.open_set("leg-press-45")
    controls = window.set_view.sound_controls
    assert controls.isVisible()
    assert controls.sound_button.text() == "Sound: on"
    qtbot.mouseClick(controls.quieter, Qt.MouseButton.LeftButton)
    assert abs(sound.volume - 0.9) < 1e-9
    qtbot.mouseClick(controls.voice_button, Qt.MouseButton.LeftButton)
    assert sound.voice_enabled
    qtbot.mouseClick(controls.sound_button, Qt.MouseButton.LeftButton)
    assert sound.muted
    assert controls.sound_button.text() == "Sound: off"
    assert not controls.louder.isEnabled()
    assert workspace.documents.load("settings") == {"v": 1, "sound.volume": 0.9,
                                                    "sound.on": False, "sound.voice": True}


@pytest.mark.parametrize("stored", [
    {"preferences": {"v": 1, "volume": 0.4, "muted": False, "voice": "yes please"}},
    {"settings": {"v": 1, "sound.volume": 0.4, "sound.voice": "yes please"}},
], ids=["older-preferences", "settings"])
def test_saved_sound_settings_are_applied_at_start(qtbot, qapp, library, set_store, wall, clock,
                                                   sound, stored) -> None:
    from legcoach.core.documents import InMemoryDocumentStore
    from legcoach.core.undo import SetLogEditor
    from legcoach.core.workspace import Workspace
    from legcoach.ui.main_window import MainWindow

    documents = InMemoryDocumentStore()
    for name, document in stored.items():
        documents.save(name, document)
    workspace = Workspace(library=library, sets=SetLogEditor(set_store, now=wall),
                          documents=documents, now=wall)
    window = MainWindow(workspace, clock, sound)
    qtbot.addWidget(window)
    window.open_set("leg-press")  # the player is set up when the first set needs it
    assert abs(sound.volume - 0.4) < 1e-9
    assert not sound.voice_enabled  # a bad value keeps the default
    assert window.set_view.sound_controls.volume_label.text() == "Volume 40%"
    assert any("Spoken cues" in problem for problem in workspace.settings.problems)


def test_f11_toggles_fullscreen(window, qtbot) -> None:
    QTest.keyClick(window, Qt.Key.Key_F11)
    assert window.isFullScreen()
    QTest.keyClick(window, Qt.Key.Key_F11)
    assert not window.isFullScreen()
