"""A lifter's path through the first screens: library → 45° leg press → every guided step."""

from __future__ import annotations

from PySide6.QtCore import Qt

from legcoach.core.guide import guide_pages


def card_named(window, name: str):
    return next(c for c in window.library_view.cards if c.exercise.name == name)


def test_library_shows_every_exercise_with_muscles_equipment_and_difficulty(window) -> None:
    cards = window.library_view.visible_cards()
    assert len(cards) == 4
    card = card_named(window, "45° Leg Press")
    assert "Quadriceps" in card.muscles_label.text()
    texts = [w.text() for w in card.findChildren(type(card.muscles_label))]
    assert "Machine" in texts
    assert window.library_view.count_label.text() == "4 exercises"


def test_filters_narrow_the_cards_and_explain_an_empty_result(window, qtbot) -> None:
    view = window.library_view
    view.muscle_filter.setCurrentText("Calves")
    shown = {c.exercise.id for c in view.visible_cards()}
    assert shown == {"leg-press-45", "single-leg-press"}
    assert view.count_label.text() == "2 of 4 exercises"
    view.equipment_filter.addItem("Barbell")  # a filter value no exercise has
    view.equipment_filter.setCurrentText("Barbell")
    assert view.visible_cards() == []
    assert view.empty_label.isVisible()
    view.equipment_filter.setCurrentText("All")
    view.muscle_filter.setCurrentText("All")
    assert len(view.visible_cards()) == 4
    assert not view.empty_label.isVisible()


def test_click_a_card_then_read_the_detail_tabs(window, qtbot) -> None:
    qtbot.mouseClick(card_named(window, "45° Leg Press"), Qt.MouseButton.LeftButton)
    detail = window.detail_view
    assert window.stack.currentWidget() is detail
    assert window.title_label.text() == "45° Leg Press"
    assert detail.tab_titles() == ["Overview", "Foot placement", "Mistakes", "Safety", "FAQ"]
    exercise = detail.exercise
    assert "8–15 reps" in detail.tab_text("Overview")
    for mistake in exercise.mistakes:
        assert mistake.name in detail.tab_text("Mistakes")
        assert mistake.fix in detail.tab_text("Mistakes")
    for variation in exercise.variations:
        assert variation.emphasis in detail.tab_text("Foot placement")
    assert exercise.safety[0] in detail.tab_text("Safety")


def walk_to_detail_by_keyboard(window, qtbot, name: str) -> None:
    card = card_named(window, name)
    card.setFocus()
    qtbot.keyClick(card, Qt.Key.Key_Return)
    assert window.detail_view.exercise.name == name


def test_walk_every_guided_step_with_the_keyboard(window, qtbot) -> None:
    walk_to_detail_by_keyboard(window, qtbot, "45° Leg Press")
    qtbot.keyClick(window.detail_view.guided_button, Qt.Key.Key_Space)
    guided = window.guided_view
    assert window.stack.currentWidget() is guided
    pages = guide_pages(window.detail_view.exercise)
    for index, page in enumerate(pages):
        assert guided.position_label.text() == page.position
        assert guided.title_label.text() == page.title
        assert guided.text_label.text() == page.text
        assert guided.back_button.isEnabled() == (index > 0)
        if index < len(pages) - 1:
            qtbot.keyClick(guided, Qt.Key.Key_Right if index % 2 else Qt.Key.Key_Space)
    assert guided.title_label.text() == "Ready: start your set"
    assert guided.next_button.text().startswith("Start set")
    qtbot.keyClick(guided, Qt.Key.Key_Backspace)
    assert guided.position_label.text() == pages[-2].position
    qtbot.keyClick(guided, Qt.Key.Key_Left)
    assert guided.position_label.text() == pages[-3].position


def test_walk_every_guided_step_with_clicks_and_finish(window, qtbot) -> None:
    qtbot.mouseClick(card_named(window, "45° Leg Press"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.detail_view.guided_button, Qt.MouseButton.LeftButton)
    guided = window.guided_view
    pages = guide_pages(window.detail_view.exercise)
    assert guided.position_label.text() == "Setup 1/" + str(len(window.detail_view.exercise.setup))
    for page in pages[1:]:
        qtbot.mouseClick(guided.next_button, Qt.MouseButton.LeftButton)
        assert guided.position_label.text() == page.position
    qtbot.mouseClick(guided.back_button, Qt.MouseButton.LeftButton)
    assert guided.position_label.text() == pages[-2].position
    qtbot.mouseClick(guided.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(guided.next_button, Qt.MouseButton.LeftButton)  # "Start set" when ready
    assert window.set_view.isVisible()
    assert window.set_view.exercise.id == "leg-press-45"
    assert window.set_view.display.text.headline == "READY"


def test_back_button_and_escape_go_up_one_level(window, qtbot) -> None:
    assert not window.back_button.isVisible()
    qtbot.mouseClick(card_named(window, "Leg Press"), Qt.MouseButton.LeftButton)
    window.detail_view.guided_button.click()
    assert window.back_button.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.detail_view
    qtbot.mouseClick(window.back_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.library_view
    assert window.title_label.text() == "Exercises"


def test_every_control_has_a_touch_size_and_an_accessible_name(window, qtbot) -> None:
    from PySide6.QtWidgets import QComboBox, QPushButton

    qtbot.mouseClick(card_named(window, "Single-Leg Press"), Qt.MouseButton.LeftButton)
    window.detail_view.guided_button.click()
    for view in (window.library_view, window.detail_view, window.guided_view, window):
        for control in view.findChildren(QPushButton) + view.findChildren(QComboBox):
            if control.isVisible():
                assert control.accessibleName(), control.text()
                assert control.height() >= 48, control.text() or control.accessibleName()


def test_guided_text_scales_with_the_screen(window, qtbot) -> None:
    qtbot.mouseClick(card_named(window, "Leg Press"), Qt.MouseButton.LeftButton)
    window.detail_view.guided_button.click()
    guided = window.guided_view
    sizes = {}
    for width, height in ((1024, 600), (1280, 800), (1920, 1080)):
        window.resize(width, height)
        qtbot.waitUntil(lambda w=width: window.width() == w)
        sizes[height] = guided.text_label.font().pixelSize()
        assert guided.next_button.geometry().bottom() <= guided.height()
    assert sizes[600] < sizes[800] < sizes[1080]
    assert sizes[800] >= 32  # readable from 2 m on a 1280×800 tablet
