"""Participants files as real programs save them (issue 26), end to end through
`eventsync.cli.main` over real HTTP to the sandbox: workbooks and CSVs saved by
LibreOffice Calc 7.4 (committed in tests/sheets/fixtures/participants, see the README
there; no test needs LibreOffice), and a Japanese webinar tool's Excel-style CP932
export with title lines above its header.

Each is checked as a user meets it: the participants found, their dates sent as the
epoch milliseconds of the wall-clock times typed (EVENTSYNC_TIMEZONE), event ids typed
as numbers, full-width and padded emails, results written into the right cells with
every other byte kept, and a second sync sending nothing.
"""

from __future__ import annotations

import shutil
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

from eventsync.sandbox.contacts import add_contacts, created_contacts
from eventsync.sandbox.participants import participation_states
from eventsync.sandbox.server import Sandbox, make_event

pytestmark = pytest.mark.slow  # end to end against the sandbox

FIXTURES = Path(__file__).parent.parent / "sheets" / "fixtures" / "participants"
SCOPES = [
    "crm.objects.marketing_events.read",
    "crm.objects.marketing_events.write",
    "crm.objects.contacts.read",
]
TOKYO = ZoneInfo("Asia/Tokyo")
PEOPLE = ("taro@example.com", "hanako@example.com", "jiro@example.com")
MAPPING = {  # the export's own headers and words (docs/participants.md)
    "EVENTSYNC_PARTICIPANTS_COLUMNS": (
        "email=Mail; objectId=HubSpot ID; state=参加状況; joinedAt=入室時刻; leftAt=退室時刻"
    ),
    "EVENTSYNC_PARTICIPANTS_STATES": "attend=出席済み, 出席; register=欠席",
}

WEBINAR = {
    "EVENTSYNC_PARTICIPANTS_COLUMNS": "state=参加状況; joinedAt=入室時刻; leftAt=退室時刻",
    "EVENTSYNC_PARTICIPANTS_STATES": "attend=出席; register=欠席",
}


def ms(moment: datetime) -> int:
    return int(moment.replace(tzinfo=TOKYO).timestamp() * 1000)


SIGNED_UP = ms(datetime(2026, 4, 20, 9, 0))
JOINED, LEFT = ms(datetime(2026, 5, 1, 10, 2, 35)), ms(datetime(2026, 5, 1, 11, 30))


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    events = [make_event("7001", eventName="Seminar"), make_event("7002")]
    with Sandbox(events, token=TOKEN, rate_limit=None, scopes=SCOPES) as server:
        add_contacts(server, *PEOPLE)
        yield server


@pytest.fixture
def space(tmp_path: Path, sb: Sandbox) -> Workspace:
    return Workspace(tmp_path, sb)


def attendance(sb: Sandbox, since: int = 0) -> dict[str, list[dict]]:
    """Each attendance request's inputs, by its path's event and state."""
    found: dict[str, list[dict]] = {}
    for request in sb.requests[since:]:
        if "/attendance/" in request.path:
            parts = request.path.split("/")
            found.setdefault(f"{parts[-4]} {parts[-2]}", []).extend(request.body["inputs"])
    return found


def writes(sb: Sandbox, since: int = 0) -> list[str]:
    return [r.path for r in sb.requests[since:] if r.method == "POST" and "/read" not in r.path]


def placed(space: Workspace, name: str) -> Path:
    return Path(shutil.copy(FIXTURES / name, space.sheets / name))


def assert_the_three_were_sent_as_typed(sb: Sandbox) -> None:
    sent = attendance(sb)
    assert sorted(sent) == ["7001 attend", "7001 register", "7002 cancel"]
    (taro,) = sent["7001 attend"]
    assert taro["email"] == "taro@example.com"
    assert taro["interactionDateTime"] == SIGNED_UP  # a date cell, 09:00 in Tokyo
    assert taro["properties"] == {"joinedAt": str(JOINED), "leftAt": str(LEFT)}
    # Full width (ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｃｏｍ) and padded, mixed case (" Jiro@Example.com ").
    assert [i["email"] for i in sent["7001 register"]] == ["hanako@example.com"]
    assert [i["email"] for i in sent["7002 cancel"]] == ["jiro@example.com"]
    assert sent["7002 cancel"][0]["interactionDateTime"] == SIGNED_UP
    assert participation_states(sb, "7002") == {"jiro@example.com": "CANCELLED"}
    assert created_contacts(sb) == []


def assert_second_sync_sends_nothing(space: Workspace, sb: Sandbox, book: Path) -> None:
    count, after = len(sb.requests), book.read_bytes()
    again = space.run("sync")
    assert again.code == 0, again.out + again.err
    assert writes(sb, count) == [] and book.read_bytes() == after


def rows_of(path: Path, sheet: str) -> list[list[object]]:
    workbook = openpyxl.load_workbook(path)
    return [list(row) for row in workbook[sheet].iter_rows(values_only=True)]


@pytest.mark.parametrize(
    ("name", "sheet", "part", "changed", "results", "plan_line"),
    [
        (
            "lo-events-participants.xlsx",
            "Participants",
            "xl/worksheets/sheet2.xml",
            ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"),
            ["syncError", "contactId", "sentAt"],
            "event 7001: 1 register, 1 attend to send",
        ),
        (
            "lo-events-japanese.xlsx",
            "参加者",
            "xl/worksheets/sheet2.xml",
            ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"),
            ["同期エラー", "コンタクトID", "送信日時"],
            "イベント7001：登録1件、出席1件を送信",
        ),
        (
            "lo-participants-own.xlsx",
            "Participants",
            "xl/worksheets/sheet2.xml",
            ("xl/worksheets/sheet2.xml",),
            ["syncError", "contactId", "sentAt"],
            "event 7001: 1 register, 1 attend to send",
        ),
    ],
)
def test_a_workbook_saved_by_libreoffice_syncs_its_participants(
    space, sb, name, sheet, part, changed, results, plan_line
):
    book = placed(space, name)
    original = FIXTURES / name
    plan = space.run("plan")
    assert plan.code == 0, plan.out + plan.err
    assert plan_line in plan.out
    assert writes(sb) == [] and book.read_bytes() == original.read_bytes()

    result = space.run("sync")
    assert result.code == 0, result.out + result.err
    assert_the_three_were_sent_as_typed(sb)
    people = rows_of(book, sheet)[:4]  # (LibreOffice writes empty styled rows below)
    assert people[0][8:] == results
    for row in people[1:]:
        assert row[8] is None and str(row[9]).isdigit() and str(row[10]).endswith("Z")
    # What the user typed, as LibreOffice saved it: dates, numbers, TRUE/FALSE, memo.
    assert [row[:8] for row in people] == [row[:8] for row in rows_of(original, sheet)[:4]]
    assert_members_kept(original, book, changed=changed)
    written = {(r, c) for r in range(1, 5) for c in (9, 10, 11)}
    with zipfile.ZipFile(original) as a, zipfile.ZipFile(book) as b:
        assert_sheet_kept(a.read(part), b.read(part), dict.fromkeys(written, "x"))
    assert_second_sync_sends_nothing(space, sb, book)


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("lo-participants-utf8.csv", "utf-8", ","),
        ("lo-participants-utf8-bom.csv", "utf-8-sig", ","),
        ("lo-participants-cp932.csv", "cp932", ","),
        ("lo-participants-semicolon.csv", "utf-8", ";"),
    ],
)
def test_a_csv_saved_by_libreoffice_syncs_and_keeps_its_bytes(space, sb, name, encoding, delimiter):
    path = placed(space, name)
    before = path.read_bytes()
    result = space.run("sync")
    assert result.code == 0, result.out + result.err
    assert_the_three_were_sent_as_typed(sb)
    after = path.read_bytes()
    old_lines, new_lines = before.split(b"\n"), after.split(b"\n")
    assert len(old_lines) == len(new_lines)
    # Every record kept byte for byte (its quotes, its CP932 ①), the results after it.
    for old, new in zip(old_lines[:4], new_lines[:4], strict=True):
        assert new.startswith(old + delimiter.encode())
    text = after.decode(encoding)
    assert text.splitlines()[0].endswith(delimiter.join(["syncError", "contactId", "sentAt"]))
    assert "メモ1 ①" in text
    assert_second_sync_sends_nothing(space, sb, path)


def test_a_webinar_export_opened_in_libreoffice_syncs_through_the_header_mapping(space, sb):
    # A tool's CSV opened in Calc and saved as .xlsx: one sheet, named after the file.
    book = placed(space, "lo-export-sheet1.xlsx")
    result = space.run("sync", **MAPPING)
    assert result.code == 0, result.out + result.err
    sent = attendance(sb)
    (taro,) = sent["7001 attend"]
    assert taro["properties"] == {"joinedAt": str(JOINED), "leftAt": str(LEFT)}
    assert [i["email"] for i in sent["7001 register"]] == ["hanako@example.com"]
    rows = rows_of(book, "export")[:3]
    assert rows[0][6:] == ["syncError", "contactId", "sentAt"]
    assert all(str(row[7]).isdigit() for row in rows[1:])
    assert_members_kept(FIXTURES / "lo-export-sheet1.xlsx", book)
    count = len(sb.requests)
    again = space.run("sync", **MAPPING)
    assert again.code == 0 and writes(sb, count) == []


@pytest.mark.parametrize("mapped", [True, False])
def test_a_webinar_export_with_title_lines_is_refused_and_never_read_as_events(space, sb, mapped):
    # Excel-style CP932, a report's title and date above the table; its header has an
    # event id and an event name column, which an events sheet's header has too.
    path = placed(space, "webinar-title-lines-cp932.csv")
    env = WEBINAR if mapped else {}
    if not mapped:  # headed and worded as eventsync's own columns, no event names
        own = path.read_bytes().decode("cp932").replace("参加状況", "状態").replace("欠席", "登録")
        for name in ("イベント名", "春のセミナー", "秋のセミナー"):
            own = own.replace("," + name, "")
        path.write_bytes(own.encode("cp932"))
    before = path.read_bytes()
    for command in ("plan", "sync"):
        result = space.run(command, **env)
        assert result.code == 2, result.out + result.err
        assert "webinar-title-lines-cp932.csv: its header is row 5" in result.err
        assert "delete the lines above row 5, save, and run again" in result.err
    assert writes(sb) == [] and path.read_bytes() == before
    japanese = space.run("sync", EVENTSYNC_LANG="ja", **env)
    assert "見出しがタイトル行の下の5行目にある" in japanese.err
    # Once the lines above the header are deleted, it syncs as any export.
    path.write_bytes(b"\r\n".join(before.split(b"\r\n")[4:]))
    fixed = space.run("sync", **env)
    assert fixed.code == 0, fixed.out + fixed.err
    assert sb.batch_update_requests() == []  # no event renamed after a webinar
    assert sorted(attendance(sb)) == ["7001 attend", "7002 register"]


def test_an_events_csv_with_title_lines_and_email_and_state_columns_is_still_events(space, sb):
    path = space.sheets / "events.csv"
    path.write_bytes(
        b"Spring events\r\n\r\nobjectId,eventName,email,state\r\n"
        b"7001,Seminar (renamed),host@example.com,CA\r\n"
    )
    result = space.run("sync")
    assert result.code == 0, result.out + result.err
    (update,) = sb.batch_update_requests()
    assert update.body["inputs"] == [{"objectId": "7001", "eventName": "Seminar (renamed)"}]
    assert attendance(sb) == {}


def test_a_webinar_export_with_title_lines_saved_as_a_workbook_is_refused_too(space, sb):
    book = placed(space, "lo-export-title-lines.xlsx")
    before = book.read_bytes()
    result = space.run("sync", **MAPPING)
    assert result.code == 2, result.out + result.err
    assert (
        "lo-export-title-lines.xlsx, sheet titled: its header is row 4, below lines of titles"
        in result.err
    )
    assert writes(sb) == [] and book.read_bytes() == before
    # Without the mapping it is no participants file, and no events sheet either (its
    # header has no objectId column eventsync knows): refused as ever, nothing sent.
    plain = space.run("sync")
    assert plain.code == 2 and writes(sb) == [] and book.read_bytes() == before


def test_a_participants_sheet_with_title_lines_says_so(space, sb, tmp_path):
    source = tmp_path / "titled.xlsx"
    wb = xlsxwriter.Workbook(source)
    sheet = wb.add_worksheet("参加者")
    sheet.write("A1", "5月セミナー 出席者")
    sheet.write_row(2, 0, ["メールアドレス", "イベントID", "状態"])
    sheet.write_row(3, 0, ["taro@example.com", 7001, "出席"])
    wb.close()
    soffice_like = space.sheets / "people.xlsx"
    soffice_like.write_bytes(source.read_bytes())
    result = space.run("sync", EVENTSYNC_LANG="ja")
    assert result.code == 2, result.out + result.err
    assert "people.xlsx（シート参加者）：見出しがタイトル行の下の3行目にある" in result.err
    assert "3行目より上の行を削除して保存し" in result.err
    assert writes(sb) == []


def test_pull_into_a_folder_with_a_participants_file_is_not_refused_for_its_event_ids(space, sb):
    # A participants CSV names the events its people are for: it holds no events, so
    # pull has no second copy to refuse (it did: "would hold 2 events that ... hold").
    placed(space, "lo-participants-utf8.csv")
    result = space.run("pull", str(Path("sheets") / "events.xlsx"))
    assert result.code == 0, result.out + result.err
    pulled = rows_of(space.sheets / "events.xlsx", "Events")[1:]
    assert [row[0] for row in pulled if row[0] is not None] == [7001, 7002]


def test_a_mapped_export_beside_the_events_holds_no_events_for_two_way_sync(space, sb):
    # The export's `HubSpot ID` column is a participants column only through the
    # mapping: two-way sync must not read it as an events sheet that cannot be read
    # (and then offer nothing), nor as one holding 7001.
    placed(space, "lo-export-sheet1.xlsx")
    events = space.sheets / "events.xlsx"
    workbook = xlsxwriter.Workbook(events)
    workbook.add_worksheet("Events").write_row(0, 0, ["objectId", "eventName"])
    workbook.get_worksheet_by_name("Events").write_row(1, 0, [7001, "Seminar"])
    workbook.close()
    for named in ((), (str(Path("sheets") / "events.xlsx"),)):
        result = space.run("sync", "--two-way", "--add-new", *named, **MAPPING)
        assert result.code == 0, result.out + result.err
        assert "could not be read" not in result.out
    assert [row[0] for row in rows_of(events, "Events")[1:]] == [7001, 7002]


def test_an_event_id_that_is_not_a_whole_number_names_its_column(space, sb):
    # Excel's "7,001" (a number shown with a thousands separator, saved as shown).
    path = space.sheets / "people.csv"
    path.write_bytes(b'email,objectId,state\r\ntaro@example.com,"7,001",attend\r\n')
    plan = space.run("plan")
    assert plan.code == 1, plan.out + plan.err
    assert 'row 2: objectId: "7,001" is not a whole number' in plan.out
    assert writes(sb) == []


def test_an_old_excel_workbook_in_the_folder_is_named_with_the_save_that_syncs_it(space, sb):
    # A webinar tool's export (or a workbook from Excel 2003) as .xls, saved here by
    # LibreOffice as "Excel 97-2003": never passed over in silence.
    placed(space, "lo-participants-own.xls")
    alone = space.run("plan")
    assert alone.code == 2, alone.out + alone.err
    assert (
        "lo-participants-own.xls: eventsync reads .xlsx, .xlsm and .csv files; open it in"
        " Excel and save it as .xlsx" in alone.err
    )
    placed(space, "lo-participants-utf8.csv")
    beside = space.run("sync")
    assert beside.code == 0, beside.out + beside.err
    assert "skipped lo-participants-own.xls: eventsync reads .xlsx" in beside.err
    assert sorted(attendance(sb)) == ["7001 attend", "7001 register", "7002 cancel"]
