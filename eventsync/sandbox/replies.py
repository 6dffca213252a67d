"""Sandbox answers as values: HubSpot's `Error` bodies and the statuses that carry them.

Every non-2xx answer the sandbox gives is built here, in HubSpot's published shapes, so a
test can read what a client will see. Never puts a request header into a body.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus

from eventsync.sandbox.event_rules import JsonObject
from eventsync.sandbox.validation import InputProblem

READ_SCOPE = "crm.objects.marketing_events.read"
WRITE_SCOPE = "crm.objects.marketing_events.write"
ACCOUNT_SCOPE = "oauth"  # what the account-info spec names for GET .../details
PROPERTIES_SCOPE = "crm.schemas.custom.read"


@dataclass(frozen=True)
class Reply:
    """One HTTP answer as data: status, JSON-ready body (a str is sent as text), headers."""

    status: int
    body: object = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Fault:
    """What one request gets: a delay first, then a drop, a status, or the normal answer."""

    status: int | None = None
    body: object = None
    headers: tuple[tuple[str, str], ...] = ()
    drop: bool = False
    delay_s: float = 0.0
    lose_answer: bool = False  # handled as usual (an update is applied), then no answer


def error_body(message: str, category: str, correlation_id: str, **extra: object) -> JsonObject:
    """HubSpot's `Error` body."""
    body: JsonObject = {"status": "error", "message": message, "correlationId": correlation_id}
    return {**body, "category": category, **extra}


# What HubSpot says when a portal rule or a value format fails without naming the input.
ANONYMOUS_VALIDATION_MESSAGE = "Property values were not valid"


def validation_reply(
    problems: list[InputProblem], correlation_id: str, *, names_row: bool = True
) -> Reply:
    """A 400 for a rejected batch; `names_row=False` says only what, never which input."""
    if not names_row:
        body = error_body(ANONYMOUS_VALIDATION_MESSAGE, "VALIDATION_ERROR", correlation_id)
        return Reply(400, body)
    first, more = problems[0], len(problems) - 1
    message = f"Invalid input: {first.where}: {first.message}" + (
        f" (+{more} more)" if more else ""
    )
    if first.code == "DUPLICATE_ID":
        message = first.message
    elif first.property_name is not None:  # HubSpot's words when a property's value fails
        message = f"{ANONYMOUS_VALIDATION_MESSAGE}: {first.property_name}: {first.message}"
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


def missing_scopes_reply(correlation_id: str, scopes: list[str] | None = None) -> Reply:
    message = (
        "This app hasn't been granted all required scopes to make this call. "
        "Read more about required scopes here: https://developers.hubspot.com/scopes."
    )
    detail: JsonObject = {"message": "One or more of the following scopes are required."}
    detail["context"] = {"requiredScopes": scopes or [WRITE_SCOPE]}
    body = error_body(message, "MISSING_SCOPES", correlation_id, errors=[detail])
    return Reply(403, {**body, "links": {"scopes": "https://developers.hubspot.com/scopes"}})


def fault_reply(status: int, fault: Fault, correlation_id: str) -> Reply:
    """A scripted status answer; without a body, HubSpot's Error body for that status."""
    if fault.body is not None:
        return Reply(status, fault.body, fault.headers)
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:  # 477 and other HubSpot-only codes
        phrase = "Scripted fault"
    category = "INTERNAL_ERROR" if status >= 500 else phrase.upper().replace(" ", "_")
    body = error_body(f"{phrase} (scripted sandbox fault)", category, correlation_id)
    return Reply(status, body, fault.headers)


def unauthenticated_reply(correlation_id: str) -> Reply:
    message = (
        "Authentication credentials not found. This API supports OAuth 2.0 authentication "
        "and you can find more details at https://developers.hubspot.com/docs/methods/auth/"
        "oauth-overview"
    )
    return Reply(401, error_body(message, "INVALID_AUTHENTICATION", correlation_id))


def account_details(portal_id: int) -> JsonObject:
    """The account-info API's details of the account (the fields HubSpot documents)."""
    return {
        "portalId": portal_id,
        "accountType": "STANDARD",
        "timeZone": "Asia/Tokyo",
        "companyCurrency": "JPY",
        "additionalCurrencies": [],
        "utcOffset": "+09:00",
        "utcOffsetMilliseconds": 32_400_000,
        "uiDomain": "app.hubspot.com",
        "dataHostingLocation": "na1",
    }
