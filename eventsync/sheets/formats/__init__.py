"""The sheet formats eventsync reads and writes, by file suffix: the one registry.

Read and annotate stages. Adding a format is one module (a `SheetFormat`, see
`interface.py`) and one line in FORMATS; the reader, the folder scan, the command line
and the writer all find formats here, never by comparing names or suffixes themselves.
Nothing here opens a file.
"""

from __future__ import annotations

from pathlib import Path

from eventsync.sheets.formats.csv import CSV
from eventsync.sheets.formats.interface import Cells as Cells
from eventsync.sheets.formats.interface import SheetFormat as SheetFormat
from eventsync.sheets.formats.xlsx import XLSX

FORMATS: tuple[SheetFormat, ...] = (XLSX, CSV)

# Spreadsheets eventsync does not read, though users keep events (and webinar tools
# export participants) in them: named with the save that makes them sync (as .xlsx),
# never passed over in silence. OpenDocument's, then Excel's older binary workbooks.
OPEN_DOCUMENT_SUFFIXES = (".ods", ".fods")
NOT_READ_SUFFIXES = (*OPEN_DOCUMENT_SUFFIXES, ".xls", ".xlsb")


def format_for(path: Path | str) -> SheetFormat | None:
    """The format of a file by its name's suffix (any case); None: not one we read."""
    suffix = Path(path).suffix.lower()
    return next((f for f in FORMATS if suffix in f.suffixes), None)


def format_named(name: str) -> SheetFormat:
    """The format a sheet was read as (`Sheet.format`)."""
    found = next((f for f in FORMATS if f.name == name), None)
    if found is None:  # a Sheet is only made by a registered format's `read`
        raise LookupError(f"no sheet format named {name!r}")
    return found


def sheet_suffixes() -> tuple[str, ...]:
    """Every suffix of a file eventsync reads, in the registry's order."""
    return tuple(suffix for f in FORMATS for suffix in f.suffixes)
