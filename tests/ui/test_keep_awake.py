"""Keeping the screen awake: paired hold/release, fallbacks, and a plain note when nothing works.

The D-Bus ways are also checked end to end against stand-in desktop services on a private
dbus-daemon (skipped where dbus-daemon is not installed): the services declare the real
signatures, so a cookie sent back as the wrong integer type would fail here as it would on a
desktop.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from legcoach.ui.keep_awake import (
    ES_CONTINUOUS,
    ES_DISPLAY_REQUIRED,
    ES_SYSTEM_REQUIRED,
    UNAVAILABLE_NOTE,
    CaffeinateInhibitor,
    KeepAwake,
    WindowsInhibitor,
    linux_inhibitors,
)


class FakeInhibitor:
    """Records every call; `works=False` refuses to inhibit, `explodes=True` raises."""

    def __init__(self, name: str = "fake", *, works: bool = True, explodes: bool = False,
                 present: bool = True) -> None:
        self.name = name
        self.works = works
        self.explodes = explodes
        self._present = present
        self.calls: list[tuple[str, object]] = []
        self._next = 0

    def present(self) -> bool:
        return self._present

    def inhibit(self, reason: str) -> object | None:
        self.calls.append(("inhibit", reason))
        if self.explodes:
            raise OSError("the service fell over")
        if not self.works:
            return None
        self._next += 1
        return f"cookie-{self._next}"

    def uninhibit(self, token: object) -> None:
        self.calls.append(("uninhibit", token))


@pytest.fixture
def parent(qtbot):
    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_hold_and_release_pair_up_and_are_idempotent(parent) -> None:
    way = FakeInhibitor()
    awake = KeepAwake(parent, [way])
    assert awake.hold("Leg day") is True
    assert awake.hold("Leg day again") is True
    assert awake.holding and awake.available and awake.note == ""
    awake.release()
    awake.release()
    assert way.calls == [("inhibit", "Leg day"), ("uninhibit", "cookie-1")]
    assert not awake.holding


def test_release_without_a_hold_does_nothing(parent) -> None:
    way = FakeInhibitor()
    KeepAwake(parent, [way]).release()
    assert way.calls == []


def test_a_second_workout_takes_a_new_hold(parent) -> None:
    way = FakeInhibitor()
    awake = KeepAwake(parent, [way])
    for _ in range(2):
        awake.hold("workout")
        awake.release()
    assert [call for call in way.calls if call[0] == "uninhibit"] == [
        ("uninhibit", "cookie-1"), ("uninhibit", "cookie-2")]


def test_closing_the_window_releases(parent) -> None:
    way = FakeInhibitor()
    awake = KeepAwake(parent, [way])
    parent.show()
    awake.hold("workout")
    parent.close()
    assert way.calls[-1] == ("uninhibit", "cookie-1")
    assert not awake.holding


def test_falls_back_to_the_next_way_and_never_retries_a_broken_one(parent) -> None:
    broken, working = FakeInhibitor("first", works=False), FakeInhibitor("second")
    awake = KeepAwake(parent, [broken, working])
    awake.hold("one")
    awake.release()
    awake.hold("two")
    assert broken.calls == [("inhibit", "one")]
    assert working.calls == [("inhibit", "one"), ("uninhibit", "cookie-1"), ("inhibit", "two")]
    awake.release()


def test_a_way_that_raises_counts_as_not_working(parent) -> None:
    awake = KeepAwake(parent, [FakeInhibitor(explodes=True), FakeInhibitor("ok")])
    assert awake.hold("workout") is True
    awake.release()


def test_nothing_works_gives_one_note_once(parent, qtbot) -> None:
    awake = KeepAwake(parent, [FakeInhibitor(works=False), FakeInhibitor(explodes=True)])
    notes: list[str] = []
    awake.notice.connect(notes.append)
    assert awake.hold("workout") is False
    assert awake.hold("workout") is False
    awake.release()
    assert notes == [UNAVAILABLE_NOTE]
    assert not awake.available
    assert awake.note == "The screen may dim during a workout: no screen-saver service was found."


def test_available_before_any_hold_asks_whether_a_way_is_present(parent) -> None:
    assert KeepAwake(parent, [FakeInhibitor(present=False), FakeInhibitor()]).available
    assert not KeepAwake(parent, [FakeInhibitor(present=False)]).available
    assert KeepAwake(parent, []).note == UNAVAILABLE_NOTE


# --- D-Bus without a bus (this is what a machine without a desktop session has) ------------


@pytest.fixture
def missing_bus(qapp):
    from PySide6.QtDBus import QDBusConnection

    bus = QDBusConnection.connectToBus("unix:path=/nonexistent/legcoach-test/bus",
                                       "legcoach-test-missing-bus")
    assert not bus.isConnected()
    yield bus
    QDBusConnection.disconnectFromBus("legcoach-test-missing-bus")


def test_without_a_session_bus_it_degrades_to_the_note_quickly(parent, missing_bus) -> None:
    awake = KeepAwake(parent, linux_inhibitors(missing_bus))
    notes: list[str] = []
    awake.notice.connect(notes.append)
    start = time.monotonic()
    assert awake.hold("workout") is False
    awake.release()
    assert time.monotonic() - start < 0.5
    assert notes == [UNAVAILABLE_NOTE] and awake.note == UNAVAILABLE_NOTE


def test_the_default_ways_of_this_machine_never_crash_or_hang(parent) -> None:
    awake = KeepAwake(parent)
    start = time.monotonic()
    held = awake.hold("workout")
    awake.release()
    assert time.monotonic() - start < 3  # at most two D-Bus calls of TIMEOUT_MS, and slack
    assert held or awake.note == UNAVAILABLE_NOTE


# --- Windows and macOS, with stand-ins --------------------------------------------------------


class FakeKernel32:
    def __init__(self, result: int = 0x80000000) -> None:
        self.flags: list[int] = []
        self.result = result

    def SetThreadExecutionState(self, flags: int) -> int:
        self.flags.append(flags)
        return self.result


def test_windows_sets_and_clears_the_execution_state() -> None:
    kernel32 = FakeKernel32()
    way = WindowsInhibitor(kernel32)
    token = way.inhibit("workout")
    way.uninhibit(token)
    assert kernel32.flags == [ES_CONTINUOUS | ES_DISPLAY_REQUIRED | ES_SYSTEM_REQUIRED,
                              ES_CONTINUOUS]


def test_windows_failure_is_reported_as_not_working() -> None:
    assert WindowsInhibitor(FakeKernel32(result=0)).inhibit("workout") is None
    assert not WindowsInhibitor(object()).present()


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell script stands in")
def test_caffeinate_runs_until_released(tmp_path: Path) -> None:
    arguments = tmp_path / "arguments"
    program = tmp_path / "caffeinate"
    program.write_text(f'#!/bin/sh\necho "$@" > {arguments}\nexec sleep 60\n')
    program.chmod(0o755)
    way = CaffeinateInhibitor(str(program), pid=4321)
    process = way.inhibit("workout")
    assert isinstance(process, subprocess.Popen)
    deadline = time.monotonic() + 5
    while not arguments.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert arguments.read_text().split() == ["-d", "-i", "-w", "4321"]
    way.uninhibit(process)
    assert process.returncode is not None


def test_caffeinate_missing_is_not_present() -> None:
    way = CaffeinateInhibitor()
    way.program = None  # as on a machine without it
    assert not way.present() and way.inhibit("workout") is None
    assert CaffeinateInhibitor("/nonexistent/caffeinate").inhibit("workout") is None


# --- D-Bus end to end, against stand-in services on a private bus ----------------------------

FAKE_SERVICE = '''
"""A stand-in desktop service: declares the real signatures, logs each call to a file."""
import sys
import time

from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, Slot
from PySide6.QtDBus import QDBusConnection

address, kind, log_path = sys.argv[1:4]


def note(line):
    with open(log_path, "a", encoding="utf-8") as log:
        log.write(line + "\\n")


@ClassInfo({"D-Bus Interface": "org.freedesktop.ScreenSaver"})
class ScreenSaver(QObject):
    @Slot(str, str, result="uint")
    def Inhibit(self, app, reason):
        note(f"Inhibit {app}|{reason}")
        return 4000000001  # above 2**31: only a real uint32 round-trips it

    @Slot("uint")
    def UnInhibit(self, cookie):
        note(f"UnInhibit {cookie}")


@ClassInfo({"D-Bus Interface": "org.gnome.SessionManager"})
class SessionManager(QObject):
    @Slot(str, "uint", str, "uint", result="uint")
    def Inhibit(self, app, xid, reason, flags):
        note(f"Inhibit {app}|{xid}|{reason}|{flags}")
        return 7

    @Slot("uint")
    def Uninhibit(self, cookie):
        note(f"Uninhibit {cookie}")


app = QCoreApplication([])
bus = QDBusConnection.connectToBus(address, "service")
if kind == "gnome":
    service, name, path = (SessionManager(), "org.gnome.SessionManager",
                           "/org/gnome/SessionManager")
else:
    service, name, path = (ScreenSaver(), "org.freedesktop.ScreenSaver",
                           "/org/freedesktop/ScreenSaver")
assert bus.registerObject(path, service, QDBusConnection.RegisterOption.ExportAllSlots)
assert bus.registerService(name)
note("ready")
if kind == "frozen":
    time.sleep(60)  # registered, but never answers
app.exec()
'''


def _wait_for(path: Path, text: str, seconds: float = 10) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        content = path.read_text(encoding="utf-8") if path.exists() else ""
        if text in content:
            return content
        time.sleep(0.02)
    raise AssertionError(f"{text!r} never appeared in {path}")


@pytest.fixture
def private_bus(tmp_path: Path, qapp):
    """A dbus-daemon of our own, and a way to start a stand-in service on it."""
    from PySide6.QtDBus import QDBusConnection

    daemon_program = shutil.which("dbus-daemon")
    if daemon_program is None:
        pytest.skip("dbus-daemon is not installed")
    daemon = subprocess.Popen([daemon_program, "--session", "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    processes = [daemon]
    address = daemon.stdout.readline().strip()
    script = tmp_path / "fake_service.py"
    script.write_text(FAKE_SERVICE, encoding="utf-8")
    log_path = tmp_path / "calls.log"

    def start(kind: str) -> Path:
        processes.append(subprocess.Popen([sys.executable, str(script), address, kind,
                                           str(log_path)]))
        _wait_for(log_path, "ready")
        return log_path

    bus = QDBusConnection.connectToBus(address, "legcoach-test-private-bus")
    assert bus.isConnected()
    yield bus, start
    QDBusConnection.disconnectFromBus("legcoach-test-private-bus")
    for process in reversed(processes):
        process.kill()
        process.wait()
    daemon.stdout.close()


def test_freedesktop_screen_saver_inhibit_and_uninhibit(parent, private_bus) -> None:
    bus, start = private_bus
    calls = start("screensaver")
    awake = KeepAwake(parent, linux_inhibitors(bus))
    assert awake.hold("Leg day") is True
    awake.release()
    log = _wait_for(calls, "UnInhibit")
    assert log.splitlines()[1:] == ["Inhibit legcoach|Leg day", "UnInhibit 4000000001"]


def test_gnome_session_manager_is_the_fallback(parent, private_bus) -> None:
    bus, start = private_bus
    calls = start("gnome")
    awake = KeepAwake(parent, linux_inhibitors(bus))
    assert awake.hold("Leg day") is True
    parent.show()
    parent.close()  # releases
    log = _wait_for(calls, "Uninhibit")
    assert log.splitlines()[1:] == ["Inhibit legcoach|0|Leg day|8", "Uninhibit 7"]


def test_a_frozen_service_costs_a_short_timeout_not_the_workout(parent, private_bus) -> None:
    bus, start = private_bus
    start("frozen")
    awake = KeepAwake(parent, linux_inhibitors(bus))
    begin = time.monotonic()
    assert awake.hold("Leg day") is False
    assert time.monotonic() - begin < 2
    assert awake.note == UNAVAILABLE_NOTE
