"""Everything the screens need from the core, with storage behind the core's interfaces.

`app.py` builds one with TinyDB and JSON files; tests build one in memory. Screens receive
it instead of reaching for globals, so each test gets its own world.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from legcoach.core.documents import DocumentStore, keepable
from legcoach.core.exercise import Exercise
from legcoach.core.library import ExerciseLibrary
from legcoach.core.machine_memory import MachineMemory
from legcoach.core.progression import ProgressionSettings, Suggestion, suggest_next
from legcoach.core.records import RecordBook, RecordEvent
from legcoach.core.routine import RoutineBook
from legcoach.core.session import SessionError, WorkoutSession
from legcoach.core.setlog import SetRecord
from legcoach.core.settings import Settings, open_settings, save_settings
from legcoach.core.undo import SetLogEditor

if TYPE_CHECKING:  # imports are rare: the parsers load when one happens
    from legcoach.core.importers import ImportPreview, ImportResult

SESSION_DOC = "active_session"
NAMES_DOC = "session_names"
MACHINES_DOC = "machine_settings"
IMPORT_MAPPING_DOC = "import_mapping"
COACH_WINDOW = timedelta(days=180)  # progression looks at recent sessions only


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Workspace:
    library: ExerciseLibrary
    sets: SetLogEditor
    documents: DocumentStore
    now: Callable[[], datetime] = utc_now
    progression: ProgressionSettings = field(default_factory=ProgressionSettings)
    read_only: bool = False
    read_only_reason: str = ""
    """Why nothing is written, for the banner; "" means another legcoach holds the folder."""
    routines: RoutineBook = field(init=False)
    settings: Settings = field(init=False)
    machines: MachineMemory = field(init=False)
    _records: dict[str, RecordBook] = field(init=False, default_factory=dict)
    _names: dict[str, str] | None = field(init=False, default=None)
    session_problems: list[str] = field(init=False, default_factory=list)
    changed: list = field(init=False, default_factory=list)
    """Listeners called as f(exercise_ids, added_records) after every change to the log."""

    def __post_init__(self) -> None:
        try:
            self.routines = RoutineBook.open(self.documents, self.library, now=self.now)
        except OSError:  # read-only, and the stored routines needed setting aside
            self.routines = RoutineBook(self.library)
        self.machines = MachineMemory.from_dict(self.documents.load(MACHINES_DOC))
        self.settings = open_settings(self.documents, now=self.now, read_only=self.read_only)

    # --- persistence of the small documents -----------------------------------------------

    def save_settings(self) -> None:
        """Write the settings; OSError (SettingsReadOnlyError among them) when they can't be."""
        save_settings(self.documents, self.settings)

    def save_machines(self) -> None:
        self.documents.save(MACHINES_DOC, self.machines.to_dict())

    def save_session(self, session: WorkoutSession | None) -> None:
        """The in-progress workout; None once it is over (nothing to resume)."""
        self.documents.save(SESSION_DOC, session.to_dict() if session else {"v": 1,
                                                                             "none": True})
        if session is not None and session.id not in self.session_names():
            names = dict(self.session_names())
            names[session.id] = session.routine_name
            self.documents.save(NAMES_DOC, {"v": 1, "names": names})
            self._names = names

    def session_names(self) -> dict[str, str]:
        """Session id → routine name ("Leg day", "Free training · …"): sets don't store it."""
        if self._names is None:
            raw = self.documents.load(NAMES_DOC) or {}
            names = raw.get("names") if isinstance(raw.get("names"), dict) else {}
            self._names = {str(k): str(v) for k, v in names.items()}
        return self._names

    def load_session(self) -> WorkoutSession | None:
        """The workout to resume, or None; a damaged one is reported, not fatal."""
        raw = self.documents.load(SESSION_DOC)
        if not raw or raw.get("none"):
            return None
        try:
            session = WorkoutSession.from_dict(raw)
        except SessionError as error:
            self._keep_unreadable_session(raw, str(error))
            return None
        return None if session.is_done else session

    def _keep_unreadable_session(self, raw: dict, why: str) -> None:
        """Copy a session this version cannot resume aside before anything overwrites it."""
        stamp = self.now().astimezone(UTC).strftime("%Y%m%dt%H%M%Sz")
        backup = f"{SESSION_DOC}-unreadable-{stamp}"
        try:
            self.documents.save(backup, keepable(raw))
        except OSError:
            self.session_problems.append(f"{why} It could not be resumed or set aside.")
            return
        self.session_problems.append(f"{why} It was kept as “{backup}” and not resumed.")

    # --- the log and the coach ------------------------------------------------------------

    def recent(self, exercise_id: str) -> list[SetRecord]:
        """The exercise's sets of the last COACH_WINDOW: all the coach needs, cheap to read."""
        return self.sets.store.query(exercise_id=exercise_id, start=self.now() - COACH_WINDOW)

    def records_for(self, exercise_id: str) -> RecordBook:
        """Records of one exercise, built from its whole history on first use only."""
        book = self._records.get(exercise_id)
        if book is None:
            book = RecordBook.from_history(self.sets.store.query(exercise_id=exercise_id),
                                           names=self.exercise_names())
            self._records[exercise_id] = book
        return book

    def log(self, records: list[SetRecord]) -> list[RecordEvent]:
        """Store the sets (one per side) and return the records they broke."""
        events: list[RecordEvent] = []
        for record in records:
            book = self.records_for(record.exercise_id)
            self.sets.add(record)
            events.extend(book.add(record))
        self._announce({r.exercise_id for r in records}, list(records))
        return events

    def _announce(self, exercise_ids: set[str], added: list[SetRecord]) -> None:
        for listener in self.changed:
            listener(exercise_ids, added)

    def suggestions(self, exercise: Exercise) -> tuple[Suggestion, ...]:
        """The coach's next load: one suggestion, or one per leg when the legs differ."""
        history = self.recent(exercise.id)
        target = exercise.guidance.relative_to
        reference = self.library.get(target) if target else None
        if reference is not None:
            history += self.recent(reference.id)
        return suggest_next(exercise, history, self.settings.progression(self.progression),
                            reference=reference,
                            now=self.now())

    def exercise_names(self) -> dict[str, str]:
        return {e.id: e.name for e in self.library}

    def undo(self) -> str | None:
        """Ctrl+Z: revert the last change to the log; records are recomputed from the log."""
        message = self.sets.undo()
        if message is not None:
            self._records.clear()  # rebuilt from the log on next use
            self._announce(set(), [])
        return message

    def update(self, record: SetRecord) -> SetRecord:
        """Store an edited set; returns the version it replaced."""
        before = self.sets.update(record)
        self._records.pop(before.exercise_id, None)
        self._records.pop(record.exercise_id, None)
        self._announce({before.exercise_id, record.exercise_id}, [])
        return before

    def import_mapping(self) -> dict[str, str | None]:
        """Where earlier imports sent each foreign exercise name (None: not imported)."""
        names = (self.documents.load(IMPORT_MAPPING_DOC) or {}).get("names")
        if not isinstance(names, dict):
            return {}
        return {str(k): (v if isinstance(v, str) else None) for k, v in names.items()}

    def remember_import_mapping(self, mapping: dict[str, str | None]) -> None:
        """Keep this import's choices for the next file (OSError if they can't be saved)."""
        self.documents.save(IMPORT_MAPPING_DOC,
                            {"v": 1, "names": {**self.import_mapping(), **mapping}})

    def import_sets(self, preview: ImportPreview) -> ImportResult:
        """Add an import's new sets in one batch; charts and records follow the new log."""
        from legcoach.core.importers import apply_import

        try:
            return apply_import(preview, self.sets.store)
        finally:  # even a failure part-way may have added some months
            self._records.clear()
            self._announce({record.exercise_id for record in preview.sets}, [])

    def delete(self, record_id: str) -> SetRecord:
        removed = self.sets.delete(record_id)
        self._records.pop(removed.exercise_id, None)
        self._announce({removed.exercise_id}, [])
        return removed
