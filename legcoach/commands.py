"""`legcoach import FILE` and `legcoach export FILE`: the log in and out, from a terminal.

No window: these work over SSH or in a script. Import takes the data folder's lock (it
writes); a running app on the same folder is told about, not raced.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from legcoach.core.exporters import BACKUP_DOCUMENTS, export_csv, export_json
from legcoach.core.importers import ImportFileError, ImportPreview, apply_import, parse_import
from legcoach.core.library import load_library
from legcoach.core.setlog import LoadUnit
from legcoach.core.workspace import IMPORT_MAPPING_DOC as MAPPING_DOC
from legcoach.paths import DataPaths, builtin_exercises_dir, default_data_dir

COMMANDS = ("import", "export")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="legcoach", description="Import or export the set log.")
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="import a Strong, Hevy or legcoach CSV file")
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="show what would be added, add nothing")
    imp.add_argument("--unit", choices=[u.value for u in LoadUnit],
                     help="weight unit, for files that do not say (Strong on iOS)")
    imp.add_argument("--keep-unmapped", action="store_true",
                     help="import exercises that are not in the library as custom exercises")
    exp = sub.add_parser("export", help="write the whole log as CSV or a full JSON backup")
    exp.add_argument("file", type=Path)
    exp.add_argument("--format", choices=("csv", "json"), default=None,
                     help="default: from the file name")
    for command in (imp, exp):
        command.add_argument("--data-dir", type=Path, default=None, metavar="DIR")
    return parser


def _stores(data: DataPaths):
    from legcoach.storage.json_documents import JsonDocumentStore
    from legcoach.storage.tinydb_store import TinyDBSetStore

    return TinyDBSetStore(data.root), JsonDocumentStore(data.root)


def describe_preview(preview: ImportPreview) -> list[str]:
    """The preview in plain lines: what the file holds and where each exercise goes."""
    lines = [f"Format: {preview.layout}",
             f"Workouts: {len(preview.sessions)}, sets to import: {len(preview.sets)}"]
    if preview.date_range:
        first, last = preview.date_range
        lines.append(f"Dates: {first:%Y-%m-%d} to {last:%Y-%m-%d} (UTC)")
    for name, target in sorted(preview.exercise_map.items()):
        count = preview.exercise_counts.get(name, 0)
        where = target or "not imported (not in the library; --keep-unmapped keeps it)"
        lines.append(f"  {name} ({count} sets) → {where}")
    if preview.left_out:
        lines.append(f"Left out: {preview.left_out} sets of exercises not in the library")
    for warning in preview.warnings[:20]:
        lines.append(f"  line {warning.line}: {warning.message}")
    if len(preview.warnings) > 20:
        lines.append(f"  … and {len(preview.warnings) - 20} more warnings")
    return lines


def run_import(args: argparse.Namespace, data: DataPaths, out: TextIO) -> int:
    from legcoach.instance_lock import DataFolderLock

    try:
        raw = args.file.read_bytes()
    except OSError as error:
        print(f"legcoach: cannot read {args.file}: {error.strerror or error}", file=sys.stderr)
        return 2
    lock = DataFolderLock(data.root)
    if not args.dry_run and not lock.acquire():
        print(f"legcoach: {lock.problem()} Close it, then import again.", file=sys.stderr)
        return 3
    try:
        store, documents = _stores(data)
        mapping = (documents.load(MAPPING_DOC) or {}).get("names", {})
        try:
            preview = parse_import(raw, unit=LoadUnit(args.unit) if args.unit else None,
                                   mapping=mapping, keep_unmapped=args.keep_unmapped,
                                   now=datetime.now(UTC))
        except ImportFileError as error:
            print(f"legcoach: {args.file.name}: {error} (nothing was imported)", file=sys.stderr)
            return 2
        for line in describe_preview(preview):
            print(line, file=out)
        if args.dry_run:
            print("Dry run: nothing was added.", file=out)
            return 0
        result = apply_import(preview, store)
        remembered = {**mapping, **{k: v for k, v in preview.exercise_map.items() if v}}
        documents.save(MAPPING_DOC, {"v": 1, "names": remembered})
        store.close()
        print(f"Added {result.added} sets ({result.skipped_existing} were already in the log).",
              file=out)
        return 0
    finally:
        lock.release()


def run_export(args: argparse.Namespace, data: DataPaths, out: TextIO) -> int:
    from legcoach.storage.atomic import atomic_write_bytes

    fmt = args.format or ("json" if args.file.suffix.lower() == ".json" else "csv")
    store, documents = _stores(data)
    records = store.query()
    names = {e.id: e.name for e in load_library(builtin_exercises_dir(), data.exercises)}
    if fmt == "csv":
        text = export_csv(records, names)
    else:
        docs = {name: doc for name in BACKUP_DOCUMENTS
                if (doc := documents.load(name)) is not None}
        text = export_json(records, docs)
    store.close()
    try:
        atomic_write_bytes(args.file, text.encode("utf-8"))
    except OSError as error:
        print(f"legcoach: cannot write {args.file}: {error.strerror or error}", file=sys.stderr)
        return 2
    print(f"Wrote {len(records)} sets to {args.file} ({fmt}).", file=out)
    return 0


def main(argv: Sequence[str], out: TextIO = sys.stdout) -> int:
    args = _parser().parse_args(argv)
    data = DataPaths((args.data_dir or default_data_dir()).expanduser())
    data.ensure()
    if args.command == "import":
        return run_import(args, data, out)
    return run_export(args, data, out)
