"""`eventsync service install|uninstall|status|start|stop`: the I/O around the pure
definitions. Writes the service's files, runs the system's own manager (schtasks,
launchctl, systemctl) as a subprocess, and says what it did. `--dry-run` shows the
files and commands instead, and writes and runs nothing.

Never needs administrator rights; a manager that fails is reported with its own words
and exit 2. Run from the working folder: the service runs watch there, with the same
`.env`.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import shlex
import subprocess
import sys
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TextIO

from eventsync.config import load_settings
from eventsync.errors import EventsyncError, ExitCode
from eventsync.messages import Language, Text, command, localise, say
from eventsync.output.report import for_terminal
from eventsync.service.definition import SYSTEMS, WINDOWS_LOG_NAME, Service, Step, Where, system_of
from eventsync.service.linux import linux_service
from eventsync.service.macos import macos_service
from eventsync.service.windows import windows_program, windows_service
from eventsync.state.lock import lock_holder
from eventsync.watch.remote_stop import NoWatchError, stop_watch

ACTIONS = ("install", "uninstall", "status", "start", "stop")
MANAGER_TIMEOUT_S = 120  # schtasks, launchctl and systemctl answer in seconds


class ServiceError(EventsyncError):
    """The system's service manager refused or is missing (exit 2)."""


def add_service_arguments(service: argparse.ArgumentParser, language: Language = "en") -> None:
    service.add_argument("action", choices=ACTIONS, help=say(language, "help.action"))
    service.add_argument(
        "--dry-run",
        action="store_true",
        help=say(language, "help.dry_run"),
    )
    service.add_argument(
        "--system",
        choices=SYSTEMS,
        default=None,
        help=say(language, "help.system"),
    )


def service_command(
    args: argparse.Namespace,
    environment: Mapping[str, str],
    cwd: Path,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    system = args.system or system_of(sys.platform)
    if system is None:
        raise ServiceError(
            Text("service.unsupported", platform=sys.platform, watch=command("watch"))
        )
    settings = load_settings(environment, cwd=cwd, require_token=False)
    language = settings.run_language
    where = Where(
        folder=cwd,
        state_dir=settings.state_dir,
        executable=Path(sys.executable),
        home=Path.home(),
        user=_user(system, environment),
        uid=os.getuid() if hasattr(os, "getuid") else 0,
        now=datetime.now(),
    )
    service = service_for(system, where)
    if args.action == "install" and not args.dry_run and not settings.sheets_dir.is_dir():
        raise ServiceError(Text("service.no_sheets", folder=cwd, sheets=settings.sheets_dir))
    if args.dry_run:
        _show(service, args.action, stdout, language)
        return ExitCode.OK

    def say(message: str, stream: TextIO = stdout) -> None:
        print(for_terminal(f"eventsync: {localise(message, language)}"), file=stream, flush=True)

    manager = Manager(args.action, say=lambda m: say(m, stderr))
    if args.action == "install":
        for file in service.files:
            file.path.parent.mkdir(parents=True, exist_ok=True)
            file.path.write_bytes(file.data)
        manager.run(service.install)
        say(Text("service.installed", name=service.name, folder=cwd, log=service.log))
        return ExitCode.OK
    if args.action == "uninstall":
        if not any(file.path.exists() for file in service.files):
            say(Text("service.not_installed", name=service.name, file=service.files[0].path))
            return ExitCode.ROWS_FAILED
        manager.run(service.uninstall)
        if service.stop_watch_itself:
            _stop_watch(settings.state_dir, say)
        for file in service.files:
            file.path.unlink(missing_ok=True)
        manager.run(service.after_removal)
        say(Text("service.uninstalled", name=service.name))
        return ExitCode.OK
    if args.action == "start":
        manager.run(service.start)
        say(Text("service.started", name=service.name, log=service.log))
        return ExitCode.OK
    if args.action == "stop":
        manager.run(service.stop)
        if service.stop_watch_itself:
            _stop_watch(settings.state_dir, say)
        say(Text("service.stopped", name=service.name, start=command("service", "start")))
        return ExitCode.OK
    known = manager.asks(service.query)
    holder = lock_holder(settings.state_dir)
    running = (
        Text("service.status_running", pid=holder.pid)
        if holder is not None and holder.command == "watch"
        else Text("service.status_stopped")
    )
    installed = (
        Text("service.status_installed", file=service.files[0].path)
        if known
        else Text("service.status_missing")
    )
    say(
        Text(
            "service.status",
            name=service.name,
            installed=installed,
            running=running,
            log=service.log,
        )
    )
    return ExitCode.OK if known else ExitCode.ROWS_FAILED


def service_for(system: str, where: Where) -> Service:
    if system == "windows":
        log = where.folder / WINDOWS_LOG_NAME
        return windows_service(where, windows_program(where.executable, log, found=_beside(where)))
    if system == "macos":
        return macos_service(where)
    return linux_service(where)


def _beside(where: Where) -> set[str]:
    """The names in the folder of the running Python (is eventsyncw.exe there?)."""
    with contextlib.suppress(OSError):
        return {entry.name.lower() for entry in os.scandir(where.executable.parent)}
    return set()


def _user(system: str, environment: Mapping[str, str]) -> str:
    """The task's principal on Windows: DOMAIN\\user, as Task Scheduler names users."""
    name = environment.get("USERNAME") or _login()
    if system == "windows" and environment.get("USERDOMAIN"):
        return f"{environment['USERDOMAIN']}\\{name}"
    return name


def _login() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (a container): the manager knows whose
        return str(os.getuid()) if hasattr(os, "getuid") else "user"


def _stop_watch(state_dir: Path, say: Callable[[str], None]) -> None:
    with contextlib.suppress(NoWatchError):
        stopped = stop_watch(state_dir, tell=say)
        say(Text("stop.stopped", pid=stopped.pid, seconds=f"{stopped.waited_s:.1f}"))


def _show(service: Service, action: str, stdout: TextIO, language: Language) -> None:
    steps = {
        "install": service.install,
        "uninstall": (*service.uninstall, *service.after_removal),
        "start": service.start,
        "stop": service.stop,
        "status": (Step(service.query),),
    }[action]
    if action == "install":
        for file in service.files:
            print(localise(Text("service.wrote", file=file.path), language), file=stdout)
            print(file.text.rstrip("\n") + "\n", file=stdout)
    for shown in steps:
        line = subprocess.list2cmdline(shown.argv) if service.system == "windows" else _sh(shown)
        print(localise(Text("service.would_run", command=line), language), file=stdout)


def _sh(shown: Step) -> str:
    return shlex.join(shown.argv)


class Manager:
    """Runs the service manager's commands; a failure is a `ServiceError` with its words."""

    def __init__(self, action: str, *, say: Callable[[str], None]):
        self._again = command("service", action)
        self._say = say

    def run(self, steps: tuple[Step, ...]) -> None:
        for shown in steps:
            code, output = self._call(shown.argv)
            if code != 0 and not shown.may_fail:
                raise ServiceError(
                    Text(
                        "service.failed",
                        program=" ".join(shown.argv[:2]),
                        code=code,
                        output=output or "-",
                        again=self._again,
                    )
                )

    def asks(self, argv: tuple[str, ...]) -> bool:
        code, _ = self._call(argv)
        return code == 0

    def _call(self, argv: tuple[str, ...]) -> tuple[int, str]:
        try:
            done = subprocess.run(
                list(argv),
                capture_output=True,
                text=True,
                errors="replace",
                timeout=MANAGER_TIMEOUT_S,
                check=False,
            )
        except FileNotFoundError:
            raise ServiceError(
                Text(
                    "service.missing_program",
                    program=argv[0],
                    again=self._again,
                    print=command("service", "install", "--dry-run"),
                )
            ) from None
        output = " ".join((done.stdout + " " + done.stderr).split())
        return done.returncode, output
