"""Blank cells: what an empty cell of a row means for the HubSpot field behind it.

Pure. A blank is not always "clear this field". A row never synced from its file (no
`updatedAt`: a template row, a row typed or pasted in) holds only the cells the user
filled: its blanks say nothing, and the row sends its filled cells only. A blank clears
a field only where the user emptied a cell that the file's row held: a synced row whose
cell held the value both sides last agreed on (the snapshot's). Even then some fields
cannot be emptied: eventsync sends no empty date-time or eventCancelled (its own rule:
HubSpot publishes no empty value for them, docs/hubspot-api-assumptions.md), and HubSpot
requires a name and an organizer on every marketing event.

After a never-synced row's first sync the row becomes a synced row, so the fields it
left blank must not look like cells it held: `not_held` names them, and the run drops
them from the snapshot (no base: as for a field never synced, see plan/conflicts).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum

from eventsync.columns import Kind, kind_of
from eventsync.model import EventUpdate, FieldValue, SyncedEvent
from eventsync.values import is_blank

# HubSpot's published OpenAPI (Marketing Events v3, 2026-03, 2026-09) lists eventName and
# eventOrganizer as required on the event itself: on create (MarketingEventCreateRequest-
# Params) and on the event as returned (MarketingEventDefaultResponse; the V2 answers
# require eventName). The batch-update input requires only objectId and
# customProperties, so an update would carry the "" through: refused here, before sending.
REQUIRED_FIELDS = frozenset({"eventName", "eventOrganizer"})


class Blank(Enum):
    """What one blank cell of a row does."""

    NOTHING = "nothing"  # the field is not sent: nothing to clear, or not the row's to clear
    CLEAR = "clear"  # sent as "": the user emptied a text cell the row held
    REQUIRED = "required"  # refused: HubSpot requires a value in this field
    UNCLEARABLE = "unclearable"  # refused: a date-time or eventCancelled cannot be emptied


def decide_blank(field: str, old: FieldValue, *, synced: bool) -> Blank:
    """A blank cell of `field`, where the snapshot holds `old` (None: nothing) and the
    row is `synced` (it carries an updatedAt) or not."""
    if not synced or is_blank(old):
        return Blank.NOTHING
    if field in REQUIRED_FIELDS:
        return Blank.REQUIRED
    if kind_of(field) is Kind.TEXT:
        return Blank.CLEAR
    return Blank.UNCLEARABLE


def not_held(
    rows: Iterable[EventUpdate], snapshot: Mapping[str, SyncedEvent]
) -> dict[str, tuple[str, ...]]:
    """objectId -> the fields its never-synced row leaves blank where the snapshot holds
    a value: fields the file's row does not hold (the value came from another file, a
    pull, or HubSpot). Empty for every row already synced (the usual case)."""
    found: dict[str, tuple[str, ...]] = {}
    for row in rows:
        if row.updated_at is not None:
            continue
        previous = snapshot.get(row.object_id)
        if previous is None:
            continue
        fields = tuple(
            field
            for field, value in row.values.items()
            if value is None and not is_blank(previous.values.get(field))
        )
        if fields:
            found[row.object_id] = fields
    return found
