"""Creating, first step: what each new row needs, the state and HubSpot asked (plan and
sync alike; nothing is sent or written here). Also the external ids eventsync makes.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from eventsync.columns import EXTERNAL_EVENT_ID
from eventsync.config import Settings
from eventsync.hubspot.client import HubSpotClient
from eventsync.hubspot.created import MadeEvent
from eventsync.messages import Moment, Text, command
from eventsync.model import CreateRecord, Sheet, Stop
from eventsync.plan.creates import (
    CreateRow,
    CreateStatus,
    Decision,
    NewEvent,
    Verdict,
    decide,
    needs_lookup,
)
from eventsync.plan.planned import PlannedSheet
from eventsync.state.snapshot import SnapshotStore

ID_PREFIX = "es-"  # an external id eventsync made: "es-" and 16 random hex digits
ACCOUNT_PREFIX = "eventsync-"
UNKNOWN_ACCOUNT = "eventsync"  # a portal whose account id is not known (no account scope)


def new_external_id() -> str:
    """Unguessable and short; never derived from a row (two rows share one only by
    being copies of each other)."""
    return ID_PREFIX + secrets.token_hex(8)


def external_account_id(portal_key: str) -> str:
    """eventsync's externalAccountId for a portal: `eventsync-<account id>` when HubSpot
    named the account (state/portal.py keys it `hubspot-<id>`), else `eventsync`. Each
    create keeps the one it was sent with (state), so a later change never orphans it."""
    if portal_key.startswith("hubspot-") and portal_key[8:].isdigit():
        return ACCOUNT_PREFIX + portal_key[8:]
    return UNKNOWN_ACCOUNT


def utc_now() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Check:
    """One new row, with what the state and HubSpot said of its external id."""

    new: NewEvent
    record: CreateRecord | None
    decision: Decision
    found: MadeEvent | None = None  # the event a get by external ids returned
    unasked: str | None = None  # HubSpot could not be asked (why): the row is held


def check_creates(
    planned: PlannedSheet,
    client: HubSpotClient | None,
    store: SnapshotStore,
    settings: Settings,
    now: datetime,
    stop: Stop | None = None,
) -> tuple[tuple[Check, ...], Stop | None]:
    """What each new row of a sheet needs (plan and sync alike): rows with an external
    id are looked up in HubSpot when the state cannot say what became of them. Once the
    run is stopped (`stop`, or one a look-up meets: the daily limit, HubSpot out, a stop
    asked for), nothing more is asked: the rows left are held, saying why. Returns the
    checks and the run's stop."""
    if not planned.creates:
        return (), stop
    records = store.creates()
    account = external_account_id(store.portal)
    window = timedelta(minutes=settings.create_check_minutes)
    checks = []
    for new in planned.creates:
        if new.external_id is None:
            checks.append(Check(new, None, Decision(Verdict.SEND)))
            continue
        record = records.get(new.external_id)
        if not needs_lookup(record):
            checks.append(Check(new, record, decide(record, (), now, window)))
            continue
        if client is None or stop is not None:
            why = stop.row_message if stop is not None else Text("people.why_no_token")
            checks.append(Check(new, record, Decision(Verdict.HOLD), unasked=why))
            continue
        looked = client.look_up(new.external_id, record.account if record else account)
        stop = looked.stop or stop
        if looked.failed or looked.stop:
            why = looked.failed or (looked.stop.row_message if looked.stop else "")
            checks.append(Check(new, record, Decision(Verdict.HOLD), unasked=why))
            continue
        found = next((e for e in looked.found if isinstance(e, MadeEvent)), None)
        checks.append(Check(new, record, decide(record, looked.object_ids, now, window), found))
    return tuple(checks), stop


def planned_rows(
    sheet: Sheet, checks: Sequence[Check], zone: tzinfo = UTC
) -> tuple[CreateRow, ...]:
    """What `plan` says of each new row (nothing is sent)."""
    column = sheet.column_label(EXTERNAL_EVENT_ID)
    rows = []
    for check in checks:
        status = {
            Verdict.SEND: CreateStatus.WOULD_CREATE,
            Verdict.ADOPT: CreateStatus.ADOPTED,
            Verdict.HOLD: CreateStatus.HELD,
            Verdict.REFUSE: CreateStatus.REFUSED,
        }[check.decision.verdict]
        rows.append(
            CreateRow(
                check.new.row_number,
                check.new.external_id,
                status,
                check.decision.object_id,
                message=_message(check, column, zone),
                values=check.new.values,
            )
        )
    return tuple(rows)


def _message(check: Check, column: str, zone: tzinfo) -> str:
    """What the row's syncError says of a create not done in this run ("": nothing)."""
    decision = check.decision
    if decision.verdict is Verdict.HOLD:
        if check.unasked is not None:
            return Text("create.unasked", why=check.unasked, again=command("sync"))
        after = decision.retry_after
        return Text(
            "create.checking",
            at=Moment(stamp(after), zone) if after else "",
            again=command("sync"),
        )
    if decision.verdict is Verdict.REFUSE:
        if check.record is None:
            return Text("create.unknown_id", column=column)
        return Text("create.several", column=column)
    return ""
