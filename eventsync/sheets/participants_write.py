"""Annotate: a participants file replaced with its results, from one open handle, only
while it holds the version expected (every format's participants writer comes here).

Annotate stage, I/O only: it never decides which cells change (the formats do) and never
replaces a file saved since the version expected; a copy is kept first, as for events.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from eventsync.errors import WorkbookChangedError
from eventsync.model import FileStamp
from eventsync.safe_files import open_shared, write_with
from eventsync.sheets.backups import back_up
from eventsync.sheets.reader import stamp_of

Produce = Callable[[Path, BinaryIO], None]  # (the temp file to write, the file as read)


def replace_if_unchanged(
    path: Path,
    expected: FileStamp | None,
    produce: Produce,
    changed: WorkbookChangedError,
    state_dir: Path,
) -> FileStamp:
    """Write the file anew through `produce` and put it in place of `path`, if it is
    still the version `expected` (None: any) when opened and just before the replace;
    else `changed` is raised and the file is left as it is. Returns the version written
    (`watch` knows it as its own)."""
    target = Path(os.path.realpath(path))

    def still_expected(status: os.stat_result) -> None:
        if expected is not None and stamp_of(status) != expected:
            raise changed

    with open_shared(target) as source:
        still_expected(os.fstat(source.fileno()))
        back_up(path, state_dir, source=source)

        def released_and_unchanged() -> None:
            source.close()  # (Windows renames nothing over a file with a handle open)
            still_expected(os.stat(target))

        written = write_with(
            target, lambda temp: produce(temp, source), before_replace=released_and_unchanged
        )
    return stamp_of(written)
