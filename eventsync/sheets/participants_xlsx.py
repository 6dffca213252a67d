"""Read, annotate: a participants worksheet in an .xlsx workbook — the sheet named
`Participants` or `参加者` (as headers are compared: width, case, spaces), in the events
workbook or in a workbook of its own (docs/participants-workbooks.md); its results
written into its own cells through the lossless patcher (`xlsx/patch`), every other
byte of the workbook kept.

Read and annotate stages, the workbook's edge. It never interprets a value, never
re-saves a workbook through a spreadsheet library, and never writes over a change the
user made to the participants sheet since it was read. The events sheet of the same
workbook is written first by the events run: that write changes the file but not this
sheet, so the write re-reads this sheet, requires it to be as read, and patches the
file as it is then.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from eventsync.errors import SheetError, UnsupportedWorkbookError, WorkbookChangedError
from eventsync.merged_cells import hidden_cell
from eventsync.messages import Text, command
from eventsync.model import FileStamp, MergedRange
from eventsync.participant_mapping import ParticipantMapping
from eventsync.safe_files import open_shared
from eventsync.sheets.formats.xlsx import has_events_sheet, named_events_sheet, worksheet_rows
from eventsync.sheets.layout import MAX_HEADER_ROW
from eventsync.sheets.participant_columns import (
    ANNOTATIONS,
    TEMPLATE_COLUMNS,
    ParticipantsSheet,
    events_only,
    header_text,
    is_participants_header,
    result_columns,
    sheet_from_records,
    titled_header_row,
)
from eventsync.sheets.participants_write import replace_if_unchanged
from eventsync.sheets.reader import READ_ATTEMPTS, file_stamp
from eventsync.sheets.sheet_choice import (
    PARTICIPANTS_SHEET_NAMES,
    is_participants_sheet,
    participants_sheet_name,
)
from eventsync.sheets.writer import check_not_open, check_not_read_only
from eventsync.sheets.xlsx.first_row import first_row, first_rows
from eventsync.sheets.xlsx.parts import (
    MAIN_NS,
    REL_NS,
    RT_WORKSHEET,
    find_workbook_part,
    read_xml,
    relationships,
)
from eventsync.sheets.xlsx.patch import check_cells, patch_cells
from eventsync.sheets.xlsx.refs import cell_name
from eventsync.sheets.xlsx.refusals import reading
from eventsync.values import format_text


@dataclass(frozen=True)
class SheetEntry:
    """A sheet as the workbook part lists it."""

    name: str
    visible: bool
    worksheet: bool  # not a chart, dialog or macro sheet


def _entries(path: Path) -> list[SheetEntry]:
    """Every sheet of the workbook, from its workbook part alone (cheap: every workbook
    of a run is asked). A file that cannot be read has none (the events reader says why)."""
    try:
        part = find_workbook_part(path)
        with reading(path), open_shared(path) as file, zipfile.ZipFile(file) as zf:
            workbook = read_xml(zf, part)
            kinds = {rel.id: rel.type for rel in relationships(zf, part)}
    except (SheetError, OSError):
        return []
    return [
        SheetEntry(
            sheet.get("name") or "",
            sheet.get("state", "visible") == "visible",
            kinds.get(sheet.get(f"{{{REL_NS}}}id") or "", "").endswith(RT_WORKSHEET),
        )
        for sheet in workbook.iter(f"{{{MAIN_NS}}}sheet")
    ]


def participants_sheets_in(path: Path) -> list[str]:
    """The sheets of the workbook named as a participants sheet."""
    return [entry.name for entry in _entries(path) if is_participants_sheet(entry.name)]


def lone_participants_sheet(path: Path, mapping: ParticipantMapping) -> str | None:
    """The workbook's one visible worksheet, when the workbook is a participants file
    without a sheet so named: no sheet named as participants or events, one visible
    worksheet, and its row 1 headed as a participants sheet (email and state, or a
    mapped header) with no column only an events sheet has (eventName, startDateTime,
    updatedAt, ...: such a sheet is the events sheet it always was); or headed so below
    a report's title lines (`titled_header_row`: refused when read, never an events sheet)."""
    entries = _entries(path)
    names = [entry.name for entry in entries]
    if any(is_participants_sheet(name) for name in names) or named_events_sheet(names):
        return None
    visible = [entry.name for entry in entries if entry.visible and entry.worksheet]
    if len(visible) != 1:
        return None
    header = first_row(path, visible[0])
    if is_participants_header(header, mapping):
        return None if any(map(events_only, header)) else visible[0]
    # A tool's report with its title lines above the table: no events sheet (refused
    # when read, naming the row), never read as one.
    titled = titled_header_row(first_rows(path, visible[0], MAX_HEADER_ROW), mapping)
    return visible[0] if titled else None


def participants_sheet_names(path: Path, mapping: ParticipantMapping) -> list[str]:
    """The participants sheets of a workbook: those so named, else its lone sheet
    headed as one (`lone_participants_sheet`); none for an events workbook."""
    named = participants_sheets_in(path)
    if named:
        return named
    lone = lone_participants_sheet(path, mapping)
    return [lone] if lone is not None else []


def is_participants_workbook(path: Path, mapping: ParticipantMapping) -> bool:
    """A workbook that is only a participants file: a participants sheet and no events
    sheet (none named `Events`, no other visible worksheet headed with objectId), or a
    lone sheet headed as participants."""
    if participants_sheets_in(path):
        return not has_events_sheet(path)
    return lone_participants_sheet(path, mapping) is not None


def cell_text(value: object) -> str:
    """A cell's value as the text a participants row holds: a date-time cell as
    `2026-05-01 10:02:35` (milliseconds when it has any: what the date reader reads back
    exactly), a number without a spurious `.0`, a text as typed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        # Excel holds days as a float: 10:02:35 may come back as 10:02:34.999999.
        moment = value.replace(microsecond=0) + timedelta(
            milliseconds=round(value.microsecond / 1000)
        )
        text = moment.strftime("%Y-%m-%d %H:%M:%S")
        return text + f".{moment.microsecond // 1000:03d}" if moment.microsecond else text
    if isinstance(value, date):
        return value.isoformat()
    return format_text(value)


def read_participants_xlsx(path: Path, mapping: ParticipantMapping) -> ParticipantsSheet:
    """The participants worksheet of the workbook at `path`, stamped with the version
    read; refused (SheetError, before anything is sent) when the workbook has two, or
    when a result could not be written where it goes."""
    names = participants_sheet_names(path, mapping)
    if not names:  # told apart as one a moment ago: saved differently since
        raise SheetError(Text("refuse.kept_changing", file=path.name))
    if len(names) > 1:
        wanted = " / ".join(PARTICIPANTS_SHEET_NAMES)
        found = ", ".join(names)
        raise SheetError(Text("people_xlsx.sheets", file=path.name, sheets=found, names=wanted))
    (name,) = names
    for _ in range(READ_ATTEMPTS):
        sheet, hazards = _read_once(path, name, mapping)
        if file_stamp(path) == sheet.stamp:
            _refuse_unwritable(sheet, hazards)
            return sheet
    raise SheetError(Text("refuse.kept_changing", file=path.name))


@dataclass(frozen=True)
class Hazards:
    """What a result must never be written over: the user's formulas, and cells hidden
    under merged cells (Excel shows only a merge's first cell)."""

    formulas: frozenset[tuple[int, int]]
    merged: tuple[MergedRange, ...]


def _read_once(
    path: Path, name: str, mapping: ParticipantMapping
) -> tuple[ParticipantsSheet, Hazards]:
    """The sheet, and where its results could not go."""
    before = file_stamp(path)
    rows, scan, merged = worksheet_rows(path, name)
    if not rows:
        raise SheetError(Text("refuse.sheet_empty", file=path.name, sheet=name))
    where = Text("refuse.in_sheet", file=path.name, sheet=name)
    sheet = sheet_from_records(path, rows, mapping, cell_text, where=where)
    grid = tuple(tuple(row) for row in rows)
    sheet = replace(sheet, stamp=before, sheet_name=name, grid=grid)
    return sheet, Hazards(scan.formulas, merged)


def _refuse_unwritable(sheet: ParticipantsSheet, hazards: Hazards) -> None:
    """Refuse, before anything is sent, a sheet whose results could not be written: a
    formula where a result goes (the user's, never replaced), a result cell hidden under
    merged cells (invisible, and lost when the merge is undone), or what the patcher
    refuses (a table's header where a new header goes, markup it cannot take)."""
    columns = result_columns(sheet)
    places = {(row.row_number, columns[field]) for row in sheet.rows for field in ANNOTATIONS}
    _refuse_hidden(sheet, places | {(1, columns[field]) for field in ANNOTATIONS}, hazards)
    for row, column in sorted(places & hazards.formulas):
        raise UnsupportedWorkbookError(
            Text(
                "people_xlsx.formula",
                file=sheet.name,
                sheet=sheet.sheet_name,
                cell=cell_name(row, column),
            )
        )
    cells: dict[tuple[int, int], str | None] = dict.fromkeys(places, "eventsync")
    for field in ANNOTATIONS:
        if field not in sheet.columns:
            cells[(1, columns[field])] = header_text(field, sheet.language)
    if cells:
        check_cells(sheet.path, sheet.sheet_name or "", cells, header_row=1)


def _refuse_hidden(
    sheet: ParticipantsSheet, places: set[tuple[int, int]], hazards: Hazards
) -> None:
    hidden = hidden_cell(hazards.merged, places)
    if hidden is None:
        return
    (row, column), (r1, c1, r2, c2) = hidden
    field = next(f for f in ANNOTATIONS if result_columns(sheet)[f] == column)
    place = Text(
        "write.place", file=sheet.name, sheet=sheet.sheet_name, cell=cell_name(row, column)
    )
    raise UnsupportedWorkbookError(
        Text(
            "write.merged",
            place=place,
            cells=f"{cell_name(r1, c1)}:{cell_name(r2, c2)}",
            column=header_text(field, sheet.language),
        )
    )


def write_xlsx_results(
    sheet: ParticipantsSheet, cells: Mapping[tuple[int, int], str | None], state_dir: Path
) -> FileStamp:
    """Write `cells` into the participants worksheet, a copy of the file kept first; the
    workbook may have changed since it was read (eventsync wrote its events sheet), but
    the participants sheet must be as read: else nothing is written
    (`WorkbookChangedError`), the state holds the results and the next sync writes them."""
    waiting = len({row for row, _ in cells if row > 1})
    check_not_open(sheet.path, waiting)
    check_not_read_only(sheet.path, waiting)
    name = sheet.sheet_name or ""
    changed = WorkbookChangedError(
        Text("people_xlsx.changed", file=sheet.name, sheet=name, again=command("sync"))
    )
    now = file_stamp(sheet.path)
    if now != sheet.stamp:  # a save since: the sheet read again, as it is now
        rows, _scan, _merged = worksheet_rows(sheet.path, name)
        if file_stamp(sheet.path) != now or tuple(tuple(r) for r in rows) != sheet.grid:
            raise changed
    return _patch(sheet, cells, state_dir, now, changed)


def _patch(
    sheet: ParticipantsSheet,
    cells: Mapping[tuple[int, int], str | None],
    state_dir: Path,
    expected: FileStamp,
    changed: WorkbookChangedError,
) -> FileStamp:
    """One write from one open handle, if it still holds the version `expected`."""

    def produce(temp: Path, source: BinaryIO) -> None:
        patch_cells(sheet.path, temp, sheet.sheet_name or "", cells, source=source)

    return replace_if_unchanged(sheet.path, expected, produce, changed, state_dir)


def template_xlsx(language: str) -> bytes:
    """An empty participants workbook: one sheet, `Participants` (`参加者` in Japanese),
    its header row in `language`, bold."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = participants_sheet_name(language)
    for index, field in enumerate(TEMPLATE_COLUMNS, 1):
        cell = sheet.cell(row=1, column=index, value=header_text(field, language))
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = 24
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
