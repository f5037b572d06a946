"""Settings: the declaration table, checks, the stored document, upgrades and bad files."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from legcoach.core.documents import InMemoryDocumentStore
from legcoach.core.progression import ProgressionSettings
from legcoach.core.readonly import ReadOnlyError
from legcoach.core.setlog import LoadUnit
from legcoach.core.settings import (
    DECLARATIONS,
    MIGRATIONS,
    OLD_PREFERENCES_DOC,
    SCHEMA_VERSION,
    SETTINGS_DOC,
    TEXT_SCALES,
    Group,
    Kind,
    SettingError,
    Settings,
    SettingsReadOnlyError,
    declaration,
    groups,
    open_settings,
    save_settings,
)

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
ALL_KEYS = {s.key for s in DECLARATIONS}
JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=10,
)


def opened(documents: dict, **kwargs) -> tuple[Settings, InMemoryDocumentStore]:
    store = InMemoryDocumentStore(documents)
    return open_settings(store, now=lambda: NOW, **kwargs), store


# --- the declarations -----------------------------------------------------------------------


def test_the_table_declares_every_setting_the_app_needs() -> None:
    declared = {s.key for s in DECLARATIONS}
    assert declared == {
        "units.load", "timer.rest_seconds", "timer.countdown_seconds", "sound.on",
        "sound.voice", "sound.volume", "look.theme", "look.text_size",
        "coach.increment_two_leg_kg", "coach.increment_one_leg_kg", "machines.gym_name",
        "machines.sled_kg", "plates.sizes_kg",
    }


@pytest.mark.parametrize("setting", DECLARATIONS, ids=lambda s: s.key)
def test_every_declaration_is_complete_and_its_default_is_valid(setting) -> None:
    assert isinstance(setting.kind, Kind) and isinstance(setting.group, Group)
    assert setting.label and setting.description.endswith(".")
    assert setting.check(setting.default) == setting.check(setting.default)  # valid, stable
    if setting.kind in (Kind.INT, Kind.NUMBER, Kind.LOAD_MAP, Kind.LOAD_LIST):
        assert setting.minimum is not None and setting.maximum is not None
        assert setting.minimum < setting.maximum
    if setting.kind in (Kind.INT, Kind.NUMBER):
        assert setting.minimum <= setting.default <= setting.maximum
        assert setting.step is not None and 0 < setting.step < setting.maximum
    if setting.kind is Kind.CHOICE:
        assert setting.default in setting.choice_values()
    assert json.loads(json.dumps(Settings().to_dict())) == Settings().to_dict()


def test_bounds_from_the_brief() -> None:
    rest, countdown = declaration("timer.rest_seconds"), declaration("timer.countdown_seconds")
    assert (rest.minimum, rest.maximum, countdown.minimum, countdown.maximum) == (15, 900, 0, 30)
    assert declaration("sound.volume").maximum == 1
    assert declaration("machines.sled_kg").maximum == 200
    assert declaration("look.theme").choice_values() == ("dark", "light", "high_contrast")
    assert set(TEXT_SCALES) == set(declaration("look.text_size").choice_values())


def test_sections_come_in_screen_order_and_hold_every_setting_once() -> None:
    sections = list(groups())
    assert [group for group, _ in sections] == list(Group)
    assert sorted(s.key for _, members in sections for s in members) == sorted(ALL_KEYS)


def test_defaults_match_what_the_app_did_before_settings() -> None:
    settings = Settings()
    assert settings.unit is LoadUnit.KG
    assert (settings.rest_seconds, settings.countdown_seconds) == (120, 5)
    assert (settings.sound_on, settings.voice_on, settings.volume) == (True, False, 1.0)
    assert (settings.theme, settings.text_scale, settings.gym_name) == ("dark", 1.0, "")
    assert settings.progression() == ProgressionSettings()
    assert settings.plates_kg == (25, 20, 15, 10, 5, 2.5, 1.25)
    assert settings.sled_kg("leg-press") == 0


# --- typed get/set --------------------------------------------------------------------------


def test_set_checks_and_returns_the_stored_form() -> None:
    settings = Settings()
    assert settings.set("timer.rest_seconds", 90.0) == 90
    assert isinstance(settings.rest_seconds, int)
    assert settings.set("machines.gym_name", "  Iron   Temple ") == "Iron Temple"
    assert settings.set("plates.sizes_kg", [5, 20, 20, 2.5]) == (20, 5, 2.5)
    assert settings.set("look.text_size", "extra_large") and settings.text_scale == 1.4


@pytest.mark.parametrize(("key", "value", "why"), [
    ("timer.rest_seconds", 1000, "must be from 15 s to 900 s; 1,000 s is too high."),
    ("timer.rest_seconds", 10, "must be from 15 s to 900 s; 10 s is too low."),
    ("timer.rest_seconds", 90.5, "must be a whole number of s, not 90.5."),
    ("timer.countdown_seconds", "5", "must be a number, not '5'."),
    ("sound.volume", 1.5, "must be from 0% to 100%; 150% is too high."),
    ("sound.volume", float("nan"), "must be a number of sensible size, not nan."),
    ("sound.on", 1, "must be on or off (true or false), not 1."),
    ("timer.rest_seconds", 10**400, "must be a number of sensible size, not 1000000000000"),
    ("sound.volume", 1e30, "must be from 0% to 100%; 1e+32% is too high."),
    ("look.theme", "x" * 10_000, "; 'xxxxxxxxxxxxxxxxxxx… is not one of them."),
    ("look.theme", "pink", "must be one of Dark, Light, High contrast; 'pink' is not one"),
    ("machines.gym_name", "x" * 41, "can be at most 40 characters (41 typed)."),
    ("machines.sled_kg", {"leg-press": 250}, "leg-press: must be from 0 kg to 200 kg;"),
    ("machines.sled_kg", {"../etc": 20}, "'../etc' is not an exercise id"),
    ("plates.sizes_kg", [], "needs at least one size."),
    ("plates.sizes_kg", [20, 0.1], "must be from 0.25 kg to 50 kg; 0.1 kg is too low."),
    ("coach.increment_one_leg_kg", 0.25, "must be from 0.5 kg to 20 kg"),
])
def test_a_bad_value_is_refused_with_the_key_and_why(key, value, why) -> None:
    settings = Settings()
    before = settings.to_dict()
    with pytest.raises(SettingError) as caught:
        settings.set(key, value)
    assert caught.value.key == key and why in caught.value.reason
    assert key in str(caught.value)
    assert settings.to_dict() == before


def test_load_bounds_are_worded_in_the_unit_the_lifter_typed_in() -> None:
    with pytest.raises(SettingError, match=r"from 0 lb to 440\.92 lb; 551\.16 lb is too high"):
        Settings().set("machines.sled_kg", {"leg-press": 250}, LoadUnit.LB)


def test_an_unknown_key_is_a_setting_error() -> None:
    with pytest.raises(SettingError, match="not a setting legcoach knows"):
        Settings().set("sound.bass", 3)


def test_only_values_that_differ_from_the_default_are_stored() -> None:
    settings = Settings()
    settings.set("timer.rest_seconds", 90)
    settings.set("sound.on", True)  # the default: nothing to store
    assert settings.to_dict() == {"v": SCHEMA_VERSION, "timer.rest_seconds": 90}
    assert not settings.is_default("timer.rest_seconds") and settings.is_default("sound.on")
    settings.reset("timer.rest_seconds")
    assert settings.rest_seconds == 120 and settings.to_dict() == {"v": SCHEMA_VERSION}


def test_sled_weights_per_machine() -> None:
    settings = Settings()
    settings.set_sled_kg("leg-press", 50)
    settings.set_sled_kg("hip-thrust-machine", 32.5)
    settings.get("machines.sled_kg")["leg-press"] = 999  # a copy: the settings don't change
    assert settings.sled_kg("leg-press") == 50
    assert settings.set_sled_kg("leg-press", None) == {"hip-thrust-machine": 32.5}


def test_progression_takes_the_lifters_increments() -> None:
    settings = Settings()
    settings.set("coach.increment_two_leg_kg", 10)
    settings.set("coach.increment_one_leg_kg", 1.25)
    knobs = settings.progression(ProgressionSettings(max_weekly_gain_kg=15))
    assert (knobs.increment_two_leg_kg, knobs.increment_one_leg_kg) == (10, 1.25)
    assert knobs.max_weekly_gain_kg == 15


# --- the stored document --------------------------------------------------------------------


def test_round_trip() -> None:
    settings = Settings()
    for key, value in [("units.load", "lb"), ("timer.rest_seconds", 180),
                       ("timer.countdown_seconds", 0), ("sound.on", False),
                       ("sound.voice", True), ("sound.volume", 0.35),
                       ("look.theme", "high_contrast"), ("look.text_size", "large"),
                       ("coach.increment_two_leg_kg", 4.535924),
                       ("coach.increment_one_leg_kg", 2.267962),
                       ("machines.gym_name", "Iron Temple"),
                       ("machines.sled_kg", {"leg-press-45": 48.5}),
                       ("plates.sizes_kg", [20.411657, 11.339809])]:
        settings.set(key, value)
    stored = json.loads(json.dumps(settings.to_dict()))
    again = Settings.from_dict(stored)
    assert again.problems == [] and not again.read_only
    assert all(again.get(key) == settings.get(key) for key in ALL_KEYS)
    assert again.to_dict() == stored


@given(st.dictionaries(st.sampled_from(sorted(ALL_KEYS)) | st.text(max_size=10), JSON_VALUES,
                       max_size=6), st.integers(-2, 3) | JSON_SCALARS)
def test_any_stored_document_loads_without_crashing(values, version) -> None:
    settings = Settings.from_dict({**values, "v": version})
    for key in ALL_KEYS:
        setting = declaration(key)
        assert setting.check(settings.get(key)) == settings.get(key)  # only valid values
    if settings.to_dict() != {"v": SCHEMA_VERSION} and not settings.read_only:
        assert Settings.from_dict(settings.to_dict()).to_dict() == settings.to_dict()


@pytest.mark.parametrize("raw", ["not an object", [1, 2], {"v": "1"}, {"v": -1},
                                 {"v": True}, {"no": "version"}])
def test_an_unreadable_document_gives_the_defaults_and_says_why(raw) -> None:
    settings = Settings.from_dict(raw)
    assert settings.to_dict() == {"v": SCHEMA_VERSION}
    assert len(settings.problems) == 1 and "defaults apply" in settings.problems[0]
    assert not settings.read_only


def test_bad_values_are_left_out_and_listed_the_rest_is_kept() -> None:
    settings = Settings.from_dict({
        "v": 1, "timer.rest_seconds": 5000, "sound.volume": 0.4, "sound.bass": 11,
        "machines.sled_kg": {"leg-press": 40, "Leg Press!": 30, "hip-thrust-machine": -3},
        "plates.sizes_kg": [20, "ten", 5, 0], "look.theme": None,
    })
    assert settings.volume == 0.4 and settings.rest_seconds == 120 and settings.theme == "dark"
    assert settings.get("machines.sled_kg") == {"leg-press": 40}
    assert settings.plates_kg == (20, 5)
    text = "\n".join(settings.problems)
    assert len(settings.problems) == 7
    for expected in ("“Rest between sets” must be from 15 s to 900 s; 5,000 s is too high.",
                     "unknown setting “sound.bass”", "'Leg Press!' is not an exercise id",
                     "hip-thrust-machine: must be from 0 kg", "must be a number, not 'ten'",
                     "“Colours” must be one of"):
        assert expected in text


# --- versions -------------------------------------------------------------------------------


def test_the_v0_to_v1_step_renames_the_old_sound_keys() -> None:
    assert MIGRATIONS.version == SCHEMA_VERSION == 1 and set(MIGRATIONS.steps) == {0}
    upgraded = MIGRATIONS.migrate({"v": 0, "volume": 0.6, "muted": True, "voice": True})
    assert upgraded == {"v": 1, "sound.volume": 0.6, "sound.on": False, "sound.voice": True}


def test_a_strange_muted_value_is_reported_not_guessed() -> None:
    settings = Settings.from_dict({"v": 0, "muted": "yes"})
    assert settings.sound_on is True
    assert settings.problems == ["“Sounds” must be on or off (true or false), not 'yes'. The "
                                 "default applies."]


def test_the_old_preferences_document_becomes_the_settings() -> None:
    old = {"v": 1, "volume": 0.4, "muted": False, "voice": True}  # as the set screen saved it
    settings, store = opened({OLD_PREFERENCES_DOC: old})
    assert (settings.volume, settings.sound_on, settings.voice_on) == (0.4, True, True)
    assert settings.migrated_from == 0 and settings.problems == [] and not settings.read_only
    assert store.load(SETTINGS_DOC) == {"v": 1, "sound.volume": 0.4, "sound.voice": True}
    assert store.load(OLD_PREFERENCES_DOC) == old  # untouched: it is its own backup
    assert store.names() == [OLD_PREFERENCES_DOC, SETTINGS_DOC]


def test_settings_win_over_the_old_preferences_once_they_exist() -> None:
    settings, store = opened({OLD_PREFERENCES_DOC: {"v": 1, "volume": 0.1},
                              SETTINGS_DOC: {"v": 1, "sound.volume": 0.9}})
    assert settings.volume == 0.9 and settings.migrated_from is None
    assert store.names() == [OLD_PREFERENCES_DOC, SETTINGS_DOC]  # nothing written


def test_an_older_settings_document_is_backed_up_before_the_upgrade_is_saved() -> None:
    old = {"v": 0, "volume": 0.5, "muted": True}
    settings, store = opened({SETTINGS_DOC: old, "settings-v0-backup-20261122t093000z": {}})
    backup = "settings-v0-backup-20261122t093000z-2"  # never over an earlier backup
    assert settings.backup == backup and store.load(backup) == old
    assert store.load(SETTINGS_DOC) == {"v": 1, "sound.volume": 0.5, "sound.on": False}


def test_a_partly_bad_document_is_backed_up_then_cleaned_so_it_is_reported_once() -> None:
    raw = {"v": 1, "sound.volume": 7, "timer.rest_seconds": 60}
    settings, store = opened({SETTINGS_DOC: raw})
    assert settings.problems and store.load(settings.backup) == raw
    assert store.load(SETTINGS_DOC) == {"v": 1, "timer.rest_seconds": 60}
    again, _ = opened({SETTINGS_DOC: store.load(SETTINGS_DOC)})
    assert again.problems == [] and again.backup is None


class FailingStore(InMemoryDocumentStore):
    def save(self, name, data) -> None:
        raise ReadOnlyError()


def test_without_a_backup_nothing_is_overwritten() -> None:
    store = FailingStore()
    store._documents[SETTINGS_DOC] = {"v": 0, "volume": 0.5}
    settings = open_settings(store, now=lambda: NOW)
    assert settings.volume == 0.5  # still usable for this session
    assert settings.read_only and "could not be backed up" in settings.problems[-1]
    with pytest.raises(SettingsReadOnlyError):
        save_settings(store, settings)


def test_a_newer_document_is_refused_and_never_overwritten() -> None:
    newer = {"v": SCHEMA_VERSION + 1, "sound.volume": 0.2, "look.accent": "teal"}
    settings, store = opened({SETTINGS_DOC: newer})
    assert settings.read_only and settings.to_dict() == {"v": SCHEMA_VERSION}
    assert "newer version of legcoach" in settings.problems[0]
    settings.set("sound.volume", 0.7)  # works for this session …
    with pytest.raises(SettingsReadOnlyError, match="newer version"):
        save_settings(store, settings)  # … but is not saved
    assert store.load(SETTINGS_DOC) == newer and store.names() == [SETTINGS_DOC]


def test_a_read_only_window_writes_nothing() -> None:
    settings, store = opened({OLD_PREFERENCES_DOC: {"volume": 0.3}}, read_only=True)
    assert settings.volume == 0.3 and settings.read_only
    assert store.names() == [OLD_PREFERENCES_DOC]
    with pytest.raises(OSError, match="read-only"):
        save_settings(store, settings)


def test_save_settings_writes_the_document() -> None:
    settings, store = opened({})
    assert store.names() == [] and settings.problems == []
    settings.set("units.load", "lb")
    save_settings(store, settings)
    assert store.load(SETTINGS_DOC) == {"v": 1, "units.load": "lb"}
