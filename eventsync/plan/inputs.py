"""Build inputs: one sheet row -> a validated `EventUpdate`, or the row's problems.

Pure: no files, no network, no clock. A bad row is a value (`RowProblem`) that ends up
in its own syncError cell; it never stops the other rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from functools import lru_cache
from types import MappingProxyType

from eventsync.columns import (
    ANNOTATIONS,
    COUNTER_FIELDS,
    EXTERNAL_EVENT_ID,
    LIFECYCLE,
    OBJECT_ID,
    UPDATED_AT,
    Kind,
    kind_of,
)
from eventsync.dates import DateOrder
from eventsync.lifecycle import EventStatus
from eventsync.messages import Text, reason
from eventsync.model import EventUpdate, ExcelError, ProblemCode, RowProblem, Sheet, SheetRow
from eventsync.plan.creates import mark_new_rows
from eventsync.plan.duplicates import flag_duplicates, flag_duplicates_across
from eventsync.plan.lifecycle import parse_status, status_clash, status_fields
from eventsync.plan.versions import read_version
from eventsync.values import (
    format_text,
    format_utc,
    is_blank,
    parse_boolean,
    parse_datetime,
    parse_object_id,
    parse_utc,
)

Built = EventUpdate | tuple[RowProblem, ...]


def normalise_cell(
    field: str, raw: object, zone: tzinfo, order: DateOrder = DateOrder.YMD
) -> str | bool | None:
    """One cell -> the value HubSpot takes (None: empty); ValueError says what is wrong."""
    if is_blank(raw):
        return None
    if isinstance(raw, ExcelError):
        raise ValueError(Text("value.excel_error", error=raw.text))
    kind = kind_of(field)
    if kind is Kind.TEXT and raw.__class__ is str:
        text = raw.strip()  # the common case, without a call per cell
        if "\n" in text or "\r" in text:
            text = single_line(field, text)
        return text or None
    # Sheets repeat the same dates and flags on many rows: parse each spelling once.
    # The type is part of the key, since True == 1 == 1.0 would share an entry.
    cls: type = raw.__class__  # (annotated: mypy takes type[object] for unhashable)
    return _normalise(kind, cls, raw, zone, order)


SINGLE_LINE_FIELDS = frozenset({"eventName", "eventType", "eventOrganizer", "eventUrl"})
_LINE_BREAK = re.compile(r"[ \t]*(?:\r\n|\r|\n)[ \t\r\n]*")


def single_line(field: str, text: str) -> str:
    """A single-line field's text with each line break (Alt+Enter in Excel) and the
    spaces around it made one space, or nothing in a URL: HubSpot keeps these fields on
    one line. eventDescription and custom properties keep their line breaks."""
    if field not in SINGLE_LINE_FIELDS:
        return text
    return _LINE_BREAK.sub("" if field == "eventUrl" else " ", text)


@lru_cache(maxsize=1 << 16)
def _normalise(
    kind: Kind, _type: type, raw: object, zone: tzinfo, order: DateOrder
) -> str | bool | None:
    if kind is Kind.DATETIME:
        return format_utc(parse_datetime(raw, zone, order))
    if kind is Kind.BOOLEAN:
        return parse_boolean(raw)
    return format_text(raw) or None


# (HubSpot's counters are read-only: plan/counters.py)
_NOT_SENT_FIELDS = frozenset(
    (OBJECT_ID, LIFECYCLE, EXTERNAL_EVENT_ID, *ANNOTATIONS, *COUNTER_FIELDS)
)
# Spellings met on many rows (the same start times, the updatedAt of one batch), each
# read once: a sheet of 100,000 rows holds a few thousand of them.
_instant = lru_cache(maxsize=1 << 16)(parse_utc)
_KINDS: dict[str, Kind] = {}  # field -> its kind, looked up once per header


def build_update(
    row: SheetRow,
    sheet: Sheet,
    zone: tzinfo,
    order: DateOrder = DateOrder.YMD,
    *,
    new_row: bool = False,
) -> Built:
    """One row -> its update, or its problems. `new_row`: a row with no objectId read as
    an event to create (plan/creates): its empty id is no problem, its object_id is ""."""
    # The one loop every row of every run goes through: the common cells (an id typed
    # as a number, text, Excel date-times, TRUE/FALSE) take the short ways below, which
    # give what the general path (`normalise_cell`, `parse_object_id`) gives.
    problems: list[RowProblem] = []

    def problem(field: str, code: ProblemCode, message: str) -> None:
        label = sheet.column_label(field)
        text = Text("cell.problem", label=label, problem=message)
        problems.append(RowProblem(row.row_number, label, code, text))

    cells = row.cells
    object_id = ""
    raw_id = cells.get(OBJECT_ID)
    if type(raw_id) is float and raw_id.is_integer() and raw_id > 0:  # a number cell
        object_id = str(int(raw_id))
    elif type(raw_id) is int and raw_id > 0:
        object_id = str(raw_id)
    elif is_blank(raw_id):
        if not new_row:
            problem(OBJECT_ID, ProblemCode.MISSING_OBJECT_ID, Text("id.empty"))
    else:
        try:
            object_id = parse_object_id(raw_id)
        except ValueError as error:
            problem(OBJECT_ID, ProblemCode.BAD_OBJECT_ID, reason(error))

    values: dict[str, str | bool | None] = {}
    cleaned: list[str] = []  # single-line fields whose line breaks were made one line
    for field, raw in cells.items():
        if field in _NOT_SENT_FIELDS:
            continue
        if raw is None:
            values[field] = None
            continue
        cls = raw.__class__
        kind = _KINDS.get(field) or _KINDS.setdefault(field, kind_of(field))
        try:
            if type(raw) is str and kind is Kind.TEXT:
                text = raw.strip()
                if "\n" in text or "\r" in text:
                    one_line = single_line(field, text)
                    if one_line != text:
                        cleaned.append(field)
                    text = one_line
                values[field] = text or None
            elif cls is datetime or cls is bool:  # never blank, never an Excel error
                values[field] = _normalise(kind, cls, raw, zone, order)
            else:
                values[field] = normalise_cell(field, raw, zone, order)
        except ValueError as error:
            problem(field, ProblemCode(f"bad_{kind.value}"), reason(error))
    status = _read_status(cells[LIFECYCLE], values, sheet, problem) if LIFECYCLE in cells else None
    start_text, end_text = values.get("startDateTime"), values.get("endDateTime")
    if isinstance(start_text, str) and start_text and isinstance(end_text, str) and end_text:
        start, end = _instant(start_text), _instant(end_text)
        if start is not None and end is not None and end < start:
            problem(
                "endDateTime",
                ProblemCode.END_BEFORE_START,
                Text("row.end_before_start", start=sheet.column_label("startDateTime")),
            )
    if problems:
        return tuple(problems)
    stamp = cells.get(UPDATED_AT)
    version = read_version(stamp)
    unreadable = version is None and not is_blank(stamp)  # typed over: synced, version unknown
    # `values` is this row's own dict: read-only without a copy (`frozen` copies).
    return EventUpdate(
        row.row_number,
        object_id,
        MappingProxyType(values),
        version,
        tuple(cleaned),
        unreadable,
        status,
    )


def _read_status(
    raw: object,
    values: dict[str, str | bool | None],
    sheet: Sheet,
    problem: Callable[[str, ProblemCode, str], None],
) -> EventStatus | None:
    """The row's status cell (plan/lifecycle.py): what it asks for, the fields it sets
    put into `values`; a word it does not know, or a clash with the row's own
    eventCancelled cell, is the row's problem."""
    try:
        status = parse_status(raw)
    except ValueError as error:
        problem(LIFECYCLE, ProblemCode.BAD_STATUS, reason(error))
        return None
    clash = status_clash(status, values)
    if clash is not None:
        said = Text("lifecycle.status_clash", column=sheet.column_label(clash))
        problem(LIFECYCLE, ProblemCode.STATUS_CLASH, said)
    values.update(status_fields(status))
    return status


def build_updates(sheet: Sheet, zone: tzinfo, order: DateOrder = DateOrder.YMD) -> list[Built]:
    built = flag_duplicates((build_update(row, sheet, zone, order) for row in sheet.rows), sheet)
    return _with_new_rows(sheet, built, zone, order)


def _with_new_rows(sheet: Sheet, built: list[Built], zone: tzinfo, order: DateOrder) -> list[Built]:
    """Rows without an objectId built as events to create (plan/creates)."""
    if not any(isinstance(item, tuple) for item in built):
        return built  # the usual sync: every row names its event

    def rebuild(row: SheetRow) -> Built:
        return build_update(row, sheet, zone, order, new_row=True)

    return mark_new_rows(sheet, built, rebuild)


def build_all(
    sheets: Sequence[Sheet], zone: tzinfo, order: DateOrder = DateOrder.YMD
) -> list[list[Built]]:
    """Every sheet of one run: duplicates across files, then within each file."""
    built = [
        (sheet, [build_update(row, sheet, zone, order) for row in sheet.rows]) for sheet in sheets
    ]
    across = flag_duplicates_across(built)
    return [
        _with_new_rows(sheet, flag_duplicates(items, sheet), zone, order)
        for sheet, items in zip(sheets, across, strict=True)
    ]
