"""One writer per data folder: a second instance is refused, a crashed one does not lock out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from legcoach.instance_lock import DataFolderLock

ROOT = Path(__file__).resolve().parent.parent

HOLD_AND_WAIT = """
import sys, time
sys.path.insert(0, {root!r})
from legcoach.instance_lock import DataFolderLock
lock = DataFolderLock({folder!r})
print("HELD" if lock.acquire() else "REFUSED", flush=True)
time.sleep(60)
"""

RACER = """
import os, sys, time
sys.path.insert(0, {root!r})
from legcoach.instance_lock import DataFolderLock
lock = DataFolderLock({folder!r})
if lock.acquire():
    fd = os.open({journal!r}, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    os.write(fd, f"start {{os.getpid()}}\\n".encode())
    time.sleep(0.01)  # a write of the log takes a moment: another writer must not slip in
    os.write(fd, f"end {{os.getpid()}}\\n".encode())
    os.close(fd)
    lock.release()
"""


def test_second_lock_on_the_same_folder_is_refused_with_a_reason(tmp_path) -> None:
    first, second = DataFolderLock(tmp_path), DataFolderLock(tmp_path)
    assert first.acquire()
    assert not second.acquire()
    assert second.problem().startswith("legcoach is already open on this data folder (process ")
    assert str(os.getpid()) in second.problem()
    first.release()
    assert second.acquire()
    second.release()


def test_a_lock_left_by_a_killed_process_does_not_lock_the_lifter_out(tmp_path) -> None:
    script = HOLD_AND_WAIT.format(root=str(ROOT), folder=str(tmp_path))
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "HELD"
        assert not DataFolderLock(tmp_path).acquire()  # alive: refused
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
    assert (tmp_path / ".legcoach.lock").exists()  # the crash left its lock file behind
    lock = DataFolderLock(tmp_path)
    assert lock.acquire()  # ... and it is recognised as stale
    lock.release()


def test_racing_starts_never_write_at_the_same_time(tmp_path) -> None:
    """100 processes start at once on one folder: writers take turns, never interleave."""
    journal = tmp_path / "journal.txt"
    script = RACER.format(root=str(ROOT), folder=str(tmp_path), journal=str(journal))
    racers = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(100)]
    for racer in racers:
        assert racer.wait(timeout=120) == 0
    lines = journal.read_text().splitlines()
    assert lines, "at least one racer must have become the writer"
    for start, end in zip(lines[::2], lines[1::2], strict=True):
        assert start.split()[0] == "start"
        assert end == f"end {start.split()[1]}", "two writers overlapped"
