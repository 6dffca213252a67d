"""Send: HubSpot's Marketing Events API over HTTP, paced, retried, matched by objectId.

It turns planned updates into per-row outcomes. It never reads or writes sheets or the
snapshot, never logs a request body, and never lets the token reach a message: error
text is built from status codes and HubSpot's response body only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import requests

from sync import __version__
from sync.columns import CUSTOM_PREFIX, is_custom
from sync.config import Settings
from sync.errors import AuthError, EventsyncError, ExitCode, RunStoppedError
from sync.hubspot.pacing import Pacer
from sync.hubspot.payload import batch_body
from sync.hubspot.retry import Action, RetryPolicy, decide, describe, header
from sync.model import PlannedUpdate, RowOutcome, RowStatus, Stop, frozen

CONNECT_TIMEOUT_S = 10.0
NO_RESULT = "HubSpot returned no result for this event; it was not updated (run sync again)"
WRITE_SCOPE = "crm.objects.marketing_events.write"
READ_SCOPE = "crm.objects.marketing_events.read"


@dataclass(frozen=True)
class BatchResult:
    """What HubSpot confirmed of one batch and, when the run must stop, why.

    With a stop, `outcomes` holds only the rows HubSpot answered before it (parts of a
    split batch): they are confirmed and must reach the snapshot."""

    outcomes: tuple[RowOutcome, ...]
    stop: Stop | None = None


@dataclass(frozen=True)
class Reply:
    status: int | None  # None: no answer (connection dropped, timed out)
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Mapping[str, Any] | None = None
    error: str | None = None  # why there was no answer
    gave_up: str | None = None  # set when retries ran out: the reason for the rows
    stop: Stop | None = None  # set when nothing more can be sent in this run


Notify = Callable[[str], None]
LogRequest = Callable[[dict[str, Any]], None]


class HubSpotClient:
    def __init__(
        self,
        settings: Settings,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        notify: Notify = lambda message: None,
        log_request: LogRequest = lambda entry: None,
        policy: RetryPolicy | None = None,
    ):
        self._settings = settings
        self._session = session or requests.Session()
        self._sleep = sleep
        self._clock = clock
        self._notify = notify
        self._log_request = log_request
        self._policy = policy or RetryPolicy(max_retries=settings.max_retries)
        self._pacer = Pacer(settings.max_requests_per_10s, clock=clock, sleep=sleep)

    # -- batch update -------------------------------------------------------------

    def batch_update(self, updates: Sequence[PlannedUpdate]) -> BatchResult:
        """One batch -> one outcome per update, matched by objectId, or a stop.

        A batch HubSpot rejects as a whole (400, or 404 for an unknown id) is split in
        halves until the rows it rejects are isolated, so one bad row cannot fail the
        good rows beside it.
        """
        body = batch_body(updates)
        reply = self._send("POST", f"{self._settings.api_prefix}/batch/update", body)
        if reply.stop:
            return BatchResult((), reply.stop)
        if reply.gave_up:
            message = f"{reply.gave_up}; not synced (run sync again)"
            return BatchResult(tuple(RowOutcome.failed(u.object_id, message) for u in updates))
        if reply.status in (400, 404):
            if len(updates) > 1:
                return self._split(updates)
            reason = describe(reply.status, reply.body or {})
            return BatchResult(tuple(RowOutcome.failed(u.object_id, reason) for u in updates))
        return BatchResult(tuple(read_batch_answer(updates, reply.body or {})))

    def _split(self, updates: Sequence[PlannedUpdate]) -> BatchResult:
        middle = len(updates) // 2
        first = self.batch_update(updates[:middle])
        if first.stop:
            return first
        second = self.batch_update(updates[middle:])
        return BatchResult(first.outcomes + second.outcomes, second.stop)

    # -- reads (pull, conflict checks) -------------------------------------------

    def list_events(self, *, page_size: int = 100, on_page: Callable[[int], None] | None = None):
        """Every event of the portal, following `paging.next.after`."""
        after: str | None = None
        while True:
            params = {"limit": str(page_size)}
            if after:
                params["after"] = after
            reply = self._send("GET", f"{self._settings.api_prefix}/", None, params=params)
            if reply.stop:
                raise _stop_error(reply.stop)
            if reply.gave_up or reply.status != 200:
                raise ReadFailedError(
                    "could not list HubSpot's events:"
                    f" {reply.gave_up or describe(reply.status, reply.body or {})}"
                )
            results = (reply.body or {}).get("results") or []
            yield from results
            if on_page:
                on_page(len(results))
            after = (((reply.body or {}).get("paging") or {}).get("next") or {}).get("after")
            if not after:
                return

    def get_event(self, object_id: str) -> Mapping | None:
        """One event as HubSpot holds it now; None if HubSpot no longer has it."""
        reply = self._send("GET", f"{self._settings.api_prefix}/{object_id}", None)
        if reply.stop:
            raise _stop_error(reply.stop)
        if reply.status == 404:
            return None
        if reply.gave_up or reply.status != 200 or not isinstance(reply.body, Mapping):
            raise ReadFailedError(
                f"could not read event {object_id} from HubSpot:"
                f" {reply.gave_up or describe(reply.status, reply.body or {})}"
            )
        return reply.body

    # -- one request, paced and retried -------------------------------------------

    def _send(self, method: str, path: str, body: Mapping | None, *, params=None) -> Reply:
        size = len(body["inputs"]) if body and "inputs" in body else 0
        attempt = 0
        while True:
            attempt += 1
            waited = self._pacer.wait_for_slot()
            started = self._clock()
            reply = self._request(method, path, body, params)
            took_s = self._clock() - started
            self._pacer.observe(reply.headers)
            decision = decide(
                attempt, reply.status, reply.headers, reply.body, self._policy, error=reply.error
            )
            wait = decision.wait_s
            if decision.action is Action.RETRY and wait is None:  # a 429 without Retry-After
                wait = self._pacer.until_window_frees()
            self._log_request(
                {
                    "method": method,
                    "path": path,
                    "size": size,
                    "status": reply.status,
                    "attempt": attempt,
                    "paced_s": round(waited, 3),
                    "took_s": round(took_s, 3),
                    "correlationId": correlation_id(reply),
                    "objectIds": [i["objectId"] for i in body["inputs"]] if size else [],
                    "decision": decision.action.value,
                    "wait_s": None if wait is None else round(wait, 3),
                }
            )
            if decision.action is Action.DONE:
                return reply
            if decision.action is Action.STOP_AUTH:
                message = _auth_message(reply, READ_SCOPE if method == "GET" else WRITE_SCOPE)
                stop = Stop(message, f"not sent: {message}", ExitCode.REFUSED)
                return replace(reply, stop=stop)
            if decision.action is Action.STOP_DAILY:
                stop = Stop(
                    "HubSpot's daily API limit is reached; nothing more was sent."
                    " Run again after midnight (your HubSpot account's time zone).",
                    "not sent: HubSpot's daily API limit is reached; run again after midnight"
                    " (your HubSpot account's time zone)",
                    ExitCode.ROWS_FAILED,
                )
                return replace(reply, stop=stop)
            if decision.action is Action.STOP_WAIT:
                stop = Stop(
                    f"{decision.reason}: HubSpot asks to wait {decision.wait_s:.0f} s, longer than"
                    f" eventsync waits ({self._policy.longest_wait_s:.0f} s); what was confirmed"
                    " so far is kept. Run sync again later.",
                    f"not sent: {decision.reason}; run sync again later",
                    ExitCode.ROWS_FAILED,
                )
                return replace(reply, stop=stop)
            if decision.action is Action.GIVE_UP:
                return Reply(
                    reply.status, reply.headers, reply.body, reply.error, gave_up=decision.reason
                )
            # Sending the same batch again is safe even if HubSpot applied it before the
            # answer was lost: every input sets fields to absolute values, so a repeat
            # leaves the event as one update would (only updatedAt moves on).
            self._notify(
                f"{decision.reason}; waiting {wait:.1f} s (retry {attempt} of {self._policy.max_retries})"
            )
            self._sleep(wait)
            if decision.told:
                self._pacer.waited_as_told()

    def _request(self, method: str, path: str, body: Mapping | None, params) -> Reply:
        headers = {
            "Authorization": f"Bearer {self._settings.token}",
            "Accept": "application/json",
            "User-Agent": f"eventsync/{__version__}",
        }
        try:
            response = self._session.request(
                method,
                self._settings.base_url + path,
                json=body,
                params=params,
                headers=headers,
                timeout=(CONNECT_TIMEOUT_S, self._settings.timeout_s),
            )
        except requests.ConnectTimeout:
            return Reply(None, error="could not connect in time")
        except requests.ReadTimeout:
            return Reply(None, error=f"no answer within {self._settings.timeout_s:.0f} s")
        except requests.ConnectionError as failure:
            return Reply(None, error=_connection_problem(failure))
        except requests.RequestException as failure:
            return Reply(None, error=type(failure).__name__)
        try:
            parsed = response.json() if response.content else None
        except ValueError:
            parsed = None
        return Reply(
            response.status_code,
            dict(response.headers),
            parsed if isinstance(parsed, dict) else None,
        )


def read_batch_answer(updates: Sequence[PlannedUpdate], body: Mapping) -> list[RowOutcome]:
    """Match a 200/207 answer to the sent rows by objectId, never by position.

    An id named in an error's `context` (or `id`) belongs to that error; an input with
    neither a result nor an error was not confirmed.
    """
    sent = {u.object_id: u for u in updates}
    results = {}
    for result in body.get("results") or []:
        if isinstance(result, Mapping) and str(result.get("objectId", "")) in sent:
            results[str(result["objectId"])] = result
    errors: dict[str, str] = {}
    for item in body.get("errors") or []:
        if not isinstance(item, Mapping):
            continue
        message = describe_row_error(item)
        for object_id in _ids_in_error(item):
            if object_id in sent:
                errors.setdefault(object_id, message)

    outcomes = []
    for object_id, update in sent.items():
        if object_id in errors:
            outcomes.append(RowOutcome.failed(object_id, errors[object_id]))
        elif object_id in results:
            outcomes.append(_confirm(update, results[object_id]))
        else:
            outcomes.append(RowOutcome.failed(object_id, NO_RESULT))
    return outcomes


def _confirm(update: PlannedUpdate, result: Mapping) -> RowOutcome:
    """HubSpot silently drops custom properties its portal does not define: compare."""
    updated_at = result.get("updatedAt")
    if not isinstance(updated_at, str) or not updated_at:
        return RowOutcome.failed(update.object_id, NO_RESULT)
    stored = result.get("customProperties")
    stored_values = None
    if isinstance(stored, list):
        stored_values = {p.get("name"): p.get("value") for p in stored if isinstance(p, Mapping)}
    confirmed, dropped = {}, []
    for change in update.changes:
        if is_custom(change.field) and stored_values is not None:
            name = change.field[len(CUSTOM_PREFIX) :]
            if name not in stored_values or str(stored_values[name]) != str(change.new):
                dropped.append(name)
                continue
        confirmed[change.field] = change.new
    if not dropped:
        return RowOutcome.updated(update.object_id, updated_at, confirmed)
    names = ", ".join(dropped)
    message = (
        f"HubSpot did not keep custom propert{'y' if len(dropped) == 1 else 'ies'} {names};"
        " define it on marketing events in HubSpot (Settings > Properties), then sync again"
    )
    # Applied in part: the fields HubSpot kept are confirmed, the row is not done.
    return RowOutcome(update.object_id, RowStatus.FAILED, message, updated_at, frozen(confirmed))


def _ids_in_error(item: Mapping) -> set[str]:
    ids: set[str] = set()
    context = item.get("context")
    if isinstance(context, Mapping):
        for values in context.values():
            if isinstance(values, list):
                ids.update(str(v) for v in values)
            elif isinstance(values, str | int):
                ids.add(str(values))
    if isinstance(item.get("id"), str | int):
        ids.add(str(item["id"]))
    return ids


def describe_row_error(item: Mapping) -> str:
    category = item.get("category")
    message = item.get("message")
    parts = [str(category)] if isinstance(category, str) and category else []
    if isinstance(message, str) and message:
        parts.append(message)
    return "HubSpot: " + (": ".join(parts) if parts else "the update was rejected")


def correlation_id(reply: Reply) -> str | None:
    if reply.body and isinstance(reply.body.get("correlationId"), str):
        return reply.body["correlationId"]
    return header(reply.headers, "X-HubSpot-Correlation-Id")


class ReadFailedError(RunStoppedError):
    """HubSpot could not be read (it kept failing, or answered something unusable)."""

    def __init__(self, message: str):
        super().__init__(message, f"not sent: {message}; run sync again later")


def _stop_error(stop: Stop) -> EventsyncError:
    """A stop met while reading: reads return no partial results, so it is raised."""
    if stop.exit_code == ExitCode.REFUSED:
        return AuthError(stop.message)
    return RunStoppedError(stop.message, stop.row_message)


def _auth_message(reply: Reply, scope: str) -> str:
    """`scope`: the one the request needed, named unless HubSpot's body names others."""
    body = reply.body or {}
    if reply.status == 403:
        scopes = _required_scopes(body) or [scope]
        return (
            f"HubSpot refused the request (403 {body.get('category', 'MISSING_SCOPES')}): the access"
            f" token lacks the scope {', '.join(scopes)}. Add it to your private app in HubSpot"
            " (Settings > Integrations > Private apps > Scopes) and run again."
        )
    return (
        f"HubSpot refused the access token (401 {body.get('category', 'INVALID_AUTHENTICATION')})."
        " Check HUBSPOT_ACCESS_TOKEN in .env: it may be mistyped, expired or revoked; copy the"
        " token of your private app again."
    )


def _required_scopes(body: Mapping) -> list[str]:
    scopes: list[str] = []
    for item in body.get("errors") or []:
        context = item.get("context") if isinstance(item, Mapping) else None
        if isinstance(context, Mapping) and isinstance(context.get("requiredScopes"), list):
            scopes.extend(str(s) for s in context["requiredScopes"])
    return scopes


def _connection_problem(failure: requests.ConnectionError) -> str:
    text = str(failure)
    if "Connection refused" in text or "Failed to establish" in text:
        return "connection refused"
    if "Connection aborted" in text or "RemoteDisconnected" in text or "reset" in text.lower():
        return "the connection was dropped"
    return "connection failed"
