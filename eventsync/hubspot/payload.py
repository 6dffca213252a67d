"""HubSpot's wire format for batch updates: the one place that builds request bodies.

`sync` sends exactly these bodies and `plan` previews exactly these bodies, so what
the dry run shows is what goes out. HubSpot's spellings (objectId, customProperties)
live here and in the client, nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from eventsync.columns import CUSTOM_PREFIX, is_custom
from eventsync.model import FieldValue, PlannedUpdate


def to_input(update: PlannedUpdate) -> dict[str, Any]:
    """One input: objectId, the changed fields, and changed custom properties (if any)."""
    body: dict[str, Any] = {"objectId": update.object_id}
    custom = []
    for change in update.changes:
        if is_custom(change.field):
            text = custom_value(change.new)
            custom.append({"name": change.field[len(CUSTOM_PREFIX) :], "value": text})
        else:
            body[change.field] = change.new
    if custom:
        body["customProperties"] = custom
    return body


def custom_value(value: object) -> str:
    """HubSpot takes custom property values as strings, always. The plan has converted
    each to what its property's type takes (plan/properties.py): sent as it is."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def batches(updates: Sequence[PlannedUpdate], size: int) -> Iterator[list[PlannedUpdate]]:
    for start in range(0, len(updates), size):
        yield list(updates[start : start + size])


def batch_body(updates: Sequence[PlannedUpdate]) -> dict[str, list[dict[str, Any]]]:
    return {"inputs": [to_input(update) for update in updates]}


def archive_body(object_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """`batch/archive`: the events to delete, by objectId."""
    return {"inputs": [{"objectId": object_id} for object_id in object_ids]}


def create_input(
    values: Mapping[str, FieldValue], external_event_id: str, external_account_id: str
) -> dict[str, Any]:
    """One input of a batch upsert (MarketingEventCreateRequestParams): the row's filled
    fields, its external ids, and customProperties (a list the schema requires: [] when
    the row has none)."""
    body: dict[str, Any] = {
        "externalAccountId": external_account_id,
        "externalEventId": external_event_id,
    }
    custom = []
    for field, value in values.items():
        if value is None:
            continue
        if is_custom(field):
            custom.append({"name": field[len(CUSTOM_PREFIX) :], "value": custom_value(value)})
        else:
            body[field] = value
    body["customProperties"] = custom
    return body
