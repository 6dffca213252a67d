"""One workbook synced from two working folders, each with its own .eventsync (issue 21,
item 9): an edit goes to HubSpot once, not once per folder. A row whose updatedAt is
newer than this folder's record of its event was synced from elsewhere since: `plan`
and `sync` say so; with HubSpot read, HubSpot's values at the row's version are its
base; without, the row is held and says why and what to do. End to end through
`eventsync.cli.main` over HTTP against the sandbox."""

from __future__ import annotations

import json

import pytest
from helpers import Workspace, edit, read_rows, sent_inputs

ID = "5823713202"  # row 3 of the sample workbook
NAME = (3, 2)  # its eventName cell


def two_folders(tmp_path, sandbox) -> tuple[Workspace, Workspace]:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    return Workspace(tmp_path / "a", sandbox), Workspace(tmp_path / "b", sandbox)


def shared_book(tmp_path, sandbox):
    """The workbook in folder a's sheets, synced from a and then from b (both agree)."""
    a, b = two_folders(tmp_path, sandbox)
    book = a.sample_workbook()
    assert a.run("sync").code == 0
    first_from_b = b.run("sync", str(book))
    assert first_from_b.code == 0, first_from_b.out + first_from_b.err
    assert "0 sent" in first_from_b.out
    return a, b, book


def sent_ids(sandbox, since: int) -> list[str]:
    return [i["objectId"] for i in sent_inputs(sandbox, since)]


@pytest.mark.slow
def test_an_edit_synced_from_one_folder_is_not_sent_again_from_the_other(tmp_path, sandbox):
    a, b, book = shared_book(tmp_path, sandbox)
    edit(book, {NAME: "Renamed once"})
    before = len(sandbox.batch_update_requests())
    assert a.run("sync").code == 0
    assert sent_ids(sandbox, before) == [ID]

    # Folder b, without reading HubSpot: the row is held, and says why.
    held = b.run("sync", "--no-remote-check", str(book))
    assert held.code == 1, held.out + held.err
    assert sent_ids(sandbox, before) == [ID]  # not sent twice
    message = read_rows(book)[1]["syncError"]
    assert "another working folder (its own .eventsync) syncs this workbook too" in message
    assert "without --no-remote-check" in message

    # plan says it, and sync compares with HubSpot: nothing to send, the state agrees.
    plan = b.run("plan", str(book))
    assert plan.code == 0, plan.out + plan.err
    assert "1 row was last synced from another working folder" in plan.out
    assert f"(objectId {ID})" in plan.out
    as_json = json.loads(b.run("plan", "--json", str(book)).out)
    assert as_json["sheets"][0]["syncedElsewhere"] == [ID]
    synced = b.run("sync", str(book))
    assert synced.code == 0, synced.out + synced.err
    assert "1 row was last synced from another working folder" in synced.out
    assert sent_ids(sandbox, before) == [ID]
    assert not read_rows(book)[1]["syncError"]
    quiet = b.run("sync", str(book))
    assert quiet.code == 0 and "another working folder" not in quiet.out


def test_an_edit_after_the_other_folders_sync_goes_out_once_without_a_conflict(tmp_path, sandbox):
    a, b, book = shared_book(tmp_path, sandbox)
    edit(book, {NAME: "First edit"})
    assert a.run("sync").code == 0
    edit(book, {NAME: "Second edit"})
    before = len(sandbox.batch_update_requests())
    result = b.run("sync", str(book))
    assert result.code == 0, result.out + result.err
    assert "conflict" not in result.out
    assert [i.get("eventName") for i in sent_inputs(sandbox, before)] == ["Second edit"]
    assert sandbox.events[ID]["eventName"] == "Second edit"
    # And back in folder a: nothing is sent again.
    again = a.run("sync")
    assert again.code == 0, again.out + again.err
    assert len(sandbox.batch_update_requests()) == before + 1


def test_a_colleagues_edit_since_the_other_folders_sync_is_a_conflict(tmp_path, sandbox):
    a, b, book = shared_book(tmp_path, sandbox)
    edit(book, {NAME: "First edit"})
    assert a.run("sync").code == 0
    sandbox.edit_event(ID, eventName="Colleague's name")
    edit(book, {NAME: "Second edit"})
    before = len(sandbox.batch_update_requests())
    result = b.run("sync", str(book))
    assert result.code == 1, result.out + result.err
    assert "conflict" in result.out
    assert sent_ids(sandbox, before) == []
    assert sandbox.events[ID]["eventName"] == "Colleague's name"
