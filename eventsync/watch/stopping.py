"""Stopping the watcher cleanly: every way a user, a service manager or the operating
system asks a watch to stop sets one `threading.Event`; the stop is taken between syncs,
or inside one after the batch in flight (`StoppingError`). Never kills anything itself.

The ways in:
- Ctrl-C (SIGINT) everywhere; a second Ctrl-C interrupts at once.
- SIGTERM on Linux and macOS (systemd, launchd, `kill`). Windows never delivers it.
- Ctrl+Break on Windows (SIGBREAK), and the console events Windows sends when the
  console window is closed, the user logs off or the machine shuts down
  (CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT). Windows ends the process
  as soon as the handler of such an event returns, and at the latest about 5 s after
  it was sent: the handler therefore sets the stop and then waits, up to that grace,
  for the watch to finish before it returns.
- `eventsync watch --stop` (services, any system, no signal): a stop-request file in
  the state folder naming the watch's pid, looked for once a second (`stop_requests`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

# Windows' console control events (wincon.h).
CTRL_C_EVENT = 0
CTRL_BREAK_EVENT = 1
CTRL_CLOSE_EVENT = 2
CTRL_LOGOFF_EVENT = 5
CTRL_SHUTDOWN_EVENT = 6
# Ctrl-C and Ctrl+Break are left to Python's own handler (they become SIGINT and SIGBREAK);
# these three would end the process without a signal.
CONSOLE_STOP_EVENTS = frozenset({CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT})
CONSOLE_GRACE_S = 4.5  # Windows allows about 5 s after a close before it ends the process

_ROUTINES: list[object] = []  # the console handlers given to Windows (never freed)

STOP_REQUEST_NAME = "watch.stop"  # in the state folder, beside sync.lock
STOP_POLL_S = 1.0  # how often a running watch looks for a stop request


class StoppingError(Exception):
    """Raised inside a sync when a stop was asked for: after the batch in flight, or in
    a retry wait. What HubSpot confirmed is in the state already (saved per batch)."""


def stop_signal_numbers() -> tuple[signal.Signals, ...]:
    """The signals that ask a watch to stop on this system (SIGINT first)."""
    if sys.platform == "win32":
        return (signal.SIGINT, signal.SIGBREAK)
    else:
        return (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def stop_signals(stop: threading.Event) -> Iterator[None]:
    """While watching, Ctrl-C, SIGTERM (SIGBREAK and console close on Windows) set `stop`;
    a second Ctrl-C interrupts at once. Signals can only be caught in the main thread:
    elsewhere (tests) `stop` is set by hand."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    asked = 0

    def on_signal(signum: int, frame: FrameType | None) -> None:
        nonlocal asked
        asked += 1
        if signum == signal.SIGINT and asked > 1:
            raise KeyboardInterrupt
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in stop_signal_numbers()}
    finished = threading.Event()
    try:
        with _console_events(console_handler(stop, finished)):
            try:
                yield
            finally:
                finished.set()  # a close event's handler may return now
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def console_handler(
    stop: threading.Event, finished: threading.Event, grace_s: float = CONSOLE_GRACE_S
) -> Callable[[int], bool]:
    """What Windows calls (on a thread of its own) for a console event: for a close,
    logoff or shutdown, ask the watch to stop and hold the process up to `grace_s` until
    it has (True: handled); anything else to the next handler (False)."""

    def handle(event: int) -> bool:
        if event not in CONSOLE_STOP_EVENTS:
            return False
        stop.set()
        finished.wait(grace_s)
        return True

    return handle


@contextlib.contextmanager
def _console_events(handle: Callable[[int], bool]) -> Iterator[None]:
    """`handle` registered with SetConsoleCtrlHandler while inside (Windows only)."""
    if sys.platform == "win32":
        import ctypes

        routine = ctypes.WINFUNCTYPE(ctypes.c_int, ctypes.c_uint)(
            lambda event: 1 if handle(int(event)) else 0
        )
        # Kept for the life of the process: Windows may still be returning through the
        # routine on its own thread when the process ends (after a close event).
        _ROUTINES.append(routine)
        kernel32 = ctypes.windll.kernel32
        registered = bool(kernel32.SetConsoleCtrlHandler(routine, 1))
        try:
            yield
        finally:
            if registered:
                kernel32.SetConsoleCtrlHandler(routine, 0)
    else:
        yield


# -- the stop request: `eventsync watch --stop` ----------------------------------------


@dataclass(frozen=True)
class StopRequest:
    """A request in the state folder for the watch with this pid to stop."""

    pid: int


def stop_request_path(state_dir: Path) -> Path:
    return state_dir / STOP_REQUEST_NAME


def read_stop_request(state_dir: Path) -> StopRequest | None:
    """The request there now, if any (a half-written or foreign file is none)."""
    try:
        text = stop_request_path(state_dir).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return StopRequest(int(text)) if text.isdigit() else None


def request_stop(state_dir: Path, pid: int) -> Path:
    """Ask the watch with `pid` to stop: written whole, then moved into place, so the
    watch never reads half of it."""
    path = stop_request_path(state_dir)
    temp = path.with_name(f".{STOP_REQUEST_NAME}.{os.getpid()}.tmp")
    temp.write_text(str(pid), encoding="utf-8")
    os.replace(temp, path)
    return path


def clear_stop_request(state_dir: Path, *, pid: int) -> None:
    """Remove a request addressed to `pid` (or to no live watch: one left over)."""
    request = read_stop_request(state_dir)
    if request is None or request.pid == pid:
        with contextlib.suppress(OSError):
            stop_request_path(state_dir).unlink()


@contextlib.contextmanager
def stop_requests(
    stop: threading.Event, state_dir: Path, *, poll_s: float = STOP_POLL_S
) -> Iterator[None]:
    """While inside, a stop request naming this process sets `stop`, within `poll_s`.

    The caller holds the state folder's lock: any request found at the start was meant
    for a watch that is gone, and is removed. A file looked at once a second costs
    nothing and works the same on every system, where a signal would not (Windows has
    no SIGTERM, and a windowless service has no console to send Ctrl+Break to)."""
    me = os.getpid()
    with contextlib.suppress(OSError):
        stop_request_path(state_dir).unlink()
    ended = threading.Event()

    def look() -> None:
        while not ended.wait(poll_s):
            request = read_stop_request(state_dir)
            if request is not None and request.pid == me:
                stop.set()
                return

    looker = threading.Thread(target=look, name="eventsync-stop-request", daemon=True)
    looker.start()
    try:
        yield
    finally:
        ended.set()
        looker.join(poll_s + 1)
        clear_stop_request(state_dir, pid=me)
