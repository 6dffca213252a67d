"""Messages for people, in English and Japanese, from one catalogue.

A message is made as a `Text`: a catalogue key and its fields. It *is* its English
text (a `str`), so it goes anywhere a string goes (the run log, --json, tests), and it
keeps its key and fields so the edge that shows it (a sheet's syncError cell, the
terminal) can say it in that reader's language with `localise`. Fields may be
messages themselves (a cell's problem inside a row's), commands (`Command`, shown as
the user runs them: `eventsync ...`, or `make ...` under make) or plain values.

A field is shown on one line (`visible.one_line`): a line break in a file name or in
HubSpot's message is shown as `\\n`, so it cannot end the message's line and have the
rest read as eventsync's own. A field that is a message keeps its own lines.

Which language: `EVENTSYNC_LANG` (en, ja) when set; otherwise a sheet's cells follow
its headers (Japanese headers: Japanese), and the terminal is Japanese when every
sheet of the run is.
"""

from __future__ import annotations

import os
import re
import shlex
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any, Literal

from eventsync.environment import current
from eventsync.messages.catalogue import CATALOGUE
from eventsync.visible import one_line

Language = Literal["en", "ja"]
LANGUAGES: tuple[Language, ...] = ("en", "ja")
MAKE_SHEETS_FILE = "sheets/events.xlsx"  # what `make pull` writes


class Text(str):
    """A catalogued message: reads as its English; `in_language` says it in another."""

    key: str
    fields: Mapping[str, object]

    def __new__(cls, key: str, /, **fields: object) -> Text:
        english = render(key, "en", fields)
        made = super().__new__(cls, english)
        made.key = key
        made.fields = fields
        return made

    def in_language(self, language: Language) -> str:
        return str(self) if language == "en" else render(self.key, language, self.fields)

    def __reduce__(self) -> tuple[Any, ...]:  # pickles (multiprocessing, tests) as itself
        return (_remake, (self.key, dict(self.fields)))


def _remake(key: str, fields: dict[str, object]) -> Text:
    return Text(key, **fields)


def localise(message: str, language: Language) -> str:
    """`message` in `language` if it is catalogued; other text (HubSpot's own words,
    a file name) as it is."""
    if isinstance(message, Text | Quoted | Said):
        return message.in_language(language)
    return message


def reason(error: BaseException) -> str:
    """The message an exception carries, still a `Text` when it was made as one
    (`str(error)` would give its English only)."""
    if len(error.args) == 1 and isinstance(error.args[0], str):
        return error.args[0]
    return str(error)


def joined(messages: Iterable[str], separator: str = "; ") -> str:
    """Several messages as one (a row's problems in one cell), each still localisable."""
    items = list(messages)
    if len(items) == 1:
        return items[0]
    return Text("list", items=_Joined(tuple(items), separator))


@dataclass(frozen=True, slots=True)
class _Joined:
    items: tuple[str, ...]
    separator: str

    def shown(self, language: Language) -> str:
        separator = "；" if language == "ja" and self.separator == "; " else self.separator
        return separator.join(str(shown(item, language)) for item in self.items)


class Quoted(str):
    """A value the user typed (or HubSpot holds), quoted as each language quotes:
    "value" in English, 「value」 in Japanese (docs/ja-style.md). It reads as its
    English form wherever it is used as a plain string."""

    text: str

    def __new__(cls, text: str) -> Quoted:
        made = super().__new__(cls, f'"{text}"')
        made.text = text
        return made

    def in_language(self, language: Language) -> str:
        return str(self) if language == "en" else f"「{self.text}」"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Quoted, (self.text,))


class Said(str):
    """A message as an earlier run said it, kept in every language (the run log is
    read later, maybe in the other one). It reads as its English."""

    texts: Mapping[str, str]

    def __new__(cls, texts: Mapping[str, str]) -> Said:
        made = super().__new__(cls, texts.get("en", ""))
        made.texts = dict(texts)
        return made

    def in_language(self, language: Language) -> str:
        return self.texts.get(language) or str(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Said, (dict(self.texts),))


def in_every_language(message: str) -> dict[str, str]:
    """`message` said in each language, to be read back later as a `Said`."""
    return {language: localise(message, language) for language in LANGUAGES}


@dataclass(frozen=True, slots=True)
class Moment:
    """A time HubSpot gave (RFC 3339 UTC, e.g. a row's updatedAt) as a person reads it:
    in the user's zone (EVENTSYNC_TIMEZONE), with the zone's name. The cell keeps
    HubSpot's exact value; a message only has to say when."""

    utc: str
    zone: tzinfo = UTC

    def __str__(self) -> str:
        try:
            moment = datetime.fromisoformat(self.utc.replace("Z", "+00:00"))
        except ValueError:
            return self.utc
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        local = moment.astimezone(self.zone)
        # Milliseconds when HubSpot gave them: two versions a second apart must not read
        # as the same time (an older copy's row and the version HubSpot confirmed since).
        fraction = f".{local.microsecond // 1000:03d}" if local.microsecond else ""
        return f"{local:%Y-%m-%d %H:%M:%S}{fraction} {local.tzname() or self.zone}"


@dataclass(frozen=True, slots=True)
class Command:
    """An eventsync command line to suggest, shown the way the user runs eventsync."""

    words: tuple[str, ...]

    def __str__(self) -> str:
        environment = current()  # read once by the command, not here (eventsync/environment.py)
        if environment.via_make:
            return make_form(self.words)
        return join_words(("eventsync", *self.words), windows=environment.windows)


# Words PowerShell and cmd.exe both take as they are. Not `,` (PowerShell makes a list
# of 1,2), `@` (splatting), `%` (cmd's variables), `;`, `&`, `$`, quotes or spaces.
_WINDOWS_BARE_WORD = re.compile(r"[A-Za-z0-9_+=:./\\-]+")


def join_words(words: tuple[str, ...], *, windows: bool) -> str:
    """A command line to paste into the user's shell. POSIX shells get shlex's single
    quotes. cmd.exe does not understand single quotes, so on Windows a word with a space
    or a sign in it goes in double quotes, which cmd.exe and PowerShell both read; a `"`
    inside is doubled, as both read `""` there (Windows file names cannot hold one)."""
    if not windows:
        return shlex.join(words)
    return " ".join(
        word if _WINDOWS_BARE_WORD.fullmatch(word) else '"' + word.replace('"', '""') + '"'
        for word in words
    )


def command(*words: str) -> Command:
    return Command(tuple(words))


def shell_command(*words: str) -> str:
    """A command of the user's own system (not eventsync's), quoted for its shell."""
    return join_words(words, windows=current().windows)


def make_form(words: tuple[str, ...]) -> str:
    """`sync --force` -> `make sync FORCE=1`, `sync --force 123` -> `make sync
    ARGS="--force 123"`, `pull --lang ja --force` -> `make pull HEADERS=ja FORCE=1`;
    commands make has no target for run from the venv."""
    if not words or words[0] not in ("sync", "plan", "pull", "watch"):
        return shlex.join((".venv/bin/eventsync", *words))
    target, rest = words[0], list(words[1:])
    options: list[str] = []
    if "--force" in rest and target in ("sync", "pull"):
        at = rest.index("--force")
        if target == "pull" or at + 1 == len(rest) or rest[at + 1].startswith("-"):
            options.append("FORCE=1")
            del rest[at]
    if "--two-way" in rest and target in ("sync", "plan"):
        options.append("TWO_WAY=1")
        rest.remove("--two-way")
    if target == "pull" and "--lang" in rest[:-1]:  # `make pull HEADERS=ja`
        at = rest.index("--lang")
        if rest[at + 1] == "ja":
            options.insert(0, "HEADERS=ja")
            del rest[at : at + 2]
    if target == "pull":
        paths = [word for word in rest if not word.startswith("-")]
        if paths and paths != [MAKE_SHEETS_FILE]:
            return shlex.join((".venv/bin/eventsync", *words))
        rest = [word for word in rest if word.startswith("-")]
    if rest:
        args = shlex.join(rest)
        # Double quotes, as the README writes them, unless the shell would read into them.
        safe = not any(char in args for char in '"$`\\')
        options.append(f'ARGS="{args}"' if safe else "ARGS=" + shlex.quote(args))
    return " ".join(("make", target, *options))


class _Formatter(string.Formatter):
    """`{count:row|rows}` picks a word by the count; fields that are messages are said
    in the same language."""

    def __init__(self, language: Language) -> None:
        super().__init__()
        self.language = language

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" in format_spec:
            one, many = format_spec.split("|", 1)
            return one if value == 1 else many
        return str(super().format_field(shown(value, self.language), format_spec))


def shown(value: object, language: Language) -> object:
    """A field as the message shows it: a message in `language`, any other text (a
    file name, a path, HubSpot's words, a command naming a file) on one line."""
    if isinstance(value, Text):
        return value.in_language(language)
    if isinstance(value, _Joined):
        return value.shown(language)
    if isinstance(value, Quoted | Said):
        return one_line(value.in_language(language))
    if isinstance(value, str | os.PathLike | Command | Moment):
        return one_line(str(value))
    return value


def say(language: Language, key: str, /, **fields: object) -> str:
    """A catalogued message, said in `language` (for text made where it is shown)."""
    return render(key, language, fields)


def render(key: str, language: Language, fields: Mapping[str, object]) -> str:
    english, japanese = CATALOGUE[key]
    return _Formatter(language).vformat(japanese if language == "ja" else english, (), fields)
