"""Local HubSpot sandbox, state side: events, recorded requests, limits and scripted faults.

HubSpot's validation and answers are computed here as plain values (`Reply`), so all of
it can be tested without HTTP; `sync.sandbox` only moves bytes. Every read and write of
shared state happens under one lock. This module must never touch the network, never
keep an Authorization header, and never apply part of a batch HubSpot rejects as a whole.
"""

from __future__ import annotations

import copy
import json
import math
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, cast

# An event, a request body or an answer as JSON: values of any JSON type, checked where read.
JsonObject = dict[str, Any]

BATCH_LIMIT = 100
LIST_LIMIT_DEFAULT = 10
LIST_LIMIT_MAX = 100
WRITE_SCOPE = "crm.objects.marketing_events.write"
TEXT_FIELDS = ("eventName", "eventType", "eventOrganizer", "eventDescription", "eventUrl")
DATE_FIELDS = ("startDateTime", "endDateTime")
WRITABLE_FIELDS = frozenset(
    {"objectId", "eventCancelled", "customProperties", *TEXT_FIELDS, *DATE_FIELDS}
)
READ_ONLY_FIELDS = frozenset(
    {"eventCompleted", "eventStatus", "externalEventId", "appInfo", "createdAt", "updatedAt"}
    | {"registrants", "attendees", "cancellations", "noShows"}
)
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", re.I)


@dataclass(frozen=True)
class Reply:
    """One HTTP answer as data: status, JSON-ready body (a str is sent as text), headers."""

    status: int
    body: object = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RecordedRequest:
    """An API request as received; `status` is None while pending or when dropped."""

    method: str
    path: str
    query: dict[str, str]
    body: Any  # the parsed JSON body (None if empty or not JSON)
    status: int | None = None


@dataclass(frozen=True)
class Fault:
    """What one request gets: a delay first, then a drop, a status, or the normal answer."""

    status: int | None = None
    body: object = None
    headers: tuple[tuple[str, str], ...] = ()
    drop: bool = False
    delay_s: float = 0.0


@dataclass(frozen=True)
class InputProblem:
    """One reason a batch is rejected; `where` names the input and field."""

    where: str
    code: str
    message: str
    object_id: str | None = None

    def to_wire(self) -> JsonObject:
        detail: JsonObject = {
            "message": f"{self.where}: {self.message}",
            "code": self.code,
            "in": self.where,
        }
        if self.object_id is not None:
            detail["context"] = {"objectId": [self.object_id]}
        return detail


@dataclass(frozen=True)
class Config:
    """The knobs; `rate_limit` is (requests, seconds) of a rolling window."""

    token: str | None = None
    rate_limit: tuple[int, float] | None = None
    retry_after: bool = False
    daily_limit: int | None = None
    custom_properties: frozenset[str] | None = None
    reject_marker: str | None = None
    latency_ms: int = 0
    missing_scopes: bool = False


def is_numeric(text: str) -> bool:
    """ASCII digits only: str.isdigit() alone would let "１２" or "²" through."""
    return text.isascii() and text.isdigit()


def format_ms(epoch_ms: int) -> str:
    """HubSpot's timestamp spelling: `2024-05-22T12:29:50.734Z`."""
    seconds, millis = divmod(epoch_ms, 1000)
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis:03d}Z"


def parse_rfc3339(value: str) -> datetime | None:
    """An RFC 3339 date-time (fraction optional, Z or offset), or None if it is not one."""
    if not _RFC3339.fullmatch(value):
        return None
    try:
        return datetime.fromisoformat(value.upper())
    except ValueError:  # the right shape with impossible values, such as month 13
        return None


def _field_problem(key: str, value: object, marker: str | None) -> str | None:
    """Why one writable input field is malformed, or None."""
    if key in TEXT_FIELDS and not isinstance(value, str):
        return "must be a string"
    if key == "eventCancelled" and not isinstance(value, bool):
        return "must be true or false"
    if key in DATE_FIELDS and not (isinstance(value, str) and parse_rfc3339(value)):
        return f"{value!r} is not an RFC 3339 date-time (e.g. 2024-05-22T12:29:50.734Z)"
    if key == "customProperties":
        if not isinstance(value, list):
            return "must be a list of {name, value}"
        for prop in value:
            named = isinstance(prop, dict) and isinstance(prop.get("name"), str) and prop["name"]
            if not (named and isinstance(prop.get("value"), str)):
                return f"{prop!r} is not {{name: string, value: string}}"
    if marker and marker in json.dumps(value, ensure_ascii=False):
        return f"contains the rejected value {marker!r}"
    return None


def check_input(index: int, item: object, marker: str | None = None) -> list[InputProblem]:
    """Every problem of one batch input: shape, objectId, fields, types, marker."""
    where = f"inputs[{index}]"
    if not isinstance(item, dict):
        return [InputProblem(where, "INVALID_TYPE", "must be a JSON object")]
    object_id = item.get("objectId")
    own_id = object_id if isinstance(object_id, str) else None
    problems = []
    if not (isinstance(object_id, str) and is_numeric(object_id)):
        why = "is required" if object_id is None else f"{object_id!r} is not a numeric string"
        problems.append(InputProblem(f"{where}.objectId", "INVALID_OBJECT_ID", why, own_id))
    for key, value in item.items():
        at = f"{where}.{key}"
        if key == "eventCompleted":
            problems.append(InputProblem(at, "NOT_WRITABLE", "is not accepted on update", own_id))
        elif key not in WRITABLE_FIELDS:
            problems.append(InputProblem(at, "UNKNOWN_FIELD", "is not a known field", own_id))
        elif key != "objectId" and (wrong := _field_problem(key, value, marker)):
            problems.append(InputProblem(at, "INVALID_VALUE", wrong, own_id))
    return problems


def validate_batch(body: object, marker: str | None = None) -> list[InputProblem]:
    """Every reason HubSpot would reject this batch/update body as a whole; [] if valid."""
    if not isinstance(body, dict) or not isinstance(body.get("inputs"), list):
        return [InputProblem("body", "INVALID_BODY", 'must be a JSON object with an "inputs" list')]
    inputs = body["inputs"]
    if not 1 <= len(inputs) <= BATCH_LIMIT:
        why = f"must hold 1 to {BATCH_LIMIT} items, got {len(inputs)}"
        return [InputProblem("inputs", "INVALID_SIZE", why)]
    problems = [p for index, item in enumerate(inputs) for p in check_input(index, item, marker)]
    ids = [item.get("objectId") for item in inputs if isinstance(item, dict)]
    for dup in sorted({i for i in ids if isinstance(i, str) and ids.count(i) > 1}):
        why = f"Duplicate IDs found in batch input: [{dup}]. IDs must be unique"
        problems.append(InputProblem("inputs", "DUPLICATE_ID", why, dup))
    return problems


def apply_fields(
    event: JsonObject, fields: JsonObject, defined: frozenset[str] | None = None
) -> JsonObject:
    """A new event with only the given fields changed.

    customProperties merge by name; names outside `defined` (when set) are silently
    dropped, as HubSpot documents for create.
    """
    changed = copy.deepcopy(event)
    for key, value in fields.items():
        if key == "customProperties":
            merged = {prop["name"]: prop["value"] for prop in event.get(key, [])}
            merged |= {
                p["name"]: p["value"] for p in value if defined is None or p["name"] in defined
            }
            changed[key] = [{"name": name, "value": text} for name, text in merged.items()]
        elif key != "objectId":
            changed[key] = copy.deepcopy(value)
    if "eventCancelled" in fields:
        changed["eventStatus"] = "CANCELLED" if fields["eventCancelled"] else "UPCOMING"
    return changed


def page_events(
    events: dict[str, JsonObject], limit: int, after: str | None
) -> tuple[list[JsonObject], str | None]:
    """One page sorted by numeric objectId, and the cursor of the next page (None if last).

    The cursor is the last objectId returned, so edits between pages never make a page
    repeat or skip an event. Clients must treat it as opaque.
    """
    ordered = sorted(events, key=int)
    if after is not None:
        ordered = [object_id for object_id in ordered if int(object_id) > int(after)]
    page = ordered[:limit]
    return [copy.deepcopy(events[i]) for i in page], (page[-1] if len(ordered) > limit else None)


def parse_list_query(query: dict[str, str]) -> tuple[int, str | None] | str:
    """(limit, after) from the list query, or the message of a 400."""
    raw_limit, after = query.get("limit", str(LIST_LIMIT_DEFAULT)), query.get("after")
    if not is_numeric(raw_limit) or not 1 <= int(raw_limit) <= LIST_LIMIT_MAX:
        return f"limit must be an integer from 1 to {LIST_LIMIT_MAX}, got {raw_limit!r}"
    if after is not None and not is_numeric(after):
        return f"after {after!r} is not a cursor this API returned"
    return int(raw_limit), after


@dataclass
class RateWindow:
    """A rolling window of `max_requests` per `interval_s`.

    Refused requests are recorded too, as HubSpot counts them: a client that hammers a
    429 keeps itself locked out. `retry_after_s` accounts for that, so a client that
    waits exactly as told gets in.
    """

    max_requests: int
    interval_s: float
    stamps: deque[float] = field(default_factory=deque)

    def _expire(self, now: float) -> None:
        while self.stamps and self.stamps[0] <= now - self.interval_s:
            self.stamps.popleft()

    def admit(self, now: float) -> bool:
        self._expire(now)
        allowed = len(self.stamps) < self.max_requests
        self.stamps.append(now)
        return allowed

    def remaining(self, now: float) -> int:
        self._expire(now)
        return max(0, self.max_requests - len(self.stamps))

    def retry_after_s(self, now: float) -> int:
        """Whole seconds until a request would be admitted (0 if one would be now)."""
        self._expire(now)
        excess = len(self.stamps) - self.max_requests
        if excess < 0:
            return 0
        return max(1, math.ceil(self.stamps[excess] + self.interval_s - now))


def error_body(message: str, category: str, correlation_id: str, **extra: object) -> JsonObject:
    """HubSpot's `Error` body."""
    body: JsonObject = {"status": "error", "message": message, "correlationId": correlation_id}
    return {**body, "category": category, **extra}


def validation_reply(problems: list[InputProblem], correlation_id: str) -> Reply:
    first, more = problems[0], len(problems) - 1
    message = f"Invalid input: {first.where}: {first.message}" + (
        f" (+{more} more)" if more else ""
    )
    if first.code == "DUPLICATE_ID":
        message = first.message
    errors = [problem.to_wire() for problem in problems]
    return Reply(400, error_body(message, "VALIDATION_ERROR", correlation_id, errors=errors))


def rate_limited_reply(policy: str, correlation_id: str, retry_after_s: int | None) -> Reply:
    limit = "daily" if policy == "DAILY" else "ten_secondly_rolling"
    body = {"status": "error", "message": f"You have reached your {limit} limit."}
    body |= {"errorType": "RATE_LIMIT", "correlationId": correlation_id, "policyName": policy}
    headers = (("Retry-After", str(retry_after_s)),) if retry_after_s is not None else ()
    return Reply(429, body, headers)


def not_found_reply(object_id: str, correlation_id: str) -> Reply:
    message = f"Marketing event {object_id} does not exist"
    return Reply(404, error_body(message, "OBJECT_NOT_FOUND", correlation_id))


def missing_scopes_reply(correlation_id: str) -> Reply:
    message = "This app hasn't been granted all required scopes to make this call."
    detail: JsonObject = {"message": "One or more of the following scopes are required."}
    detail["context"] = {"requiredScopes": [WRITE_SCOPE]}
    body = error_body(message, "MISSING_SCOPES", correlation_id, errors=[detail])
    return Reply(403, {**body, "links": {"scopes": "https://developers.hubspot.com/scopes"}})


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
    ) -> int:
        """Script request number `n`: a status (503 if nothing else), a drop, or a delay.

        A delay is slept first; then the request is dropped, answered with `status`, or
        (neither given) handled normally. Returns `n`.
        """
        if status is not None and not (isinstance(status, int) and 100 <= status <= 599):
            raise ValueError(f"status must be an HTTP status code, got {status!r}")
        if not isinstance(delay_s, int | float) or delay_s < 0 or not isinstance(drop, bool):
            raise ValueError(f"delay_s must be seconds >= 0 and drop true or false: {delay_s!r}")
        if headers is not None and not isinstance(headers, dict):
            raise ValueError(f"headers must be an object of name: value, got {headers!r}")
        if status is None and not drop and delay_s <= 0:
            status = 503
        fault = Fault(status, body, tuple((headers or {}).items()), drop, float(delay_s))
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
            if why := _field_problem(key, fields[key], None):
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
            results, cursor = page_events(self._events, limit, after)
        if cursor is None:
            return Reply(200, {"results": results})
        link = f"{link_base}?limit={limit}&after={cursor}"
        return Reply(200, {"results": results, "paging": {"next": {"after": cursor, "link": link}}})

    def batch_update(self, body: object, correlation_id: str, *, is_json: bool = True) -> Reply:
        """HubSpot's batch/update: scopes, all-or-nothing validation, then per-id results."""
        config = self.config  # one consistent snapshot: the admin may swap it meanwhile
        if config.missing_scopes:
            return missing_scopes_reply(correlation_id)
        if not is_json:
            message = "Invalid input JSON: the body is not valid JSON"
            return Reply(400, error_body(message, "VALIDATION_ERROR", correlation_id))
        problems = validate_batch(body, config.reject_marker)
        if problems:
            return validation_reply(problems, correlation_id)
        inputs: list[JsonObject] = cast(JsonObject, body)["inputs"]  # validate_batch checked it
        results: list[JsonObject] = []
        errors: list[JsonObject] = []
        with self._lock:
            started = format_ms(int(self._clock() * 1000))
            for item in inputs:
                object_id = item["objectId"]
                if object_id not in self._events:
                    message = f"Marketing event {object_id} does not exist"
                    error = {"status": "error", "category": "OBJECT_NOT_FOUND", "message": message}
                    errors.append({**error, "context": {"objectId": [object_id]}})
                    continue
                event = apply_fields(self._events[object_id], item, config.custom_properties)
                event["updatedAt"] = self._next_update_stamp()
                self._events[object_id] = event
                results.append(copy.deepcopy(event))
            completed = format_ms(int(self._clock() * 1000))
        # Reversed on purpose: HubSpot promises no order, so clients must match by objectId.
        answer = {"status": "COMPLETE", "results": results[::-1]}
        answer |= {"startedAt": started, "completedAt": completed}
        if errors:
            return Reply(207, {**answer, "numErrors": len(errors), "errors": errors})
        return Reply(200, answer)
