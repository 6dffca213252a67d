"""The HubSpot account a folder's state belongs to is remembered from the first sync on,
never swapped for a new, empty state because account details failed once, and follows
a rotated key that reaches the same events (issue 21, item 2). End to end through
`eventsync.cli.main` over HTTP against the sandbox."""

from __future__ import annotations

import json
import sqlite3

import pytest
from helpers import TOKEN, edit

from eventsync.state.database import DB_NAME
from eventsync.state.portal import credential_of

ID = "5823713202"  # row 3 of the sample workbook
NEW_TOKEN = "pat-rotated-canary-51d0e7"
ONE_RETRY = {"EVENTSYNC_MAX_RETRIES": "1"}  # the 503 outlasts the retries quickly


def sent_ids(sandbox, since: int = 0) -> list[str]:
    requests = sandbox.batch_update_requests()[since:]
    return [i["objectId"] for r in requests for i in r.body["inputs"]]


def history(workspace, *, token: str = TOKEN) -> list[dict]:
    result = workspace.run("history", ID, "--json", HUBSPOT_ACCESS_TOKEN=token)
    assert result.code == 0, result.out + result.err
    return json.loads(result.out)["changes"]


def portals(workspace) -> list[tuple[str, str]]:
    connection = sqlite3.connect(workspace.root / ".eventsync" / DB_NAME)
    try:
        return connection.execute("SELECT credential, portal FROM portals").fetchall()
    finally:
        connection.close()


def test_right_after_the_first_sync_history_shows_the_change(workspace):
    workspace.sample_workbook()
    assert workspace.run("sync").code == 0

    shown = workspace.run("history", ID)
    assert shown.code == 0, shown.err
    assert "HubSpot account 880001" in shown.out
    assert "no change recorded" not in shown.out and "without a token" not in shown.out
    assert "eventName" in shown.out and "(sent, events.xlsx row 3;" in shown.out
    changes = history(workspace)
    assert {c["field"] for c in changes} >= {"eventName", "eventOrganizer"}
    # Remembered with the first batch, under the key's fingerprint, never the token.
    assert portals(workspace) == [(credential_of(TOKEN), "hubspot-880001")]


def test_a_503_on_account_details_in_the_second_run_makes_no_false_conflict(workspace):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    workspace.sandbox.configure(account_down=True)
    edit(book, {(3, 2): "Renamed in the sheet"})

    result = workspace.run("sync", **ONE_RETRY)
    assert result.code == 0, result.out + result.err
    assert "1 sent, 1 updated" in result.out and "conflict" not in result.out
    assert workspace.sandbox.events[ID]["eventName"] == "Renamed in the sheet"
    names = [c["value"] for c in history(workspace) if c["field"] == "eventName"]
    assert names[0] == "Renamed in the sheet" and len(names) == 2


@pytest.mark.slow
def test_a_new_key_whose_account_details_fail_stops_before_anything_is_sent(workspace):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    database = workspace.root / ".eventsync" / DB_NAME
    workspace.sandbox.configure(token=NEW_TOKEN, account_down=True)
    edit(book, {(3, 2): "Renamed in the sheet"})
    before = len(workspace.sandbox.batch_update_requests())

    stopped = workspace.run("sync", HUBSPOT_ACCESS_TOKEN=NEW_TOKEN, **ONE_RETRY)
    assert stopped.code == 1, stopped.out + stopped.err
    assert "HubSpot did not say which account this token belongs to" in stopped.err
    assert "Nothing was sent" in stopped.err and "503" in stopped.err
    assert len(workspace.sandbox.batch_update_requests()) == before
    assert credential_of(NEW_TOKEN) not in {c for c, _ in portals(workspace)}
    plan = workspace.run("plan", HUBSPOT_ACCESS_TOKEN=NEW_TOKEN, **ONE_RETRY)
    assert plan.code == 1 and "did not say which account" in plan.err

    # HubSpot answers again: the same account, the same state, only the edit goes out.
    workspace.sandbox.configure(account_down=False)
    result = workspace.run("sync", HUBSPOT_ACCESS_TOKEN=NEW_TOKEN)
    assert result.code == 0, result.out + result.err
    assert sent_ids(workspace.sandbox, before) == [ID]
    assert "conflict" not in result.out
    assert database.exists()


def test_the_first_sync_with_account_details_failing_sends_nothing_and_makes_no_state(
    workspace,
):
    workspace.sample_workbook()
    workspace.sandbox.configure(account_down=True)
    stopped = workspace.run("sync", **ONE_RETRY)
    assert stopped.code == 1, stopped.out + stopped.err
    assert "did not say which account" in stopped.err
    assert workspace.sandbox.batch_update_requests() == []
    assert not (workspace.root / ".eventsync" / DB_NAME).exists()
    assert TOKEN not in stopped.out + stopped.err


def test_a_rotated_key_without_the_account_scope_takes_over_its_state_and_history(
    workspace,
):
    workspace.sandbox.configure(account_details=False)  # keyed by the fingerprint
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    assert portals(workspace) == [(credential_of(TOKEN), f"token-{credential_of(TOKEN)[:16]}")]

    # The Service Key is rotated: the old one stops working, the new one reaches the
    # same events.
    workspace.sandbox.configure(token=NEW_TOKEN)
    edit(book, {(3, 2): "Renamed after the rotation"})
    before = len(workspace.sandbox.batch_update_requests())
    plan = workspace.run("plan", HUBSPOT_ACCESS_TOKEN=NEW_TOKEN)
    assert plan.code == 0, plan.out + plan.err
    assert "1 to send, 19 unchanged" in plan.out
    result = workspace.run("sync", HUBSPOT_ACCESS_TOKEN=NEW_TOKEN)
    assert result.code == 0, result.out + result.err
    assert sent_ids(workspace.sandbox, before) == [ID]
    assert "conflict" not in result.out

    names = [c["value"] for c in history(workspace, token=NEW_TOKEN) if c["field"] == "eventName"]
    assert names[0] == "Renamed after the rotation" and len(names) == 2, names
    new_key = f"token-{credential_of(NEW_TOKEN)[:16]}"
    assert {portal for _, portal in portals(workspace)} == {new_key}


def test_a_new_key_of_another_account_does_not_take_over_a_fingerprint_state(
    workspace,
):
    workspace.sandbox.configure(account_details=False)
    workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    old_key = f"token-{credential_of(TOKEN)[:16]}"
    for object_id in list(workspace.sandbox.events):
        workspace.sandbox.delete_event(object_id)  # another account: none of these events
    workspace.sandbox.configure(token=NEW_TOKEN)
    before = len(workspace.sandbox.batch_update_requests())
    result = workspace.run("sync", HUBSPOT_ACCESS_TOKEN=NEW_TOKEN)
    assert result.code == 1, result.out + result.err
    assert sent_ids(workspace.sandbox, before) == []
    assert (credential_of(TOKEN), old_key) in portals(workspace)
    assert old_key not in {p for c, p in portals(workspace) if c == credential_of(NEW_TOKEN)}


def test_history_with_a_key_not_yet_remembered_asks_hubspot_as_sync_does(workspace):
    workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    workspace.sandbox.configure(token=NEW_TOKEN)  # same account, a key never used here
    shown = workspace.run("history", ID, HUBSPOT_ACCESS_TOKEN=NEW_TOKEN)
    assert shown.code == 0, shown.err
    assert "HubSpot account 880001" in shown.out and "(sent, events.xlsx row 3;" in shown.out


def test_a_first_pull_remembers_the_portal_with_its_first_events(workspace):
    pulled = workspace.run("pull", "sheets/pulled.xlsx")
    assert pulled.code == 0, pulled.out + pulled.err
    assert portals(workspace) == [(credential_of(TOKEN), "hubspot-880001")]
    shown = workspace.run("history", ID)
    assert shown.code == 0, shown.err
    assert "HubSpot account 880001" in shown.out  # (a first pull records no change)
