"""Creating, third step: the creates out by batch upsert, each batch marked sent in the
state first; results matched to rows by their echo or read back by external id; what
HubSpot made recorded. An answer that says nothing leaves the create in flight.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from eventsync.config import Settings
from eventsync.creating.checks import stamp
from eventsync.hubspot.client import HubSpotClient
from eventsync.hubspot.created import LookUp, MadeEvent
from eventsync.hubspot.payload import create_input
from eventsync.messages import Text, command
from eventsync.model import CreateRecord, Stop
from eventsync.plan.creates import (
    CreateRow,
    CreateStatus,
    match_results,
)
from eventsync.state.snapshot import SnapshotStore


def send(
    records: Sequence[CreateRecord],
    client: HubSpotClient,
    store: SnapshotStore,
    settings: Settings,
    sheet: str,
    now: Callable[[], datetime],
) -> tuple[dict[int, CreateRow], Stop | None]:
    """The creates in batches by upsert, each batch marked sent in the state first."""
    rows: dict[int, CreateRow] = {}
    size = settings.batch_size
    for start in range(0, len(records), size):
        batch = list(records[start : start + size])
        sent, stop = _send_batch(batch, client, store, sheet, now)
        rows.update(sent)
        if stop is not None:
            for record in records[start + size :]:
                rows[record.row_number] = _not_sent(record, stop)
            return rows, stop
    return rows, None


def _not_sent(record: CreateRecord, stop: Stop) -> CreateRow:
    return CreateRow(
        record.row_number,
        record.external_id,
        CreateStatus.NOT_SENT,
        message=stop.row_message,
        values=record.values,
    )


def _send_batch(
    batch: list[CreateRecord],
    client: HubSpotClient,
    store: SnapshotStore,
    sheet: str,
    now: Callable[[], datetime],
) -> tuple[dict[int, CreateRow], Stop | None]:
    before = {r.external_id: r for r in batch}
    marked = [replace(r, sent_at=stamp(now())) for r in batch]
    store.save_creates(marked)  # in flight from here: a kill leaves it to be looked up
    answer = client.upsert_events(
        [create_input(r.values, r.external_id, r.account) for r in marked]
    )
    if answer.stop is not None or answer.refused is not None:
        # Nothing was made (a refusal or a refused token): as it was before the send.
        store.save_creates([before[r.external_id] for r in marked])
        if answer.stop is not None:
            return {r.row_number: _not_sent(r, answer.stop) for r in marked}, answer.stop
        if len(marked) > 1:  # one bad row refuses the batch: each alone says which
            rows: dict[int, CreateRow] = {}
            for record in batch:
                one, stop = _send_batch([record], client, store, sheet, now)
                rows.update(one)
                if stop is not None:
                    return rows, stop
            return rows, None
        message = Text("create.refused", why=answer.refused)
        return {marked[0].row_number: _failed(marked[0], message)}, None
    pairs = match_results([r.values for r in marked], [e.echoed for e in answer.made])
    made: dict[int, MadeEvent] = {i: answer.made[r] for i, r in pairs.items()}
    for index, record in enumerate(marked):
        if index not in made:
            looked: LookUp = client.read_created(record.external_id, record.account)
            event = next((e for e in looked.found if isinstance(e, MadeEvent)), None)
            if event is not None:
                made[index] = event
    created = [(marked[i], e.object_id, e.updated_at) for i, e in sorted(made.items())]
    store.record_created(created, sheet=sheet)
    rows = {
        record.row_number: CreateRow(
            record.row_number,
            record.external_id,
            CreateStatus.CREATED,
            object_id,
            updated_at,
            values=record.values,
        )
        for record, object_id, updated_at in created
    }
    for index, record in enumerate(marked):
        if index not in made:
            message = Text("create.unclear", why=answer.unclear or "", again=command("sync"))
            rows[record.row_number] = _failed(record, message, CreateStatus.UNCLEAR)
    return rows, None


def _failed(
    record: CreateRecord, message: str, status: CreateStatus = CreateStatus.FAILED
) -> CreateRow:
    return CreateRow(
        record.row_number, record.external_id, status, message=message, values=record.values
    )
