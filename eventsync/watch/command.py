"""`eventsync watch`'s arguments and its start: the settings, the folders, the lock.

The CLI adds these arguments to its `watch` command and hands the parsed ones here;
errors are raised as `EventsyncError`s for the CLI to map to exit codes, like every
other command's. The state folder's lock is held for the watcher's whole life, so a
`sync` started by hand meanwhile is told and exits 2.
"""

from __future__ import annotations

import argparse
import os
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TextIO

from eventsync.access import refused_access
from eventsync.config import load_settings, read_environment
from eventsync.errors import EventsyncError, ExitCode, SheetError
from eventsync.hubspot.client import HubSpotClient
from eventsync.language import environment_language
from eventsync.messages import Language, Text, command, localise, reason, say
from eventsync.output.report import for_terminal
from eventsync.sheets.folder import not_here, placeholder_at
from eventsync.state.lock import run_lock
from eventsync.state.place import kept_message, locate_state, move_database
from eventsync.watch.backoff import Backoff
from eventsync.watch.logfile import WatchLog
from eventsync.watch.loop import Watcher, WatchOptions
from eventsync.watch.remote_stop import stop_watch
from eventsync.watch.stopping import stop_requests, stop_signals


def add_watch_arguments(watch: argparse.ArgumentParser, language: Language = "en") -> None:
    watch.add_argument("paths", nargs="*", metavar="PATH", help=say(language, "help.watch_paths"))
    watch.add_argument(
        "--quiet-seconds",
        type=seconds_up_to(MAX_QUIET_S),
        default=2.0,
        metavar="S",
        help=say(language, "help.quiet_seconds"),
    )
    watch.add_argument(
        "--retry-seconds",
        type=seconds_up_to(MAX_RETRY_S),
        default=10.0,
        metavar="S",
        help=say(language, "help.retry_seconds"),
    )
    watch.add_argument("--json", action="store_true", help=say(language, "help.watch_json"))
    watch.add_argument(
        "--log-file",
        metavar="PATH",
        help=say(language, "help.log_file"),
    )
    watch.add_argument(
        "--stop",
        action="store_true",
        help=say(language, "help.stop"),
    )


# The longest quiet time and first retry wait: an hour is far beyond any save, and the
# retry wait doubles up to 15 minutes anyway. A bound also keeps arithmetic on them
# finite (--quiet-seconds 1e308 in milliseconds is infinity, an OverflowError).
MAX_QUIET_S = 3600.0
MAX_RETRY_S = 900.0


def seconds_up_to(most: float) -> Callable[[str], float]:
    """The argparse type of a number of seconds above 0 and at most `most` (argparse
    turns the error into a usage line and exit 2)."""

    def seconds(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not 0 < value <= most:
            raise argparse.ArgumentTypeError(
                Text("limits.seconds_range", value=text, most=f"{most:g}")
            )
        return value

    return seconds


def watch_command(
    args: argparse.Namespace,
    environment: Mapping[str, str],
    cwd: Path,
    env: Mapping[str, str] | None,
    stdout: TextIO,
    stderr: TextIO,
    make_client: Callable[..., HubSpotClient],
) -> int:
    """Watch until stopped; settings are read again before each sync (a fixed token in
    .env is picked up), the state and sheets folders stay those it started with."""
    if args.stop:
        return _stop(environment, cwd, stdout, stderr)
    # The log opens first: a service started without a console (eventsyncw, launchd)
    # finds in it why watch could not start, whatever the reason.
    log = WatchLog.open(cwd / Path(args.log_file).expanduser()) if args.log_file else None
    try:
        return _watch(args, environment, cwd, env, stdout, stderr, make_client, log)
    except (EventsyncError, PermissionError) as error:
        if log is not None:
            refused = refused_access(error) if isinstance(error, PermissionError) else error
            if refused is not None:
                language = environment_language(environment)
                for line in localise(reason(refused), language).splitlines():
                    log.write(datetime.now().astimezone(), for_terminal(f"eventsync: {line}"))
        raise
    finally:
        if log is not None:
            log.close()


def _watch(
    args: argparse.Namespace,
    environment: Mapping[str, str],
    cwd: Path,
    env: Mapping[str, str] | None,
    stdout: TextIO,
    stderr: TextIO,
    make_client: Callable[..., HubSpotClient],
    log: WatchLog | None,
) -> int:
    # The working folder and the sheets folder are listed before anything starts: one the
    # system keeps us out of (macOS privacy controls keep a launchd agent out of
    # ~/Documents) is a PermissionError the CLI names, not a .env that seems missing or a
    # watch that silently sees nothing.
    _list(cwd)
    settings = load_settings(environment, cwd=cwd, require_token=True)
    place = locate_state(settings, environment, cwd)
    settings = place.applied(settings)
    targets: list[Path] | None = None
    if args.paths:
        named = [cwd / p for p in args.paths]
        away = [found for found in map(placeholder_at, named) if found is not None]
        if away:
            raise SheetError(not_here(away))
        folder = next((p for p in named if p.is_dir()), None)
        if folder is not None:
            raise SheetError(Text("limits.sheet_is_folder", path=folder))
        missing = [str(p) for p in named if not p.is_file()]
        if missing:
            raise SheetError(Text("refuse.no_files", paths=", ".join(missing)))
        targets, folders = named, sorted({p.parent for p in named})
    else:
        if not settings.sheets_dir.is_dir():  # an empty one is fine: sheets get dropped in
            raise SheetError(
                Text("watch.no_folder", folder=settings.sheets_dir, watch=command("watch", "PATH"))
            )
        folders = [settings.sheets_dir]
    for folder in folders:
        _list(folder)
    stop = threading.Event()
    watcher = Watcher(
        settings,
        lambda: load_settings(read_environment(cwd, env), cwd=cwd, require_token=True),
        make_client,
        folders=folders,
        targets=targets,
        options=WatchOptions(
            quiet_s=args.quiet_seconds,
            as_json=args.json,
            backoff=Backoff(first_s=args.retry_seconds),
        ),
        stdout=stdout,
        stderr=stderr,
        stop=stop,
        log=log,
    )
    with (
        run_lock(settings.state_dir, holder="watch"),
        stop_signals(stop),
        stop_requests(stop, settings.state_dir),
    ):
        said = kept_message(place, moved=move_database(place), first_time_only=True)
        if said is not None:
            print(for_terminal(localise(said, settings.run_language)), file=stderr, flush=True)
        return watcher.watch()


def _list(folder: Path) -> None:
    """List `folder`; only a refusal matters here (a missing folder is told later)."""
    try:
        with os.scandir(folder):
            pass
    except PermissionError:
        raise
    except OSError:
        return


def _stop(environment: Mapping[str, str], cwd: Path, stdout: TextIO, stderr: TextIO) -> int:
    """`watch --stop`: the same settings find the same state folder (no token needed)."""
    settings = load_settings(environment, cwd=cwd, require_token=False)
    language = settings.run_language

    def tell(message: str) -> None:
        print(for_terminal(f"eventsync: {localise(message, language)}"), file=stderr, flush=True)

    stopped = stop_watch(settings.state_dir, tell=tell)
    text = Text("stop.stopped", pid=stopped.pid, seconds=f"{stopped.waited_s:.1f}")
    print(for_terminal(f"eventsync: {localise(text, language)}"), file=stdout)
    return ExitCode.OK
