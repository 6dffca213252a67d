"""Send: participants through HubSpot's attendance API by email, and which emails
HubSpot already has (the CRM contacts batch read), each request paced and retried by
the client (docs/participants-research.md has every shape, with its source).

It never reads or writes a sheet or the state, never logs a request body (it names
people), and builds messages from status codes and HubSpot's answers only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eventsync.hubspot.answers import describe_row_error, inputs_named
from eventsync.hubspot.client import HubSpotClient
from eventsync.hubspot.retry import describe
from eventsync.hubspot.routes import CONTACTS_READ, attendance_path, routes_for
from eventsync.hubspot.splitting import Refusal, Splitter, Tried, rejection_key
from eventsync.hubspot.transport import Reply
from eventsync.messages import Text, command
from eventsync.model import Stop

CONTACTS_READ_SCOPE = "crm.objects.contacts.read"
CONTACTS_READ_LIMIT = 100  # ids per contacts batch read (research, open question 9)


@dataclass(frozen=True)
class KnownContacts:
    """Which of the emails asked about HubSpot has (lower-cased), or why it is not known:
    `missing_scope` (the key lacks the contacts read scope), `stop`, or `failed`."""

    emails: frozenset[str] | None
    ids: Mapping[str, str] = field(default_factory=dict)  # email -> HubSpot's contact id
    missing_scope: str | None = None
    failed: str | None = None
    stop: Stop | None = None


def read_known_emails(
    client: HubSpotClient, api_version: str, emails: Sequence[str]
) -> KnownContacts:
    """Ask HubSpot which of `emails` are contacts, at most 100 per request."""
    path = CONTACTS_READ[api_version]
    found: dict[str, str] = {}
    for start in range(0, len(emails), CONTACTS_READ_LIMIT):
        body = {
            "idProperty": "email",
            "inputs": [{"id": email} for email in emails[start : start + CONTACTS_READ_LIMIT]],
            "properties": ["email"],  # (so each result says which email it is)
            "propertiesWithHistory": [],
        }
        reply = client.post(path, body)
        if reply.status == 403 and _missing_scope(reply.body):
            return KnownContacts(None, missing_scope=CONTACTS_READ_SCOPE)
        if reply.stop is not None:
            return KnownContacts(None, stop=reply.stop)
        answer = reply.body or {}
        if reply.gave_up or reply.status is None or not 200 <= reply.status < 300:
            return KnownContacts(None, failed=reply.gave_up or describe(reply.status, answer))
        # 200 and 207 are both normal answers; emails not found are not relied on (their
        # error's shape is not published): the results say which are there.
        for result in _items(answer.get("results")):
            properties = result.get("properties")
            email = properties.get("email") if isinstance(properties, Mapping) else None
            if isinstance(email, str):
                found[email.lower()] = str(result.get("id", ""))
    return KnownContacts(frozenset(found), ids=found)


def _missing_scope(body: Mapping[str, Any] | None) -> bool:
    return isinstance(body, Mapping) and body.get("category") == "MISSING_SCOPES"


def _items(value: object) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


@dataclass(frozen=True)
class AttendanceInput:
    email: str
    interaction_ms: int
    joined_at: str | None = None
    left_at: str | None = None


@dataclass(frozen=True)
class AttendanceAnswer:
    """One request's answer: contact ids by email (lower case, as HubSpot spells them),
    errors by email (each input HubSpot refused, a whole refusal too), or a stop."""

    contact_ids: Mapping[str, str] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)
    errors_by_id: Mapping[str, str] = field(default_factory=dict)  # by contact id (vid)
    stop: Stop | None = None


def attendance_body(state: str, inputs: Sequence[AttendanceInput]) -> dict[str, Any]:
    """The request body: every input carries the four fields the schema requires;
    `joinedAt` / `leftAt` only for attend."""
    rows = []
    for one in inputs:
        properties = {}
        if state == "attend":
            if one.joined_at is not None:
                properties["joinedAt"] = one.joined_at
            if one.left_at is not None:
                properties["leftAt"] = one.left_at
        rows.append(
            {
                "email": one.email,
                "interactionDateTime": one.interaction_ms,
                "properties": properties,
                "contactProperties": {},
            }
        )
    return {"inputs": rows}


AttendanceSplitter = Splitter[AttendanceInput, AttendanceAnswer]


def attendance_splitter() -> AttendanceSplitter:
    """The splitting of attendance batches HubSpot refuses whole (hubspot/splitting.py):
    keep one for a run's batches, as it learns which refusals are systematic."""
    return Splitter[AttendanceInput, AttendanceAnswer](_not_tried)


def record_attendance(
    client: HubSpotClient,
    api_version: str,
    object_id: str,
    state: str,
    inputs: Sequence[AttendanceInput],
    *,
    splitter: AttendanceSplitter | None = None,
) -> AttendanceAnswer:
    """These inputs recorded as `state` for the event `object_id`: one request, or more
    when HubSpot refuses the batch whole (a 400 for some inputs: research, open question
    2): then the inputs it names fail and the rest is sent again, or the batch is sent
    in parts, so only the inputs it refuses carry its message. With a stop, the answer
    holds what HubSpot confirmed before it."""
    path = attendance_path(routes_for(api_version), object_id, state)

    def attempt(part: Sequence[AttendanceInput]) -> Tried[AttendanceAnswer]:
        return _attempt(client.post(path, attendance_body(state, part)), part)

    done = (splitter or attendance_splitter()).send(inputs, attempt)
    return _merged(done.outcomes, done.stop)


def refused_whole(status: int, body: Mapping[str, Any]) -> bool:
    """Whether an answer refuses the inputs of a request (so that sending them in parts
    finds which): a 400, or another 4xx saying VALIDATION_ERROR. A 404 names the event,
    not an input; 401, 403 and 429 are the client's (a stop, a wait)."""
    if status == 400:
        return True
    return 400 <= status < 500 and status != 404 and body.get("category") == "VALIDATION_ERROR"


def _attempt(reply: Reply, inputs: Sequence[AttendanceInput]) -> Tried[AttendanceAnswer]:
    if reply.stop is not None:
        return Tried(stop=reply.stop)
    answer = reply.body or {}
    if reply.gave_up:
        why = Text("hubspot.not_synced", why=reply.gave_up, again=command("sync"))
        return Tried((_each_failed(inputs, why),))
    if reply.status is not None and refused_whole(reply.status, answer):
        return Tried(refusal=_refusal(reply.status, answer, inputs))
    if reply.status is None or not 200 <= reply.status < 300:
        return Tried((_each_failed(inputs, describe(reply.status, answer)),))
    return Tried((_read_answer(answer),))


def _refusal(
    status: int, body: Mapping[str, Any], inputs: Sequence[AttendanceInput]
) -> Refusal[AttendanceAnswer]:
    why = describe(status, body)
    emails = [one.email for one in inputs]
    named = inputs_named(emails, body) if len(inputs) > 1 else set()
    return Refusal(
        rejection_key(status, body),
        why,
        tuple(_each_failed([one], why) for one in inputs),
        frozenset(i for i, email in enumerate(emails) if email in named),
    )


def _each_failed(inputs: Sequence[AttendanceInput], why: str) -> AttendanceAnswer:
    return AttendanceAnswer(errors={one.email.lower(): why for one in inputs})


def _not_tried(one: AttendanceInput, why: str) -> AttendanceAnswer:
    return _each_failed([one], Text("hubspot.not_tried", why=why, again=command("sync")))


def _merged(parts: Sequence[AttendanceAnswer], stop: Stop | None) -> AttendanceAnswer:
    """The answers of a batch's requests as one (each input is in one request only)."""
    ids: dict[str, str] = {}
    errors: dict[str, str] = {}
    by_id: dict[str, str] = {}
    for part in parts:
        ids.update(part.contact_ids)
        errors.update(part.errors)
        by_id.update(part.errors_by_id)
    return AttendanceAnswer(ids, errors, by_id, stop=stop)


def _read_answer(answer: Mapping[str, Any]) -> AttendanceAnswer:
    """A 2xx answer: contact ids by email, and the errors of single inputs."""
    ids = {}
    for result in _items(answer.get("results")):
        email, vid = result.get("email"), result.get("vid")
        if isinstance(email, str) and isinstance(vid, int | str):
            ids[email.lower()] = str(vid)
    # Errors are read from any 2xx (only a 200 is published; none is promised to be alone).
    # An error names its input by email or by contact id (`context`; which key is not
    # published: research, open question 2).
    errors: dict[str, str] = {}
    by_id: dict[str, str] = {}
    for error in _items(answer.get("errors")):
        context = error.get("context")
        context = context if isinstance(context, Mapping) else {}
        for key, into in (("email", errors), ("vid", by_id)):
            named = context.get(key)
            for value in named if isinstance(named, list) else []:
                if isinstance(value, str | int):
                    into[str(value).lower()] = describe_row_error(error)
    return AttendanceAnswer(ids, errors, by_id)
