"""Participants worksheets in .xlsx workbooks (issue 26, item 1), end to end through
`eventsync.cli.main` over real HTTP to the sandbox: the events workbook's `Participants`
sheet synced after its events sheet in one run (two writes into one file), never taken
for the events sheet; a participants workbook of its own, in Japanese (`参加者`); Excel's
date cells read as the dates they show; results written into the sheet's own cells with
every other byte of the workbook kept; a change the user made to the sheet meanwhile
never written over; Excel holding the file open; the refusals (exit 2, nothing sent)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import xlsxwriter
from helpers import TOKEN, Workspace
from helpers.workbooks import assert_members_kept, assert_sheet_kept

from eventsync import participants_run
from eventsync.sandbox.contacts import add_contacts, created_contacts
from eventsync.sandbox.participants import participation_states
from eventsync.sandbox.server import Sandbox, make_event
from eventsync.sheets.xlsx.patch import patch_cells

pytestmark = pytest.mark.slow  # end to end against the sandbox

SCOPES = [
    "crm.objects.marketing_events.read",
    "crm.objects.marketing_events.write",
    "crm.objects.contacts.read",
]
EVENTS_PART, PEOPLE_PART = "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"
HEADER = ["email", "objectId", "state", "interactionDateTime", "joinedAt", "leftAt", "memo"]
HEADER_JA = ["メールアドレス", "イベントID", "状態", "日時", "参加時刻", "退出時刻", "メモ"]
TOKYO = ZoneInfo("Asia/Tokyo")
SIGNED_UP = datetime(2026, 4, 20, 9, 0)
JOINED = datetime(2026, 5, 1, 10, 2, 35)
LEFT = datetime(2026, 5, 1, 11, 30)
PEOPLE = [  # email, event, state, with join and leave times (attend only)
    ("taro@example.com", 7001, "attend", True),
    ("hanako@example.com", 7001, "register", False),
    ("jiro@example.com", 7002, "cancel", False),
]
STATE_JA = {"register": "登録", "attend": "出席", "cancel": "キャンセル"}


def ms(moment: datetime) -> int:
    return int(moment.replace(tzinfo=TOKYO).timestamp() * 1000)


def people_sheet(wb: xlsxwriter.Workbook, name: str, *, japanese: bool = False) -> None:
    """As a user types it in Excel: bold headers, event ids as numbers, date-time cells
    (typed dates, not text), a memo column of the user's own, a comment, a list."""
    sheet = wb.add_worksheet(name)
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7"})
    when = wb.add_format({"num_format": "yyyy/mm/dd hh:mm:ss"})
    sheet.write_row(0, 0, HEADER_JA if japanese else HEADER, bold)
    for row, (email, event, state, attended) in enumerate(PEOPLE, start=1):
        sheet.write_string(row, 0, email)
        sheet.write_number(row, 1, event)
        sheet.write_string(row, 2, STATE_JA[state] if japanese else state)
        sheet.write_datetime(row, 3, SIGNED_UP, when)
        if attended:
            sheet.write_datetime(row, 4, JOINED, when)
            sheet.write_datetime(row, 5, LEFT, when)
        sheet.write_string(row, 6, f"memo {row}")
    sheet.write_comment("A2", "VIP")
    sheet.data_validation("C2:C100", {"validate": "list", "source": ["register", "attend"]})
    sheet.set_column("A:A", 24)


def events_and_people(path: Path, *, events_name: str = "Events") -> Path:
    """The events workbook with a Participants sheet: the events first (7001 renamed,
    to be sent), a chart of the events, a frozen header."""
    wb = xlsxwriter.Workbook(path)
    events = wb.add_worksheet(events_name)
    events.write_row(0, 0, ["objectId", "eventName"], wb.add_format({"bold": True}))
    events.write_row(1, 0, [7001, "Seminar (renamed)"])
    events.write_row(2, 0, [7002, "Event 7002"])
    events.freeze_panes(1, 0)
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": f"='{events_name}'!$A$2:$A$3"})
    events.insert_chart("E2", chart)
    people_sheet(wb, "Participants")
    wb.close()
    return path


def attendance_bodies(sb: Sandbox) -> dict[str, list[dict]]:
    """Each attendance request's inputs, by its path's event and state."""
    found: dict[str, list[dict]] = {}
    for request in sb.requests:
        if "/attendance/" in request.path:
            parts = request.path.split("/")
            key = f"{parts[-4]} {parts[-2]}"
            found.setdefault(key, []).extend(request.body["inputs"])
    return found


def writes(sb: Sandbox, since: int = 0) -> list[str]:
    return [r.path for r in sb.requests[since:] if r.method == "POST" and "/read" not in r.path]


def rows_of(path: Path, sheet: str) -> list[list[object]]:
    workbook = openpyxl.load_workbook(path)
    return [list(row) for row in workbook[sheet].iter_rows(values_only=True)]


def copy_of(path: Path) -> Path:
    copy = path.parent.parent / ("before-" + path.name)  # (out of the sheets folder)
    copy.write_bytes(path.read_bytes())
    return copy


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    events = [make_event("7001", eventName="Seminar"), make_event("7002")]
    with Sandbox(events, token=TOKEN, rate_limit=None, scopes=SCOPES) as server:
        add_contacts(server, *(email for email, *_ in PEOPLE))
        yield server


@pytest.fixture
def space(tmp_path: Path, sb: Sandbox) -> Workspace:
    return Workspace(tmp_path, sb)


def test_the_events_workbook_syncs_its_events_then_its_participants_sheet_in_one_run(space, sb):
    book = events_and_people(space.sheets / "events.xlsx")
    original = copy_of(book)
    plan = space.run("plan")
    assert plan.code == 0, plan.out + plan.err
    assert "events.xlsx (sheet Events): 2 rows, 1 to send" in plan.out
    assert "events.xlsx (participants):" in plan.out
    assert "event 7001: 1 register, 1 attend to send" in plan.out
    assert writes(sb) == [] and book.read_bytes() == original.read_bytes()

    result = space.run("sync")
    assert result.code == 0, result.out + result.err
    # The events: 7001's new name sent. The participants: by email, with the times of
    # Excel's date cells read as the wall-clock times they show (EVENTSYNC_TIMEZONE).
    (update,) = sb.batch_update_requests()
    assert [(i["objectId"], i["eventName"]) for i in update.body["inputs"]] == [
        ("7001", "Seminar (renamed)")
    ]
    sent = attendance_bodies(sb)
    assert sorted(sent) == ["7001 attend", "7001 register", "7002 cancel"]
    (taro,) = sent["7001 attend"]
    assert taro["email"] == "taro@example.com"
    assert taro["interactionDateTime"] == ms(SIGNED_UP)
    assert taro["properties"] == {"joinedAt": str(ms(JOINED)), "leftAt": str(ms(LEFT))}
    assert participation_states(sb, "7002") == {"jiro@example.com": "CANCELLED"}
    assert created_contacts(sb) == []

    # Both sheets annotated: the events' updatedAt, then each participant's result.
    events = rows_of(book, "Events")
    assert events[0][2:4] == ["updatedAt", "syncError"] and events[1][2]
    people = rows_of(book, "Participants")
    assert people[0] == [*HEADER, "syncError", "contactId", "sentAt"]
    for row in people[1:]:
        assert row[7] is None and str(row[8]).isdigit() and str(row[9]).endswith("Z")
    assert [row[:7] for row in people[1:]] == [
        row[:7] for row in rows_of(original, "Participants")[1:]
    ]
    # Every other member byte for byte; the participants sheet changed only in its
    # results (its date cells, memo, comment and list as they were).
    assert_members_kept(original, book, changed=(EVENTS_PART, PEOPLE_PART))
    written = {(r, c) for r in range(1, 5) for c in (8, 9, 10)}
    with zipfile.ZipFile(original) as a, zipfile.ZipFile(book) as b:
        assert_sheet_kept(a.read(PEOPLE_PART), b.read(PEOPLE_PART), dict.fromkeys(written, "x"))

    count, after = len(sb.requests), book.read_bytes()
    again = space.run("sync")
    assert again.code == 0, again.out + again.err
    assert writes(sb, count) == [] and book.read_bytes() == after
    assert "3 unchanged" in again.out


def test_a_participants_sheet_beside_one_events_sheet_found_by_its_header_is_not_refused(space, sb):
    # Both sheets have an objectId column: the Participants sheet is never the events.
    book = events_and_people(space.sheets / "events.xlsx", events_name="Spring events")
    result = space.run("sync")
    assert result.code == 0, result.out + result.err
    assert "events.xlsx (sheet Spring events): 2 rows" in result.out
    assert len(attendance_bodies(sb)) == 3
    assert rows_of(book, "Spring events")[0][2] == "updatedAt"
    assert rows_of(book, "Participants")[0][-3:] == ["syncError", "contactId", "sentAt"]


def test_a_change_to_the_participants_sheet_meanwhile_is_never_written_over(space, sb, monkeypatch):
    book = events_and_people(space.sheets / "events.xlsx")
    record = participants_run.record_attendance

    def user_saves_meanwhile(*args, **kwargs):
        # The user types into the Participants sheet and saves while eventsync sends.
        answer = record(*args, **kwargs)
        temp = book.with_name("saved.tmp")
        patch_cells(book, temp, "Participants", {(2, 7): "call back"})
        temp.replace(book)
        return answer

    monkeypatch.setattr(participants_run, "record_attendance", user_saves_meanwhile)
    result = space.run("sync")
    assert result.code == 1, result.out + result.err
    assert "the sheet Participants was changed after eventsync read it" in result.out
    assert len(attendance_bodies(sb)) == 3  # HubSpot has them
    people = rows_of(book, "Participants")
    assert people[0] == HEADER and people[1][6] == "call back"  # nothing written over
    assert rows_of(book, "Events")[1][2]  # the events' results, written before the save

    monkeypatch.setattr(participants_run, "record_attendance", record)
    count = len(sb.requests)
    again = space.run("sync")
    assert again.code == 0, again.out + again.err
    assert writes(sb, count) == []  # nothing sent again: the state has what HubSpot confirmed
    people = rows_of(book, "Participants")
    assert people[1][6] == "call back" and str(people[1][8]).isdigit()


def test_while_excel_has_the_workbook_open_the_results_wait_for_the_next_sync(space, sb):
    book = events_and_people(space.sheets / "events.xlsx")
    lock = space.sheets / "~$events.xlsx"
    lock.write_bytes(b"\x00" * 165)
    before = book.read_bytes()
    result = space.run("sync")
    assert result.code == 1, result.out + result.err
    assert len(attendance_bodies(sb)) == 3 and book.read_bytes() == before
    # What to do, said once: close it in Excel and sync again (no second "run ... again").
    said = [line for line in result.out.splitlines() if "is open in Excel" in line]
    assert said and all(line.count("eventsync sync") == 1 for line in said), said
    lock.unlink()
    count = len(sb.requests)
    again = space.run("sync")
    assert again.code == 0, again.out + again.err
    assert writes(sb, count) == []
    assert all(str(row[8]).isdigit() for row in rows_of(book, "Participants")[1:])
    assert rows_of(book, "Events")[1][2]


def test_a_participants_workbook_of_its_own_in_japanese(space, sb):
    wb = xlsxwriter.Workbook(space.sheets / "セミナー参加者.xlsx")
    people_sheet(wb, "参加者", japanese=True)
    wb.close()
    book = space.sheets / "セミナー参加者.xlsx"
    original = copy_of(book)
    plan = space.run("plan")
    assert plan.code == 0, plan.out + plan.err
    assert "イベント7001：登録1件、出席1件を送信" in plan.out
    result = space.run("sync")
    assert result.code == 0, result.out + result.err
    assert sorted(attendance_bodies(sb)) == ["7001 attend", "7001 register", "7002 cancel"]
    assert sb.batch_update_requests() == []
    people = rows_of(book, "参加者")
    assert people[0] == [*HEADER_JA, "同期エラー", "コンタクトID", "送信日時"]
    assert all(str(row[8]).isdigit() for row in people[1:])
    assert_members_kept(original, book, changed=("xl/worksheets/sheet1.xml",))


def test_a_participants_workbook_named_on_the_command_line(space, sb, tmp_path):
    wb = xlsxwriter.Workbook(tmp_path / "people.xlsx")
    people_sheet(wb, " participants ")  # compared as headers are: case, spaces
    wb.close()
    result = space.run("sync", str(tmp_path / "people.xlsx"))
    assert result.code == 0, result.out + result.err
    assert len(attendance_bodies(sb)) == 3


def test_two_participants_sheets_are_refused_naming_them_before_anything_is_sent(space, sb):
    path = space.sheets / "events.xlsx"
    wb = xlsxwriter.Workbook(path)
    wb.add_worksheet("Events").write_row(0, 0, ["objectId", "eventName"])
    people_sheet(wb, "Participants")
    people_sheet(wb, "参加者")
    wb.close()
    result = space.run("sync")
    assert result.code == 2, result.out + result.err
    assert (
        "events.xlsx: eventsync reads one participants sheet per workbook, and this one has"
        " Participants, 参加者" in result.err
    )
    assert writes(sb) == []


def test_two_events_sheets_beside_a_participants_sheet_are_refused_naming_only_them(space, sb):
    path = space.sheets / "events.xlsx"
    wb = xlsxwriter.Workbook(path)
    for name in ("Spring", "Autumn"):
        wb.add_worksheet(name).write_row(0, 0, ["objectId", "eventName"])
    people_sheet(wb, "Participants")
    wb.close()
    result = space.run("sync")
    assert result.code == 2, result.out + result.err
    assert "events.xlsx: sheets Spring, Autumn each have an objectId column" in result.err
    assert writes(sb) == []


def test_a_formula_where_a_result_goes_is_refused_before_anything_is_sent(space, sb):
    path = space.sheets / "events.xlsx"
    wb = xlsxwriter.Workbook(path)
    wb.add_worksheet("Events").write_row(0, 0, ["objectId", "eventName"])
    people_sheet(wb, "Participants")
    wb.get_worksheet_by_name("Participants").write_row(0, 7, ["syncError"])
    wb.get_worksheet_by_name("Participants").write_formula("H3", '=IF(C3="","?","")')
    wb.close()
    result = space.run("sync")
    assert result.code == 2, result.out + result.err
    assert "events.xlsx, sheet Participants, cell H3: holds a formula" in result.err
    assert writes(sb) == []


def test_a_result_cell_hidden_under_merged_cells_is_refused_before_anything_is_sent(space, sb):
    path = space.sheets / "events.xlsx"
    wb = xlsxwriter.Workbook(path)
    wb.add_worksheet("Events").write_row(0, 0, ["objectId", "eventName"])
    people_sheet(wb, "Participants")
    # A note the user merged across the cells right of the table: where results go.
    wb.get_worksheet_by_name("Participants").merge_range("H3:J3", "call back")
    wb.close()
    result = space.run("sync")
    assert result.code == 2, result.out + result.err
    said = "events.xlsx, sheet Participants, cell I3: is hidden under the merged cells H3:J3"
    assert said in result.err and "(syncError)" in result.err  # (results go right of H)
    assert writes(sb) == []


@pytest.mark.parametrize(
    ("lang", "sheet", "first", "state"),
    [("en", "Participants", "email", "register"), ("ja", "参加者", "メールアドレス", "登録")],
)
def test_the_participants_template_as_a_workbook_syncs_once_filled_in(
    space, sb, lang, sheet, first, state
):
    made = space.run("template", "--participants", "--lang", lang, str(Path("sheets") / "p.xlsx"))
    assert made.code == 0, made.out + made.err
    book = space.sheets / "p.xlsx"
    workbook = openpyxl.load_workbook(book)
    assert workbook.sheetnames == [sheet] and workbook[sheet]["A1"].value == first
    typed = {(2, 1): "taro@example.com", (2, 2): 7001, (2, 3): state}
    patch_cells(book, book.with_name("typed.tmp"), sheet, typed)
    book.with_name("typed.tmp").replace(book)
    result = space.run("sync")
    assert result.code == 0, result.out + result.err
    assert set(participation_states(sb, "7001")) == {"taro@example.com"}


def test_a_webinar_export_as_a_workbook_of_one_sheet_syncs_through_the_header_mapping(space, sb):
    wb = xlsxwriter.Workbook(space.sheets / "export.xlsx")
    sheet = wb.add_worksheet("Sheet1")  # as the tool names it: told by its header row
    sheet.write_row(0, 0, ["氏名", "Mail", "HubSpot ID", "参加状況"])
    sheet.write_row(1, 0, ["山田 太郎", "taro@example.com", 7001, "出席済み"])
    sheet.write_row(2, 0, ["佐藤 花子", "hanako@example.com", 7001, "欠席"])
    wb.close()
    mapping = {
        "EVENTSYNC_PARTICIPANTS_COLUMNS": "email=Mail; objectId=HubSpot ID; state=参加状況",
        "EVENTSYNC_PARTICIPANTS_STATES": "attend=出席済み; register=欠席",
    }
    result = space.run("sync", **mapping)
    assert result.code == 0, result.out + result.err
    sent = attendance_bodies(sb)
    assert [i["email"] for i in sent["7001 attend"]] == ["taro@example.com"]
    assert [i["email"] for i in sent["7001 register"]] == ["hanako@example.com"]
    rows = rows_of(space.sheets / "export.xlsx", "Sheet1")
    # Headed in the language of its email column's header ("Mail").
    assert rows[0][4:] == ["syncError", "contactId", "sentAt"]
    assert all(str(row[5]).isdigit() for row in rows[1:])


def test_an_events_sheet_with_email_and_state_columns_of_its_own_is_still_the_events(space, sb):
    path = space.sheets / "events.xlsx"
    wb = xlsxwriter.Workbook(path)
    sheet = wb.add_worksheet("Sheet1")
    sheet.write_row(0, 0, ["objectId", "eventName", "email", "state"])
    sheet.write_row(1, 0, [7001, "Seminar (renamed)", "host@example.com", "CA"])
    wb.close()
    result = space.run("sync")
    assert result.code == 0, result.out + result.err
    assert len(sb.batch_update_requests()) == 1 and attendance_bodies(sb) == {}
    assert rows_of(path, "Sheet1")[0][4] == "updatedAt"


def test_a_participants_workbook_beside_the_events_holds_no_events_for_two_way_sync(space, sb):
    events = space.sheets / "events.xlsx"
    wb = xlsxwriter.Workbook(events)
    wb.add_worksheet("Events").write_row(0, 0, ["objectId", "eventName"])
    wb.get_worksheet_by_name("Events").write_row(1, 0, [7001, "Seminar"])
    wb.close()
    wb = xlsxwriter.Workbook(space.sheets / "people.xlsx")
    people_sheet(wb, "Participants")  # its rows name 7001 and 7002
    wb.close()
    result = space.run("sync", "--two-way", "--add-new")
    assert result.code == 0, result.out + result.err
    # HubSpot's 7002 is added to the events sheet: the participants hold no event.
    assert [row[0] for row in rows_of(events, "Events")[1:]] == [7001, 7002]


def test_a_japanese_events_workbook_with_a_participants_sheet(space, sb):
    path = space.sheets / "イベント.xlsx"
    wb = xlsxwriter.Workbook(path)
    events = wb.add_worksheet("イベント")
    events.write_row(0, 0, ["イベントID", "イベント名"])
    events.write_row(1, 0, [7001, "セミナー（改名）"])
    people_sheet(wb, "参加者", japanese=True)
    wb.close()
    original = copy_of(path)
    result = space.run("sync")
    assert result.code == 0, result.out + result.err
    assert len(sb.batch_update_requests()) == 1 and len(attendance_bodies(sb)) == 3
    assert rows_of(path, "イベント")[0][2:4] == ["更新日時", "同期エラー"]
    people = rows_of(path, "参加者")
    assert people[0][7:] == ["同期エラー", "コンタクトID", "送信日時"]
    assert all(str(row[8]).isdigit() for row in people[1:])
    assert_members_kept(original, path, changed=(EVENTS_PART, PEOPLE_PART))
