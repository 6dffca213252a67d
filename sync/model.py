"""Frozen values passed between the stages: sheet -> updates -> plan -> outcomes.

Nothing here does I/O or knows HubSpot's wire format. Field values are already
normalised: text is `str`, eventCancelled is `bool`, date-times are RFC 3339 UTC
strings ending in `Z`; `None` means the cell is empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

FieldValue = str | bool | None


@dataclass(frozen=True)
class ExcelError:
    """A cell showing a formula error (#N/A, #REF!, ...): never a value to send."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class HeaderCell:
    text: str  # the header exactly as the sheet shows it
    column_number: int  # 1-based, as Excel counts (A = 1)


@dataclass(frozen=True)
class SheetRow:
    row_number: int  # the row number the user sees in Excel (header = 1)
    cells: MappingProxyType  # field -> raw cell value, for the columns eventsync knows


@dataclass(frozen=True)
class Sheet:
    path: Path
    format: Literal["xlsx", "csv"]
    sheet_name: str | None  # the worksheet read (xlsx only)
    headers: MappingProxyType  # field (column key, custom:<name>, annotation) -> HeaderCell
    last_column: int  # the last non-empty header cell; new annotation columns go after it
    rows: tuple[SheetRow, ...]

    @property
    def name(self) -> str:
        return self.path.name

    def column_label(self, field_name: str) -> str:
        """The column as the user's sheet names it (their header text)."""
        header = self.headers.get(field_name)
        return header.text if header else field_name


@dataclass(frozen=True)
class RowProblem:
    row_number: int
    column: str  # header text as the sheet shows it
    code: str  # stable short code, for --json and tests
    message: str  # for the user: what is wrong and what to do; no row number


@dataclass(frozen=True)
class EventUpdate:
    """One valid row: what the sheet says the event should be."""

    row_number: int
    object_id: str
    values: MappingProxyType  # field -> FieldValue, only for columns the sheet has


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: FieldValue  # what HubSpot last confirmed (None: never synced or empty)
    new: FieldValue


@dataclass(frozen=True)
class PlannedUpdate:
    row_number: int
    object_id: str
    changes: tuple[FieldChange, ...]
    first_sync: bool = False  # never confirmed by HubSpot before: every filled cell is sent

    @property
    def values(self) -> dict[str, FieldValue]:
        return {change.field: change.new for change in self.changes}


@dataclass(frozen=True)
class Plan:
    updates: tuple[PlannedUpdate, ...] = ()
    unchanged: tuple[EventUpdate, ...] = ()
    problems: tuple[RowProblem, ...] = ()

    @property
    def invalid_rows(self) -> tuple[int, ...]:
        return tuple(sorted({p.row_number for p in self.problems}))


@dataclass(frozen=True)
class SyncedEvent:
    """What HubSpot last confirmed for one event: the values sent and its updatedAt."""

    values: MappingProxyType  # field -> FieldValue
    updated_at: str
    # HubSpot values shown to the user in a conflict: once seen, keeping the sheet's own
    # value and syncing again means "mine wins" (see conflicts.reconcile).
    seen: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class RowOutcome:
    """HubSpot's answer for one event of a batch."""

    object_id: str
    updated_at: str | None = None  # set when HubSpot confirmed the update
    error: str | None = None  # set when it did not, or only in part
    confirmed: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    @property
    def ok(self) -> bool:
        return self.updated_at is not None


@dataclass(frozen=True)
class Annotation:
    updated_at: str | None  # None: leave the updatedAt cell as it is
    sync_error: str  # "" clears the cell


def frozen(mapping: dict) -> MappingProxyType:
    return MappingProxyType(dict(mapping))
