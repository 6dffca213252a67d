"""`eventsync watch`'s arguments and its start: the settings, the folders, the lock.

The CLI adds these arguments to its `watch` command and hands the parsed ones here;
errors are raised as `EventsyncError`s for the CLI to map to exit codes, like every
other command's. The state folder's lock is held for the watcher's whole life, so a
`sync` started by hand meanwhile is told and exits 2.
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TextIO

from sync.config import load_settings, read_environment
from sync.errors import SheetError
from sync.hubspot.client import HubSpotClient
from sync.messages import Text, command, localise
from sync.report import for_terminal
from sync.sheets.folder import not_here, placeholder_at
from sync.state.lock import run_lock
from sync.state.place import kept_message, locate_state, move_database
from sync.watch.backoff import Backoff
from sync.watch.loop import Watcher, WatchOptions
from sync.watch.stopping import stop_signals


def add_watch_arguments(watch: argparse.ArgumentParser) -> None:
    watch.add_argument(
        "paths", nargs="*", metavar="PATH", help="sheets to watch (default: the sheets folder)"
    )
    watch.add_argument(
        "--quiet-seconds",
        type=seconds,
        default=2.0,
        metavar="S",
        help="sync a sheet once it has not changed for S seconds (default 2)",
    )
    watch.add_argument(
        "--retry-seconds",
        type=seconds,
        default=10.0,
        metavar="S",
        help="first wait after HubSpot failed or refused; doubles up to 15 min (default 10)",
    )
    watch.add_argument("--json", action="store_true", help="print one JSON object per sync")


def seconds(text: str) -> float:
    """A positive, finite number of seconds (argparse turns the error into exit 2)."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0 (e.g. 0.5)")
    return value


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
    settings = load_settings(environment, cwd=cwd, require_token=True)
    place = locate_state(settings, environment, cwd)
    settings = place.applied(settings)
    targets: list[Path] | None = None
    if args.paths:
        named = [cwd / p for p in args.paths]
        away = [found for found in map(placeholder_at, named) if found is not None]
        if away:
            raise SheetError(not_here(away))
        missing = [str(p) for p in named if not p.is_file()]
        if missing:
            raise SheetError(f"{', '.join(missing)}: no such file; name sheets that exist")
        targets, folders = named, sorted({p.parent for p in named})
    else:
        if not settings.sheets_dir.is_dir():  # an empty one is fine: sheets get dropped in
            raise SheetError(
                Text("watch.no_folder", folder=settings.sheets_dir, watch=command("watch", "PATH"))
            )
        folders = [settings.sheets_dir]
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
    )
    with run_lock(settings.state_dir, holder="watch"), stop_signals(stop):
        said = kept_message(place, moved=move_database(place), first_time_only=True)
        if said is not None:
            print(for_terminal(localise(said, settings.run_language)), file=stderr, flush=True)
        return watcher.watch()
