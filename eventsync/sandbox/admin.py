"""Sandbox administration: the `/_sandbox/` endpoints that show and change the sandbox.

Knob values are checked in `knobs`, once. Admin requests are not recorded, not
rate-limited and need no token; nothing here may ever echo a token (a set token is
shown as "(set)").
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

from eventsync.sandbox.event_rules import JsonObject
from eventsync.sandbox.host import Host
from eventsync.sandbox.knobs import KNOBS, build_config, describe_config, parse_rate_limit
from eventsync.sandbox.participants_admin import answer_participants_admin
from eventsync.sandbox.replies import Reply, error_body, not_found_reply

# Where they were first defined: scripts and tests may still import them from here.
__all__ = ["KNOBS", "answer_admin", "build_config", "parse_json", "parse_rate_limit"]


def parse_json(raw: bytes) -> tuple[Any, bool]:
    """(value, True), or (None, False) when the body is not JSON; empty is (None, True)."""
    if not raw.strip():
        return None, True
    try:
        return json.loads(raw), True
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, False


def script_faults_json(sandbox: Host, body: object) -> list[int]:
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


def answer_admin(sandbox: Host, method: str, path: str, raw: bytes, correlation_id: str) -> Reply:
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
        participants = answer_participants_admin(sandbox, method, path, body)
        if participants is not None:  # contacts, participations, the clock
            return participants
    except KeyError as missing:  # an unknown objectId (get, edit, delete)
        return not_found_reply(str(missing.args[0]), correlation_id)
    except (ValueError, TypeError) as problem:  # TypeError: a fault option of the wrong type
        return Reply(400, error_body(str(problem), "VALIDATION_ERROR", correlation_id))
    message = f"No endpoint {method} {path}"
    return Reply(404, error_body(message, "RESOURCE_NOT_FOUND", correlation_id))


def _added(sandbox: Host, fields: JsonObject, correlation_id: str) -> Reply:
    """An event made as a colleague makes one in HubSpot: 201, or 409 if the id is taken."""
    object_id = fields.get("objectId")
    if object_id is not None and str(object_id) in sandbox.events:
        message = f"The sandbox already has an event {object_id}"
        return Reply(409, error_body(message, "CONFLICT", correlation_id))
    return Reply(201, sandbox.add_event(fields))
