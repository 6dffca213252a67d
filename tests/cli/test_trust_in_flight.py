"""Our own write is not a colleague's edit (issue 13, case 7): a batch HubSpot applied
whose answer never came back (the run killed, the connection lost) is remembered as in
flight, so finding exactly those values in HubSpot later is no conflict."""

from __future__ import annotations

from helpers import edit, read_rows, sent_inputs

NAME = 2  # eventName's column in the sample workbook


def test_an_applied_batch_whose_answer_was_lost_is_not_a_conflict_next_time(workspace):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    edit(book, {(3, NAME): "First rename"})
    # HubSpot applies the batch; the answer is lost, and no retry is allowed.
    sandbox = workspace.sandbox
    sandbox.script_fault(sandbox.request_count + 2, lose_answer=True)  # after the check's read
    lost = workspace.run("sync", EVENTSYNC_MAX_RETRIES="0")
    assert lost.code == 1
    assert sandbox.events["5823713202"]["eventName"] == "First rename"  # HubSpot has it
    # The user renames it again before the next sync.
    edit(book, {(3, NAME): "Second rename"})
    before = len(sandbox.batch_update_requests())
    again = workspace.run("sync")
    assert again.code == 0, again.out + again.err
    assert "conflict" not in again.out
    assert sent_inputs(sandbox, before) == [
        {"objectId": "5823713202", "eventName": "Second rename"}
    ]
    assert read_rows(book)[1]["syncError"] is None


def test_a_colleagues_edit_after_a_lost_answer_is_still_a_conflict(workspace):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    edit(book, {(3, NAME): "First rename"})
    sandbox = workspace.sandbox
    sandbox.script_fault(sandbox.request_count + 2, lose_answer=True)
    assert workspace.run("sync", EVENTSYNC_MAX_RETRIES="0").code == 1
    sandbox.edit_event("5823713202", eventName="A colleague's name")
    edit(book, {(3, NAME): "Second rename"})
    before = len(sandbox.batch_update_requests())
    again = workspace.run("sync")
    assert again.code == 1
    assert "conflict" in read_rows(book)[1]["syncError"]
    assert sent_inputs(sandbox, before) == []
    assert sandbox.events["5823713202"]["eventName"] == "A colleague's name"
