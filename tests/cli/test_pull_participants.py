"""`pull --participants` (issue 26, item 5), end to end through `eventsync.cli.main` over
real HTTP to the sandbox: participants recorded through HubSpot's attendance API, some
turned no-show by the sandbox's clock passing an event's end, come back as a
Participants sheet (`参加者` in Japanese) of the pulled workbook, one row per event and
contact, as a user would type and sync it, with HubSpot's own state read only; the
breakdown is read page by page, only with the option; the state records every row as
confirmed, so a sync of the workbook sends nothing for them."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from helpers import TOKEN, ZONE, Workspace
from helpers.refusals import MISSING_READ_SCOPE
from python_calamine import CalamineWorkbook

from eventsync.cli import main
from eventsync.plan.participants import Sent, plan_participants, read_row
from eventsync.sandbox.participants import set_clock
from eventsync.sandbox.server import Sandbox, make_event
from eventsync.sheets.participants_sheet import columns_of
from eventsync.state.database import DB_NAME
from eventsync.state.runlog import last_log, read_entries
from eventsync.values import format_text

# End to end: pulls against the sandbox (make test-fast skips them).
pytestmark = pytest.mark.slow

BEFORE = datetime(2026, 4, 1, tzinfo=UTC)
AFTER = datetime(2026, 4, 7, tzinfo=UTC)  # 7001 is over; 7002 and 7003 are not
WHEN = 1_775_000_000_000  # 2026-03-31T23:33:20Z: 2026-04-01 08:33:20 in Tokyo
SEEN = datetime(2026, 4, 1, 8, 33)  # as the cell holds it: to the minute
HEADER = [
    "email",
    "objectId",
    "state",
    "interactionDateTime",
    "joinedAt",
    "leftAt",
    "contactId",
    "attendanceState",
]
HEADER_JA = [
    "メールアドレス",
    "イベントID",
    "状態",
    "日時",
    "参加時刻",
    "退出時刻",
    "コンタクトID",
    "出欠",
]
BREAKDOWN = "/participations/"
# The number of each event's breakdown request after `reset_counters`, for scripted
# faults (`test_the_request_numbers_the_faults_use` checks them).
REQUEST_OF = {"7001": 2, "7002": 3, "7003": 4, "7004": 5}


def record(sb: Sandbox, event: str, verb: str, *emails: str, when: int = WHEN) -> None:
    """Participants recorded as HubSpot's attendance API takes them (by email)."""
    for start in range(0, len(emails), 100):
        inputs = [
            {"email": e, "interactionDateTime": when, "properties": {}, "contactProperties": {}}
            for e in emails[start : start + 100]
        ]
        url = f"{sb.url}/marketing/v3/marketing-events/{event}/attendance/{verb}/email-create"
        answer = requests.post(
            url, json={"inputs": inputs}, headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert answer.status_code == 200, answer.text


def events() -> list[dict]:
    def event(object_id: str, name: str, end: str) -> dict:
        start = "2026-04-06T01:00:00Z"
        return make_event(object_id, eventName=name, startDateTime=start, endDateTime=end)

    return [
        event("7001", "Seminar", "2026-04-06T03:00:00Z"),
        event("7002", "Webinar", "2026-05-06T03:00:00Z"),
        event("7003", "Meetup", "2026-05-06T03:00:00Z"),
        event("7004", "Nobody came", "2026-04-06T03:00:00Z"),
    ]


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox(events(), token=TOKEN, rate_limit=None) as server:
        set_clock(server, BEFORE)
        record(server, "7001", "register", "c@example.com", "a@example.com", "b@example.com")
        record(server, "7001", "attend", "a@example.com")
        record(server, "7002", "register", "y@example.com", "x@example.com")
        record(server, "7002", "cancel", "y@example.com")
        record(server, "7003", "register", "p@example.com")
        record(server, "7003", "attend", "q@example.com", "p@example.com")
        set_clock(server, AFTER)  # HubSpot now marks 7001's b and c no-shows
        yield server


def sheet_rows(path: Path, sheet: str = "Participants") -> list[list[object]]:
    """The worksheet's rows as python-calamine reads them (header first)."""
    with path.open("rb") as file:
        book = CalamineWorkbook.from_filelike(file)
        return [list(row) for row in book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)]


def sheet_names(path: Path) -> list[str]:
    with path.open("rb") as file:
        return list(CalamineWorkbook.from_filelike(file).sheet_names)


def breakdowns(sb: Sandbox, first: int = 0) -> list[str]:
    return [
        f"{r.method} {r.path} {sorted(r.query.items())}"
        for r in sb.requests[first:]
        if BREAKDOWN in r.path
    ]


def confirmed_in_state(root: Path) -> dict[tuple[str, str], tuple[str, int | None, str | None]]:
    """What the state database holds of each participant: (state, interaction, contact)."""
    path = root / ".eventsync" / DB_NAME
    if not path.exists():
        return {}
    with closing(sqlite3.connect(path)) as db:
        rows = db.execute(
            "SELECT object_id, email_key, state, interaction_ms, contact_id FROM participations"
        ).fetchall()
    return {(str(o), str(e)): (s, i, c) for o, e, s, i, c in rows}


def contact_ids(rows: list[list[object]]) -> list[object]:
    return [row[6] for row in rows[1:]]


def test_pull_writes_each_contacts_current_state_with_no_shows_read_only(tmp_path, sb):
    portal = Workspace(tmp_path, sb)
    result = portal.run("pull", "--participants", "sheets/events.xlsx")
    assert result.code == 0, result.err
    assert "Participants sheet: 7 participants in 3 events" in result.out
    path = portal.sheets / "events.xlsx"
    rows = sheet_rows(path)
    assert rows[0] == HEADER
    # Events in the order pulled, each by email; 7004 has none. A no-show's registration
    # stands (register), HubSpot's own word for it is in the read-only column.
    assert [row[:6] + row[7:] for row in rows[1:]] == [
        ["a@example.com", 7001, "attend", SEEN, "", "", "attended"],
        ["b@example.com", 7001, "register", SEEN, "", "", "no-show"],
        ["c@example.com", 7001, "register", SEEN, "", "", "no-show"],
        ["x@example.com", 7002, "register", SEEN, "", "", "registered"],
        ["y@example.com", 7002, "cancel", SEEN, "", "", "cancelled"],
        ["p@example.com", 7003, "attend", SEEN, "", "", "attended"],
        ["q@example.com", 7003, "attend", SEEN, "", "", "attended"],
    ]
    ids = contact_ids(rows)
    assert all(isinstance(i, str) and i.isdigit() for i in ids)
    assert len(set(ids)) == 7  # seven contacts
    # The workbook's sheets: Events first, then Participants, then the guide.
    assert sheet_names(path) == ["Events", "Participants", "Instructions"]
    # The state holds every row as confirmed, at the time the cell reads as.
    at = int(SEEN.replace(tzinfo=ZoneInfo(ZONE)).timestamp() * 1000)
    state = confirmed_in_state(tmp_path)
    assert state == {
        ("7001", "a@example.com"): ("attend", at, ids[0]),
        ("7001", "b@example.com"): ("register", at, ids[1]),
        ("7001", "c@example.com"): ("register", at, ids[2]),
        ("7002", "x@example.com"): ("register", at, ids[3]),
        ("7002", "y@example.com"): ("cancel", at, ids[4]),
        ("7003", "p@example.com"): ("attend", at, ids[5]),
        ("7003", "q@example.com"): ("attend", at, ids[6]),
    }


def test_a_sync_of_the_pulled_workbook_sends_nothing_for_the_participants(tmp_path, sb):
    portal = Workspace(tmp_path, sb)
    assert portal.run("pull", "--participants", "sheets/events.xlsx").code == 0
    path = portal.sheets / "events.xlsx"
    rows = sheet_rows(path)
    # The sheet read as a participants sheet's reader reads it (its headers, each cell's
    # text) and planned against the state: every row unchanged, nothing to send.
    columns = columns_of(tuple(str(text) for text in rows[0]))
    assert set(columns) >= {"email", "objectId", "state", "interactionDateTime"}
    items = [
        read_row(
            number,
            {field: format_text(row[column - 1]) for field, column in columns.items()},
            ZoneInfo(ZONE),
        )
        for number, row in enumerate(rows[1:], 2)
    ]
    sent = {
        key: Sent(state, at, None, None, contact, "")
        for key, (state, at, contact) in confirmed_in_state(tmp_path).items()
    }
    plan = plan_participants(items, sent, frozenset(), allow_create=False)
    assert (len(plan.unchanged), plan.to_send, plan.held, plan.bad) == (7, (), (), ())
    first = len(sb.requests)
    result = portal.run("sync")
    assert result.code == 0, result.err
    assert [r.path for r in sb.requests[first:] if r.method == "POST"] == []


def test_breakdowns_are_read_only_with_the_option_one_page_per_100(tmp_path, sb):
    portal = Workspace(tmp_path, sb)
    assert portal.run("pull", "plain.xlsx").code == 0  # (outside the sheets folder)
    assert breakdowns(sb) == []
    assert sheet_names(tmp_path / "plain.xlsx") == ["Events", "Instructions"]
    many = [f"m{n:03}@example.com" for n in range(150)]
    record(sb, "7002", "register", *reversed(many))
    first = len(sb.requests)
    result = portal.run("pull", "--participants", "sheets/events.xlsx")
    assert result.code == 0, result.err
    base = "/marketing/marketing-events/2026-09/participations"  # the default version's
    assert breakdowns(sb, first) == [
        f"GET {base}/7001/breakdown [('limit', '100')]",
        f"GET {base}/7002/breakdown [('limit', '100')]",
        f"GET {base}/7002/breakdown [('after', '100'), ('limit', '100')]",
        f"GET {base}/7003/breakdown [('limit', '100')]",
        f"GET {base}/7004/breakdown [('limit', '100')]",
    ]
    rows = sheet_rows(portal.sheets / "events.xlsx")
    webinar = [row[0] for row in rows[1:] if row[1] == 7002]
    assert webinar == sorted([*many, "x@example.com", "y@example.com"])
    assert len(rows) == 1 + 3 + 152 + 2
    assert len(confirmed_in_state(tmp_path)) == 157
    # The run log counts the pages and the participants, names nobody, and does not count
    # breakdown rows as events read.
    log = last_log(tmp_path / ".eventsync")
    assert log is not None
    entries = read_entries(log)
    pages = [e for e in entries if "/participations/" in str(e.get("path"))]
    assert len(pages) == 5 and all(e["received"] is None for e in pages)
    counted = [(e["events"], e["participants"]) for e in entries if e.get("kind") == "participants"]
    assert counted == [(3, 157)]
    assert "@example.com" not in log.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("version", "prefix"),
    [("v3", "/marketing/v3/marketing-events"), ("2026-03", "/marketing/marketing-events/2026-03")],
)
def test_each_api_version_reads_its_own_breakdown_route(tmp_path, sb, version, prefix):
    portal = Workspace(tmp_path, sb)
    result = portal.run(
        "pull", "--participants", "sheets/events.xlsx", EVENTSYNC_API_VERSION=version
    )
    assert result.code == 0, result.err
    assert {r.path for r in sb.requests if BREAKDOWN in r.path} == {
        f"{prefix}/participations/{n}/breakdown" for n in ("7001", "7002", "7003", "7004")
    }
    assert len(sheet_rows(portal.sheets / "events.xlsx")) == 1 + 7


def test_in_japanese_the_sheet_its_headers_and_its_words_are_japanese(tmp_path, sb):
    portal = Workspace(tmp_path, sb)
    result = portal.run("pull", "--lang", "ja", "--participants", "sheets/events.xlsx")
    assert result.code == 0, result.err
    rows = sheet_rows(portal.sheets / "events.xlsx", "参加者")
    assert rows[0] == HEADER_JA
    assert [(row[0], row[2], row[7]) for row in rows[1:4]] == [
        ("a@example.com", "出席", "出席"),
        ("b@example.com", "登録", "欠席"),
        ("c@example.com", "登録", "欠席"),
    ]
    assert [(row[2], row[7]) for row in rows[4:6]] == [
        ("登録", "登録"),
        ("キャンセル", "キャンセル"),
    ]
    said = portal.run(
        "pull", "--participants", "--force", "sheets/events.xlsx", EVENTSYNC_LANG="ja"
    )
    assert said.code == 0, said.err
    assert "Participantsシート：3件のイベントに7人の参加者" in said.out


def test_no_participations_anywhere_still_gives_the_header_row(tmp_path):
    with Sandbox(events(), token=TOKEN, rate_limit=None) as sb:
        portal = Workspace(tmp_path, sb)
        result = portal.run("pull", "--participants", "sheets/events.xlsx")
        assert result.code == 0, result.err
        assert "Participants sheet: 0 participants in 0 events" in result.out
        assert sheet_rows(portal.sheets / "events.xlsx") == [HEADER]
        assert len(breakdowns(sb)) == 4


def test_a_breakdown_refused_for_a_scope_writes_nothing_and_names_the_scope(tmp_path, sb):
    portal = Workspace(tmp_path, sb)
    sb.reset_counters()
    sb.script_fault(REQUEST_OF["7001"], status=403, body=MISSING_READ_SCOPE)
    result = portal.run("pull", "--participants", "sheets/events.xlsx")
    assert result.code == 3, result.err  # refused: the key needs the scope
    assert "lacks the scope crm.objects.marketing_events.read" in result.err
    assert not (portal.sheets / "events.xlsx").exists()
    assert not confirmed_in_state(tmp_path)


def test_a_breakdown_page_failing_once_is_retried(tmp_path, sb):
    portal = Workspace(tmp_path, sb)
    sb.reset_counters()
    sb.script_fault(REQUEST_OF["7002"], status=503)
    result = portal.run("pull", "--participants", "sheets/events.xlsx")
    assert result.code == 0, result.err
    assert len(sheet_rows(portal.sheets / "events.xlsx")) == 1 + 7
    assert len(breakdowns(sb)) == 5


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_reads_show_progress_on_a_terminal_and_nothing_when_piped(tmp_path, sb, monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    portal = Workspace(tmp_path, sb)
    terminal = Terminal()
    args = ["pull", "--participants", "sheets/events.xlsx"]
    code = main(args, env=portal.env, cwd=portal.root, stdout=io.StringIO(), stderr=terminal)
    assert code == 0
    shown = terminal.getvalue()
    assert "pulled 4 events\n" in shown  # its own line, ended before the participants'
    assert shown.index("pulled 4 events\n") < shown.index("reading participants")
    assert shown.count("pulled 4 events\n") == 1
    assert "reading participants: 1/4 events, 3 contacts" in shown
    assert "reading participants: 4/4 events, 7 contacts\n" in shown
    piped = io.StringIO()
    again = ["pull", "--participants", "--force", "sheets/events.xlsx"]
    assert main(again, env=portal.env, cwd=portal.root, stdout=io.StringIO(), stderr=piped) == 0
    assert "reading participants" not in piped.getvalue()


def breakdown_page(*rows: tuple[str, str, str]) -> dict:
    """A breakdown page as HubSpot publishes its shape: (email, contactId, state) each."""
    return {
        "total": len(rows),
        "results": [
            {
                "id": f"90000000{n}",
                "createdAt": "2026-04-01T00:00:00Z",
                "properties": {"attendanceState": state, "occurredAt": WHEN},
                "associations": {
                    "contact": {"contactId": contact, "email": email} if email else {},
                    "marketingEvent": {"marketingEventId": "7002", "name": "Webinar"},
                },
            }
            for n, (email, contact, state) in enumerate(rows)
        ],
    }


def test_rows_with_no_state_a_row_could_send_or_no_email_are_left_out(tmp_path, sb):
    portal = Workspace(tmp_path, sb)
    sb.reset_counters()
    page = breakdown_page(
        ("Kept@Example.com", "100900", "REGISTERED"),
        ("empty@example.com", "100901", "EMPTY"),
        ("", "100902", "ATTENDED"),
        ("new@example.com", "100903", "SOMETHING_NEW"),
    )
    sb.script_fault(REQUEST_OF["7002"], status=200, body=page)
    result = portal.run("pull", "--participants", "sheets/events.xlsx")
    assert result.code == 0, result.err
    rows = sheet_rows(portal.sheets / "events.xlsx")
    assert [row[:3] + row[6:] for row in rows[1:] if row[1] == 7002] == [
        ["kept@example.com", 7002, "register", "100900", "registered"]
    ]
    assert ("7002", "kept@example.com") in confirmed_in_state(tmp_path)
    assert ("7002", "empty@example.com") not in confirmed_in_state(tmp_path)


def test_an_event_deleted_before_its_breakdown_has_no_rows(tmp_path, sb):
    portal = Workspace(tmp_path, sb)
    sb.reset_counters()
    gone = {
        "status": "error",
        "message": "Marketing event 7001 does not exist",
        "category": "OBJECT_NOT_FOUND",
        "correlationId": "c0ffee00-0000-4000-8000-000000000002",
    }
    sb.script_fault(REQUEST_OF["7001"], status=404, body=gone)
    result = portal.run("pull", "--participants", "sheets/events.xlsx")
    assert result.code == 0, result.err
    rows = sheet_rows(portal.sheets / "events.xlsx")
    assert {row[1] for row in rows[1:]} == {7002, 7003}


def test_a_breakdown_that_keeps_failing_writes_nothing_and_says_which_event(tmp_path, sb):
    portal = Workspace(tmp_path, sb)
    sb.reset_counters()
    broken = {"status": "error", "message": "bad", "category": "VALIDATION_ERROR"}
    sb.script_fault(REQUEST_OF["7003"], status=400, body=broken)
    result = portal.run("pull", "--participants", "sheets/events.xlsx")
    assert result.code != 0
    assert "could not read the participants of event 7003 from HubSpot" in result.err
    assert not (portal.sheets / "events.xlsx").exists()
    assert not confirmed_in_state(tmp_path)


def test_the_request_numbers_the_faults_use(tmp_path, sb):
    portal = Workspace(tmp_path, sb)
    sb.reset_counters()
    assert portal.run("pull", "--participants", "sheets/events.xlsx").code == 0
    numbered = {
        r.path.split("/")[-2]: n for n, r in enumerate(sb.requests, 1) if BREAKDOWN in r.path
    }
    assert numbered == REQUEST_OF
