"""Small JSON documents (routines, machine settings, the session in progress): the interface.

The core codes against `DocumentStore`; `legcoach.storage.json_documents` keeps each document
in its own file. `InMemoryDocumentStore` is the reference behaviour for tests: it round-trips
through JSON like the disk store does, so data that could not be saved fails here too.

Versions are the caller's business: every document carries its own "v", and the code that
owns the layout upgrades it with a `Migrator` (or refuses a newer one with
`NewerDocumentError`). The store never interprets the content, so it can't damage data it
doesn't understand.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, Final, Protocol

__all__ = [
    "DOCUMENT_NAME",
    "DocumentStore",
    "InMemoryDocumentStore",
    "Migrator",
    "NewerDocumentError",
    "check_document_name",
    "keepable",
]

DOCUMENT_NAME: Final = re.compile(r"[a-z0-9_-]{1,64}", re.ASCII)
"""Allowed names: safe as a file name on every OS and never containing a path or a dot."""


def check_document_name(name: object) -> str:
    """Return `name` if it is a valid document name, else raise ValueError.

    Names come from code, not users, so a bad one is a bug worth failing loudly on.
    """
    if not isinstance(name, str) or DOCUMENT_NAME.fullmatch(name) is None:
        raise ValueError(
            f"A document name is 1 to 64 of a-z, 0-9, '_' and '-'; {name!r} is not one."
        )
    return name


class DocumentStore(Protocol):
    """Named JSON objects, each read and written whole.

    `load` returns None when there is no usable document: never saved, or found damaged (the
    store then keeps the damaged copy aside and explains it in `problems()`).
    A document whose "v" is newer than the caller understands is returned as it is; the caller
    must refuse it (see `Migrator.migrate`) and must not save over it.
    """

    def load(self, name: str) -> dict[str, Any] | None:
        """The document as a fresh dict (safe to mutate), or None."""
        ...

    def save(self, name: str, data: Mapping[str, Any]) -> None:
        """Replace the document whole; on any error the previous version is kept."""
        ...

    def problems(self) -> list[str]:
        """Messages for the lifter about documents that could not be read, oldest first."""
        ...


def _json_copy(data: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy via JSON, so in-memory saves reject exactly what a file could not hold."""
    if not isinstance(data, Mapping):
        raise TypeError(f"A document must be a mapping, not {type(data).__name__}.")
    text = json.dumps(dict(data), allow_nan=False, ensure_ascii=False)
    return json.loads(text.encode("utf-8"))  # a lone surrogate fails here as on disk


def keepable(data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` in a form every store can write, for keeping a damaged document aside.

    JSON files can hold what the strict writer refuses (NaN, Infinity, a "\\ud800" escape
    read as a lone surrogate). Such a document is kept as its JSON text (ASCII, every
    character escaped, so nothing is lost) under "unsavable_json"; anything else as it is.
    """
    try:
        json.dumps(data, allow_nan=False, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError):  # UnicodeEncodeError is a ValueError
        return {"unsavable_json": json.dumps(data, default=repr)}
    return dict(data)


class InMemoryDocumentStore:
    """A DocumentStore in a dict; `problems` can be seeded to test how callers show them."""

    def __init__(self, documents: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self._documents: dict[str, dict[str, Any]] = {}
        self._problems: list[str] = []
        for name, data in (documents or {}).items():
            self.save(name, data)

    def load(self, name: str) -> dict[str, Any] | None:
        data = self._documents.get(check_document_name(name))
        return copy.deepcopy(data) if data is not None else None

    def save(self, name: str, data: Mapping[str, Any]) -> None:
        check_document_name(name)
        self._documents[name] = _json_copy(data)

    def names(self) -> list[str]:
        """Saved document names, sorted (for tests and diagnostics)."""
        return sorted(self._documents)

    def add_problem(self, message: str) -> None:
        self._problems.append(message)

    def problems(self) -> list[str]:
        return list(self._problems)


# --- versions -------------------------------------------------------------------------------

Migration = Callable[[dict[str, Any]], dict[str, Any]]


class NewerDocumentError(Exception):
    """A document was saved by a newer legcoach: old code must neither read nor overwrite it.

    Not a ValueError on purpose: the data is fine, the app is too old. Show the message.
    """

    def __init__(self, what: str, version: int, known: int) -> None:
        self.what = what
        self.version = version
        self.known = known
        super().__init__(
            f"Your {what} were saved by a newer version of legcoach (data version {version}; "
            f"this version reads up to {known}). Update legcoach to open them. Nothing was "
            "changed."
        )


class Migrator:
    """Upgrades one document kind from any older "v" to the current one, step by step.

    Register a step for every version ever released; bump `version` in the same change.
    """

    def __init__(self, what: str, version: int) -> None:
        self.what = what
        self.version = version
        self.steps: dict[int, Migration] = {}

    def register(self, from_version: int) -> Callable[[Migration], Migration]:
        """Decorator adding the step from `from_version` to `from_version + 1`."""

        def decorate(step: Migration) -> Migration:
            if from_version in self.steps:
                raise ValueError(f"A {self.what} migration from v{from_version} exists already.")
            self.steps[from_version] = step
            return step

        return decorate

    def migrate(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """A copy of `raw` upgraded to `version`; `raw` itself is never changed.

        NewerDocumentError for a newer version; ValueError if "v" is missing or a step is.
        """
        if not isinstance(raw, Mapping):
            raise ValueError(f"Stored {self.what} must be a JSON object, not {type(raw).__name__}.")
        version = raw.get("v")
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            raise ValueError(f"Stored {self.what} have no valid version number 'v': {version!r}.")
        if version > self.version:
            raise NewerDocumentError(self.what, version, self.version)
        data = copy.deepcopy(dict(raw))
        while version < self.version:
            step = self.steps.get(version)
            if step is None:
                raise ValueError(f"No way to upgrade stored {self.what} from v{version}.")
            data = dict(step(data))
            version += 1
            data["v"] = version
        return data
