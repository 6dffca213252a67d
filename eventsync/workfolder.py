"""`eventsync init [FOLDER]`: the working folder an installed user needs, made in one step.

It writes `.env` (from the template shipped inside the package, as `.env.example` is for
developers), the sheets folder and an empty events workbook in the chosen language, then
says what to do next. It never replaces or changes a file that is already there: a `.env`
holds the user's token and a workbook their events, so an existing one is kept and said
to be kept, and running init again only adds what is missing. It never talks to HubSpot.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TextIO

from eventsync.config import DOTENV, STRAY_DOTENV, load_settings, read_environment
from eventsync.errors import EventsyncError, ExitCode
from eventsync.language import environment_language
from eventsync.messages import Language, Text, command, localise, reason, say, shell_command
from eventsync.sheets.folder import is_sheet_name
from eventsync.sheets.template import write_template

WORKBOOK_NAME = "events.xlsx"  # what `make pull` and the README's examples use too
LANGUAGE_LINE = "# EVENTSYNC_LANG=ja"


def env_template() -> str:
    """The `.env` template shipped as package data (the repository's `.env.example` is
    the same text, which tests/test_workfolder.py checks)."""
    return resources.files("eventsync").joinpath("data", "env.example").read_text(encoding="utf-8")


def env_text(lang: Language) -> str:
    """The `.env` for a new folder. Japanese: the messages setting switched on, the rest
    left in English letters on purpose: a file of plain ASCII is the same in UTF-8 and in
    Shift-JIS, so an editor that saves it as either cannot break it."""
    text = env_template()
    if lang == "ja":
        text = text.replace(LANGUAGE_LINE, LANGUAGE_LINE.removeprefix("# "), 1)
    return text


@dataclass(frozen=True)
class Folder:
    """What init did: each path it created or kept, in order, and what the next steps need."""

    root: Path
    language: Language  # of the workbook's headers and of what init says
    paths: tuple[tuple[Path, bool], ...]  # (path, True if created, False if kept)
    workbook: Path | None  # the empty workbook init wrote, if it wrote one
    other_sheets: tuple[Path, ...]  # the sheets already in the folder (then none is added)
    has_token: bool
    stray_dotenv: Path | None


def add_init_arguments(sub: argparse.ArgumentParser, language: Language = "en") -> None:
    sub.add_argument(
        "folder",
        nargs="?",
        default=".",
        metavar="FOLDER",
        help=say(language, "help.folder"),
    )
    sub.add_argument(
        "--lang",
        choices=("en", "ja"),
        default=None,
        help=say(language, "help.init_lang"),
    )


def init_command(
    args: argparse.Namespace,
    cwd: Path,
    env: Mapping[str, str] | None,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """Errors are said here, in the language asked for, not in the CLI's (which reads
    a `.env` this command may be about to write)."""
    try:
        done = init_folder(cwd / args.folder, args.lang, env)
    except EventsyncError as error:
        language: Language = args.lang or _env_language(env)
        problems = getattr(error, "problems", None) or [reason(error)]
        for problem in problems:
            print(f"eventsync: {localise(problem, language)}", file=stderr)
        return error.exit_code
    for line in report_lines(done, cwd=cwd, platform=sys.platform):
        print(line, file=stdout)
    return ExitCode.OK


def _env_language(env: Mapping[str, str] | None) -> Language:
    return environment_language(os.environ if env is None else env)


def init_folder(root: Path, lang: Language | None, env: Mapping[str, str] | None) -> Folder:
    """`lang` None: the language EVENTSYNC_LANG names (in the environment or an existing
    .env), else English."""
    if root.exists() and not root.is_dir():
        raise EventsyncError(Text("init.not_folder", folder=root))
    paths: list[tuple[Path, bool]] = []
    _make_folder(root, paths)
    dotenv = root / DOTENV
    if _create_exclusively(dotenv, env_text(lang or "en").encode("utf-8")):
        paths.append((dotenv, True))
    else:
        paths.append((dotenv, False))
    settings = load_settings(read_environment(root, env), cwd=root, require_token=False)
    language = lang or settings.run_language
    sheets = settings.sheets_dir
    _make_folder(sheets, paths)
    try:
        found = sorted(
            path for path in sheets.iterdir() if is_sheet_name(path.name) and path.is_file()
        )
    except OSError as error:
        raise _cannot_create(sheets, error) from None
    workbook = None
    if not found:  # a folder already holding sheets needs no empty one beside them
        workbook = sheets / WORKBOOK_NAME
        try:
            write_template(workbook, language)
        except OSError as error:
            raise _cannot_create(workbook, error) from None
        paths.append((workbook, True))
    stray = root / STRAY_DOTENV
    return Folder(
        root=root,
        language=language,
        paths=tuple(paths),
        workbook=workbook,
        other_sheets=tuple(found),
        has_token=settings.token is not None,
        stray_dotenv=stray if stray.is_file() else None,
    )


def _make_folder(folder: Path, paths: list[tuple[Path, bool]]) -> None:
    if folder.is_dir():
        return
    try:
        folder.mkdir(parents=True)
    except FileExistsError:
        raise EventsyncError(Text("init.not_folder", folder=folder)) from None
    except OSError as error:
        raise _cannot_create(folder, error) from None
    paths.append((folder, True))


def _create_exclusively(path: Path, data: bytes) -> bool:
    """Write a new file, or return False if one is there: the check and the creation are
    one step (O_EXCL), so nothing can ever be written over. Owner-only where the system
    has such modes: the file will hold the token."""
    try:
        handle = os.open(
            path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600
        )
    except FileExistsError:
        return False
    except OSError as error:
        raise _cannot_create(path, error) from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
    except OSError as error:  # a full disk: no half-written .env left to be kept next time
        path.unlink(missing_ok=True)
        raise _cannot_create(path, error) from None
    return True


def _cannot_create(path: Path, error: OSError) -> EventsyncError:
    return EventsyncError(
        Text("init.cannot_create", path=path, why=error.strerror or type(error).__name__)
    )


def report_lines(done: Folder, *, cwd: Path, platform: str) -> list[str]:
    """What was made and kept, then the numbered next steps, with paths as short as they
    can be from where the user stands and commands as their shell reads them."""
    lang = done.language
    lines = [
        say(lang, "init.created", path=_shown(path, cwd))
        if created
        else say(lang, "init.kept", path=_shown(path, cwd))
        for path, created in done.paths
    ]
    if done.other_sheets:
        names = ", ".join(path.name for path in done.other_sheets)
        folder = _shown(done.other_sheets[0].parent, cwd)
        lines.append(say(lang, "init.kept_sheets", folder=folder, names=names))
    dotenv = done.root / DOTENV
    if done.stray_dotenv is not None:
        lines.append(
            say(
                lang,
                "init.env_txt",
                found=_shown(done.stray_dotenv, cwd),
                dotenv=_shown(dotenv, cwd),
            )
        )
    steps: list[str] = []
    if done.root.resolve() != cwd.resolve():  # the steps below name paths from there
        cd = shell_command("cd", str(_shown(done.root, cwd)))
        steps.append(say(lang, "init.step_cd", cd=cd))
    if not done.has_token:
        edit = editor_command(DOTENV, platform)
        if edit is None:
            steps.append(say(lang, "init.step_token_editor", dotenv=DOTENV))
        else:
            steps.append(say(lang, "init.step_token", dotenv=DOTENV, edit=edit))
    workbook = done.workbook
    if workbook is not None:  # an empty one: pull may fill it instead
        relative = str(_shown(workbook, done.root))
        pull = command("pull", *(("--lang", "ja") if lang == "ja" else ()), "--force", relative)
        steps.append(say(lang, "init.step_fill", workbook=relative, pull=pull))
    steps.append(say(lang, "init.step_plan", plan=command("plan")))
    steps.append(say(lang, "init.step_sync", sync=command("sync")))
    lines.append(say(lang, "init.next"))
    lines += [f"  {number}. {step}" for number, step in enumerate(steps, 1)]
    return lines


def editor_command(name: str, platform: str) -> str | None:
    """How to open a text file from the shell: Notepad keeps the name it was opened
    with (no .txt added); TextEdit on a Mac. None where there is no one editor to name."""
    if platform == "win32":
        return f"notepad {name}"
    if platform == "darwin":
        return f"open -e {name}"
    return None


def _shown(path: Path, base: Path) -> Path:
    try:
        return path.relative_to(base)
    except ValueError:
        return path
