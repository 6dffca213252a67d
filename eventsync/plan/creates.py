"""Plan: which rows become new HubSpot events, and what to do with a create in flight.

Pure: rows, the state's record of a create and HubSpot's answers in, decisions out. It
never makes an external id, reads a clock, sends or writes (docs/creating-events.md).

A row is a new event when its objectId cell is empty and it was never synced (an empty
updatedAt: a synced row whose id was cleared by mistake must not become a second event)
or it carries an externalEventId (eventsync gave it one: looked up before anything is
sent). A row that names an objectId is never a create, whatever HubSpot says of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from eventsync.columns import EXTERNAL_EVENT_ID, OBJECT_ID, UPDATED_AT, Kind, kind_of
from eventsync.messages import Text, joined
from eventsync.model import (
    CreateRecord,
    EventUpdate,
    FieldValue,
    ProblemCode,
    RowProblem,
    Sheet,
    SheetRow,
)
from eventsync.values import format_text, is_blank, parse_utc

Built = EventUpdate | tuple[RowProblem, ...]
RebuildRow = Callable[[SheetRow], Built]  # a row -> its build as a new row (plan/inputs)

# What HubSpot's create schema requires of a row (MarketingEventCreateRequestParams:
# eventName, eventOrganizer; the external ids are eventsync's, customProperties may be []).
REQUIRED_FOR_CREATE = ("eventName", "eventOrganizer")


@dataclass(frozen=True)
class NewEvent:
    """One row to create in HubSpot: its filled fields, and its external id if it has one
    (None: eventsync gives it one when it syncs)."""

    row_number: int
    external_id: str | None
    values: Mapping[str, FieldValue]


def row_external_id(row: SheetRow) -> str | None:
    """The row's externalEventId cell as text (None: empty)."""
    raw = row.cells.get(EXTERNAL_EVENT_ID)
    if is_blank(raw):
        return None
    return format_text(raw).strip() or None


def is_new_row(row: SheetRow) -> bool:
    """No objectId, and never synced or given an external id by eventsync."""
    if not is_blank(row.cells.get(OBJECT_ID)):
        return False
    return row_external_id(row) is not None or is_blank(row.cells.get(UPDATED_AT))


def missing_for_create(values: Mapping[str, FieldValue]) -> list[str]:
    """The fields a create needs that the row leaves empty (or lacks as a column)."""
    return [field for field in REQUIRED_FOR_CREATE if is_blank(values.get(field))]


def incomplete(sheet: Sheet, row_number: int, missing: Sequence[str]) -> RowProblem:
    labels = [sheet.column_label(field) for field in missing]
    label = labels[0]
    message = Text("create.incomplete", columns=joined(labels, ", "), count=len(labels))
    return RowProblem(row_number, label, ProblemCode.NEW_EVENT_INCOMPLETE, message)


def mark_new_rows(sheet: Sheet, built: Sequence[Built], rebuild: RebuildRow) -> list[Built]:
    """Each new row (see the module) built again as an event to create (`rebuild`: the
    row without its objectId problem), refused when a field a create needs is empty, and
    every new row whose externalEventId another row of the sheet also holds flagged as a
    copy. One item per row of `sheet`, in order."""
    result = list(built)
    for index, row in enumerate(sheet.rows):
        item = result[index]
        if isinstance(item, EventUpdate) or not is_new_row(row):
            continue
        if not all(p.code is ProblemCode.MISSING_OBJECT_ID for p in item):
            # Another problem (a bad date): said with it, but the id is no problem here.
            result[index] = tuple(p for p in item if p.code is not ProblemCode.MISSING_OBJECT_ID)
            continue
        rebuilt = rebuild(row)
        if isinstance(rebuilt, EventUpdate):
            missing = missing_for_create(rebuilt.values)
            if missing:
                rebuilt = (incomplete(sheet, row.row_number, missing),)
        result[index] = rebuilt
    return flag_copied_ids(sheet, result)


def flag_copied_ids(sheet: Sheet, built: list[Built]) -> list[Built]:
    """A new row whose externalEventId another row also holds is a copy (a row copied
    below itself): flagged, never created twice. Rows with an objectId are left to the
    objectId duplicate rule (plan/duplicates)."""
    rows_by_id: dict[str, list[int]] = defaultdict(list)
    for row in sheet.rows:
        external = row_external_id(row)
        if external is not None:
            rows_by_id[external].append(row.row_number)
    if all(len(rows) == 1 for rows in rows_by_id.values()):
        return built
    label = sheet.column_label(EXTERNAL_EVENT_ID)
    result: list[Built] = []
    for row, item in zip(sheet.rows, built, strict=True):
        external = row_external_id(row)
        copies = rows_by_id.get(external, []) if external is not None else []
        if len(copies) > 1 and is_new_row(row):
            others = ", ".join(str(n) for n in copies if n != row.row_number)
            message = Text("create.copied", label=label, rows=others, count=len(copies) - 1)
            problem = RowProblem(row.row_number, label, ProblemCode.DUPLICATE_EXTERNAL_ID, message)
            kept = () if isinstance(item, EventUpdate) else item
            item = (problem, *kept)
        result.append(item)
    return result


def split_new(sheet: Sheet, built: Sequence[Built]) -> tuple[list[Built], tuple[NewEvent, ...]]:
    """The new rows (EventUpdates without an objectId) taken out of a sheet's items."""
    if not any(isinstance(item, EventUpdate) and not item.object_id for item in built):
        return list(built), ()  # the usual run: every valid row names its event
    kept: list[Built] = []
    new: list[NewEvent] = []
    external = {row.row_number: row_external_id(row) for row in sheet.rows}
    for item in built:
        if isinstance(item, EventUpdate) and not item.object_id:
            values = {k: v for k, v in item.values.items() if v is not None}
            new.append(NewEvent(item.row_number, external.get(item.row_number), values))
        else:
            kept.append(item)
    return kept, tuple(new)


# -- a create in flight: what the state knows, what HubSpot says ------------------------


class CreateStatus(Enum):
    """What became of a new row in a run (or, for `plan`, what a sync would do)."""

    WOULD_CREATE = "would create"  # plan: a sync creates it
    CREATED = "created"  # HubSpot made it in this run
    ADOPTED = "adopted"  # HubSpot had it already: its objectId went into the row
    HELD = "held"  # sent before, not found yet: checked again at a later run
    REFUSED = "refused"  # an external id nobody knows, or several events hold it
    FAILED = "failed"  # HubSpot refused it, or its external id could not be written
    UNCLEAR = "unclear"  # sent, and the answer did not say: looked up next run
    NOT_SENT = "not sent"  # the run stopped before its turn

    __hash__ = object.__hash__


@dataclass(frozen=True)
class CreateRow:
    row_number: int
    external_id: str | None
    status: CreateStatus
    object_id: str | None = None
    updated_at: str | None = None  # what its updatedAt cell gets (None: left as it is)
    message: str = ""  # what its syncError cell says
    values: Mapping[str, FieldValue] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        """HubSpot holds the event and the row names it."""
        return self.status in (CreateStatus.CREATED, CreateStatus.ADOPTED)


class Verdict(Enum):
    SEND = "send"  # nothing was created: send it (again)
    ADOPT = "adopt"  # HubSpot has it: its objectId goes into the row, nothing is sent
    HOLD = "hold"  # sent, not found yet, within HubSpot's "few minutes": wait
    REFUSE = "refuse"  # an external id nobody knows, or several events hold it


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    object_id: str | None = None  # ADOPT
    retry_after: datetime | None = None  # HOLD: when a run may send it again


def needs_lookup(record: CreateRecord | None) -> bool:
    """Ask HubSpot first? Whenever a create may exist that the state cannot name: sent
    and never answered, or an external id the state does not know (lost state, a row
    copied from another workbook)."""
    if record is None:
        return True
    return record.object_id is None and record.sent_at is not None


def decide(
    record: CreateRecord | None,
    found: Sequence[str],
    now: datetime,
    window: timedelta,
) -> Decision:
    """What to do with a row that has an external id: `record` is the state's, `found`
    the objectIds HubSpot returned for the id (asked only when `needs_lookup`)."""
    if record is not None and record.object_id is not None:
        return Decision(Verdict.ADOPT, record.object_id)
    if not needs_lookup(record):
        return Decision(Verdict.SEND)  # written ahead, never sent: nothing can exist
    distinct = sorted(set(found))
    if len(distinct) == 1:
        return Decision(Verdict.ADOPT, distinct[0])
    if distinct or record is None:
        return Decision(Verdict.REFUSE)
    sent = parse_utc(record.sent_at or "")
    if sent is not None and now < sent + window:
        return Decision(Verdict.HOLD, retry_after=sent + window)
    return Decision(Verdict.SEND)


# -- which upsert result is which input ------------------------------------------------


def _same(field: str, sent: FieldValue, echoed: object) -> bool:
    if kind_of(field) is Kind.DATETIME and isinstance(sent, str) and isinstance(echoed, str):
        first, second = parse_utc(sent), parse_utc(echoed)
        return first is not None and first == second
    return sent == echoed


def matches(sent: Mapping[str, FieldValue], echoed: Mapping[str, object]) -> bool:
    """Every field sent (custom properties apart: HubSpot drops those it lacks) is
    echoed as it was sent."""
    return all(
        _same(field, value, echoed.get(field))
        for field, value in sent.items()
        if not field.startswith("custom:")
    )


def match_results(
    sent: Sequence[Mapping[str, FieldValue]], results: Sequence[Mapping[str, object]]
) -> dict[int, int]:
    """input index -> result index, only where the echoes decide it beyond doubt: every
    result matches exactly one input and no input is matched twice. Otherwise nothing
    is matched (the caller reads each event back by its external ids); the inputs left
    out of the mapping are read back too. Never a guess by order."""
    pairs: dict[int, int] = {}
    for r, result in enumerate(results):
        candidates = [i for i, values in enumerate(sent) if matches(values, result)]
        if len(candidates) != 1 or candidates[0] in pairs:
            return {}
        pairs[candidates[0]] = r
    return pairs
