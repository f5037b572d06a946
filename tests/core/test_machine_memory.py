"""Machine settings: per exercise and gym, falling back to the latest, kept across restarts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legcoach.core.exercise import FootHeight, FootWidth
from legcoach.core.machine_memory import MachineMemory, MachineSettings

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
PRESS = "leg-press-45"
SINGLE = "single-leg-press"


def machine(gym: str = "", *, days: int = 0, exercise: str = PRESS, **fields: Any
            ) -> MachineSettings:
    return MachineSettings(exercise_id=exercise, gym=gym, updated_at=T0 + timedelta(days=days),
                           **fields)


def memory_of(*entries: MachineSettings) -> MachineMemory:
    memory = MachineMemory()
    for entry in entries:
        memory.remember(entry)
    return memory


def reloaded(memory: MachineMemory) -> MachineMemory:
    """Through JSON text, like the document on disk."""
    return MachineMemory.from_dict(json.loads(json.dumps(memory.to_dict(), allow_nan=False)))


# --- one machine's settings --------------------------------------------------------------------


def test_text_is_trimmed_and_inner_spaces_collapsed() -> None:
    settings_ = machine("  Fit   Factory ", seat=" hole\t5 ", backrest="\n45°  ",
                        safety_stop="pin   3")
    assert (settings_.gym, settings_.seat, settings_.backrest, settings_.safety_stop) == (
        "Fit Factory", "hole 5", "45°", "pin 3")


def test_text_is_cut_to_40_characters_without_a_dangling_space() -> None:
    long = machine("G" * 45, seat="s" * 41, backrest="b" * 39 + " xyz",
                   safety_stop="word " * 10)
    assert long.gym == "G" * 40
    assert long.seat == "s" * 40
    assert long.backrest == "b" * 39  # the cut fell right after a space
    assert long.safety_stop == ("word " * 8).strip()  # 39 characters, no space at the end
    assert machine(seat=long.backrest) == machine(seat="b" * 39 + " xyz")


def test_feet_are_read_from_their_text_values() -> None:
    settings_ = machine(foot_height="high", foot_width="wide")  # type: ignore[arg-type]
    assert settings_.foot_height is FootHeight.HIGH and settings_.foot_width is FootWidth.WIDE
    with pytest.raises(ValueError, match="sideways"):
        machine(foot_width="sideways")  # type: ignore[arg-type]


@pytest.mark.parametrize(("fields", "text"), [
    ({"seat": "5", "backrest": "45°", "safety_stop": "pin 3",
      "foot_height": FootHeight.MIDDLE, "foot_width": FootWidth.SHOULDER},
     "Seat 5 · Backrest 45° · Catches pin 3 · Feet middle shoulder"),
    ({"seat": "hole 4"}, "Seat hole 4"),
    ({"safety_stop": "2", "foot_width": FootWidth.WIDE}, "Catches 2 · Feet wide"),
    ({"foot_height": FootHeight.LOW}, "Feet low"),
    ({"seat": "   "}, ""),
    ({}, ""),
])
def test_summary_reads_as_one_line(fields: dict[str, Any], text: str) -> None:
    assert machine(**fields).summary() == text
    assert machine(**fields).is_empty == (text == "")


def test_a_gym_name_alone_is_empty() -> None:
    assert machine("Home").is_empty


# --- finding the right one ----------------------------------------------------------------------


def test_nothing_remembered_gives_none() -> None:
    assert MachineMemory().get(PRESS) is None
    assert memory_of(machine("Home", exercise=SINGLE)).get(PRESS, "Home") is None


def test_the_exact_gym_beats_a_newer_entry_from_another_gym() -> None:
    home = machine("Home", seat="3")
    gym = machine("Fit Factory", days=5, seat="7")
    memory = memory_of(home, gym)
    assert memory.get(PRESS, "Home") == home
    assert memory.get(PRESS, "Fit Factory") == gym


def test_the_gym_name_matches_without_case_or_extra_spaces() -> None:
    gym = machine("Fit Factory", seat="7")
    memory = memory_of(gym, machine("Home", days=9, seat="3"))
    assert memory.get(PRESS, "  fit   FACTORY ") == gym


def test_an_unknown_gym_falls_back_to_the_most_recent_settings() -> None:
    old, newest, middle = (machine("A", days=1, seat="1"), machine("B", days=9, seat="2"),
                           machine("C", days=4, seat="3"))
    memory = memory_of(old, newest, middle)
    assert memory.get(PRESS, "New gym") == newest
    assert memory.get(PRESS) == newest  # no gym named: the latest too
    assert memory.get(PRESS, "") == newest


def test_the_fallback_stays_within_the_exercise() -> None:
    memory = memory_of(machine("A", seat="1"), machine("B", days=3, exercise=SINGLE, seat="9"))
    assert memory.get(PRESS, "B").seat == "1"
    assert memory.get(SINGLE, "A").seat == "9"


def test_a_gym_name_longer_than_40_characters_finds_its_settings() -> None:
    name = "The Big Riverside Strength and Conditioning Centre"  # 50 characters
    memory = memory_of(machine(name, seat="4"), machine("Other", days=7, seat="8"))
    assert memory.get(PRESS, name).seat == "4"


def test_remembering_again_replaces_the_entry_for_that_gym() -> None:
    memory = memory_of(machine("Home", seat="3"))
    memory.remember(machine("home ", days=1, seat="4"))
    assert memory.get(PRESS, "Home") == machine("home", days=1, seat="4")
    assert len(memory.to_dict()["entries"]) == 1


def test_remember_feet_keeps_the_other_settings_and_stamps_the_time() -> None:
    memory = memory_of(machine("Home", seat="3", backrest="2", foot_height=FootHeight.LOW))
    later = T0 + timedelta(days=2)
    memory.remember_feet(PRESS, "Home", FootHeight.HIGH, FootWidth.WIDE, later)
    assert memory.get(PRESS, "Home") == MachineSettings(
        exercise_id=PRESS, gym="Home", seat="3", backrest="2", foot_height=FootHeight.HIGH,
        foot_width=FootWidth.WIDE, updated_at=later)


def test_remember_feet_can_clear_the_feet() -> None:
    memory = memory_of(machine("Home", seat="3", foot_height=FootHeight.LOW,
                               foot_width=FootWidth.WIDE))
    memory.remember_feet(PRESS, "Home", None, None, T0 + timedelta(days=1))
    remembered = memory.get(PRESS, "Home")
    assert remembered.summary() == "Seat 3"


def test_remember_feet_at_a_new_gym_starts_an_entry_for_that_gym() -> None:
    memory = memory_of(machine("Home", seat="3"))
    later = T0 + timedelta(days=1)
    memory.remember_feet(PRESS, "Fit Factory", FootHeight.MIDDLE, None, later)
    assert memory.get(PRESS, "Fit Factory") == MachineSettings(
        exercise_id=PRESS, gym="Fit Factory", foot_height=FootHeight.MIDDLE, updated_at=later)
    assert memory.get(PRESS, "Home").seat == "3"
    assert memory.get(PRESS, "Elsewhere").gym == "Fit Factory"  # now the latest


def test_gyms_are_listed_once_sorted_without_case() -> None:
    memory = memory_of(machine("home"), machine("Fit Factory", exercise=SINGLE),
                       machine("Fit Factory"), machine(""), machine("Zeta"),
                       machine("alpha", exercise=SINGLE))
    assert memory.gyms() == ["alpha", "Fit Factory", "home", "Zeta"]


# --- storage ------------------------------------------------------------------------------------


def test_memory_is_stored_as_this_document() -> None:
    memory = memory_of(
        machine("Home", exercise=SINGLE, seat="2"),
        MachineSettings(
            exercise_id=PRESS, gym="Fit Factory", seat="5", backrest="45°", safety_stop="pin 3",
            foot_height=FootHeight.MIDDLE, foot_width=FootWidth.SHOULDER,
            updated_at=datetime(2026, 11, 22, 10, 0, tzinfo=timezone(timedelta(hours=1)))),
    )
    assert memory.to_dict() == {"v": 1, "entries": [
        {"exercise_id": PRESS, "gym": "Fit Factory", "seat": "5", "backrest": "45°",
         "safety_stop": "pin 3", "foot_height": "middle", "foot_width": "shoulder",
         "updated_at": "2026-11-22T09:00:00.000000Z"},
        {"exercise_id": SINGLE, "gym": "Home", "seat": "2", "backrest": "", "safety_stop": "",
         "foot_height": None, "foot_width": None, "updated_at": "2026-11-22T09:00:00.000000Z"},
    ]}


def test_a_stored_memory_reads_back_the_same() -> None:
    entries = [machine("Home", seat="3", foot_height=FootHeight.LOW),
               machine("Fit Factory", days=2, backrest="b" * 39 + " x"),
               machine("", days=1, exercise=SINGLE, foot_width=FootWidth.NARROW)]
    back = reloaded(memory_of(*entries))
    for entry in entries:
        assert back.get(entry.exercise_id, entry.gym) == entry
    assert back.to_dict() == memory_of(*entries).to_dict()


@pytest.mark.parametrize("raw", [None, {}, {"v": 1}, {"v": 1, "entries": "none"},
                                 {"v": 1, "entries": {"a": 1}}])
def test_no_usable_document_is_an_empty_memory(raw: Any) -> None:
    memory = MachineMemory.from_dict(raw)
    assert memory.get(PRESS) is None and memory.gyms() == []


GOOD = {"exercise_id": PRESS, "gym": "Home", "seat": "3", "updated_at": "2026-11-22T09:00:00Z"}


@pytest.mark.parametrize("bad", [
    "not an entry",
    None,
    ["a", "list"],
    {"gym": "Home", "updated_at": "2026-11-22T09:00:00Z"},  # no exercise
    {"exercise_id": SINGLE, "gym": "Home"},  # no time
    {"exercise_id": SINGLE, "updated_at": "yesterday"},
    {"exercise_id": SINGLE, "updated_at": "2026-11-22T09:00:00"},  # no time zone
    {"exercise_id": SINGLE, "updated_at": "0001-01-01T00:00:00+05:00"},  # before year 1 in UTC
    {"exercise_id": SINGLE, "updated_at": 1_700_000_000},
    {"exercise_id": SINGLE, "updated_at": "2026-11-22T09:00:00Z", "foot_height": "sky"},
    {"exercise_id": SINGLE, "updated_at": "2026-11-22T09:00:00Z", "foot_width": ["wide"]},
])
def test_a_bad_entry_is_skipped_and_the_others_kept(bad: Any) -> None:
    other = GOOD | {"exercise_id": "leg-press", "gym": "Fit Factory", "seat": "9"}
    memory = MachineMemory.from_dict({"v": 1, "entries": [GOOD, bad, other]})
    assert memory.get(PRESS, "Home").seat == "3"
    assert memory.get("leg-press", "Fit Factory").seat == "9"
    assert memory.get(SINGLE) is None
    assert len(memory.to_dict()["entries"]) == 2


def test_missing_optional_fields_read_as_empty() -> None:
    memory = MachineMemory.from_dict({"entries": [{"exercise_id": PRESS,
                                                   "updated_at": "2026-11-22T10:00:00+01:00"}]})
    assert memory.get(PRESS) == machine()


texts = (st.text(st.sampled_from("ab É5ß\t\n\u3000"), max_size=50)  # spaces of all kinds
         | st.text(st.characters(codec="utf-8"), max_size=12))
entries = st.builds(
    MachineSettings,
    exercise_id=st.sampled_from([PRESS, SINGLE, "leg-press"]),
    updated_at=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1),
                            timezones=st.just(UTC)),
    gym=texts, seat=texts, backrest=texts, safety_stop=texts,
    foot_height=st.none() | st.sampled_from(list(FootHeight)),
    foot_width=st.none() | st.sampled_from(list(FootWidth)),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(entries, max_size=6))
def test_any_memory_reads_back_the_same(remembered: list[MachineSettings]) -> None:
    memory = memory_of(*remembered)
    back = reloaded(memory)
    assert back.to_dict() == memory.to_dict()
    for entry in remembered:
        assert back.get(entry.exercise_id, entry.gym) == memory.get(entry.exercise_id, entry.gym)
    for entry in remembered:  # settings are already clean: cleaning again changes nothing
        again = MachineSettings(exercise_id=entry.exercise_id, updated_at=entry.updated_at,
                                gym=entry.gym, seat=entry.seat, backrest=entry.backrest,
                                safety_stop=entry.safety_stop)
        assert (again.gym, again.seat, again.backrest, again.safety_stop) == (
            entry.gym, entry.seat, entry.backrest, entry.safety_stop)
        assert len(entry.seat) <= 40 and entry.seat == entry.seat.strip()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=4,
)
junk_entries = st.fixed_dictionaries({}, optional={
    "exercise_id": json_values, "gym": json_values, "seat": json_values,
    "foot_height": json_values | st.sampled_from(["low", "high"]),
    "foot_width": json_values | st.sampled_from(["wide"]),
    "updated_at": json_values | st.sampled_from(["2026-11-22T09:00:00Z",
                                                  "0001-01-01T00:00:00+01:00"]),
}) | json_values


@settings(max_examples=100, deadline=None)
@given(st.lists(junk_entries, max_size=5))
def test_junk_entries_never_stop_the_memory_loading(junk: list[Any]) -> None:
    memory = MachineMemory.from_dict({"v": 1, "entries": [*junk, GOOD]})
    assert memory.get(PRESS, "Home") is not None
    json.dumps(memory.to_dict(), allow_nan=False)
