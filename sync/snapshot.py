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
            object_id: SyncedEvent(frozen(entry["values"]), entry["updatedAt"])
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
            object_id: {"values": dict(event.values), "updatedAt": event.updated_at}
            for object_id, event in sorted(snapshot.items(), key=lambda item: int(item[0]))
        },
    }
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    write_atomically(snapshot_path(state_dir, base_url), text.encode("utf-8"))


def advance(
    snapshot: Mapping[str, SyncedEvent], outcomes: Iterable[RowOutcome]
) -> dict[str, SyncedEvent]:
    """Only what HubSpot confirmed moves the snapshot; failed rows stay as they were."""
    advanced = dict(snapshot)
    for outcome in outcomes:
        if not outcome.ok:
            continue
        previous = advanced.get(outcome.object_id)
        values = dict(previous.values) if previous else {}
        values.update(outcome.confirmed)
        advanced[outcome.object_id] = SyncedEvent(frozen(values), outcome.updated_at)
    return advanced
