"""The state database: one SQLite file in the state folder (WAL mode) holding, per
portal, what HubSpot last confirmed for each event, and the history of every change.

Each write is one transaction that touches only its own rows, so saving a batch costs
the same at 1,000 events as at 100,000. A committed transaction survives kill -9 and a
power cut (WAL, synchronous=FULL); one cut short leaves nothing behind. It never holds
the access token or a request body. A file it cannot trust (damaged, from a newer
eventsync, unreadable) is a `StateDatabaseError` naming the file and what to do:
never a silent start from nothing, which would resend every row.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType

from eventsync.errors import StateDatabaseError
from eventsync.lifecycle import DeletedEvent, DeleteKind
from eventsync.messages import Text
from eventsync.model import CreateRecord, FieldValue, SyncedEvent
from eventsync.state.database_errors import damaged, guarded
from eventsync.state.history import Change, ChangeKind
from eventsync.state.schema import (
    APPLICATION_ID,
    CREATES,
    DELETED,
    IN_FLIGHT,
    PARTICIPATIONS,
    PORTALS,
    SCHEMA,
    SCHEMA_VERSION,
)

DB_NAME = "state.sqlite3"
BUSY_TIMEOUT_MS = 5000  # a `plan` or `history` reading while a sync writes

# (base URL, credential fingerprint, when): a credential found to belong to a portal.
Seen = tuple[str, str, str]


def database_path(state_dir: Path) -> Path:
    return state_dir / DB_NAME


def portal_key(base_url: str) -> str:
    """The key of state kept by URL: without a token nothing names the account, and an
    eventsync before accounts kept it so (state/portal.py keys it by account)."""
    return base_url


def _encode(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class StateDatabase:
    """One open connection to the state database. Writes are transactions of their own."""

    def __init__(self, path: Path, connection: sqlite3.Connection):
        self.path = path
        self._connection = connection

    @classmethod
    def open(cls, path: Path, *, create: bool = False) -> StateDatabase:
        """Open (and with `create`, first make) the database; check it is ours and of a
        format this eventsync reads."""
        if not create and not path.exists():
            raise StateDatabaseError(Text("state.db_missing", path=path))  # callers check first
        with guarded(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            with guarded(path):
                connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                database = cls(path, connection)
                database._check_or_create()
                return database
        except BaseException:
            connection.close()
            raise

    def _check_or_create(self) -> None:
        conn = self._connection
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        application = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if version == 0 and application == 0 and not tables:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("BEGIN IMMEDIATE")  # not executescript: it would commit first
            try:
                for statement in (
                    SCHEMA + PORTALS + IN_FLIGHT + CREATES + DELETED + PARTICIPATIONS
                ).split(";\n"):  # no ";" inside
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back itself
                    conn.execute("ROLLBACK")
                raise
        elif application != APPLICATION_ID:
            raise damaged(self.path, Text("state.not_ours"))
        elif version > SCHEMA_VERSION:
            raise StateDatabaseError(
                Text("state.db_newer", path=self.path, version=version, supported=SCHEMA_VERSION)
            )
        elif version < 1 or not {"events", "history", "imports"} <= tables:
            raise damaged(self.path, Text("state.tables_missing"))
        elif version < SCHEMA_VERSION:
            self._upgrade(version)
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed batch survives a power cut too, not only a kill (one fsync of
        # the WAL per confirmed batch: nothing next to a request to HubSpot).
        conn.execute("PRAGMA synchronous = FULL")

    def _upgrade(self, version: int) -> None:
        """An older format -> this one: tables added (2: portals, 3: in_flight, 4: creates,
        5: deleted, 6: participations), nothing rewritten."""
        conn = self._connection
        with guarded(self.path):
            conn.execute("BEGIN IMMEDIATE")
            try:
                if version < 2:
                    conn.execute(PORTALS.strip().rstrip(";"))
                if version < 3:
                    for statement in IN_FLIGHT.split(";\n"):
                        if statement.strip():
                            conn.execute(statement.strip().rstrip(";"))
                if version < 4:
                    conn.execute(CREATES.strip().rstrip(";"))
                if version < 5:
                    conn.execute(DELETED.strip().rstrip(";"))
                if version < 6:
                    conn.execute(PARTICIPATIONS.strip().rstrip(";"))
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise

    def write_rows(self, sql: str, rows: Iterable[tuple[object, ...]]) -> None:
        """One transaction of `sql` for each of `rows` (state/participations.py)."""
        conn = self._connection
        with guarded(self.path):
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(sql, rows)
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._connection.close()

    def copy_to(self, path: Path) -> None:
        """A consistent copy of the whole database (the log's committed transactions
        included) written to `path` and checked page by page, then flushed to disk."""
        with guarded(path):
            target = sqlite3.connect(path, isolation_level=None)
            try:
                self._connection.backup(target)
                verdict = target.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                target.close()
            if verdict != "ok":
                raise damaged(self.path, str(verdict))
            with open(path, "rb+") as copy:
                os.fsync(copy.fileno())

    def checkpoint(self) -> None:
        """Everything in the write-ahead log into the database file, the log emptied."""
        with guarded(self.path):
            self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- portals -----------------------------------------------------------------------

    def portal_of(self, base_url: str, credential: str | None) -> str | None:
        """The portal this credential was found to belong to; without a credential (no
        token), the portal last used at this base URL."""
        found = self.rows(
            "SELECT portal FROM portals WHERE base_url = ? AND (? IS NULL OR credential = ?)"
            " ORDER BY seen_at DESC LIMIT 1",
            (base_url, credential, credential),
        )
        return str(found[0][0]) if found else None

    def remember_portal(self, seen: Seen, portal: str) -> None:
        with guarded(self.path):
            self._remember(seen, portal)

    def adopt(self, old: str, new: str, seen: Seen | None = None) -> bool:
        """State kept under `old` becomes `new`'s, if `new` has none yet; True when it
        did. `old`: a base URL (an eventsync that keyed state by URL), or the fingerprint
        of a key that HubSpot showed to reach the same events (state/portal.py). `seen`
        is remembered in the same transaction, and every credential that led to `old`
        leads to `new` from now on."""
        conn = self._connection
        with guarded(self.path):
            conn.execute("BEGIN IMMEDIATE")
            try:
                taken = conn.execute("SELECT 1 FROM events WHERE portal = ?", (new,)).fetchone()
                moved = False
                if taken is None:
                    tables = (
                        "events",
                        "history",
                        "imports",
                        "in_flight",
                        "creates",
                        "deleted",
                        "participations",
                        "portals",
                    )
                    for table in tables:
                        cursor = conn.execute(
                            f"UPDATE {table} SET portal = ? WHERE portal = ?", (new, old)
                        )
                        moved = moved or (table != "portals" and cursor.rowcount > 0)
                if seen is not None:
                    self._remember(seen, new)
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
        return moved

    def _remember(self, seen: Seen, portal: str) -> None:
        """Inside a transaction: this credential at this base URL belongs to `portal`."""
        base_url, credential, at = seen
        self._connection.execute(
            "INSERT OR REPLACE INTO portals (base_url, credential, portal, seen_at)"
            " VALUES (?, ?, ?, ?)",
            (base_url, credential, portal, at),
        )

    def rows(self, sql: str, parameters: tuple[object, ...]) -> list[tuple[object, ...]]:
        """A read of the state's own tables (state/portal.py's questions about portals)."""
        with guarded(self.path):
            return self._connection.execute(sql, parameters).fetchall()

    # -- events ------------------------------------------------------------------------

    def load_events(self, portal: str) -> dict[str, SyncedEvent]:
        """Every event of the portal, in one query."""
        events: dict[str, SyncedEvent] = {}
        intern = sys.intern  # one copy of each field name, not one per event
        # One copy of each value too: events share their types, organisers, times and
        # flags (tens of MB at 100,000 events). Dropped once loaded.
        shared: dict[object, object] = {}
        with guarded(self.path):
            rows = self._connection.execute(
                "SELECT object_id, field_values, updated_at FROM events WHERE portal = ?",
                (portal,),
            )
            for object_id, encoded, updated_at in rows:
                try:
                    values = json.loads(encoded)
                    if not (object_id.isascii() and object_id.isdigit()):
                        raise ValueError(f"objectId {object_id!r}")
                    if not isinstance(values, dict) or not isinstance(updated_at, str):
                        raise ValueError(f"event {object_id}")
                except (ValueError, AttributeError) as error:
                    raise damaged(self.path, Text("state.unreadable", what=str(error))) from None
                values = {
                    intern(field): shared.setdefault(value, value)
                    if value.__class__ is str
                    else value
                    for field, value in values.items()
                }
                events[object_id] = SyncedEvent(MappingProxyType(values), updated_at)
        return events

    def write(
        self,
        portal: str,
        events: Mapping[str, SyncedEvent],
        changes: Iterable[Change] = (),
        *,
        imported: tuple[str, str] | None = None,  # (source file name, time)
        settled: Iterable[str] = (),  # events whose sends in flight are answered now
        seen: Seen | None = None,  # the portal of a credential, remembered with the batch
    ) -> None:
        """One transaction: these events' new state, their changes (and an import's mark).
        Touches only these rows: its cost does not grow with the events of the portal."""
        conn = self._connection
        with guarded(self.path):
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(
                    "INSERT OR REPLACE INTO events (portal, object_id, field_values, updated_at)"
                    " VALUES (?, ?, ?, ?)",
                    (
                        (portal, object_id, _encode(dict(event.values)), event.updated_at)
                        for object_id, event in events.items()
                    ),
                )
                self._add_history(portal, changes)
                conn.executemany(
                    "DELETE FROM in_flight WHERE portal = ? AND object_id = ?",
                    ((portal, object_id) for object_id in settled),
                )
                if seen is not None:
                    self._remember(seen, portal)
                if imported is not None:
                    conn.execute(
                        "INSERT OR REPLACE INTO imports (portal, source, events, at)"
                        " VALUES (?, ?, ?, ?)",
                        (portal, imported[0], len(events), imported[1]),
                    )
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise

    def _add_history(self, portal: str, changes: Iterable[Change]) -> None:
        """Inside a transaction: these changes into the history."""
        self._connection.executemany(
            "INSERT INTO history (portal, run, at, object_id, field, kind, before,"
            " value, updated_at, sheet, row_number) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                (
                    portal,
                    c.run,
                    c.at,
                    c.object_id,
                    c.field,
                    c.kind.value,
                    _encode(c.before) if c.before_known else None,
                    _encode(c.value),
                    c.updated_at,
                    c.sheet,
                    c.row_number,
                )
                for c in changes
            ),
        )

    def mark_in_flight(
        self, portal: str, sent: Iterable[tuple[str, Mapping[str, FieldValue]]], at: str
    ) -> None:
        """One transaction, before a batch goes out: what it sends, per event."""
        conn = self._connection
        with guarded(self.path):
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(
                    "INSERT INTO in_flight (portal, object_id, field_values, at)"
                    " VALUES (?, ?, ?, ?)",
                    ((portal, object_id, _encode(dict(values)), at) for object_id, values in sent),
                )
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise

    def load_in_flight(self, portal: str) -> dict[str, list[dict[str, FieldValue]]]:
        """Sends never answered, per event, oldest first."""
        found: dict[str, list[dict[str, FieldValue]]] = {}
        with guarded(self.path):
            rows = self._connection.execute(
                "SELECT object_id, field_values FROM in_flight WHERE portal = ? ORDER BY id",
                (portal,),
            ).fetchall()
        for object_id, encoded in rows:
            try:
                values = json.loads(encoded)
                if not isinstance(values, dict):
                    raise ValueError(f"event {object_id}")
            except ValueError as error:
                raise damaged(
                    self.path, Text("state.unreadable_in_flight", error=str(error))
                ) from None
            found.setdefault(str(object_id), []).append(values)
        return found

    def forget_deleted(
        self, portal: str, deleted: Iterable[tuple[str, str, str]], changes: Iterable[Change]
    ) -> None:
        """One transaction: these events (objectId, kind, at) are deleted: remembered as
        such, their snapshot and sends in flight dropped, the history told."""
        deleted = list(deleted)
        conn = self._connection
        with guarded(self.path):
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(
                    "INSERT OR REPLACE INTO deleted (portal, object_id, kind, at)"
                    " VALUES (?, ?, ?, ?)",
                    ((portal, object_id, kind, at) for object_id, kind, at in deleted),
                )
                for table in ("events", "in_flight"):
                    conn.executemany(
                        f"DELETE FROM {table} WHERE portal = ? AND object_id = ?",
                        ((portal, object_id) for object_id, _, _ in deleted),
                    )
                self._add_history(portal, changes)
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise

    def load_deleted(self, portal: str) -> dict[str, DeletedEvent]:
        """Every event of the portal known to be deleted, by objectId."""
        with guarded(self.path):
            rows = self._connection.execute(
                "SELECT object_id, kind, at FROM deleted WHERE portal = ?", (portal,)
            ).fetchall()
        found: dict[str, DeletedEvent] = {}
        for object_id, kind, at in rows:
            try:
                found[str(object_id)] = DeletedEvent(str(object_id), DeleteKind(kind), str(at))
            except ValueError:
                raise damaged(self.path, Text("state.unreadable", what=f"kind {kind!r}")) from None
        return found

    # -- creates (format 4) --------------------------------------------------------------

    def write_creates(self, portal: str, records: Iterable[CreateRecord], at: str) -> None:
        """One transaction: these creates as they stand now (each replaces its old row)."""
        conn = self._connection
        with guarded(self.path):
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(
                    "INSERT OR REPLACE INTO creates (portal, external_event_id,"
                    " external_account_id, sheet, row_number, field_values, written_at,"
                    " sent_at, object_id) VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        (
                            portal,
                            r.external_id,
                            r.account,
                            r.sheet,
                            r.row_number,
                            _encode(dict(r.values)),
                            at,
                            r.sent_at,
                            r.object_id,
                        )
                        for r in records
                    ),
                )
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise

    def load_creates(self, portal: str) -> dict[str, CreateRecord]:
        """Every create of the portal, by external id."""
        with guarded(self.path):
            rows = self._connection.execute(
                "SELECT external_event_id, external_account_id, sheet, row_number,"
                " field_values, sent_at, object_id FROM creates WHERE portal = ?",
                (portal,),
            ).fetchall()
        found: dict[str, CreateRecord] = {}
        for external, account, sheet, row, encoded, sent_at, object_id in rows:
            try:
                values = json.loads(encoded)
                if not isinstance(values, dict):
                    raise ValueError(f"create {external}")
            except ValueError as error:
                raise damaged(self.path, Text("state.unreadable", what=str(error))) from None
            found[str(external)] = CreateRecord(
                str(external), str(account), str(sheet), int(row), values, sent_at, object_id
            )
        return found

    def was_imported(self, portal: str, source: str) -> bool:
        with guarded(self.path):
            row = self._connection.execute(
                "SELECT 1 FROM imports WHERE portal = ? AND source = ?", (portal, source)
            ).fetchone()
        return row is not None

    # -- history -----------------------------------------------------------------------

    def history(self, portal: str, object_id: str) -> list[Change]:
        """The event's changes, newest first."""
        with guarded(self.path):
            rows = self._connection.execute(
                "SELECT at, run, object_id, field, kind, before, value, updated_at, sheet,"
                " row_number FROM history WHERE portal = ? AND object_id = ? ORDER BY id DESC",
                (portal, object_id),
            ).fetchall()
        changes = []
        for at, run, oid, field, kind, before, value, updated_at, sheet, row in rows:
            try:
                changes.append(
                    Change(
                        at,
                        run,
                        oid,
                        field,
                        ChangeKind(kind),
                        _decode(before) if before is not None else None,
                        before is not None,
                        _decode(value),
                        updated_at,
                        sheet,
                        row,
                    )
                )
            except ValueError as error:
                raise damaged(self.path, f"an unreadable history entry ({error})") from None
        return changes


def _decode(text: str) -> FieldValue:
    value = json.loads(text)
    if value is None or isinstance(value, str | bool):
        return value
    raise ValueError(f"value {text}")
