"""Sandbox validation: every reason HubSpot would reject a batch/update body as a whole.

Pure: a body and the `Rules` in force, a list of `InputProblem` out ([] when valid). It
must never change an event; the state applies a batch only when this finds nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from eventsync.sandbox.event_rules import (
    DATE_FIELDS,
    TEXT_FIELDS,
    WRITABLE_FIELDS,
    JsonObject,
    is_numeric,
    parse_rfc3339,
)
from eventsync.sandbox.properties import value_problem

BATCH_LIMIT = 100
# Fields the create schema requires (MarketingEventCreateRequestParams): an update may
# leave them out, but never empty them.
REQUIRED_FIELDS = ("eventName", "eventOrganizer")


@dataclass(frozen=True)
class Rules:
    """What of the portal and the knobs a body is checked against."""

    marker: str | None = None  # a value containing this is refused (a scripted 400)
    # The portal's custom properties by name (None: any name, any value).
    definitions: Mapping[str, JsonObject] | None = None
    require_custom: bool = False  # an input without customProperties is refused


@dataclass(frozen=True)
class InputProblem:
    """One reason a batch is rejected; `where` names the input and field."""

    where: str
    code: str
    message: str
    object_id: str | None = None

    property_name: str | None = None

    def to_wire(self) -> JsonObject:
        detail: JsonObject = {
            "message": f"{self.where}: {self.message}",
            "code": self.code,
            "in": self.where,
        }
        context: JsonObject = {}
        if self.object_id is not None:
            context["objectId"] = [self.object_id]
        if self.property_name is not None:
            context["propertyName"] = [self.property_name]
        if context:
            detail["context"] = context
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


def check_input(index: int, item: object, rules: Rules | None = None) -> list[InputProblem]:
    """Every problem of one batch input: shape, objectId, fields, types, marker, and the
    values of the portal's custom properties."""
    rules = rules or Rules()
    marker = rules.marker
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
        elif key in REQUIRED_FIELDS and not value.strip():
            why = "is required: an event cannot be left without it"
            problems.append(InputProblem(at, "REQUIRED_FIELD", why, own_id))
        elif key == "customProperties" and rules.definitions is not None:
            problems += _property_problems(at, value, rules.definitions, own_id)
    if rules.require_custom and "customProperties" not in item:
        at = f"{where}.customProperties"
        problems.append(InputProblem(at, "REQUIRED_FIELD", "is required", own_id))
    return problems


def _property_problems(
    at: str, values: list[JsonObject], definitions: Mapping[str, JsonObject], own_id: str | None
) -> list[InputProblem]:
    """The refused values among customProperties; a name the portal does not define is
    no problem (HubSpot filters it out and sets the rest)."""
    problems = []
    for number, prop in enumerate(values):
        definition = definitions.get(prop["name"])
        wrong = value_problem(definition, prop["value"]) if definition is not None else None
        if wrong is not None:
            code, why = wrong
            where = f"{at}[{number}]"
            problems.append(InputProblem(where, code, why, own_id, prop["name"]))
    return problems


def validate_batch(body: object, rules: Rules | str | None = None) -> list[InputProblem]:
    """Every reason HubSpot would reject this batch/update body as a whole; [] if valid.
    `rules` may be a bare marker string (the rules of a sandbox told nothing else)."""
    rules = rules if isinstance(rules, Rules) else Rules(marker=rules)
    if not isinstance(body, dict) or not isinstance(body.get("inputs"), list):
        return [InputProblem("body", "INVALID_BODY", 'must be a JSON object with an "inputs" list')]
    inputs = body["inputs"]
    if not 1 <= len(inputs) <= BATCH_LIMIT:
        why = f"must hold 1 to {BATCH_LIMIT} items, got {len(inputs)}"
        return [InputProblem("inputs", "INVALID_SIZE", why)]
    problems = [p for index, item in enumerate(inputs) for p in check_input(index, item, rules)]
    ids = [item.get("objectId") for item in inputs if isinstance(item, dict)]
    for dup in sorted({i for i in ids if isinstance(i, str) and ids.count(i) > 1}):
        why = f"Duplicate IDs found in batch input: [{dup}]. IDs must be unique"
        problems.append(InputProblem("inputs", "DUPLICATE_ID", why, dup))
    return problems


def batch_inputs(body: object) -> list[Any] | InputProblem:
    """The `inputs` list of a batch body, or the one problem that rejects it whole."""
    if not isinstance(body, dict) or not isinstance(body.get("inputs"), list):
        return InputProblem("body", "INVALID_BODY", 'must be a JSON object with an "inputs" list')
    inputs: list[Any] = body["inputs"]
    if not 1 <= len(inputs) <= BATCH_LIMIT:
        why = f"must hold 1 to {BATCH_LIMIT} items, got {len(inputs)}"
        return InputProblem("inputs", "INVALID_SIZE", why)
    return inputs
