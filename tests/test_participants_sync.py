"""Participants sheets end to end (issue 26, items 1-3): a CSV of who registered, attended
and cancelled, planned and synced through `eventsync.cli.main` over real HTTP to the
sandbox's attendance and contacts endpoints; results read back from the file itself."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import TOKEN, Workspace

from eventsync.sandbox.contacts import add_contacts, created_contacts
from eventsync.sandbox.participants import (
    lose_attendance_answers,
    participation_states,
    refuse_cancel_without_registration,
)
from eventsync.sandbox.server import Sandbox, make_event

EVENTS = ("7001", "7002", "7003")
ALL_SCOPES = [
    "crm.objects.marketing_events.read",
    "crm.objects.marketing_events.write",
    "crm.objects.contacts.read",
]
HEADER = ["email", "objectId", "state", "interactionDateTime", "joinedAt", "leftAt"]
HEADER_JA = ["メールアドレス", "イベントID", "状態", "日時", "参加時刻", "退出時刻"]
STATE_JA = {"register": "登録", "attend": "出席", "cancel": "キャンセル"}


def people_rows() -> list[list[str]]:
    """250 rows over 3 events: 7001 150 register + 20 attend, 7002 40 attend, 7003 25
    register + 15 cancel. Even-numbered people are contacts HubSpot knows."""
    plan = [("7001", "register")] * 150 + [("7001", "attend")] * 20
    plan += [("7002", "attend")] * 40 + [("7003", "register")] * 25 + [("7003", "cancel")] * 15
    rows = []
    for number, (event, state) in enumerate(plan):
        joined, left = ("2026-05-01 10:00", "2026-05-01 11:30") if state == "attend" else ("", "")
        rows.append([f"p{number}@example.com", event, state, "2026-04-20 09:00", joined, left])
    return rows


KNOWN = [f"p{n}@example.com" for n in range(0, 250, 2)]
UNKNOWN = [f"p{n}@example.com" for n in range(1, 250, 2)]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def read_back(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode(encoding))))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def attendance_requests(sb: Sandbox) -> list[str]:
    return [r.path for r in sb.requests if "/attendance/" in r.path]


def contact_reads(sb: Sandbox) -> int:
    return sum(1 for r in sb.requests if r.path.endswith("/contacts/batch/read"))


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    events = [make_event(n) for n in EVENTS]
    with Sandbox(events, token=TOKEN, rate_limit=None, scopes=ALL_SCOPES) as server:
        add_contacts(server, *KNOWN)
        yield server


@pytest.fixture
def people(tmp_path: Path, sb: Sandbox) -> Workspace:
    space = Workspace(tmp_path, sb)
    write_csv(space.sheets / "participants.csv", [HEADER, *people_rows()])
    return space


@pytest.mark.slow
def test_plan_counts_rows_per_event_and_state_and_names_contacts_it_would_create(people, sb):
    before = people.sheets.joinpath("participants.csv").read_bytes()
    result = people.run("plan")
    assert result.code == 0, result.err
    assert "participants.csv (participants):" in result.out
    # Without permission, the rows of people HubSpot knows (half of each event's rows).
    assert "event 7001: 75 register, 10 attend to send" in result.out
    assert "event 7002: 20 attend to send" in result.out
    assert "event 7003: 13 register, 7 cancel to send" in result.out
    # 7001 has 85 people HubSpot does not know: five named, then the count of the rest.
    assert "85 would create new contacts: p1@example.com, p3@example.com" in result.out
    assert "and 80 more" in result.out
    assert "85 not sent: HubSpot has no contact for them" in result.out
    assert "EVENTSYNC_CREATE_CONTACTS=yes" in result.out
    allowed = people.run("plan", "--create-contacts")
    assert "event 7001: 150 register, 20 attend to send" in allowed.out
    assert "85 would create new contacts" in allowed.out and "not sent" not in allowed.out
    assert attendance_requests(sb) == [] and created_contacts(sb) == []
    assert contact_reads(sb) == 6  # 250 emails, 100 a request, for each plan
    assert people.sheets.joinpath("participants.csv").read_bytes() == before


@pytest.mark.slow
def test_plan_json_has_the_participants(people, sb):
    result = people.run("plan", "--json")
    document = json.loads(result.out)
    (sheet,) = document["participants"]
    by_event = {e["objectId"]: e for e in sheet["events"]}
    assert by_event["7001"]["send"] == {"register": 75, "attend": 10}
    assert len(by_event["7001"]["newContacts"]) == 85
    assert by_event["7001"]["held"] == 85 and sheet["contactsKnown"] is True


@pytest.mark.slow
def test_sync_without_permission_sends_only_known_contacts_and_says_why_for_the_rest(people, sb):
    result = people.run("sync")
    assert result.code == 0, result.err
    assert created_contacts(sb) == []
    states = participation_states(sb, "7001")
    assert len(states) == 85  # 170 rows, half of them known
    rows = read_back(people.sheets / "participants.csv")
    for row in rows:
        if row["email"] in UNKNOWN:
            assert "creates one" in row["syncError"] and "--create-contacts" in row["syncError"]
            assert row.get("contactId", "") == ""
        else:
            assert row["syncError"] == "" and row["contactId"].isdigit() and row["sentAt"]
    assert "125 sent" in result.out and "125 held back" in result.out
    # The run log has the participants' requests, and its end line last.
    (log,) = (people.root / ".eventsync" / "logs").glob("sync-*.jsonl")
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert lines[-1]["kind"] == "end"
    sent = [e for e in lines if e["kind"] == "request" and "/attendance/" in e["path"]]
    assert len(sent) == 5 and "@" not in log.read_text(encoding="utf-8")  # no email logged


@pytest.mark.slow
def test_sync_with_permission_sends_all_in_as_few_requests_as_100_inputs_allow(people, sb):
    result = people.run("sync", "--create-contacts")
    assert result.code == 0, result.err
    # 7001 register: 150 rows = 2 requests; every other event and state: 1.
    assert len(attendance_requests(sb)) == 6
    assert sorted(created_contacts(sb)) == sorted(UNKNOWN)
    assert participation_states(sb, "7003")["p249@example.com"] == "CANCELLED"
    rows = read_back(people.sheets / "participants.csv")
    assert all(r["syncError"] == "" and r["contactId"].isdigit() for r in rows)
    assert len({r["contactId"] for r in rows}) == 250

    count = len(sb.requests)
    again = people.run("sync", "--create-contacts")
    assert again.code == 0, again.err
    assert len(sb.requests) == count  # nothing sent, nothing even asked
    assert "0 sent" in again.out and "250 unchanged" in again.out
    document = json.loads(people.run("sync", "--json").out)
    (sheet,) = document["participants"]
    assert (sheet["sent"], sheet["unchanged"], sheet["failed"]) == (0, 250, [])
    assert len(sb.requests) == count


@pytest.mark.slow
def test_the_setting_allows_creating_contacts_as_the_option_does(people, sb):
    result = people.run("sync", EVENTSYNC_CREATE_CONTACTS="yes")
    assert result.code == 0, result.err
    assert len(created_contacts(sb)) == 125


@pytest.mark.slow
def test_a_bad_create_contacts_setting_stops_before_anything_is_sent(people, sb):
    result = people.run("sync", EVENTSYNC_CREATE_CONTACTS="maybe")
    assert result.code == 2
    assert "EVENTSYNC_CREATE_CONTACTS" in result.err and "yes or no" in result.err
    assert attendance_requests(sb) == []


@pytest.mark.slow
def test_without_the_contacts_read_scope_nothing_that_might_create_a_contact_is_sent(tmp_path):
    events = [make_event(n) for n in EVENTS]
    scopes = ALL_SCOPES[:2]
    with Sandbox(events, token=TOKEN, rate_limit=None, scopes=scopes) as sb:
        add_contacts(sb, *KNOWN)
        space = Workspace(tmp_path, sb)
        write_csv(space.sheets / "participants.csv", [HEADER, *people_rows()])
        plan = space.run("plan")
        assert plan.code == 0, plan.err
        assert "New contacts: unknown" in plan.out
        assert "crm.objects.contacts.read" in plan.out
        result = space.run("sync")
        assert attendance_requests(sb) == [] and created_contacts(sb) == []
        rows = read_back(space.sheets / "participants.csv")
        assert all("crm.objects.contacts.read" in r["syncError"] for r in rows)
        assert result.code == 0, result.err
        # Allowed to create contacts, every row goes, whoever HubSpot knows.
        allowed = space.run("sync", "--create-contacts")
        assert allowed.code == 0, allowed.err
        assert len(attendance_requests(sb)) == 6 and len(created_contacts(sb)) == 125


@pytest.mark.slow
def test_duplicates_and_bad_rows_are_annotated_while_the_others_sync(tmp_path, sb):
    space = Workspace(tmp_path, sb)
    rows = [
        HEADER,
        ["p0@example.com", "7001", "register", "", "", ""],
        [" P2@Example.com ", "7001", "attend", "", "", ""],  # the same person as row 5
        ["", "7001", "register", "", "", ""],
        ["not an email", "7001", "register", "", "", ""],
        ["ｐ２＠ｅｘａｍｐｌｅ．ｃｏｍ", "7001", "cancel", "", "", ""],
        ["p4@example.com", "7001", "maybe", "", "", ""],
        ["p6@example.com", "abc", "register", "", "", ""],
        ["p8@example.com", "7002", "register", "", "2026-05-01 10:00", ""],
        ["ｐ１０＠ＥＸＡＭＰＬＥ.com", "7002", "register", "2026-13-40", "", ""],
        ["ｐ１２＠ＥＸＡＭＰＬＥ.com", "7002", "register", "", "", ""],
    ]
    path = write_csv(space.sheets / "participants.csv", rows)
    result = space.run("sync")
    assert result.code == 1, result.err
    back = read_back(path)
    assert back[0]["syncError"] == "" and back[0]["contactId"].isdigit()
    assert "also on row 6" in back[1]["syncError"] and "also on row 3" in back[4]["syncError"]
    assert "no email" in back[2]["syncError"]
    assert "not an email address" in back[3]["syncError"]
    assert "not a state" in back[5]["syncError"]
    assert back[6]["syncError"] and back[6].get("contactId", "") == ""
    assert "attend rows only" in back[7]["syncError"]
    assert back[8]["syncError"].startswith("interactionDateTime")
    assert back[9]["syncError"] == "" and back[9]["contactId"].isdigit()
    assert set(participation_states(sb, "7001")) == {"p0@example.com"}
    assert set(participation_states(sb, "7002")) == {"p12@example.com"}
    # The user's own typing is kept as typed.
    assert (
        back[1]["email"] == " P2@Example.com " and back[9]["email"] == "ｐ１２＠ＥＸＡＭＰＬＥ.com"
    )


@pytest.mark.slow
def test_a_cp932_csv_with_japanese_headers_syncs_the_same(tmp_path, sb):
    space = Workspace(tmp_path, sb)
    rows = [[r[0], r[1], STATE_JA[r[2]], r[3], r[4], r[5]] for r in people_rows()]
    path = write_csv(space.sheets / "参加者.csv", [HEADER_JA, *rows], encoding="cp932")
    plan = space.run("plan")
    assert plan.code == 0, plan.err
    assert "イベント7001：登録75件、出席10件を送信" in plan.out
    result = space.run("sync", "--create-contacts")
    assert result.code == 0, result.err
    assert len(attendance_requests(sb)) == 6
    assert len(participation_states(sb, "7001")) == 170
    back = read_back(path, "cp932")  # still Japanese Excel's CSV
    assert set(back[0]) >= {"同期エラー", "コンタクトID", "送信日時"}
    assert all(r["同期エラー"] == "" and r["コンタクトID"].isdigit() for r in back)


@pytest.mark.slow
def test_errors_in_hubspots_answer_go_to_their_rows_and_the_rest_is_confirmed(tmp_path, sb):
    refuse_cancel_without_registration(sb)
    space = Workspace(tmp_path, sb)
    rows = [
        HEADER,
        ["p0@example.com", "7003", "cancel", "", "", ""],  # never registered: refused
        ["p2@example.com", "7003", "register", "", "", ""],
        ["p4@example.com", "7003", "cancel", "", "", ""],  # refused too
    ]
    path = write_csv(space.sheets / "participants.csv", rows)
    result = space.run("sync")
    assert result.code == 1, result.err
    back = read_back(path)
    assert "not registered for event 7003" in back[0]["syncError"]
    assert back[0].get("contactId", "") == "" and back[2]["syncError"]
    assert back[1]["syncError"] == "" and back[1]["contactId"].isdigit()
    # The refused rows are sent again by the next sync; the confirmed one is not.
    count = len(attendance_requests(sb))
    space.run("sync")
    assert [p.rsplit("/", 2)[-2] for p in attendance_requests(sb)[count:]] == ["cancel"]


@pytest.mark.slow
def test_an_answer_lost_after_hubspot_applied_it_is_sent_again_by_the_client(tmp_path, sb):
    lose_attendance_answers(sb, "status", status=503)
    space = Workspace(tmp_path, sb)
    path = write_csv(
        space.sheets / "participants.csv",
        [HEADER, ["p0@example.com", "7001", "register", "", "", ""]],
    )
    result = space.run("sync", EVENTSYNC_MAX_RETRIES="2")
    assert result.code == 0, result.err
    assert len(attendance_requests(sb)) == 2  # the lost answer, then the retry
    assert created_contacts(sb) == [] and set(participation_states(sb, "7001")) == {
        "p0@example.com"
    }
    assert read_back(path)[0]["contactId"].isdigit()


@pytest.mark.slow
def test_results_not_written_while_the_file_is_open_are_written_by_the_next_sync(tmp_path, sb):
    space = Workspace(tmp_path, sb)
    path = write_csv(
        space.sheets / "participants.csv",
        [HEADER, ["p0@example.com", "7001", "register", "", "", ""]],
    )
    lock = space.sheets / "~$participants.csv"
    lock.write_bytes(b"")  # Excel has it open
    first = space.run("sync")
    assert first.code == 1 and "participants.csv" in first.out
    assert "contactId" not in path.read_text(encoding="utf-8")
    assert len(attendance_requests(sb)) == 1
    lock.unlink()
    second = space.run("sync")
    assert second.code == 0, second.err
    assert len(attendance_requests(sb)) == 1  # nothing sent again
    assert read_back(path)[0]["contactId"].isdigit()


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "header"), [("en", HEADER), ("ja", HEADER_JA)])
def test_the_participants_template_in_each_language_is_a_participants_file(
    tmp_path, sb, lang, header
):
    space = Workspace(tmp_path, sb)
    made = space.run(
        "template", "--participants", "--lang", lang, str(Path("sheets") / "people.csv")
    )
    assert made.code == 0, made.err
    path = space.sheets / "people.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens it as Unicode
    assert list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")))) == [header]
    with path.open("a", encoding="utf-8", newline="") as file:
        file.write(f"p0@example.com,7001,{'登録' if lang == 'ja' else 'register'},,,\r\n")
    synced = space.run("sync")
    assert synced.code == 0, synced.err
    assert set(participation_states(sb, "7001")) == {"p0@example.com"}
    again = space.run("template", "--participants", str(Path("sheets") / "people.csv"))
    assert again.code == 2 and "--force" in again.err


@pytest.mark.slow
def test_a_participants_template_is_a_csv_or_a_workbook(tmp_path, sb):
    space = Workspace(tmp_path, sb)
    made = space.run("template", "--participants", "people.ods")
    assert made.code == 2 and ".csv" in made.err and ".xlsx" in made.err
    assert not (tmp_path / "people.ods").exists()
