"""The snapshot: what HubSpot last confirmed for each event, per portal (base URL).

It is the memory the diff compares against, so it only ever holds what HubSpot
confirmed: it advances per confirmed row and is saved atomically after every batch.
It never holds the access token, and a sandbox run never counts for the real portal.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sync.errors import SheetError
from sync.files import write_atomically
from sync.model import FieldValue, RowOutcome, SyncedEvent, frozen

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
        if not all(isinstance(key, str) and key.isascii() and key.isdigit() for key in events):
            raise ValueError("an objectId that is not a HubSpot id")  # a hand edit
        return {
            # "seenInHubSpot" (older versions: HubSpot values shown in a conflict) is
            # ignored: a conflict no longer ends by being seen, only by being resolved.
            object_id: SyncedEvent(frozen(entry["values"]), entry["updatedAt"])
            for object_id, entry in events.items()
        }
    except (ValueError, KeyError, TypeError, AttributeError):
        raise SheetError(
            f"{path}: the sync snapshot is damaged; restore it from a backup or delete it"
            " (the next sync then sends every row once)"
        ) from None


def save_snapshot(
    state_dir: Path,
    base_url: str,
    snapshot: Mapping[str, SyncedEvent],
    *,
    encoded: dict[str, tuple[SyncedEvent, str]] | None = None,
) -> None:
    """Write the whole snapshot atomically, one event per line.

    A run saves after every batch, so with thousands of events the encoding must stay
    cheap: `encoded` (objectId -> (event, its JSON), kept by the caller from one save to
    the next) spares re-encoding the events that did not change since the last save.
    """
    cache = {} if encoded is None else encoded
    lines = []
    for object_id, event in sorted(snapshot.items(), key=lambda item: int(item[0])):
        cached = cache.get(object_id)
        if cached is None or cached[0] is not event:
            text = json.dumps(object_id) + ": " + json.dumps(_entry(event), ensure_ascii=False)
            cached = cache[object_id] = (event, text)
        lines.append(cached[1])
    for object_id in cache.keys() - snapshot.keys():
        del cache[object_id]
    head = json.dumps({"version": FORMAT_VERSION, "baseUrl": base_url})[:-1]
    text = head + ', "events": {\n' + ",\n".join(lines) + "\n}}\n"
    write_atomically(snapshot_path(state_dir, base_url), text.encode("utf-8"))


def _entry(event: SyncedEvent) -> dict[str, object]:
    return {"values": dict(event.values), "updatedAt": event.updated_at}


def agree(
    snapshot: Mapping[str, SyncedEvent],
    object_id: str,
    values: Mapping[str, FieldValue],
    updated_at: str,
) -> dict[str, SyncedEvent]:
    """Both sides hold these values now (the same edit made on both, or one brought in)."""
    return agree_all(snapshot, [(object_id, values, updated_at)])


def agree_all(
    snapshot: Mapping[str, SyncedEvent], agreed: Iterable[tuple[str, Mapping[str, FieldValue], str]]
) -> dict[str, SyncedEvent]:
    """`agree` for many (objectId, values, updatedAt) at once: one copy of the snapshot,
    not one per event (a first sync of thousands of rows agrees on most fields)."""
    advanced = dict(snapshot)
    for object_id, values, updated_at in agreed:
        previous = advanced.get(object_id)
        merged = {**(previous.values if previous else {}), **values}
        advanced[object_id] = SyncedEvent(frozen(merged), updated_at)
    return advanced


def advance(
    snapshot: Mapping[str, SyncedEvent], outcomes: Iterable[RowOutcome]
) -> dict[str, SyncedEvent]:
    """Only what HubSpot confirmed moves the snapshot; failed rows stay as they were (a
    row HubSpot took in part advances by the fields it kept)."""
    confirmed = (
        (outcome.object_id, outcome.confirmed, outcome.updated_at)
        for outcome in outcomes
        if outcome.updated_at is not None
    )
    return agree_all(snapshot, confirmed)


class SnapshotStore:
    """The snapshot in memory and on disk, advanced only by what both sides hold."""

    def __init__(self, state_dir: Path, base_url: str):
        self.state_dir = state_dir
        self._base_url = base_url
        self.events = load_snapshot(state_dir, base_url)
        self._encoded: dict[str, tuple[SyncedEvent, str]] = {}  # spares re-encoding at saves

    def record(self, outcomes: Sequence[RowOutcome]) -> None:
        """HubSpot's answers to one batch."""
        if any(outcome.updated_at is not None for outcome in outcomes):
            self.events = advance(self.events, outcomes)
            self._save()

    def agree(self, agreed: Iterable[tuple[str, Mapping[str, Any], str]]) -> None:
        """(objectId, values, updatedAt): both sides hold these values now."""
        agreed = list(agreed)
        if agreed:
            self.events = agree_all(self.events, agreed)
            self._save()

    def merge(self, events: Mapping[str, SyncedEvent]) -> None:
        """Events both sides agree on as a whole (a pull): they replace what we had."""
        if events:
            self.events = {**self.events, **events}
            self._save()

    def _save(self) -> None:
        save_snapshot(self.state_dir, self._base_url, self.events, encoded=self._encoded)
