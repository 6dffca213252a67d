"""Sandbox batch update semantics: apply one valid batch to the events, answer per id.

Pure: the caller holds the lock and passes the events, the knobs and a stamp source.
It must never apply part of a batch the validation rejected, and never answer in input
order (HubSpot promises no order, so clients must match by objectId).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

from eventsync.sandbox.event_rules import JsonObject, apply_fields

# Under 2026-09 HubSpot may report per-row errors inside a 200 instead of a 207.
ERRORS_IN_200_VERSIONS = frozenset({"2026-09"})


@dataclass(frozen=True)
class BatchKnobs:
    """What of the sandbox's configuration a batch update reads."""

    defined: frozenset[str] | None  # custom property names the portal defines (None: any)
    boolean: frozenset[str]  # defined properties of type bool: values are normalised
    echo_custom: bool  # False: results carry no customProperties at all


def normalise_value(name: str, value: str, boolean: frozenset[str]) -> str:
    """HubSpot stores a boolean property as `true`/`false` whatever case it was sent in."""
    if name in boolean and value.strip().lower() in ("true", "false"):
        return value.strip().lower()
    return value


def update_events(
    events: dict[str, JsonObject],
    inputs: list[JsonObject],
    knobs: BatchKnobs,
    stamp: Callable[[], str],
) -> tuple[list[JsonObject], list[JsonObject]]:
    """Apply every input to `events` in place; (results, errors) by objectId."""
    results: list[JsonObject] = []
    errors: list[JsonObject] = []
    for item in inputs:
        object_id = item["objectId"]
        if object_id not in events:
            message = f"Marketing event {object_id} does not exist"
            # HubSpot's StandardError: every field its schema marks required.
            error = {"status": "error", "category": "OBJECT_NOT_FOUND", "message": message}
            errors.append(
                {**error, "context": {"objectId": [object_id]}, "errors": [], "links": {}}
            )
            continue
        fields = copy.deepcopy(item)
        for prop in fields.get("customProperties", []):
            prop["value"] = normalise_value(prop["name"], prop["value"], knobs.boolean)
        event = apply_fields(events[object_id], fields, knobs.defined)
        event["updatedAt"] = stamp()
        events[object_id] = event
        result = copy.deepcopy(event)
        if not knobs.echo_custom:
            del result["customProperties"]
        results.append(result)
    return results, errors


def batch_answer(
    results: list[JsonObject],
    errors: list[JsonObject],
    started: str,
    completed: str,
    version: str,
) -> tuple[int, JsonObject]:
    """(status, body): 200, or 207 with errors (200 with errors under 2026-09)."""
    answer: JsonObject = {"status": "COMPLETE", "results": results[::-1]}
    answer |= {"startedAt": started, "completedAt": completed}
    if not errors:
        return 200, answer
    status = 200 if version in ERRORS_IN_200_VERSIONS else 207
    return status, {**answer, "numErrors": len(errors), "errors": errors}
