"""Sandbox attendance and participations: who registered, attended, cancelled, no-showed.

HubSpot's attendance endpoints (by email or contact id, the event named by objectId or by
external ids) and its participation reads (counters per event, the per-event and
per-contact breakdowns), under every served API version. An email HubSpot does not
know creates a contact (`contacts`); a registration still standing when an event's end
has passed reads as a no-show, by the sandbox's clock (`set_clock`), never wall time
unless no clock is set. Each event's counters in its read answers follow. Guarded by the
sandbox state's lock; must never keep a token, and never change an event's `updatedAt`.
"""

from __future__ import annotations

import re
import threading
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from eventsync.sandbox.contacts import Contact, contact_association, contacts_of
from eventsync.sandbox.event_rules import JsonObject, format_ms, parse_rfc3339

# The external-id side's own rules: one app per token, and which events an app made.
from eventsync.sandbox.external_ids import (
    LOSS_KINDS,
    LostAnswer,
    app_id,
    external_ids_of,
    own_event,
)
from eventsync.sandbox.participant_rules import (
    STATES,
    Participation,
    Subscriber,
    attendance_inputs,
    breakdown_query,
    breakdown_row,
    counters,
    event_counters,
    input_error,
    is_email,
    page,
    read_state,
)
from eventsync.sandbox.replies import (
    READ_SCOPE,
    WRITE_SCOPE,
    Reply,
    error_body,
    missing_scopes_reply,
    validation_reply,
)
from eventsync.sandbox.validation import InputProblem

if TYPE_CHECKING:
    from eventsync.sandbox.state import SandboxState

_ROUTES = (
    (
        "POST",
        r"/(?P<object>\d+)/attendance/(?P<state>[^/]+)/(?P<how>email-create|create)",
        "record",
    ),
    (
        "POST",
        r"/attendance/(?P<external>[^/]+)/(?P<state>[^/]+)/(?P<how>email-create|create)",
        "record",
    ),
    ("GET", r"/participations/contacts/(?P<contact>[^/]+)/breakdown", "contact_breakdown"),
    ("GET", r"/participations/(?P<object>\d+)", "counters"),
    ("GET", r"/participations/(?P<object>\d+)/breakdown", "breakdown"),
    ("GET", r"/participations/(?P<account>[^/]+)/(?P<external>[^/]+)", "counters"),
    ("GET", r"/participations/(?P<account>[^/]+)/(?P<external>[^/]+)/breakdown", "breakdown"),
)
FIRST_PARTICIPATION_ID = 900_000_001


@dataclass(frozen=True)
class ParticipantRoute:
    """An attendance or participations path: its action and what the path names."""

    action: str
    version: str
    names: tuple[tuple[str, str], ...] = ()

    def get(self, name: str) -> str | None:
        return dict(self.names).get(name)


@dataclass
class Participants:
    """Each event's participations by contact id, and the knobs of this side."""

    by_event: dict[str, dict[str, Participation]] = field(default_factory=dict)
    last_id: int = FIRST_PARTICIPATION_ID - 1
    refuse_unregistered_cancel: bool = False
    losses: list[LostAnswer] = field(default_factory=list)
    refused_emails: frozenset[str] = frozenset()  # lower case
    refusal_names_input: bool = False


_REGISTRY: weakref.WeakKeyDictionary[SandboxState, Participants] = weakref.WeakKeyDictionary()
_REGISTRY_LOCK = threading.Lock()


def participants_of(sandbox: SandboxState) -> Participants:
    """The participations of one sandbox (made on first use; they live as long as it)."""
    with _REGISTRY_LOCK:
        return _REGISTRY.setdefault(sandbox, Participants())


def set_clock(sandbox: SandboxState, when: datetime | float | None) -> None:
    """The sandbox's "now" from here on (a datetime or epoch seconds); None: wall time.
    No-shows, `updatedAt` stamps and batch times all read it."""
    if isinstance(when, datetime):
        if when.tzinfo is None:
            raise ValueError("give the clock a time zone (e.g. datetime(..., tzinfo=UTC))")
        when = when.timestamp()
    fixed = when
    with sandbox._lock:
        sandbox._clock = time.time if fixed is None else (lambda: fixed)


def refuse_cancel_without_registration(sandbox: SandboxState, refuse: bool = True) -> None:
    """Whether a cancel for a contact with no participation in the event is an input
    error (HubSpot publishes nothing either way; by default it is recorded)."""
    with sandbox._lock:
        participants_of(sandbox).refuse_unregistered_cancel = refuse


def refuse_attendance_batches(
    sandbox: SandboxState, *emails: str, name_input: bool = False
) -> None:
    """A batch by email holding one of `emails` is refused whole: a 400
    VALIDATION_ERROR whose message names the address, nothing applied, as HubSpot may
    answer an input it will not take (research, open questions 2 and 7: by default the
    sandbox answers such an input as an error inside a 200). `name_input`: the error's
    `context.email` names it too. No emails: batches are never refused so again."""
    with sandbox._lock:
        side = participants_of(sandbox)
        side.refused_emails = frozenset(email.lower() for email in emails)
        side.refusal_names_input = name_input


def lose_attendance_answers(
    sandbox: SandboxState,
    kind: str = "drop",
    *,
    count: int = 1,
    status: int = 503,
    delay_s: float = 30.0,
) -> None:
    """The next `count` attendance writes are applied, then their answer is lost, as
    `external_ids.lose_answers` does for creates ("drop", "status" or "timeout")."""
    if kind not in LOSS_KINDS or type(count) is not int or count < 1:
        raise ValueError(f"kind is one of {LOSS_KINDS}; count >= 1")
    if not 100 <= status <= 599 or delay_s < 0:
        raise ValueError("status an HTTP status and delay_s >= 0")
    with sandbox._lock:
        participants_of(sandbox).losses.extend(
            LostAnswer(kind, status, float(delay_s)) for _ in range(count)
        )


def participation_states(sandbox: SandboxState, object_id: str | int) -> dict[str, str]:
    """Each contact's state in one event, by email, as a read shows it (for tests)."""
    with sandbox._lock:
        event = sandbox._events.get(str(object_id))
        parts = participants_of(sandbox).by_event.get(str(object_id), {})
        known = contacts_of(sandbox)
        ended = event is not None and _ended(sandbox, event)
        return {known.ids[c].email: read_state(p, ended) for c, p in parts.items()}


def route_participants(method: str, path: str, prefixes: dict[str, str]) -> ParticipantRoute | None:
    """The attendance or participations endpoint of a path under any version, else None."""
    for version, prefix in prefixes.items():
        if not path.startswith(prefix + "/"):
            continue
        rest = path[len(prefix) :]
        for verb, pattern, action in _ROUTES:
            match = re.fullmatch(pattern, rest)
            if verb == method and match:
                names = tuple((k, v) for k, v in match.groupdict().items() if v is not None)
                return ParticipantRoute(action, version, names)
    return None


def refresh_counters(sandbox: SandboxState) -> None:
    """Write each event's counters from its participations (no-shows as of now) into
    the event, as its read answers show them; `updatedAt` is left as it is."""
    with sandbox._lock:
        _refresh(sandbox)


def _refresh(state: SandboxState, only: str | None = None) -> None:
    side = participants_of(state)
    for object_id in [only] if only else list(side.by_event):
        event = state._events.get(object_id)
        if event is None:
            continue
        ended = _ended(state, event)
        states = [read_state(p, ended) for p in side.by_event.get(object_id, {}).values()]
        event.update(event_counters(states))


def _now_ms(state: SandboxState) -> int:
    return int(state._clock() * 1000)


def _ended(state: SandboxState, event: JsonObject) -> bool:
    end = parse_rfc3339(str(event.get("endDateTime") or ""))
    return end is not None and end.timestamp() * 1000 <= _now_ms(state)


def answer_participants(
    sandbox: Any,
    route: ParticipantRoute,
    query: dict[str, str],
    body: object,
    *,
    is_json: bool,
    authorization: str | None,
    correlation_id: str,
    link: str,
) -> Reply | None:
    """The answer to one attendance or participations request (None: drop the
    connection). `sandbox` is the served `Sandbox`: its state, config and `pause`."""
    state: SandboxState = sandbox
    writing = route.action == "record"
    scope = WRITE_SCOPE if writing else READ_SCOPE
    if not state._granted(scope) or (writing and state.config.missing_scopes):
        return missing_scopes_reply(correlation_id, [scope])
    if not is_json:
        message = "Invalid input JSON: the body is not valid JSON"
        return Reply(400, error_body(message, "VALIDATION_ERROR", correlation_id))
    app = app_id(state, authorization)  # takes the lock itself: asked before ours
    if route.action == "record":
        reply = _record(state, app, route, query, body, correlation_id)
        return _lose_maybe(sandbox, reply, correlation_id)
    if route.action == "contact_breakdown":
        return _contact_breakdown(state, route, query, correlation_id, link)
    return _event_read(state, app, route, query, correlation_id, link)


def _lose_maybe(sandbox: Any, reply: Reply, cid: str) -> Reply | None:
    if reply.status >= 300:
        return reply
    state: SandboxState = sandbox
    with state._lock:
        queue = participants_of(state).losses
        loss = queue.pop(0) if queue else None
    if loss is None:
        return reply
    if loss.kind == "status":
        message = "Internal error (scripted: the request was applied, its answer lost)"
        return Reply(loss.status, error_body(message, "INTERNAL_ERROR", cid))
    if loss.kind == "timeout":
        sandbox.pause(loss.delay_s)
    return None


def _event_of(
    state: SandboxState, app: int, route: ParticipantRoute, account: str | None, cid: str
) -> tuple[str | None, Reply | None]:
    """The objectId the path names (any app's by objectId, only this app's by external
    ids), or the 404 (or 400) to answer. Called under the lock."""
    object_id = route.get("object")
    external = route.get("external")
    if object_id is None and external is not None:
        ext = external_ids_of(state)
        if account:
            found = own_event(state, ext, (app, account, external))
            mine = [found["objectId"]] if found is not None else []
        else:  # the attendance forms take externalAccountId as optional
            keys = [k for k in ext.keys if k[0] == app and k[2] == external]
            mine = [e["objectId"] for k in keys if (e := own_event(state, ext, k)) is not None]
        if len(mine) > 1:
            why = InputProblem("externalAccountId", "REQUIRED", "names which of this app's events")
            return None, validation_reply([why], cid)
        object_id = mine[0] if mine else None
        what = f"{external} of account {account}" if account else external
    else:
        what = str(object_id)
    if object_id is None or object_id not in state._events:
        message = f"Marketing event {what} does not exist"
        return None, Reply(404, error_body(message, "OBJECT_NOT_FOUND", cid))
    return object_id, None


def _record(
    state: SandboxState,
    app: int,
    route: ParticipantRoute,
    query: dict[str, str],
    body: object,
    cid: str,
) -> Reply:
    """register / attend / cancel a batch of contacts: the valid inputs are applied in
    order, the others are errors in the same 200 answer."""
    verb, by_email = str(route.get("state")), route.get("how") == "email-create"
    if verb not in STATES:
        problem = InputProblem(
            "subscriberState", "INVALID_VALUE", "must be register, attend or cancel"
        )
        return validation_reply([problem], cid)
    checked = attendance_inputs(body, verb, by_email=by_email)
    if checked and isinstance(checked[0], InputProblem):
        return validation_reply([p for p in checked if isinstance(p, InputProblem)], cid)
    with state._lock:
        object_id, refused = _event_of(state, app, route, query.get("externalAccountId"), cid)
        if object_id is None:
            assert refused is not None
            return refused
        refused = _refused_whole(state, checked, cid)
        if refused is not None:
            return refused
        started = format_ms(_now_ms(state))
        results: list[JsonObject] = []
        errors: list[JsonObject] = []
        for subscriber in checked:
            assert isinstance(subscriber, Subscriber)
            done = _record_one(state, object_id, verb, subscriber)
            (results if "vid" in done else errors).append(done)
        _refresh(state, object_id)
        answer: JsonObject = {"status": "COMPLETE", "results": results, "startedAt": started}
        answer["completedAt"] = format_ms(_now_ms(state))
    if errors:
        answer |= {"numErrors": len(errors), "errors": errors}
    return Reply(200, answer)


def _refused_whole(
    state: SandboxState, checked: Sequence[Subscriber | InputProblem], cid: str
) -> Reply | None:
    """The 400 of `refuse_attendance_batches` when an input is one of its emails."""
    side = participants_of(state)
    for who in checked:
        email = who.email if isinstance(who, Subscriber) else None
        if email is not None and email.lower() in side.refused_emails:
            extra: JsonObject = {"context": {"email": [email]}} if side.refusal_names_input else {}
            message = f"Email address {email} is invalid"
            return Reply(400, error_body(message, "VALIDATION_ERROR", cid, **extra))
    return None


def _record_one(state: SandboxState, object_id: str, verb: str, who: Subscriber) -> JsonObject:
    """One input: its result ({email?, vid}) or its error (a StandardError)."""
    known = contacts_of(state)
    contact: Contact | None
    if who.email is not None:
        if not is_email(who.email):
            return input_error(
                f"{who.email!r} is not a valid email address", {"email": [who.email]}
            )
        contact = known.by_email.get(who.email.lower())
        if (
            contact is None
            and verb == "cancel"
            and participants_of(state).refuse_unregistered_cancel
        ):
            message = f"{who.email} is not registered for event {object_id}"
            return input_error(message, {"email": [who.email]})
        if contact is None:  # "If a contact does not exist, it will be automatically created."
            made = {"hs_marketable_status": "false", **dict(who.contact_properties)}
            contact = known.make(who.email, _now_ms(state), made)
            known.created.append(contact.email)
    else:
        contact = known.by_id(str(who.vid))
        if contact is None:
            message = f"Contact {who.vid} does not exist"
            return input_error(message, {"vid": [str(who.vid)]}, "OBJECT_NOT_FOUND")
    side = participants_of(state)
    parts = side.by_event.setdefault(object_id, {})
    before = parts.get(contact.contact_id)
    if verb == "cancel" and before is None and side.refuse_unregistered_cancel:
        message = f"Contact {contact.contact_id} is not registered for event {object_id}"
        return input_error(message, {"vid": [contact.contact_id]})
    if before is None:
        side.last_id += 1
        before = Participation(
            str(side.last_id), contact.contact_id, STATES[verb], 0, _now_ms(state)
        )
    changes: dict[str, Any] = {"state": STATES[verb], "occurred_ms": who.interaction_ms}
    if verb == "attend":
        changes |= {"joined_at": who.joined_at, "left_at": who.left_at}
    parts[contact.contact_id] = replace(before, **changes)
    result: JsonObject = {"vid": int(contact.contact_id)}
    return {"email": contact.email, **result} if who.email is not None else result


def _rows(
    state: SandboxState, object_id: str, wanted: str | None, contact_filter: str | None
) -> list[JsonObject]:
    """The breakdown rows of one event, filtered by state and contact (email or id)."""
    event = state._events[object_id]
    ended = _ended(state, event)
    known = contacts_of(state)
    ext = external_ids_of(state)
    key = next((k for k, v in ext.keys.items() if v == object_id), None)
    external = (key[1], key[2]) if key is not None else None
    rows = []
    parts = participants_of(state).by_event.get(object_id, {})
    for participation in sorted(parts.values(), key=lambda p: int(p.participation_id)):
        contact = known.ids[participation.contact_id]
        shown = read_state(participation, ended)
        if wanted is not None and shown != wanted:
            continue
        if contact_filter is not None and contact_filter.lower() not in (
            contact.email,
            contact.contact_id,
        ):
            continue
        rows.append(
            breakdown_row(participation, shown, contact_association(contact), event, external)
        )
    return rows


def _event_read(
    state: SandboxState,
    app: int,
    route: ParticipantRoute,
    query: dict[str, str],
    cid: str,
    link: str,
) -> Reply:
    """Counters (AttendanceCounters) or the breakdown of one event."""
    parsed = breakdown_query(query) if route.action == "breakdown" else (1, 0, None, None)
    if isinstance(parsed, str):
        return Reply(400, error_body(parsed, "VALIDATION_ERROR", cid))
    limit, offset, wanted, contact_filter = parsed
    with state._lock:
        object_id, refused = _event_of(state, app, route, route.get("account"), cid)
        if object_id is None:
            assert refused is not None
            return refused
        rows = _rows(state, object_id, wanted, contact_filter)
    if route.action == "counters":
        return Reply(200, counters([row["properties"]["attendanceState"] for row in rows]))
    return Reply(200, page(rows, limit, offset, link))


def _contact_breakdown(
    state: SandboxState, route: ParticipantRoute, query: dict[str, str], cid: str, link: str
) -> Reply:
    """One contact's participations in every event (by its email or its id)."""
    parsed = breakdown_query({k: v for k, v in query.items() if k != "contactIdentifier"})
    if isinstance(parsed, str):
        return Reply(400, error_body(parsed, "VALIDATION_ERROR", cid))
    limit, offset, wanted, _ = parsed
    who = str(route.get("contact"))
    with state._lock:
        known = contacts_of(state)
        contact = known.by_email.get(who.lower()) or known.by_id(who)
        if contact is None:
            return Reply(404, error_body(f"Contact {who} does not exist", "OBJECT_NOT_FOUND", cid))
        rows = []
        for object_id in sorted(participants_of(state).by_event, key=int):
            if object_id in state._events:
                rows += _rows(state, object_id, wanted, contact.contact_id)
    return Reply(200, page(rows, limit, offset, link))
