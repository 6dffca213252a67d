"""A workbook the user asked eventsync to replace (`template --force`, `pull --force`)
that another program has open: refused with a message naming the file and the program.

Sheets stage. It looks for lock files and turns a refused replace into a message; it
never opens, writes or deletes a file itself, and never lets a refused replace reach
the user as a bug.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from eventsync.errors import FileInUseError
from eventsync.messages import Command, Text
from eventsync.safe_files import is_sharing_violation
from eventsync.sheets.folder import open_by


def refuse_if_open(target: Path, again: Command) -> None:
    """Excel or LibreOffice has `target` open (its lock file is beside it): replacing it
    now would fail on Windows, and elsewhere be undone by the program's next save."""
    program = open_by(target) if target.exists() else None
    if program is not None:
        raise FileInUseError(Text("replace.open", target=target, program=program, again=again))


@contextmanager
def refused_if_in_use(target: Path, again: Command) -> Iterator[None]:
    """A replace of `target` that Windows kept refusing (another program's handle on it,
    `files.retry_sharing` waited already) becomes a `FileInUseError` naming the program
    if its lock file says which. Any other error passes as it is."""
    try:
        yield
    except PermissionError as error:
        if not is_sharing_violation(error):
            raise
        program = open_by(target)
        if program is not None:
            text = Text("replace.open", target=target, program=program, again=again)
        else:
            text = Text("replace.in_use", target=target, again=again)
        raise FileInUseError(text) from None
