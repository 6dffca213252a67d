"""Which rows need HubSpot's current values before they may be sent (plan/versions.py),
and which text is a version at all (values.is_version): tables of every case."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from eventsync.model import EventUpdate, SyncedEvent
from eventsync.plan.versions import Unverified, synced_elsewhere, unverifiable
from eventsync.values import is_version

T1, T2 = "2026-04-01T00:00:00Z", "2026-04-02T00:00:00.250Z"


def row(updated_at: str | None, *, unreadable: bool = False) -> EventUpdate:
    values = MappingProxyType({"eventName": "x"})
    return EventUpdate(3, "5823713202", values, updated_at, version_unreadable=unreadable)


def synced(updated_at: str) -> SyncedEvent:
    return SyncedEvent(MappingProxyType({"eventName": "y"}), updated_at)


# (row's version, unreadable cell, the snapshot's version or None) -> why
CASES = [
    (None, False, None, None),  # a new row: nothing was synced from it
    (None, False, T1, None),
    (None, True, None, Unverified.VERSION_UNREADABLE),  # typed over: never a new row
    (None, True, T1, Unverified.VERSION_UNREADABLE),
    (T1, False, None, Unverified.NO_RECORD),  # a lost state
    (T1, False, T1, None),
    (T1, False, T2, None),  # an older copy: flag_stale's case, not this one
    (T2, False, T1, Unverified.SYNCED_ELSEWHERE),  # synced since, from another folder
    ("2026-04-02T09:00:00.250+09:00", False, T2, None),  # the same instant, other spelling
]


@pytest.mark.parametrize(("version", "unreadable", "known", "expected"), CASES)
def test_which_rows_need_hubspot_first(version, unreadable, known, expected):
    found = unverifiable(row(version, unreadable=unreadable), synced(known) if known else None)
    assert found is expected


def test_rows_synced_elsewhere_are_listed_once_in_id_order():
    rows = [row(T2), EventUpdate(4, "5823713201", MappingProxyType({}), T2), row(T1)]
    snapshot = {"5823713202": synced(T1), "5823713201": synced(T1)}
    assert synced_elsewhere(rows, snapshot) == ("5823713201", "5823713202")
    assert synced_elsewhere(rows, {}) == ()


VERSIONS = [
    ("2026-11-30T10:38:41.398Z", True),
    ("2026-11-30T10:38:41Z", True),
    ("2026-11-30t10:38:41z", True),
    ("2026-11-30T19:38:41.123456789+09:00", True),
    ("not-a-date", False),
    ('=HYPERLINK("http://example.invalid")', False),
    ("2026-11-30", False),  # a date is not a version
    ("2026-11-30 10:38:41Z", False),
    ("2026-02-30T10:00:00Z", False),  # no such day
    ("2026-11-30T10:38:41", False),  # no offset: which instant?
    (" 2026-11-30T10:38:41Z", False),
    ("2026-11-30T10:38:41Z\u202e", False),
    ("２０２６-11-30T10:38:41Z", False),  # full-width digits
    ("", False),
    (None, False),
    (1764499121398, False),
]


@pytest.mark.parametrize(("text", "expected"), VERSIONS)
def test_what_is_a_version(text, expected):
    assert is_version(text) is expected
