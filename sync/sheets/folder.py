"""The sheets folder: which files a run reads, and whether a spreadsheet program has one open.

Read stage, names and existence only: it never opens a sheet and never writes. A file
eventsync cannot sync (an OpenDocument `.ods`) is never skipped silently: the caller is
told its name and how to save it, and the other sheets still sync.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from sync.config import Settings
from sync.errors import SheetError
from sync.sheets.reader import SHEET_SUFFIXES

EXCEL_LOCK_PREFIX = "~$"  # Excel: ~$events.xlsx beside events.xlsx while it is open
LIBREOFFICE_LOCK = ".~lock.{name}#"  # LibreOffice: .~lock.events.xlsx# beside it
# Spreadsheets eventsync does not read, though users keep events in them: named, never
# passed over in silence.
NOT_SYNCED_SUFFIXES = (".ods", ".fods")


def find_sheets(
    paths: Sequence[str],
    settings: Settings,
    cwd: Path,
    warn: Callable[[str], None] = lambda message: None,
) -> list[Path]:
    """The files named on the command line, else every .xlsx, .xlsm and .csv in the
    sheets folder (not lock files, not hidden files). Each .ods beside them is named
    through `warn`; a folder with nothing else in it is refused, naming the .ods."""
    if paths:
        return [cwd / p for p in paths]
    folder = settings.sheets_dir
    if not folder.is_dir():
        raise SheetError(
            f"{folder}: no sheets folder; create it and put your events workbook in it,"
            " or name the file: eventsync sync PATH"
        )
    files = sorted(p for p in folder.iterdir() if not p.name.startswith((EXCEL_LOCK_PREFIX, ".")))
    found = [p for p in files if p.is_file() and p.suffix.lower() in SHEET_SUFFIXES]
    others = [p for p in files if p.is_file() and p.suffix.lower() in NOT_SYNCED_SUFFIXES]
    if not found:
        raise SheetError(
            f"{folder}: no .xlsx, .xlsm or .csv file in it; "
            + (f"{not_synced(others)}" if others else "put your events workbook there")
            + " (start from templates/events.xlsx)"
        )
    if others:
        warn(f"skipped {not_synced(others)}. The other sheets sync as usual")
    return found


def not_synced(files: Sequence[Path]) -> str:
    """The OpenDocument files by name, and the save that makes them sync."""
    names = ", ".join(p.name for p in files)
    if len(files) == 1:
        what, each = "it is an OpenDocument spreadsheet", "open it"
    else:
        what, each = "they are OpenDocument spreadsheets", "open each"
    return (
        f"{names}: {what}, which eventsync does not sync; {each} in LibreOffice and save it"
        " as .xlsx (File > Save As, file type Excel 2007-365), then run again"
    )


def lock_files(path: Path) -> dict[str, Path]:
    """The lock file each spreadsheet program keeps beside `path` while it is open."""
    return {
        "Excel": path.parent / f"{EXCEL_LOCK_PREFIX}{path.name}",
        "LibreOffice": path.parent / LIBREOFFICE_LOCK.format(name=path.name),
    }


def open_by(path: Path) -> str | None:
    """The program whose lock file says it has `path` open (Excel, LibreOffice), if any."""
    return next((program for program, lock in lock_files(path).items() if lock.exists()), None)
