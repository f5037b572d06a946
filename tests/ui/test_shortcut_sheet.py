"""F1's shortcut sheet: opens and closes as promised, hides nothing it claims, lists true keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

from legcoach.ui.shortcut_sheet import SHORTCUTS, ShortcutSheet, type_scale

KEYS = {"Space": Qt.Key.Key_Space, "→": Qt.Key.Key_Right, "←": Qt.Key.Key_Left,
        "Backspace": Qt.Key.Key_Backspace, "Enter": Qt.Key.Key_Return, "+": Qt.Key.Key_Plus,
        "−": Qt.Key.Key_Minus, "S": Qt.Key.Key_S, "Esc": Qt.Key.Key_Escape}
"""How each printed key is pressed (the sheet prints "−", the key sends Minus)."""
SEQUENCES = {"F11": "F11", "Ctrl+Z": "Ctrl+Z", "Esc": "Esc", "Alt+←": "Alt+Left", "F1": "F1"}


@pytest.fixture
def sheet(window) -> ShortcutSheet:
    return window.shortcut_sheet  # the window's own, built on first use


def group(screen: str):
    return next(g for g in SHORTCUTS if g.screen == screen)


def test_f1_opens_and_closes_it(sheet, window, qtbot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert sheet.isVisible() and sheet.hasFocus()
    assert sheet.geometry() == window.rect()
    qtbot.keyClick(sheet, Qt.Key.Key_F1)
    assert not sheet.isVisible()


def test_escape_closes_it_without_going_back(sheet, window, qtbot) -> None:
    window.open_exercise("leg-press-45")
    sheet.toggle()
    qtbot.keyClick(sheet, Qt.Key.Key_Escape)
    assert not sheet.isVisible()
    assert window.stack.currentWidget() is window.detail_view  # Esc did not also go back


def test_a_tap_anywhere_closes_it(sheet, qtbot) -> None:
    sheet.open_sheet()
    qtbot.mouseClick(sheet, Qt.MouseButton.LeftButton, pos=QPoint(40, sheet.height() - 40))
    assert not sheet.isVisible()
    sheet.open_sheet()
    title = next(w for w in sheet.findChildren(QLabel) if w.text() == "Keyboard shortcuts")
    qtbot.mouseClick(title, Qt.MouseButton.LeftButton)
    assert not sheet.isVisible()


def test_keys_do_not_act_on_the_screen_beneath(sheet, window, qtbot) -> None:
    window.open_set("leg-press-45")
    set_view = window.set_view
    sheet.open_sheet()
    qtbot.keyClick(sheet, Qt.Key.Key_Space)
    qtbot.keyClick(sheet, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(sheet, Qt.Key.Key_Tab)
    assert sheet.isVisible() and sheet.hasFocus()
    assert not set_view.run.is_started
    qtbot.keyClick(sheet, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.workout_view  # Esc only closed the sheet
    assert set_view.hasFocus()  # focus went back where it was


def test_it_follows_the_window_size(sheet, window, qtbot) -> None:
    sheet.open_sheet()
    window.resize(1024, 600)
    qtbot.waitUntil(lambda: sheet.geometry() == window.rect())


@pytest.mark.parametrize(("size", "columns"), [((1024, 600), 2), ((1280, 800), 2),
                                               ((1920, 1080), 2), ((600, 1024), 1),
                                               ((800, 1280), 1)])
def test_it_fits_without_clipping(qtbot, qapp, size, columns) -> None:
    from legcoach.ui.theme import apply_theme

    apply_theme(qapp)
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(*size)
    host.show()
    sheet = ShortcutSheet(host)
    sheet.open_sheet()
    qtbot.wait(20)  # let the scroll area lay out
    assert sheet._columns == columns
    scroll = sheet.findChild(QScrollArea)
    assert not scroll.horizontalScrollBar().isVisible(), "nothing is cut off at the side"
    assert not scroll.verticalScrollBar().isVisible(), "the whole sheet is on one screen"
    for cap in (w for w in sheet.findChildren(QLabel) if w.property("role") == "key"):
        assert cap.fontMetrics().horizontalAdvance(cap.text()) <= cap.contentsRect().width()


def test_type_scales_with_the_window_but_stays_big() -> None:
    assert type_scale(1280, 800) == type_scale(800, 1280) == 1
    assert 0.7 <= type_scale(1024, 600) < 1 and type_scale(320, 240) == 0.7
    assert type_scale(1920, 1080) > 1


# --- the list tells the truth ----------------------------------------------------------------


def test_every_group_has_shortcuts() -> None:
    assert [g.screen for g in SHORTCUTS] == ["Set screen", "Guided steps", "Rest timer",
                                             "Everywhere"]
    assert all(g.shortcuts for g in SHORTCUTS)


def test_everywhere_keys_are_window_shortcuts(sheet, window) -> None:
    installed = {shortcut.key().toString() for shortcut in window.findChildren(QShortcut)}
    listed = {SEQUENCES[key] for s in group("Everywhere").shortcuts for key in s.keys}
    assert listed <= installed
    assert QKeySequence("F1").toString() in installed  # the sheet installed its own key


def test_guided_keys_are_the_guided_views_keys() -> None:
    from legcoach.ui.guided_view import BACK_KEYS, NEXT_KEYS

    by_action = {s.action: {KEYS[k] for k in s.keys} for s in group("Guided steps").shortcuts}
    assert by_action["Next step"] <= set(NEXT_KEYS)
    assert by_action["Previous step"] <= set(BACK_KEYS)


def test_set_screen_keys_do_what_the_sheet_says(window, qtbot) -> None:
    window.open_set("leg-press-45")
    view = window.set_view
    target = view.run.plan.target_reps
    keys = {s.action: KEYS[s.keys[0]] for s in group("Set screen").shortcuts}
    qtbot.keyClick(view, keys["One rep more"])
    assert view.run.plan.target_reps == target + 1
    qtbot.keyClick(view, keys["One rep fewer"])
    assert view.run.plan.target_reps == target
    qtbot.keyClick(view, keys["Start · pause · resume"])
    assert view.run.is_started


def test_rest_keys_do_what_the_sheet_says(window, clock, wall, qtbot) -> None:
    from legcoach.ui.autopilot import Autopilot

    window.open_set("leg-press-45")
    pilot = Autopilot(window, clock, wall)
    pilot.run_set()
    pilot.step()  # log the set → rest
    rest = window.workout_view.rest_view
    assert window.workout_view.stack.currentWidget() is rest
    keys = {s.action: [KEYS[k] for k in s.keys] for s in group("Rest timer").shortcuts}
    before = rest.rest.total
    qtbot.keyClick(rest, keys["30 s more"][0])
    assert rest.rest.total - before == pytest.approx(30)
    qtbot.keyClick(rest, keys["Skip the rest"][1])
    assert window.workout_view.stack.currentWidget() is not rest
