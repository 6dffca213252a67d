"""Sandbox external-id endpoints: create by batch upsert, find, complete, cancel, archive.

HubSpot's endpoints keyed by `externalAccountId` + `externalEventId` (and the batch
archive by objectId), under every served API version, with the faults a create needs
tested against: an upsert applied whose answer is lost (dropped, 5xx, or never sent
before the client times out), and an event not yet searchable by its external id.
Each bearer token is one app (HubSpot lets only the creating app use an event's
external ids); only a digest of it is kept. The events are the sandbox state's own,
changed under its lock. Must never keep a token, and never answer an archived event.
"""

from __future__ import annotations

import copy
import hashlib
import re
import threading
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eventsync.sandbox.event_rules import JsonObject, apply_fields, format_ms
from eventsync.sandbox.external_rules import (
    DEFAULT_FIELDS,
    archive_ids,
    complete_problems,
    delete_keys,
    identifiers_row,
    missing_error,
    not_done,
    public_default,
    public_read,
    shaped,
    upsert_problems,
)
from eventsync.sandbox.replies import Reply, error_body, missing_scopes_reply, validation_reply
from eventsync.sandbox.validation import InputProblem

if TYPE_CHECKING:
    from eventsync.sandbox.state import SandboxState

# Where a route's external event id sits: `/events/{id}/complete`, `/{id}/identifiers`.
_ROUTES = (
    ("POST", re.compile(r"/events/upsert"), "upsert"),
    ("POST", re.compile(r"/batch/archive"), "archive"),
    ("POST", re.compile(r"/events/delete"), "delete"),
    ("POST", re.compile(r"/events/(?P<id>[^/]+)/complete"), "complete"),
    ("POST", re.compile(r"/events/(?P<id>[^/]+)/cancel"), "cancel"),
    ("GET", re.compile(r"/(?P<id>[^/]+)/identifiers"), "identifiers"),
    ("GET", re.compile(r"/events/(?P<id>[^/]+)"), "read"),
)
WRITES = frozenset({"upsert", "archive", "delete", "complete", "cancel"})
LOSS_KINDS = ("drop", "status", "timeout")
FIRST_APP_ID = 2_000_001  # apart from the sample events' appInfo id (make_event's 1234567)
FIRST_OBJECT_ID = 600_000_001  # created events' ids: above every sample or test event


@dataclass(frozen=True)
class ExternalRoute:
    """An external-id endpoint: its action and the `{externalEventId}` in its path."""

    action: str
    version: str
    external_event_id: str | None = None


@dataclass(frozen=True)
class LostAnswer:
    """A scripted loss: the request is applied, then `drop`ped, answered `status`, or
    left unanswered for `delay_s` (a client times out first) and dropped."""

    kind: str
    status: int = 503
    delay_s: float = 30.0


@dataclass
class ExternalIds:
    """What the external-id endpoints remember beside the events: apps, external keys,
    search visibility and scripted losses. Guarded by the sandbox state's lock."""

    apps: dict[str, int] = field(default_factory=dict)  # token digest -> appId
    keys: dict[tuple[int, str, str], str] = field(default_factory=dict)  # -> objectId
    accounts: dict[str, str] = field(default_factory=dict)  # objectId -> externalAccountId
    hidden: dict[str, int] = field(default_factory=dict)  # objectId -> lookups still missing it
    search_delay_lookups: int = 0  # a new event is missed by this many searches
    last_object_id: int = FIRST_OBJECT_ID - 1
    losses: dict[str, list[LostAnswer]] = field(default_factory=dict)  # action -> queue


_REGISTRY: weakref.WeakKeyDictionary[SandboxState, ExternalIds] = weakref.WeakKeyDictionary()
_REGISTRY_LOCK = threading.Lock()


def external_ids_of(sandbox: SandboxState) -> ExternalIds:
    """The external-id side of one sandbox (made on first use; it lives as long as it)."""
    with _REGISTRY_LOCK:
        return _REGISTRY.setdefault(sandbox, ExternalIds())


def set_search_delay(sandbox: SandboxState, lookups: int) -> None:
    """Events created from now on are missed by the next `lookups` identifiers searches
    for their external id (HubSpot: "searchable ... a few minutes after creation")."""
    if type(lookups) is not int or lookups < 0:
        raise ValueError(f"lookups must be a whole number >= 0, got {lookups!r}")
    with sandbox._lock:
        external_ids_of(sandbox).search_delay_lookups = lookups


def lose_answers(
    sandbox: SandboxState,
    kind: str = "drop",
    *,
    action: str = "upsert",
    count: int = 1,
    status: int = 503,
    delay_s: float = 30.0,
) -> None:
    """The next `count` requests of `action` are applied, then their answer is lost:
    "drop" closes the connection, "status" answers `status` (5xx), "timeout" sends
    nothing for `delay_s` seconds, then closes (a stopping sandbox closes at once)."""
    if kind not in LOSS_KINDS or action not in WRITES:
        raise ValueError(f"kind is one of {LOSS_KINDS} and action one of {sorted(WRITES)}")
    if type(count) is not int or count < 1 or not 100 <= status <= 599 or delay_s < 0:
        raise ValueError("count >= 1, status an HTTP status and delay_s >= 0")
    with sandbox._lock:
        queue = external_ids_of(sandbox).losses.setdefault(action, [])
        queue.extend(LostAnswer(kind, status, float(delay_s)) for _ in range(count))


def route_external(method: str, path: str, prefixes: dict[str, str]) -> ExternalRoute | None:
    """The external-id endpoint a request asks for under any served version, else None."""
    for version, prefix in prefixes.items():
        if not path.startswith(prefix + "/"):
            continue
        rest = path[len(prefix) :]
        for verb, pattern, action in _ROUTES:
            match = pattern.fullmatch(rest)
            if verb == method and match:
                event_id = match.groupdict().get("id")
                if action == "read" and event_id in ("upsert", "delete", "search"):
                    return None  # a fixed path under GET: not an event id
                return ExternalRoute(action, version, event_id)
    return None


def answer_external(
    sandbox: Any,
    route: ExternalRoute,
    query: dict[str, str],
    body: object,
    *,
    is_json: bool,
    authorization: str | None,
    correlation_id: str,
) -> Reply | None:
    """The answer to one external-id request (None: drop the connection). `sandbox` is
    the served `Sandbox`: its state, config and `pause`."""
    state: SandboxState = sandbox
    if route.action in WRITES and state.config.missing_scopes:
        return missing_scopes_reply(correlation_id)
    if not is_json:
        message = "Invalid input JSON: the body is not valid JSON"
        return Reply(400, error_body(message, "VALIDATION_ERROR", correlation_id))
    app = app_id(state, authorization)
    reply = _ANSWERS[route.action](state, app, route, query, body, correlation_id)
    if route.action not in WRITES or reply.status >= 300:
        return reply
    with state._lock:
        queue = external_ids_of(state).losses.get(route.action) or []
        loss = queue.pop(0) if queue else None
    if loss is None:
        return reply
    if loss.kind == "status":
        message = "Internal error (scripted: the request was applied, its answer lost)"
        return Reply(loss.status, error_body(message, "INTERNAL_ERROR", correlation_id))
    if loss.kind == "timeout":
        sandbox.pause(loss.delay_s)
    return None


def app_id(state: SandboxState, authorization: str | None) -> int:
    """The app a bearer token stands for: one app per token, kept as a digest only."""
    token = (authorization or "").partition(" ")[2].strip()
    digest = hashlib.sha256(token.encode()).hexdigest()
    with state._lock:
        apps = external_ids_of(state).apps
        return apps.setdefault(digest, FIRST_APP_ID + len(apps))


def _now(state: SandboxState) -> str:
    return format_ms(int(state._clock() * 1000))


def own_event(
    state: SandboxState, ext: ExternalIds, key: tuple[int, str, str]
) -> JsonObject | None:
    """The live event an app made with these external ids (None: none, or archived)."""
    object_id = ext.keys.get(key)
    event = state._events.get(object_id) if object_id is not None else None
    if event is None or event.get("externalEventId") != key[2]:
        return None  # archived, deleted in HubSpot, or the events were restored
    return event


def _rejected(problems: list[InputProblem], correlation_id: str) -> Reply:
    return validation_reply(problems, correlation_id)


def _upsert(
    state: SandboxState,
    app: int,
    route: ExternalRoute,
    query: dict[str, str],
    body: object,
    cid: str,
) -> Reply:
    """Batch upsert: each input updates the event this app made with its external ids,
    or creates one; results in no promised order, without external ids (as published)."""
    problems = upsert_problems(body, state.config.reject_marker)
    if problems:
        return _rejected(problems, cid)
    inputs: list[JsonObject] = body["inputs"]  # type: ignore[index]  # checked above
    defined = state.config.custom_properties
    results = []
    with state._lock:
        ext = external_ids_of(state)
        started = _now(state)
        ext.last_object_id = max([ext.last_object_id, *map(int, state._events)])
        for item in inputs:
            key = (app, item["externalAccountId"], item["externalEventId"])
            fields = {k: v for k, v in item.items() if k not in ("externalAccountId",)}
            event = own_event(state, ext, key)
            if event is None:
                ext.last_object_id += 1  # never an id an archived event had
                object_id = str(ext.last_object_id)
                stamp = state._next_update_stamp()
                event = {"objectId": object_id, "createdAt": stamp, "customProperties": []}
                event |= {"eventCancelled": False, "eventCompleted": False}
                event |= {"appInfo": {"id": str(app), "name": f"sandbox app {app}"}}
                event |= {k: 0 for k in ("registrants", "attendees", "cancellations", "noShows")}
                ext.keys[key], ext.accounts[object_id] = object_id, key[1]
                ext.hidden[object_id] = ext.search_delay_lookups
            event = apply_fields(event, fields, defined)
            event["eventStatus"] = _status(event)
            event["updatedAt"] = state._next_update_stamp()
            state._events[event["objectId"]] = event
            state._ordered = None
            results.append(public_default(event))
        completed = _now(state)
    answer = {"status": "COMPLETE", "results": results[::-1], "startedAt": started}
    return Reply(200, {**answer, "completedAt": completed})


def _status(event: JsonObject) -> str:
    if event.get("eventCancelled"):
        return "CANCELLED"
    return "COMPLETED" if event.get("eventCompleted") else "UPCOMING"


def _by_external_ids(
    state: SandboxState, app: int, route: ExternalRoute, query: dict[str, str], cid: str
) -> tuple[JsonObject | None, Reply | None]:
    """The event this app made with the path's id and `?externalAccountId=`, or the 400
    (no account given) or 404 (none: another app's, archived, or never made) to answer."""
    account = query.get("externalAccountId")
    if not account:
        problem = InputProblem("externalAccountId", "REQUIRED", "query parameter is required")
        return None, _rejected([problem], cid)
    event = own_event(state, external_ids_of(state), (app, account, str(route.external_event_id)))
    if event is None:
        what = f"{route.external_event_id} of account {account}"
        message = f"Marketing event {what} does not exist for this app"
        return None, Reply(404, error_body(message, "OBJECT_NOT_FOUND", cid))
    return event, None


def _mark(
    state: SandboxState,
    app: int,
    route: ExternalRoute,
    query: dict[str, str],
    body: object,
    cid: str,
) -> Reply:
    """complete (with the event's start and end) or cancel, by external ids."""
    if route.action == "complete" and (problems := complete_problems(body)):
        return _rejected(problems, cid)
    with state._lock:
        event, refused = _by_external_ids(state, app, route, query, cid)
        if event is None:
            assert refused is not None
            return refused
        if route.action == "complete":
            assert isinstance(body, dict)
            fields = {k: body[k] for k in ("startDateTime", "endDateTime")}
            event = apply_fields(event, {**fields, "eventCompleted": True})
        else:
            event = apply_fields(event, {"eventCancelled": True})
        event["eventStatus"] = _status(event)
        event["updatedAt"] = state._next_update_stamp()
        state._events[event["objectId"]] = event
        return Reply(200, shaped(event, DEFAULT_FIELDS))


def _read(
    state: SandboxState,
    app: int,
    route: ExternalRoute,
    query: dict[str, str],
    body: object,
    cid: str,
) -> Reply:
    with state._lock:
        event, refused = _by_external_ids(state, app, route, query, cid)
        if event is None:
            assert refused is not None
            return refused
        return Reply(200, public_read(event))


def _identifiers(
    state: SandboxState,
    app: int,
    route: ExternalRoute,
    query: dict[str, str],
    body: object,
    cid: str,
) -> Reply:
    """Every live event of any app with this externalEventId, but those still hidden
    (a search within `search_delay_lookups` after their creation) are missed."""
    wanted = route.external_event_id
    with state._lock:
        ext = external_ids_of(state)
        found = []
        for object_id in sorted(state._events, key=int):
            event = state._events[object_id]
            if event.get("externalEventId") != wanted:
                continue
            if ext.hidden.get(object_id, 0) > 0:
                ext.hidden[object_id] -= 1
                continue
            found.append(identifiers_row(event, ext.accounts.get(object_id)))
    return Reply(200, {"total": len(found), "results": found})


def _archive(
    state: SandboxState,
    app: int,
    route: ExternalRoute,
    query: dict[str, str],
    body: object,
    cid: str,
) -> Reply:
    """batch/archive by objectId (any app's event) or events/delete by external ids (only
    this app's): 204 when every input was deleted, 207 naming those that matched none."""
    ids = archive_ids(body) if route.action == "archive" else delete_keys(body)
    if ids and isinstance(ids[0], InputProblem):
        return _rejected([p for p in ids if isinstance(p, InputProblem)], cid)
    errors = []
    with state._lock:
        ext = external_ids_of(state)
        started = _now(state)
        for item in ids:
            if isinstance(item, str):
                object_id: str | None = item if item in state._events else None
                context: JsonObject = {"objectId": [item]}
            else:
                assert isinstance(item, tuple)
                own = own_event(state, ext, item) if item[0] == app else None
                object_id = own["objectId"] if own is not None else None
                context = {"externalEventId": [item[2]], "externalAccountId": [item[1]]}
            if object_id is None:
                errors.append(missing_error(str(next(iter(context.values()))[0]), context))
                continue
            del state._events[object_id]
            state._ordered = None
        completed = _now(state)
    return Reply(207, not_done(errors, started, completed)) if errors else Reply(204, "")


_ANSWERS = {
    "upsert": _upsert,
    "complete": _mark,
    "cancel": _mark,
    "read": _read,
    "identifiers": _identifiers,
    "archive": _archive,
    "delete": _archive,
}


def created_events(sandbox: SandboxState) -> dict[str, JsonObject]:
    """The live events the external-id endpoints created, by objectId (for tests)."""
    with sandbox._lock:
        made = set(external_ids_of(sandbox).keys.values())
        return {i: copy.deepcopy(e) for i, e in sandbox._events.items() if i in made}
