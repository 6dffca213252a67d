"""Which event each externalEventId of a participants sheet names: the state's creates
asked first, then HubSpot, by external ids, for an id the state does not know
(docs/participants.md, "Naming an event by its externalEventId").

On top, beside participants_run.py: it gathers what plan/participant_events.py decides
on. It asks HubSpot only reads (get by external ids, with eventsync's externalAccountId,
as creating/ reads back its creates), each distinct id once per run, paced as every
request; it never sends anything and never writes the state.
"""

from __future__ import annotations

from collections.abc import Sequence

from eventsync.creating.checks import external_account_id
from eventsync.hubspot.client import HubSpotClient
from eventsync.messages import Text
from eventsync.model import Stop
from eventsync.plan.participant_events import (
    Known,
    Lookup,
    from_creates,
    from_hubspot,
    ids_to_ask,
    resolve_events,
)
from eventsync.plan.participants import Item, Participation
from eventsync.state.snapshot import SnapshotStore


def with_events(
    items: Sequence[Item],
    store: SnapshotStore,
    client: HubSpotClient | None,
    stop: Stop | None,
    asked: dict[str, Lookup],
) -> tuple[list[Item], Stop | None]:
    """`items` with each externalEventId resolved (plan/participant_events.py), and the
    run's stop (a stop HubSpot gave while asked). `asked`: what HubSpot said this run,
    filled here (the next sheet of the run does not ask again). The state is read as it
    is now: after the events run, with the events it created in this run."""
    if not any(isinstance(item, Participation) and item.external_id for item in items):
        return list(items), stop  # the usual sheet: every row names its objectId
    known = {**asked, **from_creates(store.creates())}
    account = external_account_id(store.portal)
    for external_id in ids_to_ask(items, known):
        lookup, stop = _ask(client, external_id, account, stop)
        known[external_id] = asked[external_id] = lookup  # (not asked again this run)
    return resolve_events(items, known), stop


def _ask(
    client: HubSpotClient | None, external_id: str, account: str, stop: Stop | None
) -> tuple[Lookup, Stop | None]:
    if client is None:
        return Lookup(Known.UNREAD, why=Text("people.why_no_token")), stop
    if stop is not None:
        return Lookup(Known.UNREAD, why=stop.row_message), stop
    answer = client.read_created(external_id, account)
    if answer.stop is not None:
        return Lookup(Known.UNREAD, why=answer.stop.row_message), answer.stop
    if answer.failed is not None:
        return Lookup(Known.UNREAD, why=answer.failed), stop
    return from_hubspot(answer.object_ids), stop
