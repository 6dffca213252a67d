"""Sandbox administration of contacts, participations and the clock (`/_sandbox/...`).

What a test over HTTP, a demo or a person trying eventsync by hand needs beside the
library functions: seed contacts HubSpot already knows, see which ones attendance
created, see each contact's state in an event, and move the sandbox's clock past an
event's end to see HubSpot's no-show marking. Like every admin endpoint these are not
recorded, not rate-limited and need no token; none of them ever shows a token.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from eventsync.sandbox.contacts import add_contacts, contacts_snapshot, created_contacts
from eventsync.sandbox.event_rules import JsonObject, parse_rfc3339
from eventsync.sandbox.participants import participation_states, set_clock
from eventsync.sandbox.replies import Reply

PARTICIPATIONS = "/_sandbox/participations/"


def answer_participants_admin(sandbox: Any, method: str, path: str, body: object) -> Reply | None:
    """`GET|POST /_sandbox/contacts`, `GET /_sandbox/participations/<objectId>`,
    `POST /_sandbox/clock`; None for any other path. ValueError for a bad body."""
    if path == "/_sandbox/contacts" and method == "GET":
        listed = sorted(contacts_snapshot(sandbox).values(), key=lambda c: int(c["contact_id"]))
        return Reply(200, {"results": listed, "created": created_contacts(sandbox)})
    if path == "/_sandbox/contacts" and method == "POST":
        emails, properties = _contacts_body(body)
        return Reply(201, {"ids": add_contacts(sandbox, *emails, **properties)})
    if path.startswith(PARTICIPATIONS) and method == "GET":
        object_id = path[len(PARTICIPATIONS) :]
        if object_id not in sandbox.events:
            raise KeyError(object_id)
        return Reply(200, {"states": participation_states(sandbox, object_id)})
    if path == "/_sandbox/clock" and method == "POST":
        now = body.get("now") if isinstance(body, dict) else None
        set_clock(sandbox, _when(now))
        shown = None if now is None else datetime.fromtimestamp(sandbox._clock(), UTC).isoformat()
        return Reply(200, {"now": shown})
    return None


def _contacts_body(body: object) -> tuple[list[str], dict[str, str]]:
    """`{"emails": [...], "properties": {...}}`: the emails, and properties for each."""
    emails = body.get("emails") if isinstance(body, dict) else None
    properties: JsonObject = (body.get("properties") if isinstance(body, dict) else None) or {}
    if not isinstance(emails, list) or not all(isinstance(e, str) for e in emails):
        raise ValueError('send {"emails": ["a@example.com", ...], "properties": {...}}')
    if not isinstance(properties, dict) or not all(isinstance(v, str) for v in properties.values()):
        raise ValueError('"properties" must be an object of strings')
    return emails, properties


def _when(now: object) -> datetime | None:
    """`{"now": "2026-04-07T00:00:00Z"}` (RFC 3339), or null for wall time."""
    if now is None:
        return None
    parsed = parse_rfc3339(now) if isinstance(now, str) else None
    if parsed is None:
        raise ValueError(f'"now" must be an RFC 3339 date-time with an offset, got {now!r}')
    return parsed
