"""The snapshot: what HubSpot last confirmed for each event, per portal (base URL).

It is the memory the diff compares against, so it only ever holds what HubSpot
confirmed (or what both sides were seen to hold): it advances per confirmed row, each
batch one transaction of the state database (`database.py`), and every change goes
into the history on the way. `SnapshotStore.events` is the snapshot in memory, loaded
in one query and kept in step with the database. It never holds the access token, and a
sandbox run never counts for the real portal.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

from eventsync.columns import COMPLETED, LIFECYCLE
from eventsync.errors import StateAfterSendError, StateDatabaseError
from eventsync.lifecycle import DeletedEvent, DeleteKind
from eventsync.messages import Text
from eventsync.model import CreateRecord, FieldValue, RowOutcome, SyncedEvent, frozen
from eventsync.state.database import (
    Seen,
    StateDatabase,
    database_path,
    portal_key,
)
from eventsync.state.history import (
    Change,
    ChangeKind,
    Origin,
    changes_made,
)
from eventsync.state.json_snapshot import (  # noqa: F401 - the JSON snapshot, for imports
    imported_path,
    load_snapshot,
    save_snapshot,
    snapshot_path,
)
from eventsync.state.lock import state_folder_error
from eventsync.state.participations import (
    ConfirmedParticipation,
    Key,
    load_participations,
    save_participations,
)

PULL_CHUNK = 1000  # events per transaction of a pull


class SentRow(Protocol):
    """What `record` needs to know of a row sent (a `model.PlannedUpdate`)."""

    @property
    def row_number(self) -> int: ...

    @property
    def object_id(self) -> str: ...

    @property
    def values(self) -> Mapping[str, FieldValue]: ...


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
    """`agree` for many (objectId, values, updatedAt) at once (pure: a new mapping)."""
    advanced = dict(snapshot)
    advanced.update(advanced_events(advanced, agreed))
    return advanced


def advance(
    snapshot: Mapping[str, SyncedEvent], outcomes: Iterable[RowOutcome]
) -> dict[str, SyncedEvent]:
    """Only what HubSpot confirmed moves the snapshot; failed rows stay as they were (a
    row HubSpot took in part advances by the fields it kept)."""
    return agree_all(snapshot, confirmed_of(outcomes))


def confirmed_of(outcomes: Iterable[RowOutcome]) -> list[tuple[str, Mapping[str, FieldValue], str]]:
    return [
        (outcome.object_id, outcome.confirmed, outcome.updated_at)
        for outcome in outcomes
        if outcome.updated_at is not None
    ]


def advanced_events(
    snapshot: Mapping[str, SyncedEvent], agreed: Iterable[tuple[str, Mapping[str, FieldValue], str]]
) -> dict[str, SyncedEvent]:
    """Only the events that move, each with its new values merged over the old."""
    moved: dict[str, SyncedEvent] = {}
    for object_id, values, updated_at in agreed:
        previous = moved.get(object_id) or snapshot.get(object_id)
        if previous is None and isinstance(values, MappingProxyType):
            # Already a read-only copy (a RowOutcome's, from `frozen`): a first sync of
            # 100,000 events would otherwise hold every event's values twice.
            moved[object_id] = SyncedEvent(values, updated_at)
            continue
        merged = {**(previous.values if previous else {}), **values}
        moved[object_id] = SyncedEvent(frozen(merged), updated_at)
    return moved


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class SnapshotStore:
    """The snapshot in memory and in the state database, advanced only by what both
    sides hold; every change recorded in the history.

    The database is made at the first write (a `plan`, or a run refused before anything
    was confirmed, leaves no file). A JSON snapshot of an older eventsync is imported at
    the first run that may write (`read_only` False), in one transaction, and then
    renamed `<name>.json.imported` beside where it was: the backup of what it held.
    """

    def __init__(
        self,
        state_dir: Path,
        base_url: str,
        *,
        portal: str | None = None,
        read_only: bool = False,
        now: Callable[[], str] = _now,
        database_dir: Path | None = None,
        remember: Seen | None = None,
    ):
        """`portal`: the key of the HubSpot account the run talks to (state/portal.py);
        None: the base URL (no token, no account known). `database_dir`: where the
        database is when not in `state_dir` (state/place.py; `Settings.database_dir`).
        `remember`: the credential found to belong to `portal` (`Portal.pending`), kept
        in the transaction of the first write: the first sync remembers its portal."""
        self.state_dir = state_dir
        self.portal = portal or portal_key(base_url)
        self.path = database_path(database_dir or state_dir)
        self.imported: Path | None = None  # the JSON snapshot this store imported, if any
        self._now = now
        self._run = now()
        self._db: StateDatabase | None = None
        self._events: dict[str, SyncedEvent] = {}
        # The events load in a thread of their own (`_load`), while the run reads its
        # sheets: SQLite and the workbook reader leave the interpreter free, and a state
        # of 100,000 events takes about a second. `events` waits for them.
        self._loading: threading.Thread | None = None
        self._loaded: dict[str, SyncedEvent] | BaseException = {}
        self._by_url = portal_key(base_url)
        self._read_only = read_only
        self._remember = None if read_only else remember
        # Sends never answered (a kill while HubSpot applied them), per event: finding
        # these values in HubSpot is eventsync's own write (plan/conflicts, `in_flight`).
        self.in_flight: dict[str, list[dict[str, FieldValue]]] = {}
        # Events known to be deleted (state/deleted.py): never sent, added or created again.
        self.deleted: dict[str, DeletedEvent] = {}
        # Events HubSpot confirmed in this run (the store's life): once there are any, a
        # database that fails is no longer "nothing was sent" (see `_after_sends`).
        self.confirmed = 0
        if self.path.exists():
            self._db = StateDatabase.open(self.path)
            self.in_flight = self._db.load_in_flight(self.portal)
            self.deleted = self._db.load_deleted(self.portal)
            self._loading = threading.Thread(
                target=self._load, args=(self._db,), name="eventsync-state", daemon=True
            )
            self._loading.start()
        legacy = snapshot_path(state_dir, base_url)
        if legacy.exists():
            self._import(legacy, base_url, read_only=read_only)

    def _load(self, database: StateDatabase) -> None:
        """The loading thread: the only user of the connection until `events` joins it."""
        try:
            self._loaded = database.load_events(self.portal)
        except BaseException as error:  # raised where the events are first wanted
            self._loaded = error

    @property
    def events(self) -> dict[str, SyncedEvent]:
        """The snapshot: every event of the portal, as loaded and advanced since."""
        self._settle()
        return self._events

    def _settle(self) -> None:
        """Wait for the loading thread (after it, the connection is this thread's again);
        raise what the load met."""
        if self._loading is not None:
            self._loading.join()
            self._loading = None
            if isinstance(self._loaded, dict):
                self._events, self._loaded = self._adopted(self._loaded), {}
        if isinstance(self._loaded, BaseException):
            raise self._loaded

    def _adopted(self, events: dict[str, SyncedEvent]) -> dict[str, SyncedEvent]:
        if events or self.portal == self._by_url or self._db is None:
            return events
        # Kept by URL by an earlier eventsync: that state is this portal's.
        older = self._db.load_events(self._by_url)
        if older and (self._read_only or self._db.adopt(self._by_url, self.portal)):
            return older
        return events

    def _import(self, legacy: Path, base_url: str, *, read_only: bool) -> None:
        self._settle()
        done = self._db is not None and self._db.was_imported(self.portal, legacy.name)
        if not done:
            # The database wins over the older file for an event both hold.
            older = {
                object_id: event
                for object_id, event in load_snapshot(self.state_dir, base_url).items()
                if object_id not in self.events
            }
            if read_only:  # `plan` writes nothing: it reads the file as it is
                self.events.update(older)
                return
            self._write(older, imported=(legacy.name, self._now()))
            self.events.update(older)
        if read_only:
            return
        backup = imported_path(legacy)
        try:
            os.replace(legacy, backup)
        except OSError as error:
            raise state_folder_error(self.state_dir, error) from None
        self.imported = backup

    def _database(self) -> StateDatabase:
        self._settle()
        if self._db is None:
            self._db = StateDatabase.open(self.path, create=True)
        return self._db

    def _write(
        self,
        events: Mapping[str, SyncedEvent],
        changes: Iterable[Change] = (),
        *,
        imported: tuple[str, str] | None = None,
        settled: Iterable[str] = (),
    ) -> None:
        """One transaction of the database; the first also remembers the portal."""
        database = self._database()
        database.write(
            self.portal, events, changes, imported=imported, settled=settled, seen=self._remember
        )
        self._remember = None

    # -- participants (state/participations.py) --------------------------------------

    def participations(self) -> dict[Key, ConfirmedParticipation]:
        """Every participant confirmed in the portal (format 6)."""
        self._settle()
        return load_participations(self._db, self.portal)

    def confirm_participations(self, confirmed: Iterable[ConfirmedParticipation]) -> None:
        """Participants HubSpot confirmed, saved in one transaction."""
        save_participations(self._database(), self.portal, confirmed)

    def close(self) -> None:
        if self._loading is not None:
            self._loading.join()
        if self._db is not None:
            self._db.close()

    # -- what the run loop calls ---------------------------------------------------------

    def record(
        self,
        outcomes: Sequence[RowOutcome],
        *,
        sheet: str | None = None,
        rows: Iterable[SentRow] = (),
    ) -> None:
        """HubSpot's answers to one batch: one transaction. `sheet` and `rows` (the
        batch as sent) say where each change came from, for the history."""
        confirmed = confirmed_of(outcomes)
        if not confirmed:
            return
        self.confirmed += len(confirmed)  # HubSpot has them, whether or not they are saved
        sent = {row.object_id: row for row in rows}
        olds = {
            object_id: {c.field: c.old for c in getattr(row, "changes", ())}
            for object_id, row in sent.items()
        }
        origin = Origin(
            self._run,
            self._now(),
            sheet,
            {object_id: row.row_number for object_id, row in sent.items()},
            olds,
        )
        self._save(confirmed, ChangeKind.SENT, origin)

    def agree(
        self,
        agreed: Iterable[tuple[str, Mapping[str, Any], str]],
        *,
        sheet: str | None = None,
        rows: Mapping[str, int] | None = None,
        into_sheet: bool = False,
    ) -> None:
        """(objectId, values, updatedAt): both sides hold these values now. With
        `into_sheet`, two-way sync has just written them into `sheet` (at `rows`:
        objectId -> row number)."""
        agreed = list(agreed)
        if agreed:
            kind = ChangeKind.INTO_SHEET if into_sheet else ChangeKind.AGREED
            self._save(agreed, kind, Origin(self._run, self._now(), sheet, rows))

    def release(self, fields: Mapping[str, Sequence[str]]) -> None:
        """objectId -> fields the sheet's row does not hold (plan/blanks.not_held): the
        snapshot forgets them, so that a blank cell of the row, once synced, is not read
        as the user emptying a value the row never held. One transaction; no history
        entry, since no value changed on either side."""
        released: dict[str, SyncedEvent] = {}
        for object_id, names in fields.items():
            previous = self.events.get(object_id)
            if previous is None:
                continue
            kept = {f: v for f, v in previous.values.items() if f not in names}
            if len(kept) != len(previous.values):
                released[object_id] = SyncedEvent(frozen(kept), previous.updated_at)
        if released:
            self._database().write(self.portal, released)
            self.events.update(released)  # only once the transaction is committed

    def merge(self, events: Mapping[str, SyncedEvent]) -> None:
        """Events both sides agree on as a whole (a pull): they replace what we had.
        Written in transactions of `PULL_CHUNK` events."""
        items = iter(events.items())
        while chunk := dict(islice(items, PULL_CHUNK)):
            chunk = {object_id: self._marked(object_id, e) for object_id, e in chunk.items()}
            origin = Origin(self._run, self._now())
            changes: list[Change] = []
            for object_id, event in chunk.items():
                changes.extend(
                    changes_made(
                        self.events.get(object_id),
                        object_id,
                        event.values,
                        event.updated_at,
                        ChangeKind.PULLED,
                        origin,
                    )
                )
            with self._after_sends():
                self._write(chunk, changes)
            self.events.update(chunk)

    def _marked(self, object_id: str, event: SyncedEvent) -> SyncedEvent:
        """A pulled event keeps the mark of a completion eventsync made (columns.COMPLETED):
        HubSpot cannot undo one, and without it the row's Completed would be sent again."""
        previous = self.events.get(object_id)
        if previous is None or previous.values.get(COMPLETED) is not True:
            return event
        return SyncedEvent(frozen({**event.values, COMPLETED: True}), event.updated_at)

    def forget_deleted(
        self,
        deleted: Mapping[str, DeleteKind],
        *,
        sheet: str | None = None,
        rows: Mapping[str, int] | None = None,
    ) -> None:
        """objectId -> how it went: these events are deleted. One transaction: kept in
        the deleted list, dropped from the snapshot, one history entry each."""
        if not deleted:
            return
        at = self._now()
        origin = Origin(self._run, at, sheet, rows)
        changes = [
            Change(
                at,
                self._run,
                object_id,
                LIFECYCLE,
                ChangeKind.DELETED if kind is DeleteKind.BY_EVENTSYNC else ChangeKind.GONE,
                None,
                False,
                kind.value,
                self._last_version(object_id, at),
                origin.sheet,
                (origin.rows or {}).get(object_id),
            )
            for object_id, kind in deleted.items()
        ]
        entries = [(object_id, kind.value, at) for object_id, kind in deleted.items()]
        with self._after_sends():
            self._database().forget_deleted(self.portal, entries, changes)
        for object_id, kind in deleted.items():  # only once the transaction is committed
            self.deleted[object_id] = DeletedEvent(object_id, kind, at)
            self.events.pop(object_id, None)
            self.in_flight.pop(object_id, None)

    def _last_version(self, object_id: str, otherwise: str) -> str:
        """HubSpot's last updatedAt of an event eventsync knew (a deleted event has no
        newer one), else `otherwise`."""
        known = self.events.get(object_id)
        return known.updated_at if known is not None else otherwise

    # -- the one write -------------------------------------------------------------------

    def _save(
        self,
        agreed: Iterable[tuple[str, Mapping[str, FieldValue], str]],
        kind: ChangeKind,
        origin: Origin,
    ) -> None:
        agreed = list(agreed)
        moved = advanced_events(self.events, agreed)
        changes = [
            change
            for object_id, values, updated_at in agreed
            for change in changes_made(
                self.events.get(object_id), object_id, values, updated_at, kind, origin
            )
        ]
        settled = [object_id for object_id, _, _ in agreed]
        with self._after_sends():
            self._write(moved, changes, settled=settled)
        self.events.update(moved)  # only once the transaction is committed
        for object_id in settled:
            self.in_flight.pop(object_id, None)

    def sending(self, updates: Sequence[SentRow]) -> None:
        """Before a batch goes out: what it sends, so that a kill while HubSpot applies it
        does not make eventsync's own values look like a colleague's edit next time. Only
        where there is state already: without a snapshot of an event there is no base a
        value could conflict with (and the first write stays the first batch's)."""
        if not self.path.exists():
            return
        sent = [(update.object_id, update.values) for update in updates]
        with self._after_sends():
            self._database().mark_in_flight(self.portal, sent, self._now())

    # -- creates (docs/creating-events.md) -----------------------------------------------

    def creates(self) -> dict[str, CreateRecord]:
        """Every create the state remembers for this portal, by external id."""
        if self._db is None:
            return {}
        self._settle()
        return self._db.load_creates(self.portal)

    def save_creates(self, records: Sequence[CreateRecord]) -> None:
        """These creates as they stand now, in one transaction: before a create is sent
        (written ahead), when it is sent, when HubSpot's id for it is known."""
        if records:
            with self._after_sends():
                self._database().write_creates(self.portal, records, self._now())

    def record_created(
        self,
        created: Sequence[tuple[CreateRecord, str, str]],
        *,
        sheet: str | None = None,
    ) -> None:
        """(create, objectId, updatedAt): HubSpot made these events with the values sent.
        The create and the event's first state are one step for the history ("created")."""
        if not created:
            return
        self.confirmed += len(created)
        self.save_creates([replace(record, object_id=oid) for record, oid, _ in created])
        rows = {oid: record.row_number for record, oid, _ in created}
        origin = Origin(self._run, self._now(), sheet, rows)
        agreed = [(oid, record.values, updated_at) for record, oid, updated_at in created]
        self._save(agreed, ChangeKind.CREATED, origin)

    @contextlib.contextmanager
    def _after_sends(self) -> Iterator[None]:
        """A write that fails says what HubSpot has: nothing from this run (exit 2, as
        raised), or the changes it confirmed (exit 1: the next run finishes the job)."""
        try:
            yield
        except StateDatabaseError as error:
            if not self.confirmed or error.problem is None:
                raise
            raise StateAfterSendError(
                Text("limits.state_after_send", problem=error.problem, count=self.confirmed)
            ) from None
