"""Load and validate exercise files (TOML, schema 1) into `Exercise` objects.

Every problem is reported with the file, the field path and what is wrong, because users write
these files by hand. Built-in files must be perfect (a test loads them); a broken user file is
skipped and reported so the app still starts.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

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
from legcoach.core.setplan import Breath

SCHEMA_VERSION = 1
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")

T = TypeVar("T")
E = TypeVar("E")


class ExerciseFileError(ValueError):
    """A problem in one exercise file, located precisely enough to fix by hand."""

    def __init__(self, path: Path | str, where: str, problem: str) -> None:
        self.path = Path(path)
        self.where = where
        self.problem = problem
        location = f"{self.path.name}: {where}" if where else self.path.name
        super().__init__(f"{location}: {problem}")


# --- small typed readers over a TOML table; each raises with the field's full path ----------


class _Table:
    """A TOML table being read: remembers its path and which keys were consumed."""

    def __init__(self, path: Path, data: Mapping[str, Any], where: str = "") -> None:
        self.path = path
        self.data = data
        self.where = where
        self.used: set[str] = set()

    def _name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def fail(self, key: str, problem: str) -> ExerciseFileError:
        return ExerciseFileError(self.path, self._name(key), problem)

    def _get(self, key: str, required: bool) -> Any:
        self.used.add(key)
        if key not in self.data:
            if required:
                raise self.fail(key, "is required but missing")
            return None
        return self.data[key]

    def text(self, key: str, *, max_len: int, required: bool = True, default: str = "") -> str:
        value = self._get(key, required)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.fail(key, f"must be text, not {_kind(value)}")
        value = value.strip()
        if required and not value:
            raise self.fail(key, "must not be empty")
        if len(value) > max_len:
            raise self.fail(key, f"is {len(value)} characters long; the limit is {max_len}")
        return value

    def flag(self, key: str) -> bool:
        value = self._get(key, True)
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, not {_kind(value)}")
        return value

    def choice(self, key: str, enum: type[E], *, required: bool = True) -> E | None:
        value = self._get(key, required)
        if value is None:
            return None
        allowed = [member.value for member in enum]  # type: ignore[attr-defined]
        if value not in allowed:
            raise self.fail(key, f"must be one of {', '.join(allowed)}; got {value!r}")
        return enum(value)  # type: ignore[call-arg]

    def texts(
        self, key: str, *, max_len: int, required: bool = True, min_items: int = 0,
        max_items: int = 50,
    ) -> tuple[str, ...]:
        value = self._get(key, required)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(key, f"must be a list of texts, not {_kind(value)}")
        if not min_items <= len(value) <= max_items:
            raise self.fail(key, f"needs {min_items} to {max_items} items; it has {len(value)}")
        items = []
        for index, item in enumerate(value):
            name = f"{key}[{index}]"
            if not isinstance(item, str) or not item.strip():
                raise self.fail(name, "must be non-empty text")
            if len(item.strip()) > max_len:
                raise self.fail(name, f"is {len(item.strip())} characters; the limit is {max_len}")
            items.append(item.strip())
        return tuple(items)

    def number_pair(
        self, key: str, *, kind: type, low: float, high: float, required: bool = True
    ) -> tuple[Any, Any] | None:
        value = self._get(key, required)
        if value is None:
            return None
        numbers_ok = isinstance(value, list) and len(value) == 2 and all(
            isinstance(v, kind) and not isinstance(v, bool) for v in value
        )
        if kind is float and isinstance(value, list):
            numbers_ok = len(value) == 2 and all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in value
            )
        if not numbers_ok:
            what = "whole numbers" if kind is int else "numbers"
            raise self.fail(key, f"must be a pair of {what}, like [8, 15]")
        first, second = (kind(v) for v in value)
        if not (low <= first <= second <= high):
            raise self.fail(
                key, f"must be two values from {low:g} to {high:g}, the smaller first; got {value}"
            )
        return first, second

    def table(self, key: str, *, required: bool = True) -> _Table | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail(key, f"must be a table ([{self._name(key)}]), not {_kind(value)}")
        return _Table(self.path, value, self._name(key))

    def tables(
        self, key: str, *, required: bool = True, min_items: int = 0, max_items: int = 20
    ) -> list[_Table]:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, f"must be a list of tables ([[{self._name(key)}]])")
        if not min_items <= len(value) <= max_items:
            raise self.fail(key, f"needs {min_items} to {max_items} entries; it has {len(value)}")
        return [_Table(self.path, v, f"{self._name(key)}[{i}]") for i, v in enumerate(value)]

    def reject_unknown(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.fail(unknown[0], "is not a known field (see SCHEMA.md); check the spelling")


def _kind(value: object) -> str:
    return {
        str: "text", bool: "true/false", int: "a number", float: "a number", list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _each(tables: Iterable[_Table], build: Callable[[_Table], T]) -> tuple[T, ...]:
    items = []
    for table in tables:
        items.append(build(table))
        table.reject_unknown()
    return tuple(items)


def _step(table: _Table) -> Step:
    return Step(table.text("title", max_len=32), table.text("text", max_len=220))


def _mistake(table: _Table) -> Mistake:
    return Mistake(
        table.text("name", max_len=48), table.text("why", max_len=300),
        table.text("fix", max_len=300),
    )


def _variation(table: _Table) -> Variation:
    return Variation(
        name=table.text("name", max_len=40),
        height=table.choice("height", FootHeight),
        width=table.choice("width", FootWidth),
        emphasis=table.text("emphasis", max_len=80),
        detail=table.text("detail", max_len=300),
    )


def _faq(table: _Table) -> Faq:
    return Faq(table.text("question", max_len=160), table.text("answer", max_len=500))


def _movement(table: _Table, one_sided: bool) -> Movement:
    starts_with = table.text("starts_with", max_len=12)
    if starts_with not in ("eccentric", "concentric"):
        raise table.fail("starts_with", f"must be eccentric or concentric; got {starts_with!r}")
    movement = Movement(
        starts_with=starts_with,
        eccentric=table.text("eccentric", max_len=10),
        concentric=table.text("concentric", max_len=10),
        tempo=_tempo(table),
        lead_in_cue=table.text("lead_in_cue", max_len=40),
        end_cue=table.text("end_cue", max_len=40),
        switch_cue=table.text("switch_cue", max_len=40, required=one_sided),
    )
    return movement


def _tempo(table: _Table) -> str:
    """Validate the default tempo with the same parser the timer uses."""
    from legcoach.core.tempo import TempoError, parse_tempo

    raw = table.text("tempo", max_len=40)
    try:
        return str(parse_tempo(raw))
    except TempoError as error:
        raise table.fail("tempo", str(error)) from None


def _breathing(table: _Table) -> Breathing:
    return Breathing(
        eccentric=table.choice("eccentric", Breath),
        bottom=table.choice("bottom", Breath),
        concentric=table.choice("concentric", Breath),
        top=table.choice("top", Breath),
        summary=table.text("summary", max_len=200),
    )


def _guidance(table: _Table) -> Guidance:
    rep_range = table.number_pair("rep_range", kind=int, low=1, high=100)
    sets = table.number_pair("sets", kind=int, low=1, high=20, required=False)
    relative_to = table.text("relative_to", max_len=60, required=False) or None
    relative_load = table.number_pair(
        "relative_load", kind=float, low=0.05, high=2.0, required=False
    )
    if relative_to and relative_load is None:
        raise table.fail("relative_load", "is required when relative_to is set")
    if relative_load is not None and not relative_to:
        raise table.fail("relative_to", "is required when relative_load is set")
    if relative_to and not _SLUG.match(relative_to):
        raise table.fail("relative_to", "must be the id of another exercise, like leg-press")
    return Guidance(
        rep_range=rep_range,  # type: ignore[arg-type]
        load=table.text("load", max_len=400),
        sets=sets,
        progression=table.text("progression", max_len=400, required=False),
        frequency=table.text("frequency", max_len=400, required=False),
        notes=table.texts("notes", max_len=300, required=False),
        relative_to=relative_to,
        relative_load=relative_load,
    )


def _sub(root: _Table, key: str, build: Callable[[_Table], Any]) -> Any:
    table = root.table(key)
    assert table is not None  # required tables raise when missing
    value = build(table)
    table.reject_unknown()
    return value


def parse_exercise(path: Path, data: Mapping[str, Any], *, builtin: bool) -> Exercise:
    """Build an Exercise from already-parsed TOML, or raise ExerciseFileError."""
    root = _Table(path, data)
    schema = root._get("schema", True)
    if schema != SCHEMA_VERSION or isinstance(schema, bool):
        raise root.fail("schema", f"must be {SCHEMA_VERSION} (this app reads schema version 1)")
    exercise_id = root.text("id", max_len=60)
    if not _SLUG.match(exercise_id):
        raise root.fail("id", "must use lowercase letters, digits and dashes, like leg-press")
    if exercise_id != path.stem:
        raise root.fail("id", f"is {exercise_id!r} but the file is named {path.name!r}")
    one_sided = root.flag("one_sided")
    video = root.text("video", max_len=20, required=False)
    if video and not _VIDEO_ID.match(video):
        raise root.fail("video", "must be a YouTube video id, like tztHvSLdXLA")
    exercise = Exercise(
        id=exercise_id,
        name=root.text("name", max_len=40),
        summary=root.text("summary", max_len=400),
        about=root.text("about", max_len=1200, required=False),
        equipment=root.text("equipment", max_len=30),
        machine=root.text("machine", max_len=60, required=False),
        primary_muscles=root.texts("primary_muscles", max_len=30, min_items=1, max_items=6),
        secondary_muscles=root.texts("secondary_muscles", max_len=30, required=False, max_items=8),
        difficulty=root.choice("difficulty", Difficulty),
        one_sided=one_sided,
        video=video,
        cues=root.texts("cues", max_len=32, min_items=3, max_items=8),
        safety=root.texts("safety", max_len=200, min_items=1, max_items=12),
        movement=_sub(root, "movement", lambda t: _movement(t, one_sided)),
        breathing=_sub(root, "breathing", _breathing),
        guidance=_sub(root, "guidance", _guidance),
        setup=_each(root.tables("setup", min_items=2, max_items=6), _step),
        execution=_each(root.tables("execution", min_items=3, max_items=7), _step),
        mistakes=_each(root.tables("mistakes", min_items=2, max_items=10), _mistake),
        variations=_each(root.tables("variations", required=False, max_items=10), _variation),
        faq=_each(root.tables("faq", required=False, max_items=12), _faq),
        builtin=builtin,
    )
    root.reject_unknown()
    return exercise


def load_exercise_file(path: Path, *, builtin: bool = True) -> Exercise:
    """Read and validate one file; every failure is an ExerciseFileError naming the file."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ExerciseFileError(path, "", f"cannot be read ({error.strerror or error})") from None
    if not raw.strip():
        raise ExerciseFileError(path, "", "is empty")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ExerciseFileError(path, "", "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ExerciseFileError(path, "", f"is not valid TOML ({error})") from None
    except ValueError:  # tomllib's int() refuses numbers of more than 4300 digits
        raise ExerciseFileError(path, "", "holds a number too long to read") from None
    except RecursionError:  # tomllib reads nested arrays recursively
        raise ExerciseFileError(path, "", "nests lists or tables too deeply") from None
    return parse_exercise(path, data, builtin=builtin)


@dataclass
class ExerciseLibrary:
    """All known exercises by id, plus the problems found while loading user files."""

    exercises: dict[str, Exercise] = field(default_factory=dict)
    problems: list[ExerciseFileError] = field(default_factory=list)

    def __iter__(self):
        return iter(sorted(self.exercises.values(), key=lambda e: e.name.casefold()))

    def __len__(self) -> int:
        return len(self.exercises)

    def get(self, exercise_id: str) -> Exercise | None:
        return self.exercises.get(exercise_id)

    def __getitem__(self, exercise_id: str) -> Exercise:
        return self.exercises[exercise_id]

    def muscles(self) -> list[str]:
        return sorted({m for e in self.exercises.values() for m in e.muscles}, key=str.casefold)

    def equipment(self) -> list[str]:
        return sorted({e.equipment for e in self.exercises.values()}, key=str.casefold)

    def filter(self, *, muscle: str | None = None, equipment: str | None = None) -> list[Exercise]:
        """Exercises that work `muscle` (primary or secondary) and use `equipment`."""
        return [
            e for e in self
            if (muscle is None or muscle in e.muscles)
            and (equipment is None or e.equipment == equipment)
        ]


def load_library(builtin_dir: Path, user_dir: Path | None = None) -> ExerciseLibrary:
    """Built-in files must all load (their errors propagate); user files are skipped on error.

    A user file may add an exercise, or replace a built-in one by using the same id.
    """
    library = ExerciseLibrary()
    for path in sorted(builtin_dir.glob("*.toml")):
        exercise = load_exercise_file(path, builtin=True)
        library.exercises[exercise.id] = exercise
    if user_dir is not None and user_dir.is_dir():
        for path in sorted(user_dir.glob("*.toml")):
            try:
                exercise = load_exercise_file(path, builtin=False)
            except ExerciseFileError as error:
                library.problems.append(error)
                continue
            library.exercises[exercise.id] = exercise
    _check_references(library)
    return library


def _check_references(library: ExerciseLibrary) -> None:
    """A relative load must point at an exercise that exists, or the coach can't use it."""
    for exercise in list(library.exercises.values()):
        target = exercise.guidance.relative_to
        if target and target not in library.exercises:
            error = ExerciseFileError(
                f"{exercise.id}.toml", "guidance.relative_to",
                f"names {target!r}, which is not in the library",
            )
            if exercise.builtin:
                raise error
            library.problems.append(error)
            del library.exercises[exercise.id]
