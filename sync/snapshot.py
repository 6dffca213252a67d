"""The snapshot: what HubSpot last confirmed for each event, per portal (base URL).

It is the memory the diff compares against, so it only ever holds what HubSpot
confirmed: it advances per confirmed row and is saved atomically after every batch.
It never holds the access token, and a sandbox run never counts for the real portal.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from .errors import SheetError
from .files import write_atomically
from .model import RowOutcome, SyncedEvent, frozen

FORMAT_VERSION = 1


def snapshot_path(state_dir: Path, base_url: str) -> Path:
    host = re.sub(r"[^A-Za-z0-9.-]+", "_", base_url.split("://", 1)[-1]).strip("_")
    digest = hashlib.sha256(base_url.encode()).hexdigest()[:8]
    return state_dir / "snapshots" / f"{host}-{digest}.json"


def load_snapshot(state_dir: Path, base_url: str) -> dict[str, SyncedEvent]:
    path = snapshot_path(state_dir, base_url)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        events = data["events"]
        return {
            object_id: SyncedEvent(
                frozen(entry["values"]), entry["updatedAt"], frozen(entry.get("seenInHubSpot", {}))
            )
            for object_id, entry in events.items()
        }
    except (ValueError, KeyError, TypeError, AttributeError):
        raise SheetError(
            f"{path}: the sync snapshot is damaged; restore it from a backup or delete it"
            " (the next sync then sends every row once)"
        ) from None


def save_snapshot(state_dir: Path, base_url: str, snapshot: Mapping[str, SyncedEvent]) -> None:
    data = {
        "version": FORMAT_VERSION,
        "baseUrl": base_url,
        "events": {
            object_id: _entry(event)
            for object_id, event in sorted(snapshot.items(), key=lambda item: int(item[0]))
        },
    }
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    write_atomically(snapshot_path(state_dir, base_url), text.encode("utf-8"))


def _entry(event: SyncedEvent) -> dict:
    entry = {"values": dict(event.values), "updatedAt": event.updated_at}
    if event.seen:
        entry["seenInHubSpot"] = dict(event.seen)
    return entry


def agree(
    snapshot: Mapping[str, SyncedEvent], object_id: str, values: Mapping, updated_at: str
) -> dict[str, SyncedEvent]:
    """Both sides hold these values now (the same edit made on both, or one brought in)."""
    advanced = dict(snapshot)
    previous = advanced.get(object_id)
    merged = {**(previous.values if previous else {}), **values}
    seen = {k: v for k, v in (previous.seen if previous else {}).items() if k not in values}
    advanced[object_id] = SyncedEvent(frozen(merged), updated_at, frozen(seen))
    return advanced


def remember_seen(
    snapshot: Mapping[str, SyncedEvent], object_id: str, seen: Mapping
) -> dict[str, SyncedEvent]:
    """Record HubSpot values the user was shown in a conflict."""
    advanced = dict(snapshot)
    previous = advanced.get(object_id)
    if previous is None:
        return advanced
    merged_seen = {**previous.seen, **seen}
    advanced[object_id] = SyncedEvent(previous.values, previous.updated_at, frozen(merged_seen))
    return advanced


def advance(
    snapshot: Mapping[str, SyncedEvent], outcomes: Iterable[RowOutcome]
) -> dict[str, SyncedEvent]:
    """Only what HubSpot confirmed moves the snapshot; failed rows stay as they were."""
    advanced = dict(snapshot)
    for outcome in outcomes:
        if not outcome.ok:
            continue
        advanced = agree(advanced, outcome.object_id, outcome.confirmed, outcome.updated_at)
    return advanced
