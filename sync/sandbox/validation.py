"""Sandbox validation: every reason HubSpot would reject a batch/update body as a whole.

Pure: a body in, a list of `InputProblem` out ([] when valid). It must never change an
event; the state applies a batch only when this finds nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sync.sandbox.events import (
    DATE_FIELDS,
    TEXT_FIELDS,
    WRITABLE_FIELDS,
    JsonObject,
    is_numeric,
    parse_rfc3339,
)

BATCH_LIMIT = 100


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


def field_problem(key: str, value: object, marker: str | None) -> str | None:
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
        elif key != "objectId" and (wrong := field_problem(key, value, marker)):
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
