"""Send: HubSpot's Marketing Events API over HTTP, paced, retried, matched by objectId.

It turns planned updates into per-row outcomes. It never reads or writes sheets or the
snapshot, never logs a request body, and never lets the token reach a message: error
text is built from status codes and HubSpot's response body only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import requests

from eventsync.config import Settings
from eventsync.errors import ExitCode, RunStoppedError, stop_error
from eventsync.hubspot.account import account_answer
from eventsync.hubspot.answers import (
    NO_RESULT,
    READ_SCOPE,
    WRITE_SCOPE,
    PropertyTypes,
    ReadFailedError,
    auth_message,
    describe_row_error,
    events_read,
    is_not_found,
    items_of,
    next_cursor,
    read_batch_answer,
    rows_named,
)
from eventsync.hubspot.archive import archive_verdict, looked_up, named_errors, refused, unclear
from eventsync.hubspot.completing import complete_body, read_complete
from eventsync.hubspot.created import LookUp, UpsertAnswer, read_get, read_identifiers, read_upsert
from eventsync.hubspot.inbound import read_event
from eventsync.hubspot.pacing import CUT_SHORT, Pacer
from eventsync.hubspot.payload import archive_body, batch_body
from eventsync.hubspot.properties import portal_properties
from eventsync.hubspot.retry import Action, RetryPolicy, decide, describe, header
from eventsync.hubspot.routes import Routes, route_error, routes_for
from eventsync.hubspot.splitting import Refusal, Splitter, Tried, rejection_key
from eventsync.hubspot.tls import new_session
from eventsync.hubspot.transport import Params, Reply, Request, exchange_within
from eventsync.lifecycle import Archived
from eventsync.messages import Text, command, reason
from eventsync.model import FieldValue, PlannedUpdate, RowOutcome, RowStatus, Stop
from eventsync.portal_model import AccountAnswer, PortalEvent, PortalProperties

__all__ = [
    "NO_RESULT",
    "READ_SCOPE",
    "WRITE_SCOPE",
    "BatchResult",
    "HubSpotClient",
    "ReadFailedError",
    "describe_row_error",
]


@dataclass(frozen=True)
class BatchResult:
    """What HubSpot confirmed of one batch and, when the run must stop, why.

    With a stop, `outcomes` holds only the rows HubSpot answered before it (parts of a
    split batch): they are confirmed and must reach the snapshot."""

    outcomes: tuple[RowOutcome, ...]
    stop: Stop | None = None


@dataclass(frozen=True)
class ArchiveResult:
    """HubSpot's answer to one deletion batch, per event, and why the run must stop."""

    deleted: tuple[Archived, ...]
    stop: Stop | None = None


Notify = Callable[[str], None]
LogRequest = Callable[[dict[str, Any]], None]


class HubSpotClient:
    def __init__(
        self,
        settings: Settings,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        stopping: Callable[[], bool] = lambda: False,
        clock: Callable[[], float] = time.monotonic,
        notify: Notify = lambda message: None,
        log_request: LogRequest = lambda entry: None,
        policy: RetryPolicy | None = None,
    ):
        self._settings = settings
        self._routes = routes_for(settings.api_version)
        self._session = session or new_session()
        self._sleep = sleep
        self._clock = clock
        self._notify = notify
        self._log_request = log_request
        self._policy = policy or RetryPolicy(max_retries=settings.max_retries)
        self._pacer = Pacer(settings.max_requests_per_10s, clock, sleep, stopping)
        self._owns_session = session is None
        self._properties: PortalProperties | None = None  # the last read, when needed
        self._splitter = Splitter[PlannedUpdate, RowOutcome](_not_tried)

    # -- batch update -------------------------------------------------------------

    def batch_update(self, updates: Sequence[PlannedUpdate]) -> BatchResult:
        """One batch -> one outcome per update, matched by objectId, or a stop.

        A batch HubSpot rejects as a whole (400, or 404 for an unknown id) is narrowed
        down to the rows it rejects (hubspot/splitting.py): rows its error names are
        failed and the rest resent; otherwise one row is tried alone and the rest split
        in halves, until a rejection proves systematic.
        """
        result = self._splitter.send(updates, self._try)
        order = {u.object_id: index for index, u in enumerate(updates)}
        ordered = sorted(result.outcomes, key=lambda o: order.get(o.object_id, len(order)))
        return BatchResult(tuple(ordered), result.stop)

    def _try(self, updates: Sequence[PlannedUpdate]) -> Tried[RowOutcome]:
        """Send one batch: its outcomes, or its rejection as a whole."""
        body = batch_body(updates)
        reply = self._send("POST", self._routes.batch_update, body)
        if reply.stop:
            return Tried(stop=reply.stop)
        if reply.gave_up:
            message = Text("hubspot.not_synced", why=reply.gave_up, again=command("sync"))
            return Tried(tuple(RowOutcome.failed(u.object_id, message) for u in updates))
        answer = reply.body or {}
        if reply.status in (400, 404):
            return Tried(refusal=_rejection(updates, reply.status, answer))
        outcomes = read_batch_answer(
            updates, answer, properties=self.custom_properties, correlation_id=correlation_id(reply)
        )
        return Tried(tuple(outcomes))

    # -- deleting -------------------------------------------------------------------

    def batch_archive(self, object_ids: Sequence[str]) -> ArchiveResult:
        """Delete these events (`batch/archive`, by objectId): one `Archived` each, or a
        stop. Only a 204 says "deleted" by itself; after a 207 (whose body HubSpot does
        not publish) each event is looked up, and an answer lost on the way is unclear,
        never a deletion. Sending it again (a retry, the next sync) is safe: an event
        deleted twice is as deleted as once."""
        reply = self._send("POST", self._routes.batch_archive, archive_body(object_ids))
        if reply.stop:
            return ArchiveResult((), reply.stop)
        if reply.gave_up:
            lost = unclear(reply.gave_up)
            return ArchiveResult(tuple(Archived(i, False, lost) for i in object_ids))
        body = reply.body if isinstance(reply.body, Mapping) else {}
        verdict = archive_verdict(reply.status)
        if verdict == "deleted":
            return ArchiveResult(tuple(Archived(i, True) for i in object_ids))
        if verdict == "refused":
            return ArchiveResult(refused(object_ids, describe(reply.status, body)))
        errors = named_errors(object_ids, body)
        outcomes: list[Archived] = []
        for object_id in object_ids:
            try:
                event = self.get_event(object_id)
            except ReadFailedError as error:
                outcomes.append(Archived(object_id, False, unclear(reason(error))))
                continue
            except RunStoppedError as error:
                return ArchiveResult(tuple(outcomes), error.stop)
            outcomes.append(looked_up(object_id, event is not None, errors.get(object_id)))
        return ArchiveResult(tuple(outcomes))

    def custom_properties(self) -> PropertyTypes:
        """The portal's properties (name -> type); None when they cannot be read (then no
        property is ever reported missing)."""
        if self._properties is None:
            self._properties = self._read_properties()
        return self._properties.types

    def property_definitions(self) -> PortalProperties:
        """The portal's property definitions (type, field type, options), read now: once
        per run (a watcher's client lives for many, and definitions change meanwhile)."""
        self._properties = self._read_properties()
        return self._properties

    def _read_properties(self) -> PortalProperties:
        reply = self._send("GET", self._routes.properties, None)
        found = portal_properties(reply)
        if found.definitions is None:
            self._notify(Text("hubspot.properties_unread"))
        return found

    def account_details(self) -> AccountAnswer:
        """Which account (portal) the token is (hubspot/account.py). A 401 or 403 never
        stops a run: the details need a scope of their own (portal_model.ACCOUNT_SCOPE); a
        token refused everywhere is stopped by the next call. Other stops are raised."""
        reply = self._send("GET", self._routes.account, None)
        if reply.stop and reply.status not in (401, 403):
            raise stop_error(reply.stop)
        return account_answer(reply)

    # -- reads (pull, conflict checks) -------------------------------------------

    def list_events(
        self, *, page_size: int = 100, on_page: Callable[[int], None] | None = None
    ) -> Iterator[PortalEvent]:
        """Every event of the portal, following `paging.next.after`. A redirect or 404 on
        the list means no such route under this version (`route_error`, exit 2)."""
        after: str | None = None
        while True:
            params = {"limit": str(page_size)}
            if after:
                params["after"] = after
            reply = self._send("GET", self._routes.list, None, params=params)
            if reply.stop:
                raise stop_error(reply.stop)
            if reply.status is not None and (300 <= reply.status < 400 or reply.status == 404):
                raise route_error(self._settings.api_version, self._routes.list, reply.status)
            if reply.gave_up or reply.status != 200:
                why = reply.gave_up or describe(reply.status, reply.body or {})
                raise ReadFailedError(Text("refuse.list_failed", why=why))
            body = reply.body or {}
            if not isinstance(body.get("results"), list):
                raise ReadFailedError(Text("refuse.list_no_results"))
            results = items_of(body, "results")
            yield from map(read_event, results)
            if on_page:
                on_page(len(results))
            after = next_cursor(body)
            if after is None:
                return

    def get_event(self, object_id: str) -> PortalEvent | None:
        """One event as HubSpot holds it now; None if HubSpot no longer has it."""
        reply = self._send("GET", self._routes.event(object_id), None)
        if reply.stop:
            raise stop_error(reply.stop)
        if reply.status == 404:
            return None
        if reply.gave_up or reply.status != 200 or not isinstance(reply.body, Mapping):
            why = reply.gave_up or describe(reply.status, reply.body or {})
            raise ReadFailedError(Text("refuse.read_failed", object_id=object_id, why=why))
        return read_event(reply.body)

    # -- creates by external id (docs/creating-events.md) ---------------------------

    def upsert_events(self, inputs: Sequence[Mapping[str, Any]]) -> UpsertAnswer:
        """One batch upsert (payload.create_input each). A retry after a lost answer is
        safe: HubSpot updates the event the same app made with the same external ids."""
        reply = self._send("POST", self._routes.upsert, {"inputs": list(inputs)})
        return read_upsert(reply, len(inputs))

    def look_up(self, external_event_id: str, external_account_id: str) -> LookUp:
        """Which events hold this external id: first this app's own (get by external ids,
        not described as delayed), then the portal-wide identifiers lookup (which finds a
        new event only "a few minutes after creation")."""
        own = self.read_created(external_event_id, external_account_id)
        if own.found or own.failed or own.stop:
            return own
        return read_identifiers(
            self._send("GET", self._routes.identifiers(external_event_id), None)
        )

    def read_created(self, external_event_id: str, external_account_id: str) -> LookUp:
        """This app's event with these external ids (get by external ids) only."""
        params = {"externalAccountId": external_account_id}
        path = self._routes.by_external_id(external_event_id)
        return read_get(self._send("GET", path, None, params=params))

    def complete_event(
        self,
        object_id: str,
        external_ids: tuple[str, str],
        start: str,
        end: str,
    ) -> tuple[RowOutcome, Stop | None]:
        """Mark one event completed by its external ids ((externalAccountId,
        externalEventId)) with its start and end: HubSpot's answer for the row, and a
        stop. No batch form exists: one request per event. Sent again after a lost
        answer, it leaves the event as once."""
        account, external_event_id = external_ids
        params = {"externalAccountId": account}
        path = self._routes.complete(external_event_id)
        reply = self._send("POST", path, complete_body(start, end), params=params)
        if reply.stop:
            return RowOutcome(object_id, RowStatus.NOT_SENT, reply.stop.row_message), reply.stop
        confirmed: dict[str, FieldValue] = {
            "eventCompleted": True,
            "startDateTime": start,
            "endDateTime": end,
        }
        outcome = read_complete(reply, object_id, confirmed)
        if outcome is not None:
            return outcome, None
        try:  # completed, its version unsaid: read back, as after an archive
            event = self.get_event(object_id)
        except ReadFailedError as error:
            return RowOutcome(object_id, RowStatus.FAILED, reason(error)), None
        except RunStoppedError as error:
            return RowOutcome(object_id, RowStatus.FAILED, error.stop.row_message), error.stop
        if event is None:
            gone = Text("lifecycle.complete_unclear", why=describe(404, {}), again=command("sync"))
            return RowOutcome(object_id, RowStatus.FAILED, gone), None
        return RowOutcome.updated(object_id, event.updated_at, confirmed), None

    # -- other APIs (hubspot/attendance.py) -------------------------------------------

    def post(self, path: str, body: Mapping[str, Any]) -> Reply:
        """One POST of another API (attendance, contacts), paced and retried as every
        request is; its answer read by the caller. A stop is in `Reply.stop`."""
        return self._send("POST", path, body)

    def get(self, path: str, params: Mapping[str, str] | None = None) -> Reply:
        """One GET of another API (participations), paced and retried as every request
        is; its answer read by the caller. A stop is in `Reply.stop`."""
        return self._send("GET", path, None, params=params)

    @property
    def routes(self) -> Routes:
        """The routes of the API version in use."""
        return self._routes

    # -- one request, paced and retried -------------------------------------------

    def _send(
        self, method: str, path: str, body: Mapping[str, Any] | None, *, params: Params = None
    ) -> Reply:
        inputs = body.get("inputs") if body else None
        inputs = inputs if isinstance(inputs, list) else []
        # A create has no objectId yet: its external id names it in the log. Attendance
        # and contacts inputs name people, not events: never logged.
        object_ids = [
            i.get("objectId") or i.get("externalEventId")
            for i in inputs
            if isinstance(i, Mapping) and ("objectId" in i or "externalEventId" in i)
        ]
        size = len(inputs)
        attempt = 0
        while True:
            attempt += 1
            if (waited := self._pacer.wait_for_slot()) is None:  # asked to stop: send nothing
                return Reply(None, stop=CUT_SHORT)
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
                    "objectIds": object_ids,
                    "received": events_read(method, path, reply.status, reply.body),
                    "decision": decision.action.value,
                    "wait_s": None if wait is None else round(wait, 3),
                }
            )
            if decision.action is Action.DONE:
                return reply
            if decision.action is Action.STOP_AUTH:
                scope = READ_SCOPE if method == "GET" else WRITE_SCOPE
                message = auth_message(reply.status, reply.body or {}, scope)
                stop = Stop(message, Text("hubspot.row_not_sent", why=message), ExitCode.REFUSED)
                return replace(reply, stop=stop)
            if decision.action is Action.STOP_DAILY:
                stop = Stop(
                    Text("hubspot.daily_limit"),
                    Text("hubspot.daily_limit_row"),
                    ExitCode.ROWS_FAILED,
                )
                return replace(reply, stop=stop)
            if decision.action is Action.STOP_WAIT:
                stop = Stop(
                    Text(
                        "hubspot.long_wait",
                        why=decision.reason,
                        wait=f"{decision.wait_s:.0f}",
                        longest=f"{self._policy.longest_wait_s:.0f}",
                        again=command("sync"),
                    ),
                    Text("hubspot.long_wait_row", why=decision.reason, again=command("sync")),
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
                Text(
                    "hubspot.waiting",
                    why=decision.reason,
                    wait=f"{wait:.1f}",
                    attempt=attempt,
                    tries=self._policy.max_retries,
                )
            )
            self._sleep(wait or 0.0)  # a RETRY always has its wait by now
            if decision.told:
                self._pacer.waited_as_told()

    def close(self) -> None:  # (a session lent to it is its owner's to close)
        if self._owns_session:
            self._session.close()

    def _request(
        self, method: str, path: str, body: Mapping[str, Any] | None, params: Params
    ) -> Reply:
        reply, stuck = exchange_within(
            self._session, self._settings, Request(method, path, body, params)
        )
        if stuck and self._owns_session:  # the stuck connection stays with the old session
            self._session = new_session()
        return reply


def _rejection(
    updates: Sequence[PlannedUpdate], status: int, body: Mapping[str, Any]
) -> Refusal[RowOutcome]:
    """A batch rejected whole: each row's outcome if it fails so, and the rows named.
    A 404 saying HubSpot has no such event: the rows it names are deleted there."""
    why = describe(status, body)
    missing = status == 404 and is_not_found(body)
    failed = tuple(replace(RowOutcome.failed(u.object_id, why), not_found=missing) for u in updates)
    ids = rows_named(updates, body) if len(updates) > 1 else set()
    named = frozenset(i for i, u in enumerate(updates) if u.object_id in ids)
    return Refusal(rejection_key(status, body), why, failed, named)


def _not_tried(update: PlannedUpdate, why: str) -> RowOutcome:
    return RowOutcome.failed(
        update.object_id, Text("hubspot.not_tried", why=why, again=command("sync"))
    )


def correlation_id(reply: Reply) -> str | None:
    found = reply.body.get("correlationId") if reply.body else None
    if isinstance(found, str):
        return found
    return header(reply.headers, "X-HubSpot-Correlation-Id")
