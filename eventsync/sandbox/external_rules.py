"""Sandbox rules of the external-id endpoints: what a valid body is, what an answer holds.

Pure: bodies in, problems or answer shapes out, for the batch upsert, complete and the
two batch archives (docs/create-events-research.md gives HubSpot's published shapes;
docs/hubspot-api-assumptions.md, "Creating, completing and archiving", the sandbox's own
choices). It must never change an event or read the sandbox's shared state.
"""

from __future__ import annotations

import copy

from eventsync.sandbox.event_rules import (
    DATE_FIELDS,
    TEXT_FIELDS,
    JsonObject,
    is_numeric,
    parse_rfc3339,
)
from eventsync.sandbox.validation import InputProblem, batch_inputs, field_problem

# MarketingEventCreateRequestParams: its `required` list, then every field it names.
UPSERT_REQUIRED = ("externalAccountId", "externalEventId", "eventName", "eventOrganizer")
UPSERT_REQUIRED_LIST = "customProperties"  # required by the schema, may be empty
UPSERT_FIELDS = frozenset(
    {*UPSERT_REQUIRED, UPSERT_REQUIRED_LIST, "eventCancelled", "eventCompleted"}
    | {*TEXT_FIELDS, *DATE_FIELDS}
)
# The fields each published answer schema names (the sandbox sends no others).
_EVENT_FIELDS = (*TEXT_FIELDS, *DATE_FIELDS, "eventCancelled", "eventCompleted", "customProperties")
PUBLIC_DEFAULT_FIELDS = (*_EVENT_FIELDS, "objectId", "createdAt", "updatedAt")  # + "id"
DEFAULT_FIELDS = (*_EVENT_FIELDS, "objectId")
PUBLIC_READ_FIELDS = (*PUBLIC_DEFAULT_FIELDS, "externalEventId")
PUBLIC_READ_COUNTERS = ("registrants", "attendees", "cancellations", "noShows")


def _nonempty(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def upsert_problems(body: object, marker: str | None = None) -> list[InputProblem]:
    """Every reason to reject a batch upsert whole; [] when it is valid."""
    inputs = batch_inputs(body)
    if isinstance(inputs, InputProblem):
        return [inputs]
    problems: list[InputProblem] = []
    keys: list[tuple[str, str]] = []
    for index, item in enumerate(inputs):
        where = f"inputs[{index}]"
        if not isinstance(item, dict):
            problems.append(InputProblem(where, "INVALID_TYPE", "must be a JSON object"))
            continue
        for name in UPSERT_REQUIRED:
            if not _nonempty(item.get(name)):
                problems.append(InputProblem(f"{where}.{name}", "REQUIRED", "is required"))
        if not isinstance(item.get(UPSERT_REQUIRED_LIST), list):
            why = "is required (a list, [] for none)"
            problems.append(InputProblem(f"{where}.{UPSERT_REQUIRED_LIST}", "REQUIRED", why))
        for key, value in item.items():
            at = f"{where}.{key}"
            if key not in UPSERT_FIELDS:
                problems.append(InputProblem(at, "UNKNOWN_FIELD", "is not a known field"))
            elif key == "eventCompleted" and not isinstance(value, bool):
                problems.append(InputProblem(at, "INVALID_VALUE", "must be true or false"))
            elif key not in (*UPSERT_REQUIRED[:2], "eventCompleted") and (
                wrong := field_problem(key, value, marker)
            ):
                problems.append(InputProblem(at, "INVALID_VALUE", wrong))
        if _nonempty(item.get("externalAccountId")) and _nonempty(item.get("externalEventId")):
            keys.append((item["externalAccountId"], item["externalEventId"]))
    for account, event in sorted({k for k in keys if keys.count(k) > 1}):
        why = f"Duplicate external ids in batch input: {account}/{event}"
        problems.append(InputProblem("inputs", "DUPLICATE_ID", why))
    return problems


def complete_problems(body: object) -> list[InputProblem]:
    """MarketingEventCompleteRequestParams: startDateTime and endDateTime, both required."""
    if not isinstance(body, dict):
        return [InputProblem("body", "INVALID_BODY", "must be a JSON object")]
    problems = []
    for name in ("startDateTime", "endDateTime"):
        value = body.get(name)
        if not (isinstance(value, str) and parse_rfc3339(value)):
            why = "is required" if value is None else f"{value!r} is not an RFC 3339 date-time"
            problems.append(
                InputProblem(name, "REQUIRED" if value is None else "INVALID_VALUE", why)
            )
    return problems


def archive_ids(body: object) -> list[str] | list[InputProblem]:
    """The objectIds of a batch/archive body ({"inputs": [{"objectId"}]}), or its problems."""
    inputs = batch_inputs(body)
    if isinstance(inputs, InputProblem):
        return [inputs]
    ids: list[str] = []
    problems: list[InputProblem] = []
    for index, item in enumerate(inputs):
        object_id = item.get("objectId") if isinstance(item, dict) else None
        if isinstance(object_id, str) and is_numeric(object_id):
            ids.append(object_id)
        else:
            why = "is required, a numeric string"
            problems.append(InputProblem(f"inputs[{index}].objectId", "INVALID_OBJECT_ID", why))
    return problems or ids


def delete_keys(body: object) -> list[tuple[int, str, str]] | list[InputProblem]:
    """The (appId, externalAccountId, externalEventId) of an events/delete body, or its
    problems (MarketingEventExternalUniqueIdentifier: all three required, appId int32)."""
    inputs = batch_inputs(body)
    if isinstance(inputs, InputProblem):
        return [inputs]
    keys: list[tuple[int, str, str]] = []
    problems: list[InputProblem] = []
    for index, item in enumerate(inputs):
        where = f"inputs[{index}]"
        item = item if isinstance(item, dict) else {}
        app, account, event = (
            item.get(k) for k in ("appId", "externalAccountId", "externalEventId")
        )
        if type(app) is not int:
            problems.append(InputProblem(f"{where}.appId", "REQUIRED", "is required, an integer"))
        for name, value in (("externalAccountId", account), ("externalEventId", event)):
            if not _nonempty(value):
                problems.append(InputProblem(f"{where}.{name}", "REQUIRED", "is required"))
        if type(app) is int and _nonempty(account) and _nonempty(event):
            keys.append((app, str(account), str(event)))
    return problems or keys


def shaped(event: JsonObject, fields: tuple[str, ...]) -> JsonObject:
    """The fields of `event` an answer schema names, those the event has."""
    return {name: copy.deepcopy(event[name]) for name in fields if name in event}


def public_default(event: JsonObject) -> JsonObject:
    """MarketingEventPublicDefaultResponse: the upsert's result (no external ids in it)."""
    return {**shaped(event, PUBLIC_DEFAULT_FIELDS), "id": event["objectId"]}


def public_read(event: JsonObject) -> JsonObject:
    """MarketingEventPublicReadResponse: the get by external ids."""
    counters = {name: int(event.get(name) or 0) for name in PUBLIC_READ_COUNTERS}
    return {**shaped(event, PUBLIC_READ_FIELDS), **counters, "id": event["objectId"]}


def identifiers_row(event: JsonObject, account: str | None) -> JsonObject:
    """MarketingEventIdentifiersResponse: one event the identifiers lookup found."""
    row: JsonObject = {
        "objectId": event["objectId"],
        "externalEventId": event["externalEventId"],
        "marketingEventName": event.get("eventName", ""),
    }
    if account is not None:
        row["externalAccountId"] = account
    if isinstance(event.get("appInfo"), dict):
        row["appInfo"] = copy.deepcopy(event["appInfo"])
    return row


def not_done(errors: list[JsonObject], started: str, completed: str) -> JsonObject:
    """The 207 body of an archive where some inputs matched no event (no published shape:
    the batch/update 207's, docs/hubspot-api-assumptions.md)."""
    answer: JsonObject = {"status": "COMPLETE", "results": [], "startedAt": started}
    return {**answer, "completedAt": completed, "numErrors": len(errors), "errors": errors}


def missing_error(what: str, context: JsonObject) -> JsonObject:
    return {
        "status": "error",
        "category": "OBJECT_NOT_FOUND",
        "message": f"Marketing event {what} does not exist",
        "context": context,
    }
