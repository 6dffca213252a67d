"""History: every change eventsync confirmed for an event, and how it came about.

A change is one field of one event: the value before, the value it took, HubSpot's
updatedAt, the run and time, and the sheet and row it came from. `changes_made` is
pure (it compares what was with what is now); the state database stores the changes,
and `render_history` / `history_json` show them newest first. Nothing here ever holds
the token or a request body: only field values, as the snapshot holds them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from eventsync.model import FieldValue, SyncedEvent


class ChangeKind(StrEnum):
    SENT = "sent"  # eventsync sent the value and HubSpot confirmed it
    AGREED = "agreed"  # both sides came to hold it (e.g. the sheet took HubSpot's value)
    INTO_SHEET = "into sheet"  # two-way sync wrote HubSpot's value into the sheet
    PULLED = "pulled"  # `pull` found HubSpot holding another value than last agreed
    DELETED = "deleted"  # a row's Delete marker: HubSpot archived the event
    GONE = "deleted in HubSpot"  # HubSpot no longer had the event (deleted there)
    CREATED = "created"  # eventsync created the event in HubSpot with this value


@dataclass(frozen=True)
class Change:
    at: str  # UTC, ISO 8601, when eventsync recorded it
    run: str  # when the run that made it started (UTC, ISO 8601)
    object_id: str
    field: str
    kind: ChangeKind
    before: FieldValue  # what both sides last agreed on, or the value the send replaced
    before_known: bool  # False: the field had never been synced
    value: FieldValue
    updated_at: str  # HubSpot's updatedAt with this value
    sheet: str | None = None
    row_number: int | None = None


@dataclass(frozen=True)
class Origin:
    """Where a change came from: the run, its time, the sheet and row."""

    run: str
    at: str
    sheet: str | None = None
    rows: Mapping[str, int] | None = None  # objectId -> row number
    olds: Mapping[str, Mapping[str, FieldValue]] | None = None  # objectId -> field -> replaced


def changes_made(
    previous: SyncedEvent | None,
    object_id: str,
    values: Mapping[str, FieldValue],
    updated_at: str,
    kind: ChangeKind,
    origin: Origin,
) -> Iterator[Change]:
    """The fields of `values` that are a change. A sent or written value always is one;
    an agreement or a pull only where it differs from a value both sides agreed on
    before (the first agreement on a field changes nothing anyone typed)."""
    replaced = (origin.olds or {}).get(object_id, {})
    row = (origin.rows or {}).get(object_id)
    for field, value in values.items():
        if field in replaced:
            before, known = replaced[field], True
        elif previous is not None and field in previous.values:
            before, known = previous.values[field], True
        else:
            before, known = None, False
        if kind in (ChangeKind.AGREED, ChangeKind.PULLED) and (not known or before == value):
            continue
        yield Change(
            origin.at,
            origin.run,
            object_id,
            field,
            kind,
            before,
            known,
            value,
            updated_at,
            origin.sheet,
            row,
        )


def history_json(object_id: str, portal: str, changes: Iterable[Change]) -> dict[str, object]:
    return {
        "objectId": object_id,
        "portal": portal,
        "changes": [
            {
                "at": change.at,
                "run": change.run,
                "field": change.field,
                "kind": change.kind.value,
                "before": change.before,
                "beforeKnown": change.before_known,
                "value": change.value,
                "updatedAt": change.updated_at,
                "sheet": change.sheet,
                "row": change.row_number,
            }
            for change in changes
        ],
    }
