"""One writer per data folder: a second legcoach on the same folder is told, not allowed in.

QLockFile writes the holder's PID, host and app name; a lock left by a crashed process is
stale as soon as that PID is gone (same host), so a crash never locks the lifter out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile

LOCK_NAME = ".legcoach.lock"


@dataclass(frozen=True)
class LockHolder:
    pid: int
    host: str
    app: str

    def describe(self) -> str:
        where = f" on {self.host}" if self.host else ""
        return f"process {self.pid}{where}" if self.pid else "another program"


class DataFolderLock:
    """Hold the folder's lock for the life of the app; `release()` on exit."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / LOCK_NAME
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)  # never stale by age: only when the holder is gone

    def acquire(self, timeout_ms: int = 0) -> bool:
        """True if we are now the writer. Removes a lock left by a process that died."""
        return self._lock.tryLock(timeout_ms)

    @property
    def held(self) -> bool:
        return self._lock.isLocked()

    def holder(self) -> LockHolder | None:
        """Who holds the lock, as far as the lock file says."""
        info = self._lock.getLockInfo()  # PySide6: (pid, host, app), or a falsy value
        if not info or len(info) != 3:
            return None
        pid, host, app = info
        return LockHolder(int(pid), str(host), str(app))

    def problem(self) -> str:
        """Why acquire() failed, in words for the lifter."""
        error = self._lock.error()
        if error == QLockFile.LockError.PermissionError:
            return (f"legcoach cannot create its lock file in {self.path.parent} "
                    "(permission denied).")
        holder = self.holder()
        who = holder.describe() if holder else "another legcoach"
        return f"legcoach is already open on this data folder ({who})."

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()
