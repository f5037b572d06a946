"""The set record and the log form: messages a lifter reads, exact storage round-trips."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legcoach.core import setlog
from legcoach.core.setlog import (
    FORM_FIELDS,
    SCHEMA_VERSION,
    FootHeight,
    LoadUnit,
    NewerSchemaError,
    SetFormError,
    SetRecord,
    SetType,
    from_kg,
    migrate,
    parse_set_form,
    register_migration,
    replace_fields,
    to_kg,
)
from legcoach.core.sides import Side
from legcoach.core.tempo import TempoError, parse_tempo

NOW = datetime(2025, 6, 1, 10, 30, tzinfo=UTC)
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_RECORDS = settings(FUZZ, max_examples=60)  # each example draws ~20 values: keep it quick


def form(default_unit: LoadUnit = LoadUnit.KG, **fields: str) -> SetRecord:
    return parse_set_form(
        fields, exercise_id="leg-press", session_id="s1", now=NOW, default_unit=default_unit
    )


def form_errors(**fields: str) -> dict[str, str]:
    with pytest.raises(SetFormError) as caught:
        form(**fields)
    return caught.value.errors


def record(**overrides: Any) -> SetRecord:
    values: dict[str, Any] = {
        "exercise_id": "leg-press", "performed_at": NOW, "unit": LoadUnit.KG,
        "entered_load": "100", "reps": 10, "created_at": NOW, "updated_at": NOW,
    }
    return SetRecord(**(values | overrides))


# --- the form ------------------------------------------------------------------------------------


def test_a_minimal_form_gives_a_complete_record() -> None:
    result = form(load="102.5", reps="10")
    assert (result.load_kg, result.entered_load, result.unit) == (102.5, "102.5", LoadUnit.KG)
    assert (result.reps, result.side, result.set_type) == (10, Side.BOTH, SetType.WORKING)
    assert result.performed_at == result.created_at == result.updated_at == NOW
    assert (result.exercise_id, result.session_id, result.source) == ("leg-press", "s1", "legcoach")
    assert len(result.id) == 32 and int(result.id, 16) >= 0
    assert (result.rpe, result.rir, result.tempo, result.note) == (None, None, None, "")


def test_every_field_is_read_and_normalised() -> None:
    result = form(
        load=" 102,5 ", unit="KG", reps=" 8", side="Left", foot_height="high",
        foot_width="WIDE", tempo="2.50-0-x-0", tut_seconds="42,5", rpe="8,5",
        set_type="drop", note="  heavy but clean 💪 ",
    )
    assert result.entered_load == "102.5" and result.side is Side.LEFT
    assert (result.foot_height, result.foot_width) == (FootHeight.HIGH, setlog.FootWidth.WIDE)
    assert (result.tempo, result.tut_seconds, result.rpe) == ("2.5-0-X-0", 42.5, 8.5)
    assert (result.set_type, result.note) == (SetType.DROP, "heavy but clean 💪")


def test_pounds_keep_what_was_typed_and_convert_exactly() -> None:
    result = form(load="225", unit="lbs", reps="10")
    assert (result.entered_load, result.unit, result.load_text) == ("225", LoadUnit.LB, "225 lb")
    assert result.load_kg == 102.058283  # 225 × 0.45359237 = 102.05828325, milligram grid
    assert form(LoadUnit.LB, load="225", reps="10").unit is LoadUnit.LB  # the default unit


def test_conversion_helpers_are_exact() -> None:
    assert to_kg("1", LoadUnit.LB) == 0.453592
    assert to_kg("2.5", LoadUnit.KG) == 2.5
    assert Decimal(str(from_kg(0.45359237, LoadUnit.LB))) == 1
    assert LoadUnit.LB.kg_factor == Decimal("0.45359237")


@pytest.mark.parametrize(
    ("load", "unit", "message"),
    [
        ("-5", "kg", "Load can't be negative."),
        ("-0.5", "lb", "Load can't be negative."),
        ("abc", "kg", "Load must be a number, e.g. 102.5."),
        ("1e3", "kg", "Load must be a number, e.g. 102.5."),
        ("nan", "kg", "Load must be a number, e.g. 102.5."),
        ("inf", "kg", "Load must be a number, e.g. 102.5."),
        ("1.000.000", "kg", "Load must be a number, e.g. 102.5."),
        ("", "kg", "Enter the load, e.g. 102.5."),
        ("1000.5", "kg", "Load can't be more than 1000 kg."),
        ("99999999999999999999", "kg", "Load can't be more than 1000 kg."),
        ("2205", "lb", "Load can't be more than 2204.6 lb."),
    ],
)
def test_bad_loads_are_explained(load: str, unit: str, message: str) -> None:
    assert form_errors(load=load, unit=unit, reps="10") == {"load": message}


@pytest.mark.parametrize(("load", "kg"), [("0", 0.0), ("1000", 1000.0), (".5", 0.5), ("100.", 100)])
def test_boundary_loads_are_accepted(load: str, kg: float) -> None:
    assert form(load=load, reps="5").load_kg == kg


@pytest.mark.parametrize("reps", ["abc", "10.5", "-1", "101", "1_0", "١٠"])
def test_bad_reps_are_explained(reps: str) -> None:
    message = "Reps must be a whole number from 0 to 100."
    assert form_errors(load="100", reps=reps) == {"reps": message}


def test_missing_reps_are_asked_for() -> None:
    assert form_errors(load="100") == {"reps": "Enter the reps, e.g. 10."}


@pytest.mark.parametrize("rpe", ["0.5", "11", "8.25", "x", "-8", "10.5"])
def test_bad_rpe_is_explained(rpe: str) -> None:
    message = "RPE goes from 1 to 10 in half steps, e.g. 8 or 8.5."
    assert form_errors(load="100", reps="10", rpe=rpe) == {"rpe": message}


@pytest.mark.parametrize(("rpe", "value"), [("1", 1.0), ("10", 10.0), ("7,5", 7.5)])
def test_good_rpe_is_accepted(rpe: str, value: float) -> None:
    assert form(load="100", reps="10", rpe=rpe).rpe == value


@pytest.mark.parametrize("rir", ["11", "-1", "2.5", "lots"])
def test_bad_rir_is_explained(rir: str) -> None:
    assert form_errors(load="100", reps="10", rir=rir) == {"rir": setlog.MSG_RIR}


def test_rpe_and_rir_together_are_refused_on_both_fields() -> None:
    message = "Give RPE or RIR, not both."
    assert form_errors(load="100", reps="10", rpe="8", rir="2") == {"rpe": message, "rir": message}
    # A malformed one keeps its own message; the other still says "not both".
    assert form_errors(load="100", reps="10", rpe="12", rir="2") == {
        "rpe": setlog.MSG_RPE, "rir": message,
    }


def test_all_problems_are_reported_at_once() -> None:
    errors = form_errors(
        load="-5", reps="abc", side="up", unit="stone", rpe="8", rir="2", tempo="3/1/2/0",
        tut_seconds="-3", foot_height="ceiling", set_type="heavy", note="x" * 1001, colour="red",
    )
    assert set(errors) == {
        "load", "reps", "side", "unit", "rpe", "rir", "tempo", "tut_seconds", "foot_height",
        "set_type", "note", "colour",
    }
    assert errors["side"] == "Side must be both, left or right."
    assert errors["unit"] == "Unit must be kg or lb."
    assert errors["set_type"] == "Set type must be warmup, working, drop or failure."
    assert errors["foot_height"] == "Foot height must be low, middle or high."
    assert errors["tut_seconds"] == "Time under tension must be a number of seconds from 0 to 3600."
    assert errors["note"] == "Notes can be at most 1000 characters."
    assert errors["colour"] == "Unknown field."


def test_tempo_errors_use_the_tempo_parser_message() -> None:
    with pytest.raises(TempoError) as expected:
        parse_tempo("3/1/2/0")
    assert form_errors(load="100", reps="10", tempo="3/1/2/0") == {"tempo": str(expected.value)}


def test_notes_take_any_unicode_up_to_1000_characters() -> None:
    text = "Ünïcödé 日本語 💪🏽 " * 80
    assert len(text.strip()) > 1000
    assert form(load="1", reps="1", note=text[:1000]).note == text[:1000].strip()
    assert form_errors(load="1", reps="1", note="a" * 1001) == {"note": setlog.MSG_NOTE_LONG}
    # Padding doesn't count: the note is stripped before it is measured.
    assert form(load="1", reps="1", note=" " * 50 + "a" * 1000 + "\n").note == "a" * 1000
    # A lone surrogate could not be written to a UTF-8 file.
    assert form_errors(load="1", reps="1", note="bad \ud800") == {"note": setlog.MSG_NOTE_CHARS}


form_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "0", "8", "8,5", "10", "100", "225", "-1", "lb", "KG", "left", "high",
                     "wide", "drop", "3-1-2-0", "x-0-X-0", "1e9", "nan", " ", "\x00", "١٢"]),
)


@FUZZ
@given(
    fields=st.dictionaries(st.sampled_from(FORM_FIELDS) | st.text(max_size=4), form_text),
    unit=st.sampled_from(LoadUnit),
)
def test_any_form_text_gives_a_record_or_a_set_form_error(
    fields: dict[str, str], unit: LoadUnit
) -> None:
    try:
        result = form(unit, **fields)
    except SetFormError as exc:
        errors = exc.errors
    else:
        assert SetRecord.from_dict(json.loads(json.dumps(result.to_dict()))) == result
        return
    assert errors and all(isinstance(m, str) and m for m in errors.values())


# --- the record ----------------------------------------------------------------------------------

offsets = st.sampled_from(
    [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8))]
)
moments = st.datetimes(
    min_value=datetime(1900, 1, 2), max_value=datetime(2200, 1, 1), timezones=offsets
)


@st.composite
def set_records(draw: st.DrawFn) -> SetRecord:
    unit = draw(st.sampled_from(LoadUnit))
    hundredths = draw(st.integers(0, 100_000 if unit is LoadUnit.KG else 220_000))
    rpe, rir = draw(st.one_of(
        st.tuples(st.none() | st.integers(2, 20).map(lambda n: n / 2), st.none()),
        st.tuples(st.none(), st.integers(0, 10)),
    ))
    return SetRecord(
        id=draw(st.uuids(version=4)).hex,
        exercise_id=draw(st.text(min_size=1, max_size=40).map(str.strip).filter(bool)),
        session_id=draw(st.none() | st.uuids().map(lambda u: u.hex)),
        performed_at=draw(moments),
        unit=unit,
        entered_load=str(Decimal(hundredths) / 100),
        reps=draw(st.integers(0, 100)),
        side=draw(st.sampled_from(Side)),
        foot_height=draw(st.none() | st.sampled_from(FootHeight)),
        foot_width=draw(st.none() | st.sampled_from(setlog.FootWidth)),
        tempo=draw(st.sampled_from([None, "3-1-2-0", "2.5-0-X-0", "X-0.25-X-20"])),
        tut_seconds=draw(st.none() | st.floats(0, 3600)),
        rpe=rpe,
        rir=rir,
        set_type=draw(st.sampled_from(SetType)),
        note=draw(st.text(max_size=60) | st.just(" long note 💪" * 83)),  # 996 chars stripped
        source=draw(st.sampled_from(["legcoach", "import:strong-app"])),
        created_at=draw(moments),
        updated_at=draw(moments),
    )


@FUZZ_RECORDS
@given(set_records())
def test_valid_records_round_trip_exactly_through_json(original: SetRecord) -> None:
    stored = original.to_dict()
    text = json.dumps(stored, ensure_ascii=False, allow_nan=False)
    again = SetRecord.from_dict(json.loads(text))
    assert again == original
    assert again.to_dict() == stored
    assert stored["v"] == SCHEMA_VERSION
    assert all(stored[k].endswith("Z") for k in ("performed_at", "created_at", "updated_at"))
    assert again.performed_at.utcoffset() == timedelta(0)


@FUZZ_RECORDS
@given(
    set_records(),
    st.sampled_from([*setlog.SetRecord.__dataclass_fields__, "v"]),
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
    | st.lists(st.integers(), max_size=2) | st.dictionaries(st.text(max_size=2), st.none())
    | st.sampled_from([10**400, "0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00"]),
)
def test_damaged_stored_dicts_raise_value_errors_only(
    original: SetRecord, key: str, value: object
) -> None:
    stored = original.to_dict() | {key: value}
    with contextlib.suppress(ValueError, NewerSchemaError):
        SetRecord.from_dict(stored)


def test_from_dict_accepts_any_utc_offset_spelling() -> None:
    original = record()
    stored = original.to_dict()
    assert stored["performed_at"] == "2025-06-01T10:30:00.000000Z"
    plus = stored | {"performed_at": "2025-06-01T10:30:00+00:00"}
    shifted = stored | {"performed_at": "2025-06-01T12:30:00+02:00"}
    assert SetRecord.from_dict(plus) == SetRecord.from_dict(shifted) == original
    with pytest.raises(ValueError, match="time zone"):
        SetRecord.from_dict(stored | {"performed_at": "2025-06-01T10:30:00"})


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"reps": 101}, "reps"),
        ({"reps": True}, "reps"),
        ({"rpe": 8.0, "rir": 2}, "rir"),
        ({"performed_at": datetime(2025, 6, 1)}, "performed_at"),  # naive
        ({"entered_load": "-1"}, "load"),
        ({"unit": "stone"}, "unit"),
        ({"tempo": "3 - 1 - 2 - 0"}, "tempo"),  # valid but not canonical
        ({"id": "not-hex"}, "id"),
        ({"exercise_id": " leg-press"}, "exercise_id"),
        ({"tut_seconds": float("inf")}, "tut_seconds"),
    ],
)
def test_a_record_cannot_be_built_invalid(overrides: dict[str, Any], key: str) -> None:
    with pytest.raises(SetFormError) as caught:
        record(**overrides)
    assert key in caught.value.errors


def test_records_normalise_what_they_are_given() -> None:
    made = record(
        entered_load=Decimal("102.50"), unit="lb", side="left", rpe=8,
        performed_at=datetime(2025, 6, 1, 12, 30, tzinfo=timezone(timedelta(hours=2))),
        note="  x  ",
    )
    assert (made.entered_load, made.unit, made.side) == ("102.50", LoadUnit.LB, Side.LEFT)
    assert isinstance(made.rpe, float) and made.performed_at == NOW and made.note == "x"
    assert made.performed_at.tzinfo is UTC
    assert record(entered_load=100).entered_load == "100"
    assert made.describe() == "102.50 lb × 10 (left leg)"
    assert record().describe() == "100 kg × 10"


# --- edits ---------------------------------------------------------------------------------------


def test_replace_fields_revalidates_and_bumps_updated_at() -> None:
    original = record()
    later = NOW + timedelta(minutes=5)
    edited = replace_fields(original, now=later, reps=12, entered_load="225", unit=LoadUnit.LB)
    assert (edited.id, edited.created_at, edited.reps) == (original.id, NOW, 12)
    assert (edited.updated_at, edited.load_kg) == (later, 102.058283)
    with pytest.raises(SetFormError) as caught:
        replace_fields(original, now=later, reps=101, rpe=12)
    assert set(caught.value.errors) == {"reps", "rpe"}


def test_replace_fields_always_moves_updated_at_forward() -> None:
    original = record()
    for clock in (NOW, NOW - timedelta(hours=1)):  # a clock that is equal or behind
        assert replace_fields(original, now=clock, reps=9).updated_at == NOW + timedelta(
            microseconds=1
        )
    assert replace_fields(original).updated_at > NOW  # the real clock by default


@pytest.mark.parametrize("name", ["id", "created_at", "updated_at", "load_kg"])
def test_identity_and_derived_fields_are_not_editable(name: str) -> None:
    with pytest.raises(TypeError, match=name):
        replace_fields(record(), **{name: None})


# --- migrations ----------------------------------------------------------------------------------


@pytest.fixture
def v0_migration(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Pretend v0 existed: it stored the kg load as "weight_kg" and the time as "when"."""
    monkeypatch.setattr(setlog, "MIGRATIONS", {})

    @register_migration(0)
    def v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
        when = data.pop("when")
        return data | {
            "entered_load": f"{Decimal(str(data.pop('weight_kg'))).normalize():f}",
            "unit": "kg", "performed_at": when, "created_at": when, "updated_at": when,
            "session_id": None, "side": "both", "foot_height": None, "foot_width": None,
            "tempo": None, "tut_seconds": None, "rpe": None, "rir": None,
            "set_type": "working", "note": "", "source": "legcoach",
        }

    return {"v": 0, "id": "a" * 32, "exercise_id": "leg-press", "weight_kg": 102.5,
            "reps": 8, "when": "2024-03-01T18:00:00Z"}


def test_old_versions_are_upgraded_step_by_step(v0_migration: dict[str, Any]) -> None:
    snapshot = dict(v0_migration)
    upgraded = migrate(v0_migration)
    assert v0_migration == snapshot  # the stored dict itself is never modified
    assert upgraded["v"] == SCHEMA_VERSION and "weight_kg" not in upgraded
    old = SetRecord.from_dict(v0_migration)
    assert (old.load_kg, old.entered_load, old.reps) == (102.5, "102.5", 8)
    assert old.performed_at == datetime(2024, 3, 1, 18, tzinfo=UTC)
    assert SetRecord.from_dict(old.to_dict()) == old


def test_a_migration_can_only_be_registered_once(v0_migration: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="already registered"):
        register_migration(0)(lambda data: data)


def test_a_gap_in_the_migration_table_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(setlog, "MIGRATIONS", {})
    with pytest.raises(ValueError, match="No migration from set schema v0"):
        migrate({"v": 0, "id": "a" * 32})


@pytest.mark.parametrize("raw", [{"id": "a" * 32}, {"v": "1"}, {"v": -1}, {"v": True}, []])
def test_a_missing_or_bad_version_is_an_error(raw: Any) -> None:
    with pytest.raises(ValueError, match=r"schema version|JSON object"):
        migrate(raw)


def test_newer_records_are_refused_not_rewritten() -> None:
    newer = record().to_dict() | {"v": SCHEMA_VERSION + 1, "new_field": [1, 2]}
    with pytest.raises(NewerSchemaError, match="newer version of legcoach") as caught:
        SetRecord.from_dict(newer)
    assert caught.value.version == SCHEMA_VERSION + 1
    assert not isinstance(caught.value, ValueError)  # not "bad data" to skip silently
