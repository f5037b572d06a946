"""Routines and the routine book: the built-in Leg day, every edit, the messages, storage."""

from __future__ import annotations

import contextlib
import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legcoach.core.documents import InMemoryDocumentStore, NewerDocumentError
from legcoach.core.library import ExerciseLibrary, load_library
from legcoach.core.routine import (
    BUILTIN_ID,
    DOCUMENT,
    MIGRATIONS,
    BookChange,
    BuiltinRoutineError,
    Routine,
    RoutineBook,
    RoutineChange,
    RoutineError,
    RoutineItem,
    default_item,
    format_rest,
    item_form_text,
    leg_day,
    new_routine_id,
    parse_item_form,
    parse_rest,
)
from legcoach.paths import builtin_exercises_dir

FUZZ = settings(max_examples=80, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def library() -> ExerciseLibrary:
    return load_library(builtin_exercises_dir())


@pytest.fixture
def store() -> InMemoryDocumentStore:
    return InMemoryDocumentStore()


@pytest.fixture
def book(library: ExerciseLibrary, store: InMemoryDocumentStore) -> RoutineBook:
    return RoutineBook(library, store=store)


def item(**overrides: Any) -> RoutineItem:
    values: dict[str, Any] = {"exercise_id": "leg-press", "sets": 3, "rep_range": (8, 12),
                              "tempo": "3-1-2-0", "rest_seconds": 90, "per_side": False}
    return RoutineItem(**(values | overrides))


def errors_of(make: Any, *args: Any, **kwargs: Any) -> dict[str, str]:
    with pytest.raises(RoutineError) as caught:
        make(*args, **kwargs)
    return caught.value.errors


def ids(routine: Routine) -> list[str]:
    return [i.exercise_id for i in routine.items]


# --- Leg day --------------------------------------------------------------------------------


def test_leg_day_puts_the_main_press_first_and_takes_the_rest_from_the_guidance(
    library: ExerciseLibrary,
) -> None:
    day = leg_day(library)
    assert day.id == BUILTIN_ID and day.name == "Leg day" and day.builtin
    assert ids(day) == ["leg-press-45", "leg-press", "single-leg-press", "hip-thrust-machine"]
    for entry in day.items:
        exercise = library[entry.exercise_id]
        assert entry.rep_range == exercise.guidance.rep_range
        assert entry.tempo == exercise.movement.tempo
        assert entry.per_side == exercise.one_sided
        low, high = exercise.guidance.sets
        assert low <= entry.sets <= high
    main, press, single, thrust = day.items
    assert 120 <= main.rest_seconds <= 180  # the main lift rests 2–3 minutes
    assert all(90 <= i.rest_seconds <= 120 for i in (press, single, thrust))
    assert main.sets == library["leg-press-45"].guidance.sets[1]  # most work on the main lift
    assert single.per_side and not any(i.per_side for i in (main, press, thrust))
    assert [i.describe() for i in day.items] == [
        "4 × 8–15 · 3-1-1-0 · rest 2:30",
        "3 × 10–15 · 3-1-2-0 · rest 2:00",
        "2 × 8–12 · 3-1-2-0 · rest 1:30 · per leg",
        "3 × 8–12 · 3-0-1-2 · rest 1:30",
    ]


def test_leg_day_leaves_out_exercises_the_library_lacks(library: ExerciseLibrary) -> None:
    partial = ExerciseLibrary({k: v for k, v in library.exercises.items() if k != "leg-press"})
    assert ids(leg_day(partial)) == ["leg-press-45", "single-leg-press", "hip-thrust-machine"]


def test_default_item_without_set_guidance_uses_three_sets(library: ExerciseLibrary) -> None:
    exercise = library["leg-press"]
    bare = dataclasses.replace(exercise, guidance=dataclasses.replace(exercise.guidance,
                                                                       sets=None))
    assert default_item(bare).sets == 3
    assert default_item(bare, main=True).rest_seconds == 150


# --- validation messages --------------------------------------------------------------------


SETS_MSG = "Sets must be a whole number from 1 to 10."
RANGE_MSG = "The rep range is two whole numbers from 1 to 100, like 8–12."
REST_MSG = "Rest must be from 0:15 to 15:00. Type seconds (90) or minutes:seconds (1:30)."


@pytest.mark.parametrize(("overrides", "key", "message"), [
    ({"sets": 0}, "sets", SETS_MSG),
    ({"sets": 11}, "sets", SETS_MSG),
    ({"sets": True}, "sets", SETS_MSG),
    ({"rep_range": (12, 8)}, "rep_range",
     "The top of the rep range can't be below the bottom (12)."),
    ({"rep_range": (0, 8)}, "rep_range", RANGE_MSG),
    ({"rep_range": (8,)}, "rep_range", RANGE_MSG),
    ({"tempo": "3-1-2"}, "tempo",
     "A tempo has four parts (lower-pause-push-pause), e.g. 3-1-2-0; this one has 3."),
    ({"tempo": "3-1-x-0"}, "tempo", "Write the tempo as 3-1-X-0."),
    ({"tempo": 3120}, "tempo", "The tempo must be text like 3-1-2-0."),
    ({"rest_seconds": 14}, "rest_seconds", REST_MSG),
    ({"rest_seconds": 901}, "rest_seconds", REST_MSG),
    ({"exercise_id": "Leg Press"}, "exercise_id",
     "The exercise id must be lowercase letters, digits and dashes."),
    ({"per_side": "yes"}, "per_side", "Per side is yes or no."),
])
def test_an_item_explains_each_broken_rule(overrides: dict, key: str, message: str) -> None:
    assert errors_of(item, **overrides) == {key: message}


def test_an_item_reports_every_problem_at_once() -> None:
    assert set(errors_of(item, sets=0, rest_seconds=5, tempo="")) == {
        "sets", "rest_seconds", "tempo"}


def test_an_item_accepts_the_bounds_and_a_list_for_the_rep_range() -> None:
    assert item(sets=10, rep_range=[100, 100], rest_seconds=900).rep_range == (100, 100)
    assert item(sets=1, rep_range=(1, 1), rest_seconds=15).describe() == (
        "1 × 1 · 3-1-2-0 · rest 0:15")


@pytest.mark.parametrize(("name", "message"), [
    ("", "Give the routine a name."),
    ("   ", "Give the routine a name."),
    (" Leg day", "A name can't start or end with spaces."),
    ("x" * 41, "Keep the name to 40 characters; this one has 41."),
    ("Leg\nday", "A name can't contain line breaks or other control characters."),
    ("Leg \ud800", "A name can't contain line breaks or other control characters."),
])
def test_a_routine_name_must_be_short_and_printable(name: str, message: str) -> None:
    assert errors_of(Routine, new_routine_id(), name, (item(),)) == {"name": message}


def test_a_routine_holds_one_to_twenty_exercises() -> None:
    assert errors_of(Routine, new_routine_id(), "Empty", ()) == {
        "items": "A routine needs at least one exercise."}
    assert errors_of(Routine, new_routine_id(), "Huge", (item(),) * 21) == {
        "items": "A routine can hold at most 20 exercises."}
    assert len(Routine(new_routine_id(), "x" * 40, [item()] * 20).items) == 20
    assert errors_of(Routine, "not-hex", "Bad id", (item(),)) == {
        "id": "A routine id is 32 lowercase hex digits."}


# --- the item form --------------------------------------------------------------------------


def form(**fields: str) -> RoutineItem:
    values = {"sets": "3", "reps_low": "8", "reps_high": "12", "tempo": "3-1-2-0", "rest": "90"}
    return parse_item_form(values | fields, exercise_id="leg-press", per_side=False)


def test_the_form_reads_what_a_lifter_types() -> None:
    assert form() == item()
    assert form(sets=" 4 ", rest="2:30", tempo=" 3 - 1 - x - 0 ").describe() == (
        "4 × 8–12 · 3-1-X-0 · rest 2:30")
    assert form(rest="90s").rest_seconds == 90
    assert form(reps_low="10", reps_high="10").rep_range == (10, 10)


@pytest.mark.parametrize(("fields", "expected"), [
    ({"sets": ""}, {"sets": "Enter the number of sets, e.g. 3."}),
    ({"sets": "12"}, {"sets": SETS_MSG}),
    ({"sets": "3.5"}, {"sets": SETS_MSG}),
    ({"sets": "-1"}, {"sets": SETS_MSG}),
    ({"reps_low": "0"}, {"reps_low": "Reps must be a whole number from 1 to 100."}),
    ({"reps_high": ""}, {"reps_high": "Enter the most reps, e.g. 12."}),
    ({"reps_low": "12", "reps_high": "8"},
     {"reps_high": "The top of the rep range can't be below the bottom (12)."}),
    ({"tempo": "3/1/2/0"}, {"tempo": "Separate the four parts with plain dashes '-' only, "
                                     "e.g. 3-1-2-0; this one uses '/'."}),
    ({"rest": "10"}, {"rest": REST_MSG}),
    ({"rest": "1:75"}, {"rest": REST_MSG}),
    ({"rest": ""}, {"rest": "Enter the rest, e.g. 90 or 1:30."}),
])
def test_the_form_puts_each_message_next_to_its_field(fields: dict, expected: dict) -> None:
    assert errors_of(form, **fields) == expected


def test_the_form_text_of_an_item_reads_back_as_the_same_item(library: ExerciseLibrary) -> None:
    for entry in leg_day(library).items:
        text = item_form_text(entry)
        assert parse_item_form(text, exercise_id=entry.exercise_id,
                               per_side=entry.per_side) == entry


@pytest.mark.parametrize(("text", "seconds"), [
    ("90", 90), ("1:30", 90), ("0:15", 15), ("15:00", 900), ("2:30 ", 150), ("45s", 45),
    ("1:3", None), ("1.5", None), ("", None), ("-90", None), ("٩٠", None),
])
def test_parse_rest(text: str, seconds: int | None) -> None:
    assert parse_rest(text) == seconds


def test_format_rest() -> None:
    assert [format_rest(s) for s in (15, 90, 150, 900)] == ["0:15", "1:30", "2:30", "15:00"]


# --- the book: routines ---------------------------------------------------------------------


def test_a_new_book_holds_only_leg_day(book: RoutineBook, library: ExerciseLibrary) -> None:
    assert book.routines == (leg_day(library),)
    assert book.builtin.builtin and book.problems() == []
    assert book.to_dict() == {"v": 1, "routines": []}


def test_create_starts_with_the_main_lift_and_saves(
    book: RoutineBook, store: InMemoryDocumentStore
) -> None:
    heard: list[BookChange] = []
    book.subscribe(heard.append)
    routine = book.create("  Heavy day  ")
    assert routine.name == "Heavy day" and not routine.builtin
    assert ids(routine) == ["leg-press-45"]
    assert routine.items[0] == book.builtin.items[0]  # the main lift's sets and rest
    assert book.routines[-1] == routine
    assert heard == [BookChange(RoutineChange.ADDED, routine.id)]
    assert store.load(DOCUMENT) == book.to_dict()


def test_create_with_a_chosen_first_exercise(book: RoutineBook) -> None:
    routine = book.create("Glutes", "hip-thrust-machine")
    assert ids(routine) == ["hip-thrust-machine"]
    assert routine.items[0].rest_seconds == 150  # whatever goes first is the main lift
    assert errors_of(book.create, "Other", "squat") == {
        "exercise_id": "There is no exercise “squat”."}


def test_names_must_be_valid_and_unique_ignoring_case(book: RoutineBook) -> None:
    assert errors_of(book.create, "leg DAY") == {
        "name": "There is already a routine called “Leg day”."}
    assert errors_of(book.create, " ") == {"name": "Give the routine a name."}
    routine = book.create("Push")
    assert book.rename(routine.id, "push").name == "push"  # its own name, new case: fine
    assert errors_of(book.rename, routine.id, "Leg day") == {
        "name": "There is already a routine called “Leg day”."}
    assert len(book.routines) == 2


def test_rename(book: RoutineBook) -> None:
    routine = book.create("Push")
    heard: list[BookChange] = []
    book.subscribe(heard.append)
    renamed = book.rename(routine.id, "Heavy push")
    assert book.get(routine.id) == renamed == dataclasses.replace(routine, name="Heavy push")
    assert heard == [BookChange(RoutineChange.CHANGED, routine.id)]


def test_duplicate_copies_leg_day_as_an_editable_routine_next_to_it(book: RoutineBook) -> None:
    other = book.create("Other")
    copy = book.duplicate(BUILTIN_ID)
    assert copy.name == "Leg day (copy)" and not copy.builtin and copy.id != BUILTIN_ID
    assert copy.items == book.builtin.items
    assert [r.name for r in book.routines] == ["Leg day", "Leg day (copy)", "Other"]
    assert book.duplicate(BUILTIN_ID).name == "Leg day (copy 2)"
    assert book.duplicate(copy.id).name == "Leg day (copy) (copy)"
    assert book.add_item(copy.id, "leg-press").items[-1].exercise_id == "leg-press"
    assert book.get(other.id) == other


def test_a_copy_name_stays_within_the_limit(book: RoutineBook) -> None:
    long = book.create("x" * 40)
    assert book.duplicate(long.id).name == "x" * 33 + " (copy)"
    assert len(book.duplicate(long.id).name) == 40


def test_delete(book: RoutineBook, store: InMemoryDocumentStore) -> None:
    routine = book.create("Push")
    heard: list[BookChange] = []
    book.subscribe(heard.append)
    assert book.delete(routine.id) == routine
    assert routine.id not in book and heard == [BookChange(RoutineChange.REMOVED, routine.id)]
    assert store.load(DOCUMENT) == {"v": 1, "routines": []}
    with pytest.raises(KeyError, match="no routine"):
        book.delete(routine.id)


def test_the_built_in_routine_cannot_be_deleted_or_changed(book: RoutineBook) -> None:
    before = book.routines
    message = ("“Leg day” is built in, so it can't be changed or deleted. Duplicate it to make "
               "your own copy and edit that.")
    for operation in (
        lambda: book.delete(BUILTIN_ID),
        lambda: book.rename(BUILTIN_ID, "Mine"),
        lambda: book.add_item(BUILTIN_ID, "leg-press"),
        lambda: book.remove_item(BUILTIN_ID, 0),
        lambda: book.move_item(BUILTIN_ID, 0, 1),
        lambda: book.update_item(BUILTIN_ID, 0, item()),
    ):
        with pytest.raises(BuiltinRoutineError) as caught:
            operation()
        assert caught.value.message == message
    assert book.routines == before


# --- the book: items ------------------------------------------------------------------------


@pytest.fixture
def mine(book: RoutineBook) -> Routine:
    """A user copy of Leg day: 45°, leg press, single-leg, hip thrust."""
    return book.duplicate(BUILTIN_ID)


def test_add_item_uses_the_exercise_guidance(book: RoutineBook, mine: Routine,
                                             library: ExerciseLibrary) -> None:
    routine = book.add_item(mine.id, "single-leg-press")
    assert routine.items[-1] == default_item(library["single-leg-press"])
    assert routine.items[-1].per_side
    front = book.add_item(mine.id, "leg-press", index=0)
    assert front.items[0] == default_item(library["leg-press"], main=True)
    assert ids(book.add_item(mine.id, "leg-press", index=len(front.items)))[-1] == "leg-press"
    with pytest.raises(IndexError):
        book.add_item(mine.id, "leg-press", index=len(front.items) + 2)
    assert errors_of(book.add_item, mine.id, "squat") == {
        "exercise_id": "There is no exercise “squat”."}


def test_add_item_stops_at_twenty(book: RoutineBook, mine: Routine) -> None:
    for _ in range(16):
        book.add_item(mine.id, "leg-press")
    assert len(book.get(mine.id).items) == 20
    assert errors_of(book.add_item, mine.id, "leg-press") == {
        "items": "A routine can hold at most 20 exercises."}


def test_remove_item_keeps_at_least_one(book: RoutineBook, mine: Routine) -> None:
    assert ids(book.remove_item(mine.id, 1)) == [
        "leg-press-45", "single-leg-press", "hip-thrust-machine"]
    book.remove_item(mine.id, 2)
    book.remove_item(mine.id, 0)
    assert ids(book.get(mine.id)) == ["single-leg-press"]
    assert errors_of(book.remove_item, mine.id, 0) == {"items": (
        "A routine needs at least one exercise. Add another one first, or delete the whole "
        "routine.")}
    with pytest.raises(IndexError, match="has 1 exercises; there is no number 1"):
        book.remove_item(mine.id, 1)


@pytest.mark.parametrize(("index", "new_index", "order"), [
    (1, 0, "BACD"), (0, 1, "BACD"), (0, 3, "BCDA"), (3, 0, "DABC"), (2, 3, "ABDC"),
    (3, 2, "ABDC"), (1, 2, "ACBD"),
])
def test_move_item_puts_the_item_at_its_new_index(
    book: RoutineBook, mine: Routine, index: int, new_index: int, order: str
) -> None:
    letters = dict(zip(ids(mine), "ABCD", strict=True))
    moved = book.move_item(mine.id, index, new_index)
    assert "".join(letters[i] for i in ids(moved)) == order
    order_before = ids(mine)
    assert sorted(moved.items, key=lambda i: order_before.index(i.exercise_id)) == list(mine.items)


def test_move_item_edge_cases(book: RoutineBook, mine: Routine) -> None:
    heard: list[BookChange] = []
    book.subscribe(heard.append)
    assert book.move_item(mine.id, 2, 2) == mine and heard == []  # onto itself: no change
    for index, new_index in ((0, -1), (3, 4), (-1, 0), (4, 0), (0, 1.0)):
        with pytest.raises(IndexError):
            book.move_item(mine.id, index, new_index)  # type: ignore[arg-type]
    assert book.get(mine.id) == mine and heard == []
    single = book.create("Single")
    assert book.move_item(single.id, 0, 0) == single
    with pytest.raises(IndexError):
        book.move_item(single.id, 0, 1)


def test_update_item(book: RoutineBook, mine: Routine) -> None:
    new = dataclasses.replace(mine.items[1], sets=5, tempo="2-0-X-0")
    heard: list[BookChange] = []
    book.subscribe(heard.append)
    assert book.update_item(mine.id, 1, new).items[1] == new
    assert heard == [BookChange(RoutineChange.CHANGED, mine.id)]
    assert book.update_item(mine.id, 1, new) == book.get(mine.id) and len(heard) == 1
    swapped = dataclasses.replace(new, exercise_id="hip-thrust-machine")
    assert book.update_item(mine.id, 1, swapped).items[1].exercise_id == "hip-thrust-machine"
    assert errors_of(book.update_item, mine.id, 1, dataclasses.replace(new, exercise_id="squat")
                     ) == {"exercise_id": "There is no exercise “squat”."}
    with pytest.raises(TypeError):
        book.update_item(mine.id, 1, {"sets": 3})  # type: ignore[arg-type]
    with pytest.raises(IndexError):
        book.update_item(mine.id, 4, new)


def test_unsubscribe_and_listeners_hear_the_new_state(book: RoutineBook) -> None:
    seen: list[int] = []
    unsubscribe = book.subscribe(lambda change: seen.append(len(book.routines)))
    book.create("One")
    unsubscribe()
    unsubscribe()  # twice is harmless
    book.create("Two")
    assert seen == [2]


def test_a_failed_save_changes_nothing(book: RoutineBook, monkeypatch: pytest.MonkeyPatch
                                       ) -> None:
    mine = book.create("Mine")
    heard: list[BookChange] = []
    book.subscribe(heard.append)

    def disk_full(name: str, data: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(book._store, "save", disk_full)
    with pytest.raises(OSError, match="No space"):
        book.add_item(mine.id, "leg-press")
    assert book.get(mine.id) == mine and heard == []


# --- storage --------------------------------------------------------------------------------


def test_to_dict_and_from_dict_round_trip(book: RoutineBook, library: ExerciseLibrary) -> None:
    mine = book.duplicate(BUILTIN_ID)
    book.update_item(mine.id, 0, dataclasses.replace(mine.items[0], tempo="2.5-0-X-1"))
    book.create("Glutes", "hip-thrust-machine")
    data = book.to_dict()
    assert data["v"] == 1 and len(data["routines"]) == 2
    assert data["routines"][0]["items"][0] == {
        "exercise_id": "leg-press-45", "sets": 4, "rep_range": [8, 15], "tempo": "2.5-0-X-1",
        "rest_seconds": 150, "per_side": False}
    again = RoutineBook.from_dict(data, library)
    assert again.routines == book.routines
    assert again.to_dict() == data


@pytest.mark.parametrize(("change", "key", "message"), [
    (lambda d: d["routines"][0]["items"][1].update(sets=50), "routines[0].items[1].sets",
     "Sets must be a whole number from 1 to 10."),
    (lambda d: d["routines"][0]["items"][0].pop("tempo"), "routines[0].items[0].tempo",
     "is missing."),
    (lambda d: d["routines"][0]["items"].__setitem__(0, 7), "routines[0].items[0]",
     "An exercise in a routine must be a JSON object."),
    (lambda d: d["routines"][0].update(colour="red"), "routines[0].colour",
     "is not a known field."),
    (lambda d: d["routines"][0].update(builtin=True), "routines[0].builtin",
     "is not a known field."),
    (lambda d: d["routines"][0].update(items=[]), "routines[0].items",
     "A routine needs at least one exercise."),
    (lambda d: d["routines"][0].update(id=BUILTIN_ID), "routines[0].id",
     "Two routines share this id."),
    (lambda d: d["routines"].append(dict(d["routines"][0])), "routines[1].id",
     "Two routines share this id."),
    (lambda d: d.update(routines={}), "routines", "must be a list of routines."),
    (lambda d: d.update(extra=1), "extra", "is not a known field."),
    (lambda d: d.update(v="1"), "v", "Stored routines have no valid version number 'v': '1'."),
    (lambda d: d.pop("v"), "v", "Stored routines have no valid version number 'v': None."),
])
def test_from_dict_locates_what_is_wrong(
    book: RoutineBook, library: ExerciseLibrary, change: Any, key: str, message: str
) -> None:
    book.duplicate(BUILTIN_ID)
    data = book.to_dict()
    change(data)
    assert errors_of(RoutineBook.from_dict, data, library) == {key: message}


def test_a_newer_document_is_refused(library: ExerciseLibrary) -> None:
    with pytest.raises(NewerDocumentError, match=r"newer version of legcoach \(data version 2; "
                                                 r"this version reads up to 1\)"):
        RoutineBook.from_dict({"v": 2, "routines": [], "colours": {}}, library)


def test_the_migration_hook_upgrades_an_older_layout(
    library: ExerciseLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pretend v0 stored rest in minutes; the registered step turns it into v1 seconds."""

    def rest_in_seconds(data: dict[str, Any]) -> dict[str, Any]:
        for routine in data["routines"]:
            for entry in routine["items"]:
                entry["rest_seconds"] = round(entry.pop("rest_minutes") * 60)
        return data

    monkeypatch.setattr(MIGRATIONS, "steps", {})
    MIGRATIONS.register(0)(rest_in_seconds)
    with pytest.raises(ValueError, match="exists already"):
        MIGRATIONS.register(0)(rest_in_seconds)
    stored = {"v": 0, "routines": [{"id": "a" * 32, "name": "Old", "items": [
        {"exercise_id": "leg-press", "sets": 3, "rep_range": [8, 12], "tempo": "3-1-2-0",
         "rest_minutes": 1.5, "per_side": False}]}]}
    book = RoutineBook.from_dict(stored, library)
    assert book.get("a" * 32).items[0].rest_seconds == 90
    assert stored["routines"][0]["items"][0]["rest_minutes"] == 1.5  # the input is untouched
    monkeypatch.setattr(MIGRATIONS, "steps", {})
    assert errors_of(RoutineBook.from_dict, stored, library) == {
        "v": "No way to upgrade stored routines from v0."}


def test_unknown_exercises_are_kept_and_flagged(library: ExerciseLibrary) -> None:
    stored = {"v": 1, "routines": [{"id": "b" * 32, "name": "Old favourites", "items": [
        item(exercise_id="hack-squat").to_dict(), item().to_dict()]}]}
    book = RoutineBook.from_dict(stored, library)
    assert ids(book.get("b" * 32)) == ["hack-squat", "leg-press"]
    assert book.missing_exercises("b" * 32) == ["hack-squat"]
    assert book.missing_exercises(BUILTIN_ID) == []
    assert book.problems() == [
        "“Old favourites” uses the exercise “hack-squat”, which is not in the library. It stays "
        "in the routine in case its file comes back; remove it to start the routine without it."]
    # Editing the rest of the routine keeps it; the item itself can still be tuned.
    book.move_item("b" * 32, 0, 1)
    tuned = book.update_item("b" * 32, 1, item(exercise_id="hack-squat", sets=5))
    assert tuned.items[1].sets == 5
    assert book.to_dict()["routines"][0]["items"][1]["exercise_id"] == "hack-squat"
    copy = book.duplicate("b" * 32)
    assert book.missing_exercises(copy.id) == ["hack-squat"]
    book.remove_item("b" * 32, 1)
    assert book.missing_exercises("b" * 32) == []


def test_open_loads_and_saves_back(library: ExerciseLibrary, store: InMemoryDocumentStore
                                   ) -> None:
    first = RoutineBook.open(store, library)
    mine = first.create("Mine")
    again = RoutineBook.open(store, library)
    assert again.routines == first.routines
    again.rename(mine.id, "Renamed")
    assert RoutineBook.open(store, library).get(mine.id).name == "Renamed"


def test_open_keeps_unreadable_routines_aside(library: ExerciseLibrary) -> None:
    bad = {"v": 1, "routines": [{"id": "c" * 32, "name": "Broken", "items": []}]}
    store = InMemoryDocumentStore({DOCUMENT: bad})
    moment = datetime(2025, 6, 1, 10, 30, 5, tzinfo=UTC)
    book = RoutineBook.open(store, library, now=lambda: moment)
    assert book.routines == (leg_day(library),)
    assert store.load("routines-unreadable-20250601t103005z") == bad
    assert book.problems() == [
        "Your saved routines could not be read (routines[0].items: A routine needs at least one "
        "exercise.). They were kept as “routines-unreadable-20250601t103005z” so nothing is "
        "lost; only Leg day is available for now."]
    book.create("Fresh")  # saving now can't destroy the broken data
    store.save(DOCUMENT, bad)
    RoutineBook.open(store, library, now=lambda: moment)
    assert store.load("routines-unreadable-20250601t103005z-2") == bad


def test_open_refuses_a_newer_document_without_touching_it(library: ExerciseLibrary) -> None:
    newer = {"v": 9, "routines": "whatever v9 means"}
    store = InMemoryDocumentStore({DOCUMENT: newer})
    with pytest.raises(NewerDocumentError, match="Update legcoach"):
        RoutineBook.open(store, library)
    assert store.names() == [DOCUMENT] and store.load(DOCUMENT) == newer


def test_a_book_refuses_duplicate_ids(library: ExerciseLibrary) -> None:
    routine = Routine(new_routine_id(), "Mine", (item(),))
    with pytest.raises(ValueError, match="unique"):
        RoutineBook(library, [routine, routine])


# --- random edit sequences ------------------------------------------------------------------

EXERCISES = ["leg-press-45", "leg-press", "single-leg-press", "hip-thrust-machine", "squat"]
names = st.one_of(
    st.sampled_from(["Push", "legs", "Heavy day", "leg DAY", " Spaced ", "x" * 40, "x" * 41]),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=44),
)
positions = st.integers(0, 6)  # 0 is Leg day, the rest pick one of the user's routines
indices = st.sampled_from([0, 1, 2, 3, 0, 1, 2, 3, 4, -1, 20])  # mostly real items
items = st.builds(
    RoutineItem, exercise_id=st.sampled_from(EXERCISES[:4]), sets=st.integers(1, 10),
    rep_range=st.tuples(st.integers(1, 50), st.integers(50, 100)),
    tempo=st.sampled_from(["3-1-2-0", "2.5-0-X-1", "1-0-X-2"]),
    rest_seconds=st.integers(15, 900), per_side=st.booleans(),
)
operations = st.lists(st.one_of(
    st.tuples(st.just("create"), names, st.sampled_from([None, *EXERCISES])),
    st.tuples(st.just("rename"), positions, names),
    st.tuples(st.just("duplicate"), positions),
    st.tuples(st.just("delete"), positions),
    st.tuples(st.just("add_item"), positions, st.sampled_from(EXERCISES)),
    st.tuples(st.just("remove_item"), positions, indices),
    st.tuples(st.just("move_item"), positions, indices, indices),
    st.tuples(st.just("update_item"), positions, indices, items),
), max_size=40)


def apply(book: RoutineBook, operation: tuple) -> None:
    """Run one operation; a routine position > 0 picks one of the user's routines if any."""
    name, *args = operation
    if name != "create":
        mine = book.routines[1:]
        args[0] = mine[(args[0] - 1) % len(mine)].id if args[0] and mine else BUILTIN_ID
    with contextlib.suppress(RoutineError, IndexError):  # refusals must leave it valid too
        getattr(book, name)(*args)


@FUZZ
@given(operations)
def test_random_edits_keep_the_book_valid_and_round_trip_exactly(
    library: ExerciseLibrary, ops: list[tuple]
) -> None:
    store = InMemoryDocumentStore()
    book = RoutineBook(library, store=store)
    for operation in ops:
        before = book.routines
        apply(book, operation)
        assert book.routines[0] == leg_day(library)
        if book.routines != before:
            assert store.load(DOCUMENT) == book.to_dict()
    routine_ids = [r.id for r in book.routines]
    assert len(set(routine_ids)) == len(routine_ids)
    assert len({r.name.casefold() for r in book.routines}) == len(book.routines)
    for routine in book.routines:
        assert dataclasses.replace(routine) == routine  # re-validates every rule
        assert 1 <= len(routine.items) <= 20
    again = RoutineBook.from_dict(book.to_dict(), library)
    assert again.routines == book.routines and again.to_dict() == book.to_dict()
    reopened = RoutineBook.open(store, library)
    assert reopened.routines == book.routines and reopened.problems() == []
