"""Keep the screen awake during a workout: no dimming, no lock screen between two sets.

Why: a tablet or laptop on a rack times out after a minute or two of no touch, and a lifter
under a sled can't tap it awake. Each platform has its own way; they are tried in order and the
first that works holds until `release()`:

- Linux and the BSDs, over D-Bus on the session bus: ``org.freedesktop.ScreenSaver.Inhibit``
  (KDE, Xfce, LXQt, Cinnamon, MATE…), else ``org.gnome.SessionManager.Inhibit`` with the "idle"
  flag (GNOME). Both services also drop an inhibition when its D-Bus connection goes away, so a
  crashed legcoach can't keep the screen on.
- Windows: ``SetThreadExecutionState(ES_CONTINUOUS | ES_DISPLAY_REQUIRED | …)`` on the GUI
  thread (the state belongs to the thread that set it).
- macOS: ``caffeinate -d -i -w <our pid>``: the assertion lives in that process, which ends
  with ours, so a crash can't leave the Mac awake either.

It never blocks for long and never crashes: every D-Bus call has a `TIMEOUT_MS` limit, a way
that failed once is not tried again, and when nothing works `note` says so in one line
(`notice` carries it once to the screen) while the workout goes on.
"""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import Any, Final, Protocol
from xml.etree import ElementTree

from PySide6.QtCore import (
    Q_ARG,
    Q_RETURN_ARG,
    QCoreApplication,
    QEvent,
    QMetaObject,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtDBus import QDBus, QDBusConnection, QDBusInterface, QDBusMessage

__all__ = [
    "UNAVAILABLE_NOTE",
    "CaffeinateInhibitor",
    "DBusInhibitor",
    "Inhibitor",
    "KeepAwake",
    "WindowsInhibitor",
    "default_inhibitors",
    "linux_inhibitors",
]

log = logging.getLogger(__name__)

UNAVAILABLE_NOTE: Final = "The screen may dim during a workout: no screen-saver service was found."
TIMEOUT_MS: Final = 500
"""Longest wait for one D-Bus reply: a hung desktop service must not freeze the set screen."""
APP_NAME: Final = "legcoach"


class Inhibitor(Protocol):
    """One platform's way to keep the screen on."""

    name: str

    def present(self) -> bool:
        """Whether this way exists here (takes no inhibition; at most one short call)."""
        ...

    def inhibit(self, reason: str) -> object | None:
        """Keep the screen on; a token for `uninhibit`, or None when it did not work."""
        ...

    def uninhibit(self, token: object) -> None:
        """Undo one successful `inhibit`."""
        ...


# --- Linux: D-Bus ---------------------------------------------------------------------------


class DBusInhibitor:
    """A desktop service's Inhibit/UnInhibit pair, called with the argument types it declares.

    The calls go through a `QDBusInterface` and `QMetaObject.invokeMethod`, because that is the
    one way PySide6 can send a D-Bus ``u`` (uint32): a Python int in a plain `QDBusMessage`
    becomes ``i`` or ``x``, which the services reject. A `QDBusInterface` introspects the
    service with no time limit when it is built, so it is only built after our own
    introspection, limited to `TIMEOUT_MS`, found the interface and both methods: a missing or
    frozen service costs at most that long. (A ping would not do: Qt and GLib answer pings
    from their D-Bus thread even when the service's main loop is stuck.)
    """

    def __init__(self, name: str, service: str, path: str, interface: str,
                 inhibit: str, uninhibit: str,
                 arguments: Callable[[str], Sequence[tuple[Any, Any]]],
                 bus: QDBusConnection | None = None) -> None:
        """`inhibit`/`uninhibit`: Qt signatures like "UnInhibit(uint)"; `arguments(reason)`:
        (Q_ARG type, value) pairs for the inhibit call; `bus`: None for the session bus."""
        self.name = name
        self.service = service
        self.path = path
        self.interface_name = interface
        self.inhibit_signature = inhibit
        self.uninhibit_signature = uninhibit
        self.arguments = arguments
        self._bus = bus
        self._interface: QDBusInterface | None = None

    def _connection(self) -> QDBusConnection:
        if self._bus is None:
            self._bus = QDBusConnection.sessionBus()
        return self._bus

    def present(self) -> bool:
        bus = self._connection()
        if not bus.isConnected():  # no session bus: calling would only log errors
            return False
        call = QDBusMessage.createMethodCall(self.service, self.path,
                                             "org.freedesktop.DBus.Introspectable", "Introspect")
        reply = bus.call(call, QDBus.CallMode.Block, TIMEOUT_MS)
        if reply.type() != QDBusMessage.MessageType.ReplyMessage or not reply.arguments():
            return False
        try:
            root = ElementTree.fromstring(str(reply.arguments()[0]))
        except ElementTree.ParseError:
            return False
        wanted = {signature.split("(")[0]
                  for signature in (self.inhibit_signature, self.uninhibit_signature)}
        return any(wanted <= {method.get("name") for method in interface.iter("method")}
                   for interface in root.iter("interface")
                   if interface.get("name") == self.interface_name)

    def inhibit(self, reason: str) -> object | None:
        if not self.present():
            return None
        interface = QDBusInterface(self.service, self.path, self.interface_name,
                                   self._connection())
        meta = interface.metaObject()
        if not interface.isValid() or any(
                meta.indexOfMethod(signature) < 0
                for signature in (self.inhibit_signature, self.uninhibit_signature)):
            return None  # e.g. GNOME's org.freedesktop.ScreenSaver, which has no Inhibit
        interface.setTimeout(TIMEOUT_MS)
        method = self.inhibit_signature.split("(")[0]
        cookie = QMetaObject.invokeMethod(
            interface, method, Qt.ConnectionType.DirectConnection, Q_RETURN_ARG("uint"),
            *(Q_ARG(kind, value) for kind, value in self.arguments(reason)))
        if interface.lastError().isValid() or not isinstance(cookie, int):
            log.info("%s: %s", self.name, interface.lastError().message())
            return None
        self._interface = interface
        return cookie

    def uninhibit(self, token: object) -> None:
        interface, self._interface = self._interface, None
        if interface is None:
            return
        method = self.uninhibit_signature.split("(")[0]
        QMetaObject.invokeMethod(interface, method, Qt.ConnectionType.DirectConnection,
                                 Q_ARG("uint", token))
        if interface.lastError().isValid():  # the service went away: so did its inhibition
            log.info("%s: %s", self.name, interface.lastError().message())


GNOME_INHIBIT_IDLE: Final = 8
"""org.gnome.SessionManager flag: don't mark the session idle (no blanking, no lock)."""


def linux_inhibitors(bus: QDBusConnection | None = None) -> list[Inhibitor]:
    """The freedesktop screen saver first (most desktops), then GNOME's session manager."""
    return [
        DBusInhibitor("freedesktop screen saver", "org.freedesktop.ScreenSaver",
                      "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver",
                      "Inhibit(QString,QString)", "UnInhibit(uint)",
                      lambda reason: [(str, APP_NAME), (str, reason)], bus),
        DBusInhibitor("GNOME session manager", "org.gnome.SessionManager",
                      "/org/gnome/SessionManager", "org.gnome.SessionManager",
                      "Inhibit(QString,uint,QString,uint)", "Uninhibit(uint)",
                      lambda reason: [(str, APP_NAME), ("uint", 0), (str, reason),
                                      ("uint", GNOME_INHIBIT_IDLE)], bus),
    ]


# --- Windows and macOS ------------------------------------------------------------------------

ES_CONTINUOUS: Final = 0x80000000
ES_SYSTEM_REQUIRED: Final = 0x00000001
ES_DISPLAY_REQUIRED: Final = 0x00000002


class WindowsInhibitor:
    """SetThreadExecutionState: display and system stay on while the flags are set."""

    name = "Windows execution state"

    def __init__(self, kernel32: Any = None) -> None:
        """`kernel32`: None for the real one (tests pass a stand-in)."""
        if kernel32 is None and sys.platform == "win32":
            kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined]
        self._set_state = getattr(kernel32, "SetThreadExecutionState", None)
        if self._set_state is not None and hasattr(self._set_state, "argtypes"):
            self._set_state.argtypes = [ctypes.c_uint32]
            self._set_state.restype = ctypes.c_uint32

    def present(self) -> bool:
        return self._set_state is not None

    def inhibit(self, reason: str) -> object | None:
        if self._set_state is None:
            return None
        previous = self._set_state(ES_CONTINUOUS | ES_DISPLAY_REQUIRED | ES_SYSTEM_REQUIRED)
        return True if previous else None  # 0 means the call failed

    def uninhibit(self, token: object) -> None:
        if self._set_state is not None:
            self._set_state(ES_CONTINUOUS)


class CaffeinateInhibitor:
    """macOS's `caffeinate`, tied to our process id so it can't outlive a crashed legcoach."""

    name = "caffeinate"

    def __init__(self, program: str | None = None, pid: int | None = None) -> None:
        self.program = program if program is not None else shutil.which("caffeinate")
        self.pid = os.getpid() if pid is None else pid

    def present(self) -> bool:
        return self.program is not None

    def inhibit(self, reason: str) -> object | None:
        if self.program is None:
            return None
        try:
            return subprocess.Popen(
                [self.program, "-d", "-i", "-w", str(self.pid)], stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError as error:
            log.info("caffeinate: %s", error)
            return None

    def uninhibit(self, token: object) -> None:
        assert isinstance(token, subprocess.Popen)
        token.terminate()
        try:
            token.wait(timeout=1)
        except subprocess.TimeoutExpired:
            token.kill()
            token.wait()


def default_inhibitors() -> list[Inhibitor]:
    """This platform's ways, best first."""
    if sys.platform == "win32":
        return [WindowsInhibitor()]
    if sys.platform == "darwin":
        return [CaffeinateInhibitor()]
    return linux_inhibitors()


# --- the object the window holds ------------------------------------------------------------


class KeepAwake(QObject):
    """Holds the screen awake between `hold()` and `release()`; both are idempotent.

    Released by itself when its parent widget closes or the application quits, so a workout
    left open never keeps a machine awake after legcoach is gone.
    """

    notice = Signal(str)
    """`UNAVAILABLE_NOTE`, emitted once, the first time a hold can't be had."""

    def __init__(self, parent: QObject | None = None,
                 inhibitors: Sequence[Inhibitor] | None = None) -> None:
        super().__init__(parent)
        self._inhibitors = list(inhibitors) if inhibitors is not None else None
        self._broken: set[int] = set()  # indexes of ways that failed: never tried again
        self._held: tuple[Inhibitor, object] | None = None
        self._available: bool | None = None
        self._noticed = False
        if parent is not None and parent.isWidgetType():
            parent.installEventFilter(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.release)

    def _ways(self) -> list[tuple[int, Inhibitor]]:
        if self._inhibitors is None:  # looked up on first use: nothing costs at start-up
            self._inhibitors = default_inhibitors()
        return [(i, way) for i, way in enumerate(self._inhibitors) if i not in self._broken]

    @property
    def holding(self) -> bool:
        return self._held is not None

    @property
    def available(self) -> bool:
        """Whether a way to keep the screen on exists here (after a hold: whether one worked)."""
        if self._held is not None:
            return True
        if self._available is None:
            self._available = any(self._safely(way.present, way) for _, way in self._ways())
        return self._available

    @property
    def note(self) -> str:
        """One line for the screen when the screen can't be kept on; "" when it can."""
        return "" if self.available else UNAVAILABLE_NOTE

    def hold(self, reason: str = "A workout is in progress") -> bool:
        """Keep the screen on until `release()`; True when it is held."""
        if self._held is not None:
            return True
        for index, way in self._ways():
            token = self._safely(lambda w=way: w.inhibit(reason), way)
            if token is not None:
                self._held = (way, token)
                self._available = True
                return True
            self._broken.add(index)
        self._available = False
        if not self._noticed:
            self._noticed = True
            self.notice.emit(UNAVAILABLE_NOTE)
        return False

    def release(self) -> None:
        """Let the screen sleep again (nothing happens when nothing is held)."""
        held, self._held = self._held, None
        if held is not None:
            way, token = held
            self._safely(lambda: way.uninhibit(token), way)

    @staticmethod
    def _safely(call: Callable[[], Any], way: Inhibitor) -> Any:
        """A desktop service misbehaving must cost the lifter the screen saver, not the set."""
        try:
            return call()
        except Exception:  # any failure of a platform service: log it and go on
            log.warning("keeping the screen awake through %s failed", way.name, exc_info=True)
            return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.release()
        return False
