"""The sandbox started by hand (`make sandbox`, `python -m eventsync.sandbox`): the fixed token
it accepts, the banner that says how to use it, and the message for a port it cannot
listen on.

Apart from the product. Text is built here as catalogue messages (`eventsync.messages`), in
the language EVENTSYNC_LANG names (environment, else `.env` in the current folder);
`server.main` prints it. This module must never show a token other than SANDBOX_TOKEN,
which is public (it is written here) and works nowhere but a sandbox.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import socket
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from eventsync.config import TOKEN_SETTING, URL_SETTING, local_zone, read_environment
from eventsync.environment import current
from eventsync.errors import EventsyncError
from eventsync.language import environment_language
from eventsync.messages import Language, Text, localise, shell_command

# What the sandbox accepts unless told otherwise: visibly not a HubSpot token (those
# start pat- or are a service key), so one pasted into .env cannot be mistaken for one.
SANDBOX_TOKEN = "sandbox-token-not-for-hubspot"
DEFAULT_PORT = 8765  # `make sandbox`'s port, and the edit command's default
WALKTHROUGH = "docs/sandbox.md"
# The example names the banner's commands use, in the banner's language.
EXAMPLE_NAMES = {"en": "Renamed by a colleague", "ja": "同僚が変更"}
NEW_NAMES = {"en": "Added by a colleague", "ja": "同僚が追加"}
# errno of a port another socket holds; Windows reports its WSA code (10048).
PORT_TAKEN = {errno.EADDRINUSE, 10048}
PORT_LOOKAHEAD = 50  # how far past a taken port to look for a free one to suggest


@dataclass(frozen=True)
class Launch:
    """How this sandbox was started, so that what it suggests can be typed as it is."""

    argv: tuple[str, ...]  # its arguments, to suggest the same command with another port
    python: str  # the interpreter, as the user can type it from this folder
    via_make: bool  # started by `make sandbox` (which sets EVENTSYNC_VIA=make)
    any_token: bool = False

    def command(self, *words: str) -> str:
        return shell_command(self.python, "-m", "eventsync.sandbox", *words)

    def on_port(self, port: int) -> str:
        """This start again on `port`: `make sandbox PORT=N` under make."""
        if self.via_make:
            extra = ("ANY_TOKEN=1",) if self.any_token else ()
            return shell_command("make", "sandbox", f"PORT={port}", *extra)
        return self.command(*with_port(self.argv, port))

    def accepting_any(self, port: int) -> str:
        """This start again accepting any token."""
        if self.via_make:
            shown_port = () if port == DEFAULT_PORT else (f"PORT={port}",)
            return shell_command("make", "sandbox", *shown_port, "ANY_TOKEN=1")
        return self.command(*self.argv, "--any-token")


def launch(argv: tuple[str, ...], *, any_token: bool, cwd: Path | None = None) -> Launch:
    via_make = current().via_make  # read in one place: eventsync/environment.py
    return Launch(argv, python_command(sys.executable, cwd or Path.cwd()), via_make, any_token)


def python_command(executable: str, cwd: Path) -> str:
    """The interpreter relative to `cwd` when it is inside it (`.venv/bin/python`), so
    a suggested command is short and works from the folder the user is in."""
    path = Path(executable)
    try:
        return str(path.relative_to(cwd))
    except ValueError:
        return executable or "python"


def with_port(argv: tuple[str, ...], port: int) -> tuple[str, ...]:
    """`argv` with its --port value replaced (or --port added)."""
    words, changed, skip = [], False, False
    for index, word in enumerate(argv):
        if skip:
            skip = False
            continue
        if word == "--port" and index + 1 < len(argv):
            words += ["--port", str(port)]
            changed = skip = True
        elif word.startswith("--port="):
            words.append(f"--port={port}")
            changed = True
        else:
            words.append(word)
    return tuple(words) if changed else ("--port", str(port), *words)


def port_number(text: str) -> int:
    """argparse's type for --port: 0 (any free port) to 65535."""
    if not (text.isascii() and text.isdigit() and int(text) <= 65535):
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number from 0 to 65535")
    return int(text)


def language(cwd: Path | None = None) -> Language:
    """EVENTSYNC_LANG, from the environment or `.env` here; English when unset."""
    try:
        values: Mapping[str, str] = read_environment(cwd or Path.cwd())
    except (OSError, ValueError, EventsyncError):  # a .env that cannot be read
        values = os.environ
    return environment_language(values)  # the one rule: eventsync/language.py


def timezone(cwd: Path | None = None) -> tzinfo:
    """EVENTSYNC_TIMEZONE, from the environment or `.env` here, as eventsync reads it: a
    time the sandbox reports reads as the user's `plan` will show it. The machine's zone
    when unset or unknown."""
    try:
        name = read_environment(cwd or Path.cwd()).get("EVENTSYNC_TIMEZONE", "").strip()
    except (OSError, ValueError, EventsyncError):  # a .env that cannot be read
        name = os.environ.get("EVENTSYNC_TIMEZONE", "").strip()
    try:
        return ZoneInfo(name) if name else local_zone()
    except (ZoneInfoNotFoundError, ValueError):
        return local_zone()


def banner(
    url: str, events: list[str], token: str | None, how: Launch, language: Language
) -> list[str]:
    """What the sandbox says once it listens, in `language`: where, how many events, the
    two `.env` lines, the token it takes, and how to change an event as a colleague
    would. `events`: the objectIds it serves; `token`: the one it accepts (None: any)."""
    port = int(url.rsplit(":", 1)[1])
    pasted = SANDBOX_TOKEN if token in (None, SANDBOX_TOKEN) else Text("sandbox.your_token")
    if token is None:
        accepts = Text("sandbox.token_any")
    elif token == SANDBOX_TOKEN:
        accepts = Text("sandbox.token_fixed", any=how.accepting_any(port))
    else:
        accepts = Text("sandbox.token_given")
    on_port = () if port == DEFAULT_PORT else ("--port", str(port))
    if events:
        first = min(events, key=int)
        change = how.command("edit", first, f"eventName={EXAMPLE_NAMES[language]}", *on_port)
    else:
        change = how.command("add", f"eventName={NEW_NAMES[language]}", *on_port)
    more = Text("sandbox.more", help=how.command("edit", "--help"), doc=WALKTHROUGH)
    return [
        localise(Text("sandbox.started", url=url, count=len(events)), language),
        "",
        localise(Text("sandbox.env_lines"), language),
        f"    {TOKEN_SETTING}={localise(pasted, language)}",
        f"    {URL_SETTING}={url}",
        localise(accepts, language),
        "",
        localise(Text("sandbox.colleague"), language),
        f"    {change}",
        localise(more, language),
    ]


def port_problem(port: int, error: OSError, how: Launch) -> Text:
    """Why the sandbox cannot listen on `port`, and the command that starts it on a
    free one (the make form under make: `make sandbox PORT=8766`)."""
    another = how.on_port(free_port_after(port))
    if error.errno in PORT_TAKEN or getattr(error, "winerror", None) in PORT_TAKEN:
        return Text("sandbox.port_taken", port=port, another=another)
    why = error.strerror or str(error)
    return Text("sandbox.port_unusable", port=port, why=why, another=another)


def free_port_after(port: int) -> int:
    """The first port after `port` that 127.0.0.1 can listen on now (a suggestion: it
    may be taken by the time the user types it), else `port + 1`."""
    first = port + 1 if port >= 1024 else DEFAULT_PORT  # below 1024: a system's port
    for candidate in range(first, min(first + PORT_LOOKAHEAD, 65536)):
        with contextlib.closing(socket.socket()) as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return candidate
    return min(port + 1, 65535)
