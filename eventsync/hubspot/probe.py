"""The access check `plan` makes when nothing else read HubSpot: one small read.

`plan` is how people check their setup. When the sheets hold nothing to send, the run
reads nothing from HubSpot, and a refused token, a missing read scope or an unreachable
HubSpot would go unsaid. One read of the event list (one event) says each the way a
read inside the run would. Reads only; never sends anything.
"""

from __future__ import annotations

from eventsync.hubspot.client import HubSpotClient


def confirm_access(client: HubSpotClient) -> None:
    """Raise what HubSpot's answer to one read means: `AuthError` (exit 3) for a refused
    token (401) or a missing scope (403), `RunStoppedError` when HubSpot cannot be read
    (no answer, or the answers kept failing); return when it answered."""
    for _ in client.list_events(page_size=1):
        break  # the first page answered: that is all this asks
