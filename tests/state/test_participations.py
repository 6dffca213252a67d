"""The participants HubSpot confirmed (state format 6): kept per portal, event and email,
read back by the next run, and a database of format 3 upgraded in place to hold them."""

from __future__ import annotations

import sqlite3

from helpers.state_formats import reopened_from_format

from eventsync.state.database import DB_NAME
from eventsync.state.participations import ConfirmedParticipation
from eventsync.state.schema import SCHEMA_VERSION
from eventsync.state.snapshot import SnapshotStore

BASE_URL = "https://api.hubapi.com"


def confirmed(email: str, state: str = "register", object_id: str = "7001"):
    return ConfirmedParticipation(
        object_id,
        email,
        email,
        state,
        1_776_000_000_000,
        None,
        None,
        "100001",
        "2026-12-07T00:00:00Z",
    )


def test_confirmed_participants_are_kept_per_portal_event_and_email(tmp_path):
    store = SnapshotStore(tmp_path, BASE_URL, portal="portal-1")
    store.confirm_participations(
        [confirmed("a@example.com"), confirmed("a@example.com", object_id="7002")]
    )
    store.confirm_participations([confirmed("a@example.com", "attend")])  # replaces, not adds
    store.close()
    again = SnapshotStore(tmp_path, BASE_URL, portal="portal-1")
    found = again.participations()
    assert {key: c.state for key, c in found.items()} == {
        ("7001", "a@example.com"): "attend",
        ("7002", "a@example.com"): "register",
    }
    assert found[("7001", "a@example.com")].contact_id == "100001"
    again.close()
    other = SnapshotStore(tmp_path, BASE_URL, portal="portal-2")
    assert other.participations() == {}
    other.close()


def test_a_store_without_a_database_has_no_participants_and_makes_none(tmp_path):
    store = SnapshotStore(tmp_path, BASE_URL, read_only=True)
    assert store.participations() == {}
    store.close()
    assert not (tmp_path / DB_NAME).exists()


def test_a_database_of_format_3_is_upgraded_to_hold_participants(tmp_path):
    path = tmp_path / DB_NAME
    again = reopened_from_format(tmp_path, 3, BASE_URL)
    assert again.events["101"].values["eventName"] == "A"
    again.confirm_participations([confirmed("b@example.com")])
    assert set(again.participations()) == {("7001", "b@example.com")}
    again.close()
    version = sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0]
    assert version == SCHEMA_VERSION == 6
