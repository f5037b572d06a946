"""Importing Strong and Hevy exports: every quirk of the hand-written fixtures, stable ids,
fatal errors with their line, and parsers that never fail any other way on hostile input."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legcoach.core.importers import (
    GUESSES,
    ImportFileError,
    ImportPreview,
    MalformedRowError,
    MissingUnitError,
    UnknownFormatError,
    apply_import,
    custom_exercise_id,
    guess_exercise_id,
    parse_import,
)
from legcoach.core.setlog import LoadUnit, SetRecord, SetType, replace_fields
from legcoach.core.setstore import InMemorySetStore
from legcoach.core.sides import Side

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def raw(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def lines(name: str) -> list[str]:
    """The fixture's physical lines (BOM and line ends removed), to break one on purpose."""
    return raw(name).decode("utf-8-sig").splitlines()


def parse(data: str | bytes, **options: object) -> ImportPreview:
    if isinstance(data, str) and data.endswith(".csv"):
        data = raw(data)
    return parse_import(data, **{"tz": BERLIN, "now": NOW, **options})  # type: ignore[arg-type]


def utc(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=UTC)


def summary(records: tuple[SetRecord, ...]) -> list[tuple[str, str, int, SetType]]:
    return [(r.exercise_id, r.entered_load, r.reps, r.set_type) for r in records]


def fatal(data: str | bytes, kind: type[ImportFileError] = ImportFileError,
          **options: object) -> ImportFileError:
    with pytest.raises(kind) as caught:
        parse(data, **options)
    return caught.value


# --- detection ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "source", "layout", "unit"), [
    ("strong_header_kg.csv", "strong", "Strong (unit in the header)", LoadUnit.KG),
    ("strong_header_lbs.csv", "strong", "Strong (unit in the header)", LoadUnit.LB),
    ("strong_ios.csv", "strong", "Strong (iOS, no unit)", LoadUnit.KG),
    ("strong_older.csv", "strong", "Strong (older, with a unit column)", None),
    ("hevy_kg.csv", "hevy", "Hevy", LoadUnit.KG),
    ("hevy_lbs.csv", "hevy", "Hevy", LoadUnit.LB),
    ("legcoach_export.csv", "legcoach", "legcoach CSV export", None),
])
def test_every_layout_is_recognised_by_its_header(name, source, layout, unit) -> None:
    preview = parse(name, unit="kg")
    assert (preview.source, preview.layout, preview.unit) == (source, layout, unit)
    assert preview.sets
    assert len({r.id for r in preview.sets}) == len(preview.sets)
    assert all(r.source == source for r in preview.sets) or source == "legcoach"


def test_a_tab_separated_hevy_file_is_read_too() -> None:
    rows = list(csv.reader(io.StringIO(raw("hevy_kg.csv").decode(), newline="")))
    out = io.StringIO()
    csv.writer(out, delimiter="\t").writerows(rows)
    assert parse(out.getvalue()).sets == parse("hevy_kg.csv").sets


def test_the_unit_in_the_header_wins_over_the_callers() -> None:
    assert parse("strong_header_kg.csv", unit="lb").sets == parse("strong_header_kg.csv").sets


# --- Strong, unit in the header (BOM, CRLF, semicolons, every quirk) ----------------------------


def test_strong_kg_reads_the_leg_press_family_and_leaves_other_exercises_out() -> None:
    preview = parse("strong_header_kg.csv")
    assert len(preview.sets) == 23
    assert preview.left_out == 6  # 4 squats and 2 calf presses: valid, but unmapped
    assert preview.ignored_rows == 6  # 4 Rest Timer rows and 2 Note rows
    assert preview.exercise_map == {
        "Leg Press (Machine)": "leg-press", "Squat (Barbell)": None,
        "Hip Thrust (Machine)": "hip-thrust-machine", "45° Leg Press": "leg-press-45",
        "Single Leg Press": "single-leg-press", "Pull Up (Assisted)": None, "Plank": None,
        "Seated Leg Press": "leg-press", "Calf Press on Seated Leg Press": None,
        "Machine Hip Thrust": "hip-thrust-machine",
    }
    assert preview.exercise_counts == {
        "Leg Press (Machine)": 9, "Squat (Barbell)": 4, "Hip Thrust (Machine)": 2,
        "45° Leg Press": 3, "Single Leg Press": 3, "Pull Up (Assisted)": 0, "Plank": 0,
        "Seated Leg Press": 4, "Calf Press on Seated Leg Press": 2, "Machine Hip Thrust": 2,
    }


def test_strong_workouts_become_sessions_with_utc_starts_and_durations() -> None:
    preview = parse("strong_header_kg.csv")
    sessions = [(s.name, s.started_at, s.duration, s.note, s.set_count) for s in preview.sessions]
    assert sessions == [
        ("Leg Day", utc(2024, 11, 28, 16, 36, 8), timedelta(seconds=3925),
         "Felt strong today", 7),
        ("Leg Day", utc(2024, 12, 2, 6, 5, 41), timedelta(seconds=4210), "", 6),
        # 01:30 on the night clocks go forward is still winter time in Berlin (UTC+1).
        ("Quick legs", utc(2025, 3, 30, 0, 30), timedelta(seconds=1815),
         "Gym was packed; only the presses were free", 5),
        ("Leg Day", utc(2025, 6, 15, 16, 0), timedelta(seconds=3600), "", 5),
    ]
    assert preview.date_range == (utc(2024, 11, 28, 16, 36, 8), utc(2025, 6, 15, 16, 0, 4))
    by_session = {s.id: s for s in preview.sessions}
    assert all(by_session[r.session_id].set_count for r in preview.sets)  # type: ignore[index]


def test_strong_set_orders_become_set_types_and_float_noise_is_rounded_off() -> None:
    first = [r for r in parse("strong_header_kg.csv").sets if r.performed_at.year == 2024]
    assert summary(tuple(first)) == [
        ("leg-press", "60", 12, SetType.WARMUP),
        ("leg-press", "102.5", 12, SetType.WORKING),  # typed by Strong as 102.50000000000001
        ("leg-press", "102.5", 11, SetType.WORKING),
        ("leg-press", "102.5", 10, SetType.WORKING),
        ("leg-press", "80", 8, SetType.DROP),
        ("hip-thrust-machine", "72.5", 10, SetType.WORKING),  # 72.49999999999999
        ("hip-thrust-machine", "72.5", 7, SetType.FAILURE),
        ("leg-press-45", "80", 10, SetType.WARMUP),
        ("leg-press-45", "160", 10, SetType.WORKING),
        ("leg-press-45", "160", 9, SetType.WORKING),
        ("single-leg-press", "12.9", 12, SetType.WORKING),  # 12.900000000000034
        ("single-leg-press", "40", 10, SetType.WORKING),
        ("single-leg-press", "40", 9, SetType.WORKING),
    ]
    light = first[10]
    assert (light.load_kg, light.unit, light.side) == (12.9, LoadUnit.KG, Side.BOTH)


def test_strong_rpe_notes_and_the_time_of_each_set() -> None:
    sets = parse("strong_header_kg.csv").sets
    assert [r.rpe for r in sets[:7]] == [None, 8.0, 8.5, 9.0, None, 8.0, 10.0]
    assert sets[3].note == "Last rep slow"
    # No per-set times in the file: one second apart from the workout's start, in file order,
    # counting skipped rows but not Rest Timer rows.
    start = utc(2024, 11, 28, 16, 36, 8)
    assert [r.performed_at - start for r in sets[:7]] == [
        timedelta(seconds=n) for n in (0, 1, 2, 3, 4, 9, 11)]
    assert all(r.source == "strong" and r.created_at == NOW == r.updated_at for r in sets)


def test_rest_timer_and_note_rows_are_not_sets() -> None:
    preview = parse("strong_header_kg.csv", keep_unmapped=True)
    notes = {r.note for r in preview.sets}
    assert "Seat 5, feet mid-plate" not in notes and "Try 120 next time" not in notes
    assert not [w for w in preview.warnings if "Rest Timer" in w.message or "Note" in w.message]


def test_skipped_rows_and_dropped_values_are_warnings_with_their_line() -> None:
    warnings = [(w.line, w.message) for w in parse("strong_header_kg.csv").warnings]
    assert warnings == [
        (16, "no reps: row skipped."),  # line 16 although a note on lines 13-14 spans two
        (22, "no weight: row skipped (an empty weight is taken as missing)."),
        (34, "RPE 7.3 is off the 1-10 scale: dropped."),
    ]
    seated = [r for r in parse("strong_header_kg.csv").sets if r.reps == 11 and r.load_kg == 110]
    assert [r.rpe for r in seated] == [None]  # the set is kept, only its RPE dropped


def test_unmapped_exercises_can_be_kept_as_custom_ones() -> None:
    preview = parse("strong_header_kg.csv", keep_unmapped=True)
    assert len(preview.sets) == 29 and preview.left_out == 0
    customs = [r for r in preview.sets if r.exercise_id.startswith("custom:")]
    assert {r.exercise_id for r in customs} == {
        "custom:squat-barbell", "custom:calf-press-on-seated-leg-press"}
    assert customs[3].note == "Knees\ncaved on rep 6"  # over two lines, CRLF made "\n"
    assert preview.exercise_map["Squat (Barbell)"] is None  # still not a library exercise
    # Kept exercises get warnings too: assisted pull-ups (negative) and planks (no load).
    assert [(w.line, w.message.split(":")[0]) for w in preview.warnings] == [
        (16, "no reps"), (22, "no weight"),
        (26, "negative weight -20 (an assisted exercise)"),
        (27, "negative weight -20 (an assisted exercise)"),
        (28, "no weight"), (30, "no weight"), (34, "RPE 7.3 is off the 1-10 scale"),
    ]


# --- Strong in pounds, Strong iOS, older Strong -------------------------------------------------


def test_strong_lbs_keeps_pounds_as_typed() -> None:
    preview = parse("strong_header_lbs.csv")
    assert preview.unit is LoadUnit.LB
    first = preview.sets[1]
    assert (first.load_text, first.load_kg, first.rpe) == ("225 lb", 102.058283, 7.5)
    assert preview.sets[-5].entered_load == "235"  # 235.00000000000003
    assert [s.duration for s in preview.sessions] == [
        timedelta(seconds=2710), timedelta(seconds=2520), timedelta(seconds=2895)]
    assert [(w.line, w.message) for w in preview.warnings] == [(29, "no reps: row skipped.")]
    assert preview.ignored_rows == 3
    assert summary(preview.sets[4:8]) == [
        ("leg-press", "225", 5, SetType.FAILURE),
        ("leg-press-45", "180", 10, SetType.WARMUP),
        ("leg-press-45", "315", 8, SetType.WORKING),
        ("leg-press-45", "315", 8, SetType.WORKING),
    ]


def test_strong_ios_needs_the_unit_from_the_caller() -> None:
    error = fatal("strong_ios.csv", MissingUnitError)
    assert error.line == 1 and "kg or lb" in str(error)
    assert parse("strong_ios.csv", unit=LoadUnit.LB).sets[1].load_text == "100 lb"


def test_strong_ios_reads_12_hour_times_and_text_durations() -> None:
    preview = parse("strong_ios.csv", unit="kg")
    assert [(s.name, s.started_at, s.duration) for s in preview.sessions] == [
        ("Evening Legs", utc(2024, 10, 3, 16, 5, 12), timedelta(hours=1, minutes=5)),
        ("Morning Legs", utc(2024, 10, 7, 5, 41, 30), timedelta(minutes=29)),
        ("Lunch Legs", utc(2024, 10, 10, 10, 15), timedelta(minutes=48)),  # 12:15 PM
        ("Evening Legs", utc(2024, 10, 14, 18, 2, 45), timedelta(hours=1, minutes=12)),
    ]
    assert preview.sets[4].entered_load == "47.5"  # 47.50000000000001
    assert preview.sets[3].note == "Heels up, fix next time"
    assert preview.sessions[1].note == "Short one, train at 8"
    assert [r.rpe for r in preview.sets[:4]] == [None, 8.0, 8.5, 9.0]
    assert [(w.line, w.message) for w in preview.warnings] == [(30, "no reps: row skipped.")]
    assert preview.exercise_counts["Plank"] == 0


def test_strong_older_reads_the_unit_of_each_row() -> None:
    preview = parse("strong_older.csv")
    loads = {(r.exercise_id, r.load_text) for r in preview.sets}
    assert ("leg-press", "100 kg") in loads and ("leg-press-45", "180 lb") in loads
    assert ("single-leg-press", "90 lb") in loads and ("leg-press", "82.5 kg") in loads
    assert [s.duration for s in preview.sessions] == [None] * 4
    assert [(w.line, w.message) for w in preview.warnings] == [(22, "no reps: row skipped.")]
    assert preview.exercise_map["Single-Leg Press"] == "single-leg-press"
    assert preview.sets[-7].performed_at == utc(2019, 1, 22, 17, 40, 13)


def test_strong_older_row_without_a_unit_uses_the_callers_or_fails() -> None:
    text = "\n".join(lines("strong_older.csv")).replace("105;kg;12", "105;;12")
    error = fatal(text, MissingUnitError)
    assert error.line == 16
    assert "105 lb" in {r.load_text for r in parse(text, unit="lb").sets}


def test_strong_older_unknown_unit_is_fatal() -> None:
    text = "\n".join(lines("strong_older.csv")).replace("105;kg;12", "105;stone;12")
    error = fatal(text, MalformedRowError)
    assert (error.line, error.reason) == (16, "unknown weight unit 'stone' (kg or lbs).")


# --- Hevy -------------------------------------------------------------------------------------


def test_hevy_set_types_times_and_notes() -> None:
    preview = parse("hevy_kg.csv")
    assert summary(preview.sets[:4]) == [
        ("leg-press", "60", 12, SetType.WARMUP), ("leg-press", "120", 10, SetType.WORKING),
        ("leg-press", "120", 10, SetType.WORKING), ("leg-press", "120", 8, SetType.FAILURE),
    ]
    assert preview.sets[8].set_type is SetType.DROP and preview.sets[8].load_kg == 50
    assert preview.sets[6].entered_load == "70"  # 70.00000000000001
    assert [r.rpe for r in preview.sets[:4]] == [None, 8.0, 8.5, 10.0]
    assert preview.sets[0].note == "Feet mid, seat 4"  # the exercise's notes, on each set
    first = preview.sessions[0]
    assert (first.name, first.started_at, first.duration) == (
        "Leg Day A", utc(2025, 9, 15, 5, 48), timedelta(minutes=64))
    assert first.note == 'Morning session, felt "fresh" after a rest week'
    assert [(w.line, w.message.split(":")[0]) for w in preview.warnings] == [
        (15, "no reps"), (19, "no weight")]
    assert preview.exercise_counts["Leg Press (Machine)"] == 9


def test_hevy_exercise_done_twice_in_a_workout_gets_distinct_ids() -> None:
    presses = [r for r in parse("hevy_kg.csv").sets
               if r.exercise_id == "leg-press" and r.performed_at.day == 15]
    assert [(r.entered_load, r.reps) for r in presses] == [
        ("60", 12), ("120", 10), ("120", 10), ("120", 8), ("80", 15)]
    assert len({r.id for r in presses}) == 5  # set_index restarts at 0 for the burnout


def test_hevy_lbs_with_bom_and_crlf() -> None:
    preview = parse("hevy_lbs.csv")
    assert preview.unit is LoadUnit.LB
    assert preview.sets[4].load_text == "154.32 lb"  # 154.32358352941432
    assert preview.sessions[3].started_at == utc(2025, 3, 13, 5, 55)  # "13 Mar 2025, 6:55"
    assert preview.sessions[2].note == "New PR on the press!"
    assert preview.left_out == 3 and not preview.warnings


# --- legcoach's own CSV -----------------------------------------------------------------------


def test_legcoach_csv_is_read_back_exactly() -> None:
    preview = parse("legcoach_export.csv")
    assert len(preview.sets) == 8 and not preview.warnings
    strong, _, heavy, deep, left = preview.sets[:5]
    assert (strong.source, strong.session_id, strong.created_at) == (
        "strong", "c0ffee00c0ffee00c0ffee00c0ffee00", utc(2025, 5, 1, 9))
    assert (heavy.load_text, heavy.load_kg, heavy.rpe, heavy.tempo, heavy.tut_seconds) == (
        "225 lb", 102.058283, 8.5, "3-1-2-0", 52.0)
    assert heavy.updated_at == utc(2025, 5, 20, 16, 9, 3, 250000)
    assert (deep.set_type, deep.rir, deep.note) == (
        SetType.FAILURE, 0, "Feet high and wide,\nfelt it in the glutes")
    assert left.side is Side.LEFT
    assert preview.sets[6].note == 'Quick one, "no warm-up"' and preview.sets[6].session_id is None
    assert [(s.id[:8], s.set_count) for s in preview.sessions] == [
        ("c0ffee00", 1), ("5e0c2a3b", 5)]
    assert preview.exercise_map == {i: i for i in GUESSES}


@pytest.mark.parametrize(("old", "new", "reason"), [
    (",12,both,warmup,", ",ten,both,warmup,", "reps 'ten' is not a whole number."),
    ("2025-05-20T16:02:11.000000Z,45", "2025-05-20 16:02,45",
     "performed_at '2025-05-20 16:02' is not a UTC time like 2025-06-01T10:30:00.000000Z."),
    (",warmup,,,3-1-2-0", ",warmup,11,,3-1-2-0",
     "this set is not valid: rpe: RPE goes from 1 to 10 in half steps, e.g. 8 or 8.5.."),
    (",40.5,", ",forty,", "tut_seconds 'forty' is not a number."),
])
def test_a_bad_legcoach_row_is_fatal(old, new, reason) -> None:
    text = raw("legcoach_export.csv").decode().replace(old, new, 1)
    error = fatal(text, MalformedRowError)
    assert (error.line, error.reason) == (3, reason)


def test_a_repeated_set_id_in_legcoach_csv_is_fatal() -> None:
    text = raw("legcoach_export.csv").decode()
    text += text.splitlines(keepends=True)[2]
    error = fatal(text, MalformedRowError)
    assert error.line == 11 and "also on line 3" in str(error)


# --- exercise names -----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [
    ("Leg Press (Machine)", "leg-press"), ("leg press (machine)", "leg-press"),
    ("LEG PRESS", "leg-press"), ("Seated Leg-Press", "leg-press"),
    ("45° Leg Press", "leg-press-45"), ("45 leg press", "leg-press-45"),
    ("Leg Press 45", "leg-press-45"), ("Incline Leg Press", "leg-press-45"),
    ("Single Leg Press", "single-leg-press"), ("single-leg press", "single-leg-press"),
    ("Hip Thrust (Machine)", "hip-thrust-machine"), ("Machine Hip-Thrust", "hip-thrust-machine"),
    ("  Hip Thrust  (MACHINE) ", "hip-thrust-machine"),
    ("Squat (Barbell)", None), ("Hip Thrust (Barbell)", None), ("Leg Extension (Machine)", None),
    ("Calf Press on Seated Leg Press", None), ("", None),
])
def test_built_in_guesses_ignore_case_and_punctuation(name, expected) -> None:
    assert guess_exercise_id(name) == expected


def test_a_remembered_mapping_wins_over_the_guesses() -> None:
    mapping = {"calf press on seated leg press": "calf-press", "LEG PRESS (MACHINE)": None}
    preview = parse("strong_header_kg.csv", mapping=mapping)
    assert preview.exercise_map["Leg Press (Machine)"] is None
    assert preview.exercise_map["Calf Press on Seated Leg Press"] == "calf-press"
    assert {r.exercise_id for r in preview.sets} == {
        "calf-press", "leg-press", "leg-press-45", "single-leg-press", "hip-thrust-machine"}
    assert preview.left_out == 4 + 9  # squats, and the leg presses the lifter unmapped
    assert len(preview.sets) == 23 - 9 + 2


def test_custom_ids_are_stable_ascii_slugs() -> None:
    assert custom_exercise_id("Squat (Barbell)") == "custom:squat-barbell"
    assert custom_exercise_id("Beinpresse – Einbeinig") == "custom:beinpresse-einbeinig"
    cyrillic = custom_exercise_id("Жим ногами")
    assert cyrillic.startswith("custom:") and len(cyrillic) == 19
    assert cyrillic == custom_exercise_id("жим  НОГАМИ") != custom_exercise_id("Жим лёжа")
    assert len(custom_exercise_id("x" * 500)) <= 67


# --- ids and applying ---------------------------------------------------------------------------


def test_the_same_file_gives_the_same_ids_whatever_the_zone() -> None:
    ids = [(r.id, r.session_id) for r in parse("strong_header_kg.csv").sets]
    assert ids == [(r.id, r.session_id) for r in parse("strong_header_kg.csv").sets]
    tokyo = parse("strong_header_kg.csv", tz=ZoneInfo("Asia/Tokyo"), now=NOW + timedelta(days=9))
    assert ids == [(r.id, r.session_id) for r in tokyo.sets]
    local = parse("strong_header_kg.csv", tz=None)  # this computer's zone: still aware UTC
    assert ids == [(r.id, r.session_id) for r in local.sets]
    assert all(r.performed_at.tzinfo is UTC for r in local.sets)


def test_importing_twice_adds_nothing() -> None:
    store = InMemorySetStore()
    first = apply_import(parse("strong_header_kg.csv"), store)
    assert (first.added, first.skipped_existing) == (23, 0)
    second = apply_import(parse("strong_header_kg.csv", now=NOW + timedelta(days=30)), store)
    assert (second.added, second.skipped_existing) == (0, 23)
    assert store.count() == 23


def test_a_later_export_adds_only_the_new_workouts() -> None:
    older = "\r\n".join(lines("strong_header_kg.csv")[:30]) + "\r\n"  # the first two workouts
    store = InMemorySetStore()
    assert apply_import(parse(older), store).added == 13
    result = apply_import(parse("strong_header_kg.csv"), store)
    assert (result.added, result.skipped_existing) == (10, 13)


def test_a_set_edited_after_import_survives_a_re_import() -> None:
    preview = parse("hevy_kg.csv")
    store = InMemorySetStore(list(preview.sets))
    edited = replace_fields(preview.sets[0], reps=13, now=NOW + timedelta(hours=1))
    store.update(edited)
    assert apply_import(preview, store).added == 0
    assert store.get(edited.id) == edited


# --- fatal errors: the line, and the store untouched -------------------------------------------


def broken(*edits: tuple[int, str, str]) -> str:
    """strong_header_kg.csv with each (line, old, new) change made on its line."""
    text = lines("strong_header_kg.csv")
    for line_number, old, new in edits:
        assert old in text[line_number - 1]
        text[line_number - 1] = text[line_number - 1].replace(old, new, 1)
    return "\r\n".join(text) + "\r\n"


@pytest.mark.parametrize(("line", "old", "new", "kind", "reason"), [
    (1, '"Exercise Name"', '"Exercise"', UnknownFormatError,
     "this looks like a Strong (unit in the header), but it lacks the columns exercise name."),
    (1, '"Reps"', '"Set Order"', UnknownFormatError, "the column 'Set Order' appears twice."),
    (20, ';"0";"0";"";""', ';"0";"";""', MalformedRowError,
     "this row has 12 cells but the header names 13 columns."),
    (25, "2024-12-02 07:05:41", "2024-13-02 07:05:41", MalformedRowError,
     "The date '2024-13-02 07:05:41' is not a real date and time."),
    (25, "2024-12-02 07:05:41", "yesterday", MalformedRowError,
     "The date 'yesterday' is not a date and time like 2024-11-28 17:36:08."),
    (25, "2024-12-02 07:05:41", "1812-12-02 07:05:41", MalformedRowError,
     "The date '1812-12-02 07:05:41' is not between 1900 and 2200."),
    (4, '"102.50000000000001"', '"102.5kg"', MalformedRowError,
     "The weight '102.5kg' is not a number."),
    (6, '"11";"8.5"', '"eleven";"8.5"', MalformedRowError, "The reps 'eleven' is not a number."),
    (15, '"10";"8"', '"10";"hard"', MalformedRowError, "The RPE 'hard' is not a number."),
    (43, '"75"', '"75,5,5"', MalformedRowError, "The weight '75,5,5' is not a number."),
])
def test_a_malformed_file_is_fatal_at_its_line(line, old, new, kind, reason) -> None:
    store = InMemorySetStore()
    with pytest.raises(kind) as caught:
        apply_import(parse(broken((line, old, new))), store)
    assert (caught.value.line, caught.value.reason) == (line, reason)
    assert str(caught.value) == f"Line {line}: {reason}"
    assert store.count() == 0


@pytest.mark.parametrize(("data", "line", "fragment"), [
    (b"", 1, "empty"),
    (b"\xef\xbb\xbf \r\n\r\n", 1, "empty"),
    (b"name,weight\nLeg Press,100\n", 1, "not a Strong, Hevy or legcoach CSV export"),
    (b'{"format": "legcoach-backup", "v": 1}', 1, "JSON"),
    (raw("hevy_kg.csv").replace(b"Squat", b"Squ\xe4t"), 6, "not UTF-8"),
    (raw("hevy_kg.csv").replace(b"weight_kg", b"weight"), 1, "lacks the columns weight_kg"),
    (raw("hevy_kg.csv").replace(b"15 Sep 2025, 08:52", b"15 Sep 2025, 8 pm"), 2, "end time"),
    (raw("hevy_kg.csv").replace(b"15 Sep 2025, 07:48", b"15 Spt 2025, 07:48"), 2, "real date"),
])
def test_files_that_are_not_exports_are_refused(data, line, fragment) -> None:
    error = fatal(data)
    assert error.line == line and fragment in str(error)


# --- odd but harmless -----------------------------------------------------------------------


def test_a_header_alone_is_an_empty_import() -> None:
    preview = parse(lines("hevy_kg.csv")[0])
    assert (preview.sets, preview.sessions, preview.date_range) == ((), (), None)


def test_blank_and_empty_rows_are_ignored() -> None:
    text = lines("strong_header_lbs.csv")
    padded = "\n\n" + "\n".join([text[0], "", ";;;;;;;;;;;;", *text[1:], "", ""]) + "\n\n"
    assert [r.id for r in parse(padded).sets] == [r.id for r in parse("strong_header_lbs.csv").sets]


def test_unknown_set_orders_and_absurd_values_are_skipped_with_warnings() -> None:
    text = broken(
        (4, '"Leg Press (Machine)";"1"', '"Leg Press (Machine)";"X"'),
        (6, '"102.5";"11"', '"2000";"11"'),
        (7, '"102.5";"10"', '"102.5";"150"'),
        (8, '"0";"0";"";"Felt', '"0";"5000";"' + "long " * 300 + '";"Felt'),
    )
    preview = parse(text)
    assert [(w.line, w.message) for w in preview.warnings][:6] == [
        (4, "unknown set type 'X': row skipped."),
        (6, "Load can't be more than 1000 kg. Row skipped."),
        (7, "150 reps is not a whole number from 0 to 100: row skipped."),
        (8, "5000 seconds is out of range: dropped."),
        (8, "note shortened to legcoach's 1000 characters."),
        (16, "no reps: row skipped."),
    ]
    drop = next(r for r in preview.sets if r.set_type is SetType.DROP)
    assert (drop.tut_seconds, len(drop.note)) == (None, 999)  # the cut left a trailing space


def test_daylight_saving_gaps_and_overlaps_do_not_fail() -> None:
    text = "\r\n".join(lines("strong_header_lbs.csv")[:3])
    gap = parse(text.replace("2025-01-09 18:12:44", "2025-03-30 02:30:00"))
    overlap = parse(text.replace("2025-01-09 18:12:44", "2025-10-26 02:30:00"))
    assert gap.sessions[0].started_at == utc(2025, 3, 30, 1, 30)
    assert overlap.sessions[0].started_at == utc(2025, 10, 26, 0, 30)


def test_caller_mistakes_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_import(raw("hevy_kg.csv"), now=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="exercise id or None"):
        parse_import(raw("hevy_kg.csv"), mapping={"Plank": ""})
    with pytest.raises(ValueError, match="stone"):
        parse_import(raw("strong_ios.csv"), unit="stone")


# --- hostile input: only the documented errors, ever -------------------------------------------

HEADERS = {
    name: (lines(name)[0], ";" if ";" in lines(name)[0] else ",")
    for name in ("strong_header_kg.csv", "strong_header_lbs.csv", "strong_ios.csv",
                 "strong_older.csv", "hevy_kg.csv", "hevy_lbs.csv", "legcoach_export.csv")
}
CELLS = st.one_of(
    st.sampled_from([
        "", "1", "2", "W", "D", "F", "Rest Timer", "Note", "normal", "warmup", "dropset",
        "failure", "12.900000000000034", "-20", "0", "100", "1e3", "1e9999", "8.5", "7.3",
        "2024-11-28 17:36:08", "2024-10-03 6:05:12\u202fPM", "15 Sep 2025, 07:48",
        "30 Feb 2025, 07:48", "2025-05-20T16:02:11.000000Z", "kg", "lbs", "lb", "both", "left",
        "working", "3-1-2-0", "Leg Press (Machine)", "45° Leg Press", "Plank", "1h 5m", "29m",
        "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "legcoach", "\"", "a\nb", "x" * 1200,
    ]),
    st.text(max_size=12),
)


def only_documented_errors(data: str | bytes, **options: object) -> None:
    try:
        preview = parse_import(data, tz=BERLIN, now=NOW, **options)  # type: ignore[arg-type]
    except ImportFileError as error:
        refused: ImportFileError | None = error
    else:
        refused = None
        assert len({r.id for r in preview.sets}) == len(preview.sets)
    assert refused is None or refused.line is None or refused.line >= 1


@settings(FUZZ, max_examples=500)
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400)))
def test_random_bytes_and_text_fail_only_with_import_errors(data) -> None:
    only_documented_errors(data)


def as_csv(header: str, rows: list[list[str]], delimiter: str, quoted: bool) -> str:
    """Rows under `header`, written properly or, on purpose, with no quoting at all."""
    if not quoted:
        return header + "\r\n" + "\n".join(delimiter.join(row) for row in rows)
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return header + "\r\n" + out.getvalue()


def fixture_rows(name: str) -> list[list[str]]:
    text = raw(name).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=HEADERS[name][1]))[1:]


@settings(FUZZ, max_examples=500)
@given(st.sampled_from(sorted(HEADERS)), st.data())
def test_random_rows_under_a_valid_header_fail_only_with_import_errors(name, data) -> None:
    header, delimiter = HEADERS[name]
    width = header.count(delimiter) + 1
    row_widths = st.one_of(st.just(width), st.integers(0, width + 2))
    rows = data.draw(st.lists(row_widths.flatmap(
        lambda n: st.lists(CELLS, min_size=n, max_size=n)), max_size=6))
    only_documented_errors(as_csv(header, rows, delimiter, data.draw(st.booleans())),
                           unit=data.draw(st.sampled_from(["kg", None])),
                           keep_unmapped=data.draw(st.booleans()))


@settings(FUZZ, max_examples=500)
@given(st.sampled_from(sorted(HEADERS)), st.data())
def test_real_rows_with_random_cells_fail_only_with_import_errors(name, data) -> None:
    """Mostly valid rows with a few cells replaced: these get past the dates into sets."""
    rows = fixture_rows(name)
    for _ in range(data.draw(st.integers(1, 4))):
        row = rows[data.draw(st.integers(0, len(rows) - 1))]
        row[data.draw(st.integers(0, len(row) - 1))] = data.draw(CELLS)
    header, delimiter = HEADERS[name]
    only_documented_errors(as_csv(header, rows, delimiter, quoted=True), unit="kg",
                           keep_unmapped=data.draw(st.booleans()))


@settings(FUZZ, max_examples=500)
@given(st.sampled_from(sorted(HEADERS)), st.floats(0, 1))
def test_truncated_files_fail_only_with_import_errors(name, fraction) -> None:
    data = raw(name)
    only_documented_errors(data[: int(len(data) * fraction)], unit="kg")


def test_parsing_is_pure_and_repeatable() -> None:
    """Nothing depends on dict order, the clock (given `now`) or the previous call."""
    first = parse("hevy_kg.csv", keep_unmapped=True)
    parse("strong_header_kg.csv")
    again = parse("hevy_kg.csv", keep_unmapped=True)
    assert dataclasses.astuple(first) == dataclasses.astuple(again)
