"""The .csv format: a CSV file read as one sheet of text (`csv_file` knows encodings,
delimiters, quoting and line endings), results spliced into its original bytes.

Read and annotate stages, the CSV edge. A CSV holds only text: what is written into it
is made text here, with the formula guard (`csv_guard`) that the reader takes off
again, so a value eventsync wrote reads back as itself. Never re-encodes, re-quotes or
re-terminates a field it was not asked to change.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import IO

from eventsync.errors import SheetError
from eventsync.messages import Text
from eventsync.model import CellValue, Sheet
from eventsync.sheets.csv_file import CsvTable, read_csv, write_csv_cells
from eventsync.sheets.csv_guard import escape_value, unescape_value
from eventsync.sheets.formats.interface import Cells, SheetFormat
from eventsync.sheets.grid import build_sheet
from eventsync.sheets.xlsx.values import datetime_text
from eventsync.values import format_text


def read_csv_sheet(path: Path) -> Sheet:
    table = read_csv(path)
    if not table.rows:
        raise SheetError(Text("refuse.csv_empty", file=path.name))
    # Cells as the user typed them: without the formula guard eventsync writes into
    # CSV cells (csv_file.escape_value), so a value it wrote reads back as itself.
    grid = [
        tuple(map(unescape_value, row)) if any(v[:1] == "'" for v in row) else row
        for row in table.rows
    ]
    sheet = build_sheet(path, "csv", None, grid)
    return replace(sheet, narrow_encoding=_narrow_encoding(table))


def _narrow_encoding(table: CsvTable) -> str | None:
    """ "cp932" for Japanese Excel's "CSV"; "ascii" for a UTF-8 file of plain ASCII (a
    save that turned every other character into "?" looks just like that)."""
    encoding = table.format.encoding
    if encoding == "cp932":
        return encoding
    if encoding == "utf-8" and all(value.isascii() for row in table.rows for value in row):
        return "ascii"
    return None


def write_csv_sheet(sheet: Sheet, target: Path, cells: Cells, source: IO[bytes] | None) -> None:
    """The file with `cells` spliced into its bytes; every other byte as it was."""
    # CSV holds only text: `note` and `value` turned every value into its text already.
    texts = {at: None if value is None else str(value) for at, value in cells.items()}
    write_csv_cells(sheet.path, target, texts, source=source)


def as_csv_text(value: CellValue) -> str | None:
    """A typed value as a CSV cell shows it (CSV has only text). Date-times keep their
    seconds and milliseconds when they have them, so they read back as the same instant."""
    if value is None:
        return None
    if isinstance(value, date):
        return datetime_text(value)
    text = format_text(value)
    if not isinstance(value, str):
        return text
    # Guarded, and the guard undone when the file is read (csv_guard.escape_value): an
    # event value written by two-way sync reads back exactly as HubSpot holds it. A NUL
    # is dropped: a CSV holding one is binary to every reader, eventsync's included.
    return escape_value(text.replace("\x00", ""))


CSV = SheetFormat(
    name="csv",
    suffixes=(".csv",),
    read=read_csv_sheet,
    write=write_csv_sheet,
    # The guard, taken off again when the file is read (`read_csv_sheet`).
    note=escape_value,
    value=as_csv_text,
)
