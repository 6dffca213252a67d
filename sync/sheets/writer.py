"""Annotate: write each row's updatedAt / syncError into the user's own file.

Only the annotation cells change; the file is replaced atomically and the previous
version is kept under the state folder (the last five). It never touches a cell
outside the two annotation columns (and their header cells when it adds them).
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

from sync.columns import OBJECT_ID, SYNC_ERROR, UPDATED_AT, header_text
from sync.errors import UnsupportedWorkbookError, WorkbookOpenError
from sync.files import write_with
from sync.model import Annotation, CellValue, Sheet
from sync.sheets.csv_file import escape_value, write_csv_cells
from sync.sheets.xlsx.patch import check_cells, patch_cells
from sync.sheets.xlsx.refs import column_letters
from sync.sheets.xlsx.values import datetime_text
from sync.values import format_text, is_blank

BACKUPS_KEPT = 5
MAX_NOTE_CHARS = 2000  # far below Excel's 32,767 per cell; HubSpot messages can be long

Cells = dict[tuple[int, int], CellValue]


def as_csv_text(value: CellValue) -> str | None:
    """A typed value as a CSV cell shows it (CSV has only text). Date-times keep their
    seconds and milliseconds when they have them, so they read back as the same instant."""
    if value is None:
        return None
    if isinstance(value, date):
        return datetime_text(value)
    text = format_text(value)
    # Guarded, and the guard undone when the file is read (csv_file.escape_value): an
    # event value written by two-way sync reads back exactly as HubSpot holds it.
    return escape_value(text) if isinstance(value, str) else text


def annotation_columns(sheet: Sheet) -> dict[str, int]:
    """Where updatedAt and syncError go: their existing columns, else after the last header."""
    columns: dict[str, int] = {}
    next_free = sheet.last_column + 1
    for name in (UPDATED_AT, SYNC_ERROR):
        header = sheet.headers.get(name)
        if header:
            columns[name] = header.column_number
        else:
            columns[name] = next_free
            next_free += 1
    return columns


def plan_cells(sheet: Sheet, annotations: Mapping[int, Annotation]) -> Cells:
    """The cells to write: only those whose text would change (header cells included)."""
    columns = annotation_columns(sheet)
    cells: Cells = {}
    current = {row.row_number: row.cells for row in sheet.rows}
    for row_number, note in sorted(annotations.items()):
        row_cells: Mapping[str, object] = current.get(row_number, {})
        wanted = {UPDATED_AT: note.updated_at, SYNC_ERROR: note.sync_error}
        for name, text in wanted.items():
            if text is None:
                continue
            existing = row_cells.get(name)  # as read: without the CSV guard
            existing_text = "" if is_blank(existing) else format_text(existing)
            text = text[:MAX_NOTE_CHARS]
            if existing_text == text:
                continue
            if name == SYNC_ERROR and sheet.format == "csv" and text:
                text = escape_value(text)
            cells[(row_number, columns[name])] = text or None
    if cells:
        lang = "ja" if not sheet.column_label(OBJECT_ID).isascii() else "en"
        for name, column in columns.items():
            if name not in sheet.headers:
                # A sheet headed in Japanese gets 更新日時 / 同期エラー.
                cells[(1, column)] = header_text(name, lang)
    return cells


def check_writable(
    sheet: Sheet,
    annotations: Mapping[int, Annotation],
    values: Mapping[tuple[int, int], CellValue] | None = None,
) -> None:
    """Raise what `annotate` would raise for these cells (a formula or a table header
    where a result goes, XML the splicer cannot take), without writing anything: the
    run calls it before the first request, so a refusal never follows a send."""
    if sheet.format != "xlsx":
        return
    cells = dict(plan_cells(sheet, annotations))
    for row, column in sorted(cells.keys() & sheet.formula_cells):
        # The user's formula stays theirs: a result never replaces it.
        where = (
            f"{sheet.name}, sheet {sheet.sheet_name}, cell {column_letters(column).decode()}{row}"
        )
        raise UnsupportedWorkbookError(
            f"{where}: holds a formula where eventsync writes its results"
            f" ({_annotation_at(sheet, column)}); move the formula to another column or"
            " clear the cell, then run again"
        )
    cells.update(values or {})
    if cells:
        check_cells(sheet.path, sheet.sheet_name or "", cells.keys(), header_row=1)


def _annotation_at(sheet: Sheet, column: int) -> str:
    for name, number in annotation_columns(sheet).items():
        if number == column:
            return sheet.column_label(name)
    return "updatedAt/syncError"


def annotate(
    sheet: Sheet,
    annotations: Mapping[int, Annotation],
    state_dir: Path,
    *,
    values: Mapping[tuple[int, int], CellValue] | None = None,
) -> int:
    """Write the annotations, and `values` (two-way sync: HubSpot's values for event
    cells, typed); returns how many cells changed (0: the file is untouched)."""
    cells: Cells = dict(plan_cells(sheet, annotations))
    for position, value in (values or {}).items():
        cells[position] = as_csv_text(value) if sheet.format == "csv" else value
    if not cells:
        return 0
    waiting = len({row for row, _ in cells if row > 1})
    check_not_open(sheet.path, waiting)
    back_up(sheet.path, state_dir)
    try:
        write_with(sheet.path, lambda temp: write_cells(sheet, temp, cells))
    except PermissionError:
        # Windows refuses to replace a file Excel holds open.
        raise WorkbookOpenError(_open_message(sheet.path, waiting)) from None
    return len(cells)


def write_cells(sheet: Sheet, target: Path, cells: Cells) -> None:
    """The one place that knows how each format is patched (lossless for both)."""
    if sheet.format == "csv":
        # CSV holds only text: `annotate` turned every value into its text already.
        texts = {at: None if value is None else str(value) for at, value in cells.items()}
        write_csv_cells(sheet.path, target, texts)
    else:
        patch_cells(sheet.path, target, sheet.sheet_name or "", cells, header_row=1)


def check_not_open(path: Path, waiting: int) -> None:
    if (path.parent / f"~${path.name}").exists():
        raise WorkbookOpenError(_open_message(path, waiting))


def _open_message(path: Path, waiting: int) -> str:
    return (
        f"{path.name} is open in Excel; close it and run `make sync` again —"
        f" {waiting} result{'s are' if waiting != 1 else ' is'} waiting"
    )


def backup_dir(state_dir: Path, path: Path) -> Path:
    return state_dir / "backups" / path.name


def back_up(path: Path, state_dir: Path) -> Path:
    folder = backup_dir(state_dir, path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    copy = folder / f"{stamp}-{path.name}"
    shutil.copy2(path, copy)
    for old in sorted(folder.iterdir())[:-BACKUPS_KEPT]:
        old.unlink()
    return copy
