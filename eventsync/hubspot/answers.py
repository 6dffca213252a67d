"""Send, reading side: HubSpot's batch answers turned into one outcome per row.

Pure: an answer body (any JSON, however malformed) and the rows sent in, outcomes out,
matched by objectId and never by position. It never raises on a strange body, never
reports a custom property HubSpot may have kept as failed, and never drops one of
HubSpot's messages: an error it cannot place goes to the rows it cannot confirm.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from eventsync.columns import CUSTOM_PREFIX, is_custom
from eventsync.errors import RunStoppedError
from eventsync.hubspot.payload import custom_value
from eventsync.messages import Text, command
from eventsync.model import PlannedUpdate, RowOutcome, RowStatus, frozen
from eventsync.values import is_version, show_value

READ_SCOPE = "crm.objects.marketing_events.read"
WRITE_SCOPE = "crm.objects.marketing_events.write"
NO_RESULT = Text("hubspot.no_result", again=command("sync"))
MAX_DEPTH = 8  # nested `errors` deeper than this are not searched for row names
_INPUT_INDEX = re.compile(r"inputs\[(\d+)\]")


class ReadFailedError(RunStoppedError):
    """HubSpot could not be read (it kept failing, or answered something unusable)."""

    def __init__(self, message: str):  # (the run stops, as when HubSpot asks a long wait)
        super().__init__(message, Text("hubspot.long_wait_row", why=message, again=command("sync")))


def versioned(event: Mapping[str, Any]) -> Mapping[str, Any]:
    """An event read from HubSpot, if its updatedAt is a version: one that is not would
    become the base of the three-way check, the snapshot's version and a cell's, so the
    read stops (nothing is sent) rather than take it."""
    updated_at = event.get("updatedAt")
    if is_version(updated_at):
        return event
    shown = show_value(updated_at if isinstance(updated_at, str) else str(updated_at))
    object_id = str(event.get("objectId") or event.get("id") or "?")[:40]
    raise ReadFailedError(Text("hubspot.bad_version_read", object_id=object_id, value=shown))


# name -> HubSpot's property type, or None when the portal's properties could not be read.
PropertyTypes = Mapping[str, str] | None


def items_of(body: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """`body[key]` as a list of objects; anything else there counts as none."""
    value = body.get(key)
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def read_batch_answer(
    updates: Sequence[PlannedUpdate],
    body: Mapping[str, Any],
    *,
    properties: Callable[[], PropertyTypes],
    correlation_id: str | None = None,
) -> list[RowOutcome]:
    """Match a 2xx answer (207, or a 200 with errors under 2026-09) to the rows sent.

    An id named in an error (its `context`, `id`, or a nested detail) belongs to that
    error. An input with neither a result nor an error is unconfirmed; when HubSpot
    reported errors we could not place, those rows get HubSpot's message instead.
    """
    sent = {u.object_id: u for u in updates}
    results: dict[str, Mapping[str, Any]] = {}
    for result in items_of(body, "results"):
        if str(result.get("objectId", "")) in sent:
            results[str(result["objectId"])] = result
    errors: dict[str, str] = {}
    unplaced: list[str] = []
    missing: set[str] = set()  # named by an error saying HubSpot has no such event
    for item in items_of(body, "errors"):
        message = describe_row_error(item)
        named = rows_named(updates, item) & sent.keys()
        for object_id in named:
            errors.setdefault(object_id, message)
        if is_not_found(item):
            missing |= named
        if not named:
            unplaced.append(message)
    unanswered = _unanswered(body, unplaced, correlation_id)
    outcomes = []
    for object_id, update in sent.items():
        if object_id in errors:
            failed = RowOutcome.failed(object_id, errors[object_id])
            outcomes.append(replace(failed, not_found=object_id in missing))
        elif object_id in results:
            outcomes.append(confirm(update, results[object_id], properties))
        else:
            outcomes.append(RowOutcome.failed(object_id, unanswered))
    return outcomes


# The category of HubSpot's answers for an object it does not have (its CRM APIs' 404s
# and the row errors of batch answers): docs/hubspot-api-assumptions.md.
NOT_FOUND_CATEGORIES = frozenset({"OBJECT_NOT_FOUND"})


def is_not_found(item: Mapping[str, Any]) -> bool:
    """An error (a row's, or a whole answer's) saying HubSpot has no such event."""
    category = item.get("category")
    return isinstance(category, str) and category.upper() in NOT_FOUND_CATEGORIES


def _unanswered(body: Mapping[str, Any], unplaced: list[str], correlation_id: str | None) -> str:
    """The message for a row HubSpot gave neither a result nor an error we could place."""
    if unplaced:
        where = f" (correlationId {correlation_id})" if correlation_id else ""
        more = f" (+{len(unplaced) - 1})" if len(unplaced) > 1 else ""
        return Text("hubspot.unplaced", error=f"{unplaced[0]}{more}{where}", again=command("sync"))
    for key in ("results", "errors"):
        if key in body and not isinstance(body[key], list):
            return Text("hubspot.unreadable", key=key, again=command("sync"))
    return NO_RESULT


def confirm(
    update: PlannedUpdate, result: Mapping[str, Any], properties: Callable[[], PropertyTypes]
) -> RowOutcome:
    """A row HubSpot returned a result for: updated, unless it lacks a custom property.

    No source promises that a result echoes custom properties as sent, so a missing or
    different echo alone never fails a row: only the portal's own list of properties
    (read once, lazily, and only when an echo does not match) can say one is missing.
    """
    updated_at = result.get("updatedAt")
    if updated_at is None or updated_at == "":
        return RowOutcome.failed(update.object_id, NO_RESULT)
    if not isinstance(updated_at, str) or not is_version(updated_at):
        # Not a version: it would go into the cell and the state as one, and the row
        # would later read as never synced. A result without a version confirms nothing.
        value = show_value(updated_at if isinstance(updated_at, str) else str(updated_at))
        message = Text("hubspot.bad_version", value=value, again=command("sync"))
        return RowOutcome.failed(update.object_id, message)
    echoed = _echoed(result)
    missing = []
    for change in update.changes:
        if not is_custom(change.field) or change.new is None:
            continue
        name = change.field[len(CUSTOM_PREFIX) :]
        if _same(echoed.get(name), custom_value(change.new)):
            continue
        defined = properties()
        if defined is not None and name not in defined:
            missing.append(name)
    confirmed = {change.field: change.new for change in update.changes}
    if not missing:
        return RowOutcome.updated(update.object_id, updated_at, confirmed)
    message = Text("hubspot.no_custom_property", names=", ".join(missing), count=len(missing))
    # Recorded as sent, so the row is not resent on every run; the message says it once.
    return RowOutcome(update.object_id, RowStatus.FAILED, message, updated_at, frozen(confirmed))


def _echoed(result: Mapping[str, Any]) -> dict[str, str]:
    stored = result.get("customProperties")
    if not isinstance(stored, list):
        return {}
    return {
        str(p.get("name")): str(p.get("value"))
        for p in stored
        if isinstance(p, Mapping) and p.get("value") is not None
    }


def _same(echo: str | None, sent: str) -> bool:
    return echo is not None and echo.strip().casefold() == sent.strip().casefold()


def rows_named(
    updates: Sequence[PlannedUpdate], item: Mapping[str, Any], depth: int = 0
) -> set[str]:
    """objectIds an error names: in `context` values, `id`, `inputs[i]` in `in` or the
    message (i counts in the batch sent), searched through nested `errors` too."""
    return inputs_named([u.object_id for u in updates], item, depth)


def inputs_named(sent: Sequence[str], item: Mapping[str, Any], depth: int = 0) -> set[str]:
    """Which of `sent` (the inputs' keys, in the batch's order: objectIds, emails) an
    error names, as `rows_named` finds them; compared without case (emails)."""
    found: set[str] = set()
    if depth > MAX_DEPTH:
        return found
    context = item.get("context")
    if isinstance(context, Mapping):
        for values in context.values():
            if isinstance(values, list):
                found.update(str(v) for v in values if isinstance(v, str | int))
            elif isinstance(values, str | int):
                found.add(str(values))
    if isinstance(item.get("id"), str | int):
        found.add(str(item["id"]))
    for key in ("in", "message"):
        text = item.get(key)
        if isinstance(text, str):
            for index in _INPUT_INDEX.findall(text):
                if int(index) < len(sent):
                    found.add(sent[int(index)])
    for detail in items_of(item, "errors"):
        found |= inputs_named(sent, detail, depth + 1)
    folded = {value.lower() for value in found}
    return {key for key in sent if key.lower() in folded}


def describe_row_error(item: Mapping[str, Any]) -> str:
    category = item.get("category")
    message = item.get("message")
    parts = [str(category)] if isinstance(category, str) and category else []
    if isinstance(message, str) and message:
        parts.append(message)
    details = [d.get("message") for d in items_of(item, "errors")]
    texts = [d for d in details if isinstance(d, str) and d and d != message]
    if texts:
        parts.append("; ".join(texts[:3]))
    if not parts:
        return Text("hubspot.rejected")
    return Text("hubspot.row_error", error=": ".join(parts))


def auth_message(status: int | None, body: Mapping[str, Any], scope: str) -> str:
    """What to do about a 401 or 403. `scope`: the one the request needed, named unless
    HubSpot's body names others. Built from the status and HubSpot's body only: never
    from the request (its headers hold the token)."""
    if status == 403:
        scopes = _required_scopes(body) or [scope]
        return Text(
            "hubspot.missing_scopes",
            category=body.get("category", "MISSING_SCOPES"),
            scopes=", ".join(scopes),
            read=READ_SCOPE,
            write=WRITE_SCOPE,
        )
    return Text(
        "hubspot.bad_token",
        category=body.get("category", "INVALID_AUTHENTICATION"),
        read=READ_SCOPE,
        write=WRITE_SCOPE,
    )


# Where a 403 names the scopes it needed: HubSpot's older answers say requiredScopes,
# its newer ones requiredGranularScopes (docs/hubspot-api-assumptions.md).
SCOPE_KEYS = ("requiredScopes", "requiredGranularScopes")


def _required_scopes(body: Mapping[str, Any]) -> list[str]:
    scopes: list[str] = []
    for item in body.get("errors") or []:
        context = item.get("context") if isinstance(item, Mapping) else None
        if not isinstance(context, Mapping):
            continue
        for key in SCOPE_KEYS:
            named = context.get(key)
            if isinstance(named, list):
                scopes.extend(str(s) for s in named if str(s) not in scopes)
    return scopes


def events_read(
    method: str, path: str, status: int | None, body: Mapping[str, object] | None
) -> int | None:
    """How many events a read of HubSpot's events brought back (a page's results, or the
    one event asked for), for the run log; None for a write, a read of something else
    (the account, the properties, an event's participants) and a read that failed."""
    if method != "GET" or "marketing-events" not in path or "/participations/" in path:
        return None
    if status is None or not 200 <= status < 300:
        return None
    results = (body or {}).get("results")
    return len(results) if isinstance(results, list) else 1


def next_cursor(body: Mapping[str, Any]) -> str | None:
    """The `paging.next.after` cursor of a page HubSpot answered (a text or a number),
    or None on the last page."""
    paging = body.get("paging")
    following = paging.get("next") if isinstance(paging, Mapping) else None
    cursor = following.get("after") if isinstance(following, Mapping) else None
    return str(cursor) if isinstance(cursor, str | int) and str(cursor) else None
