"""Creating, second step: each new row's external id written into the state, then into
the row (the workbook saved), before anything is sent. Only the creates whose id is in
the file may be sent; it never sends anything itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from eventsync.columns import EXTERNAL_EVENT_ID
from eventsync.config import Settings
from eventsync.creating.checks import Check, external_account_id, new_external_id
from eventsync.errors import SheetError, TryLaterError
from eventsync.messages import Text, command, reason
from eventsync.model import CellValue, CreateRecord, Sheet
from eventsync.sheets.reader import read_sheet
from eventsync.sheets.writer import annotate
from eventsync.state.snapshot import SnapshotStore


@dataclass(frozen=True)
class WriteAhead:
    records: list[CreateRecord]  # the creates whose external id is in the file: to send
    sheet: Sheet | None  # the file as written (None: unchanged, or not written)
    unwritten: list[Check]  # new rows whose id did not reach the file: not sent
    why: str = ""  # what the unwritten rows say


def write_ahead(
    sheet: Sheet, checks: Sequence[Check], store: SnapshotStore, settings: Settings
) -> WriteAhead:
    """Give each new row an external id: in the state, then in the file. Only the
    creates whose id is in the file may be sent."""
    account = external_account_id(store.portal)
    # Sent again (never sent, or not found after the window): with the row as it is now.
    known = [
        replace(c.record, values=c.new.values, row_number=c.new.row_number, sheet=sheet.name)
        for c in checks
        if c.new.external_id is not None and c.record is not None
    ]
    fresh = {
        c.new.row_number: CreateRecord(
            new_external_id(), account, sheet.name, c.new.row_number, c.new.values
        )
        for c in checks
        if c.new.external_id is None
    }
    if not fresh:
        return WriteAhead(known, None, [])
    store.save_creates(list(fresh.values()))
    column, header = id_column(sheet)
    values: dict[tuple[int, int], CellValue] = {
        (row, column): record.external_id for row, record in fresh.items()
    }
    if header:
        values[(sheet.header_row, column)] = header
    unwritten = [c for c in checks if c.new.row_number in fresh]
    try:
        written = annotate(sheet, {}, settings.state_dir, values=values)
        again = read_sheet(sheet.path)
    except (TryLaterError, SheetError, OSError) as error:
        detail = error.strerror if isinstance(error, OSError) else reason(error)
        why = Text("create.not_written", file=sheet.name, detail=detail, again=command("sync"))
        return WriteAhead(known, None, unwritten, why)
    landed = {row for row, _ in written.values}
    lost = [c for c in unwritten if c.new.row_number not in landed]
    sent = known + [record for row, record in fresh.items() if row in landed]
    why = Text("create.not_written", file=sheet.name, detail="", again=command("sync"))
    # The results go into the file as read again only when it is exactly the version
    # written (same rows, same numbers); after a save by the user they are placed by
    # objectId, and a created row's id, placed nowhere, comes from the state next run.
    same = not written.into_later_save and again.stamp == written.version
    return WriteAhead(sent, again if same else None, lost, why if lost else "")


def id_column(sheet: Sheet) -> tuple[int, str | None]:
    """The externalEventId column: the sheet's own, else the first free column right of
    the header (and its header text, in the sheet's language)."""
    header = sheet.headers.get(EXTERNAL_EVENT_ID)
    if header is not None:
        return header.column_number, None
    column = sheet.last_column + 1
    while column in sheet.occupied_columns:
        column += 1
    return column, sheet.header_for(EXTERNAL_EVENT_ID)
