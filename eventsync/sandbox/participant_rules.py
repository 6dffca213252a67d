"""Sandbox rules of the attendance and participation endpoints: bodies, states, shapes.

Pure: an attendance body in, its problems or its checked inputs out; a contact's
participation in, HubSpot's breakdown row and counters out. docs/participants-research.md
gives HubSpot's published shapes (file and line of each); docs/hubspot-api-assumptions.md,
"Participants and contacts", every choice the sandbox made where nothing is published.
It must never change the sandbox's state nor read its clock: "now" is an argument.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eventsync.sandbox.event_rules import JsonObject, format_ms, parse_rfc3339
from eventsync.sandbox.validation import InputProblem, batch_inputs

# The path's {subscriberState} -> the participation's attendanceState (spec: "'register',
# 'attend' or 'cancel'"; ParticipationProperties.attendanceState's enum).
STATES = {"register": "REGISTERED", "attend": "ATTENDED", "cancel": "CANCELLED"}
NO_SHOW = "NO_SHOW"
# The `state` filter of the breakdowns ("It may be REGISTERED, CANCELLED, ATTENDED, NO_SHOW").
FILTER_STATES = frozenset({*STATES.values(), NO_SHOW})
# "Allowed Properties: For the state "attend": joinedAt, leftAt" (the operation's description).
ATTEND_PROPERTIES = frozenset({"joinedAt", "leftAt"})
# MarketingEventEmailSubscriber's and MarketingEventSubscriber's `required` lists.
EMAIL_REQUIRED = ("email", "interactionDateTime", "properties", "contactProperties")
VID_REQUIRED = ("vid", "interactionDateTime", "properties")
# The breakdowns' `limit`: "The default value is 10, the max number is 100".
BREAKDOWN_LIMIT_DEFAULT = 10
BREAKDOWN_LIMIT_MAX = 100
# What the sandbox takes for an email address: no source publishes HubSpot's rule.
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
_MILLIS = re.compile(r"\d{1,15}")


@dataclass(frozen=True)
class Subscriber:
    """One checked attendance input: who (an email or a contact id), when, and how long."""

    interaction_ms: int
    email: str | None = None
    vid: int | None = None
    joined_at: str | None = None
    left_at: str | None = None
    contact_properties: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Participation:
    """A contact's participation in one event: the state last recorded, and when."""

    participation_id: str
    contact_id: str
    state: str  # REGISTERED, ATTENDED or CANCELLED: NO_SHOW is read, never stored
    occurred_ms: int
    created_ms: int
    joined_at: str | None = None
    left_at: str | None = None


def is_email(text: str) -> bool:
    """An address the sandbox takes: ASCII local part, @, a dotted domain."""
    return bool(_EMAIL.fullmatch(text))


def _string_map(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


def _is_int(value: object) -> bool:
    return type(value) is int


def _time_problem(value: str) -> bool:
    """joinedAt / leftAt: epoch milliseconds as text or an RFC 3339 date-time."""
    return not (_MILLIS.fullmatch(value) or parse_rfc3339(value))


def to_ms(value: str) -> int:
    """A joinedAt / leftAt value (already checked) as epoch milliseconds."""
    if _MILLIS.fullmatch(value):
        return int(value)
    parsed = parse_rfc3339(value)
    assert parsed is not None
    return int(parsed.timestamp() * 1000)


def _properties_problems(where: str, value: object, state: str) -> list[InputProblem]:
    if not _string_map(value):
        return [InputProblem(f"{where}.properties", "INVALID_TYPE", "must be an object of strings")]
    assert isinstance(value, dict)
    allowed = ATTEND_PROPERTIES if state == "attend" else frozenset()
    problems = []
    for name, text in value.items():
        at = f"{where}.properties.{name}"
        if name not in allowed:
            why = f"is not allowed for the state {state!r} (attend takes joinedAt and leftAt)"
            problems.append(InputProblem(at, "UNKNOWN_PROPERTY", why))
        elif _time_problem(text):
            why = f"{text!r} is neither epoch milliseconds nor an RFC 3339 date-time"
            problems.append(InputProblem(at, "INVALID_VALUE", why))
    joined, left = value.get("joinedAt"), value.get("leftAt")
    if not problems and joined and left and to_ms(left) < to_ms(joined):
        problems.append(
            InputProblem(f"{where}.properties", "INVALID_VALUE", "leftAt is before joinedAt")
        )
    return problems


def _input_problems(where: str, item: object, state: str, by_email: bool) -> list[InputProblem]:
    if not isinstance(item, dict):
        return [InputProblem(where, "INVALID_TYPE", "must be a JSON object")]
    required = EMAIL_REQUIRED if by_email else VID_REQUIRED
    problems = [
        InputProblem(f"{where}.{name}", "REQUIRED", "is required")
        for name in required
        if name not in item
    ]
    for name in sorted(set(item) - set(required)):
        problems.append(InputProblem(f"{where}.{name}", "UNKNOWN_FIELD", "is not a known field"))
    if "interactionDateTime" in item and not (
        _is_int(item["interactionDateTime"]) and item["interactionDateTime"] >= 0
    ):
        why = "must be epoch milliseconds (an integer)"
        problems.append(InputProblem(f"{where}.interactionDateTime", "INVALID_TYPE", why))
    if "email" in item and not isinstance(item["email"], str):
        problems.append(InputProblem(f"{where}.email", "INVALID_TYPE", "must be a string"))
    if "vid" in item and not (_is_int(item["vid"]) and item["vid"] > 0):
        problems.append(InputProblem(f"{where}.vid", "INVALID_TYPE", "must be a contact id"))
    if "contactProperties" in item and not _string_map(item["contactProperties"]):
        why = "must be an object of strings"
        problems.append(InputProblem(f"{where}.contactProperties", "INVALID_TYPE", why))
    if "properties" in item:
        problems += _properties_problems(where, item["properties"], state)
    return problems


def attendance_inputs(
    body: object, state: str, *, by_email: bool
) -> list[Subscriber] | list[InputProblem]:
    """The checked inputs of an attendance body, or every reason to refuse it whole."""
    inputs = batch_inputs(body)
    if isinstance(inputs, InputProblem):
        return [inputs]
    problems: list[InputProblem] = []
    for index, item in enumerate(inputs):
        problems += _input_problems(f"inputs[{index}]", item, state, by_email)
    if problems:
        return problems
    return [_subscriber(item) for item in inputs]


def _subscriber(item: JsonObject) -> Subscriber:
    properties = item["properties"]
    contact = tuple(sorted(item.get("contactProperties", {}).items()))
    return Subscriber(
        interaction_ms=item["interactionDateTime"],
        email=item.get("email"),
        vid=item.get("vid"),
        joined_at=properties.get("joinedAt"),
        left_at=properties.get("leftAt"),
        contact_properties=contact,
    )


def read_state(participation: Participation, ended: bool) -> str:
    """The state a read shows: a registration still standing when the event is over is
    a no-show (HubSpot marks them itself; "noShows ... only had a value when the event
    is over")."""
    if participation.state == STATES["register"] and ended:
        return NO_SHOW
    return participation.state


def counters(states: list[str]) -> JsonObject:
    """AttendanceCounters: each contact counted once, in its current state."""
    return {
        "attended": states.count("ATTENDED"),
        "cancelled": states.count("CANCELLED"),
        "noShows": states.count(NO_SHOW),
        "registered": states.count("REGISTERED"),
    }


def event_counters(states: list[str]) -> JsonObject:
    """The same counts under the names an event's read answer gives them."""
    counts = counters(states)
    return {
        "registrants": counts["registered"],
        "attendees": counts["attended"],
        "cancellations": counts["cancelled"],
        "noShows": counts["noShows"],
    }


def _duration(participation: Participation, event: JsonObject) -> JsonObject:
    """attendanceDurationSeconds and attendancePercentage, when joinedAt and leftAt
    are both known (and the event's own length, for the percentage)."""
    if participation.joined_at is None or participation.left_at is None:
        return {}
    seconds = (to_ms(participation.left_at) - to_ms(participation.joined_at)) // 1000
    shown: JsonObject = {"attendanceDurationSeconds": seconds}
    start, end = (parse_rfc3339(str(event.get(k) or "")) for k in ("startDateTime", "endDateTime"))
    if start is not None and end is not None and end > start:
        share = 100 * seconds / (end - start).total_seconds()
        shown["attendancePercentage"] = f"{share:.2f}"
    return shown


def breakdown_row(
    participation: Participation,
    state: str,
    contact: JsonObject,
    event: JsonObject,
    external: tuple[str, str] | None,
) -> JsonObject:
    """ParticipationBreakdown: one contact's participation in one event. `contact` is
    {contactId, email, firstname?, lastname?}; `external` the event's external ids."""
    marketing_event: JsonObject = {
        "marketingEventId": str(event["objectId"]),
        "name": str(event.get("eventName") or ""),
    }
    if external is not None:
        marketing_event |= {"externalAccountId": external[0], "externalEventId": external[1]}
    properties = {"attendanceState": state, "occurredAt": participation.occurred_ms}
    return {
        "id": participation.participation_id,
        "createdAt": format_ms(participation.created_ms),
        "properties": properties | _duration(participation, event),
        "associations": {"contact": contact, "marketingEvent": marketing_event},
    }


def breakdown_query(query: dict[str, str]) -> tuple[int, int, str | None, str | None] | str:
    """(limit, offset, state, contactIdentifier) of a breakdown's query, or why it is bad."""
    limit_text = query.get("limit", str(BREAKDOWN_LIMIT_DEFAULT))
    if not limit_text.isascii() or not limit_text.isdigit():
        return f"limit must be a whole number, got {limit_text!r}"
    limit = int(limit_text)
    if not 1 <= limit <= BREAKDOWN_LIMIT_MAX:
        return f"limit must be 1 to {BREAKDOWN_LIMIT_MAX}, got {limit}"
    after = query.get("after", "0")
    if not after.isascii() or not after.isdigit():
        return f"after {after!r} is not a cursor this endpoint gave"
    state = query.get("state")
    if state is not None and state not in FILTER_STATES:
        return f"state must be one of {', '.join(sorted(FILTER_STATES))}, got {state!r}"
    return limit, int(after), state, query.get("contactIdentifier")


def page(rows: list[JsonObject], limit: int, offset: int, link: str) -> JsonObject:
    """CollectionResponseWithTotalParticipationBreakdown: `total` counts every match."""
    answer: JsonObject = {"total": len(rows), "results": rows[offset : offset + limit]}
    if offset + limit < len(rows):
        cursor = str(offset + limit)
        answer["paging"] = {
            "next": {"after": cursor, "link": f"{link}?after={cursor}&limit={limit}"}
        }
    return answer


def input_error(
    message: str, context: JsonObject, category: str = "VALIDATION_ERROR"
) -> JsonObject:
    """A StandardError for one input of an attendance batch (every required field)."""
    return {
        "status": "error",
        "category": category,
        "message": message,
        "context": context,
        "errors": [],
        "links": {},
    }
