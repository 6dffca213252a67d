"""New rows become HubSpot events exactly once (issue 25), end to end through the CLI
against the sandbox over real HTTP: what HubSpot ends up holding (`created_events`),
what the rows say, and what a second run sends (nothing)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from helpers import TOKEN, Workspace, edit, read_rows

from eventsync.sandbox.external_ids import created_events, lose_answers
from eventsync.sandbox.sample import sample_events, sample_rows
from eventsync.sandbox.server import Sandbox

# End to end: each test runs eventsync several times against the sandbox (make test-fast skips them).
pytestmark = pytest.mark.slow

NEW_NAMES = ("Kyoto partner day", "Sendai user meetup", "Kobe product webinar")
ID_COLUMN = 1


def new_row(n: int, name: str | None = None, organizer: str | None = "Marketing Japan") -> list:
    start = datetime(2026, 9, 1 + n, 14, 0)
    return [
        None,
        name or NEW_NAMES[n],
        "Webinar",
        organizer,
        "A new event typed into the sheet.",
        None,
        False,
        start,
        start.replace(hour=16),
        "APAC",
    ]


def twenty_rows() -> list[list]:
    """17 events HubSpot has, and 3 new rows among them (rows 6, 12 and 21)."""
    rows = sample_rows(17)
    rows.insert(4, new_row(0))
    rows.insert(10, new_row(1))
    rows.append(new_row(2))
    return rows


@pytest.fixture
def sandbox():
    with Sandbox(events=sample_events(17), token=TOKEN, custom_properties=["region"]) as server:
        yield server


def upserts(sandbox: Sandbox) -> list:
    return [r for r in sandbox.requests if r.path.endswith("/events/upsert")]


def new_rows_of(book: Path) -> list[dict]:
    return [row for row in read_rows(book) if row["eventName"] in NEW_NAMES]


def assert_rows_name_the_created_events(sandbox: Sandbox, rows: list[dict]) -> None:
    made = created_events(sandbox)
    assert len(made) == 3
    by_name = {event["eventName"]: event for event in made.values()}
    assert set(by_name) == set(NEW_NAMES)
    for row in rows:
        event = by_name[row["eventName"]]
        assert str(row["objectId"]) == event["objectId"]
        assert row["updatedAt"] == event["updatedAt"]
        assert row["syncError"] is None
        assert row["externalEventId"] == event["externalEventId"]
        assert row["externalEventId"].startswith("es-")


def test_three_new_rows_among_twenty_become_three_events_and_a_second_sync_sends_nothing(
    workspace,
):
    sandbox = workspace.sandbox
    book = workspace.sample_workbook(rows=twenty_rows())

    plan = workspace.run("plan")
    assert plan.code == 0, plan.err
    assert "row 6: a new event, created in HubSpot (externalEventId given at sync):" in plan.out
    assert '      eventName: "Kyoto partner day"' in plan.out
    assert "3 new events to create in HubSpot" in plan.out
    assert created_events(sandbox) == {} and upserts(sandbox) == []

    result = workspace.run("sync")
    assert result.code == 0, result.out + result.err
    assert "created 3 events in HubSpot; their ids are in the objectId column" in result.out
    assert_rows_name_the_created_events(sandbox, new_rows_of(book))
    [upsert] = upserts(sandbox)
    inputs = upsert.body["inputs"]
    assert {i["externalAccountId"] for i in inputs} == {"eventsync-880001"}
    assert inputs[0]["customProperties"] == [{"name": "region", "value": "APAC"}]
    assert inputs[0]["startDateTime"] == "2026-09-01T05:00:00Z"  # Tokyo 14:00
    event = next(e for e in created_events(sandbox).values() if e["eventName"] == NEW_NAMES[0])
    assert event["eventOrganizer"] == "Marketing Japan"
    assert event["customProperties"] == [{"name": "region", "value": "APAC"}]
    header = next(iter(read_rows(book)[0]))
    assert header == "objectId"  # the columns the user had stay where they were

    before, saved = sandbox.request_count, book.read_bytes()
    again = workspace.run("sync")
    assert again.code == 0, again.out
    assert "20 unchanged, 0 sent" in again.out
    assert sandbox.request_count == before  # nothing sent, nothing even asked
    assert book.read_bytes() == saved

    made = new_rows_of(book)[0]
    history = workspace.run("history", str(made["objectId"]))
    assert history.code == 0, history.err
    assert 'eventName: (never synced) -> "Kyoto partner day"  (created, events.xlsx row 6;' in (
        history.out
    )


def test_a_created_rows_later_edit_is_an_ordinary_update_by_object_id(workspace):
    sandbox = workspace.sandbox
    book = workspace.sample_workbook(rows=twenty_rows())
    assert workspace.run("sync").code == 0
    row = next(r for r in new_rows_of(book) if r["eventName"] == NEW_NAMES[0])
    edit(book, {(6, 2): "Kyoto partner day (full)"})
    result = workspace.run("sync", "--two-way")
    assert result.code == 0, result.out
    [update] = sandbox.batch_update_requests()[1:]
    assert update.body["inputs"] == [
        {"objectId": str(row["objectId"]), "eventName": "Kyoto partner day (full)"}
    ]
    assert len(upserts(sandbox)) == 1 and len(created_events(sandbox)) == 3
    assert sandbox.events[str(row["objectId"])]["eventName"] == "Kyoto partner day (full)"


def upsert_number(tmp_path: Path, **env: str) -> int:
    """Which request of a first sync of `twenty_rows()` is the upsert (1-based): the run
    is the same request for request in a sandbox of its own, so faults can be scripted
    around it."""
    with Sandbox(events=sample_events(17), token=TOKEN, custom_properties=["region"]) as scratch:
        folder = tmp_path / "scratch"
        folder.mkdir()
        workspace = Workspace(folder, scratch)
        workspace.sample_workbook(rows=twenty_rows())
        assert workspace.run("sync", **env).code == 0
        return next(
            n for n, r in enumerate(scratch.requests, 1) if r.path.endswith("/events/upsert")
        )


@pytest.mark.parametrize("kind", ["drop", "status", "timeout"])
def test_an_answer_lost_after_hubspot_created_them_is_read_back_never_sent_again(workspace, kind):
    sandbox = workspace.sandbox
    book = workspace.sample_workbook(rows=twenty_rows())
    lose_answers(sandbox, kind, delay_s=3)
    first = workspace.run("sync", EVENTSYNC_MAX_RETRIES="0", EVENTSYNC_TIMEOUT_S="1")
    assert first.code == 0, first.out
    assert len(upserts(sandbox)) == 1  # not sent again: read back by its external ids
    reads = [r for r in sandbox.requests if r.method == "GET" and "/events/es-" in r.path]
    assert len(reads) == 3 and {r.query["externalAccountId"] for r in reads} == {"eventsync-880001"}
    assert_rows_name_the_created_events(sandbox, new_rows_of(book))
    before = sandbox.request_count
    assert workspace.run("sync").code == 0
    assert sandbox.request_count == before and len(created_events(sandbox)) == 3


def sync_leaving_creates_in_flight(tmp_path: Path, workspace: Workspace) -> Path:
    """A first sync whose upsert HubSpot applies and whose answer is lost, with HubSpot
    out for the reads back too: the three creates stay in flight."""
    quick = {"EVENTSYNC_MAX_RETRIES": "0"}
    n = upsert_number(tmp_path, **quick)
    book = workspace.sample_workbook(rows=twenty_rows())
    workspace.sandbox.script_fault(n, lose_answer=True)  # made, and the connection dropped
    for read_back in range(n + 1, n + 4):
        workspace.sandbox.script_fault(read_back, status=503)
    first = workspace.run("sync", **quick)
    assert first.code == 1, first.out
    return book


def test_a_create_in_flight_is_looked_up_by_the_next_run_and_its_id_taken(tmp_path, workspace):
    sandbox = workspace.sandbox
    book = sync_leaving_creates_in_flight(tmp_path, workspace)
    assert len(created_events(sandbox)) == 3
    for row in new_rows_of(book):
        assert row["objectId"] is None and row["externalEventId"].startswith("es-")
        assert "its answer did not say whether the event was created" in row["syncError"]

    plan = workspace.run("plan")
    assert plan.code == 0, plan.err
    assert plan.out.count("HubSpot has this event already") == 3
    second = workspace.run("sync")
    assert second.code == 0, second.out
    assert "3 new rows HubSpot had created already" in second.out
    assert len(upserts(sandbox)) == 1  # never sent again
    assert_rows_name_the_created_events(sandbox, new_rows_of(book))
    before = sandbox.request_count
    assert workspace.run("sync").code == 0
    assert sandbox.request_count == before


def test_a_lost_answer_retried_in_the_same_run_updates_the_events_it_made(workspace):
    sandbox = workspace.sandbox
    book = workspace.sample_workbook(rows=twenty_rows())
    lose_answers(sandbox, "drop")
    result = workspace.run("sync")
    assert result.code == 0, result.out
    assert len(upserts(sandbox)) == 2  # the same upsert again: the same external ids
    assert_rows_name_the_created_events(sandbox, new_rows_of(book))


def test_a_create_hubspot_does_not_show_is_held_for_the_window_then_sent_again(tmp_path, workspace):
    sandbox = workspace.sandbox
    quick = {"EVENTSYNC_MAX_RETRIES": "0"}
    n = upsert_number(tmp_path, **quick)
    book = workspace.sample_workbook(rows=twenty_rows())
    sandbox.script_fault(n, status=503)  # answered 503, nothing made
    assert workspace.run("sync", **quick).code == 1
    assert created_events(sandbox) == {}

    plan = workspace.run("plan")
    assert "row 12: checking whether HubSpot created it: not found yet" in plan.out
    assert upserts(sandbox)[1:] == []
    held = workspace.run("sync")
    assert held.code == 1
    assert len(upserts(sandbox)) == 1 and created_events(sandbox) == {}
    row = new_rows_of(book)[1]
    assert row["objectId"] is None
    assert row["syncError"].startswith("checking whether HubSpot created it")

    resent = workspace.run("sync", EVENTSYNC_CREATE_CHECK_MINUTES="0")
    assert resent.code == 0, resent.out
    assert "created 3 events in HubSpot" in resent.out
    [again] = upserts(sandbox)[1:]
    ids = {r["externalEventId"] for r in new_rows_of(book)}
    assert {i["externalEventId"] for i in again.body["inputs"]} == ids  # the same ids
    assert_rows_name_the_created_events(sandbox, new_rows_of(book))


def test_a_created_row_copied_below_itself_is_flagged_and_makes_no_second_event(workspace):
    sandbox = workspace.sandbox
    book = workspace.sample_workbook(rows=twenty_rows())
    assert workspace.run("sync").code == 0
    original = read_rows(book)[4]  # row 6
    copy = {(22, n): v for n, v in enumerate(original.values(), 1) if n <= 13}
    edit(book, copy)
    result = workspace.run("sync")
    assert result.code == 1
    assert len(created_events(sandbox)) == 3 and len(upserts(sandbox)) == 1
    rows = read_rows(book)
    assert "is also on row 22" in rows[4]["syncError"]
    assert "is also on row 6" in rows[20]["syncError"]


def test_a_row_copied_while_its_create_is_in_flight_is_flagged_and_never_created_twice(
    tmp_path, workspace
):
    sandbox = workspace.sandbox
    book = sync_leaving_creates_in_flight(tmp_path, workspace)
    original = read_rows(book)[4]  # row 6: its external id, no objectId yet
    edit(book, {(22, n): v for n, v in enumerate(original.values(), 1) if v is not None})
    result = workspace.run("sync")
    assert result.code == 1
    rows = read_rows(book)
    assert "the same id is also on row 22 (a copied row)" in rows[4]["syncError"]
    assert "the same id is also on row 6 (a copied row)" in rows[20]["syncError"]
    assert len(created_events(sandbox)) == 3 and len(upserts(sandbox)) == 1


def test_a_new_row_without_a_field_a_create_needs_says_which_and_sends_nothing(workspace):
    sandbox = workspace.sandbox
    rows = [*sample_rows(17), new_row(0, organizer=None)]
    book = workspace.sample_workbook(rows=rows)
    result = workspace.run("sync")
    assert result.code == 1
    [row] = new_rows_of(book)
    assert row["syncError"].startswith("eventOrganizer: empty; a new event needs it")
    assert created_events(sandbox) == {} and upserts(sandbox) == []


def test_a_pasted_external_id_nobody_knows_is_refused_with_what_to_do(workspace):
    sandbox = workspace.sandbox
    book = workspace.sample_workbook(rows=twenty_rows())
    assert workspace.run("sync").code == 0
    edit(book, {(22, 2): "Pasted from another file", (22, 4): "Marketing Japan",
                (22, 13): "es-0123456789abcdef"})  # fmt: skip
    result = workspace.run("sync")
    assert result.code == 1
    row = read_rows(book)[20]
    assert row["objectId"] is None
    assert row["syncError"].startswith("externalEventId: an id eventsync did not give")
    assert "clear the cell" in row["syncError"]
    assert len(created_events(sandbox)) == 3


def test_a_workbook_open_in_excel_sends_no_create_but_the_updates_go(workspace):
    sandbox = workspace.sandbox
    book = workspace.sample_workbook(rows=twenty_rows())
    lock = workspace.sheets / "~$events.xlsx"
    lock.write_bytes(b"\x00" * 165)  # Excel's lock file: the workbook is open
    result = workspace.run("sync")
    assert result.code == 1
    assert created_events(sandbox) == {} and upserts(sandbox) == []
    [update] = sandbox.batch_update_requests()
    assert len(update.body["inputs"]) == 17
    assert "not created: its external id could not be written into events.xlsx" in result.out
    lock.unlink()  # Excel closed
    assert workspace.run("sync").code == 0
    assert_rows_name_the_created_events(sandbox, new_rows_of(book))


def test_new_rows_of_a_csv_are_created_once(workspace):
    sandbox = workspace.sandbox
    header = ["objectId", "eventName", "eventOrganizer", "startDateTime", "endDateTime"]
    rows = [header, [5823713201, "Spring Product Update 01", "Marketing Japan", "2026-04-06 10:00",
            "2026-04-06 12:00"]]  # fmt: skip
    rows += [["", name, "Marketing Japan", f"2026-09-0{n + 1} 14:00", ""]
             for n, name in enumerate(NEW_NAMES)]  # fmt: skip
    path = workspace.csv_sheet("events.csv", rows)
    result = workspace.run("sync")
    assert result.code == 0, result.out
    text = path.read_text(encoding="utf-8")
    made = created_events(sandbox)
    assert len(made) == 3
    assert text.splitlines()[0].endswith(",updatedAt,syncError,externalEventId") or (
        "externalEventId" in text.splitlines()[0]
    )
    for event in made.values():
        assert event["objectId"] in text and event["externalEventId"] in text
    before = sandbox.request_count
    again = workspace.run("sync")
    assert again.code == 0 and "4 unchanged, 0 sent" in again.out
    assert sandbox.request_count == before


def test_plan_json_lists_the_creates_with_their_fields(workspace):
    workspace.sample_workbook(rows=twenty_rows())
    document = json.loads(workspace.run("plan", "--json").out)
    [sheet] = document["sheets"]
    creates = sheet["creates"]
    assert [c["row"] for c in creates] == [6, 12, 21]
    assert {c["status"] for c in creates} == {"would create"}
    assert creates[0]["fields"]["eventName"] == "Kyoto partner day"


def test_a_japanese_sheet_gets_the_external_id_column_in_japanese(tmp_path, sandbox):
    workspace = Workspace(tmp_path, sandbox)
    from eventsync.sheets.template import build_workbook

    book = workspace.sheets / "events.xlsx"
    build_workbook(twenty_rows(), custom=("region",), lang="ja").save(book)
    plan = workspace.run("plan")
    assert (
        "6行目：新しいイベント。HubSpotに作成します（外部イベントIDは同期時に付けます）："
        in plan.out
    )
    assert "HubSpotに作成する新しいイベント：3件" in plan.out
    result = workspace.run("sync")
    assert result.code == 0, result.out
    assert "HubSpotに3件のイベントを作成しました。IDは「イベントID」列にあります" in result.out
    rows = read_rows(book, sheet=_first_sheet(book))
    assert "外部イベントID" in rows[0]
    assert len(created_events(sandbox)) == 3


def _first_sheet(book: Path) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(book, read_only=True)
    try:
        return workbook.sheetnames[0]
    finally:
        workbook.close()


@pytest.mark.slow
def test_a_sync_killed_while_hubspot_holds_the_upsert_answer_makes_no_second_event(workspace):
    sandbox = workspace.sandbox
    book = workspace.sample_workbook(rows=twenty_rows())
    lose_answers(sandbox, "timeout", delay_s=120)  # made, and the answer held back
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVENTSYNC_", "HUBSPOT_"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "eventsync", "sync"],
        cwd=workspace.root,
        env={**env, **workspace.env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while len(created_events(sandbox)) < 3:
            assert process.poll() is None, "the sync ended before its upsert was made"
            assert time.monotonic() < deadline, "the upsert never arrived"
            time.sleep(0.05)
    finally:
        process.kill()  # kill -9 (TerminateProcess on Windows) while it waits for the answer
        process.wait()
    for row in new_rows_of(book):  # written ahead, before the upsert went out
        assert row["objectId"] is None and row["externalEventId"].startswith("es-")

    result = workspace.run("sync")
    assert result.code == 0, result.out + result.err
    assert "3 new rows HubSpot had created already" in result.out
    assert len(upserts(sandbox)) == 1
    assert_rows_name_the_created_events(sandbox, new_rows_of(book))


def test_two_way_add_new_never_appends_an_event_whose_create_is_in_flight(tmp_path, workspace):
    sandbox = workspace.sandbox
    book = sync_leaving_creates_in_flight(tmp_path, workspace)
    result = workspace.run("sync", "--two-way", "--add-new")
    assert result.code == 0, result.out
    assert "3 new rows HubSpot had created already" in result.out
    assert len(read_rows(book)) == 20  # no row appended for them
    assert_rows_name_the_created_events(sandbox, new_rows_of(book))
    assert len(upserts(sandbox)) == 1


def test_pull_writes_the_external_ids_of_the_events_eventsync_created(workspace):
    sandbox = workspace.sandbox
    book = workspace.sample_workbook(rows=twenty_rows())
    assert workspace.run("sync").code == 0
    created = {str(r["objectId"]): r["externalEventId"] for r in new_rows_of(book)}
    book.unlink()  # the workbook lost: pulled again from HubSpot
    result = workspace.run("pull", "sheets/events.xlsx")
    assert result.code == 0, result.err
    rows = read_rows(book)
    assert len(rows) == 20
    assert {str(r["objectId"]): r["externalEventId"] for r in rows if r["externalEventId"]} == (
        created
    )
    before = sandbox.request_count
    again = workspace.run("sync")
    assert again.code == 0, again.out
    assert "20 unchanged, 0 sent" in again.out and not upserts(sandbox)[1:]
    assert sandbox.request_count == before


def test_a_row_with_its_external_id_and_no_state_takes_its_event_back_sending_nothing(workspace):
    sandbox = workspace.sandbox
    book = workspace.sample_workbook(rows=twenty_rows())
    assert workspace.run("sync").code == 0
    before = new_rows_of(book)
    for part in (workspace.root / ".eventsync").glob("state.sqlite3*"):
        part.unlink()  # the state lost
    edit(book, {(6, ID_COLUMN): None})  # and the row's objectId cleared by mistake
    result = workspace.run("sync")
    assert result.code == 0, result.out
    assert "1 new row HubSpot had created already" in result.out
    assert len(upserts(sandbox)) == 1 and len(created_events(sandbox)) == 3
    assert new_rows_of(book)[0]["objectId"] == before[0]["objectId"]


def test_once_hubspot_stops_a_run_no_more_external_ids_are_asked(workspace):
    """Rows pasted with external ids nobody recorded are asked of HubSpot one by one;
    once HubSpot stops the run (its daily limit), the rest are held saying why, never
    asked one after the other into the same refusal."""
    sandbox = workspace.sandbox
    book = workspace.sample_workbook(rows=twenty_rows())
    assert workspace.run("sync").code == 0
    edit(book, {(22, 2): "Pasted one", (22, 4): "Marketing Japan",
                (22, 13): "es-0123456789abcdef",
                (23, 2): "Pasted two", (23, 4): "Marketing Japan",
                (23, 13): "es-fedcba9876543210"})  # fmt: skip
    sandbox.configure(daily_limit=sandbox.request_count)  # the next request is refused
    before = sandbox.request_count
    result = workspace.run("plan")
    assert result.code == 1, result.out + result.err
    asked = [r for r in sandbox.requests[before:] if "/events/es-" in r.path]
    assert len(asked) == 1
    assert result.out.count("daily API limit") >= 1
