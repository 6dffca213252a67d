"""Sandbox state: events, recorded requests, limits and scripted faults, behind one lock.

HubSpot's answers are computed as plain values (`Reply`) so all of it can be tested
without HTTP; the server modules only move bytes. Every read and write of shared state
happens under one lock. This module must never touch the network, never keep an
Authorization header, and never apply part of a batch HubSpot rejects as a whole.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, cast

from eventsync.sandbox.batch import BatchKnobs, batch_answer, update_events
from eventsync.sandbox.event_rules import (
    READ_ONLY_FIELDS,
    WRITABLE_FIELDS,
    JsonObject,
    apply_fields,
    format_ms,
    is_numeric,
    make_event,
    page_events,
    parse_list_query,
)
from eventsync.sandbox.knobs import Config
from eventsync.sandbox.limits import RateWindow
from eventsync.sandbox.properties import portal_definitions
from eventsync.sandbox.replies import (
    ACCOUNT_SCOPE,
    PROPERTIES_SCOPE,
    READ_SCOPE,
    WRITE_SCOPE,
    Fault,
    Reply,
    account_details,
    error_body,
    missing_scopes_reply,
    not_found_reply,
    rate_limited_reply,
    validation_reply,
)
from eventsync.sandbox.validation import Rules, field_problem, validate_batch

__all__ = ["Config", "RecordedRequest", "SandboxState"]
# Any of these lets a token read the marketing-event property definitions: the
# properties spec lists both marketing-event scopes among the many it takes.
PROPERTIES_SCOPES = frozenset({READ_SCOPE, WRITE_SCOPE, PROPERTIES_SCOPE})


@dataclass(frozen=True)
class RecordedRequest:
    """An API request as received; `status` is None while pending or when dropped."""

    method: str
    path: str
    query: dict[str, str]
    body: Any  # the parsed JSON body (None if empty or not JSON)
    status: int | None = None


class SandboxState:
    """Everything the sandbox remembers, behind one lock; API answers are `Reply` values.

    Requests are numbered from 1 in arrival order since creation or the last
    `reset_counters()`; a scripted fault names the number of the request it hits.
    """

    def __init__(
        self,
        events: dict[str, JsonObject],
        config: Config,
        *,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self._lock = threading.Lock()
        self._initial = copy.deepcopy(events)
        self._events = copy.deepcopy(events)
        self._ordered: list[int] | None = None  # the ids, sorted; None: to be sorted
        self._clock, self._monotonic = clock, monotonic
        self._last_update_ms = 0
        self._epoch = 0
        self.config = config
        self.reset_counters()

    def reset_counters(self, *, restore_events: bool = False) -> None:
        """Restart request numbering; forget recorded requests, faults and used quota."""
        with self._lock:
            self._epoch += 1  # requests in flight across a reset must not touch the new list
            self._requests: list[RecordedRequest] = []
            self._faults: dict[int, Fault] = {}
            self._daily_used = 0
            limit = self.config.rate_limit
            self._window = RateWindow(*limit) if limit else None
            if restore_events:
                self._events = copy.deepcopy(self._initial)
                self._ordered = None

    def set_config(self, config: Config) -> None:
        """Swap the knobs; a changed rate limit starts with an empty window."""
        with self._lock:
            if config.rate_limit != self.config.rate_limit:
                self._window = RateWindow(*config.rate_limit) if config.rate_limit else None
            self.config = config

    # -- requests and faults ---------------------------------------------------------

    def record(
        self, method: str, path: str, query: dict[str, str], body: object
    ) -> tuple[int, int]:
        """Record an arriving API request; returns its ticket (epoch, number)."""
        with self._lock:
            self._requests.append(RecordedRequest(method, path, query, copy.deepcopy(body)))
            return self._epoch, len(self._requests)

    def finish(self, ticket: tuple[int, int], status: int | None) -> None:
        with self._lock:
            epoch, number = ticket
            if epoch == self._epoch:
                self._requests[number - 1] = replace(self._requests[number - 1], status=status)

    def take_fault(self, ticket: tuple[int, int]) -> Fault | None:
        with self._lock:
            epoch, number = ticket
            return self._faults.pop(number, None) if epoch == self._epoch else None

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return copy.deepcopy(self._requests)

    @property
    def request_count(self) -> int:
        """API requests since start or reset; the next one is number request_count + 1."""
        with self._lock:
            return len(self._requests)

    def batch_update_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == "POST" and r.path.endswith("/batch/update")]

    def script_fault(
        self,
        n: int,
        status: int | None = None,
        body: object = None,
        headers: dict[str, str] | None = None,
        *,
        drop: bool = False,
        delay_s: float = 0.0,
        lose_answer: bool = False,
    ) -> int:
        """Script request number `n`: a status (503 if nothing else), a drop, or a delay.

        A delay is slept first; then the request is dropped, answered with `status`, or
        (neither given) handled normally. With `lose_answer` it is handled normally (a
        batch update is applied) and the connection is then dropped: what a client sees
        when it is killed, or its connection lost, while HubSpot applies a batch.
        Returns `n`.
        """
        if status is not None and not (isinstance(status, int) and 100 <= status <= 599):
            raise ValueError(f"status must be an HTTP status code, got {status!r}")
        if not isinstance(delay_s, int | float) or delay_s < 0 or not isinstance(drop, bool):
            raise ValueError(f"delay_s must be seconds >= 0 and drop true or false: {delay_s!r}")
        if headers is not None and not isinstance(headers, dict):
            raise ValueError(f"headers must be an object of name: value, got {headers!r}")
        if status is None and not drop and delay_s <= 0 and not lose_answer:
            status = 503
        fault = Fault(
            status, body, tuple((headers or {}).items()), drop, float(delay_s), bool(lose_answer)
        )
        with self._lock:
            if n <= len(self._requests):
                raise ValueError(f"request #{n} already arrived ({len(self._requests)} so far)")
            self._faults[n] = fault
            return n

    # -- limits ----------------------------------------------------------------------

    def authorised(self, header: str | None) -> bool:
        scheme, _, token = (header or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return False
        return self.config.token is None or token.strip() == self.config.token

    def refuse_scope(self, action: str, correlation_id: str) -> Reply | None:
        """A 403 MISSING_SCOPES when the token lacks the scope this action needs: the
        read scope to list or get events, the write scope to update them (the spec's
        `security` of each path)."""
        needed = {"list": READ_SCOPE, "get": READ_SCOPE, "batch": WRITE_SCOPE}.get(action)
        config = self.config
        lacking = needed == WRITE_SCOPE and config.missing_scopes
        if needed is not None and (lacking or not self._granted(needed)):
            return missing_scopes_reply(correlation_id, [needed])
        return None

    def _granted(self, *scopes: str) -> bool:
        """Whether the token holds any of `scopes` (every scope when none were set)."""
        granted = self.config.scopes
        return granted is None or any(scope in granted for scope in scopes)

    def charge(self, correlation_id: str) -> Reply | None:
        """Count one authenticated API request; a 429 `Reply` if a limit refuses it."""
        with self._lock:
            self._daily_used += 1
            if self.config.daily_limit is not None and self._daily_used > self.config.daily_limit:
                return rate_limited_reply("DAILY", correlation_id, None)
            now = self._monotonic()
            if self._window is None or self._window.admit(now):
                return None
            wait_s = self._window.retry_after_s(now) if self.config.retry_after else None
            return rate_limited_reply("TEN_SECONDLY_ROLLING", correlation_id, wait_s)

    def limit_headers(self) -> tuple[tuple[str, str], ...]:
        with self._lock:
            headers, window, daily = [], self._window, self.config.daily_limit
            if window is not None:
                headers.append(("X-HubSpot-RateLimit-Max", str(window.max_requests)))
                left = window.remaining(self._monotonic())
                headers.append(("X-HubSpot-RateLimit-Remaining", str(left)))
                interval_ms = str(int(window.interval_s * 1000))
                headers.append(("X-HubSpot-RateLimit-Interval-Milliseconds", interval_ms))
            if daily is not None:
                headers.append(("X-HubSpot-RateLimit-Daily", str(daily)))
                left = max(0, daily - self._daily_used)
                headers.append(("X-HubSpot-RateLimit-Daily-Remaining", str(left)))
            return tuple(headers)

    # -- events ----------------------------------------------------------------------

    def _next_update_stamp(self) -> str:
        """Now in ms, strictly after the previous update so every edit is ordered."""
        self._last_update_ms = max(int(self._clock() * 1000), self._last_update_ms + 1)
        return format_ms(self._last_update_ms)

    @property
    def events(self) -> dict[str, JsonObject]:
        with self._lock:
            return copy.deepcopy(self._events)

    def edit_event(self, object_id: str | int, **fields: Any) -> JsonObject:
        """An edit made in HubSpot's UI: the fields change and updatedAt moves on."""
        unknown = set(fields) - WRITABLE_FIELDS - READ_ONLY_FIELDS
        if unknown:
            raise ValueError(f"unknown event fields: {', '.join(sorted(unknown))}")
        for key in set(fields) & WRITABLE_FIELDS - {"objectId"}:
            if why := field_problem(key, fields[key], None):
                raise ValueError(f"{key} {why}")
        with self._lock:
            event = apply_fields(self._events[str(object_id)], fields)  # KeyError if unknown
            event["updatedAt"] = fields.get("updatedAt") or self._next_update_stamp()
            self._events[str(object_id)] = event
            return copy.deepcopy(event)

    def delete_event(self, object_id: str | int) -> None:
        """An event deleted in HubSpot's UI (KeyError if unknown)."""
        with self._lock:
            del self._events[str(object_id)]
            self._ordered = None

    def add_event(self, fields: JsonObject) -> JsonObject:
        """An event created in HubSpot's UI: the given fields over `make_event`'s, the
        next free objectId unless one is given (ValueError if it is taken)."""
        unknown = set(fields) - WRITABLE_FIELDS
        if unknown:
            raise ValueError(f"unknown or read-only event fields: {', '.join(sorted(unknown))}")
        for key in set(fields) - {"objectId"}:
            if why := field_problem(key, fields[key], None):
                raise ValueError(f"{key} {why}")
        given = fields.get("objectId")
        if given is not None and not (isinstance(given, str | int) and is_numeric(str(given))):
            raise ValueError(f"objectId {given!r} is not a number")
        with self._lock:
            object_id = str(given) if given is not None else _next_id(self._events)
            if object_id in self._events:
                raise ValueError(f"event {object_id} already exists")
            stamp = self._next_update_stamp()
            base = make_event(object_id, createdAt=stamp, updatedAt=stamp)
            self._events[object_id] = apply_fields(base, fields)
            self._ordered = None
            return copy.deepcopy(self._events[object_id])

    def get_event(self, object_id: str, correlation_id: str) -> Reply:
        with self._lock:
            if object_id in self._events:
                return Reply(200, copy.deepcopy(self._events[object_id]))
        return not_found_reply(object_id, correlation_id)

    def list_events(self, query: dict[str, str], link_base: str, correlation_id: str) -> Reply:
        parsed = parse_list_query(query)
        if isinstance(parsed, str):
            return Reply(400, error_body(parsed, "VALIDATION_ERROR", correlation_id))
        limit, after = parsed
        with self._lock:
            if self._ordered is None or len(self._ordered) != len(self._events):
                self._ordered = sorted(int(object_id) for object_id in self._events)
            results, cursor = page_events(self._events, self._ordered, limit, after)
        if cursor is None:
            return Reply(200, {"results": results})
        link = f"{link_base}?limit={limit}&after={cursor}"
        return Reply(200, {"results": results, "paging": {"next": {"after": cursor, "link": link}}})

    def batch_update(
        self, body: object, correlation_id: str, *, is_json: bool = True, version: str = "v3"
    ) -> Reply:
        """HubSpot's batch/update: scopes, all-or-nothing validation, then per-id results."""
        config = self.config  # one consistent snapshot: the admin may swap it meanwhile
        if not is_json:
            message = "Invalid input JSON: the body is not valid JSON"
            return Reply(400, error_body(message, "VALIDATION_ERROR", correlation_id))
        definitions = self.definitions(config)
        rules = Rules(config.reject_marker, definitions, config.require_custom_properties)
        problems = validate_batch(body, rules)
        if problems:
            return validation_reply(problems, correlation_id, names_row=config.reject_names_row)
        inputs: list[JsonObject] = cast(JsonObject, body)["inputs"]  # validate_batch checked it
        defined = None if definitions is None else frozenset(definitions)
        boolean = frozenset(n for n, d in (definitions or {}).items() if d.get("type") == "bool")
        knobs = BatchKnobs(defined, boolean, config.echo_custom_properties)
        with self._lock:
            started = format_ms(int(self._clock() * 1000))
            results, errors = update_events(self._events, inputs, knobs, self._next_update_stamp)
            completed = format_ms(int(self._clock() * 1000))
        status, answer = batch_answer(results, errors, started, completed, version)
        return Reply(status, answer)

    def account_details(self, correlation_id: str) -> Reply:
        """The account the token belongs to, as HubSpot's account-info API describes it;
        a 403 when the `account_details` knob is off (a key without that scope), a 503
        while `account_down` is on."""
        if not self.config.account_details or not self._granted(ACCOUNT_SCOPE):
            return missing_scopes_reply(correlation_id, [ACCOUNT_SCOPE])
        if self.config.account_down:
            body = error_body("Service Unavailable", "INTERNAL_ERROR", correlation_id)
            return Reply(503, body)
        return Reply(200, account_details(self.config.portal_id))

    @staticmethod
    def definitions(config: Config) -> dict[str, JsonObject] | None:
        """The portal's custom properties by name (None: none set, any name taken)."""
        return portal_definitions(
            config.custom_properties, config.boolean_properties, config.property_definitions
        )

    def list_properties(self, correlation_id: str = "") -> Reply:
        """The portal's custom marketing-event properties, as the properties API lists them."""
        config = self.config
        if not config.properties_readable or not self._granted(*PROPERTIES_SCOPES):
            return missing_scopes_reply(correlation_id, [PROPERTIES_SCOPE])
        listed = self.definitions(config) or {}
        return Reply(200, {"results": [copy.deepcopy(listed[n]) for n in sorted(listed)]})


def _next_id(events: dict[str, JsonObject]) -> str:
    """One more than the largest objectId (HubSpot's ids grow too), or a first one."""
    return str(max((int(object_id) for object_id in events), default=5_823_713_200) + 1)
