"""Exports: the documented CSV columns, a complete JSON backup, and exact round-trips of both."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legcoach.core import exporters
from legcoach.core.demo import demo_history
from legcoach.core.documents import InMemoryDocumentStore
from legcoach.core.exercise import FootHeight, FootWidth
from legcoach.core.exporters import (
    BackupError,
    export_csv,
    export_json,
    import_json_backup,
)
from legcoach.core.importers import (
    LEGCOACH_CSV_COLUMNS,
    ImportFileError,
    apply_import,
    parse_import,
)
from legcoach.core.setlog import LoadUnit, SetRecord, SetType
from legcoach.core.setstore import InMemorySetStore, sort_key
from legcoach.core.sides import Side

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "import" / "legcoach_export.csv"
NOW = datetime(2025, 6, 1, 10, 30, tzinfo=UTC)
NAMES = {"leg-press": "Leg Press", "leg-press-45": "45° Leg Press",
         "single-leg-press": "Single-Leg Press", "hip-thrust-machine": "Hip Thrust"}
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def record(**overrides: Any) -> SetRecord:
    values: dict[str, Any] = {
        "exercise_id": "leg-press", "performed_at": NOW, "unit": LoadUnit.KG,
        "entered_load": "100", "reps": 10, "created_at": NOW, "updated_at": NOW,
    }
    return SetRecord(**(values | overrides))


EDGE_CASES = [
    record(unit=LoadUnit.LB, entered_load="225", rpe=8.5, tempo="3-1-2-0", tut_seconds=41.25,
           foot_height=FootHeight.HIGH, foot_width=FootWidth.WIDE, session_id="s1"),
    record(exercise_id="single-leg-press", side=Side.LEFT, rir=2, entered_load="42.5",
           performed_at=NOW + timedelta(minutes=3), set_type=SetType.WARMUP),
    record(note='Seat 4, "catches" at 3\nfelt it; more\r\nnext =SUM(A1)', reps=0,
           performed_at=NOW + timedelta(minutes=5), entered_load="0"),
    record(exercise_id="custom:squat-barbell", source="strong", entered_load="1.00",
           performed_at=NOW - timedelta(days=400, microseconds=1),
           created_at=NOW, updated_at=NOW + timedelta(microseconds=250)),
]


def csv_round_trip(records: list[SetRecord]) -> tuple[SetRecord, ...]:
    return parse_import(export_csv(records, NAMES), now=NOW).sets


# --- CSV ----------------------------------------------------------------------------------------


def test_the_csv_columns_are_the_documented_ones() -> None:
    doc = exporters.__doc__ or ""
    table = [line.split()[0] for line in doc.splitlines()
             if line and line.split()[0] in LEGCOACH_CSV_COLUMNS]
    assert tuple(table) == LEGCOACH_CSV_COLUMNS
    header = export_csv([], NAMES)
    assert header == ",".join(LEGCOACH_CSV_COLUMNS) + "\r\n"


def test_one_row_per_set_with_the_load_as_entered_and_utc_times() -> None:
    text = export_csv([EDGE_CASES[1], EDGE_CASES[0]], NAMES)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 2
    pounds = rows[0]
    assert pounds["performed_at"] == "2025-06-01T10:30:00.000000Z"
    assert (pounds["exercise"], pounds["exercise_id"]) == ("Leg Press", "leg-press")
    assert (pounds["load"], pounds["unit"], pounds["load_kg"]) == ("225", "lb", "102.058283")
    assert (pounds["rpe"], pounds["rir"], pounds["tempo"], pounds["tut_seconds"]) == (
        "8.5", "", "3-1-2-0", "41.25")
    assert (pounds["foot_height"], pounds["foot_width"], pounds["side"]) == ("high", "wide", "both")
    assert (pounds["session_id"], pounds["source"], pounds["id"]) == (
        "s1", "legcoach", EDGE_CASES[0].id)
    assert rows[1]["side"] == "left" and rows[1]["rir"] == "2" and rows[1]["session_id"] == ""


def test_sets_are_exported_oldest_first_and_unknown_names_fall_back_to_the_id() -> None:
    text = export_csv(EDGE_CASES, NAMES)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [row["id"] for row in rows] == [r.id for r in sorted(EDGE_CASES, key=sort_key)]
    assert rows[0]["exercise"] == "custom:squat-barbell"


def test_export_csv_then_import_gives_the_same_sets() -> None:
    records = [*demo_history(NOW, sessions=6), *EDGE_CASES]
    assert csv_round_trip(records) == tuple(sorted(records, key=sort_key))


def test_the_legcoach_csv_fixture_is_reproduced_byte_for_byte() -> None:
    """The format is a promise: a file exported today must read back in later versions."""
    text = FIXTURE.read_bytes().decode()
    assert export_csv(parse_import(text).sets, NAMES) == text


def test_importing_an_export_into_the_same_log_adds_nothing() -> None:
    records = demo_history(NOW, sessions=3)
    store = InMemorySetStore(records)
    result = apply_import(parse_import(export_csv(records, NAMES)), store)
    assert (result.added, result.skipped_existing) == (0, len(records))


# --- JSON backup --------------------------------------------------------------------------------

DOCUMENTS = {
    "routines": {"v": 1, "routines": [{"name": "Leg day", "items": ["leg-press-45", "leg-press"]}]},
    "machine_settings": {"v": 1, "gyms": {"Home": {"leg-press": {"seat": 4}}}},
    "import_mapping": {"v": 1, "names": {"Leg Press (Machine)": "leg-press", "Plank": None}},
}


def test_a_backup_holds_every_set_and_document() -> None:
    data = json.loads(export_json(EDGE_CASES, DOCUMENTS))
    assert (data["format"], data["v"]) == ("legcoach-backup", 1)
    assert data["sets"] == [r.to_dict() for r in sorted(EDGE_CASES, key=sort_key)]
    assert data["documents"] == DOCUMENTS
    lines = export_json(EDGE_CASES, DOCUMENTS).splitlines()
    assert len(lines) == 5 + len(EDGE_CASES) + len(DOCUMENTS)  # one line per set and document


def test_backup_then_restore_into_empty_stores_gives_the_same_log() -> None:
    records = [*demo_history(NOW, sessions=6), *EDGE_CASES]
    text = export_json(records, DOCUMENTS)
    restored, documents = import_json_backup(text.encode("utf-8-sig"))
    sets, docs = InMemorySetStore(), InMemoryDocumentStore()
    for item in restored:
        sets.add(item)
    for name, document in documents.items():
        docs.save(name, document)
    assert sets.query() == sorted(records, key=sort_key)
    assert {name: docs.load(name) for name in docs.names()} == DOCUMENTS
    assert import_json_backup(export_json([], {})) == ([], {})


def test_a_backup_refuses_bad_document_names() -> None:
    with pytest.raises(ValueError, match="document name"):
        export_json([], {"../etc": {}})


def backup(**changes: Any) -> str:
    data = json.loads(export_json(EDGE_CASES[:2], DOCUMENTS))
    data.update(changes)
    return json.dumps(data)


def broken_set(**changes: Any) -> str:
    data = json.loads(export_json(EDGE_CASES[:2], DOCUMENTS))
    data["sets"][1].update(changes)
    return json.dumps(data)


@pytest.mark.parametrize(("text", "line", "fragment"), [
    ('{"format": "legcoach-backup",\n "v": 1,\n "sets": [}', 3, "not valid JSON"),
    ("[" * 100_000, None, "nested too deeply"),
    (b"\xff\xfe{}", None, "not UTF-8"),
    ("[]", None, "not a legcoach backup"),
    (backup(format="hevy"), None, "not a legcoach backup"),
    (backup(v="1"), None, "no valid version number"),
    (backup(v=True), None, "no valid version number"),
    (backup(v=2), None, "newer version of legcoach (backup version 2"),
    (backup(sets={}), None, '"sets" must be a list'),
    (backup(documents=[]), None, '"documents" must be an object'),
    (backup(documents={"Routines!": {}}), None, "document 'Routines!'"),
    (backup(documents={"routines": [1]}), None, "document 'routines' must be a JSON object"),
    (broken_set(reps=101), None, "set 2 (id "),
    (broken_set(reps=101), None, "Reps must be a whole number"),
    (broken_set(v=99), None, "newer version of legcoach (data version 99"),
    (broken_set(performed_at="yesterday"), None, "set 2"),
    (broken_set(performed_at=12), None, "must be an ISO-8601 string"),
    (broken_set(id=EDGE_CASES[0].id), None, "same id as set 1"),
    (broken_set(unit=["kg"], side={"a": 1}, note=None), None, "set 2"),
])
def test_a_bad_backup_is_refused_whole_with_a_clear_reason(text, line, fragment) -> None:
    with pytest.raises(BackupError) as caught:
        import_json_backup(text)
    assert isinstance(caught.value, ImportFileError)
    assert caught.value.line == line
    assert fragment in str(caught.value)


# --- properties ---------------------------------------------------------------------------------

TIMES = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                     timezones=st.just(UTC))


# Built once: strategies made inside the composite would be re-analysed on every draw.
HEX_IDS = st.uuids().map(lambda u: u.hex)
EXERCISES = st.sampled_from([*NAMES, "custom:squat-barbell"])
OPTIONAL_SESSIONS = st.none() | HEX_IDS
HEIGHTS = st.none() | st.sampled_from(FootHeight)
WIDTHS = st.none() | st.sampled_from(FootWidth)
TEMPOS = st.none() | st.sampled_from(["3-1-2-0", "2-0-1-1", "4-2-X-0"])
TUTS = st.none() | st.floats(0, 3600, allow_nan=False)
RPES = st.integers(2, 20).map(lambda n: n / 2)
SOURCES = st.sampled_from(["legcoach", "strong", "hevy"])
LATER = st.timedeltas(timedelta(0), timedelta(9))


@st.composite
def set_records(draw: st.DrawFn) -> SetRecord:
    unit = draw(st.sampled_from(LoadUnit))
    hundredths = draw(st.integers(0, 99_999 if unit is LoadUnit.KG else 220_000))
    effort = draw(st.sampled_from(["none", "rpe", "rir"]))
    created = draw(TIMES)
    return SetRecord(
        id=draw(HEX_IDS), exercise_id=draw(EXERCISES), session_id=draw(OPTIONAL_SESSIONS),
        performed_at=draw(TIMES), unit=unit, entered_load=str(Decimal(hundredths).scaleb(-2)),
        reps=draw(st.integers(0, 100)), side=draw(st.sampled_from(Side)),
        foot_height=draw(HEIGHTS), foot_width=draw(WIDTHS), tempo=draw(TEMPOS),
        tut_seconds=draw(TUTS), rpe=draw(RPES) if effort == "rpe" else None,
        rir=draw(st.integers(0, 10)) if effort == "rir" else None,
        set_type=draw(st.sampled_from(SetType)), note=draw(st.text(max_size=40)),
        source=draw(SOURCES), created_at=created, updated_at=created + draw(LATER),
    )


@settings(FUZZ, max_examples=40)
@given(st.lists(set_records(), max_size=8, unique_by=lambda r: r.id))
def test_any_log_survives_a_csv_round_trip(records) -> None:
    assert csv_round_trip(records) == tuple(sorted(records, key=sort_key))


@settings(FUZZ, max_examples=30)
@given(st.lists(set_records(), max_size=8, unique_by=lambda r: r.id),
       st.dictionaries(st.from_regex(r"[a-z0-9_-]{1,12}", fullmatch=True),
                       st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5)),
                       max_size=3))
def test_any_log_survives_a_json_round_trip(records, documents) -> None:
    assert import_json_backup(export_json(records, documents)) == (
        sorted(records, key=sort_key), documents)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=8,
)


@settings(FUZZ, max_examples=100)
@given(st.data())
def test_damaged_backups_fail_only_with_backup_errors(data) -> None:
    backup_data = json.loads(export_json(EDGE_CASES, DOCUMENTS))
    for _ in range(data.draw(st.integers(0, 3))):
        if data.draw(st.booleans()):
            target = backup_data["sets"][data.draw(st.integers(0, len(EDGE_CASES) - 1))]
            key = data.draw(st.sampled_from([*target, "extra"]))
        else:
            target, key = backup_data["documents"], data.draw(st.text(max_size=6))
        target[key] = data.draw(JSON_VALUES)
    if data.draw(st.booleans()):
        key = data.draw(st.sampled_from(["format", "v", "sets", "documents"]))
        backup_data[key] = data.draw(JSON_VALUES)
    text = json.dumps(backup_data)
    if data.draw(st.booleans()):
        text = text[: data.draw(st.integers(0, len(text)))]
    try:
        records, documents = import_json_backup(text)
    except BackupError:
        return
    assert all(isinstance(r, SetRecord) for r in records)
    assert all(isinstance(d, dict) for d in documents.values())
