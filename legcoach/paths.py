"""Every path the app uses comes from here, so tests (and --data-dir) can redirect all of them.

Qt-free on purpose: the command line needs the data folder before any QApplication exists.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_ENV = "LEGCOACH_DATA_DIR"
_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    """A wheel carries resources/ and assets/ inside the package; a checkout has them at the top."""
    installed = _PACKAGE_DIR / "_data" / name
    return installed if installed.is_dir() else _PACKAGE_DIR.parent / name


def resources_dir() -> Path:
    return _bundled("resources")


def assets_dir() -> Path:
    return _bundled("assets")


def builtin_exercises_dir() -> Path:
    return resources_dir() / "exercises"


def default_data_dir() -> Path:
    """The per-user data folder: $LEGCOACH_DATA_DIR, else the platform's user data folder."""
    override = os.environ.get(DATA_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("legcoach", appauthor=False))


@dataclass(frozen=True)
class DataPaths:
    """The layout inside one data folder."""

    root: Path

    @property
    def exercises(self) -> Path:
        """Where users drop their own exercise files."""
        return self.root / "exercises"

    def ensure(self) -> None:
        self.exercises.mkdir(parents=True, exist_ok=True)
