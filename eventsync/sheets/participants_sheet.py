"""Read, annotate: participants sheets, whatever their format — a CSV in the sheets folder
whose header row has an email and a state column, or the `Participants` / `参加者`
worksheet of an .xlsx (in the events workbook, or in a workbook of its own) — told
apart, read as rows of text by column, their results (syncError, contactId, sentAt)
written into their own cells, every other byte kept (docs/participants.md,
docs/participants-workbooks.md).

Read and annotate stages: the one door to `participant_columns` (what every format
shares), `participants_csv` and `participants_xlsx`. It never interprets a value
(plan/participants.py does) and never talks to HubSpot. A file is written only if what
was read of it is still there.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from eventsync.errors import SheetError
from eventsync.messages import Text, command
from eventsync.model import FileStamp
from eventsync.participant_mapping import ParticipantMapping
from eventsync.safe_files import write_atomically
from eventsync.sheets.backups import back_up
from eventsync.sheets.formats import format_for
from eventsync.sheets.formats.xlsx import XLSX
from eventsync.sheets.in_use import refuse_if_open, refused_if_in_use
from eventsync.sheets.participant_columns import (
    ANNOTATIONS,
    ATTENDANCE_STATE,
    CONTACT_ID,
    EMAIL,
    HEADERS,
    INTERACTION,
    JOINED,
    LEFT,
    NO_MAPPING,
    OBJECT_ID,
    SENT_AT,
    STATE,
    SYNC_ERROR,
    TEMPLATE_COLUMNS,
    ParticipantCells,
    ParticipantsSheet,
    columns_of,
    header_text,
    missing_mapped,
    through_mapping,
)
from eventsync.sheets.participant_columns import result_cells as cells_for
from eventsync.sheets.participants_csv import (
    HEAD_BYTES,
    header_of,
    is_participants_csv,
    read_participants_csv,
    stored_csv,
    template_csv,
    write_csv_results,
)
from eventsync.sheets.participants_xlsx import (
    is_participants_workbook,
    participants_sheet_names,
    read_participants_xlsx,
    template_xlsx,
    write_xlsx_results,
)


def _is_workbook(path: Path) -> bool:
    return format_for(path) is XLSX


def is_participants_file(path: Path, mapping: ParticipantMapping = NO_MAPPING) -> bool:
    """A file read only as participants, never as an events sheet: a CSV whose header
    row has an email and a state column (or a mapped header of either), or a workbook
    with a participants sheet and no events sheet."""
    if path.suffix.lower() == ".csv":
        return is_participants_csv(path, mapping)
    return _is_workbook(path) and is_participants_workbook(path, mapping)


def has_participants(path: Path, mapping: ParticipantMapping = NO_MAPPING) -> bool:
    """A file holding participants: a participants file, or a workbook with a
    `Participants` / `参加者` sheet beside its events sheet (read as both)."""
    if _is_workbook(path):
        return bool(participants_sheet_names(path, mapping))
    return is_participants_file(path, mapping)


def read_participants(path: Path, mapping: ParticipantMapping = NO_MAPPING) -> ParticipantsSheet:
    """The participants sheet of the file at `path`, stamped with the version read; its
    headers read through `mapping` (a mapped header it lacks: SheetError, naming both)."""
    if _is_workbook(path):
        return read_participants_xlsx(path, mapping)
    return read_participants_csv(path, mapping)


def result_cells(
    sheet: ParticipantsSheet, results: Mapping[int, Mapping[str, str]]
) -> dict[tuple[int, int], str | None]:
    """The cells to write for each row's results (row -> annotation -> text; "" clears),
    only where the text changes; headers added for annotation columns the sheet lacks."""
    return cells_for(sheet, results, str if sheet.sheet_name is not None else stored_csv)


def write_results(
    sheet: ParticipantsSheet, cells: Mapping[tuple[int, int], str | None], state_dir: Path
) -> FileStamp | None:
    """Write `cells` into the sheet's file, if what was read of it is still there (a copy
    kept first, as for events sheets); returns the version written (None: nothing to
    write), which `watch` knows as its own. Else it is left as it is
    (`WorkbookChangedError`): the state holds the results, the next sync writes them."""
    if not cells:
        return None
    if sheet.sheet_name is not None:
        return write_xlsx_results(sheet, cells, state_dir)
    return write_csv_results(sheet, cells, state_dir)


def write_participants_template(
    target: Path, language: str, *, force: bool, state_dir: Path, typed: str
) -> Path | None:
    """`eventsync template --participants OUT.csv` (the header row) or `OUT.xlsx` (a
    workbook with a Participants sheet): an existing file is kept unless `force`, and
    then backed up first, as for events templates (returns the copy)."""
    again = command("template", "--participants", "--force", typed)
    if target.exists() and not force:
        raise SheetError(Text("template.exists", target=target, again=again))
    suffix = target.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise SheetError(Text("people_xlsx.template_suffix", target=target))
    refuse_if_open(target, again)
    backup = None
    with refused_if_in_use(target, again):
        if target.exists():
            backup = back_up(target, state_dir)
        made = template_csv(language) if suffix == ".csv" else template_xlsx(language)
        write_atomically(target, made)
    return backup


__all__ = [
    "ANNOTATIONS",
    "ATTENDANCE_STATE",
    "CONTACT_ID",
    "EMAIL",
    "HEADERS",
    "HEAD_BYTES",
    "INTERACTION",
    "JOINED",
    "LEFT",
    "NO_MAPPING",
    "OBJECT_ID",
    "SENT_AT",
    "STATE",
    "SYNC_ERROR",
    "TEMPLATE_COLUMNS",
    "ParticipantCells",
    "ParticipantsSheet",
    "columns_of",
    "has_participants",
    "header_of",
    "header_text",
    "is_participants_file",
    "missing_mapped",
    "read_participants",
    "result_cells",
    "through_mapping",
    "write_participants_template",
    "write_results",
]
