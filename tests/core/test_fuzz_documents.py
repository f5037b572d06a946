"""Stored documents and user files, fuzzed: set records, routine books, exercise TOML files,
settings, machine memory and the session in progress.

Whatever a damaged file holds, reading it raises only the reader's own error (or, for settings
and machine memory, nothing: what can't be used is left out and reported). Whatever is read can
be written back by the real serialiser. Valid documents round-trip exactly, through the real
stores on disk where that is cheap (a RAM folder when the OS has one, so fsync costs nothing).
"""

from __future__ import annotations

import itertools
import json
import math
import re
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from legcoach.core.documents import NewerDocumentError
from legcoach.core.exercise import (
    Breathing,
    Difficulty,
    Exercise,
    Faq,
    FootHeight,
    FootWidth,
    Guidance,
    Mistake,
    Movement,
    Step,
    Variation,
)
from legcoach.core.library import (
    ExerciseFileError,
    ExerciseLibrary,
    load_exercise_file,
    load_library,
    parse_exercise,
)
from legcoach.core.machine_memory import MachineMemory, MachineSettings
from legcoach.core.routine import (
    BUILTIN_ID,
    Routine,
    RoutineBook,
    RoutineError,
    RoutineItem,
)
from legcoach.core.session import PendingSet, SessionError, Stage, WorkoutSession
from legcoach.core.setlog import (
    LoadUnit,
    NewerSchemaError,
    SetRecord,
    SetType,
    migrate,
)
from legcoach.core.setplan import Breath
from legcoach.core.settings import (
    DECLARATIONS,
    SCHEMA_VERSION,
    Kind,
    Setting,
    Settings,
    open_settings,
)
from legcoach.core.sides import Side
from legcoach.paths import builtin_exercises_dir
from legcoach.storage.atomic import dumps_json
from legcoach.storage.json_documents import JsonDocumentStore
from legcoach.storage.tinydb_store import TinyDBSetStore
from tests.core.test_fuzz_inputs import attempt, fuzz, long_text

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def rewritten(document: dict[str, Any]) -> Any:
    """Through the stores' own serialiser and parser (UTF-8 bytes, no NaN), without a disk."""
    return json.loads(dumps_json(document).decode("utf-8"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder for the real stores: in RAM when the OS has one, where fsync costs nothing."""
    ram = Path("/dev/shm")
    if sys.platform.startswith("linux") and ram.is_dir():
        with tempfile.TemporaryDirectory(dir=ram, prefix="legcoach-fuzz-") as name:
            yield Path(name)
    else:
        yield tmp_path_factory.mktemp("fuzz")


LIBRARY: ExerciseLibrary = load_library(builtin_exercises_dir())
"""Module-wide, not a fixture: hypothesis would print its 30 kB repr with every failure."""


def fresh(folder: Path) -> Path:
    path = folder / uuid.uuid4().hex
    path.mkdir()
    return path


# --- what a damaged file can hold ----------------------------------------------------------

surrogates = st.sampled_from(["\ud800", "a\udfff", "\udc80b"])
json_text = st.text(max_size=10) | surrogates
json_scalars = (st.none() | st.booleans() | st.integers() | st.floats() | json_text
                | st.sampled_from([10**30, -1, 0, 1.5, "", "Z"]))
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=6,
)


def damaged(valid: dict[str, Any], extra: st.SearchStrategy[Any] = json_values
            ) -> st.SearchStrategy[dict[str, Any]]:
    """`valid` with some keys dropped, replaced by junk, or added."""
    return st.builds(lambda drop, junk: apply_damage(valid, drop, junk),
                     *damage(sorted(valid), extra))


def damage(keys: list[str], extra: st.SearchStrategy[Any]
           ) -> tuple[st.SearchStrategy[list[str]], st.SearchStrategy[dict[str, Any]]]:
    """(keys to drop, keys to set to junk): built once per document kind, as building and
    validating a strategy per example costs more than the example."""
    return (st.lists(st.sampled_from(keys), max_size=2),
            st.dictionaries(st.sampled_from(keys) | st.text(max_size=6), extra, max_size=3))


def apply_damage(valid: dict[str, Any], drop: list[str], junk: dict[str, Any]
                 ) -> dict[str, Any]:
    return {key: value for key, value in valid.items() if key not in drop} | junk


# --- set records -----------------------------------------------------------------------------

ZONES = (UTC, timezone(timedelta(hours=-7)), timezone(timedelta(hours=5, minutes=45)))
EPOCH = datetime(1970, 1, 2, tzinfo=UTC)
moments = st.builds(lambda micros, zone: (EPOCH + timedelta(microseconds=micros)).astimezone(
    ZONES[zone]), st.integers(0, 7_000_000_000_000_000), st.integers(0, 2))
"""Aware times from 1970 to 2191 in three zones (two draws: st.datetimes costs far more)."""

SET_CHOICES = list(itertools.product(
    Side, (None, *FootHeight), (None, *FootWidth), SetType, (None, "3-1-2-0", "X-0-X-0.25"),
    ((None, None), (8.5, None), (None, 2)), ("leg-press", "x"), (None, "s1")))
"""Every combination of the record's choice fields: drawn at once, one draw per record."""


@st.composite
def set_records(draw: st.DrawFn) -> SetRecord:
    unit = draw(st.sampled_from(LoadUnit))
    hundredths = draw(st.integers(0, 100_000 if unit is LoadUnit.KG else 220_000))
    side, height, width, set_type, tempo, (rpe, rir), exercise, session = draw(
        st.sampled_from(SET_CHOICES))
    created = draw(moments)
    return SetRecord(
        exercise_id=exercise, session_id=session, performed_at=created, unit=unit,
        entered_load=str(Decimal(hundredths) / 100), reps=draw(st.integers(0, 100)),
        side=side, foot_height=height, foot_width=width, tempo=tempo,
        tut_seconds=draw(st.none() | st.floats(0, 3600)), rpe=rpe, rir=rir, set_type=set_type,
        note=draw(st.text(max_size=30) | st.text(st.characters(categories=["Cc"]), max_size=3)
                  | st.just("💪" * 1000)),
        created_at=created, updated_at=created + timedelta(seconds=draw(st.integers(0, 10**6))),
    )


SET_DAMAGE = st.tuples(*damage(
    [*SetRecord.__dataclass_fields__, "v"], json_values | st.sampled_from(
        ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00", "2026-01-01T00:00:00",
         "2026-01-01T00:00:00Z", 2, 10**400, "100,5", "lb", "\ud800"])))


@fuzz
@given(set_records(), st.data())
def test_a_stored_set_reads_back_exactly_or_raises_a_value_error(
    folder: Path, record: SetRecord, data: st.DataObject
) -> None:
    stored = record.to_dict()
    assert SetRecord.from_dict(rewritten(stored)) == record
    if data.draw(st.integers(0, 9), label="to disk") == 0:  # the whole store: costlier
        with TinyDBSetStore(fresh(folder)) as store:
            store.add(record)
        with TinyDBSetStore(store.folder.parent) as again:
            assert again.get(record.id) == record and again.count() == 1
    broken = apply_damage(stored, *data.draw(SET_DAMAGE, label="damage"))
    read, error = attempt((ValueError, NewerSchemaError), lambda: SetRecord.from_dict(broken))
    if error is not None:
        assert str(error).strip()
    else:
        assert read is not None and SetRecord.from_dict(rewritten(read.to_dict())) == read


@fuzz
@given(json_values)
@example({"v": 1})
@example({"v": 2, "id": "x"})
def test_migrate_takes_any_json_and_raises_only_value_or_newer_schema_errors(raw: Any) -> None:
    upgraded, error = attempt((ValueError, NewerSchemaError), lambda: migrate(raw))
    if error is None:
        assert upgraded is not None and upgraded["v"] == 1 and upgraded is not raw
    record, error = attempt((ValueError, NewerSchemaError), lambda: SetRecord.from_dict(raw))
    assert error is not None or record is not None


# --- routine books ---------------------------------------------------------------------------

ITEM_CHOICES = list(itertools.product(
    ("leg-press", "leg-press-45", "single-leg-press", "gone-exercise"),
    ("3-1-2-0", "X-0-X-0", "2.5-0.25-1-20"), (False, True)))


def _item(packed: int, choice: tuple[str, str, bool]) -> RoutineItem:
    """One integer unpacked into sets, rep range and rest: one draw instead of four."""
    packed, sets = divmod(packed, 10)
    packed, low = divmod(packed, 100)
    rest, spread = divmod(packed, 21)
    exercise, tempo, per_side = choice
    return RoutineItem(exercise, sets + 1, (low + 1, min(100, low + 1 + spread)), tempo,
                       15 + rest % 886, per_side)


routine_items = st.builds(_item, st.integers(0, 10 * 100 * 21 * 886 - 1),
                          st.sampled_from(ITEM_CHOICES))
routine_names = (st.text(min_size=1, max_size=40) | st.sampled_from(["Leg day 2", "x" * 40])
                 ).map(str.strip).filter(
    lambda name: bool(name) and not any(c in name for c in "\x85\u2028\u2029")
    and all(ord(c) >= 32 and not 127 <= ord(c) < 160 for c in name))
routines = st.builds(
    lambda ident, name, items, times: Routine(f"{ident:032x}", name,
                                              (tuple(items) * times)[:20]),
    st.integers(0, 2**128 - 1), routine_names, st.lists(routine_items, min_size=1, max_size=3),
    st.sampled_from([1, 1, 1, 7]))


book_contents = st.lists(routines, max_size=4, unique_by=lambda r: r.id)


@fuzz
@given(book_contents, st.integers(0, 9))
def test_a_routine_book_reads_back_exactly(
    folder: Path, found: list[Routine], disk: int
) -> None:
    book = RoutineBook(LIBRARY, found)
    stored = book.to_dict()
    again = RoutineBook.from_dict(rewritten(stored), LIBRARY)
    assert again.routines == book.routines and again.to_dict() == stored
    if disk == 0:  # the real store: costlier, so one example in ten
        store = JsonDocumentStore(fresh(folder))
        store.save("routines", stored)
        opened = RoutineBook.open(store, LIBRARY)
        assert opened.routines == book.routines and opened.problems() == book.problems()


VALID_ITEM = RoutineItem("leg-press", 3, (8, 12), "3-1-2-0", 90).to_dict()
VALID_ROUTINE = {"id": "0123456789abcdef0123456789abcdef", "name": "Push", "items": [VALID_ITEM]}
item_junk = json_values | st.sampled_from(
    [0, 11, 14, 901, [12, 8], [8], [0, 5], "3-1-2-0 ", "3-1-2", "leg-press\n", "Leg-Press",
     True, 1.0, "\ud800", "BUILTIN", "0123456789abcdef0123456789abcdef", "a\u2028b"])
damaged_books = st.one_of(
    json_values,
    damaged({"v": 1, "routines": []}),
    st.lists(damaged(VALID_ROUTINE, item_junk) | json_values, max_size=3).map(
        lambda found: {"v": 1, "routines": found}),
    st.lists(damaged(VALID_ITEM, item_junk) | json_values, max_size=3).map(
        lambda items: {"v": 1, "routines": [VALID_ROUTINE | {"items": items}]}),
)


@fuzz
@given(damaged_books)
@example({"v": 1, "routines": [VALID_ROUTINE | {"name": "a\ud800"}]})  # kept aside as text
@example({"v": 1, "routines": [VALID_ROUTINE, VALID_ROUTINE]})
@example({"v": 1, "routines": [VALID_ROUTINE | {"items": [VALID_ITEM | {"sets": math.nan}]}]})
def test_a_damaged_routine_book_is_a_routine_error_and_is_kept_aside(
    folder: Path, raw: Any
) -> None:
    read, error = attempt((RoutineError, NewerDocumentError),
                          lambda: RoutineBook.from_dict(raw, LIBRARY))
    if isinstance(error, RoutineError):
        assert error.errors and all(isinstance(m, str) and m for m in error.errors.values())
        assert all(isinstance(key, str) for key in error.errors)
        store = JsonDocumentStore(fresh(folder))
        # As a hand-edited file: NaN and "\ud800" escapes are what json.loads reads back.
        (store.folder / "routines.json").write_text(json.dumps(raw), encoding="ascii")
        opened = RoutineBook.open(store, LIBRARY, now=lambda: NOW)
        if not isinstance(raw, dict) or not savable(raw):  # the store sets the file aside
            assert opened.problems() == [] and len(store.problems()) == 1
            return
        assert [r.builtin for r in opened.routines] == [True] and len(opened.problems()) == 1
        kept = store.load("routines-unreadable-20261122t090000z")
        assert kept == raw or json.loads(kept["unsavable_json"]) == json.loads(json.dumps(raw))
    elif read is not None:
        assert RoutineBook.from_dict(rewritten(read.to_dict()), LIBRARY).routines == (
            read.routines)


# --- exercise files --------------------------------------------------------------------------

SLUG = st.lists(st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789"), min_size=1,
                        max_size=8), min_size=1, max_size=4).map("-".join)
"""Exercise ids, like "leg-press-45" (from_regex would cost more per draw)."""


def text(limit: int) -> st.SearchStrategy[str]:
    """Text a file may hold for a field of at most `limit` characters (already stripped)."""
    return (st.text(max_size=min(limit, 12)) | long_text(limit, limit)).map(
        lambda value: value.strip()[:limit].strip()).filter(bool)


def texts(limit: int, low: int, high: int) -> st.SearchStrategy[list[str]]:
    return st.lists(text(limit), min_size=low, max_size=min(high, low + 2)) | st.builds(
        lambda: ["x" * limit] * high)


def number_pair(low: int, high: int) -> st.SearchStrategy[list[int]]:
    return st.tuples(st.integers(low, high), st.integers(low, high)).map(sorted)


def steps(low: int, high: int) -> st.SearchStrategy[list[dict[str, str]]]:
    return st.lists(st.fixed_dictionaries({"title": text(32), "text": text(220)}),
                    min_size=low, max_size=min(high, low + 1))


BASE_EXERCISE: dict[str, Any] = {
    "schema": 1, "id": "calf-press", "name": "Calf Press", "summary": "Calf raises.",
    "equipment": "Machine", "primary_muscles": ["Calves"], "difficulty": "beginner",
    "one_sided": True, "cues": ["Stretch", "Pause", "Knees soft"], "safety": ["Catches set."],
    "about": "About.", "machine": "Any sled.", "secondary_muscles": ["Soleus"],
    "video": "tztHvSLdXLA",
    "movement": {"starts_with": "eccentric", "eccentric": "Lower", "concentric": "Rise",
                 "tempo": "2-1-1-1", "lead_in_cue": "Release", "end_cue": "Lock",
                 "switch_cue": "Switch"},
    "breathing": {"eccentric": "inhale", "bottom": "hold", "concentric": "exhale",
                  "top": "breathe", "summary": "In, then out."},
    "guidance": {"rep_range": [12, 20], "load": "Light.", "sets": [2, 3],
                 "progression": "Add reps.", "frequency": "Twice a week.",
                 "notes": ["A note."], "relative_to": "leg-press", "relative_load": [0.5, 0.7]},
    "setup": [{"title": "Sit", "text": "Back on the pad."}, {"title": "Feet", "text": "Low."}],
    "execution": [{"title": "Lower", "text": "Heels drop."}, {"title": "Press", "text": "Up."},
                  {"title": "Pause", "text": "Hold."}],
    "mistakes": [{"name": "Bouncing", "why": "Tendon.", "fix": "Pause."},
                 {"name": "Bent knees", "why": "Less calf.", "fix": "Straighten."}],
    "variations": [{"name": "Toes out", "height": "low", "width": "wide", "emphasis": "Inner",
                    "detail": "Turn out."}],
    "faq": [{"question": "Shoes?", "answer": "Flat ones."}],
}
"""A valid file using every field; each example redraws a few of them."""
OPTIONAL = ("about", "machine", "secondary_muscles", "video", "variations", "faq",
            "movement.switch_cue", "guidance.sets", "guidance.progression",
            "guidance.frequency", "guidance.notes", "guidance.relative")

FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "name": text(40), "summary": text(400), "equipment": text(30),
    "primary_muscles": texts(30, 1, 6), "cues": texts(32, 3, 8), "safety": texts(200, 1, 12),
    "difficulty": st.sampled_from([d.value for d in Difficulty]),
    "about": text(1200), "machine": text(60), "secondary_muscles": texts(30, 0, 8),
    "video": st.text(st.sampled_from("abcXYZ019_-"), min_size=6, max_size=20),
    "movement.starts_with": st.sampled_from(["eccentric", "concentric"]),
    "movement.eccentric": text(10), "movement.concentric": text(10),
    "movement.tempo": st.sampled_from(["3-1-2-0", "2-0-x-1", " 1.5 - 0 - X - 0.25 "]),
    "movement.lead_in_cue": text(40), "movement.end_cue": text(40),
    "movement.switch_cue": text(40),
    **{f"breathing.{phase}": st.sampled_from([b.value for b in Breath])
       for phase in ("eccentric", "bottom", "concentric", "top")},
    "breathing.summary": text(200),
    "guidance.rep_range": number_pair(1, 100), "guidance.load": text(400),
    "guidance.sets": number_pair(1, 20), "guidance.progression": text(400),
    "guidance.frequency": text(400), "guidance.notes": texts(300, 0, 3),
    "guidance.relative_to": SLUG,
    "guidance.relative_load": st.integers(5, 200).flatmap(
        lambda low: st.integers(low, 200).map(lambda high: [low / 100, high / 100])),
    "setup": steps(2, 6), "execution": steps(3, 7),
    "mistakes": st.lists(st.fixed_dictionaries(
        {"name": text(48), "why": text(300), "fix": text(300)}), min_size=2, max_size=3),
    "variations": st.lists(st.fixed_dictionaries({
        "name": text(40), "height": st.sampled_from([h.value for h in FootHeight]),
        "width": st.sampled_from([w.value for w in FootWidth]), "emphasis": text(80),
        "detail": text(300)}), max_size=2),
    "faq": st.lists(st.fixed_dictionaries({"question": text(160), "answer": text(500)}),
                    max_size=2),
}


@st.composite
def exercise_tables(draw: st.DrawFn) -> dict[str, Any]:
    """A valid exercise file's TOML data: the base with a few fields redrawn or left out."""
    data = json.loads(json.dumps(BASE_EXERCISE))
    data["id"] = draw(SLUG)
    data["one_sided"] = draw(st.booleans())
    for path in draw(st.lists(st.sampled_from(sorted(FIELDS)), max_size=4, unique=True)):
        table, _, key = path.rpartition(".")
        (data[table] if table else data)[key] = draw(FIELDS[path], label=path)
    for path in draw(st.lists(st.sampled_from(OPTIONAL), max_size=3, unique=True)):
        table, _, key = path.rpartition(".")
        if path == "guidance.relative":
            del data["guidance"]["relative_to"], data["guidance"]["relative_load"]
        elif not (path == "movement.switch_cue" and data["one_sided"]):
            del (data[table] if table else data)[key]
    return data


def expected_exercise(data: dict[str, Any]) -> Exercise:
    """What the loader must build from `data`: the same values, typed."""
    m, b, g = data["movement"], data["breathing"], data["guidance"]
    return Exercise(
        id=data["id"], name=data["name"], summary=data["summary"],
        equipment=data["equipment"], primary_muscles=tuple(data["primary_muscles"]),
        difficulty=Difficulty(data["difficulty"]), one_sided=data["one_sided"],
        cues=tuple(data["cues"]), safety=tuple(data["safety"]),
        movement=Movement(m["starts_with"], m["eccentric"], m["concentric"],
                          {"2-0-x-1": "2-0-X-1", " 1.5 - 0 - X - 0.25 ": "1.5-0-X-0.25"}.get(
                              m["tempo"], m["tempo"]),
                          m["lead_in_cue"], m["end_cue"], m.get("switch_cue", "")),
        breathing=Breathing(Breath(b["eccentric"]), Breath(b["bottom"]),
                            Breath(b["concentric"]), Breath(b["top"]), b["summary"]),
        guidance=Guidance(
            rep_range=tuple(g["rep_range"]), load=g["load"],
            sets=tuple(g["sets"]) if "sets" in g else None,
            progression=g.get("progression", ""), frequency=g.get("frequency", ""),
            notes=tuple(g.get("notes", ())), relative_to=g.get("relative_to"),
            relative_load=tuple(g["relative_load"]) if "relative_load" in g else None),
        setup=tuple(Step(**s) for s in data["setup"]),
        execution=tuple(Step(**s) for s in data["execution"]),
        mistakes=tuple(Mistake(**x) for x in data["mistakes"]),
        variations=tuple(Variation(name=v["name"], height=FootHeight(v["height"]),
                                   width=FootWidth(v["width"]), emphasis=v["emphasis"],
                                   detail=v["detail"]) for v in data.get("variations", ())),
        faq=tuple(Faq(**f) for f in data.get("faq", ())),
        secondary_muscles=tuple(data.get("secondary_muscles", ())),
        about=data.get("about", ""), machine=data.get("machine", ""),
        video=data.get("video", ""),
    )


# A tiny TOML writer: enough for the values tomllib reads back (no third-party writer needed).
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _toml_string(value: str) -> str:
    escaped = []
    for char in value:
        if char in '"\\':
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _toml_string(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else "inf" if value == math.inf else (
            "-inf" if value == -math.inf else repr(value))
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()
                               ) + "}"
    raise TypeError(f"not a TOML value: {value!r}")


def to_toml(data: dict[str, Any]) -> str:
    """Key/values first, then [tables] and [[arrays of tables]], like the real files."""
    lines, tables = [], []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append(f"\n[{_toml_key(key)}]")
            tables.extend(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for entry in value:
                tables.append(f"\n[[{_toml_key(key)}]]")
                tables.extend(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in entry.items())
        else:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    return "\n".join(lines + tables) + "\n"


toml_scalars = (st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats()
                | st.text(max_size=12) | st.datetimes(timezones=st.none() | st.just(UTC))
                | st.dates() | st.times())
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=4,
)


def leaves(data: Any, path: str = "") -> list[tuple[str, Any]]:
    """(path as the loader names it, value) for every table, list and value in `data`."""
    found = [(path, data)] if path else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += leaves(value, f"{path}.{key}" if path else key)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += leaves(value, f"{path}[{index}]")
    return found


def replace_at(data: Any, path: str, change: Callable[[Any, Any], None]) -> None:
    """Call change(container, key) for the container holding `path`."""
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    for part in parts[:-1]:
        data = data[int(part[1:-1])] if part.startswith("[") else data[part]
    last = parts[-1]
    change(data, int(last[1:-1]) if last.startswith("[") else last)


ANY_INDEX = st.integers(0, 10**6)
HOW = st.sampled_from(["replace", "delete", "add"])
EXTRA_KEY = st.text(min_size=1, max_size=6)
# Fields whose check involves another one: an error may be reported at the partner.
PARTNERS = {"one_sided": "movement.switch_cue", "guidance.relative_to": "guidance.relative_load",
            "guidance.relative_load": "guidance.relative_to"}


@fuzz
@given(exercise_tables(), st.data())
def test_an_exercise_file_loads_back_exactly_and_a_broken_one_names_file_field_and_problem(
    folder: Path, data: dict[str, Any], draw: st.DataObject
) -> None:
    """One valid file, then the same file with one thing broken (one test: half the cost)."""
    path = fresh(folder) / f"{data['id']}.toml"
    path.write_text(to_toml(data), encoding="utf-8")
    loaded = load_exercise_file(path, builtin=False)
    assert loaded == expected_exercise(data)
    assert parse_exercise(path, data, builtin=False) == loaded

    data = json.loads(json.dumps(data))  # break a copy: drawn values may be shared
    paths = leaves(data)
    where, _ = paths[draw.draw(ANY_INDEX, label="where") % len(paths)]
    how = draw.draw(HOW, label="how")
    junk = draw.draw(toml_values, label="junk")
    extra = draw.draw(EXTRA_KEY, label="extra key")

    def change(container: Any, key: Any) -> None:
        if how == "replace" or isinstance(container, list):
            container[key] = junk
        elif how == "delete":
            del container[key]
        elif isinstance(container[key], dict):
            container[key][extra] = junk
        else:
            container[extra] = junk

    replace_at(data, where, change)
    name = f"{data.get('id') if isinstance(data.get('id'), str) else 'x'}.toml"
    path = fresh(folder) / (name if re.fullmatch(r"[a-z0-9-]+\.toml", name) else "x.toml")
    path.write_text(to_toml(data), encoding="utf-8")
    loaded, error = attempt(ExerciseFileError, lambda: load_exercise_file(path, builtin=False))
    if error is None:
        assert loaded is not None and loaded.id == path.stem
        return
    assert error.path == path and error.problem.strip() and str(error).startswith(path.name)
    if where in ("id", "schema") or (where.split(".")[0] == "id"):
        return  # a bad id is reported under id whatever else is wrong
    table = where.rsplit(".", 1)[0] if "." in where else ""
    assert (error.where == where or error.where.startswith((where + ".", where + "["))
            or error.where == PARTNERS.get(where)
            or where.startswith(error.where + "[")  # a list item: its list is checked whole
            or (how == "add" and error.where.startswith(table))), (where, how, error)


@fuzz
@given(st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300),
    st.lists(st.sampled_from(["schema = 1", 'id = "x"', "[movement]", "[[setup]]", "a = [",
                              "]", '"', "tempo = 3-1-2-0", "x = 1979-05-27", "= 1",
                              "[movement.deep]", "rep_range = [8, 15]"]),
             max_size=12).map("\n".join),
))
@example(b"a = " + b"1" * 5000)  # an integer Python refuses to read
@example(b"a = " + b"[" * 5000 + b"]" * 5000)  # deeper than Python's stack
@example(b"\xef\xbb\xbfschema = 1")  # a byte-order mark
def test_any_bytes_as_an_exercise_file_give_an_exercise_file_error(
    folder: Path, content: bytes | str
) -> None:
    user = fresh(folder)
    path = user / "x.toml"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    loaded, error = attempt(ExerciseFileError, lambda: load_exercise_file(path, builtin=False))
    assert loaded is None and error is not None  # no random file is a whole exercise
    assert error.path == path and error.problem.strip()


TOP_KEYS = st.sampled_from(sorted(BASE_EXERCISE)) | st.text(max_size=6)
TABLE_KEYS = st.sampled_from(sorted({key for table in ("movement", "breathing", "guidance")
                                     for key in BASE_EXERCISE[table]})) | st.text(max_size=6)


@fuzz
@given(st.dictionaries(TOP_KEYS, toml_values, max_size=3),
       st.sampled_from(["movement", "breathing", "guidance"]),
       st.dictionaries(TABLE_KEYS, toml_values, max_size=3))
def test_any_toml_structure_gives_an_exercise_or_an_exercise_file_error(
    top: dict[str, Any], table: str, inner: dict[str, Any]
) -> None:
    """Any values in place of the fields of a valid file, at the top and in a table: the
    first one that breaks a rule is named, nothing else escapes."""
    data = json.loads(json.dumps(BASE_EXERCISE))
    data[table].update(inner)
    data.update(top)
    path = Path("calf-press.toml")
    loaded, error = attempt(ExerciseFileError, lambda: parse_exercise(path, data, builtin=False))
    if error is None:
        assert loaded is not None and loaded.id == "calf-press"
        return
    assert error.problem.strip() and error.path == path
    named = {*top, *(f"{table}.{key}" for key in inner), "movement.switch_cue",
             "guidance.relative_to", "guidance.relative_load"}
    assert any(error.where == key or error.where.startswith((f"{key}.", f"{key}["))
               for key in named), (error, named)


# --- settings, machine memory and the session in progress ------------------------------------

setting_keys = st.sampled_from([s.key for s in DECLARATIONS])
setting_junk = json_values | st.sampled_from(
    [1e-7, 15, 900, 901, 0.25, "lb", "high_contrast", [20, 20, 1.25], {"leg-press": 40},
     {"Leg Press": 40}, {"leg-press": -1, "leg-press-45": 50}, list(range(20))])


@fuzz
@given(st.dictionaries(setting_keys | st.text(max_size=8), setting_junk, max_size=6),
       st.sampled_from([0, 1, 1, 1, 2, -1, "1", None, True]), st.booleans())
@example({"machines.gym_name": "a\ud800"}, 1, False)
def test_any_settings_document_opens_and_what_is_kept_saves_and_reopens_the_same(
    folder: Path, values: dict[str, Any], version: Any, to_disk: bool
) -> None:
    raw = {**values, "v": version}
    settings_ = Settings.from_dict(raw)
    assert all(isinstance(p, str) and p.strip() for p in settings_.problems)
    for setting in DECLARATIONS:
        assert setting.check(settings_.get(setting)) == settings_.get(setting)
    again = Settings.from_dict(rewritten(settings_.to_dict()))
    assert again.problems == [] and again.to_dict() == settings_.to_dict()
    if to_disk:
        store = JsonDocumentStore(fresh(folder))
        # Written like a hand-edited file: "\ud800" escapes and NaN are what json reads back.
        (store.folder / "settings.json").write_text(json.dumps(raw), encoding="ascii")
        opened = open_settings(store, now=lambda: NOW)
        reopened = open_settings(store, now=lambda: NOW)
        if not opened.read_only:
            assert reopened.problems == [] and reopened.to_dict() == opened.to_dict()


def valid_values(setting: Setting[Any]) -> st.SearchStrategy[Any]:
    """Values within a declaration's rules, drawn for its kind."""
    low, high = setting.minimum, setting.maximum
    return {
        Kind.CHOICE: st.sampled_from(setting.choice_values()) if setting.choices else st.none(),
        Kind.BOOL: st.booleans(),
        Kind.INT: st.integers(int(low or 0), int(high or 0)),
        Kind.NUMBER: st.floats(low, high),
        Kind.TEXT: st.text(max_size=setting.max_length or 40),
        Kind.LOAD_MAP: st.dictionaries(SLUG, st.floats(low, high), max_size=4),
        Kind.LOAD_LIST: st.lists(st.floats(low, high), min_size=1,
                                 max_size=setting.max_items or 12),
    }[setting.kind]


VALID_SETTINGS = st.lists(st.one_of(*(st.tuples(st.just(s), valid_values(s))
                                      for s in DECLARATIONS)), max_size=5)


@fuzz
@given(st.data())
def test_settings_set_to_any_valid_values_round_trip_exactly(
    folder: Path, data: st.DataObject
) -> None:
    settings_ = Settings()
    for setting, value in data.draw(VALID_SETTINGS):
        settings_.set(setting, value)
    store = JsonDocumentStore(fresh(folder))
    if data.draw(st.integers(0, 4), label="to disk") == 0:
        from legcoach.core.settings import save_settings

        save_settings(store, settings_)
        again = open_settings(store)
    else:
        again = Settings.from_dict(rewritten(settings_.to_dict()))
    assert again.problems == [] and not again.read_only
    assert again.to_dict() == settings_.to_dict() == rewritten(settings_.to_dict())
    for setting in DECLARATIONS:
        assert again.get(setting) == settings_.get(setting)
    assert settings_.to_dict()["v"] == SCHEMA_VERSION


memory_texts = (st.text(max_size=12) | long_text(38, 45) | surrogates
                | st.text(st.sampled_from(" \t\nab"), max_size=9))
machine_entries = st.builds(
    MachineSettings, exercise_id=st.sampled_from(["leg-press", "leg-press-45"]),
    updated_at=moments, gym=memory_texts, seat=memory_texts, backrest=memory_texts,
    safety_stop=memory_texts, foot_height=st.none() | st.sampled_from(FootHeight),
    foot_width=st.none() | st.sampled_from(FootWidth))
memory_entry_junk = st.fixed_dictionaries({}, optional={
    "exercise_id": json_values | st.just("leg-press"), "gym": json_values,
    "seat": json_values, "backrest": json_values, "safety_stop": json_values,
    "foot_height": json_values | st.sampled_from(["low", "HIGH"]),
    "foot_width": json_values | st.sampled_from(["wide"]),
    "updated_at": json_values | st.sampled_from(["2026-11-22T09:00:00Z",
                                                 "0001-01-01T00:00:00+01:00"]),
}) | json_values


@fuzz
@given(st.lists(machine_entries, max_size=3), st.lists(memory_entry_junk, max_size=2),
       st.sampled_from(["entries", "whole"]), json_values)
@example([MachineSettings("leg-press", NOW, seat="5 \ud800")], [], "entries", None)
def test_machine_memory_keeps_what_it_can_and_always_saves(
    entries: list[MachineSettings], junk: list[Any], how: str, whole: Any
) -> None:
    memory = MachineMemory()
    for entry in entries:
        memory.remember(entry)
    stored = rewritten(memory.to_dict())  # whatever was typed can be saved
    assert MachineMemory.from_dict(stored).to_dict() == stored
    raw: Any = {"v": 1, "entries": [*stored["entries"], *junk]} if how == "entries" else whole
    loaded = MachineMemory.from_dict(raw if isinstance(raw, dict) else None)
    assert rewritten(loaded.to_dict()) == loaded.to_dict()
    if how == "entries":  # junk next to good entries costs none of them
        for entry in stored["entries"]:
            assert loaded.get(entry["exercise_id"], entry["gym"]) is not None


LATER = st.sampled_from([(None, None), (1, None), (None, 1), (1, 2)])
LOGGED = st.lists(st.sampled_from(["a" * 32, "b" * 32, "c"]), max_size=3)
PENDING = st.none() | st.builds(
    PendingSet, reps=st.sampled_from([{}, {Side.BOTH: 10}, {Side.LEFT: 9, Side.RIGHT: 100}]),
    tut_seconds=st.floats(0, 3600), tempo=st.just("3-1-2-0"))


@st.composite
def sessions(draw: st.DrawFn) -> WorkoutSession:
    items = tuple(draw(st.lists(routine_items, min_size=1, max_size=3)))
    index = draw(st.integers(0, len(items) - 1))
    started = draw(moments)
    later = draw(LATER)
    return WorkoutSession(
        routine_name=draw(routine_names), items=items, started_at=started,
        routine_id=draw(st.sampled_from([None, BUILTIN_ID])), gym=draw(st.text(max_size=20)),
        item_index=index, set_number=draw(st.integers(1, items[index].sets)),
        stage=draw(st.sampled_from(Stage)),
        logged=tuple(draw(LOGGED)), pending=draw(PENDING),
        rest_ends_at=None if later[0] is None else started + timedelta(minutes=later[0]),
        finished_at=None if later[1] is None else started + timedelta(hours=later[1]))


session_junk = json_values | st.sampled_from(
    [0, -1, 99, "set", "warm-up", "2026-11-22T09:00:00Z", "0001-01-01T00:00:00+01:00",
     [{"exercise_id": "leg-press", "sets": 3, "rep_range": [8, 12], "tempo": "3-1-2-0",
       "rest_seconds": 90, "per_side": False}], {"reps": {"left": 1e400}}, "a\ud800"])
SESSION_DAMAGE = st.tuples(*damage(
    sorted(WorkoutSession("x", (RoutineItem("leg-press", 3, (8, 12), "3-1-2-0", 90),),
                          NOW).to_dict()), session_junk))


@fuzz
@given(sessions(), st.data())
@example(None, None)
def test_a_saved_session_reads_back_exactly_and_damage_is_a_session_error(
    folder: Path, session: WorkoutSession | None, data: st.DataObject | None
) -> None:
    if session is None:  # the regression example: a name JSON read from a "\ud800" escape
        session = WorkoutSession("Leg day", (RoutineItem("leg-press", 3, (8, 12), "3-1-2-0",
                                                         90),), NOW)
        raw = session.to_dict() | {"gym": "a\ud800"}
    else:
        stored = session.to_dict()
        assert WorkoutSession.from_dict(rewritten(stored)) == session
        assert data is not None
        if data.draw(st.integers(0, 9), label="to disk") == 0:
            store = JsonDocumentStore(fresh(folder))
            store.save("session", stored)
            assert WorkoutSession.from_dict(store.load("session") or {}) == session
        raw = apply_damage(stored, *data.draw(SESSION_DAMAGE, label="damage"))
    read, error = attempt(SessionError, lambda: WorkoutSession.from_dict(raw))
    if error is not None:
        assert str(error).strip()
        return
    assert read is not None
    assert WorkoutSession.from_dict(rewritten(read.to_dict())) == read  # it can be saved again
    if read.pending is not None:
        assert math.isfinite(read.pending.tut_seconds)


def savable(raw: Any) -> bool:
    """Whether the strict writer could write `raw` back (no NaN, no lone surrogates)."""
    try:
        dumps_json(raw)
    except ValueError:  # UnicodeEncodeError is one
        return False
    return True


@pytest.mark.parametrize("junk", [math.nan, "a\ud800"], ids=["nan", "lone-surrogate"])
def test_start_up_survives_documents_the_strict_writer_refuses(tmp_path: Path, junk: Any
                                                                ) -> None:
    """Regression: a hand-edited file with NaN or a "\\ud800" escape made setting it aside
    raise ValueError/UnicodeEncodeError (not OSError), so the app could not start. Such a
    file is now damage the store finds on reading: renamed aside whole, and said."""
    from legcoach.core.setstore import InMemorySetStore
    from legcoach.core.undo import SetLogEditor
    from legcoach.core.workspace import Workspace

    folder = tmp_path / "documents"
    folder.mkdir()
    session = WorkoutSession("Leg day", (RoutineItem("leg-press", 3, (8, 12), "3-1-2-0", 90),),
                             NOW).to_dict()
    files = {
        "routines": {"v": 1, "routines": [VALID_ROUTINE | {"name": junk}]},
        "settings": {"v": 1, "sound.volume": junk, "machines.gym_name": junk},
        "active_session": session | {"pending": {"reps": {}, "tut_seconds": junk,
                                                 "tempo": "3-1-2-0"}, "gym": junk},
        "machine_settings": {"v": 1, "entries": [{"exercise_id": "leg-press", "seat": junk,
                                                  "updated_at": "2026-11-22T09:00:00Z"}]},
    }
    for name, raw in files.items():
        (folder / f"{name}.json").write_text(json.dumps(raw), encoding="ascii")
    store = JsonDocumentStore(folder)
    workspace = Workspace(library=LIBRARY, sets=SetLogEditor(InMemorySetStore(), now=lambda: NOW),
                          documents=store, now=lambda: NOW)
    assert workspace.load_session() is None
    assert len(store.problems()) == len(files)
    workspace.save_settings()
    workspace.save_machines()
    for name, raw in files.items():
        (kept,) = folder.glob(f"{name}.corrupt-*.json")
        assert kept.read_text("ascii") == json.dumps(raw)  # kept whole, byte for byte
