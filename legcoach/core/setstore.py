"""Where logged sets live: the interface the app codes against, and an in-memory reference.

The core only knows this Protocol; `legcoach.storage` implements it on disk. The in-memory
store defines the expected behaviour (the storage tests run the same contract against both)
and serves core and UI tests that need a store without files.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from legcoach.core.setlog import SetRecord

__all__ = [
    "InMemorySetStore",
    "RecordExists",
    "RecordNotFound",
    "SetStore",
    "StoreClosed",
    "StoreError",
    "check_range",
    "in_range",
    "sort_key",
]


class StoreError(Exception):
    """Base of every storage failure a caller may want to show the lifter."""


SAVE_ERRORS = (OSError, StoreError)
"""What a save can raise that the lifter must be told about (disk trouble, damaged files)."""


def error_text(error: BaseException) -> str:
    """The short reason to show: the OS's words for disk errors, the message otherwise."""
    return getattr(error, "strerror", None) or str(error)


class RecordNotFound(StoreError):
    """No set with that id (deleted meanwhile, or never stored)."""


class RecordExists(StoreError):
    """add() with an id that is already stored: use update() to change a set."""


class StoreClosed(StoreError):
    """The store was closed; nothing can be read or written through it any more."""


class SetStore(Protocol):
    """The set log as the app sees it: CRUD by id plus time-ordered queries.

    Times are aware datetimes; `query` includes `start` and excludes `end` (half-open, so
    consecutive ranges never count a set twice).
    """

    def add(self, record: SetRecord) -> None:
        """Store a new set; RecordExists if its id is taken."""
        ...

    def add_many(self, records: Iterable[SetRecord]) -> list[SetRecord]:
        """Store the sets whose ids are not stored yet (an import); returns those added.

        Stored sets are never replaced, and an id repeated in `records` is added once. A
        failure part-way keeps what was added; adding the same sets again completes the job.
        """
        ...

    def update(self, record: SetRecord) -> None:
        """Replace the stored set with the same id; RecordNotFound if there is none.

        Bump updated_at (`replace_fields` does): crash recovery keeps the newest copy.
        """
        ...

    def delete(self, record_id: str) -> SetRecord:
        """Remove a set and return it (so it can be undone); RecordNotFound if absent."""
        ...

    def get(self, record_id: str) -> SetRecord | None:
        """The set with that id, or None."""
        ...

    def query(
        self,
        exercise_id: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> list[SetRecord]:
        """Sets matching all given filters, sorted by performed_at (then id)."""
        ...

    def count(self) -> int:
        """How many sets are stored."""
        ...

    def close(self) -> None:
        """Release files; idempotent. Later calls raise StoreClosed."""
        ...


def sort_key(record: SetRecord) -> tuple[datetime, str]:
    """Query order: time performed, ties broken by id so the order is stable everywhere."""
    return record.performed_at, record.id


def check_range(start: datetime | None, end: datetime | None) -> None:
    """Reject naive bounds: comparing them with stored UTC times would raise deep inside."""
    for name, bound in (("start", start), ("end", end)):
        if bound is not None and bound.utcoffset() is None:
            raise ValueError(f"Query {name} must be timezone-aware, got {bound!r}.")


def in_range(
    record: SetRecord, exercise_id: str | None, start: datetime | None, end: datetime | None
) -> bool:
    """The query filter, shared by every implementation so they cannot drift apart."""
    return (
        (exercise_id is None or record.exercise_id == exercise_id)
        and (start is None or record.performed_at >= start)
        and (end is None or record.performed_at < end)
    )


class InMemorySetStore:
    """A dict of immutable records: the reference behaviour of SetStore, for tests."""

    def __init__(self, records: list[SetRecord] | None = None) -> None:
        self._records: dict[str, SetRecord] = {}
        self._closed = False
        for record in records or ():
            self.add(record)

    def _open(self) -> dict[str, SetRecord]:
        if self._closed:
            raise StoreClosed("The set log is closed.")
        return self._records

    def add(self, record: SetRecord) -> None:
        records = self._open()
        if record.id in records:
            raise RecordExists(f"A set with id {record.id} is already stored.")
        records[record.id] = record

    def add_many(self, records: Iterable[SetRecord]) -> list[SetRecord]:
        stored = self._open()
        added: list[SetRecord] = []
        for record in records:
            if record.id not in stored:
                stored[record.id] = record
                added.append(record)
        return added

    def update(self, record: SetRecord) -> None:
        records = self._open()
        if record.id not in records:
            raise RecordNotFound(f"No set with id {record.id} to update.")
        records[record.id] = record

    def delete(self, record_id: str) -> SetRecord:
        records = self._open()
        if record_id not in records:
            raise RecordNotFound(f"No set with id {record_id} to delete.")
        return records.pop(record_id)

    def get(self, record_id: str) -> SetRecord | None:
        return self._open().get(record_id)

    def query(
        self,
        exercise_id: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> list[SetRecord]:
        check_range(start, end)
        found = [r for r in self._open().values() if in_range(r, exercise_id, start, end)]
        return sorted(found, key=sort_key)

    def count(self) -> int:
        return len(self._open())

    def close(self) -> None:
        self._closed = True
