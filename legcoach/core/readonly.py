"""The error a read-only window raises on any write (another legcoach owns the folder).

It is an OSError, so the screens' existing "could not save" handling explains it without
special cases.
"""

from __future__ import annotations

import errno

REASON = "read-only: another legcoach window is writing to this data folder"


class ReadOnlyError(OSError):
    def __init__(self) -> None:
        super().__init__(errno.EROFS, REASON)
