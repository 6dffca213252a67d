"""Annotate: write each row's updatedAt / syncError into the user's own file.

Only the annotation cells (and, with two-way sync, the cells of fields HubSpot changed)
change; the file is replaced atomically and the previous version is kept under the
state folder (the last five). It never writes over a save the user made after the
sheet was read: results are placed by objectId in the version being written.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from eventsync.columns import OBJECT_ID, SYNC_ERROR, UPDATED_AT, header_text
from eventsync.errors import (
    ReadOnlyWorkbookError,
    UnsupportedWorkbookError,
    WorkbookChangedError,
    WorkbookOpenError,
)
from eventsync.merged_cells import hidden_cell
from eventsync.messages import Text, command
from eventsync.model import Annotation, CellValue, FileStamp, Sheet
from eventsync.safe_files import is_sharing_violation, open_shared, write_with
from eventsync.sheets.backups import back_up
from eventsync.sheets.folder import open_by
from eventsync.sheets.formats import Cells, format_named
from eventsync.sheets.placement import place_again, place_cells
from eventsync.sheets.reader import read_sheet, stamp_of
from eventsync.sheets.room import refuse_no_room
from eventsync.sheets.xlsx.refs import column_letters
from eventsync.values import format_text, is_blank
from eventsync.visible import one_line, visible_text

WRITE_ATTEMPTS = 3  # writes tried when the file is saved meanwhile, before giving up
MAX_NOTE_CHARS = 2000  # far below Excel's 32,767 per cell; HubSpot messages can be long


def annotation_columns(sheet: Sheet) -> dict[str, int]:
    """Where updatedAt and syncError go: their existing columns, else each in the next
    column right of the header that is empty in the header row and every row below it
    (notes or formulas the user keeps beside the table, without a header, stay theirs)."""
    columns: dict[str, int] = {}
    next_free = sheet.last_column + 1
    for name in (UPDATED_AT, SYNC_ERROR):
        header = sheet.headers.get(name)
        if header:
            columns[name] = header.column_number
            continue
        while next_free in sheet.occupied_columns:
            next_free += 1
        columns[name] = next_free
        next_free += 1
    return columns


def plan_cells(sheet: Sheet, annotations: Mapping[int, Annotation]) -> Cells:
    """The cells to write: only those whose text would change (header cells included).
    A new dict each call, the caller's to change."""
    columns = annotation_columns(sheet)
    as_stored = format_named(sheet.format).note  # (CSV: guarded; the reader unguards)
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
            # HubSpot's text (a message, an updatedAt) is not trusted: its control
            # characters and bidi overrides are shown as escapes, never written as they
            # are (a NUL would make a CSV unreadable).
            text = visible_text(text[:MAX_NOTE_CHARS])
            if existing_text == text:
                continue
            if text and as_stored is not None:
                text = as_stored(text)
            cells[(row_number, columns[name])] = text or None
    if cells:
        lang = "ja" if not sheet.column_label(OBJECT_ID).isascii() else "en"
        for name, column in columns.items():
            if name not in sheet.headers:
                # A sheet headed in Japanese gets 更新日時 / 同期エラー.
                cells[(sheet.header_row, column)] = header_text(name, lang)
    return cells


def check_writable(
    sheet: Sheet,
    annotations: Mapping[int, Annotation],
    values: Mapping[tuple[int, int], CellValue] | None = None,
) -> None:
    """Raise what `annotate` would raise for these cells (a formula or a table header
    where a result goes, a cell hidden under merged cells, XML the splicer cannot take),
    without writing anything: the run calls it before the first request, so a refusal
    never follows a send."""
    sheet_format = format_named(sheet.format)
    check, room = sheet_format.check, sheet_format.max_column
    if check is None and room is None and not (sheet.formula_cells or sheet.merged):
        return  # nothing could be refused (a CSV): a first sync's 100k cells not planned twice
    cells = plan_cells(sheet, annotations)
    refuse_no_room(sheet, annotation_columns(sheet), cells, room)
    refuse_unsafe_cells(sheet, cells)
    cells.update(values or {})
    if cells and check is not None:
        check(sheet, cells)


def refuse_unsafe_cells(sheet: Sheet, cells: Mapping[tuple[int, int], object]) -> None:
    """Refuse results aimed at a formula cell or at a cell hidden under merged cells."""
    for row, column in sorted(cells.keys() & sheet.formula_cells):
        # The user's formula stays theirs: a result never replaces it.
        raise UnsupportedWorkbookError(
            Text(
                "write.formula",
                place=_where(sheet, row, column),
                column=_annotation_at(sheet, column),
            )
        )
    hidden = hidden_cell(sheet.merged, cells.keys())
    if hidden is not None:
        (row, column), (r1, c1, r2, c2) = hidden
        # Excel shows only the first cell of a merge: a result written into another one
        # would be invisible, and lost when the user unmerges or edits the merge.
        raise UnsupportedWorkbookError(
            Text(
                "write.merged",
                place=_where(sheet, row, column),
                cells=f"{_ref(r1, c1)}:{_ref(r2, c2)}",
                column=_annotation_at(sheet, column),
            )
        )


def _where(sheet: Sheet, row: int, column: int) -> Text:
    return Text("write.place", file=sheet.name, sheet=sheet.sheet_name, cell=_ref(row, column))


def _ref(row: int, column: int) -> str:
    return f"{column_letters(column).decode()}{row}"


def _annotation_at(sheet: Sheet, column: int) -> str:
    for name, number in annotation_columns(sheet).items():
        if number == column:
            return sheet.column_label(name)
    header = next((h for h in sheet.headers.values() if h.column_number == column), None)
    return header.text if header else "updatedAt/syncError"


@dataclass(frozen=True)
class Placement:
    """What to write, placed for one version of the file: annotations by row number and
    values by (row, column), as `sheet` (read from that version) numbers them."""

    sheet: Sheet
    annotations: dict[int, Annotation]
    values: dict[tuple[int, int], CellValue]
    lost: int = 0  # results whose event is no longer in the file (not written)

    def cells(self) -> Cells:
        cells = plan_cells(self.sheet, self.annotations)
        stored = format_named(self.sheet.format).value  # (CSV: as text)
        for position, value in self.values.items():
            cells[position] = value if stored is None else stored(value)
        return cells


@dataclass(frozen=True)
class Written:
    """What `annotate` did to the file."""

    cells: int  # cells changed (0: the file is untouched)
    # The version written, as it replaced the file (None: nothing written). It is
    # eventsync's own: a save landing a moment later is another version.
    version: FileStamp | None = None
    # Written into a version saved after the sheet was read (results placed by
    # objectId): that version holds edits this run did not read, let alone send.
    into_later_save: bool = False
    # The `values` (by position as read) now in the file: two-way sync agrees on no
    # other (a row left the file meanwhile).
    values: frozenset[tuple[int, int]] = frozenset()


class _FileChanged(Exception):
    """The file on disk is no longer the version the cells were placed for."""


Hook = Callable[[Path], None]


def annotate(
    sheet: Sheet,
    annotations: Mapping[int, Annotation],
    state_dir: Path,
    *,
    values: Mapping[tuple[int, int], CellValue] | None = None,
    warn: Callable[[str], None] = lambda message: None,
    before_replace: Hook | None = None,
) -> Written:
    """Write the annotations, and `values` (two-way sync: HubSpot's values for event
    cells, typed); returns how many cells changed (0: the file is untouched), which
    version of the file that made, and which of `values` are in it.

    The file is written only if it is still the version `sheet` was read from (same
    file, size and modification time), checked when it is opened and again just before
    the new file replaces it. A save in between (Excel, a colleague) is never
    overwritten: the file is read again, each result is placed by its row's objectId
    and its column's header in the saved version, and the write is tried again. Results
    for events no longer in the file are not written; `warn` is told how many.
    `before_replace(temp)` is a hook for tests: it runs after the new file is written,
    just before the checks that precede the replacement.
    """
    # The caller's dict as it is (a first sync's has 100,000 notes): annotate only reads it.
    notes = annotations if isinstance(annotations, dict) else dict(annotations)
    placed = Placement(sheet, notes, dict(values or {}))
    origin = {at: at for at in placed.values}  # where each value is now -> as read
    for _ in range(WRITE_ATTEMPTS):
        cells = placed.cells()
        waiting = len({row for row, _ in cells if row > placed.sheet.header_row})
        if not cells:
            written = Written(0)
            break
        check_not_open(sheet.path, waiting)
        check_not_read_only(sheet.path, waiting)
        if placed.sheet is not sheet:
            # A version saved after the run's check: the same refusals, for it.
            planned = plan_cells(placed.sheet, placed.annotations)
            room = format_named(placed.sheet.format).max_column
            refuse_no_room(placed.sheet, annotation_columns(placed.sheet), planned, room)
            refuse_unsafe_cells(placed.sheet, planned)
        try:
            version = _write_once(placed.sheet, cells, state_dir, before_replace)
        except _FileChanged:
            new = read_sheet(placed.sheet.path)
            notes, moved, lost = place_again(placed.sheet, new, placed.annotations, placed.values)
            origin = place_cells(placed.sheet, new, origin)[0]
            placed = Placement(new, notes, moved, placed.lost + lost)
            continue
        except PermissionError as error:
            if not is_sharing_violation(error):
                raise  # a folder the user may not write in: said as it is
            # Windows refused to replace the file for a while: another program has it
            # open. Excel or LibreOffice if their lock file says so, else some other one.
            raise WorkbookOpenError(_in_use_message(sheet.path, waiting)) from None
        written = Written(len(cells), version, into_later_save=placed.sheet is not sheet)
        break
    else:
        raise WorkbookChangedError(
            Text(
                "write.kept_saved",
                file=sheet.name,
                tries=WRITE_ATTEMPTS,
                again=command("sync"),
                count=waiting,
            )
        )
    if placed.lost:
        warn(
            Text(
                "write.lost",
                file=sheet.name,
                column=sheet.column_label(OBJECT_ID),
                count=placed.lost,
            )
        )
    if written.cells:
        written = replace(written, values=frozenset(origin.values()))
    return written


def _write_once(sheet: Sheet, cells: Cells, state_dir: Path, hook: Hook | None) -> FileStamp:
    """One write from ONE open handle of the file (every part, the backup too), if that
    handle still holds the version `sheet` was read from; _FileChanged if not. Returns
    the version written (the new file as it replaced the old one)."""
    target = Path(os.path.realpath(sheet.path))  # a symlink is written through
    expected = sheet.stamp

    def still_read_version(status: os.stat_result) -> None:
        if expected is not None and stamp_of(status) != expected:
            raise _FileChanged

    # Opened sharing delete: Excel can still save while it is open (the check by path
    # below then sees that save).
    with open_shared(target) as source:
        still_read_version(os.fstat(source.fileno()))
        back_up(sheet.path, state_dir, source=source)

        def produce(temp: Path) -> None:
            # Each format patches its own way (losslessly): `sheets/formats/`.
            format_named(sheet.format).write(sheet, temp, cells, source)
            if hook is not None:
                hook(temp)

        def released_and_unchanged() -> None:
            # Windows renames nothing over a file with a handle open, ours included:
            # closed first, then the file checked by its path, right before the rename.
            source.close()
            still_read_version(os.stat(target))

        return stamp_of(write_with(target, produce, before_replace=released_and_unchanged))


def check_not_read_only(path: Path, waiting: int) -> None:
    """A file without write permission is the user's way of saying "do not change it"."""
    target = os.path.realpath(path)
    with contextlib.suppress(FileNotFoundError):
        if os.access(target, os.W_OK) and os.stat(target).st_mode & 0o222:
            return
        raise ReadOnlyWorkbookError(
            Text("write.read_only", file=path.name, again=command("sync"), count=waiting)
        )


def check_not_open(path: Path, waiting: int) -> None:
    """Refuse while a spreadsheet program holds the file open (its lock file is beside
    it): Excel would overwrite the results with its next save, or lose them."""
    lock = open_by(path)
    if lock is not None:
        raise WorkbookOpenError(_open_message(path, waiting, lock))


def _open_message(path: Path, waiting: int, program: str) -> Text:
    return Text("write.open", file=path.name, program=program, again=command("sync"), count=waiting)


def _in_use_message(path: Path, waiting: int) -> Text:
    program = open_by(path)
    if program is not None:
        return _open_message(path, waiting, program)
    return Text("write.in_use", file=path.name, again=command("sync"), count=waiting)


def not_written(file: str, detail: str | None) -> str:
    """What a run says when a sheet's results could not be written (HubSpot has them,
    the state holds them): `detail` alone when it already names the file and says what
    to do (the file open in Excel), else wrapped in the one sentence that says so."""
    if detail is not None and one_line(file) in detail:  # (as messages show it)
        return detail  # (a Text: localisable)
    return Text("write.not_written", file=file, detail=detail, again=command("sync"))
