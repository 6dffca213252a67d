"""The command line's words: every command, option and help text of `eventsync`.

On top, beside `cli` (which parses with it and runs what was asked); builds the parser
and nothing else: no command runs here.
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Sequence
from pathlib import Path

from eventsync import __version__
from eventsync.errors import SheetError
from eventsync.messages import Text
from eventsync.service.command import add_service_arguments
from eventsync.sheets.formats import NOT_READ_SUFFIXES, format_for
from eventsync.watch.command import add_watch_arguments
from eventsync.workfolder import add_init_arguments


def build_parser() -> argparse.ArgumentParser:
    return _build()[0]


def command_names() -> tuple[str, ...]:
    """Every command, in the order `--help` lists them."""
    return _build()[1]


def _build() -> tuple[argparse.ArgumentParser, tuple[str, ...]]:
    parser = argparse.ArgumentParser(
        prog="eventsync",
        description="Keep a spreadsheet of marketing events and a HubSpot portal in step.",
    )
    parser.add_argument("--version", action="version", version=f"eventsync {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument(
            "--debug", action="store_true", help="show tracebacks of unexpected errors"
        )
        return sub

    for name, text in (
        ("sync", "send every changed row to HubSpot and annotate the sheet"),
        ("plan", "dry run: show what sync would send, and every problem; sends nothing"),
    ):
        sub = command(name, text)
        sub.add_argument(
            "paths",
            nargs="*",
            metavar="PATH",
            help="sheets to use (default: all in the sheets folder)",
        )
        sub.add_argument("--json", action="store_true", help="print JSON for scripts")
        sub.add_argument(
            "--no-remote-check",
            action="store_true",
            help="don't read HubSpot first: faster, but an edit made in HubSpot can be overwritten",
        )
        sub.add_argument(
            "--two-way",
            action="store_true",
            help="also bring fields changed only in HubSpot into the sheet",
        )
        sub.add_argument(
            "--force",
            nargs="?",
            const="all",
            default=None,
            metavar="OBJECTID[,OBJECTID]",
            help="send the sheet's values where HubSpot changed the same field:"
            " for every event, or only for these",
        )
        if name == "sync":
            sub.add_argument(
                "--add-new",
                action="store_true",
                help="with --two-way: append events that are in HubSpot but not in the sheet",
            )

    add_init_arguments(
        command("init", "set up a working folder: .env, the sheets folder, an events workbook")
    )
    pull = command("pull", "write a new workbook holding every marketing event of the portal")
    pull.add_argument("out", metavar="OUT.xlsx", help="the workbook to write")
    pull.add_argument("--lang", choices=("en", "ja"), default="en", help="header language")
    pull.add_argument("--force", action="store_true", help="replace OUT.xlsx if it exists")
    pull.add_argument(
        "--keep-both",
        action="store_true",
        help="write OUT.xlsx even where another sheet of its folder holds the same events",
    )

    template = command("template", "write an empty events workbook to start from")
    template.add_argument("out", metavar="OUT.xlsx", help="the workbook to write")
    template.add_argument("--lang", choices=("en", "ja"), default="en", help="header language")
    template.add_argument("--force", action="store_true", help="replace OUT.xlsx if it exists")

    log = command("log", "show the run log of the last sync")
    log.add_argument("--json", action="store_true", help="print the raw JSON lines")

    history = command("history", "show every change recorded for an event, newest first")
    history.add_argument("object_id", metavar="OBJECTID", help="the event's objectId")
    history.add_argument("--json", action="store_true", help="print JSON for scripts")
    add_watch_arguments(command("watch", "sync each sheet whenever it is saved, until stopped"))
    add_service_arguments(
        command("service", "run watch in the background: install, uninstall, status, start, stop")
    )
    return parser, tuple(commands.choices)


def unknown_command(argv: Sequence[str], names: Sequence[str]) -> Text | None:
    """What to say when the first word typed is not a command (`eventsync snyc`): the
    closest command, if one is close, and the list. None when it is a command or an
    option (argparse's own checks follow)."""
    if not argv or argv[0].startswith("-") or argv[0] in names:
        return None
    typed = argv[0]
    listed = ", ".join(names)
    close = difflib.get_close_matches(typed.lower(), names, n=1, cutoff=0.6)
    if close:
        return Text(
            "cli.unknown_command_close",
            typed=typed,
            close=close[0],
            commands=listed,
            help="eventsync --help",
        )
    return Text("cli.unknown_command", typed=typed, commands=listed, help="eventsync --help")


FORCE_ALL = "all"  # what `--force` alone stands for


def force_and_paths(
    value: str | None, paths: Sequence[str], cwd: Path
) -> tuple[str | None, list[str]]:
    """Give back to the paths a sheet that argparse took as `--force`'s value.

    `--force` takes an optional value, so in `sync --force events.xlsx` argparse hands
    it `events.xlsx`, and the sheet goes missing from the paths. A value that has a
    sheet's suffix (also .ods, which the reader then explains), or names a file that
    exists, is a path: `--force` alone (every event) and that sheet first. objectIds and
    `all` stay what they are, even if a file happened to bear that name.
    """
    if value is None or _ids_or_all(value):
        return value, list(paths)
    suffix = Path(value).suffix.lower()
    if format_for(value) or suffix in NOT_READ_SUFFIXES or (cwd / value).is_file():
        return FORCE_ALL, [value, *paths]
    return value, list(paths)


def _ids_or_all(value: str) -> bool:
    if value.strip().lower() == FORCE_ALL:
        return True
    return all(part.strip().isascii() and part.strip().isdigit() for part in value.split(","))


def parse_force(value: str | None) -> tuple[bool, frozenset[str]]:
    """`--force` as typed -> (force every event, objectIds forced one by one).

    None: no --force; "all" (`--force` alone, or `--force=all`): every event;
    "5823713216,5823713217": those events only. Anything else is a setting to fix (a
    sheet's path was given back to the paths by `force_and_paths` already).
    """
    if value is None:
        return False, frozenset()
    if value.strip().lower() == FORCE_ALL:
        return True, frozenset()
    parts = [part.strip() for part in value.split(",")]
    if not all(part.isascii() and part.isdigit() for part in parts):
        raise SheetError(Text("force.not_ids", value=value))
    return False, frozenset(str(int(part)) for part in parts)
