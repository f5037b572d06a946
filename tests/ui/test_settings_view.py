"""The settings screen and the plate calculator, driven by clicks and typing like a lifter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from legcoach.core.settings import DECLARATIONS, Kind, Settings
from legcoach.ui.settings_view import PlateCalculator, SettingsView

MACHINES = [("leg-press-45", "45° Leg Press"), ("leg-press", "Leg Press")]


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def view(qtbot, qapp, settings):
    from legcoach.ui.theme import apply_theme

    apply_theme(qapp)
    widget = SettingsView(settings, MACHINES)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def changes(view) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []
    view.changed.connect(lambda key, value: seen.append((key, value)))
    return seen


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_into(qtbot, edit, text: str) -> None:
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_every_declared_setting_has_a_row(view) -> None:
    expected = {s.key for s in DECLARATIONS if s.kind is not Kind.LOAD_MAP}
    expected |= {f"machines.sled_kg/{machine}" for machine, _ in MACHINES}
    assert set(view.rows) == expected
    assert all(not row.reset_button.isEnabled() for row in view.rows.values())


def test_change_the_unit_by_clicking(qtbot, view, settings, changes) -> None:
    increment = view.editor("coach.increment_two_leg_kg")
    assert (increment.field.text(), increment.unit_label.text()) == ("5", "kg")
    click(qtbot, view.editor("units.load").segmented.buttons["lb"])
    assert changes == [("units.load", "lb")] and settings.unit.value == "lb"
    assert (increment.field.text(), increment.unit_label.text()) == ("11.02", "lb")
    assert "45" in {chip.text() for chip in view.editor("plates.sizes_kg").chips.values()}


def test_change_the_rest_with_the_steppers(qtbot, view, settings, changes) -> None:
    rest = view.editor("timer.rest_seconds")
    click(qtbot, rest.field.plus)
    assert settings.rest_seconds == 135 and rest.field.text() == "135"
    click(qtbot, rest.field.minus)
    click(qtbot, rest.field.minus)
    assert changes == [("timer.rest_seconds", 135), ("timer.rest_seconds", 120),
                       ("timer.rest_seconds", 105)]
    assert view.row("timer.rest_seconds").reset_button.isEnabled()


def test_steppers_stop_at_the_bounds(qtbot, view, settings) -> None:
    volume = view.editor("sound.volume")
    assert volume.field.text() == "100" and not volume.field.plus.isEnabled()
    countdown = view.editor("timer.countdown_seconds")
    for _ in range(6):
        if countdown.field.minus.isEnabled():
            click(qtbot, countdown.field.minus)
    assert settings.countdown_seconds == 0 and not countdown.field.minus.isEnabled()


def test_change_the_theme_by_clicking(qtbot, view, settings, changes) -> None:
    click(qtbot, view.editor("look.theme").segmented.buttons["light"])
    assert changes == [("look.theme", "light")] and settings.theme == "light"
    click(qtbot, view.editor("look.theme").segmented.buttons["light"])  # again: no change
    assert len(changes) == 1


def test_a_value_out_of_range_shows_why_and_changes_nothing(qtbot, view, settings,
                                                              changes) -> None:
    rest = view.row("timer.rest_seconds")
    type_into(qtbot, rest.editor.field.edit, "1000")
    assert rest.message.isVisible()
    assert rest.message.text() == "Must be from 15 s to 900 s; 1,000 s is too high."
    assert settings.rest_seconds == 120 and changes == []
    assert rest.editor.field.text() == "120"  # the field shows what still applies
    type_into(qtbot, rest.editor.field.edit, "200")
    assert not rest.message.isVisible() and changes == [("timer.rest_seconds", 200)]


def test_text_that_is_not_a_number_is_explained(qtbot, view, changes) -> None:
    row = view.row("timer.countdown_seconds")
    type_into(qtbot, row.editor.field.edit, "ten")
    assert row.message.isVisible() and row.message.text() == "Type a number, like 5."
    assert changes == []


@pytest.mark.parametrize("typed", ["1e30", "1e9999999", "-5", "nan"])
def test_absurd_numbers_are_refused_in_words(qtbot, view, settings, changes, typed) -> None:
    click(qtbot, view.editor("units.load").segmented.buttons["lb"])
    for key in ("machines.sled_kg/leg-press", "coach.increment_one_leg_kg", "sound.volume"):
        row = view.row(key)
        type_into(qtbot, row.editor.field.edit, typed)
        assert row.message.isVisible() and row.message.text().startswith(("Must", "Type"))
    type_into(qtbot, view.editor("plates.sizes_kg").other, typed)
    assert view.row("plates.sizes_kg").message.text().startswith(("Must", "Type"))
    assert changes == [("units.load", "lb")]
    row = view.row("timer.rest_seconds")
    type_into(qtbot, row.editor.field.edit, typed)
    click(qtbot, row.editor.field.plus)  # steps from the value that applies
    assert settings.rest_seconds == 135 and not row.message.isVisible()


def test_reset_to_default(qtbot, view, settings, changes) -> None:
    row = view.row("sound.volume")
    click(qtbot, row.editor.field.minus)
    assert settings.volume == 0.9 and row.reset_button.isEnabled()
    click(qtbot, row.reset_button)
    assert settings.volume == 1.0 and row.editor.field.text() == "100"
    assert changes == [("sound.volume", 0.9), ("sound.volume", 1.0)]
    assert not row.reset_button.isEnabled() and settings.is_default("sound.volume")


def test_toggles(qtbot, view, settings, changes) -> None:
    toggle = view.editor("sound.on").button
    assert toggle.text() == "On"
    click(qtbot, toggle)
    assert toggle.text() == "Off" and not settings.sound_on
    assert changes == [("sound.on", False)]


def test_gym_name(qtbot, view, settings, changes) -> None:
    type_into(qtbot, view.editor("machines.gym_name").edit, "  Iron   Temple")
    assert settings.gym_name == "Iron Temple"
    assert changes == [("machines.gym_name", "Iron Temple")]


def test_sled_weight_per_machine_typed_in_pounds(qtbot, view, settings, changes) -> None:
    click(qtbot, view.editor("units.load").segmented.buttons["lb"])
    row = view.row("machines.sled_kg/leg-press")
    type_into(qtbot, row.editor.field.edit, "100")
    assert settings.sled_kg("leg-press") == pytest.approx(45.359237)
    assert changes[-1] == ("machines.sled_kg", {"leg-press": 45.359237})
    assert row.editor.field.text() == "100"
    click(qtbot, row.reset_button)
    assert settings.get("machines.sled_kg") == {} and changes[-1] == ("machines.sled_kg", {})


def test_sled_weight_above_the_limit(qtbot, view, settings) -> None:
    row = view.row("machines.sled_kg/leg-press-45")
    type_into(qtbot, row.editor.field.edit, "250")
    assert row.message.text() == "Must be from 0 kg to 200 kg; 250 kg is too high."
    assert settings.sled_kg("leg-press-45") == 0


def test_plate_chips(qtbot, view, settings, changes) -> None:
    plates = view.editor("plates.sizes_kg")
    assert [chip.isChecked() for chip in plates.chips.values()] == [
        False, True, True, True, True, True, True, True, False]  # 50 … 0.5 kg
    click(qtbot, plates.chips[25])
    assert settings.plates_kg == (20, 15, 10, 5, 2.5, 1.25)
    assert changes == [("plates.sizes_kg", (20, 15, 10, 5, 2.5, 1.25))]
    type_into(qtbot, plates.other, "0.75")
    assert 0.75 in settings.plates_kg
    assert any(chip.text() == "0.75" and chip.isChecked() for chip in plates.chips.values())


def test_the_last_plate_cannot_be_removed(qtbot, view, settings) -> None:
    settings.set("plates.sizes_kg", [20])
    view.refresh()
    plates = view.row("plates.sizes_kg")
    click(qtbot, plates.editor.chips[20])
    assert plates.message.text() == "Needs at least one size."
    assert settings.plates_kg == (20,)
    assert plates.editor.chips[20].isChecked()


def test_a_plate_size_that_is_too_big(qtbot, view, settings) -> None:
    plates = view.row("plates.sizes_kg")
    type_into(qtbot, plates.editor.other, "60")
    assert "Must be from 0.25 kg to 50 kg; 60 kg is too high." in plates.message.text()
    assert 60 not in settings.plates_kg


def test_section_buttons_scroll_to_their_section(qtbot, view) -> None:
    from legcoach.core.settings import Group

    click(qtbot, view.nav[Group.PLATES])
    assert view.scroll.verticalScrollBar().value() > 0
    assert view.nav[Group.PLATES].isChecked() and not view.nav[Group.UNITS].isChecked()


def test_problems_and_read_only_are_shown(qtbot) -> None:
    settings = Settings.from_dict({"v": 99})
    view = SettingsView(settings)
    qtbot.addWidget(view)
    assert view.banner is not None
    assert "newer version of legcoach" in view.banner.findChild(QLabel).text()
    assert SettingsView(Settings()).banner is None


# --- the plate calculator -------------------------------------------------------------------


@pytest.fixture
def calculator(qtbot, settings):
    settings.set_sled_kg("leg-press-45", 50)
    widget = PlateCalculator(settings, MACHINES)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    return widget


def test_the_calculator_shows_the_right_plates(qtbot, calculator) -> None:
    calculator.set_target(152.5)
    assert calculator.result.per_side == (25, 25, 1.25)
    assert calculator.summary.text() == "2 × 25 + 1.25 kg per side → 152.5 kg."
    assert calculator.strip.accessibleName() == "Plates per side: 25, 25, 1.25 kg"
    assert calculator.detail.text() == "Sled 50 kg · each side 51.25 kg"


def test_the_calculator_steps_by_the_smallest_pair(qtbot, calculator) -> None:
    calculator.set_target(100)
    click(qtbot, calculator.target.plus)
    assert calculator.target.text() == "102.5" and calculator.result.per_side == (25, 1.25)


def test_another_machine_has_another_sled(qtbot, calculator) -> None:
    calculator.set_target(100)
    click(qtbot, calculator.machines.buttons["leg-press"])  # no sled weight set: 0
    assert calculator.result.per_side == (25, 25)


def test_a_target_below_the_sled(qtbot, calculator) -> None:
    type_into(qtbot, calculator.target.edit, "40")
    assert calculator.summary.text() == ("The sled alone weighs 50 kg, more than 40 kg: "
                                         "no plates.")
    assert calculator.result.per_side == ()


@pytest.mark.parametrize(("typed", "step"), [("lots", "plus"), ("1e9999999", "plus"),
                                             ("1002.5", "minus"), ("-5", "plus")])
def test_a_target_that_is_not_a_load(qtbot, calculator, typed, step) -> None:
    calculator.set_target(100)
    type_into(qtbot, calculator.target.edit, typed)
    assert calculator.result is None and calculator.message.isVisible()
    assert calculator.message.text() == "Type a total load from 0 to 1,000 kg."
    click(qtbot, getattr(calculator.target, step))  # steps from a number again
    assert calculator.result is not None and not calculator.message.isVisible()


def test_the_calculator_follows_the_settings(qtbot, calculator, settings) -> None:
    calculator.set_target(100)
    settings.set("units.load", "lb")
    settings.set("plates.sizes_kg", [20.411657, 11.339809, 4.535924, 1.133981])  # 45/25/10/2.5
    settings.set_sled_kg("leg-press-45", 0)
    calculator.refresh()
    assert calculator.target.text() == "220.46"  # the same 100 kg, now in lb
    assert calculator.result.per_side == (45, 45, 10, 10)
    assert calculator.summary.text() == ("2 × 45 + 2 × 10 lb per side → 220 lb, 0.46 lb under "
                                         "220.46 lb.")
