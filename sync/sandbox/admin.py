"""Sandbox administration: the knobs, and the `/_sandbox/` endpoints that change them.

Knob values from keyword arguments, the command line and admin JSON are all checked
here, once. Admin requests are not recorded, not rate-limited and need no token; nothing
here may ever echo a token (a set token is shown as "(set)").
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sync.sandbox.events import JsonObject
from sync.sandbox.replies import Reply, error_body, not_found_reply
from sync.sandbox.state import Config

if TYPE_CHECKING:
    from sync.sandbox.server import Sandbox

KNOBS = tuple(knob.name for knob in dataclasses.fields(Config))
KNOB_TYPES = {"token": str, "reject_marker": str, "daily_limit": int, "latency_ms": int}
KNOB_TYPES |= {"portal_id": int, "account_details": bool, "account_down": bool}
KNOB_TYPES |= {"retry_after": bool, "missing_scopes": bool}
KNOB_TYPES |= {"echo_custom_properties": bool, "reject_names_row": bool}
KNOB_TYPES |= {"properties_readable": bool}
KIND_WORDS = {str: "a string", int: "a whole number >= 0", bool: "true or false"}
NAME_SET_KNOBS = ("custom_properties", "boolean_properties")


def parse_rate_limit(spec: str | Sequence[int | float | str] | None) -> tuple[int, float] | None:
    """`"100/10"` or (100, 10) -> (100, 10.0); a bare `"100"` means per 10 s like HubSpot."""
    if spec is None:
        return None
    parts = spec.split("/", 1) if isinstance(spec, str) else list(spec)
    try:
        limit = (int(parts[0]), float(parts[1] if len(parts) > 1 else 10))
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"rate limit {spec!r} is not N/S, e.g. 100/10") from None
    if limit[0] < 1 or limit[1] <= 0:
        raise ValueError(f"rate limit {spec!r} needs N >= 1 and S > 0")
    return limit


def build_config(base: Config, changes: Mapping[str, Any]) -> Config:
    """`base` with knob changes (from kwargs, CLI or admin JSON) checked and normalised."""
    unknown = set(changes) - set(KNOBS)
    if unknown:
        raise ValueError(f"unknown knobs {sorted(unknown)}; known: {', '.join(KNOBS)}")
    knobs = dict(changes)
    if "rate_limit" in knobs:
        knobs["rate_limit"] = parse_rate_limit(knobs["rate_limit"])
    for knob in NAME_SET_KNOBS:
        names = knobs.get(knob)
        if names is None and knob == "boolean_properties":
            knobs.pop(knob, None)  # "no boolean properties" is the empty set, never None
        elif names is not None:
            names = names.split(",") if isinstance(names, str) else names
            knobs[knob] = frozenset(str(n).strip() for n in names if str(n).strip())
    for name, kind in KNOB_TYPES.items():
        value = knobs.get(name)
        negative = kind is int and isinstance(value, int) and value < 0
        if value is not None and (type(value) is not kind or negative):
            raise ValueError(f"{name} must be {KIND_WORDS[kind]} or null, got {value!r}")
    if "property_definitions" in knobs:
        knobs["property_definitions"] = _definitions(knobs["property_definitions"])
    if knobs.get("token") == "":  # `--token "$EMPTY"` in a Makefile means "no token set"
        knobs["token"] = None
    if "latency_ms" in knobs:
        knobs["latency_ms"] = knobs["latency_ms"] or 0
    return dataclasses.replace(base, **knobs)


def _definitions(value: object) -> tuple[JsonObject, ...]:
    """Property definitions as HubSpot lists them: each an object with a name and a type."""
    items = [] if value is None else value
    if not isinstance(items, list | tuple) or not all(
        isinstance(d, dict) and isinstance(d.get("name"), str) and isinstance(d.get("type"), str)
        for d in items
    ):
        raise ValueError('property_definitions must be a list of {"name": ..., "type": ...}')
    return tuple(dict(d) for d in items)


def describe_config(config: Config) -> JsonObject:
    """The knobs as JSON, saying whether a token is set but never what it is."""
    view = dataclasses.asdict(config)
    view["token"] = None if config.token is None else "(set)"
    if config.rate_limit:
        view["rate_limit"] = f"{config.rate_limit[0]}/{config.rate_limit[1]:g}"
    if config.custom_properties is not None:
        view["custom_properties"] = sorted(config.custom_properties)
    view["boolean_properties"] = sorted(config.boolean_properties)
    return view


def parse_json(raw: bytes) -> tuple[Any, bool]:
    """(value, True), or (None, False) when the body is not JSON; empty is (None, True)."""
    if not raw.strip():
        return None, True
    try:
        return json.loads(raw), True
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, False


def script_faults_json(sandbox: Sandbox, body: object) -> list[int]:
    """Admin faults: `{"faults": [...]}`, a list, or one object; each names `n` (request
    number since start/reset) or `next` (1 = the next request), plus `script_fault`'s
    options."""
    items = body.get("faults", [body]) if isinstance(body, dict) else body
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ValueError('send {"faults": [{"n": 3, "status": 503}, ...]}')
    scheduled = []
    for item in items:
        options = {
            k: item[k]
            for k in ("status", "body", "headers", "drop", "delay_s", "lose_answer")
            if k in item
        }
        if isinstance(item.get("next"), int):
            number = sandbox.request_count + item["next"]
        elif isinstance(item.get("n"), int):
            number = item["n"]
        else:
            raise ValueError(f'a fault needs "n" or "next" (a request number): {item}')
        scheduled.append(sandbox.script_fault(number, **options))
    return scheduled


def answer_admin(
    sandbox: Sandbox, method: str, path: str, raw: bytes, correlation_id: str
) -> Reply:
    """The `/_sandbox/` endpoints: not recorded, not rate-limited, no auth. Events:
    GET, POST (add), POST/GET/DELETE `/_sandbox/events/<id>` (edit, one, delete)."""
    body, is_json = parse_json(raw)
    edit = re.fullmatch(r"/_sandbox/events/(\d+)", path)
    try:
        if not is_json:
            raise ValueError("the body is not JSON")
        if (method, path) == ("GET", "/_sandbox/requests"):
            recorded = [dataclasses.asdict(request) for request in sandbox.requests]
            return Reply(200, {"count": len(recorded), "requests": recorded})
        if (method, path) == ("GET", "/_sandbox/events"):
            events = sandbox.events
            return Reply(200, {"results": [events[i] for i in sorted(events, key=int)]})
        if (method, path) == ("POST", "/_sandbox/faults"):
            return Reply(200, {"scheduled": script_faults_json(sandbox, body)})
        if method == "GET" and edit:  # one event, as a colleague's edit starts from it
            return Reply(200, sandbox.events[edit[1]])
        if method == "DELETE" and edit:
            sandbox.delete_event(edit[1])
            return Reply(200, {"deleted": edit[1]})
        if method == "POST" and not isinstance(body, dict | None):
            raise ValueError("the body must be a JSON object")
        if method == "POST" and edit:
            return Reply(200, sandbox.edit_event(edit[1], **(body or {})))
        if (method, path) == ("POST", "/_sandbox/events"):
            return _added(sandbox, body or {}, correlation_id)
        if path == "/_sandbox/config" and method in ("GET", "POST"):
            if method == "POST":
                sandbox.configure(**(body or {}))
            return Reply(200, describe_config(sandbox.config))
        if (method, path) == ("POST", "/_sandbox/reset"):
            restore = (body or {}).get("events") is True
            sandbox.reset_counters(restore_events=restore)
            return Reply(200, {"reset": True, "eventsRestored": restore})
    except KeyError as missing:  # an unknown objectId (get, edit, delete)
        return not_found_reply(str(missing.args[0]), correlation_id)
    except (ValueError, TypeError) as problem:  # TypeError: a fault option of the wrong type
        return Reply(400, error_body(str(problem), "VALIDATION_ERROR", correlation_id))
    message = f"No endpoint {method} {path}"
    return Reply(404, error_body(message, "RESOURCE_NOT_FOUND", correlation_id))


def _added(sandbox: Sandbox, fields: JsonObject, correlation_id: str) -> Reply:
    """An event made as a colleague makes one in HubSpot: 201, or 409 if the id is taken."""
    object_id = fields.get("objectId")
    if object_id is not None and str(object_id) in sandbox.events:
        message = f"The sandbox already has an event {object_id}"
        return Reply(409, error_body(message, "CONFLICT", correlation_id))
    return Reply(201, sandbox.add_event(fields))
