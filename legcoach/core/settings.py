"""The lifter's settings: every one declared once, stored as one versioned document.

Like MusicBrainz Picard's option table, each setting is a single `Setting` declaration with its
type, default, description, bounds and section, and everything else is derived from that table:
validation (`Setting.check`), the stored document (`Settings.to_dict`/`from_dict`) and the
settings screen (`legcoach.ui.settings_view` builds its rows from `DECLARATIONS`). Adding a
setting therefore means adding one declaration, never touching three files that could drift.

The document is named "settings" and carries "v". Older versions are upgraded step by step by
`MIGRATIONS`; `open_settings` backs the stored document up before anything can overwrite it.
v0 is the set screen's old "preferences" document (volume, muted, voice). A document from a newer
legcoach is never overwritten: the settings are flagged read-only and the reason is reported.
A bad file never stops the app: what can't be used is left out, listed in `problems`, and the
defaults apply.

Loads are stored in kg whatever the display unit, like the set log's canonical kg; the unit only
changes how they are shown and typed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final, Generic, TypeVar

from legcoach.core.documents import DocumentStore, Migrator, NewerDocumentError, keepable
from legcoach.core.plans import DEFAULT_LEAD_IN
from legcoach.core.progression import ProgressionSettings
from legcoach.core.readonly import REASON as READ_ONLY_WINDOW
from legcoach.core.records import format_number
from legcoach.core.setlog import LoadUnit, from_kg

__all__ = [
    "DECLARATIONS",
    "MIGRATIONS",
    "OLD_PREFERENCES_DOC",
    "SCHEMA_VERSION",
    "SETTINGS_DOC",
    "TEXT_SCALES",
    "Group",
    "Kind",
    "Setting",
    "SettingError",
    "Settings",
    "SettingsReadOnlyError",
    "declaration",
    "open_settings",
    "save_settings",
]

T = TypeVar("T")

SETTINGS_DOC: Final = "settings"
OLD_PREFERENCES_DOC: Final = "preferences"
"""The set screen's sound document before settings existed; read once as settings v0."""
SCHEMA_VERSION: Final = 1

_EXERCISE_ID: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""The library's id pattern: a sled weight can only belong to something that could exist."""
_STORED_DECIMALS: Final = 6
"""Stored numbers keep the set log's milligram grid: lb entries converted to kg stay exact."""


class Group(StrEnum):
    """Sections of the settings screen, in the order it shows them."""

    UNITS = "Units"
    TIMER = "Timer"
    SOUND = "Sound"
    LOOK = "Look"
    COACH = "Coach"
    MACHINES = "Machines"
    PLATES = "Plates"


class Kind(StrEnum):
    """What a value is; decides its validation and the control the screen shows."""

    CHOICE = "choice"
    BOOL = "on/off"
    INT = "whole number"
    NUMBER = "number"
    TEXT = "text"
    LOAD_MAP = "load per machine"
    LOAD_LIST = "list of loads"


class SettingError(ValueError):
    """A value a setting can't take; `key` names the setting and `reason` says why, for the
    lifter (the settings screen shows `reason` next to the control)."""

    def __init__(self, key: str, reason: str) -> None:
        self.key = key
        self.reason = reason
        super().__init__(f"{key}: {reason}")


class SettingsReadOnlyError(OSError):
    """Saving settings that must not overwrite what is stored (newer version, no backup, or a
    read-only window). An OSError, so the screens' "could not save" handling explains it."""


@dataclass(frozen=True)  # no slots: typing's Setting[int](...) sets __orig_class__ on the instance
class Setting(Generic[T]):
    """One setting, declared once: everything the store, the checks and the screen need."""

    key: str
    kind: Kind
    default: T
    label: str
    description: str
    group: Group
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    """The −/+ step in the stored unit (kg for loads)."""
    step_lb: float | None = None
    """The −/+ step for loads shown in lb, where kg steps would land between round numbers."""
    choices: tuple[tuple[str, str], ...] = ()
    """(stored value, label) pairs for CHOICE."""
    unit: str = ""
    """Unit of the stored number: "s", "kg" (a load: shown in the lifter's unit) or ""."""
    display_scale: float = 1.0
    display_unit: str = ""
    """How a unitless number is shown: volume 0.8 as "80%"."""
    max_length: int | None = None
    max_items: int | None = None

    @property
    def is_load(self) -> bool:
        return self.unit == "kg"

    def choice_values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.choices)

    def shown(self, value: float, unit: LoadUnit = LoadUnit.KG) -> float:
        """A stored number as the screen shows it (loads in `unit`, volume in %)."""
        if self.is_load:
            return from_kg(value, unit) if LoadUnit(unit) is LoadUnit.LB else float(value)
        return value * self.display_scale

    def amount(self, value: float, unit: LoadUnit = LoadUnit.KG) -> str:
        """A stored number with its unit, for messages: "200 kg", "440.92 lb", "80%"."""
        shown = self.shown(value, unit)
        number = format_number(shown) if abs(shown) < 1e12 else f"{shown:.3g}"  # 1e+30 as such
        return f"{number}{self.unit_text(unit)}"

    def unit_text(self, unit: LoadUnit = LoadUnit.KG) -> str:
        """What follows a shown number: " kg"/" lb" for loads, " s", "%" or nothing."""
        if self.is_load:
            return f" {LoadUnit(unit).value}"
        if self.display_unit == "%":
            return "%"
        shown = self.display_unit or self.unit
        return f" {shown}" if shown else ""

    # --- validation -------------------------------------------------------------------------

    def check(self, value: object, unit: LoadUnit = LoadUnit.KG) -> T:
        """`value` in its stored form (rounded, cleaned, sorted), or SettingError saying why.

        `unit` only changes the wording of load bounds, so the message matches the screen.
        """
        if self.kind is Kind.LOAD_MAP:
            if not isinstance(value, Mapping):
                raise self._error("must be a table of machine → load.")
            return {self._check_machine(k): self._check_number(v, unit, item=str(k))
                    for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}  # type: ignore[return-value]
        if self.kind is Kind.LOAD_LIST:
            if not isinstance(value, list | tuple):
                raise self._error("must be a list of loads.")
            return self._check_list([self._check_number(v, unit) for v in value])  # type: ignore[return-value]
        return self._check_single(value, unit)

    def salvage(self, value: object) -> tuple[T, list[str]]:
        """The usable part of a stored value and why each left-out part was left out.

        One bad entry of a table or list shouldn't cost the lifter the rest of it.
        Raises SettingError when nothing usable remains.
        """
        try:
            return self.check(value), []
        except SettingError as whole:
            if self.kind is Kind.LOAD_MAP and isinstance(value, Mapping):
                parts: list[object] = [{key: item} for key, item in value.items()]
            elif self.kind is Kind.LOAD_LIST and isinstance(value, list | tuple):
                parts = [[item] for item in value]
            else:
                raise
            kept, dropped = [], []
            for part in parts:
                try:
                    kept.append(self.check(part))
                except SettingError as error:
                    dropped.append(error.reason)
            if self.kind is Kind.LOAD_MAP:
                merged: object = {k: v for part in kept for k, v in part.items()}
            else:
                merged = [v for part in kept for v in part][: self.max_items]
                if not merged:
                    raise
            return self.check(merged), dropped or [whole.reason]

    def _error(self, reason: str) -> SettingError:
        return SettingError(self.key, reason)

    def _check_single(self, value: object, unit: LoadUnit) -> Any:
        if self.kind is Kind.BOOL:
            if not isinstance(value, bool):
                raise self._error(f"must be on or off (true or false), not {_brief(value)}.")
            return value
        if self.kind is Kind.CHOICE:
            if value not in self.choice_values():
                names = ", ".join(label for _, label in self.choices)
                raise self._error(f"must be one of {names}; {_brief(value)} is not one of them.")
            return value
        if self.kind is Kind.TEXT:
            if not isinstance(value, str):
                raise self._error(f"must be text, not {_brief(value)}.")
            if any("\ud800" <= char <= "\udfff" for char in value):  # not writable as UTF-8
                raise self._error("contains characters that can't be saved.")
            text = " ".join(value.split())
            if self.max_length is not None and len(text) > self.max_length:
                raise self._error(f"can be at most {self.max_length} characters "
                                  f"({len(text)} typed).")
            return text
        return self._check_number(value, unit)

    def _check_number(self, value: object, unit: LoadUnit, item: str = "") -> Any:
        """A finite number within the bounds; whole for INT. `item` names a table entry."""
        where = f"{item}: " if item else ""
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise self._error(f"{where}must be a number, not {_brief(value)}.")
        try:
            finite = math.isfinite(float(value))
        except (OverflowError, ValueError):  # 10**400 in a file; a signalling Decimal NaN
            finite = False
        if not finite:
            raise self._error(f"{where}must be a number of sensible size, not {_brief(value)}.")
        if self.kind is Kind.INT:
            if value != int(value):
                raise self._error(f"{where}must be a whole number of {self.unit or 'units'}, "
                                  f"not {_sized(value)}.")
            number: float = int(value)
        else:
            number = round(float(value), _STORED_DECIMALS)
        low, high = self.minimum, self.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            limits = f"from {self.amount(low or 0, unit)} to {self.amount(high or 0, unit)}"
            side = "too low" if low is not None and number < low else "too high"
            raise self._error(f"{where}must be {limits}; {self.amount(number, unit)} is {side}.")
        return number

    def _check_machine(self, machine: object) -> str:
        if not isinstance(machine, str) or _EXERCISE_ID.fullmatch(machine) is None:
            raise self._error(f"{_brief(machine)} is not an exercise id (like “leg-press”).")
        return machine

    def _check_list(self, loads: list[float]) -> tuple[float, ...]:
        unique = tuple(sorted(set(loads), reverse=True))  # heaviest first, like a plate tree
        if not unique:
            raise self._error("needs at least one size.")
        if self.max_items is not None and len(unique) > self.max_items:
            raise self._error(f"can list at most {self.max_items} sizes ({len(unique)} given).")
        return unique


def _brief(value: object) -> str:
    """A stored value as a message quotes it: a damaged file may hold a megabyte of text."""
    try:
        text = repr(value)
    except ValueError:  # an int of more than 4300 digits: Python refuses to write it out
        return "a number too long to show"
    return text if len(text) <= 24 else f"{text[:20]}…"


def _sized(value: float | Decimal) -> str:
    """A finite number for a message; format_number can't quantize a 30-digit Decimal."""
    return format_number(value) if abs(value) < 1e12 else f"{float(value):.3g}"


# --- the declarations: every setting, once ----------------------------------------------------

_COACH_DEFAULTS: Final = ProgressionSettings()

UNIT: Final = Setting[str](
    "units.load", Kind.CHOICE, LoadUnit.KG.value, "Load unit",
    "How loads are shown and typed. Sets already logged keep the unit they were typed in.",
    Group.UNITS, choices=((LoadUnit.KG.value, "kg"), (LoadUnit.LB.value, "lb")))
REST: Final = Setting[int](
    "timer.rest_seconds", Kind.INT, 120, "Rest between sets",
    "The rest timer's length when a routine doesn't set its own, e.g. in free training.",
    Group.TIMER, minimum=15, maximum=900, step=15, unit="s")
COUNTDOWN: Final = Setting[int](
    "timer.countdown_seconds", Kind.INT, int(DEFAULT_LEAD_IN), "Countdown before a set",
    "Seconds to get into position before the first rep; 0 starts the set at once.",
    Group.TIMER, minimum=0, maximum=30, step=1, unit="s")
SOUND_ON: Final = Setting[bool](
    "sound.on", Kind.BOOL, True, "Sounds",
    "Tones for each phase of a rep, the countdown and the end of the rest.", Group.SOUND)
VOICE: Final = Setting[bool](
    "sound.voice", Kind.BOOL, False, "Spoken cues",
    "Says the cues out loud; needs a speech engine on this device.", Group.SOUND)
VOLUME: Final = Setting[float](
    "sound.volume", Kind.NUMBER, 1.0, "Volume", "How loud tones and the voice are.",
    Group.SOUND, minimum=0.0, maximum=1.0, step=0.1, display_scale=100, display_unit="%")
THEME: Final = Setting[str](
    "look.theme", Kind.CHOICE, "dark", "Colours",
    "Dark for a dim gym, light for a bright room, high contrast for glare or weaker eyes.",
    Group.LOOK, choices=(("dark", "Dark"), ("light", "Light"), ("high_contrast", "High contrast")))
TEXT_SIZE: Final = Setting[str](
    "look.text_size", Kind.CHOICE, "normal", "Text size",
    "Bigger text to read the screen from further away.", Group.LOOK,
    choices=(("normal", "Normal"), ("large", "Large"), ("extra_large", "Extra large")))
INCREMENT_TWO_LEG: Final = Setting[float](
    "coach.increment_two_leg_kg", Kind.NUMBER, _COACH_DEFAULTS.increment_two_leg_kg,
    "Step up, two legs",
    "What the coach adds once every working set reached the top of the rep range.",
    Group.COACH, minimum=_COACH_DEFAULTS.load_step_kg, maximum=20.0, step=0.5, step_lb=1.0,
    unit="kg")
INCREMENT_ONE_LEG: Final = Setting[float](
    "coach.increment_one_leg_kg", Kind.NUMBER, _COACH_DEFAULTS.increment_one_leg_kg,
    "Step up, one leg", "The same for single-leg exercises, where a leg moves less load.",
    Group.COACH, minimum=_COACH_DEFAULTS.load_step_kg, maximum=20.0, step=0.5, step_lb=1.0,
    unit="kg")
GYM_NAME: Final = Setting[str](
    "machines.gym_name", Kind.TEXT, "", "Gym",
    "Filled in on the setup screen; seat and feet settings are remembered per gym.",
    Group.MACHINES, max_length=40)
SLED: Final = Setting[dict[str, float]](
    "machines.sled_kg", Kind.LOAD_MAP, {}, "Sled weight",
    "What the sled or carriage weighs empty; the plate calculator loads plates on top of it.",
    Group.MACHINES, minimum=0.0, maximum=200.0, step=2.5, step_lb=5.0, unit="kg")
PLATES: Final = Setting[tuple[float, ...]](
    "plates.sizes_kg", Kind.LOAD_LIST, (25.0, 20.0, 15.0, 10.0, 5.0, 2.5, 1.25), "Plate sizes",
    "The plates your gym has, in pairs; the plate calculator uses only these.",
    Group.PLATES, minimum=0.25, maximum=50.0, unit="kg", max_items=12)

DECLARATIONS: Final[tuple[Setting[Any], ...]] = (
    UNIT, REST, COUNTDOWN, SOUND_ON, VOICE, VOLUME, THEME, TEXT_SIZE, INCREMENT_TWO_LEG,
    INCREMENT_ONE_LEG, GYM_NAME, SLED, PLATES,
)
_BY_KEY: Final[dict[str, Setting[Any]]] = {s.key: s for s in DECLARATIONS}
if len(_BY_KEY) != len(DECLARATIONS):  # pragma: no cover - a typo in the table above
    raise RuntimeError("Two settings share a key.")

TEXT_SCALES: Final[dict[str, float]] = {"normal": 1.0, "large": 1.2, "extra_large": 1.4}
"""Text size choice → factor on every font size of the style sheet."""
if set(TEXT_SCALES) != set(TEXT_SIZE.choice_values()):  # pragma: no cover
    raise RuntimeError("Every text size needs a scale.")


def declaration(key: str | Setting[T]) -> Setting[T]:
    """The declaration of `key`; SettingError for a key nobody declared."""
    if isinstance(key, Setting):
        return key
    try:
        return _BY_KEY[key]
    except KeyError:
        raise SettingError(key, "is not a setting legcoach knows.") from None


def groups() -> Iterator[tuple[Group, tuple[Setting[Any], ...]]]:
    """Sections in screen order with their settings in declaration order."""
    for group in Group:
        members = tuple(s for s in DECLARATIONS if s.group is group)
        if members:
            yield group, members


# --- versions ---------------------------------------------------------------------------------

MIGRATIONS: Final = Migrator("settings", SCHEMA_VERSION)


@MIGRATIONS.register(0)
def _from_sound_preferences(old: dict[str, Any]) -> dict[str, Any]:
    """v0 → v1: the old "preferences" document becomes the Sound section.

    "volume" is renamed "sound.volume", "voice" "sound.voice", and "muted" turns into
    "sound.on" (its opposite). A non-boolean "muted" is passed on as it is so validation
    reports it instead of this step guessing.
    """
    renames = {"volume": "sound.volume", "voice": "sound.voice"}
    new = {renames.get(key, key): value for key, value in old.items() if key != "muted"}
    if "muted" in old:
        muted = old["muted"]
        new["sound.on"] = (not muted) if isinstance(muted, bool) else muted
    return new


# --- the settings -----------------------------------------------------------------------------


class Settings:
    """Current values over the declared defaults; only values the lifter chose are stored, so
    a better default in a later version reaches everyone who never changed it.

    `set` works even when `read_only` (the change applies for this session); `save_settings`
    refuses to write then.
    """

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}
        self.problems: list[str] = []
        """Messages for the lifter about the stored settings, e.g. a value left out."""
        self.read_only_reason: str | None = None
        self.migrated_from: int | None = None
        """The stored version when it was older than SCHEMA_VERSION."""
        self.backup: str | None = None
        """Name of the document the old settings were copied to before an upgrade."""

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    # --- typed get/set ----------------------------------------------------------------------

    def get(self, key: str | Setting[T]) -> T:
        """The current value (a fresh copy for tables, so callers can't change it in place)."""
        setting = declaration(key)
        value = self._values.get(setting.key, setting.default)
        return dict(value) if isinstance(value, dict) else value  # type: ignore[return-value]

    def set(self, key: str | Setting[T], value: object, unit: LoadUnit = LoadUnit.KG) -> T:
        """Check and store `value`; returns it as stored. SettingError leaves it unchanged.

        `unit` only words load bounds in the unit the lifter typed in.
        """
        setting = declaration(key)
        clean = setting.check(value, unit)
        if clean == setting.check(setting.default):
            self._values.pop(setting.key, None)
        else:
            self._values[setting.key] = clean
        return self.get(setting)

    def reset(self, key: str | Setting[Any]) -> None:
        self._values.pop(declaration(key).key, None)

    def is_default(self, key: str | Setting[Any]) -> bool:
        return declaration(key).key not in self._values

    # --- what the rest of the app reads ----------------------------------------------------

    @property
    def unit(self) -> LoadUnit:
        return LoadUnit(self.get(UNIT))

    @property
    def rest_seconds(self) -> int:
        return self.get(REST)

    @property
    def countdown_seconds(self) -> int:
        return self.get(COUNTDOWN)

    @property
    def sound_on(self) -> bool:
        return self.get(SOUND_ON)

    @property
    def voice_on(self) -> bool:
        return self.get(VOICE)

    @property
    def volume(self) -> float:
        return self.get(VOLUME)

    @property
    def theme(self) -> str:
        return self.get(THEME)

    @property
    def text_scale(self) -> float:
        return TEXT_SCALES[self.get(TEXT_SIZE)]

    @property
    def gym_name(self) -> str:
        return self.get(GYM_NAME)

    @property
    def plates_kg(self) -> tuple[float, ...]:
        return self.get(PLATES)

    def sled_kg(self, exercise_id: str) -> float:
        """The machine's empty sled; 0 until the lifter weighs it in."""
        return self.get(SLED).get(exercise_id, 0.0)

    def set_sled_kg(self, exercise_id: str, load_kg: float | None,
                    unit: LoadUnit = LoadUnit.KG) -> dict[str, float]:
        """Set one machine's sled weight (None forgets it); returns the whole table."""
        table = self.get(SLED)
        if load_kg is None:
            table.pop(exercise_id, None)
        else:
            table[exercise_id] = load_kg  # type: ignore[assignment]
        return self.set(SLED, table, unit)

    def progression(self, base: ProgressionSettings | None = None) -> ProgressionSettings:
        """The coach's knobs (`base`) with the increments the lifter chose; unchanged ones
        keep `base`'s value."""
        chosen = {name: self.get(setting) for name, setting in (
            ("increment_two_leg_kg", INCREMENT_TWO_LEG),
            ("increment_one_leg_kg", INCREMENT_ONE_LEG)) if not self.is_default(setting)}
        return replace(base or ProgressionSettings(), **chosen)

    # --- the stored document ----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The JSON document: "v" and the values the lifter changed."""
        return {"v": SCHEMA_VERSION,
                **{key: list(value) if isinstance(value, tuple) else value
                   for key, value in sorted(self._values.items())}}

    @classmethod
    def from_dict(cls, raw: object) -> Settings:
        """Settings from a stored document of any version; never raises.

        Unknown keys and invalid values are left out and listed in `problems`; a document from
        a newer legcoach gives the defaults, flagged read-only so it is never overwritten.
        """
        settings = cls()
        if raw is None:
            return settings
        try:
            data = MIGRATIONS.migrate(raw)  # type: ignore[arg-type]
        except NewerDocumentError as error:
            settings.read_only_reason = str(error)
            settings.problems.append(f"{error} Until then the defaults apply and changes to "
                                     "settings are not saved.")
            return settings
        except ValueError as error:
            settings.problems.append(f"Your settings could not be read ({error}) The defaults "
                                     "apply.")
            return settings
        stored_version = raw["v"]  # type: ignore[index]
        if stored_version < SCHEMA_VERSION:
            settings.migrated_from = stored_version
        for key, value in data.items():
            if key == "v":
                continue
            setting = _BY_KEY.get(key)
            if setting is None:
                settings.problems.append(f"The unknown setting “{key}” was left out.")
                continue
            try:
                clean, dropped = setting.salvage(value)
            except SettingError as error:
                settings.problems.append(f"“{setting.label}” {error.reason} The default "
                                         "applies.")
                continue
            settings.problems.extend(f"“{setting.label}”: part was left out: {why}"
                                     for why in dropped)
            if clean != setting.check(setting.default):
                settings._values[key] = clean
        return settings


def open_settings(store: DocumentStore, *, now: Callable[[], datetime] = lambda: datetime.now(UTC),
                  read_only: bool = False) -> Settings:
    """Load the settings, upgrading and backing up as needed; never raises.

    - No "settings" yet: the old "preferences" document is read as v0 and the upgrade saved
      (the old document is left untouched, so it stays the backup).
    - An older or partly unusable "settings": copied to "settings-v<N>-backup-<UTC time>"
      first; if that copy can't be written the settings are read-only, so the only copy
      survives.
    - A newer one: read-only, nothing written.
    `read_only`: this window may not write (another legcoach holds the data folder).
    """
    raw = store.load(SETTINGS_DOC)
    from_preferences = False
    if raw is None:
        old = store.load(OLD_PREFERENCES_DOC)
        if old is not None:
            raw, from_preferences = {**old, "v": 0}, True  # its own "v" predates settings
    settings = Settings.from_dict(raw)
    if read_only and not settings.read_only:
        settings.read_only_reason = READ_ONLY_WINDOW
    if raw is None or settings.read_only:
        return settings
    if settings.migrated_from is None and not settings.problems:
        return settings
    if not from_preferences:  # the old preferences document is left as it is: no copy needed
        try:
            settings.backup = _back_up(store, raw, raw.get("v"), now())
        except OSError as error:
            settings.read_only_reason = "the stored settings could not be backed up"
            settings.problems.append(
                f"Your settings could not be backed up ({error.strerror or error}), so they "
                "were left as they are; changes to settings are not saved.")
            return settings
    try:  # the upgraded or cleaned settings, so the problems are reported once, not each start
        store.save(SETTINGS_DOC, settings.to_dict())
    except OSError as error:
        settings.problems.append(f"The upgraded settings could not be saved "
                                 f"({error.strerror or error}); they apply for now.")
    return settings


def _back_up(store: DocumentStore, raw: Mapping[str, Any], version: object,
             when: datetime) -> str:
    """Copy `raw` to a new document name (never over an earlier backup) and return it."""
    tag = f"v{version}" if isinstance(version, int) and not isinstance(version, bool) else "vx"
    stem = f"{SETTINGS_DOC}-{tag}-backup-{when.astimezone(UTC):%Y%m%dt%H%M%Sz}"
    name, number = stem, 2
    while store.load(name) is not None:
        name, number = f"{stem}-{number}", number + 1
    store.save(name, keepable(raw))
    return name


def save_settings(store: DocumentStore, settings: Settings) -> None:
    """Write the settings; SettingsReadOnlyError (an OSError) when they must not be written."""
    if settings.read_only_reason is not None:
        raise SettingsReadOnlyError(f"Settings are not saved: {settings.read_only_reason}")
    store.save(SETTINGS_DOC, settings.to_dict())
