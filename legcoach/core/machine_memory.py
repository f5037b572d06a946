"""Machine settings memory: seat, backrest, safety stop and feet, per exercise and per gym.

Shown in the setup step next time, so the lifter does not have to rediscover "seat hole 5,
catches on pin 3" at every visit. Settings are free text because every machine numbers its
holes differently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Final

from legcoach.core.exercise import FootHeight, FootWidth
from legcoach.core.utc import iso_utc, parse_utc

SCHEMA_VERSION: Final = 1
MAX_TEXT: Final = 40
TEXT_FIELDS: Final = ("seat", "backrest", "safety_stop")


@dataclass(frozen=True)
class MachineSettings:
    exercise_id: str
    updated_at: datetime
    gym: str = ""
    seat: str = ""
    backrest: str = ""
    safety_stop: str = ""
    foot_height: FootHeight | None = None
    foot_width: FootWidth | None = None

    def __post_init__(self) -> None:
        for name in (*TEXT_FIELDS, "gym"):
            object.__setattr__(self, name, _clean(str(getattr(self, name))))
        if self.foot_height is not None:
            object.__setattr__(self, "foot_height", FootHeight(self.foot_height))
        if self.foot_width is not None:
            object.__setattr__(self, "foot_width", FootWidth(self.foot_width))

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, n) for n in TEXT_FIELDS) and self.foot_height is None \
            and self.foot_width is None

    def summary(self) -> str:
        """One line for the setup step, e.g. "Seat 5 · Backrest 45° · Catches pin 3 · Feet …"."""
        parts = []
        for name, caption in (("seat", "Seat"), ("backrest", "Backrest"),
                              ("safety_stop", "Catches")):
            if getattr(self, name):
                parts.append(f"{caption} {getattr(self, name)}")
        if self.foot_height or self.foot_width:
            feet = " ".join(v.value for v in (self.foot_height, self.foot_width) if v)
            parts.append(f"Feet {feet}")
        return " · ".join(parts)


def _clean(text: str) -> str:
    """Runs of white space collapsed, cut to MAX_TEXT, no space left dangling at the cut.

    Lone surrogates (a JSON "\\ud800" escape) are dropped: they can't be written as UTF-8.
    """
    text = "".join(char for char in text if not "\ud800" <= char <= "\udfff")
    return " ".join(text.split())[:MAX_TEXT].rstrip()


def _key(exercise_id: str, gym: str) -> tuple[str, str]:
    """Cleaned like the stored gym, so a long name finds what was stored under it."""
    return exercise_id, _clean(gym).casefold()


class MachineMemory:
    """All remembered settings; a gym with nothing stored falls back to the last one used."""

    def __init__(self, entries: Mapping[tuple[str, str], MachineSettings] | None = None) -> None:
        self._entries: dict[tuple[str, str], MachineSettings] = dict(entries or {})

    def get(self, exercise_id: str, gym: str = "") -> MachineSettings | None:
        exact = self._entries.get(_key(exercise_id, gym))
        if exact is not None:
            return exact
        candidates = [s for (ex, _), s in self._entries.items() if ex == exercise_id]
        return max(candidates, key=lambda s: s.updated_at, default=None)

    def remember(self, settings: MachineSettings) -> None:
        self._entries[_key(settings.exercise_id, settings.gym)] = settings

    def remember_feet(self, exercise_id: str, gym: str, foot_height: FootHeight | None,
                      foot_width: FootWidth | None, now: datetime) -> None:
        """The log form's foot placement becomes the one suggested next time."""
        base = self._entries.get(_key(exercise_id, gym)) or MachineSettings(
            exercise_id=exercise_id, gym=gym, updated_at=now)
        self.remember(replace(base, foot_height=foot_height, foot_width=foot_width,
                              updated_at=now))

    def gyms(self) -> list[str]:
        return sorted({s.gym for s in self._entries.values() if s.gym}, key=str.casefold)

    def to_dict(self) -> dict[str, Any]:
        return {"v": SCHEMA_VERSION, "entries": [
            {"exercise_id": s.exercise_id, "gym": s.gym, "seat": s.seat, "backrest": s.backrest,
             "safety_stop": s.safety_stop,
             "foot_height": s.foot_height.value if s.foot_height else None,
             "foot_width": s.foot_width.value if s.foot_width else None,
             "updated_at": iso_utc(s.updated_at)}
            for s in sorted(self._entries.values(), key=lambda s: (s.exercise_id, s.gym))
        ]}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any] | None) -> MachineMemory:
        """Entries that cannot be read are skipped: losing one note beats losing them all."""
        memory = cls()
        if not raw or not isinstance(raw.get("entries"), list):
            return memory
        for entry in raw["entries"]:
            try:
                memory.remember(MachineSettings(
                    exercise_id=str(entry["exercise_id"]), gym=str(entry.get("gym", "")),
                    seat=str(entry.get("seat", "")), backrest=str(entry.get("backrest", "")),
                    safety_stop=str(entry.get("safety_stop", "")),
                    foot_height=entry.get("foot_height") or None,
                    foot_width=entry.get("foot_width") or None,
                    updated_at=parse_utc(entry["updated_at"]),
                ))
            except (KeyError, TypeError, ValueError):
                continue
        return memory
