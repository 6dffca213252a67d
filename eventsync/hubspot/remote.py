"""Read HubSpot's current state of events, for the three-way check and two-way sync.

Chooses the cheaper way to read (one GET per event, or the paged list of all events)
and returns the events as read (`PortalEvent`); the run turns them into the values the
reader makes of a sheet row (plan/events.normalise_remote), so "HubSpot changed this
field" never comes from a spelling difference. Reads only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection

from eventsync.errors import RunStoppedError
from eventsync.hubspot.client import HubSpotClient, ReadFailedError
from eventsync.messages import Text, command, reason
from eventsync.portal_model import PortalEvent

PAGE_SIZE = 100


def reads_needed(wanted: int, known_events: int) -> tuple[str, int]:
    """('get', n) or ('list', pages): whichever takes fewer requests."""
    pages = max(1, math.ceil(known_events / PAGE_SIZE))
    return ("get", wanted) if wanted <= pages else ("list", pages)


def read_remote(
    client: HubSpotClient,
    object_ids: Collection[str],
    *,
    known_events: int,
    everything: bool = False,
    dry_run: bool = False,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> tuple[dict[str, PortalEvent | None], list[PortalEvent] | None]:
    """(the wanted events, None for those HubSpot no longer has; every event listed, or
    None when they were read one by one). `dry_run` (plan): a failed read suggests the
    plan without the check, never a sync the user did not ask for.

    `everything` (two-way sync) always lists, since it also needs events the sheet
    does not have; the list is then the whole portal. `progress(done, total)`
    after each request: events read so far, and how many are expected.
    """
    try:
        return _read(
            client,
            object_ids,
            known_events=known_events,
            everything=everything,
            progress=progress,
        )
    except ReadFailedError as error:
        if dry_run:
            unchecked = command("plan", "--no-remote-check")
            said = Text("remote.unread_plan", why=reason(error), unchecked=unchecked)
        else:
            unchecked = command("sync", "--no-remote-check")
            said = Text("remote.unread", why=reason(error), unchecked=unchecked)
        raise RunStoppedError(said, Text("remote.unread_row", again=command("sync"))) from None


def _read(
    client: HubSpotClient,
    object_ids: Collection[str],
    *,
    known_events: int,
    everything: bool,
    progress: Callable[[int, int], None],
) -> tuple[dict[str, PortalEvent | None], list[PortalEvent] | None]:
    way, _ = reads_needed(len(object_ids), known_events)
    if way == "get" and not everything:
        found: dict[str, PortalEvent | None] = {}
        for done, object_id in enumerate(object_ids, 1):
            found[object_id] = client.get_event(object_id)
            progress(done, len(object_ids))
        return found, None
    read = 0

    def page_read(count: int) -> None:
        nonlocal read
        read += count
        progress(read, max(read, known_events))

    listed = list(client.list_events(page_size=PAGE_SIZE, on_page=page_read))
    by_id = {event.object_id: event for event in listed}
    return {object_id: by_id.get(object_id) for object_id in object_ids}, listed
