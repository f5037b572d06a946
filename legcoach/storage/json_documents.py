"""`DocumentStore` on disk: one `<name>.json` file per document, replaced atomically.

A damaged file is never deleted or overwritten: it is renamed to
`<name>.corrupt-<UTC timestamp>.json` next to where it was, `load` returns None so the app can
start fresh, and `problems()` says where the old file went so the lifter (or support) can
rescue it. Documents keep their own "v"; a newer one is returned as is and the caller refuses
it (e.g. the routine book raises NewerDocumentError and saves nothing).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from legcoach.core.documents import check_document_name
from legcoach.core.readonly import ReadOnlyError
from legcoach.storage.atomic import clean_stale_temp_files, read_json, write_json_atomic

__all__ = ["JsonDocumentStore"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class JsonDocumentStore:
    """Documents as JSON files in `folder`, a folder only this store writes to.

    Temp files a crash left behind are removed on creation, which is only safe because no
    other writer uses the folder.
    """

    def __init__(self, folder: Path | str, *, now: Callable[[], datetime] = _utc_now,
                 read_only: bool = False) -> None:
        """`read_only`: another legcoach writes this folder; touch nothing on disk (its temp
        files are in flight, not stale, and a damaged file is its to move aside)."""
        self.folder = Path(folder)
        self.read_only = read_only
        self._now = now
        self._problems: list[str] = []
        if not read_only:
            self.folder.mkdir(parents=True, exist_ok=True)
            clean_stale_temp_files(self.folder)

    def path(self, name: str) -> Path:
        """Where a document lives (after checking the name)."""
        return self.folder / f"{check_document_name(name)}.json"

    def load(self, name: str) -> dict[str, Any] | None:
        path = self.path(name)
        try:
            data = read_json(path)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:  # ValueError: bad UTF-8, bad or unsavable JSON
            self._set_aside(name, path, _describe(error))
            return None
        if not isinstance(data, dict):
            self._set_aside(name, path, f"it holds {_kind(data)} instead of a JSON object")
            return None
        return data

    def save(self, name: str, data: Mapping[str, Any]) -> None:
        if self.read_only:
            raise ReadOnlyError()
        path = self.path(name)
        if not isinstance(data, Mapping):
            raise TypeError(f"A document must be a mapping, not {type(data).__name__}.")
        write_json_atomic(path, dict(data))

    def problems(self) -> list[str]:
        return list(self._problems)

    def _set_aside(self, name: str, path: Path, why: str) -> None:
        """Rename a damaged file out of the way and record a message saying where it went.

        If even the rename fails, raise: returning None would let the next save overwrite
        the only copy.
        """
        if self.read_only:
            self._problems.append(f"{path.name} could not be read ({why}); it was left as it "
                                  "is (this window is read-only).")
            return
        stamp = self._now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = self.folder / f"{name}.corrupt-{stamp}.json"
        counter = 2
        while target.exists():  # two damaged copies within a second: keep both
            target = self.folder / f"{name}.corrupt-{stamp}-{counter}.json"
            counter += 1
        try:
            os.replace(path, target)
        except OSError as error:
            raise OSError(
                error.errno,
                f"{path.name} could not be read ({why}) and could not be moved aside "
                f"({error.strerror or error}); it was left untouched",
            ) from error
        self._problems.append(
            f"{path.name} could not be read ({why}). It was moved to {target} so nothing is "
            "lost, and legcoach started this part fresh."
        )


def _describe(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
    if isinstance(error, UnicodeDecodeError):
        return "not UTF-8 text"
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)


def _kind(value: object) -> str:
    return {list: "a list", str: "text", bool: "true/false", int: "a number",
            float: "a number", type(None): "null"}.get(type(value), type(value).__name__)
