"""The command line's words: every command, option and help text of `eventsync`.

On top, beside `cli` (which parses with it and runs what was asked); builds the parser
and nothing else: no command runs here.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from eventsync import __version__
from eventsync.errors import SheetError
from eventsync.messages import Language, Text, reason, say
from eventsync.parser_errors import usage_error
from eventsync.service.command import add_service_arguments
from eventsync.sheets.formats import NOT_READ_SUFFIXES, format_for
from eventsync.watch.command import add_watch_arguments
from eventsync.workfolder import add_init_arguments


def build_parser(language: Language = "en") -> argparse.ArgumentParser:
    """The parser, its help in `language` (English: argparse's help as it always read)."""
    return _build(language)[0]


def command_names() -> tuple[str, ...]:
    """Every command, in the order `--help` lists them."""
    return _build("en")[1]


class Parser(argparse.ArgumentParser):
    """argparse's parser, its usage errors said in the language of its help: the usage
    line by the help's formatter, the message from the catalogue (eventsync/parser_errors.py).
    argparse makes each subcommand's parser of this class too. A message argparse says
    that the catalogue does not know is printed as argparse prints it, English whole."""

    def __init__(self, *args: Any, language: Language = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language: Language = language

    def error(self, message: str) -> NoReturn:
        said = None if self.language == "en" else usage_error(message, _carried())
        if said is None:
            self.formatter_class = argparse.HelpFormatter  # its usage line in English too
            super().error(message)
        # As argparse's own error(): to sys.stderr, which the CLI makes safe for any code page
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {say(self.language, 'usage.error', message=said)}\n")


def _carried() -> Text | None:
    """The message a type's ArgumentTypeError carried (`watch --quiet-seconds 0`): argparse
    keeps only its English, in the ArgumentError it is handling while it calls error()."""
    handling = sys.exc_info()[1]
    context = handling.__context__ if isinstance(handling, argparse.ArgumentError) else None
    if isinstance(context, argparse.ArgumentTypeError):
        carried = reason(context)
        return carried if isinstance(carried, Text) else None
    return None


class JapaneseHelp(argparse.HelpFormatter):
    """argparse's own words (usage, its section titles) in Japanese, and lines wrapped
    by the columns they take (a kanji takes two). argparse takes its words from gettext,
    module-wide; a formatter of our own says them for this parser only."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        said = _Columns(say("ja", "help.usage")) if prefix is None else prefix
        super().add_usage(usage, actions, groups, said)

    def start_section(self, heading: str | None) -> None:
        super().start_section(_SECTIONS.get(heading or "", heading))

    def format_help(self) -> str:
        # argparse ends a title with an ASCII colon; after Japanese it is the full-width one
        text = super().format_help()
        for title in _SECTIONS.values():
            text = text.replace(f"{title}:\n", f"{title}：\n")
        return text

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrapped(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrapped(text, width))


class _Columns(str):
    """The usage prefix measured in columns: argparse indents the usage's next lines by
    its len(), and 使い方： takes eight columns, not four."""

    def __len__(self) -> int:
        return columns(self)


_SECTIONS = {
    say("en", "help.positionals"): say("ja", "help.positionals"),
    say("en", "help.options"): say("ja", "help.options"),
}
# Never at the start of a line (Japanese line breaking): they stay with what they close.
_CLOSING = set("。、：；）」』！？")
_TOKEN = re.compile(r"[!-~]+|\s+|.")  # an ASCII word, a space, or one other character


def columns(text: str) -> int:
    """The columns `text` takes in a terminal: a wide (kanji, kana) character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrapped(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns. Japanese has no spaces to break at:
    a line breaks before any wide character, but an ASCII word stays whole and closing
    punctuation stays on the line it closes."""
    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(" ".join(text.split())):
        if line and columns(line + token) > width and token not in _CLOSING:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return [*lines, line.rstrip()] if line.strip() else lines


def _build(language: Language) -> tuple[argparse.ArgumentParser, tuple[str, ...]]:
    formatter = JapaneseHelp if language == "ja" else argparse.HelpFormatter
    parser = Parser(
        prog="eventsync",
        language=language,
        description=say(language, "help.description"),
        formatter_class=formatter,
        add_help=False,
    )
    _add_help(parser, language)
    parser.add_argument(
        "--version",
        action="version",
        version=f"eventsync {__version__}",
        help=say(language, "help.version"),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=text,
            description=text,
            formatter_class=formatter,
            add_help=False,
            language=language,
        )
        _add_help(sub, language)
        sub.add_argument("--debug", action="store_true", help=say(language, "help.debug"))
        return sub

    for name, text in (
        ("sync", say(language, "help.sync")),
        ("plan", say(language, "help.plan")),
    ):
        sub = command(name, text)
        sub.add_argument("paths", nargs="*", metavar="PATH", help=say(language, "help.paths"))
        sub.add_argument("--json", action="store_true", help=say(language, "help.json"))
        sub.add_argument(
            "--no-remote-check", action="store_true", help=say(language, "help.no_remote_check")
        )
        sub.add_argument("--two-way", action="store_true", help=say(language, "help.two_way"))
        sub.add_argument(
            "--force",
            nargs="?",
            const="all",
            default=None,
            metavar="OBJECTID[,OBJECTID]",
            help=say(language, "help.force"),
        )
        if name == "sync":
            sub.add_argument("--add-new", action="store_true", help=say(language, "help.add_new"))
            sub.add_argument(
                "--allow-deletes", action="store_true", help=say(language, "help.allow_deletes")
            )
        sub.add_argument(
            "--create-contacts", action="store_true", help=say(language, "help.create_contacts")
        )

    add_init_arguments(command("init", say(language, "help.init")), language)
    pull = command("pull", say(language, "help.pull"))
    _add_out(pull, language)
    pull.add_argument("--keep-both", action="store_true", help=say(language, "help.keep_both"))
    pull.add_argument(
        "--participants", action="store_true", help=say(language, "help.pull_participants")
    )

    template = command("template", say(language, "help.template"))
    _add_out(template, language)
    template.add_argument(
        "--participants", action="store_true", help=say(language, "help.participants")
    )

    log = command("log", say(language, "help.log"))
    log.add_argument("--json", action="store_true", help=say(language, "help.log_json"))

    history = command("history", say(language, "help.history"))
    history.add_argument("object_id", metavar="OBJECTID", help=say(language, "help.object_id"))
    history.add_argument("--json", action="store_true", help=say(language, "help.json"))
    add_watch_arguments(command("watch", say(language, "help.watch")), language)
    add_service_arguments(command("service", say(language, "help.service")), language)
    return parser, tuple(commands.choices)


def _add_help(parser: argparse.ArgumentParser, language: Language) -> None:
    # argparse's own -h says "show this help message and exit" in English only
    parser.add_argument("-h", "--help", action="help", help=say(language, "help.help"))


def _add_out(sub: argparse.ArgumentParser, language: Language) -> None:
    """pull's and template's OUT.xlsx, --lang and --force, in the order --help lists them."""
    sub.add_argument("out", metavar="OUT.xlsx", help=say(language, "help.out"))
    sub.add_argument("--lang", choices=("en", "ja"), default="en", help=say(language, "help.lang"))
    sub.add_argument("--force", action="store_true", help=say(language, "help.replace"))


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
