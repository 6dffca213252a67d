"""Which files in a watched folder matter: sheets, and the lock files that say a
spreadsheet program has a workbook open. Reads names and stats only; never writes."""

from __future__ import annotations

import os
from pathlib import Path

from eventsync.errors import WorkbookOpenError
from eventsync.model import FileStamp
from eventsync.sheets.folder import EXCEL_LOCK_PREFIX, LIBREOFFICE_LOCK, is_sheet_name, open_by
from eventsync.sheets.reader import stamp_of
from eventsync.sheets.writer import check_not_open

LIBREOFFICE_PREFIX, LIBREOFFICE_SUFFIX = LIBREOFFICE_LOCK.split("{name}")


def locked_sheet(lock: Path) -> Path | None:
    """The workbook a lock file stands for (the inverse of `folder.lock_files`); None if
    `lock` is no lock file."""
    name = lock.name
    if name.startswith(EXCEL_LOCK_PREFIX):
        sheet = name[len(EXCEL_LOCK_PREFIX) :]
    elif name.startswith(LIBREOFFICE_PREFIX) and name.endswith(LIBREOFFICE_SUFFIX):
        sheet = name[len(LIBREOFFICE_PREFIX) : -len(LIBREOFFICE_SUFFIX)]
    else:
        return None
    return lock.parent / sheet if is_sheet_name(sheet) else None


def is_open_elsewhere(path: Path) -> bool:
    """Excel (`~$<name>`) or LibreOffice (`.~lock.<name>#`) has the workbook open: asked
    of the sheets folder's own `open_by`, the one list of lock files the writer uses."""
    return open_by(path) is not None


def writer_refuses(path: Path) -> bool:
    """Would the writer refuse to write `path` now because it is open? Asked of the
    writer itself, so the watcher never writes where the writer would not, and follows
    the writer when it learns another program's lock file."""
    try:
        check_not_open(path, 0)
    except WorkbookOpenError:
        return True
    return False


def stamp_now(path: Path) -> FileStamp | None:
    """The file's identity and version as the writer checks it; None when it is gone."""
    try:
        return stamp_of(os.stat(path))
    except OSError:
        return None
