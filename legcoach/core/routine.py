"""Routines: an ordered list of exercises with sets, reps, tempo and rest, and the book of them.

`RoutineItem` and `Routine` validate themselves on construction, so the editor form, the book's
operations and data read back from disk share one set of rules and one set of messages.
`RoutineBook` is the small mutable model the editor works on: every operation builds new
immutable values, saves them (if a store is attached) and only then tells its listeners, so
the screen, the file and the model never disagree.

The built-in "Leg day" is not stored: it is rebuilt from the exercise library on every start,
so better guidance in the exercise files reaches it, and it can't be edited or deleted
(duplicate it to get an editable copy).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Final

from legcoach.core.documents import DocumentStore, Migrator, NewerDocumentError, keepable
from legcoach.core.exercise import Exercise
from legcoach.core.library import _SLUG as EXERCISE_ID_PATTERN
from legcoach.core.library import ExerciseLibrary
from legcoach.core.tempo import TempoError, parse_tempo

__all__ = [
    "BUILTIN_ID",
    "DOCUMENT",
    "ITEM_FORM_FIELDS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "BookChange",
    "BuiltinRoutineError",
    "NewerDocumentError",
    "Routine",
    "RoutineBook",
    "RoutineChange",
    "RoutineError",
    "RoutineItem",
    "default_item",
    "format_rest",
    "item_form_text",
    "leg_day",
    "new_routine_id",
    "parse_item_form",
    "parse_rest",
]

SCHEMA_VERSION: Final = 1
DOCUMENT: Final = "routines"
"""The DocumentStore name the book is saved under."""

MIGRATIONS: Final = Migrator("routines", SCHEMA_VERSION)
"""Upgrade steps for older stored layouts (none yet: v1 is the first release)."""

SETS: Final = (1, 10)
REPS: Final = (1, 100)
REST_SECONDS: Final = (15, 900)
ITEMS: Final = (1, 20)
MAX_NAME_CHARS: Final = 40

BUILTIN_ID: Final = "6c656764617900000000000000000001"
"""The built-in routine's id: fixed (hex of "legday" + 1) so references to it survive restarts."""
BUILTIN_NAME: Final = "Leg day"

MAIN_REST_SECONDS: Final = 150
"""2:30 after the main press: the heaviest lift needs the longest break to repeat its reps."""
ACCESSORY_REST_SECONDS: Final = 90
"""1:30 after lighter work, where 90–120 s is plenty."""

_LEG_DAY: Final = (
    # exercise id, is the main lift, rest seconds
    ("leg-press-45", True, MAIN_REST_SECONDS),
    ("leg-press", False, 120),  # still a heavy two-leg press: the long end of 90–120 s
    ("single-leg-press", False, ACCESSORY_REST_SECONDS),  # each leg rests while the other works
    ("hip-thrust-machine", False, ACCESSORY_REST_SECONDS),
)

_ID = re.compile(r"[0-9a-f]{32}", re.ASCII)
_INT_TEXT = re.compile(r"[0-9]{1,4}", re.ASCII)
_REST_TEXT = re.compile(r"(?:([0-9]{1,2}):([0-5][0-9])|([0-9]{1,4}))\s*s?", re.ASCII)

# Messages a lifter reads next to a field or in the status line.
MSG_SETS: Final = f"Sets must be a whole number from {SETS[0]} to {SETS[1]}."
MSG_REPS: Final = f"Reps must be a whole number from {REPS[0]} to {REPS[1]}."
MSG_REST: Final = (
    "Rest must be from 0:15 to 15:00. Type seconds (90) or minutes:seconds (1:30)."
)
MSG_NAME_EMPTY: Final = "Give the routine a name."
MSG_NAME_CHARS: Final = "A name can't contain line breaks or other control characters."
MSG_TOO_FEW: Final = "A routine needs at least one exercise."
MSG_TOO_MANY: Final = f"A routine can hold at most {ITEMS[1]} exercises."
MSG_EXERCISE_ID: Final = "The exercise id must be lowercase letters, digits and dashes."


class RoutineError(ValueError):
    """Values that don't make a valid routine; `errors` maps each field to a message.

    Keys name the field, with a path inside routines ("name", "items[2].sets") and the form
    field's key for the item form (see ITEM_FORM_FIELDS).
    """

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors: dict[str, str] = dict(errors)
        super().__init__("; ".join(
            f"{key}: {message}" if key else message for key, message in self.errors.items()
        ))

    @property
    def message(self) -> str:
        """All messages without their keys: what the status line shows."""
        return " ".join(self.errors.values())

    def prefixed(self, prefix: str) -> RoutineError:
        """The same errors located inside a bigger structure, e.g. prefix "items[2]"."""
        return RoutineError({
            f"{prefix}.{key}" if key else prefix: message for key, message in self.errors.items()
        })


class BuiltinRoutineError(RoutineError):
    """The built-in routine was asked to change; the message says how to get an editable copy."""

    def __init__(self, errors: Mapping[str, str] | None = None) -> None:
        super().__init__(errors or {"routine": (
            f"“{BUILTIN_NAME}” is built in, so it can't be changed or deleted. Duplicate it "
            "to make your own copy and edit that."
        )})


def new_routine_id() -> str:
    """A random id, so routines made on two tablets never collide."""
    return uuid.uuid4().hex


# --- field rules, shared by the dataclasses, the item form and the book -----------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _in(value: object, bounds: tuple[int, int]) -> bool:
    return _is_int(value) and bounds[0] <= value <= bounds[1]  # type: ignore[operator]


def _rep_range_error(value: object) -> str | None:
    if not (isinstance(value, tuple) and len(value) == 2 and all(_in(v, REPS) for v in value)):
        return f"The rep range is two whole numbers from {REPS[0]} to {REPS[1]}, like 8–12."
    low, high = value
    return None if low <= high else _MSG_RANGE_ORDER.format(low=low)


_MSG_RANGE_ORDER: Final = "The top of the rep range can't be below the bottom ({low})."


def _tempo_error(value: object) -> str | None:
    """None for a tempo already in canonical form ("3-1-2-0"), else what to fix."""
    if not isinstance(value, str):
        return "The tempo must be text like 3-1-2-0."
    try:
        canonical = str(parse_tempo(value))
    except TempoError as error:
        return str(error)
    return None if canonical == value else f"Write the tempo as {canonical}."


def _exercise_id_error(value: object) -> str | None:
    ok = isinstance(value, str) and len(value) <= 60 and EXERCISE_ID_PATTERN.match(value)
    return None if ok else MSG_EXERCISE_ID


def _name_error(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return MSG_NAME_EMPTY
    if value != value.strip():
        return "A name can't start or end with spaces."
    if len(value) > MAX_NAME_CHARS:
        return f"Keep the name to {MAX_NAME_CHARS} characters; this one has {len(value)}."
    if any(unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") for char in value):
        return MSG_NAME_CHARS  # Cs: lone surrogates can't be written as UTF-8; Zl/Zp: U+2028/9
    return None


def _raise_if(errors: Mapping[str, str | None]) -> None:
    found = {key: message for key, message in errors.items() if message}
    if found:
        raise RoutineError(found)


def format_rest(seconds: int) -> str:
    """Rest as a clock reads it: 150 → "2:30", 45 → "0:45"."""
    return f"{seconds // 60}:{seconds % 60:02d}"


@dataclass(frozen=True, slots=True)
class RoutineItem:
    """One exercise in a routine. `per_side` means every set is done once per leg."""

    exercise_id: str
    sets: int
    rep_range: tuple[int, int]
    tempo: str
    rest_seconds: int
    per_side: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.rep_range, list):  # JSON has no tuples
            object.__setattr__(self, "rep_range", tuple(self.rep_range))
        _raise_if({
            "exercise_id": _exercise_id_error(self.exercise_id),
            "sets": None if _in(self.sets, SETS) else MSG_SETS,
            "rep_range": _rep_range_error(self.rep_range),
            "tempo": _tempo_error(self.tempo),
            "rest_seconds": None if _in(self.rest_seconds, REST_SECONDS) else MSG_REST,
            "per_side": None if isinstance(self.per_side, bool) else "Per side is yes or no.",
        })

    def describe(self) -> str:
        """The prescription as the lifter reads it: "3 × 8–12 · 3-1-2-0 · rest 1:30 · per leg"."""
        low, high = self.rep_range
        reps = f"{low}" if low == high else f"{low}–{high}"
        parts = [f"{self.sets} × {reps}", self.tempo, f"rest {format_rest(self.rest_seconds)}"]
        if self.per_side:
            parts.append("per leg")
        return " · ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["rep_range"] = list(self.rep_range)
        return data

    @classmethod
    def from_dict(cls, raw: object) -> RoutineItem:
        return cls(**_fields_of(cls, raw, "An exercise in a routine"))


@dataclass(frozen=True, slots=True)
class Routine:
    """A named, ordered list of 1 to 20 exercises."""

    id: str
    name: str
    items: tuple[RoutineItem, ...]
    builtin: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.items, list):
            object.__setattr__(self, "items", tuple(self.items))
        items_ok = isinstance(self.items, tuple) and all(
            isinstance(item, RoutineItem) for item in self.items
        )
        count = len(self.items) if items_ok else 0
        _raise_if({
            "id": None if isinstance(self.id, str) and _ID.fullmatch(self.id) else (
                "A routine id is 32 lowercase hex digits."),
            "name": _name_error(self.name),
            "items": (MSG_TOO_FEW if count < ITEMS[0] else MSG_TOO_MANY if count > ITEMS[1]
                      else None) if items_ok else "The exercises must be routine items.",
            "builtin": None if isinstance(self.builtin, bool) else "Built-in is yes or no.",
        })

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict; `builtin` is left out because only user routines are stored."""
        return {"id": self.id, "name": self.name,
                "items": [item.to_dict() for item in self.items]}

    @classmethod
    def from_dict(cls, raw: object) -> Routine:
        """A stored user routine; item errors are located, e.g. "items[2].sets"."""
        data = _fields_of(cls, raw, "A routine", exclude=("builtin",))
        items = data.get("items")
        if isinstance(items, list):
            parsed = []
            for index, item in enumerate(items):
                try:
                    parsed.append(RoutineItem.from_dict(item))
                except RoutineError as error:
                    raise error.prefixed(f"items[{index}]") from None
            data["items"] = tuple(parsed)
        return cls(**data)


def _fields_of(
    cls: type, raw: object, what: str, exclude: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The dataclass fields of a stored object, or RoutineError naming what is missing or extra.

    Unknown keys are refused rather than dropped: saving would silently lose them.
    """
    if not isinstance(raw, Mapping):
        raise RoutineError({"": f"{what} must be a JSON object."})
    names = [field.name for field in dataclasses.fields(cls) if field.name not in exclude]
    errors = {key: "is not a known field." for key in raw if key not in names}
    errors |= {name: "is missing." for name in names if name not in raw}
    if errors:
        raise RoutineError(errors)
    return {name: raw[name] for name in names}


# --- defaults from the exercise files -------------------------------------------------------


def default_item(
    exercise: Exercise, *, main: bool = False, rest_seconds: int | None = None
) -> RoutineItem:
    """An exercise as its guidance suggests: its rep range and tempo, one leg at a time if it is
    one-sided. The main lift gets the top of its set range, others the bottom.
    """
    guidance = exercise.guidance
    low, high = guidance.sets or (3, 3)
    sets = min(max(high if main else low, SETS[0]), SETS[1])
    rest = rest_seconds or (MAIN_REST_SECONDS if main else ACCESSORY_REST_SECONDS)
    return RoutineItem(
        exercise_id=exercise.id, sets=sets, rep_range=guidance.rep_range,
        tempo=exercise.movement.tempo, rest_seconds=rest, per_side=exercise.one_sided,
    )


def leg_day(library: ExerciseLibrary) -> Routine:
    """The built-in routine: the 45° press as the main lift while fresh, the two-leg press,
    then single-leg work per side, and the hip thrust to finish.

    Exercises missing from the library are left out; a library without any of them is a bug.
    """
    items = tuple(
        default_item(library[exercise_id], main=main, rest_seconds=rest)
        for exercise_id, main, rest in _LEG_DAY
        if library.get(exercise_id) is not None
    )
    return Routine(id=BUILTIN_ID, name=BUILTIN_NAME, items=items, builtin=True)


# --- the item form --------------------------------------------------------------------------

ITEM_FORM_FIELDS: Final = ("sets", "reps_low", "reps_high", "tempo", "rest")
"""Keys `parse_item_form` reads; its error dict uses the same keys."""


def _parse_count(text: str, bounds: tuple[int, int], missing: str, invalid: str) -> int | str:
    """The whole number typed, or the message to show next to the field."""
    if not text:
        return missing
    if _INT_TEXT.fullmatch(text) is None or not bounds[0] <= int(text) <= bounds[1]:
        return invalid
    return int(text)


def parse_rest(text: str) -> int | None:
    """Seconds from "90", "90s" or "1:30"; None if it is neither (the range is checked later)."""
    match = _REST_TEXT.fullmatch(text.strip())
    if match is None:
        return None
    minutes, seconds, plain = match.groups()
    return int(plain) if plain is not None else int(minutes) * 60 + int(seconds)


def parse_item_form(
    fields: Mapping[str, str], *, exercise_id: str, per_side: bool
) -> RoutineItem:
    """The item form's text as a RoutineItem, or RoutineError with a message per bad field.

    Every field is checked, so the form can mark all problems at once; nothing invalid can
    reach the book because only a valid RoutineItem can be built.
    """
    text = {key: str(fields.get(key, "")).strip() for key in ITEM_FORM_FIELDS}
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, bounds, missing, invalid in (
        ("sets", SETS, "Enter the number of sets, e.g. 3.", MSG_SETS),
        ("reps_low", REPS, "Enter the fewest reps, e.g. 8.", MSG_REPS),
        ("reps_high", REPS, "Enter the most reps, e.g. 12.", MSG_REPS),
    ):
        parsed = _parse_count(text[key], bounds, missing, invalid)
        (values if isinstance(parsed, int) else errors)[key] = parsed
    if "reps_low" in values and "reps_high" in values and values["reps_high"] < values["reps_low"]:
        errors["reps_high"] = _MSG_RANGE_ORDER.format(low=values["reps_low"])
    try:
        values["tempo"] = str(parse_tempo(text["tempo"]))
    except TempoError as error:
        errors["tempo"] = str(error)
    rest = parse_rest(text["rest"])
    if rest is None or not REST_SECONDS[0] <= rest <= REST_SECONDS[1]:
        errors["rest"] = MSG_REST if text["rest"] else "Enter the rest, e.g. 90 or 1:30."
    if errors:
        raise RoutineError(errors)
    return RoutineItem(
        exercise_id=exercise_id, sets=values["sets"],
        rep_range=(values["reps_low"], values["reps_high"]), tempo=values["tempo"],
        rest_seconds=rest,  # type: ignore[arg-type]  # checked above
        per_side=per_side,
    )


def item_form_text(item: RoutineItem) -> dict[str, str]:
    """The form's text for an item: parse_item_form(item_form_text(i), ...) == i."""
    return {"sets": str(item.sets), "reps_low": str(item.rep_range[0]),
            "reps_high": str(item.rep_range[1]), "tempo": item.tempo,
            "rest": format_rest(item.rest_seconds)}


# --- the book -------------------------------------------------------------------------------


class RoutineChange(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class BookChange:
    """What a listener hears: which routine, and whether it was added, changed or removed."""

    kind: RoutineChange
    routine_id: str


Listener = Callable[[BookChange], None]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class RoutineBook:
    """The built-in routine first, then the user's routines in their saved order.

    Operations raise RoutineError (with a message for the lifter) and change nothing when they
    would break a rule; KeyError for an unknown routine id and IndexError for an item that is
    not there are programming errors. With a store attached, every change is saved before
    listeners hear of it; if saving fails the error propagates and the book is unchanged.
    """

    def __init__(
        self, library: ExerciseLibrary, routines: Iterable[Routine] = (), *,
        store: DocumentStore | None = None,
    ) -> None:
        self.library = library
        self._routines: tuple[Routine, ...] = (leg_day(library), *routines)
        self._store = store
        self._listeners: list[Listener] = []
        self._problems: list[str] = []
        ids = [routine.id for routine in self._routines]
        if len(set(ids)) != len(ids) or any(r.builtin for r in self._routines[1:]):
            raise ValueError("Routine ids must be unique, and only Leg day is built in.")

    # --- reading ---

    @property
    def routines(self) -> tuple[Routine, ...]:
        return self._routines

    @property
    def builtin(self) -> Routine:
        return self._routines[0]

    def get(self, routine_id: str) -> Routine:
        return self._routines[self._index_of(routine_id)]

    def __contains__(self, routine_id: object) -> bool:
        return any(routine.id == routine_id for routine in self._routines)

    def exercise(self, exercise_id: str) -> Exercise | None:
        """The exercise an item names, or None if its file is gone (the item is kept)."""
        return self.library.get(exercise_id)

    def missing_exercises(self, routine_id: str) -> list[str]:
        """Ids of exercises a routine names that the library doesn't have, in routine order."""
        items = self.get(routine_id).items
        return list(dict.fromkeys(i.exercise_id for i in items if self.exercise(i.exercise_id)
                                  is None))

    def problems(self) -> list[str]:
        """What the lifter should know: unreadable data set aside, missing exercise files."""
        messages = list(self._problems)
        for routine in self._routines:
            for exercise_id in self.missing_exercises(routine.id):
                messages.append(
                    f"“{routine.name}” uses the exercise “{exercise_id}”, which is not in the "
                    "library. It stays in the routine in case its file comes back; remove it "
                    "to start the routine without it."
                )
        return messages

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` after every change; returns a function that unsubscribes it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def check_editable(self, routine_id: str) -> Routine:
        """The routine, or BuiltinRoutineError if it is the built-in one."""
        routine = self.get(routine_id)
        if routine.builtin:
            raise BuiltinRoutineError()
        return routine

    # --- routine operations ---

    def create(self, name: str, exercise_id: str | None = None) -> Routine:
        """A new routine starting with one exercise (default: the built-in's main lift).

        A routine always holds at least one exercise, so there is never an empty one to start.
        """
        first = exercise_id or self.builtin.items[0].exercise_id
        routine = Routine(
            id=new_routine_id(), name=self._free_name(name),
            items=(self._default_item(first, position=0),),
        )
        self._commit((*self._routines, routine), BookChange(RoutineChange.ADDED, routine.id))
        return routine

    def rename(self, routine_id: str, name: str) -> Routine:
        routine = self.check_editable(routine_id)
        return self._replace(dataclasses.replace(
            routine, name=self._free_name(name, ignore=routine_id)))

    def duplicate(self, routine_id: str) -> Routine:
        """An editable copy right after the original, named "<name> (copy)", "(copy 2)", …"""
        source = self.get(routine_id)
        copy = Routine(id=new_routine_id(), name=self._copy_name(source.name),
                       items=source.items)
        position = self._index_of(routine_id) + 1
        routines = (*self._routines[:position], copy, *self._routines[position:])
        self._commit(routines, BookChange(RoutineChange.ADDED, copy.id))
        return copy

    def delete(self, routine_id: str) -> Routine:
        routine = self.check_editable(routine_id)
        routines = tuple(r for r in self._routines if r.id != routine_id)
        self._commit(routines, BookChange(RoutineChange.REMOVED, routine_id))
        return routine

    # --- item operations ---

    def add_item(self, routine_id: str, exercise_id: str, index: int | None = None) -> Routine:
        """Add an exercise with its guidance defaults, at the end or before `index`."""
        routine = self.check_editable(routine_id)
        position = len(routine.items) if index is None else self._check_index(routine, index, 1)
        item = self._default_item(exercise_id, position)
        items = (*routine.items[:position], item, *routine.items[position:])
        return self._replace_items(routine, items)

    def remove_item(self, routine_id: str, index: int) -> Routine:
        routine = self.check_editable(routine_id)
        self._check_index(routine, index)
        if len(routine.items) == ITEMS[0]:
            raise RoutineError({"items": (
                f"{MSG_TOO_FEW} Add another one first, or delete the whole routine.")})
        return self._replace_items(routine, routine.items[:index] + routine.items[index + 1:])

    def move_item(self, routine_id: str, index: int, new_index: int) -> Routine:
        """Move an item so it ends up at `new_index`; moving it onto itself changes nothing."""
        routine = self.check_editable(routine_id)
        self._check_index(routine, index)
        self._check_index(routine, new_index)
        if index == new_index:
            return routine
        items = list(routine.items)
        items.insert(new_index, items.pop(index))
        return self._replace_items(routine, tuple(items))

    def update_item(self, routine_id: str, index: int, item: RoutineItem) -> Routine:
        """Replace an item; a new exercise must be in the library (a missing one may stay)."""
        routine = self.check_editable(routine_id)
        self._check_index(routine, index)
        if not isinstance(item, RoutineItem):
            raise TypeError(f"Expected a RoutineItem, not {type(item).__name__}.")
        if item.exercise_id != routine.items[index].exercise_id:
            self._require_exercise(item.exercise_id)
        if item == routine.items[index]:
            return routine
        items = (*routine.items[:index], item, *routine.items[index + 1:])
        return self._replace_items(routine, items)

    # --- storage ---

    def to_dict(self) -> dict[str, Any]:
        """The user's routines as JSON-safe data, with the schema version under "v"."""
        return self._document(self._routines)

    @staticmethod
    def _document(routines: tuple[Routine, ...]) -> dict[str, Any]:
        return {"v": SCHEMA_VERSION,
                "routines": [routine.to_dict() for routine in routines if not routine.builtin]}

    @classmethod
    def from_dict(
        cls, raw: Mapping[str, Any], library: ExerciseLibrary, *,
        store: DocumentStore | None = None,
    ) -> RoutineBook:
        """Read stored routines of any known version.

        NewerDocumentError for a newer version (don't save over it); RoutineError, with keys
        like "routines[1].items[2].sets", for data that breaks a rule.
        Exercises missing from the library are kept and reported by `problems()`.
        """
        try:
            data = MIGRATIONS.migrate(raw)  # NewerDocumentError is not a ValueError
        except ValueError as error:
            raise RoutineError({"v": str(error)}) from None
        extra = sorted(set(data) - {"v", "routines"})
        if extra:
            raise RoutineError({extra[0]: "is not a known field."})
        stored = data.get("routines")
        if not isinstance(stored, list):
            raise RoutineError({"routines": "must be a list of routines."})
        routines = []
        for index, entry in enumerate(stored):
            try:
                routines.append(Routine.from_dict(entry))
            except RoutineError as error:
                raise error.prefixed(f"routines[{index}]") from None
        seen = {BUILTIN_ID}
        for index, routine in enumerate(routines):
            if routine.id in seen:
                raise RoutineError({f"routines[{index}].id": "Two routines share this id."})
            seen.add(routine.id)
        return cls(library, routines, store=store)

    @classmethod
    def open(
        cls, store: DocumentStore, library: ExerciseLibrary, *,
        now: Callable[[], datetime] = _utc_now,
    ) -> RoutineBook:
        """Load the book from `store` and save every change back to it.

        Stored routines that break a rule are saved aside as "routines-unreadable-<UTC time>"
        before starting fresh, so the next save can't destroy them; `problems()` says so.
        NewerDocumentError propagates: the caller shows it and must not create a book.
        """
        raw = store.load(DOCUMENT)
        if raw is None:
            return cls(library, store=store)
        try:
            return cls.from_dict(raw, library, store=store)
        except RoutineError as error:
            stamp = f"{DOCUMENT}-unreadable-{now().astimezone(UTC):%Y%m%dt%H%M%Sz}"
            backup, number = stamp, 2
            while store.load(backup) is not None:  # never overwrite an earlier backup
                backup, number = f"{stamp}-{number}", number + 1
            store.save(backup, keepable(raw))
            book = cls(library, store=store)
            where, why = next(iter(error.errors.items()))
            book._problems.append(
                f"Your saved routines could not be read ({where}: {why}). They were kept as "
                f"“{backup}” so nothing is lost; only {BUILTIN_NAME} is available for now."
            )
            return book

    # --- internals ---

    def _index_of(self, routine_id: str) -> int:
        for index, routine in enumerate(self._routines):
            if routine.id == routine_id:
                return index
        raise KeyError(f"There is no routine with id {routine_id!r}.")

    @staticmethod
    def _check_index(routine: Routine, index: int, extra: int = 0) -> int:
        """`index` if it names an item (or, with extra=1, the end); negatives are refused."""
        if not _is_int(index) or not 0 <= index < len(routine.items) + extra:
            raise IndexError(
                f"“{routine.name}” has {len(routine.items)} exercises; there is no number "
                f"{index!r}."
            )
        return index

    def _require_exercise(self, exercise_id: str) -> Exercise:
        exercise = self.exercise(exercise_id)
        if exercise is None:
            raise RoutineError({"exercise_id": f"There is no exercise “{exercise_id}”."})
        return exercise

    def _default_item(self, exercise_id: str, position: int) -> RoutineItem:
        """Guidance defaults; whatever goes first is the main lift (more sets, longer rest)."""
        return default_item(self._require_exercise(exercise_id), main=position == 0)

    def _free_name(self, name: str, ignore: str | None = None) -> str:
        """`name` tidied, or RoutineError if it is invalid or another routine has it."""
        cleaned = name.strip() if isinstance(name, str) else name
        _raise_if({"name": _name_error(cleaned)})
        for routine in self._routines:
            if routine.id != ignore and routine.name.casefold() == cleaned.casefold():
                raise RoutineError({"name": f"There is already a routine called “{routine.name}”."})
        return cleaned

    def _copy_name(self, name: str) -> str:
        taken = {routine.name.casefold() for routine in self._routines}
        number = 1
        while True:
            suffix = " (copy)" if number == 1 else f" (copy {number})"
            candidate = name[: MAX_NAME_CHARS - len(suffix)].rstrip() + suffix
            if candidate.casefold() not in taken:
                return candidate
            number += 1

    def _replace_items(self, routine: Routine, items: tuple[RoutineItem, ...]) -> Routine:
        if len(items) > ITEMS[1]:
            raise RoutineError({"items": MSG_TOO_MANY})
        return self._replace(dataclasses.replace(routine, items=items))

    def _replace(self, routine: Routine) -> Routine:
        index = self._index_of(routine.id)
        routines = (*self._routines[:index], routine, *self._routines[index + 1:])
        self._commit(routines, BookChange(RoutineChange.CHANGED, routine.id))
        return routine

    def _commit(self, routines: tuple[Routine, ...], change: BookChange) -> None:
        """Save first, then swap in the new state, then tell listeners (in that order)."""
        if self._store is not None:
            self._store.save(DOCUMENT, self._document(routines))
        self._routines = routines
        for listener in list(self._listeners):
            listener(change)
