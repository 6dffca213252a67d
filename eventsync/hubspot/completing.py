"""Send, completing: HubSpot's answer to the complete call (by external ids) read into
one `RowOutcome` for the row (docs/event-status-and-deleting.md).

Pure: a reply in, a value out; it never sends. A 200 with a version is completed; a
200 without one is completed but unversioned (the client reads the event back by
objectId); a 404 is HubSpot saying this key's app did not create the event (another
app, e.g. a rotated key: docs/create-events-research.md, open question 1); anything
else is HubSpot's reason, or an answer that left it unclear. Completing twice leaves
the event as completing it once, so the next sync may simply ask again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eventsync.hubspot.retry import describe
from eventsync.hubspot.transport import Reply
from eventsync.messages import Text, command
from eventsync.model import FieldValue, RowOutcome, RowStatus
from eventsync.values import is_version


def complete_body(start: str, end: str) -> dict[str, Any]:
    """MarketingEventCompleteRequestParams: both dates required."""
    return {"startDateTime": start, "endDateTime": end}


def read_complete(
    reply: Reply, object_id: str, confirmed: Mapping[str, FieldValue]
) -> RowOutcome | None:
    """The row's outcome; None: HubSpot completed it without saying its version (read
    the event back). A stop is the caller's to see first (`reply.stop`)."""
    if reply.status == 200:
        body = reply.body if isinstance(reply.body, Mapping) else {}
        updated_at = body.get("updatedAt")
        if is_version(updated_at):
            return RowOutcome.updated(object_id, str(updated_at), confirmed)
        return None
    if reply.status == 404:
        message = Text("lifecycle.complete_other_app", object_id=object_id)
        return RowOutcome(object_id, RowStatus.FAILED, message)
    why = reply.gave_up or describe(reply.status, reply.body or {})
    if reply.gave_up or reply.status is None or reply.status >= 500:
        message = Text("lifecycle.complete_unclear", why=why, again=command("sync"))
    else:
        message = Text("lifecycle.complete_refused", why=why)
    return RowOutcome(object_id, RowStatus.FAILED, message)
