"""Pull, templates and Japanese sheets, end to end against the sandbox."""

from __future__ import annotations

import pytest
from helpers import TOKEN, Workspace, edit, read_rows
from openpyxl import load_workbook

from eventsync.sandbox.server import Sandbox, make_event
from eventsync.sheets.template import TEMPLATES_DIR, build_workbook


def portal_events(count: int) -> list[dict]:
    events = []
    for n in range(count):
        custom = [{"name": "region", "value": ["APAC", "EMEA"][n % 2]}]
        if n % 3 == 0:
            custom.append({"name": "budget", "value": str(1000 + n)})
        events.append(
            make_event(
                str(7000000000 + n),
                eventName=f"Event {n}",
                eventDescription="" if n % 5 else f"=not a formula {n}",
                startDateTime=f"2026-05-{1 + n % 28:02d}T0{n % 10}:15:30.250Z",
                endDateTime=f"2026-05-{1 + n % 28:02d}T1{n % 10}:00:00.000Z",
                eventCancelled=n % 7 == 0,
                customProperties=custom,
            )
        )
    return events


@pytest.fixture
def portal(tmp_path):
    with Sandbox(events=portal_events(1234), token=TOKEN) as server:
        yield Workspace(tmp_path, server)


@pytest.mark.slow
def test_pull_writes_every_event_and_a_sync_right_after_sends_nothing(portal):
    result = portal.run("pull", "sheets/events.xlsx")
    assert result.code == 0, result.err
    assert "1234 events (custom properties: budget, region)" in result.out
    lists = [r for r in portal.sandbox.requests if r.method == "GET"]
    assert len(lists) == 13 and all(r.query.get("limit") == "100" for r in lists)

    rows = read_rows(portal.sheets / "events.xlsx")
    assert len(rows) == 1234
    first = rows[0]
    assert first["objectId"] == 7000000000
    assert first["custom:budget"] == "1000" and first["custom:region"] == "APAC"
    assert first["eventDescription"] == "=not a formula 0"  # text, never a formula
    # Real date-times, in the user's zone (Tokyo is UTC+9).
    assert first["startDateTime"].isoformat() == "2026-05-01T09:15:30.250000"
    assert first["updatedAt"] == portal.sandbox.events["7000000000"]["updatedAt"]

    before = portal.sandbox.request_count
    again = portal.run("sync")
    assert again.code == 0, again.out
    assert "1234 unchanged, 0 sent" in again.out
    assert portal.sandbox.request_count == before


@pytest.mark.slow
def test_after_a_pull_editing_three_cells_in_two_rows_sends_exactly_those(portal):
    portal.run("pull", "sheets/events.xlsx")
    book = portal.sheets / "events.xlsx"
    header = [c.value for c in load_workbook(book)["Events"][1]]  # (read-only keeps it open)
    name, kind = header.index("eventName") + 1, header.index("eventType") + 1
    region = header.index("custom:region") + 1
    edit(book, {(2, name): "Renamed", (2, kind): "Hybrid", (50, region): "LATAM"})
    result = portal.run("sync")
    assert result.code == 0, result.out
    [request] = portal.sandbox.batch_update_requests()
    assert sorted(request.body["inputs"], key=lambda i: i["objectId"]) == [
        {"objectId": "7000000000", "eventName": "Renamed", "eventType": "Hybrid"},
        {"objectId": "7000000048", "customProperties": [{"name": "region", "value": "LATAM"}]},
    ]


@pytest.mark.slow
def test_pull_refuses_to_overwrite_without_force(portal):
    target = portal.sheets / "events.xlsx"
    target.write_bytes(b"my precious workbook")
    result = portal.run("pull", "sheets/events.xlsx")
    assert result.code == 2
    assert "already exists" in result.err and "--force" in result.err
    assert target.read_bytes() == b"my precious workbook"
    assert portal.run("pull", "--force", "sheets/events.xlsx").code == 0
    assert len(read_rows(target)) == 1234


@pytest.mark.slow
def test_japanese_pull_plan_and_errors_use_japanese_headers(portal):
    assert portal.run("pull", "--lang", "ja", "sheets/events.xlsx").code == 0
    book = portal.sheets / "events.xlsx"
    header = [c.value for c in load_workbook(book)["Events"][1]]  # (read-only keeps it open)
    assert header[:3] == ["イベントID", "イベント名", "イベント種別"]
    assert "カスタム:region" in header and "同期エラー" in header
    start = header.index("開始日時") + 1
    name = header.index("イベント名") + 1
    edit(book, {(3, name): "春のセミナー", (4, start): "2026/13/01 10:00"})
    plan = portal.run("plan")
    assert plan.code == 1
    assert "イベント名：「Event 1」→「春のセミナー」" in plan.out
    assert "4行目：開始日時：「2026/13/01 10:00」：存在しない日付または時刻です" in plan.out
    result = portal.run("sync")
    assert result.code == 1
    rows = read_rows(book)
    assert rows[2]["同期エラー"].startswith("開始日時：「2026/13/01 10:00」：存在しない日付")
    assert portal.sandbox.events["7000000001"]["eventName"] == "春のセミナー"


def test_a_date_typed_without_a_time_stays_on_that_day(workspace):
    workspace.csv_sheet("events.csv", [["objectId", "startDateTime"], ["5823713201", "2026-06-01"]])
    plan = workspace.run("plan")
    assert "2026-06-01 00:00 JST" in plan.out
    assert workspace.run("sync").code == 0
    start = workspace.sandbox.events["5823713201"]["startDateTime"]
    assert start.startswith("2026-05-31T15:00:00")  # midnight in Tokyo, the day HubSpot shows


def test_template_command_writes_a_copy_and_refuses_to_overwrite(workspace):
    result = workspace.run("template", "--lang", "ja", "mine.xlsx")
    assert result.code == 0
    rows = load_workbook(workspace.root / "mine.xlsx")["Events"]
    assert rows["B1"].value == "イベント名"
    again = workspace.run("template", "mine.xlsx")
    assert again.code == 2 and "--force" in again.err


def describe(path):
    """Everything a user sees in a template, without the file's timestamps."""
    book = load_workbook(path)
    summary: list[object] = []
    for sheet in book.worksheets:
        summary.append((sheet.title, sheet.freeze_panes, sheet.auto_filter.ref))
        summary.append(
            [dv.sqref.ranges and str(dv.sqref) for dv in sheet.data_validations.dataValidation]
        )
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None or cell.comment:
                    summary.append(
                        (
                            cell.coordinate,
                            cell.value,
                            cell.number_format,
                            cell.comment and cell.comment.text,
                        )
                    )
        summary.append({k: d.width for k, d in sheet.column_dimensions.items()})
    return summary


@pytest.mark.parametrize(("name", "lang"), [("events.xlsx", "en"), ("events.ja.xlsx", "ja")])
def test_committed_templates_match_their_generator(tmp_path, name, lang):
    fresh = tmp_path / name
    build_workbook(lang=lang).save(fresh)
    assert describe(TEMPLATES_DIR / name) == describe(fresh)


@pytest.mark.slow
def test_checking_two_edits_in_a_large_portal_reads_just_those_two_events(portal):
    portal.run("pull", "sheets/events.xlsx")
    book = portal.sheets / "events.xlsx"
    edit(book, {(2, 2): "a", (900, 2): "b"})
    before = portal.sandbox.request_count
    assert portal.run("sync").code == 0
    made = portal.sandbox.requests[before:]
    assert [(r.method, r.path.rsplit("/", 1)[-1]) for r in made] == [
        ("GET", "7000000000"),
        ("GET", "7000000898"),
        ("POST", "update"),
    ]


def test_the_japanese_guide_names_the_columns_as_the_japanese_sheet_does():
    from openpyxl import load_workbook

    guide = load_workbook(TEMPLATES_DIR / "events.ja.xlsx")["使い方"]
    japanese = "\n".join(str(row[0].value or "") for row in guide.iter_rows())
    assert "更新日時" in japanese and "同期エラー" in japanese and "イベントID" in japanese
    assert "updatedAt" not in japanese and "syncError" not in japanese


@pytest.mark.slow
def test_a_japanese_pull_of_a_portal_without_custom_properties_says_so_in_japanese(tmp_path):
    with Sandbox(events=[make_event("7000000001", eventName="説明会")], token=TOKEN) as server:
        result = Workspace(tmp_path, server).run("pull", "--lang", "ja", "sheets/events.xlsx")
    assert result.code == 0, result.err
    assert "1件のイベント（カスタムプロパティ：なし）" in result.out
    assert "none" not in result.out
