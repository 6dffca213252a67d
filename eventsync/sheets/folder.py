"""The sheets folder: which files a run reads, and whether a spreadsheet program has one open.

Read stage, names, existence and directory entries only: it never opens a sheet and
never writes. A file eventsync cannot sync is never skipped silently: the caller is
told its name and what to do, and the other sheets still sync. Those are OpenDocument
files (`.ods`: save as .xlsx), Excel's older workbooks (`.xls`, `.xlsb`: the same), and sheets a cloud service keeps only online: iCloud Drive
leaves `.Events.xlsx.icloud` in place of a file not downloaded to this Mac; on Windows,
OneDrive (and the other Cloud Files clients) keep an online-only file under its own
name, marked by attributes that say its data is not here. Such a file is never opened:
that would download it, or fail while the service is away.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from eventsync.errors import SheetError
from eventsync.messages import Text, command, joined
from eventsync.sheets.formats import NOT_READ_SUFFIXES, OPEN_DOCUMENT_SUFFIXES, format_for

EXCEL_LOCK_PREFIX = "~$"  # Excel: ~$events.xlsx beside events.xlsx while it is open
LIBREOFFICE_LOCK = ".~lock.{name}#"  # LibreOffice: .~lock.events.xlsx# beside it
ICLOUD_PREFIX, ICLOUD_SUFFIX = ".", ".icloud"
FILE_ATTRIBUTE_OFFLINE = 0x1000
FILE_ATTRIBUTE_RECALL_ON_OPEN = 0x40000
FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS = 0x400000
# Any of these: the file's data is elsewhere, fetched (if at all) when it is read.
NOT_HERE = (
    FILE_ATTRIBUTE_OFFLINE | FILE_ATTRIBUTE_RECALL_ON_OPEN | FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS
)


class Cloud(Enum):
    ICLOUD = "iCloud"  # a stub file stands in for it
    ONLINE_ONLY = "online-only"  # the file is there by name, its data is not


@dataclass(frozen=True)
class Placeholder:
    sheet: str  # the sheet's own name: "Events.xlsx"
    cloud: Cloud


def is_sheet_name(name: str) -> bool:
    """A file a run reads by its name: a format eventsync knows (`sheets/formats`), not a
    lock file, not hidden."""
    return format_for(name) is not None and not name.startswith((EXCEL_LOCK_PREFIX, "."))


def icloud_sheet(name: str) -> str | None:
    """The sheet an iCloud stub stands for (`.Events.xlsx.icloud` -> `Events.xlsx`)."""
    if not (name.startswith(ICLOUD_PREFIX) and name.endswith(ICLOUD_SUFFIX)):
        return None
    sheet = name[len(ICLOUD_PREFIX) : -len(ICLOUD_SUFFIX)]
    return sheet if is_sheet_name(sheet) else None


def placeholder_of(name: str, attributes: int) -> Placeholder | None:
    """Is this directory entry (its name, its Windows file attributes; 0 elsewhere) a
    sheet that is not on this computer? Pure."""
    stub = icloud_sheet(name)
    if stub is not None:
        return Placeholder(stub, Cloud.ICLOUD)
    if is_sheet_name(name) and attributes & NOT_HERE:
        return Placeholder(name, Cloud.ONLINE_ONLY)
    return None


def placeholders_in(entries: Iterable[os.DirEntry[str]]) -> list[Placeholder]:
    """The placeholders among a folder's entries (their attributes come with the
    listing on Windows: no file is opened). An iCloud stub beside its downloaded sheet
    is one iCloud is removing: the sheet is here."""
    entries = list(entries)
    here = {entry.name for entry in entries}
    found = []
    for entry in entries:
        try:
            attributes = getattr(entry.stat(), "st_file_attributes", 0)
        except OSError:
            attributes = 0
        placeholder = placeholder_of(entry.name, attributes)
        if placeholder is not None and not (
            placeholder.cloud is Cloud.ICLOUD and placeholder.sheet in here
        ):
            found.append(placeholder)
    return sorted(found, key=lambda p: p.sheet)


def placeholder_at(path: Path) -> Placeholder | None:
    """Is the sheet at `path` not on this computer: online-only, or only its iCloud
    stub beside where it would be?"""
    try:
        attributes = getattr(os.stat(path), "st_file_attributes", 0)
    except FileNotFoundError:
        stub = path.with_name(f"{ICLOUD_PREFIX}{path.name}{ICLOUD_SUFFIX}")
        return Placeholder(path.name, Cloud.ICLOUD) if stub.is_file() else None
    except OSError:
        return None
    return placeholder_of(path.name, attributes)


def not_here(placeholders: Sequence[Placeholder]) -> str:
    """Each by name, and what brings it to this computer."""
    return joined(_not_here(p) for p in placeholders)


def _not_here(placeholder: Placeholder) -> Text:
    if placeholder.cloud is Cloud.ICLOUD:
        return Text("cloudfile.icloud", name=placeholder.sheet)
    return Text("cloudfile.online_only", name=placeholder.sheet)


def find_sheets(
    paths: Sequence[str],
    folder: Path,
    cwd: Path,
    warn: Callable[[str], None] = lambda message: None,
    *,
    verb: str = "sync",
) -> list[Path]:
    """The files named on the command line, else every sheet in `folder` (the sheets
    folder): each file of a format eventsync reads, not lock files, not hidden files.
    Each .ods and each sheet not on this computer (a cloud placeholder) beside them is
    named through `warn`; a folder with nothing else in it is refused, naming them, and
    so is a named placeholder.
    `verb` is the command run (`plan`, `sync`): the one suggested again with a path, so
    a dry run is never answered with a send."""
    if paths:
        named = [cwd / p for p in paths]
        away = [found for found in map(placeholder_at, named) if found is not None]
        if away:
            raise SheetError(not_here(away))
        return named
    if not folder.is_dir():
        sync = command(verb, "PATH")
        raise SheetError(Text("folder.none", folder=folder, init=command("init"), sync=sync))
    with os.scandir(folder) as listing:
        entries = list(listing)
    away = placeholders_in(entries)
    gone = {p.sheet for p in away}
    files = sorted(Path(e.path) for e in entries if not e.name.startswith((EXCEL_LOCK_PREFIX, ".")))
    found = [p for p in files if p.is_file() and format_for(p) is not None and p.name not in gone]
    others = [p for p in files if p.is_file() and p.suffix.lower() in NOT_READ_SUFFIXES]
    if not found:
        if away:
            listed = joined([*([not_synced(others)] if others else []), not_here(away)])
            raise SheetError(Text("cloudfile.none_here", folder=folder, files=listed))
        if others:
            raise SheetError(Text("folder.only_ods", folder=folder, ods=not_synced(others)))
        template = command("template", str(_typed(folder / "events.xlsx", cwd)))
        raise SheetError(Text("folder.empty", folder=folder, template=template))
    if others:
        warn(Text("folder.skipped", ods=not_synced(others)))
    if away:
        warn(Text("cloudfile.skipped", files=not_here(away)))
    return found


def _typed(path: Path, cwd: Path) -> Path:
    """`path` as the user would type it where they stand: relative when it is below."""
    try:
        return path.relative_to(cwd)
    except ValueError:
        return path


def not_synced(files: Sequence[Path]) -> str:
    """The files of a format eventsync does not read by name, and the save that makes
    them sync: OpenDocument's (LibreOffice), then Excel's older workbooks (.xls)."""
    ods = [p for p in files if p.suffix.lower() in OPEN_DOCUMENT_SUFFIXES]
    said = [Text("refuse.unknown_format", file=p.name) for p in files if p not in ods]
    names = ", ".join(p.name for p in ods)
    if len(ods) == 1:
        said.insert(0, Text("folder.ods_one", names=names))
    elif ods:
        said.insert(0, Text("folder.ods_many", names=names))
    return joined(said)


def lock_files(path: Path) -> dict[str, Path]:
    """The lock file each spreadsheet program keeps beside `path` while it is open."""
    return {
        "Excel": path.parent / f"{EXCEL_LOCK_PREFIX}{path.name}",
        "LibreOffice": path.parent / LIBREOFFICE_LOCK.format(name=path.name),
    }


def open_by(path: Path) -> str | None:
    """The program whose lock file says it has `path` open (Excel, LibreOffice), if any."""
    return next((program for program, lock in lock_files(path).items() if lock.exists()), None)


def sheets_beside(path: Path) -> list[Path]:
    """The other sheets of `path`'s folder, as a run of that folder would read them (no
    lock files, hidden files or cloud placeholders); none when the folder cannot be
    listed."""
    try:
        with os.scandir(path.parent) as listing:
            entries = list(listing)
    except OSError:
        return []
    away = {placeholder.sheet for placeholder in placeholders_in(entries)}
    return sorted(
        Path(entry.path)
        for entry in entries
        if is_sheet_name(entry.name)
        and entry.name not in away
        and entry.name != path.name
        and entry.is_file()
    )
