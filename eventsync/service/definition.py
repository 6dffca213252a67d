"""What a service is, as plain values: where this installation and the user's folder
are (`Where`), and per system the files to write and the commands to run (`Service`).

Pure: the system modules turn a `Where` into a `Service`; only `command` writes files
and runs anything. Never guesses a path: every one comes from the running Python, the
working folder and the user's home.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

SERVICE_NAME = "eventsync watch"  # the Windows task's name, what the user sees
SERVICE_ID = "eventsync-watch"  # file names, the systemd unit
LAUNCHD_LABEL = "com.eventsync.watch"
WINDOWS_LOG_NAME = "watch.log"  # beside the sheets folder, in the working folder
SYSTEMS = ("windows", "macos", "linux")


@dataclass(frozen=True)
class Where:
    """Everything a service definition names, gathered once by `command`."""

    folder: Path  # the working folder: .env, sheets/ (the service's working directory)
    state_dir: Path
    executable: Path  # the Python that runs eventsync now (sys.executable)
    home: Path
    user: str  # DOMAIN\\user on Windows (the task's principal); the login name elsewhere
    uid: int  # launchd's gui/<uid> domain
    now: datetime  # local time: the Windows repeating trigger starts from it


@dataclass(frozen=True)
class ServiceFile:
    path: Path
    data: bytes
    text: str  # what --dry-run shows (the XML as text, whatever its encoding)


@dataclass(frozen=True)
class Step:
    """One command to run; `may_fail` when finding nothing to do is fine (unloading an
    agent that is not loaded, deleting what is gone)."""

    argv: tuple[str, ...]
    may_fail: bool = False


def step(*argv: str) -> Step:
    return Step(tuple(argv))


def tolerant(*argv: str) -> Step:
    return Step(tuple(argv), may_fail=True)


@dataclass(frozen=True)
class Service:
    system: str  # windows, macos, linux
    name: str  # as the user sees it in the system's manager
    program: tuple[str, ...]  # the command line of the watch it runs
    files: tuple[ServiceFile, ...]  # written before `install`, removed after `uninstall`
    log: str  # where its output goes (a file, or the command that shows it)
    install: tuple[Step, ...]  # after the files are written: register and start
    uninstall: tuple[Step, ...]  # stop and unregister, before the files are removed
    start: tuple[Step, ...]
    stop: tuple[Step, ...]
    query: tuple[str, ...]  # exits 0 when the manager knows the service
    after_removal: tuple[Step, ...] = ()  # once the files are gone (systemd: reload)
    # Windows ends a task's process at once: its watch is stopped with `watch --stop`
    # (after unregistering, so the repeating trigger cannot start it again).
    stop_watch_itself: bool = False


def system_of(platform: str) -> str | None:
    """`sys.platform` -> the service system, None where there is none we know."""
    if platform == "win32":
        return "windows"
    if platform == "darwin":
        return "macos"
    if platform.startswith("linux"):
        return "linux"
    return None
