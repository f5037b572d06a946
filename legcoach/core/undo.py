"""Undo and redo for the set log, so a mistyped or deleted set is one click from being back.

Every change made through `SetLogEditor` remembers the record before and after. Undo puts the
"before" back; restoring an edited set is itself an edit, so it gets a fresh updated_at (crash
recovery in the store keeps the copy with the newest updated_at).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from legcoach.core.setlog import SetRecord, replace_fields
from legcoach.core.setstore import RecordNotFound, SetStore

__all__ = ["SetLogEditor"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class _Change:
    """One change as the store saw it: no record before = added, none after = deleted."""

    before: SetRecord | None
    after: SetRecord | None

    @property
    def record_id(self) -> str:
        record = self.after or self.before
        assert record is not None
        return record.id

    def describe(self) -> str:
        if self.before is None and self.after is not None:
            return f"logged set {self.after.describe()}"
        if self.after is None and self.before is not None:
            return f"deleted set {self.before.describe()}"
        assert self.before is not None and self.after is not None
        return f"edited set {self.before.describe()} → {self.after.describe()}"


class SetLogEditor:
    """Adds, edits and deletes sets through a SetStore, keeping undo and redo stacks.

    If the store refuses an undo or redo (e.g. the set was changed elsewhere), the error
    propagates and both stacks stay as they were.
    """

    def __init__(
        self, store: SetStore, *, limit: int = 100, now: Callable[[], datetime] = _utc_now
    ) -> None:
        self._store = store
        self._now = now
        self._undo: deque[_Change] = deque(maxlen=limit)
        self._redo: list[_Change] = []

    @property
    def store(self) -> SetStore:
        return self._store

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def add(self, record: SetRecord) -> None:
        self._store.add(record)
        self._record(_Change(None, record))

    def update(self, record: SetRecord) -> SetRecord:
        """Store the edited record and return the version it replaced."""
        before = self._store.get(record.id)
        if before is None:
            raise RecordNotFound(f"No set with id {record.id} to update.")
        self._store.update(record)
        self._record(_Change(before, record))
        return before

    def delete(self, record_id: str) -> SetRecord:
        removed = self._store.delete(record_id)
        self._record(_Change(removed, None))
        return removed

    def undo(self) -> str | None:
        """Revert the latest change; return e.g. "Undid: deleted set 100 kg × 10", or None."""
        if not self._undo:
            return None
        change = self._undo[-1]
        self._restore(change.record_id, change.before)
        self._redo.append(self._undo.pop())
        return f"Undid: {change.describe()}"

    def redo(self) -> str | None:
        """Re-apply the latest undone change; return e.g. "Redid: logged set …", or None."""
        if not self._redo:
            return None
        change = self._redo[-1]
        self._restore(change.record_id, change.after)
        self._undo.append(self._redo.pop())
        return f"Redid: {change.describe()}"

    def _record(self, change: _Change) -> None:
        self._undo.append(change)
        self._redo.clear()  # a new change forks history: the undone future is gone

    def _restore(self, record_id: str, target: SetRecord | None) -> None:
        """Make the store hold `target` for `record_id` (None = no set), from whatever it holds."""
        current = self._store.get(record_id)
        if target is None:
            self._store.delete(record_id)
        elif current is None:
            self._store.add(target)
        else:
            stamp = max(self._now(), current.updated_at + timedelta(microseconds=1))
            self._store.update(replace_fields(target, now=stamp))
