"""Two-way sync of participants sheets (issue 26, item 5), end to end through
`eventsync.cli.main` over real HTTP to the sandbox: after a first sync, HubSpot changes
contacts' states (another app records attendance; the sandbox's clock passes an event's
end, so HubSpot marks a registration a no-show) and the user edits rows; `plan --two-way`
says what would happen and writes nothing; `sync --two-way` writes HubSpot's state into
the rows HubSpot alone changed, HubSpot's own state into the read-only column, sends only
the rows the user alone changed, and marks a conflict; a second run sends and writes
nothing. A CSV in English and a workbook in Japanese."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
import requests
import xlsxwriter
from helpers import TOKEN, Workspace
from helpers.refusals import MISSING_READ_SCOPE

from eventsync.sandbox.contacts import add_contacts
from eventsync.sandbox.participants import participation_states, set_clock
from eventsync.sandbox.server import Sandbox, make_event
from eventsync.state.database import DB_NAME

pytestmark = pytest.mark.slow  # end to end against the sandbox

SCOPES = [
    "crm.objects.marketing_events.read",
    "crm.objects.marketing_events.write",
    "crm.objects.contacts.read",
]
BEFORE = datetime(2026, 4, 1, tzinfo=UTC)
AFTER = datetime(2026, 4, 7, tzinfo=UTC)  # 7001 is over; 7002 is not
EMAILS = ("a", "b", "c", "d", "e", "x")
CONFLICT = (
    "conflict: this row's state was changed to attend, and HubSpot's to cancel (cancelled),"
    " since the last sync; to keep HubSpot's, type cancel into the state cell; to send"
    " yours, run eventsync sync (without --two-way)"
)


def events() -> list[dict]:
    start = "2026-04-06T01:00:00Z"
    return [
        make_event("7001", startDateTime=start, endDateTime="2026-04-06T03:00:00Z"),
        make_event("7002", startDateTime=start, endDateTime="2026-05-06T03:00:00Z"),
    ]


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox(events(), token=TOKEN, rate_limit=None, scopes=SCOPES) as server:
        add_contacts(server, *(f"{name}@example.com" for name in EMAILS))
        set_clock(server, BEFORE)
        yield server


def record(sb: Sandbox, event: str, verb: str, *names: str) -> None:
    """Another app records attendance in HubSpot (its attendance API, by email)."""
    inputs = [
        {
            "email": f"{n}@example.com",
            "interactionDateTime": 1_775_000_000_000,
            "properties": {},
            "contactProperties": {},
        }
        for n in names
    ]
    url = f"{sb.url}/marketing/v3/marketing-events/{event}/attendance/{verb}/email-create"
    answer = requests.post(
        url, json={"inputs": inputs}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert answer.status_code == 200, answer.text


def attendance(sb: Sandbox, since: int) -> list[tuple[str, list[str]]]:
    """Each attendance request since `since`: its path's event and state, and its emails."""
    return [
        (" ".join(r.path.split("/")[-4:-1:2]), [i["email"] for i in r.body["inputs"]])
        for r in sb.requests[since:]
        if "/attendance/" in r.path
    ]


def breakdowns(sb: Sandbox, since: int) -> list[str]:
    return [r.path.split("/")[-2] for r in sb.requests[since:] if r.path.endswith("/breakdown")]


def write_csv(path: Path, rows: list[list[str]]) -> None:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    path.write_bytes(text.getvalue().encode("utf-8"))


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"))))


def state_of(root: Path) -> dict[tuple[str, str], str]:
    with closing(sqlite3.connect(root / ".eventsync" / DB_NAME)) as db:
        rows = db.execute("SELECT object_id, email_key, state FROM participations").fetchall()
    return {(str(o), str(e)): str(s) for o, e, s in rows}


def hubspot_changes(sb: Sandbox) -> None:
    """Since the first sync, in HubSpot: b attended 7001, c and e cancelled 7002, x
    registered for 7002 (not in the sheet); then 7001 ends: a, registered, is a no-show."""
    record(sb, "7001", "attend", "b")
    record(sb, "7002", "cancel", "c", "e")
    record(sb, "7002", "register", "x")
    set_clock(sb, AFTER)


def test_a_csv_participants_sheet_under_two_way_sync(tmp_path, sb):
    space = Workspace(tmp_path, sb)
    path = space.sheets / "people.csv"
    header = ["email", "objectId", "state", "attendanceState", "memo"]
    rows = [
        ["a@example.com", "7001", "register", "", "VIP"],
        ["b@example.com", "7001", "register", "", ""],
        ["c@example.com", "7002", "register", "", ""],
        ["d@example.com", "7002", "register", "", ""],
        ["e@example.com", "7002", "register", "", ""],
    ]
    write_csv(path, [header, *rows])
    first = space.run("sync")
    assert first.code == 0, first.out + first.err
    # Without --two-way: no breakdown is read, the read-only column is left as it is.
    assert breakdowns(sb, 0) == []
    assert [row[3] for row in read_csv(path)[1:]] == [""] * 5

    hubspot_changes(sb)
    # The user, meanwhile: c now attends, d and e cancel.
    rows[2][2], rows[3][2], rows[4][2] = "attend", "cancel", "cancel"
    edited = read_csv(path)
    for number, state in ((3, "attend"), (4, "cancel"), (5, "cancel")):
        edited[number][2] = state
    write_csv(path, edited)
    before = path.read_bytes()

    since = len(sb.requests)
    plan = space.run("plan", "--two-way")
    assert plan.code == 1, plan.out + plan.err  # a conflict
    assert "event 7002: 1 cancel to send" in plan.out
    assert "from HubSpot: 1 row takes HubSpot's state into the sheet" in plan.out
    assert "1 row already as HubSpot has it: recorded, not sent" in plan.out
    assert "1 conflict with HubSpot: not sent" in plan.out
    assert (
        "HubSpot has 1 more contact in these events, not in the sheet: not added"
        " (eventsync pull --participants gives the full list)"
    ) in plan.out
    assert f"row 4: {CONFLICT}" in plan.out
    assert sorted(breakdowns(sb, since)) == ["7001", "7002"]
    assert attendance(sb, since) == []
    assert path.read_bytes() == before  # plan writes nothing
    planned = json.loads(space.run("plan", "--two-way", "--json").out)
    (sheet,) = planned["participants"]
    assert sheet["twoWay"] == {"fromHubSpot": 1, "agreed": 1, "conflicts": 1, "notInSheet": 1}
    assert [p["code"] for p in sheet["problems"]] == ["conflict"]

    since = len(sb.requests)
    sync = space.run("sync", "--two-way")
    assert sync.code == 1, sync.out + sync.err
    assert "1 row took HubSpot's state" in sync.out
    # One read of each event's breakdown; only d's cancel is sent (c's is a conflict).
    assert sorted(breakdowns(sb, since)) == ["7001", "7002"]
    assert attendance(sb, since) == [("7002 cancel", ["d@example.com"])]
    back = read_csv(path)
    assert back[0] == [*header, "syncError", "contactId", "sentAt"]
    assert [row[:5] for row in back[1:]] == [
        ["a@example.com", "7001", "register", "no-show", "VIP"],  # HubSpot's no-show
        ["b@example.com", "7001", "attend", "attended", ""],  # HubSpot's state taken
        ["c@example.com", "7002", "attend", "cancelled", ""],  # the conflict: as typed
        ["d@example.com", "7002", "cancel", "cancelled", ""],  # sent
        ["e@example.com", "7002", "cancel", "cancelled", ""],  # both: agreed
    ]
    assert [row[5] for row in back[1:]] == ["", "", CONFLICT, "", ""]
    assert all(row[6].isdigit() for row in back[1:])
    assert participation_states(sb, "7002")["c@example.com"] == "CANCELLED"  # not sent
    assert state_of(tmp_path) == {
        ("7001", "a@example.com"): "register",
        ("7001", "b@example.com"): "attend",
        ("7002", "c@example.com"): "register",  # the conflict: the base stays
        ("7002", "d@example.com"): "cancel",
        ("7002", "e@example.com"): "cancel",
    }

    # Again: nothing sent, nothing written (the conflict stands until the user says).
    written = path.read_bytes()
    since = len(sb.requests)
    again = space.run("sync", "--two-way")
    assert again.code == 1, again.out + again.err
    assert attendance(sb, since) == [] and path.read_bytes() == written

    # The user keeps HubSpot's: typed into the cell, recorded, nothing sent, exit 0.
    kept = read_csv(path)
    kept[3][2] = "cancel"
    write_csv(path, kept)
    since = len(sb.requests)
    resolved = space.run("sync", "--two-way")
    assert resolved.code == 0, resolved.out + resolved.err
    assert attendance(sb, since) == []
    assert read_csv(path)[3][5] == ""  # the conflict's message cleared
    assert state_of(tmp_path)[("7002", "c@example.com")] == "cancel"


def test_without_the_column_the_state_still_comes_in_and_no_column_is_added(tmp_path, sb):
    space = Workspace(tmp_path, sb)
    path = space.sheets / "people.csv"
    write_csv(path, [["email", "objectId", "state"], ["b@example.com", "7001", "register"]])
    assert space.run("sync").code == 0
    hubspot_changes(sb)
    result = space.run("sync", "--two-way")
    assert result.code == 0, result.out + result.err
    back = read_csv(path)
    assert back[0] == ["email", "objectId", "state", "syncError", "contactId", "sentAt"]
    assert back[1][:4] == ["b@example.com", "7001", "attend", ""]


def japanese_book(path: Path) -> None:
    wb = xlsxwriter.Workbook(path)
    sheet = wb.add_worksheet("参加者")
    sheet.write_row(0, 0, ["メールアドレス", "イベントID", "状態", "出欠", "メモ"])
    for row, (name, event) in enumerate([("a", 7001), ("b", 7001), ("c", 7002)], start=1):
        sheet.write_string(row, 0, f"{name}@example.com")
        sheet.write_number(row, 1, event)
        sheet.write_string(row, 2, "登録")
        sheet.write_string(row, 4, f"メモ{row}")
    wb.close()


def rows_of(path: Path) -> list[list[object]]:
    workbook = openpyxl.load_workbook(path)
    return [list(row) for row in workbook["参加者"].iter_rows(values_only=True)]


def test_a_japanese_participants_workbook_under_two_way_sync(tmp_path, sb):
    space = Workspace(tmp_path, sb)
    book = space.sheets / "参加者.xlsx"
    japanese_book(book)
    first = space.run("sync")
    assert first.code == 0, first.out + first.err
    hubspot_changes(sb)  # b attends 7001; c cancels 7002; a is a no-show; e, x: not here

    since = len(sb.requests)
    result = space.run("sync", "--two-way")
    assert result.code == 0, result.out + result.err
    assert "HubSpotから：2行の状態をHubSpotの状態に書き換えました" in result.out
    assert "シートにないコンタクトがHubSpotにさらに2件あります" in result.out
    assert attendance(sb, since) == []
    people = rows_of(book)
    assert people[0][:5] == ["メールアドレス", "イベントID", "状態", "出欠", "メモ"]
    assert [row[:5] for row in people[1:]] == [
        ["a@example.com", 7001, "登録", "欠席", "メモ1"],
        ["b@example.com", 7001, "出席", "出席", "メモ2"],
        ["c@example.com", 7002, "キャンセル", "キャンセル", "メモ3"],
    ]
    assert [row[5] for row in people[1:]] == [None, None, None]  # 同期エラー: none

    written = book.read_bytes()
    since = len(sb.requests)
    again = space.run("sync", "--two-way")
    assert again.code == 0, again.out + again.err
    assert attendance(sb, since) == [] and book.read_bytes() == written


def test_a_breakdown_refused_stops_the_sheet_with_nothing_sent_or_taken(tmp_path, sb):
    space = Workspace(tmp_path, sb)
    path = space.sheets / "people.csv"
    header = ["email", "objectId", "state", "attendanceState"]
    write_csv(path, [header, ["b@example.com", "7001", "register", ""]])
    assert space.run("sync").code == 0
    # (Which request the breakdown is: a two-way sync of the same shape, nothing changed.)
    sb.reset_counters()
    assert space.run("sync", "--two-way").code == 0
    (number,) = [n for n, r in enumerate(sb.requests, 1) if r.path.endswith("/breakdown")]
    hubspot_changes(sb)
    edited = read_csv(path)
    edited[1][2] = "cancel"  # (HubSpot has attend now: a conflict, were HubSpot read)
    write_csv(path, edited)
    sb.reset_counters()
    sb.script_fault(number, status=403, body=MISSING_READ_SCOPE)
    result = space.run("sync", "--two-way")
    assert result.code == 3, result.out + result.err  # refused: the key needs the scope
    assert "crm.objects.marketing_events.read" in result.err
    assert attendance(sb, 0) == []
    back = read_csv(path)
    # Nothing taken: the state as typed, HubSpot's word as the last two-way sync read it.
    assert back[1][:4] == ["b@example.com", "7001", "cancel", "registered"]
    assert "crm.objects.marketing_events.read" in back[1][4]  # its syncError says why
    assert state_of(tmp_path)[("7001", "b@example.com")] == "register"


def test_each_events_breakdown_is_read_once_a_run_whatever_the_sheets(tmp_path, sb):
    space = Workspace(tmp_path, sb)
    for name, email in (("one.csv", "a@example.com"), ("two.csv", "b@example.com")):
        write_csv(
            space.sheets / name, [["email", "objectId", "state"], [email, "7001", "register"]]
        )
    assert space.run("sync").code == 0
    hubspot_changes(sb)
    since = len(sb.requests)
    result = space.run("sync", "--two-way")
    assert result.code == 0, result.out + result.err
    assert breakdowns(sb, since) == ["7001"]
    assert read_csv(space.sheets / "two.csv")[1][2] == "attend"  # b attended: taken


def test_the_participants_sheet_of_the_events_workbook_in_the_same_two_way_run(tmp_path, sb):
    space = Workspace(tmp_path, sb)
    book = space.sheets / "events.xlsx"
    wb = xlsxwriter.Workbook(book)
    wb.add_worksheet("Events").write_row(0, 0, ["objectId", "eventName", "registrants"])
    events_sheet = wb.get_worksheet_by_name("Events")
    events_sheet.write_row(1, 0, [7001, "Event 7001"])
    people = wb.add_worksheet("Participants")
    people.write_row(0, 0, ["email", "objectId", "state", "attendanceState"])
    people.write_row(1, 0, ["b@example.com", 7001, "register"])
    wb.close()
    first = space.run("sync")
    assert first.code == 0, first.out + first.err
    hubspot_changes(sb)
    since = len(sb.requests)
    result = space.run("sync", "--two-way")
    assert result.code == 0, result.out + result.err
    assert attendance(sb, since) == []
    workbook = openpyxl.load_workbook(book)
    assert [list(r) for r in workbook["Participants"].iter_rows(values_only=True)][1][:4] == [
        "b@example.com",
        7001,
        "attend",
        "attended",
    ]
    # The events sheet's counters come in by the same run (registrants: 0, b attended).
    assert [list(r) for r in workbook["Events"].iter_rows(values_only=True)][1][:3] == [
        7001,
        "Event 7001",
        0,
    ]
