"""Frozen values passed between the stages: sheet -> updates -> plan -> outcomes.

Nothing here does I/O or knows HubSpot's wire format. Field values are already
normalised: text is `str`, eventCancelled is `bool`, date-times are RFC 3339 UTC
strings ending in `Z`; `None` means the cell is empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum, StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from eventsync.columns import header_text, headers_language
from eventsync.lifecycle import EventStatus

FieldValue = str | bool | None
# What a sheet cell holds, typed: text, TRUE/FALSE, a number, a date or date-time, empty.
CellValue = str | bool | int | float | datetime | date | None


@dataclass(frozen=True, slots=True)
class ExcelError:
    """A cell showing a formula error (#N/A, #REF!, ...): never a value to send."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class HeaderCell:
    text: str  # the header exactly as the sheet shows it
    column_number: int  # 1-based, as Excel counts (A = 1)


@dataclass(frozen=True, slots=True)
class SheetRow:
    row_number: int  # the row number the user sees in Excel (the header's, plus 1 and up)
    cells: MappingProxyType[str, object]  # field -> raw cell value, for the columns eventsync knows


@dataclass(frozen=True, slots=True)
class FileStamp:
    """Which file, and which version of it, a sheet was read from: a save (Excel writes a
    new file and renames it over the old one) changes the identity or the size or the
    modification time. Compared before the results are written into the file."""

    device: int
    inode: int
    size: int
    mtime_ns: int


# (first row, first column, last row, last column) of merged cells, 1-based
MergedRange = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Sheet:
    path: Path
    format: str  # the name of the format it was read as (sheets/formats): "xlsx", "csv"
    sheet_name: str | None  # the worksheet read (xlsx only)
    headers: MappingProxyType[
        str, HeaderCell
    ]  # field (column key, custom:<name>, annotation) -> HeaderCell
    last_column: int  # the last non-empty header cell; new annotation columns go after it
    rows: tuple[SheetRow, ...]
    # (row, column) of every cell holding a formula (xlsx): never overwritten by a value
    formula_cells: frozenset[tuple[int, int]] = frozenset()
    # A CSV saved in an encoding that cannot hold every character ("cp932": Japanese
    # Excel's "CSV"; "ascii"): there a "?" may stand for a character the save lost.
    narrow_encoding: str | None = None
    # The file as read (None: a sheet built without reading a file, as in tests).
    stamp: FileStamp | None = None
    merged: tuple[MergedRange, ...] = ()  # merged cell ranges (xlsx)
    # The row holding the headers (the first with an objectId column); rows above it are
    # the user's titles and notes, never read as events and never written.
    header_row: int = 1
    # Columns right of `last_column` holding anything (a value, a formula, part of a
    # merge) in the header row or below: the user's notes, never an annotation's place.
    occupied_columns: frozenset[int] = frozenset()

    @property
    def name(self) -> str:
        return self.path.name

    def column_label(self, field_name: str) -> str:
        """The column as the user's sheet names it (their header text)."""
        header = self.headers.get(field_name)
        return header.text if header else field_name

    def header_for(self, field_name: str) -> str:
        """The column as the sheet names it, or as eventsync heads it when it adds it:
        in the language of the sheet's headers (外部イベントID in a Japanese sheet)."""
        header = self.headers.get(field_name)
        if header is not None:
            return header.text
        labels = {name: cell.text for name, cell in self.headers.items()}
        return header_text(field_name, headers_language(labels))


class ProblemCode(StrEnum):
    """Why a row is not sent: stable short codes, for --json, the run log and tests."""

    MISSING_OBJECT_ID = "missing_object_id"
    BAD_OBJECT_ID = "bad_object_id"
    BAD_TEXT = "bad_text"
    BAD_DATETIME = "bad_datetime"
    BAD_BOOLEAN = "bad_boolean"
    BAD_ID = "bad_id"
    END_BEFORE_START = "end_before_start"
    DUPLICATE_OBJECT_ID = "duplicate_object_id"
    DUPLICATE_IN_OTHER_FILE = "duplicate_in_other_file"  # the same event in two files of a run
    LOST_CHARACTERS = "lost_characters"  # "?" a legacy-encoded save put for a character
    CLEARED_VALUE = "cleared_value"
    NOT_IN_HUBSPOT = "not_in_hubspot"
    CONFLICT = "conflict"
    FORMULA_CELL = "formula_cell"  # HubSpot changed a field whose cell holds a formula
    STALE_COPY = "stale_copy"  # the row's updatedAt is older than HubSpot's confirmed one
    NOT_VERIFIED = "not_verified"  # no snapshot for a synced row, and HubSpot was not read
    NOT_HELD = "not_held"  # HubSpot's value holds characters the file's encoding cannot
    MAYBE_REPLACED = "maybe_replaced"  # new text with "?" in a file saved as Shift-JIS
    BAD_CUSTOM_VALUE = "bad_custom_value"  # not a value the custom property's type takes
    CUSTOM_UNREAD = "custom_unread"  # the property's definition could not be read: held
    BAD_STATUS = "bad_status"  # the status column holds no status eventsync knows
    STATUS_CLASH = "status_clash"  # the status and the eventCancelled cell disagree
    CANNOT_COMPLETE = "cannot_complete"  # Completed, for an event eventsync did not create
    NEW_EVENT_INCOMPLETE = (
        "new_event_incomplete"  # no objectId, and a field a create needs is empty
    )
    DUPLICATE_EXTERNAL_ID = "duplicate_external_id"  # one externalEventId on two new rows
    UNKNOWN_EXTERNAL_ID = "unknown_external_id"  # an externalEventId nobody knows (pasted)


@dataclass(frozen=True, slots=True)
class RowProblem:
    row_number: int
    column: str  # header text as the sheet shows it
    code: ProblemCode
    message: str  # for the user: what is wrong and what to do; no row number


@dataclass(frozen=True, slots=True)
class EventUpdate:
    """One valid row: what the sheet says the event should be."""

    row_number: int
    object_id: str
    values: MappingProxyType[str, FieldValue]  # field -> FieldValue, only for columns the sheet has
    # The row's updatedAt cell (RFC 3339 UTC): the HubSpot version the row was last synced
    # at. None: never synced (a new template row), or the cell holds no date-time.
    updated_at: str | None = None
    # Single-line fields (eventName, ...) whose line breaks were made one line: the
    # row's annotation says so when such a field is sent.
    cleaned: tuple[str, ...] = ()
    # The updatedAt cell holds something that is not a date-time (typed over, a formula):
    # the row was synced once, at a version nobody can read. Never a new row.
    version_unreadable: bool = False
    # What the row's status column asks for (None: no column, or an empty cell).
    status: EventStatus | None = None

    @property
    def synced_before(self) -> bool:
        """The row carries a version, readable or not: it is not a new row."""
        return self.updated_at is not None or self.version_unreadable


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: FieldValue  # what HubSpot last confirmed (None: never synced or empty)
    new: FieldValue


@dataclass(frozen=True, slots=True)
class PlannedUpdate:
    row_number: int
    object_id: str
    changes: tuple[FieldChange, ...]
    first_sync: bool = False  # never confirmed by HubSpot before: every filled cell is sent
    cleaned: tuple[str, ...] = ()  # fields sent whose line breaks were made one line

    @property
    def values(self) -> dict[str, FieldValue]:
        return {change.field: change.new for change in self.changes}


@dataclass(frozen=True, slots=True)
class Plan:
    updates: tuple[PlannedUpdate, ...] = ()
    unchanged: tuple[EventUpdate, ...] = ()
    problems: tuple[RowProblem, ...] = ()

    @property
    def invalid_rows(self) -> tuple[int, ...]:
        return tuple(sorted({p.row_number for p in self.problems}))


@dataclass(frozen=True, slots=True)
class SyncedEvent:
    """What HubSpot last confirmed for one event: the values sent and its updatedAt."""

    values: MappingProxyType[str, FieldValue]  # field -> FieldValue
    updated_at: str


class RowStatus(Enum):
    """What became of one row in a run: the one value results, report and annotations read."""

    UPDATED = "updated"  # HubSpot confirmed every field sent
    FAILED = "failed"  # HubSpot refused it, or kept only part of it (see `confirmed`)
    NOT_SENT = "not sent"  # the run stopped before this row's turn
    CONFLICT = "conflict"  # HubSpot changed the same field: nothing sent for the row
    INVALID = "invalid"  # the row cannot be sent as it is (its problems say why)
    UNCHANGED = "unchanged"  # already in sync: nothing to send
    DELETED = "deleted"  # the event is deleted (by this row's marker, or in HubSpot)

    # Members are singletons compared by identity: hashed by identity too, in C, not by
    # Enum's Python-level hash of the name (millions of lookups at 100,000 rows).
    __hash__ = object.__hash__


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """HubSpot's answer for one event of a batch: UPDATED or FAILED.

    A FAILED row may still carry an `updated_at` and `confirmed` fields when HubSpot
    applied part of it (it dropped a custom property): those fields are confirmed.
    """

    object_id: str
    status: RowStatus
    message: str = ""  # why it failed, for the user; "" when updated
    updated_at: str | None = None  # HubSpot's updatedAt, when it applied the update
    confirmed: MappingProxyType[str, FieldValue] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # HubSpot's error says it has no such event (not found): deleted there, if it was
    # synced before (plan/lifecycle.gone_in_answers).
    not_found: bool = False

    @classmethod
    def updated(
        cls, object_id: str, updated_at: str, confirmed: Mapping[str, FieldValue]
    ) -> RowOutcome:
        return cls(object_id, RowStatus.UPDATED, "", updated_at, frozen(confirmed))

    @classmethod
    def failed(cls, object_id: str, message: str) -> RowOutcome:
        return cls(object_id, RowStatus.FAILED, message)


@dataclass(frozen=True, slots=True)
class RowResult:
    """One row of a sheet after a run (or, for `plan`, what a run would do with it)."""

    row_number: int
    object_id: str  # "" when the row has no usable id
    status: RowStatus
    message: str = ""  # what the row's syncError cell says ("" clears it)
    updated_at: str | None = None  # what its updatedAt cell says (None: leave it)


@dataclass(frozen=True, slots=True)
class Stop:
    """Why a run stopped sending before the end: a value, not an exception.

    `message` is for the terminal, `row_message` for each row that was not sent, and
    `exit_code` is what the CLI reports (see `errors.ExitCode`).

    `cut_short`: the run was asked to stop (a watcher's stop request), nothing went
    wrong. What HubSpot confirmed is saved and annotated, but the rows not sent get no
    "not sent" mark: they keep what they say, and the next run sends them as it finds them.
    """

    message: str
    row_message: str
    exit_code: int
    cut_short: bool = False


@dataclass(frozen=True, slots=True)
class Annotation:
    updated_at: str | None  # None: leave the updatedAt cell as it is
    sync_error: str  # "" clears the cell


@dataclass(frozen=True)
class CreateRecord:
    """What the state remembers of one create (state/schema.py, format 4), written
    before it is sent (docs/creating-events.md)."""

    external_id: str
    account: str  # the externalAccountId it was (or is to be) sent with
    sheet: str
    row_number: int
    values: Mapping[str, FieldValue]
    sent_at: str | None = None  # when it was last sent (None: never sent)
    object_id: str | None = None  # HubSpot's id, once known


K = TypeVar("K")
V = TypeVar("V")


def frozen(mapping: Mapping[K, V]) -> MappingProxyType[K, V]:
    """A read-only copy: frozen dataclasses hold mappings no stage can change."""
    return MappingProxyType(dict(mapping))
