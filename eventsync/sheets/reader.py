"""Read a sheet: any file whose format the registry knows (`sheets/formats/`: an
.xlsx/.xlsm workbook, a CSV) -> header map and raw rows, stamped with its version.

The first stage. The format reads the file; `grid` finds the header row (below any
title rows) and the columns eventsync knows, and hands on raw cell values with the row
numbers the user sees. It never interprets a value (that is `inputs`) and never
writes. A file that cannot be used at all raises `SheetError` with a message naming the
file and what to do.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from eventsync.errors import SheetError
from eventsync.messages import Text
from eventsync.model import FileStamp, Sheet
from eventsync.sheets.folder import not_synced
from eventsync.sheets.formats import format_for
from eventsync.visible import breaks_lines

READ_ATTEMPTS = 3  # reads of a file that changes while it is read, before giving up


def read_sheet(path: Path) -> Sheet:
    """The sheet at `path`, stamped with the version of the file it was read from (a save
    landing during the read is met by reading again)."""
    if breaks_lines(path.name):
        # Refused before anything names it: no message about the file can then show
        # its name across lines, the rest of it reading as eventsync's own.
        raise SheetError(Text("sheet.name_breaks_line", file=path.name))
    if path.is_dir():
        raise SheetError(Text("limits.sheet_is_folder", path=path))
    if not path.is_file():
        raise SheetError(Text("refuse.no_file", path=path))
    sheet_format = format_for(path)
    if sheet_format is None:
        raise _unknown_format(path)
    for _ in range(READ_ATTEMPTS):
        before = file_stamp(path)
        sheet = sheet_format.read(path)
        if file_stamp(path) == before:
            return replace(sheet, stamp=before)
    raise SheetError(Text("refuse.kept_changing", file=path.name))


def file_stamp(path: Path) -> FileStamp:
    """Identity, size and modification time of the file at `path` (through a symlink)."""
    return stamp_of(os.stat(path))


def stamp_of(status: os.stat_result) -> FileStamp:
    return FileStamp(status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def _unknown_format(path: Path) -> SheetError:
    # The advice a file of this kind gets in the folder (.ods, .fods: LibreOffice's save).
    return SheetError(not_synced([path]))
