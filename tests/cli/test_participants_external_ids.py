"""A participants row may name its event by the externalEventId eventsync gave an event
it created from the events sheet (issue 26): end to end through `eventsync.cli.main`
over real HTTP to the sandbox; what HubSpot received (the attendance path carries the
created objectId) and what the files say."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import TOKEN, Workspace

from eventsync.sandbox.external_ids import created_events
from eventsync.sandbox.participants import participation_states
from eventsync.sandbox.server import Sandbox, make_event

# End to end: each test runs eventsync several times against the sandbox.
pytestmark = pytest.mark.slow

SCOPES = [
    "crm.objects.marketing_events.read",
    "crm.objects.marketing_events.write",
    "crm.objects.contacts.read",
    "oauth",  # (HubSpot names the account: eventsync's externalAccountId eventsync-880001)
]
EVENTS_HEADER = ["objectId", "eventName", "eventOrganizer", "startDateTime", "endDateTime"]
NEW_EVENT = ["", "Kyoto partner day", "Marketing Japan", "2026-09-01 14:00", "2026-09-01 16:00"]
PEOPLE = ["a@example.com", "b@example.com", "c@example.com"]
UNKNOWN_ID = "es-ffffffffffffffff"


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox(
        [make_event("7001")], token=TOKEN, rate_limit=None, scopes=SCOPES, reject_marker="REJECT"
    ) as server:
        from eventsync.sandbox.contacts import add_contacts

        add_contacts(server, *PEOPLE)
        yield server


@pytest.fixture
def space(tmp_path: Path, sb: Sandbox) -> Workspace:
    return Workspace(tmp_path, sb)


def read_back(path: Path) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def attendance(sb: Sandbox) -> list[tuple[str, str, list[str]]]:
    """(objectId, state, emails) of every attendance request HubSpot received, as its
    path (`.../{objectId}/attendance/{state}/email-create`) and body say."""
    found = []
    for r in sb.requests:
        if "/attendance/" in r.path:
            object_id, _, state, _ = r.path.rsplit("/", 4)[1:]
            found.append((object_id, state, [i["email"] for i in r.body["inputs"]]))
    return found


def reads_by_external_id(sb: Sandbox) -> list[tuple[str, str]]:
    return [
        (r.path.rsplit("/", 1)[1], r.query.get("externalAccountId", ""))
        for r in sb.requests
        if r.method == "GET" and "/events/es-" in r.path
    ]


def create_event(space: Workspace) -> tuple[str, str]:
    """The events sheet's new row created by a sync: (objectId, externalEventId)."""
    path = space.csv_sheet("events.csv", [EVENTS_HEADER, NEW_EVENT])
    result = space.run("sync", str(path))
    assert result.code == 0, result.out + result.err
    (row,) = read_back(path)
    assert row["externalEventId"].startswith("es-")
    return row["objectId"], row["externalEventId"]


def test_a_row_naming_a_new_event_by_its_external_id_is_sent_by_the_sync_that_creates_it(space, sb):
    # A first sync gave the new row its external id, and HubSpot refused the create.
    events = space.csv_sheet(
        "events.csv", [EVENTS_HEADER, [NEW_EVENT[0], "REJECT me", *NEW_EVENT[2:]]]
    )
    refused = space.run("sync")
    assert refused.code == 1, refused.out
    assert created_events(sb) == {}
    (row,) = read_back(events)
    external_id = row["externalEventId"]
    assert external_id.startswith("es-") and row["objectId"] == ""
    # The user fixes the row, and lists who registered for it by that id.
    events.write_text(events.read_text("utf-8").replace("REJECT me", NEW_EVENT[1]), "utf-8")
    people = space.csv_sheet(
        "participants.csv",
        [
            ["email", "objectId", "externalEventId", "state"],
            ["a@example.com", "", external_id, "register"],
            ["b@example.com", "", external_id, "register"],
            ["c@example.com", "7001", "", "attend"],
        ],
    )

    plan = space.run("plan")
    assert plan.code == 0, plan.out + plan.err
    assert (
        f"event with externalEventId {external_id} (not created yet): nothing to send" in plan.out
    )
    assert (
        "2 rows to send once the event exists: eventsync sync creates it from the events"
        " sheet, then sends them"
    ) in plan.out
    assert "event 7001: 1 attend to send" in plan.out
    document = json.loads(space.run("plan", "--json").out)
    (sheet,) = document["participants"]
    pending = next(e for e in sheet["events"] if e["objectId"] is None)
    assert pending["externalEventId"] == external_id and pending["held"] == 2
    assert attendance(sb) == [] and created_events(sb) == {}

    result = space.run("sync")
    assert result.code == 0, result.out + result.err
    (made,) = created_events(sb).values()
    object_id = made["objectId"]
    assert made["externalEventId"] == external_id
    assert sorted(attendance(sb)) == sorted(
        [
            ("7001", "attend", ["c@example.com"]),
            (object_id, "register", ["a@example.com", "b@example.com"]),
        ]
    )
    assert set(participation_states(sb, object_id)) == {"a@example.com", "b@example.com"}
    rows = read_back(people)
    assert [r["syncError"] for r in rows] == ["", "", ""]
    assert all(r["contactId"] for r in rows)
    assert read_back(events)[0]["objectId"] == object_id

    # Unchanged: nothing sent, nothing even asked.
    before, saved = sb.request_count, people.read_bytes()
    again = space.run("sync")
    assert again.code == 0, again.out
    assert sb.request_count == before and people.read_bytes() == saved
    # The same event named by its objectId instead: the same participation, unchanged.
    people.write_bytes(saved.replace(f",,{external_id},".encode(), f",{object_id},,".encode()))
    switched = space.run("sync")
    assert switched.code == 0, switched.out
    assert "0 sent, 0 failed, 0 held back, 0 with problems, 3 unchanged" in switched.out
    assert sb.request_count == before


def test_an_external_id_no_event_has_is_the_rows_problem_and_the_other_rows_sync(space, sb):
    people = space.csv_sheet(
        "participants.csv",
        [
            ["email", "objectId", "externalEventId", "state"],
            ["a@example.com", "7001", "", "register"],
            ["b@example.com", "", UNKNOWN_ID, "register"],
            ["c@example.com", "", UNKNOWN_ID, "attend"],
        ],
    )
    result = space.run("sync")
    assert result.code == 1, result.out
    assert attendance(sb) == [("7001", "register", ["a@example.com"])]
    # Asked once for the two rows, with eventsync's externalAccountId for the portal.
    assert reads_by_external_id(sb) == [(UNKNOWN_ID, "eventsync-880001")]
    rows = read_back(people)
    assert rows[0]["syncError"] == "" and rows[0]["contactId"]
    for row in rows[1:]:
        assert row["syncError"].startswith(
            f'no event in HubSpot has externalEventId "{UNKNOWN_ID}": copy the id from the'
            " externalEventId column of the events sheet row that created the event"
        )
    assert "2 with problems" in result.out


def test_with_the_state_lost_an_external_id_is_read_from_hubspot(space, sb):
    object_id, external_id = create_event(space)
    for part in (space.root / ".eventsync").glob("state.sqlite3*"):
        part.unlink()  # the state lost
    people = space.csv_sheet(
        "participants.csv",
        [["email", "externalEventId", "state"], ["a@example.com", external_id, "register"]],
    )
    result = space.run("sync", str(people))
    assert result.code == 0, result.out + result.err
    assert reads_by_external_id(sb) == [(external_id, "eventsync-880001")]
    assert attendance(sb) == [(object_id, "register", ["a@example.com"])]
    assert read_back(people)[0]["syncError"] == ""


def test_a_japanese_sheet_names_the_event_by_its_外部イベントID(space, sb):
    object_id, external_id = create_event(space)
    reads = len(reads_by_external_id(sb))
    people = space.csv_sheet(
        "参加者.csv",
        [["メールアドレス", "外部イベントID", "状態"], ["a@example.com", external_id, "登録"]],
    )
    plan = space.run("plan", str(people))
    assert plan.code == 0, plan.out + plan.err
    assert f"イベント{object_id}（外部イベントID：{external_id}）：登録1件を送信" in plan.out
    result = space.run("sync", str(people))
    assert result.code == 0, result.out + result.err
    assert attendance(sb) == [(object_id, "register", ["a@example.com"])]
    assert len(reads_by_external_id(sb)) == reads  # the state knew it: HubSpot not asked
    (row,) = read_back(people)
    assert row["同期エラー"] == "" and row["コンタクトID"]


def test_a_tools_export_maps_its_own_header_to_externalEventId(space, sb):
    object_id, external_id = create_event(space)
    people = space.csv_sheet(
        "export.csv",
        [["email", "HubSpot event key", "state"], ["b@example.com", external_id, "attend"]],
    )
    mapping = {"EVENTSYNC_PARTICIPANTS_COLUMNS": "externalEventId=HubSpot Event Key"}
    result = space.run("sync", str(people), **mapping)
    assert result.code == 0, result.out + result.err
    assert attendance(sb) == [(object_id, "attend", ["b@example.com"])]


def test_hubspot_out_when_asked_leaves_the_row_unsent_saying_so(space, sb):
    create_event(space)  # (the portal known: the read by external id is the next request)
    people = space.csv_sheet(
        "participants.csv",
        [
            ["email", "objectId", "externalEventId", "state"],
            ["a@example.com", "", UNKNOWN_ID, "register"],
            ["b@example.com", "7001", "", "register"],
        ],
    )
    sb.script_fault(sb.request_count + 1, status=503)
    result = space.run("sync", str(people), EVENTSYNC_MAX_RETRIES="0")
    assert result.code == 1, result.out + result.err
    assert reads_by_external_id(sb) == [(UNKNOWN_ID, "eventsync-880001")]
    assert attendance(sb) == [("7001", "register", ["b@example.com"])]
    first, second = read_back(people)
    assert first["syncError"].startswith(
        f'HubSpot could not be asked which event has externalEventId "{UNKNOWN_ID}" ('
    )
    assert first["syncError"].endswith("): not sent; run eventsync sync again")
    assert second["syncError"] == "", first["syncError"]
