"""End to end against the sandbox: the events sheet is found by its header, not by its
place. Workbooks as Excel users hand them round: a "How to use" sheet of text first
(and a hidden sheet of lists before it), the events table on a later sheet. `plan` names
the sheet it read, `sync` writes into that sheet only, and every other part of the
workbook comes back byte for byte. Two sheets headed like events are refused, naming
them, before anything is sent.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from helpers import Workspace
from helpers.workbooks import assert_members_kept

GUIDE = "How to use"
EVENTS = "Spring events"  # not named Events: found by its header


def guide_first_book(path: Path, *, hidden_first: bool, second_events: str | None = None) -> Path:
    """As Excel writes it: (a hidden sheet of lists,) a guide sheet of text, then the
    events with a Japanese header; `second_events` adds a copy headed like events."""
    wb = xlsxwriter.Workbook(path)
    if hidden_first:
        lists = wb.add_worksheet("Lists")
        lists.write_row(0, 0, ["objectId", "eventName"])  # headed like events, but hidden
        lists.write_row(1, 0, [5823713209, "a list for validation"])
        lists.hide()
    guide = wb.add_worksheet(GUIDE)
    guide.write("B2", "使い方", wb.add_format({"bold": True, "font_size": 16}))
    guide.write("B4", "1. 「Spring events」シートにイベントを入力します。")
    guide.write("B5", "2. make sync を実行します。")
    guide.set_column("B:B", 60)
    guide.activate()  # the sheet Excel opens at
    events = wb.add_worksheet(EVENTS)
    events.write_row(0, 0, ["イベントID", "イベント名", "メモ"], wb.add_format({"bold": True}))
    events.write_row(1, 0, [5823713201, "春の新製品発表会", "東京"])
    events.write_row(2, 0, [5823713202, "パートナー会議"])
    if second_events is not None:
        old = wb.add_worksheet(second_events)
        old.write_row(0, 0, ["objectId", "eventName"])
        old.write_row(1, 0, [5823713201, "Expo (last year's name)"])
    wb.close()
    return path


def sheet_parts(path: Path) -> dict[str, str]:
    """Each worksheet's zip member, by the name the user sees."""
    with zipfile.ZipFile(path) as zf:
        workbook = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    targets = dict(re.findall(r'<Relationship Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    targets |= {
        rid: target
        for target, rid in re.findall(r'<Relationship Target="([^"]+)"[^>]*Id="([^"]+)"', rels)
    }
    return {
        name: "xl/" + targets[rid].removeprefix("/xl/")
        for name, rid in re.findall(
            r'<sheet name="([^"]+)" sheetId="\d+"[^>]*r:id="([^"]+)"', workbook
        )
    }


@pytest.mark.slow
@pytest.mark.parametrize("hidden_first", [False, True], ids=["guide-first", "hidden-then-guide"])
def test_the_events_sheet_after_a_guide_is_planned_named_and_synced_alone(
    workspace: Workspace, hidden_first
):
    book = guide_first_book(workspace.sheets / "events.xlsx", hidden_first=hidden_first)
    original = workspace.root / "original.xlsx"
    original.write_bytes(book.read_bytes())

    plan = workspace.run("plan", EVENTSYNC_LANG="en")  # (the header alone says Japanese)
    assert plan.code == 0, plan.out + plan.err
    assert f"events.xlsx (sheet {EVENTS}): 2 rows, 2 to send" in plan.out
    japanese = workspace.run("plan", EVENTSYNC_LANG="ja")
    assert f"events.xlsx（シート{EVENTS}）：2行、送信2" in japanese.out
    assert book.read_bytes() == original.read_bytes()  # a plan writes nothing

    result = workspace.run("sync")
    assert result.code == 0, result.out + result.err
    sent = [i for r in workspace.sandbox.batch_update_requests() for i in r.body["inputs"]]
    assert sorted(i["objectId"] for i in sent) == ["5823713201", "5823713202"]  # not Lists'

    parts = sheet_parts(book)
    assert_members_kept(original, book, changed=(parts[EVENTS],))  # guide, lists: as they were
    wb = openpyxl.load_workbook(book)
    annotated = wb[EVENTS]
    assert (annotated["D1"].value, annotated["E1"].value) == ("更新日時", "同期エラー")
    assert annotated["D2"].value and annotated["D3"].value
    assert wb[GUIDE]["B2"].value == "使い方" and wb[GUIDE].max_column == 2
    assert workspace.run("plan").code == 0


def test_two_sheets_headed_like_events_are_refused_naming_them_and_nothing_is_sent(
    workspace: Workspace,
):
    book = guide_first_book(
        workspace.sheets / "events.xlsx", hidden_first=False, second_events="Events 2025"
    )
    before = book.read_bytes()
    result = workspace.run("sync", EVENTSYNC_LANG="en")
    assert result.code == 2, result.out + result.err
    assert (
        f"events.xlsx: sheets {EVENTS}, Events 2025 each have an objectId column, so"
        " eventsync cannot tell which holds the events to sync and synced none; rename the"
        " sheet to sync to Events (or hide the others: right-click a sheet tab > Hide),"
        " then run again"
    ) in result.err
    japanese = workspace.run("plan", EVENTSYNC_LANG="ja")
    assert japanese.code == 2
    assert (
        f"events.xlsx：シート{EVENTS}, Events 2025のどれにもイベントID列があるため、"
        "どれが同期するイベントの表か判断できず、何も同期しませんでした。"
    ) in japanese.err
    assert workspace.sandbox.batch_update_requests() == []
    assert book.read_bytes() == before

    # The way out the message gives: rename the one to sync.
    wb = openpyxl.load_workbook(book)
    wb[EVENTS].title = "Events"
    wb.save(book)
    fixed = workspace.run("plan", EVENTSYNC_LANG="en")
    assert fixed.code == 0, fixed.out + fixed.err
    assert "events.xlsx (sheet Events): 2 rows" in fixed.out


def test_a_workbook_of_guides_without_an_events_header_names_the_sheets_it_looked_at(
    workspace: Workspace,
):
    path = workspace.sheets / "events.xlsx"
    wb = xlsxwriter.Workbook(path)
    wb.add_worksheet(GUIDE).write("A1", "使い方")
    wb.add_worksheet("Notes").write_row(0, 0, ["id", "name"])
    wb.close()
    result = workspace.run("plan", EVENTSYNC_LANG="en")
    assert result.code == 2
    assert (
        f"events.xlsx: none of its sheets ({GUIDE}, Notes) has an objectId column in rows"
        " 1-20; head a column of the sheet with your events objectId, holding each event's"
        " HubSpot id"
    ) in result.err
    assert "row 1 is empty" not in result.err
