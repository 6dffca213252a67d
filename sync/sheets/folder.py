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
from sync.messages import Text, command
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
        sync = command("sync", "PATH")
        raise SheetError(Text("folder.none", folder=folder, init=command("init"), sync=sync))
    files = sorted(p for p in folder.iterdir() if not p.name.startswith((EXCEL_LOCK_PREFIX, ".")))
    found = [p for p in files if p.is_file() and p.suffix.lower() in SHEET_SUFFIXES]
    others = [p for p in files if p.is_file() and p.suffix.lower() in NOT_SYNCED_SUFFIXES]
    if not found:
        template = command("template", str(_typed(folder / "events.xlsx", cwd)))
        if others:
            ods = not_synced(others)
            raise SheetError(Text("folder.only_ods", folder=folder, ods=ods, template=template))
        raise SheetError(Text("folder.empty", folder=folder, template=template))
    if others:
        warn(Text("folder.skipped", ods=not_synced(others)))
    return found


def _typed(path: Path, cwd: Path) -> Path:
    """`path` as the user would type it where they stand: relative when it is below."""
    try:
        return path.relative_to(cwd)
    except ValueError:
        return path


def not_synced(files: Sequence[Path]) -> Text:
    """The OpenDocument files by name, and the save that makes them sync."""
    names = ", ".join(p.name for p in files)
    if len(files) == 1:
        return Text("folder.ods_one", names=names)
    return Text("folder.ods_many", names=names)


def lock_files(path: Path) -> dict[str, Path]:
    """The lock file each spreadsheet program keeps beside `path` while it is open."""
    return {
        "Excel": path.parent / f"{EXCEL_LOCK_PREFIX}{path.name}",
        "LibreOffice": path.parent / LIBREOFFICE_LOCK.format(name=path.name),
    }


def open_by(path: Path) -> str | None:
    """The program whose lock file says it has `path` open (Excel, LibreOffice), if any."""
    return next((program for program, lock in lock_files(path).items() if lock.exists()), None)
