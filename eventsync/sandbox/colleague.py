"""`python -m eventsync.sandbox edit|add|delete|list`: change a running sandbox's events as a
colleague would in HubSpot, to see what eventsync makes of it (a conflict, a deleted
event, a new one for `--two-way --add-new`).

Apart from the product. It talks over HTTP to the `/_sandbox/` admin routes of a sandbox
on 127.0.0.1 only, never to HubSpot, and sends no token. Reading FIELD=VALUE words into
an event's fields is pure (`parse_fields`); the rest asks the sandbox and says what
changed, in the language EVENTSYNC_LANG names. Exit 0 when done, 2 for anything to fix
(a word, an id, no sandbox there).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import requests

from eventsync.messages import Language, Moment, Quoted, Text, command, localise, shell_command
from eventsync.sandbox import startup
from eventsync.sandbox.event_rules import (
    DATE_FIELDS,
    READ_ONLY_FIELDS,
    TEXT_FIELDS,
    JsonObject,
    is_numeric,
)
from eventsync.terminal import SafeStream, escaping_system_streams

COMMANDS = ("edit", "add", "delete", "list")
FIELDS = (*TEXT_FIELDS, *DATE_FIELDS, "eventCancelled")  # what a colleague types in
TIMEOUT_S = 10
SERVER_NAME = "eventsync-sandbox"  # the Server header of every sandbox answer
EXAMPLES = f"""\
examples:
  python -m eventsync.sandbox edit 5823713201 eventName="Renamed by a colleague"
  python -m eventsync.sandbox edit 5823713201 eventCancelled=true region=EMEA
  python -m eventsync.sandbox add eventName="New webinar" startDateTime=2026-07-01T09:00:00Z
  python -m eventsync.sandbox delete 5823713201
  python -m eventsync.sandbox list

FIELD is one of: {", ".join(FIELDS[:5])},
  {", ".join(FIELDS[5:])}.
Any other name is a custom property (region=EMEA). Dates are UTC, as HubSpot's API takes
them (2026-07-01T09:00:00Z). Step by step: {startup.WALKTHROUGH}
"""


class ColleagueError(Exception):
    """Something the user must fix, as a catalogue message."""


class NotSandboxError(Exception):
    """Nothing answers at the address, or what answers is not a sandbox."""


def parse_fields(words: Sequence[str], *, adding: bool = False) -> JsonObject:
    """`eventName=New name region=EMEA` -> the JSON fields of an edit (or, `adding`, a
    new event, which may name its objectId). Any name that is no field is a custom
    property; a field's name in another case is refused, not taken as one."""
    fields: JsonObject = {}
    custom: dict[str, str] = {}
    by_lower = {name.lower(): name for name in (*FIELDS, "objectId")}
    for word in words:
        name, equals, value = word.partition("=")
        name = name.strip()
        if not equals or not name:
            raise ColleagueError(Text("sandbox.not_pair", given=Quoted(word)))
        if name in READ_ONLY_FIELDS or (name == "objectId" and not adding):
            writable = ", ".join(FIELDS)
            raise ColleagueError(Text("sandbox.read_only", field=name, fields=writable))
        if name not in by_lower.values() and name.lower() in by_lower:
            raise ColleagueError(Text("sandbox.misspelt", given=name, field=by_lower[name.lower()]))
        if name == "eventCancelled":
            if value.strip().lower() not in ("true", "false"):
                raise ColleagueError(Text("sandbox.not_bool", value=Quoted(value)))
            fields[name] = value.strip().lower() == "true"
        elif name == "objectId":
            fields[name] = _object_id(value)
        elif name in FIELDS:
            fields[name] = value
        else:
            custom[name] = value
    if custom:
        fields["customProperties"] = [{"name": k, "value": v} for k, v in custom.items()]
    return fields


def _object_id(text: str) -> str:
    if not is_numeric(text.strip()):
        raise ColleagueError(Text("sandbox.not_id", value=Quoted(text)))
    return text.strip()


def changes(before: JsonObject, fields: JsonObject) -> list[Text]:
    """One `label: old -> new` line per field given (custom properties by name)."""
    lines = []
    for name, value in fields.items():
        if name == "customProperties":
            held = {p["name"]: p["value"] for p in before.get("customProperties", [])}
            for prop in value:
                label = Text("sandbox.custom_label", name=prop["name"])
                old = held.get(prop["name"])
                lines.append(_change(label, None if old is None else Quoted(old), prop["value"]))
        else:
            lines.append(_change(name, _shown(before.get(name)), value))
    return lines


def _change(label: str, old: object, new: object) -> Text:
    if old is None:
        return Text("report.change_first", label=label, new=_shown(new))
    return Text("report.change", label=label, old=old, new=_shown(new))


def _shown(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else Quoted(str(value))


class Sandbox:
    """A running sandbox's admin routes, over HTTP (never through a proxy: it is local)."""

    def __init__(self, port: int):
        self.url = f"http://127.0.0.1:{port}"
        self.session = requests.Session()
        self.session.trust_env = False  # HTTP_PROXY must not carry 127.0.0.1 elsewhere

    def ask(self, method: str, path: str, body: object = None) -> tuple[int, Any]:
        try:
            answer = self.session.request(method, self.url + path, json=body, timeout=TIMEOUT_S)
        except requests.RequestException:
            raise NotSandboxError from None
        if not answer.headers.get("Server", "").startswith(SERVER_NAME):
            raise NotSandboxError  # another program on that port
        try:
            return answer.status_code, answer.json()
        except ValueError:
            return answer.status_code, {"message": answer.text[:200]}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m eventsync.sandbox",
        description="Change a running sandbox's events as a colleague would in HubSpot."
        " (The sandbox itself: python -m eventsync.sandbox --help.)",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument(
        "--port",
        type=startup.port_number,
        default=default_port(),
        help=f"the sandbox's port, as its banner shows (default: $PORT, else {startup.DEFAULT_PORT})",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    said = {
        "edit": "change fields of an event",
        "add": "create an event (objectId=N to choose its id)",
        "delete": "delete an event",
        "list": "list the events: objectId, updatedAt, eventName",
    }
    made = {
        name: commands.add_parser(
            name,
            parents=[where],
            help=text,
            description=text,
            epilog=EXAMPLES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        for name, text in said.items()
    }
    made["edit"].add_argument("object_id", metavar="OBJECT_ID")
    made["edit"].add_argument("fields", nargs="+", metavar="FIELD=VALUE")
    made["add"].add_argument("fields", nargs="*", metavar="FIELD=VALUE")
    made["delete"].add_argument("object_id", metavar="OBJECT_ID")
    return parser


def default_port() -> int:
    """$PORT (as `make sandbox PORT=...` takes it) when it is a port, else 8765."""
    text = os.environ.get("PORT", "").strip()
    if text.isascii() and text.isdigit() and 0 < int(text) < 65536:
        return int(text)
    return startup.DEFAULT_PORT


def main(argv: Sequence[str] | None = None) -> int:
    with escaping_system_streams():  # argparse writes to sys.stdout and sys.stderr itself
        args = build_parser().parse_args(argv)
    out, err, language = SafeStream(sys.stdout), SafeStream(sys.stderr), startup.language()
    sandbox = Sandbox(args.port)
    try:
        said = _run(args, sandbox, language)
    except ColleagueError as problem:
        _tell(err, [problem.args[0]], language, prefix="sandbox: ")
        return 2
    except NotSandboxError:
        missing = Text("sandbox.no_sandbox", url=sandbox.url, start=_start_command(args.port))
        _tell(err, [missing], language, prefix="sandbox: ")
        return 2
    try:
        _tell(out, said, language)
    except BrokenPipeError:  # `list | head`: the reader has what it wanted
        _quiet(sys.stdout)
    return 0


def _quiet(stream: TextIO) -> None:
    """Point a closed pipe's stream at the null device, so the interpreter's last flush
    has nowhere to fail (as `eventsync`'s own CLI does)."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())


def _run(args: argparse.Namespace, sandbox: Sandbox, language: Language) -> list[str]:
    """What the command says once done (a change's lines indented, each said in
    `language`); ColleagueError for what the user must fix."""
    if args.command == "list":
        _, listed = sandbox.ask("GET", "/_sandbox/events")
        events = listed.get("results", [])
        lines: list[str] = [Text("sandbox.listed", count=len(events), url=sandbox.url)]
        for event in events:
            lines.append(f"  {event['objectId']}  {event['updatedAt']}  {event['eventName']}")
        return lines
    if args.command == "add":
        fields = parse_fields(args.fields, adding=True)
        status, added = sandbox.ask("POST", "/_sandbox/events", fields)
        if status == 409:
            raise ColleagueError(Text("sandbox.exists", object_id=fields.get("objectId")))
        _check(status, added, sandbox, args)
        name = Quoted(added["eventName"])
        return [Text("sandbox.added", object_id=added["objectId"], name=name), _next()]
    object_id = _object_id(args.object_id)
    fields = parse_fields(args.fields) if args.command == "edit" else {}
    status, before = sandbox.ask("GET", f"/_sandbox/events/{object_id}")
    _check(status, before, sandbox, args, object_id)
    if args.command == "delete":
        status, answer = sandbox.ask("DELETE", f"/_sandbox/events/{object_id}")
        _check(status, answer, sandbox, args, object_id)
        name = Quoted(before["eventName"])
        return [Text("sandbox.deleted", object_id=object_id, name=name), _next()]
    status, after = sandbox.ask("POST", f"/_sandbox/events/{object_id}", fields)
    _check(status, after, sandbox, args, object_id)
    updated = Moment(after["updatedAt"], startup.timezone())  # as the user's plan says it
    edited = Text("sandbox.edited", object_id=object_id, updated=updated)
    shown = [f"  {localise(line, language)}" for line in changes(before, fields)]
    return [edited, *shown, _next()]


def _check(
    status: int, body: Any, sandbox: Sandbox, args: argparse.Namespace, object_id: str = ""
) -> None:
    """Nothing for a 2xx; otherwise the user's message for what the sandbox answered."""
    if 200 <= status < 300:
        return
    if status == 404 and object_id:
        listing = _module_command("list", *_port_words(args.port))
        problem = Text("sandbox.no_event", url=sandbox.url, object_id=object_id, list=listing)
        raise ColleagueError(problem)
    message = body.get("message", "") if isinstance(body, dict) else ""
    raise ColleagueError(Text("sandbox.refused", url=sandbox.url, status=status, message=message))


def _next() -> Text:
    """What to run next: `make plan` in a clone (where eventsync is in .venv, not on
    PATH), else `eventsync plan`."""
    return Text("sandbox.next", plan="make plan" if _in_clone() else command("plan"))


def _in_clone() -> bool:
    cwd = Path.cwd()
    return (cwd / "Makefile").is_file() and (cwd / "eventsync" / "sandbox").is_dir()


def _port_words(port: int) -> tuple[str, ...]:
    return () if port == startup.DEFAULT_PORT else ("--port", str(port))


def _module_command(*words: str) -> str:
    """`python -m eventsync.sandbox WORDS`, with this interpreter as the user can type it."""
    python = startup.python_command(sys.executable, Path.cwd())
    return shell_command(python, "-m", "eventsync.sandbox", *words)


def _start_command(port: int) -> str:
    """How to start a sandbox here: `make sandbox` in a clone, else the module."""
    if _in_clone():
        shown = () if port == startup.DEFAULT_PORT else (f"PORT={port}",)
        return shell_command("make", "sandbox", *shown)
    return _module_command("--port", str(port))


def _tell(stream: TextIO, lines: list[str], language: Language, *, prefix: str = "") -> None:
    for line in lines:
        print(prefix + localise(line, language), file=stream)
    stream.flush()
