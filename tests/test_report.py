"""What `plan` and `sync` print, from plain values: no files, no network.

The sheets here are headed in Japanese where it matters, so a line that names a column
by its API field instead of the user's header text shows up."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

from eventsync.model import (
    EventUpdate,
    FieldChange,
    HeaderCell,
    Plan,
    PlannedUpdate,
    ProblemCode,
    RowProblem,
    RowResult,
    RowStatus,
    Sheet,
    SheetRow,
)
from eventsync.output.report import MAX_LISTED, render_plan, render_run, run_json
from eventsync.plan.conflicts import IncomingChange, Reconciled
from eventsync.plan.event_cells import RemoteEvent
from eventsync.plan.planned import PlannedSheet
from eventsync.plan.results import SheetResult
from eventsync.portal_model import PortalEvent

TOKYO = ZoneInfo("Asia/Tokyo")
EN = {"objectId": "objectId", "eventName": "eventName", "startDateTime": "startDateTime"}
JA = {"objectId": "イベントID", "eventName": "イベント名", "startDateTime": "開始日時"}


def make_sheet(rows: int, labels=EN, name: str = "events.xlsx") -> Sheet:
    headers = {f: HeaderCell(text, n) for n, (f, text) in enumerate(labels.items(), 1)}
    return Sheet(
        path=Path("sheets") / name,
        format="xlsx" if name.endswith(".xlsx") else "csv",
        sheet_name="Events" if name.endswith(".xlsx") else None,
        headers=MappingProxyType(headers),
        last_column=len(headers),
        rows=tuple(
            SheetRow(n, MappingProxyType({"objectId": str(100 + n)})) for n in range(2, rows + 2)
        ),
    )


def rename(row: int, object_id: str, old: str | None, new: str, *, first=False) -> PlannedUpdate:
    return PlannedUpdate(row, object_id, (FieldChange("eventName", old, new),), first_sync=first)


def unchanged(row: int, object_id: str) -> EventUpdate:
    return EventUpdate(row, object_id, MappingProxyType({"eventName": "Same"}))


def remote(object_id: str) -> RemoteEvent:
    return RemoteEvent(
        object_id,
        {"eventName": "Only in HubSpot"},
        "2026-05-01T00:00:00Z",
        PortalEvent(object_id, "2026-05-01T00:00:00Z", {}, {}),
    )


# -- render_plan ----------------------------------------------------------------------------


def test_plan_counts_lists_each_change_by_the_users_header_and_says_nothing_was_sent():
    sheet = make_sheet(4, JA)
    plan = Plan(
        updates=(
            rename(2, "102", "Old", "New"),
            PlannedUpdate(
                3,
                "103",
                (FieldChange("startDateTime", "2026-04-06T00:00:00Z", "2026-04-06T01:00:00Z"),),
            ),
        ),
        unchanged=(unchanged(4, "104"),),
        problems=(
            RowProblem(
                5, "開始日時", ProblemCode.BAD_DATETIME, '開始日時: "2024/13/01" is not a date'
            ),
        ),
    )
    text = render_plan([PlannedSheet(sheet, plan)], batch_size=100, zone=TOKYO)
    assert text.splitlines() == [
        "events.xlsx (sheet Events): 4 rows, 2 to send, 1 unchanged, 1 invalid",
        "  row 2, イベントID 102:",
        '      イベント名: "Old" -> "New"',
        "  row 3, イベントID 103:",
        "      開始日時: 2026-04-06 09:00 JST (2026-04-06T00:00:00Z)"
        " -> 2026-04-06 10:00 JST (2026-04-06T01:00:00Z)",
        '  row 5: 開始日時: "2024/13/01" is not a date',
        "Would send 2 events in 1 request; nothing was sent.",
    ]


def test_a_first_sync_row_lists_what_is_sent_without_old_values():
    plan = Plan(updates=(rename(2, "102", None, "Expo", first=True),))
    lines = render_plan([PlannedSheet(make_sheet(1), plan)], 100, TOKYO).splitlines()
    assert lines[1:] == [
        "  row 2, objectId 102 (first sync):",
        '      eventName: "Expo"',
        "Would send 1 event in 1 request; nothing was sent.",
    ]


def test_requests_are_counted_per_sheet_in_batches_and_summed():
    one = PlannedSheet(
        make_sheet(3, name="a.csv"),
        Plan(updates=tuple(rename(n, str(n), "a", "b") for n in (2, 3, 4))),
    )
    two = PlannedSheet(
        make_sheet(2, name="b.csv"),
        Plan(updates=(rename(2, "9", "a", "b"),), unchanged=(unchanged(3, "10"),)),
    )
    text = render_plan([one, two], batch_size=2, zone=TOKYO)
    assert text.splitlines()[0] == "a.csv: 3 rows, 3 to send, 0 unchanged, 0 invalid"
    assert "b.csv: 2 rows, 1 to send, 1 unchanged, 0 invalid" in text.splitlines()
    # 2 + 1 requests: a batch never mixes sheets.
    assert text.splitlines()[-1] == "Would send 4 events in 3 requests; nothing was sent."


def test_nothing_to_send_says_so():
    plan = Plan(unchanged=(unchanged(2, "102"), unchanged(3, "103")))
    text = render_plan([PlannedSheet(make_sheet(2), plan)], 100, TOKYO)
    assert text.splitlines() == [
        "events.xlsx (sheet Events): 2 rows, 0 to send, 2 unchanged, 0 invalid",
        "Nothing to send; nothing was sent.",  # not "0 events in 0 requests"
    ]


def test_at_most_fifty_rows_are_listed_then_how_many_more():
    updates = tuple(rename(n, str(1000 + n), "a", f"b{n}") for n in range(2, 2 + 120))
    text = render_plan([PlannedSheet(make_sheet(120), Plan(updates=updates))], 100, TOKYO)
    listed = [line for line in text.splitlines() if line.startswith("  row ")]
    assert MAX_LISTED == 50 and len(listed) == 50
    assert listed[-1] == "  row 51, objectId 1051:"
    assert "  ... and 70 more rows to send" in text.splitlines()
    assert text.splitlines()[-1] == "Would send 120 events in 2 requests; nothing was sent."


def test_plan_lists_changes_made_only_in_hubspot_and_events_only_hubspot_has():
    sheet = make_sheet(1, JA)
    plan = Plan(unchanged=(unchanged(2, "102"),))
    incoming = (IncomingChange(2, "102", "eventName", "Same", "Renamed in HubSpot", "t"),)
    planned = PlannedSheet(
        sheet,
        plan,
        rows=(unchanged(2, "102"),),
        reconciled=Reconciled(plan, incoming=incoming),
        portal={"102": remote("102"), "555": remote("555")},
    )
    lines = render_plan([planned], 100, TOKYO).splitlines()
    assert lines[1:-1] == [
        "  changed in HubSpot only (eventsync sync --two-way brings these into the sheet):",
        '    row 2, イベント名: "Same" -> "Renamed in HubSpot"',
        "  1 event is in HubSpot but not in this sheet (555); eventsync sync --two-way --add-new appends it",
    ]


# -- render_run and run_json ------------------------------------------------------------------

FAILED = "HubSpot answered 400 (category VALIDATION_ERROR): eventUrl is not a URL"
NOT_SENT = "not sent: HubSpot's daily API limit is reached; run again after midnight"
INVALID = 'startDateTime: "2024/13/01" is not a date (use 2024-12-31 18:00)'
CONFLICT = 'conflict: eventName was changed in HubSpot to "Expo" at 2026-05-01T10:00:00Z'


def mixed_result(**extra) -> SheetResult:
    """Rows 2-7: unchanged, updated, failed, not sent, invalid, in conflict."""
    sheet = make_sheet(6)
    plan = Plan(
        updates=(
            rename(3, "103", "a", "b"),
            rename(4, "104", "a", "b"),
            rename(5, "105", "a", "b"),
        ),
        unchanged=(unchanged(2, "102"),),
        problems=(
            RowProblem(6, "startDateTime", ProblemCode.BAD_DATETIME, INVALID),
            RowProblem(7, "eventName", ProblemCode.CONFLICT, CONFLICT),
        ),
    )
    rows = (
        RowResult(2, "102", RowStatus.UNCHANGED, "", "2026-04-01T00:00:00Z"),
        RowResult(3, "103", RowStatus.UPDATED, "", "2026-05-02T00:00:00.000Z"),
        RowResult(4, "104", RowStatus.FAILED, FAILED),
        RowResult(5, "105", RowStatus.NOT_SENT, NOT_SENT),
        RowResult(6, "", RowStatus.INVALID, INVALID),
        RowResult(7, "", RowStatus.CONFLICT, CONFLICT),
    )
    planned = PlannedSheet(sheet, plan, **extra)
    return SheetResult(planned, rows, cells_written=7)


def test_the_run_summary_counts_each_kind_of_row_and_lists_those_needing_attention():
    text = render_run(mixed_result(), TOKYO)
    assert text.splitlines() == [
        "events.xlsx (sheet Events): 6 rows read, 1 unchanged, 2 sent, 1 updated, 2 failed,"
        " 1 invalid, 1 conflict",
        f"  row 4: {FAILED}",
        f"  row 5: {NOT_SENT}",
        f"  row 6: {INVALID}",
        f"  row 7: {CONFLICT}",
    ]


def test_a_clean_run_lists_no_rows():
    sheet = make_sheet(2)
    plan = Plan(updates=(rename(2, "102", "a", "b"),), unchanged=(unchanged(3, "103"),))
    rows = (
        RowResult(2, "102", RowStatus.UPDATED, "", "2026-05-02T00:00:00.000Z"),
        RowResult(3, "103", RowStatus.UNCHANGED),
    )
    text = render_run(SheetResult(PlannedSheet(sheet, plan), rows), TOKYO)
    assert text == (
        "events.xlsx (sheet Events): 2 rows read, 1 unchanged, 1 sent, 1 updated, 0 failed,"
        " 0 invalid"
    )


def test_run_json_gives_each_sent_rows_status_and_the_counts():
    data = run_json(mixed_result())
    assert data["path"] == str(Path("sheets") / "events.xlsx") and data["sheet"] == "Events"
    assert {k: data[k] for k in ("rowsRead", "unchanged", "sent", "updated", "failed")} == {
        "rowsRead": 6,
        "unchanged": 1,
        "sent": 2,
        "updated": 1,
        "failed": 2,
    }
    assert (data["invalid"], data["conflicts"], data["cellsWritten"]) == (1, 1, 7)
    assert data["rows"] == [
        {
            "row": 3,
            "objectId": "103",
            "status": "updated",
            "updatedAt": "2026-05-02T00:00:00.000Z",
            "error": None,
        },
        {"row": 4, "objectId": "104", "status": "failed", "updatedAt": None, "error": FAILED},
        {"row": 5, "objectId": "105", "status": "not sent", "updatedAt": None, "error": NOT_SENT},
    ]
    assert [(p["row"], p["column"], p["code"], p["message"]) for p in data["problems"]] == [
        (6, "startDateTime", "bad_datetime", INVALID),
        (7, "eventName", "conflict", CONFLICT),
    ]
    assert data["newInHubSpot"] == [] and data["warning"] is None


def test_two_way_lists_events_only_hubspot_has_and_how_to_add_them():
    portal = {str(n): remote(str(n)) for n in (102, 103, 104, 105, 900, 901)}
    result = mixed_result(rows=(unchanged(2, "102"),), portal=portal)
    text = render_run(result, TOKYO)
    assert text.splitlines()[-1] == (
        "  2 events are in HubSpot but not in this sheet (900, 901);"
        " eventsync sync --two-way --add-new appends them"
    )
    assert run_json(result)["newInHubSpot"] == ["900", "901"]


def test_after_add_new_the_appended_events_are_reported_instead():
    portal = {str(n): remote(str(n)) for n in (102, 103, 104, 105, 900, 901)}
    planned = mixed_result(rows=(unchanged(2, "102"),), portal=portal).planned
    result = SheetResult(planned, mixed_result().rows, added=("900", "901"))
    text = render_run(result, TOKYO)
    assert text.splitlines()[-1] == "  appended 2 events from HubSpot as new rows"
    assert "not in this sheet" not in text
    data = run_json(result)
    assert data["added"] == ["900", "901"] and data["newInHubSpot"] == []


def test_a_result_that_could_not_be_written_says_so():
    result = SheetResult(
        mixed_result().planned,
        mixed_result().rows,
        warning="events.xlsx is open in Excel; close it and run `make sync` again",
    )
    assert render_run(result, TOKYO).splitlines()[-1] == (
        "  events.xlsx is open in Excel; close it and run `make sync` again"
    )
    assert run_json(result)["warning"].startswith("events.xlsx is open in Excel")
