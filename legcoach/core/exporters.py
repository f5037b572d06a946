"""Export the set log as CSV (spreadsheets, other apps) and as a complete JSON backup.

Both read back exactly: the CSV through `importers.parse_import` (detected as "legcoach"), the
backup through `import_json_backup`. Export → import into an empty log gives the same log, ids,
times and all, so an export is a real way out of (and back into) legcoach.

CSV columns (`LEGCOACH_CSV_COLUMNS`), one row per set, oldest first, comma-separated, quoted
where needed, CRLF line ends; empty cell = no value:

=============  ==============================================================================
performed_at   when the set was done, ISO-8601 UTC: ``2025-06-01T10:30:00.000000Z``
exercise       the exercise's name, for people (ignored when read back)
exercise_id    legcoach's exercise id, e.g. ``leg-press-45``
load           the load as entered, e.g. ``225``
unit           ``kg`` or ``lb``
load_kg        the load in kg, derived, for spreadsheets (ignored when read back)
reps           0-100
side           ``both``, ``left`` or ``right``
set_type       ``warmup``, ``working``, ``drop`` or ``failure``
rpe            1-10 in halves
rir            reps in reserve, 0-10
tempo          eccentric-bottom-concentric-top seconds, e.g. ``3-1-2-0``
tut_seconds    time under tension
foot_height    ``low``, ``middle`` or ``high``
foot_width     ``narrow``, ``shoulder`` or ``wide``
note           free text (may hold commas, quotes and line breaks)
session_id     the workout the set belongs to; empty for a set logged on its own
source         where the set came from: ``legcoach``, ``strong``, ``hevy``
id             the set's id (32 hex digits): importing again skips sets already there
created_at     ISO-8601 UTC
updated_at     ISO-8601 UTC
=============  ==============================================================================

Notes starting with ``=``, ``+``, ``-`` or ``@`` are written as they are (no ``'`` prefix), so
the file reads back exactly; a spreadsheet may take such a note for a formula.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from typing import Any, Final

from legcoach.core.documents import check_document_name
from legcoach.core.importers import LEGCOACH_CSV_COLUMNS, ImportFileError
from legcoach.core.setlog import NewerSchemaError, SetRecord
from legcoach.core.setstore import sort_key

__all__ = [
    "BACKUP_DOCUMENTS",
    "BACKUP_FORMAT",
    "BACKUP_VERSION",
    "BackupError",
    "export_csv",
    "export_json",
    "import_json_backup",
]

BACKUP_FORMAT: Final = "legcoach-backup"
BACKUP_VERSION: Final = 1
"""Version of the backup envelope; each set inside carries its own schema version "v"."""
BACKUP_DOCUMENTS: Final = ("routines", "machine_settings", "settings", "preferences",
                           "session_names", "import_mapping")
"""The lifter's documents a JSON backup carries besides the sets (the CLI's and the menu's)."""


class BackupError(ImportFileError):
    """A backup that can't be restored; nothing of it is used. `line` is set for JSON syntax."""


def _number_text(value: float | int) -> str:
    """8.0 → "8", 102.05828325 → "102.05828325": short for people, exact when read back."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


def _csv_row(record: SetRecord, names: Mapping[str, str]) -> list[str]:
    stored = record.to_dict()
    stored["load"] = stored.pop("entered_load")
    stored["exercise"] = names.get(record.exercise_id, record.exercise_id)
    row = []
    for column in LEGCOACH_CSV_COLUMNS:
        value = stored[column]
        if value is None:
            row.append("")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            row.append(_number_text(value))
        else:
            row.append(str(value))
    return row


def export_csv(records: Iterable[SetRecord], names: Mapping[str, str]) -> str:
    """The sets as CSV text (columns in the module doc); `names`: exercise id → display name.

    Rows end in CRLF (RFC 4180; it also makes the writer quote a note holding a lone CR), so
    write the text with newline="" (and encoding "utf-8-sig" if Excel should open it).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(LEGCOACH_CSV_COLUMNS)
    writer.writerows(_csv_row(record, names) for record in sorted(records, key=sort_key))
    return out.getvalue()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _block(items: list[str]) -> str:
    """JSON items one per line inside brackets already opened by the caller."""
    return "\n" + ",\n".join(items) + "\n " if items else ""


def export_json(records: Iterable[SetRecord], documents: Mapping[str, Mapping[str, Any]]) -> str:
    """A complete backup: every set (`SetRecord.to_dict`) and every named JSON document.

    {"format": "legcoach-backup", "v": 1, "sets": [...], "documents": {name: {...}}}, one set
    or document per line, so a backup of years of training stays readable and diffable.
    """
    for name in documents:
        check_document_name(name)
    sets = [f"  {_json(record.to_dict())}" for record in sorted(records, key=sort_key)]
    docs = [f"  {_json(name)}: {_json(dict(documents[name]))}" for name in sorted(documents)]
    return (
        f'{{"format": {_json(BACKUP_FORMAT)}, "v": {BACKUP_VERSION},\n'
        f' "sets": [{_block(sets)}],\n'
        f' "documents": {{{_block(docs)}}}}}\n'
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def import_json_backup(
    text: str | bytes,
) -> tuple[list[SetRecord], dict[str, dict[str, Any]]]:
    """The sets and documents of a backup, all validated; BackupError for anything wrong.

    All or nothing: a single bad set rejects the backup, since restoring part of a log silently
    would look like lost training.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BackupError("the backup is not UTF-8 text.") from None
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        raise BackupError(f"the backup is not valid JSON ({exc.msg}, column {exc.colno}).",
                          exc.lineno) from None
    except RecursionError:
        raise BackupError("the backup is nested too deeply to be a legcoach backup.") from None
    if not isinstance(data, dict) or data.get("format") != BACKUP_FORMAT:
        raise BackupError("this is not a legcoach backup (no \"format\": \"legcoach-backup\").")
    version = data.get("v")
    if not _is_int(version) or version < 1:
        raise BackupError(f"the backup has no valid version number: {version!r}.")
    if version > BACKUP_VERSION:
        raise BackupError(
            f"this backup was made by a newer version of legcoach (backup version {version}, "
            f"this version reads up to {BACKUP_VERSION}). Update legcoach to restore it.")
    return _records(data.get("sets")), _documents(data.get("documents"))


def _records(raw_sets: object) -> list[SetRecord]:
    if not isinstance(raw_sets, list):
        raise BackupError("the backup's \"sets\" must be a list.")
    records: list[SetRecord] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(raw_sets, start=1):
        label = f"set {number}"
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            label += f" (id {raw['id'][:40]})"
        try:
            record = SetRecord.from_dict(raw)
        except NewerSchemaError as exc:
            raise BackupError(f"{label}: {exc}") from None
        except (ValueError, TypeError, OverflowError) as exc:
            raise BackupError(f"{label} is not valid: {exc}") from None
        if record.id in seen:
            raise BackupError(f"{label} has the same id as set {seen[record.id]}.")
        seen[record.id] = number
        records.append(record)
    return records


def _documents(raw_documents: object) -> dict[str, dict[str, Any]]:
    if not isinstance(raw_documents, dict):
        raise BackupError("the backup's \"documents\" must be an object.")
    documents: dict[str, dict[str, Any]] = {}
    for name, document in raw_documents.items():
        try:
            check_document_name(name)
        except ValueError as exc:
            raise BackupError(f"document {name[:70]!r}: {exc}") from None
        if not isinstance(document, dict):
            raise BackupError(f"document {name!r} must be a JSON object.")
        documents[name] = document
    return documents
