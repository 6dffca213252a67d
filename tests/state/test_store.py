"""The state database behind SnapshotStore: one transaction per confirmed batch, the
JSON snapshot imported once, every change in the history, and a file it cannot trust
refused with a message naming it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers.state_formats import reopened_from_format

from eventsync.errors import StateAfterSendError, StateDatabaseError
from eventsync.model import (
    CreateRecord,
    FieldChange,
    PlannedUpdate,
    RowOutcome,
    SyncedEvent,
    frozen,
)
from eventsync.state.database import DB_NAME, StateDatabase
from eventsync.state.database_errors import database_error
from eventsync.state.event_history import read_history
from eventsync.state.history import ChangeKind
from eventsync.state.json_snapshot import imported_path, save_snapshot, snapshot_path
from eventsync.state.schema import SCHEMA_VERSION
from eventsync.state.snapshot import SnapshotStore

BASE_URL = "https://api.hubapi.com"


class Ticks:
    """Injected time: each call is one second later."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return f"2026-04-01T10:00:{self.n:02d}.000Z"


def event(name: str, updated_at: str = "u0") -> SyncedEvent:
    return SyncedEvent(frozen({"eventName": name, "eventType": "WEBINAR"}), updated_at)


def stored(state_dir: Path) -> dict[str, tuple[str, str]]:
    with sqlite3.connect(state_dir / DB_NAME) as connection:
        rows = connection.execute("SELECT object_id, field_values, updated_at FROM events")
        return {object_id: (values, updated_at) for object_id, values, updated_at in rows}


def test_nothing_is_written_until_something_is_confirmed(tmp_path):
    store = SnapshotStore(tmp_path, BASE_URL)
    store.record([RowOutcome.failed("1", "refused")])
    assert store.events == {}
    assert not (tmp_path / DB_NAME).exists()


def test_each_batch_is_one_transaction_touching_only_its_rows(tmp_path):
    store = SnapshotStore(tmp_path, BASE_URL, now=Ticks())
    store.merge({str(n): event(f"Event {n}") for n in range(1, 1001)})
    connection = store._database()._connection
    before = connection.total_changes
    outcomes = [RowOutcome.updated(str(n), "u1", {"eventName": f"New {n}"}) for n in range(1, 101)]
    store.record([*outcomes, RowOutcome.failed("500", "refused")])
    # 100 events and 100 history rows: nothing of the other 900 events is rewritten.
    assert connection.total_changes - before == 200
    again = SnapshotStore(tmp_path, BASE_URL)  # what a run after a kill would find
    assert again.events["1"].values == {"eventName": "New 1", "eventType": "WEBINAR"}
    assert again.events["1"].updated_at == "u1"
    assert again.events["500"] == event("Event 500")
    assert again.events == store.events


def test_a_failed_write_leaves_the_batch_out_of_memory_and_database(tmp_path, monkeypatch):
    store = SnapshotStore(tmp_path, BASE_URL)
    store.merge({"1": event("Old")})

    def broken(change):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr("eventsync.state.database._encode", broken)
    with pytest.raises(StateAfterSendError) as failed:  # HubSpot confirmed it: exit 1
        store.record([RowOutcome.updated("1", "u1", {"eventName": "New"})])
    assert "HubSpot has the 1 change it confirmed in this run" in str(failed.value)
    monkeypatch.undo()
    assert store.events["1"] == event("Old")
    assert SnapshotStore(tmp_path, BASE_URL).events["1"] == event("Old")


def test_portals_are_kept_apart(tmp_path):
    SnapshotStore(tmp_path, BASE_URL).merge({"1": event("Real")})
    SnapshotStore(tmp_path, "http://127.0.0.1:8765").merge({"1": event("Sandbox")})
    assert SnapshotStore(tmp_path, BASE_URL).events == {"1": event("Real")}


def test_a_json_snapshot_is_imported_once_and_kept_as_a_backup(tmp_path):
    path = save_snapshot(tmp_path, BASE_URL, {"1": event("One"), "2": event("Two")})
    text = path.read_text()
    planned = SnapshotStore(tmp_path, BASE_URL, read_only=True)  # `plan`: reads, writes nothing
    assert planned.events == {"1": event("One"), "2": event("Two")}
    assert path.exists() and not (tmp_path / DB_NAME).exists()

    store = SnapshotStore(tmp_path, BASE_URL)
    assert store.events == {"1": event("One"), "2": event("Two")}
    assert store.imported == imported_path(path)
    assert not path.exists() and imported_path(path).read_text() == text
    assert set(stored(tmp_path)) == {"1", "2"}
    store.record([RowOutcome.updated("1", "u1", {"eventName": "Newer"})])
    # A copy of the old file put back is not imported again over newer state.
    imported_path(path).replace(path)
    again = SnapshotStore(tmp_path, BASE_URL)
    assert again.events["1"].values["eventName"] == "Newer"
    assert not path.exists()


def test_a_damaged_json_snapshot_names_the_file(tmp_path):
    path = snapshot_path(tmp_path, BASE_URL)
    path.parent.mkdir(parents=True)
    path.write_text('{"events": {"abc": {}}}')
    with pytest.raises(Exception, match="snapshot is damaged") as raised:
        SnapshotStore(tmp_path, BASE_URL)
    assert str(path) in str(raised.value)
    assert not (tmp_path / DB_NAME).exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"this is not a database, just text" * 100, "the state database is damaged"),
        (b"SQLite format 3\x00" + b"\xff" * 4000, "the state database is damaged"),
    ],
    ids=["text", "truncated"],
)
def test_a_damaged_database_is_refused_naming_the_file(tmp_path, content, expected):
    (tmp_path / DB_NAME).write_bytes(content)
    with pytest.raises(StateDatabaseError) as raised:
        SnapshotStore(tmp_path, BASE_URL)
    message = str(raised.value)
    assert message.startswith(f"{tmp_path / DB_NAME}: {expected}")
    assert "restore it from a backup" in message and "\n" not in message


def test_an_unreadable_event_is_refused_naming_the_file_when_the_events_are_wanted(tmp_path):
    SnapshotStore(tmp_path, BASE_URL).merge({"1": event("One"), "2": event("Two")})
    with sqlite3.connect(tmp_path / DB_NAME) as connection:
        connection.execute("UPDATE events SET field_values = '{not json' WHERE object_id = '2'")
    store = SnapshotStore(tmp_path, BASE_URL)  # (the events load meanwhile)
    for _ in range(2):  # asked again, the same refusal: never an empty snapshot
        with pytest.raises(StateDatabaseError) as raised:
            store.events  # noqa: B018
        assert str(raised.value).startswith(f"{tmp_path / DB_NAME}: the state database is damaged")
    store.close()


def test_a_database_of_another_program_is_refused(tmp_path):
    with sqlite3.connect(tmp_path / DB_NAME) as connection:
        connection.execute("CREATE TABLE notes (text)")
    with pytest.raises(StateDatabaseError, match="not an eventsync state database"):
        SnapshotStore(tmp_path, BASE_URL)


def test_a_database_from_a_newer_eventsync_says_to_upgrade(tmp_path):
    SnapshotStore(tmp_path, BASE_URL).merge({"1": event("One")})
    with sqlite3.connect(tmp_path / DB_NAME) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StateDatabaseError, match="written by a newer eventsync") as raised:
        SnapshotStore(tmp_path, BASE_URL)
    assert "install the newer eventsync" in str(raised.value)


def test_a_full_disk_is_an_error_naming_the_database_and_saying_nothing_was_sent(tmp_path):
    """Exit 2 where SQLite meets it; the store says otherwise once HubSpot confirmed a
    batch (tests/cli/test_limits_state.py)."""
    error = sqlite3.OperationalError("database or disk is full")
    error.sqlite_errorcode = 13
    mapped = database_error(tmp_path / DB_NAME, error)
    assert isinstance(mapped, StateDatabaseError) and mapped.exit_code == 2
    assert str(mapped).startswith(f"{tmp_path / DB_NAME}: not written, the disk is full")
    assert str(mapped).endswith("Nothing was sent")


def test_history_records_sends_agreements_and_values_written_into_a_sheet(tmp_path):
    store = SnapshotStore(tmp_path, BASE_URL, now=Ticks())
    sent = PlannedUpdate(3, "1", (FieldChange("eventName", "In HubSpot", "Mine"),))
    store.record(
        [RowOutcome.updated("1", "u1", {"eventName": "Mine"})], sheet="events.xlsx", rows=[sent]
    )
    store.agree([("1", {"eventName": "Mine", "eventType": "WEBINAR"}, "u1")])  # nothing new
    store.agree(
        [("1", {"eventType": "CONFERENCE"}, "u2")],
        sheet="events.xlsx",
        rows={"1": 3},
        into_sheet=True,
    )
    store.merge({"1": SyncedEvent(frozen({"eventName": "Pulled"}), "u3")})
    changes = read_history(tmp_path, BASE_URL, "1")
    assert changes is not None
    assert [(c.kind, c.field, c.before, c.value, c.updated_at) for c in changes] == [
        (ChangeKind.PULLED, "eventName", "Mine", "Pulled", "u3"),
        (ChangeKind.INTO_SHEET, "eventType", "WEBINAR", "CONFERENCE", "u2"),
        # the first agreement on eventType changed nothing anyone had: not a change
        (ChangeKind.SENT, "eventName", "In HubSpot", "Mine", "u1"),
    ]
    assert [(c.sheet, c.row_number) for c in changes] == [
        (None, None),
        ("events.xlsx", 3),
        ("events.xlsx", 3),
    ]
    assert changes[-1].at < changes[0].at
    assert len({c.run for c in changes}) == 1
    assert read_history(tmp_path, BASE_URL, "2") == []
    assert read_history(tmp_path / "none", BASE_URL, "1") is None


def test_the_database_holds_no_token(tmp_path):
    store = SnapshotStore(tmp_path, BASE_URL)
    store.record([RowOutcome.updated("1", "u1", {"eventName": "x"})])
    store.close()
    data = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert b"pat-" not in data and b"Bearer" not in data


def test_open_refuses_a_missing_database(tmp_path):
    with pytest.raises(StateDatabaseError):
        StateDatabase.open(tmp_path / DB_NAME)


def test_a_database_of_the_third_format_gets_the_creates_table_in_place(tmp_path):
    path = tmp_path / DB_NAME
    again = reopened_from_format(tmp_path, 3, BASE_URL)
    assert again.events["101"].values["eventName"] == "A"
    record = CreateRecord("es-0011223344556677", "eventsync", "events.xlsx", 7, {"eventName": "B"})
    again.save_creates([record])
    again.close()
    reopened = SnapshotStore(tmp_path, BASE_URL)
    assert reopened.creates() == {record.external_id: record}
    reopened.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_database_of_the_first_format_is_upgraded_in_place_keeping_its_events(tmp_path):
    path = tmp_path / DB_NAME
    again = reopened_from_format(tmp_path, 1, BASE_URL)
    assert again.events["101"].values["eventName"] == "A"
    again.sending([PlannedUpdate(2, "101", (FieldChange("eventName", "A", "B"),))])
    assert SnapshotStore(tmp_path, BASE_URL).in_flight == {"101": [{"eventName": "B"}]}
    version = sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0]
    assert version == SCHEMA_VERSION
