"""Advance state, deleted events: the one question every path asks before it sends,
adds or creates an event: does eventsync know it to be deleted?

An event is remembered as deleted when a row's Delete marker archived it, or when
HubSpot no longer had an event eventsync had synced (plan/lifecycle.gone_rows). The
sync skips its rows, `--add-new` and `pull` leave it out, and the create path asks here
before it makes an event of a row. Reads only: the store writes (`forget_deleted`).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from eventsync.lifecycle import DeletedEvent
from eventsync.state.snapshot import SnapshotStore


def deleted_events(store: SnapshotStore) -> Mapping[str, DeletedEvent]:
    """objectId -> the deleted event, for the store's portal (read-only)."""
    return MappingProxyType(store.deleted)


def is_deleted(store: SnapshotStore, object_id: str) -> bool:
    return object_id in store.deleted
