"""`eventsync watch` syncs participants files as `sync` does: a participants CSV saved
into the watched folder (or saved again, changed) is sent to HubSpot's attendance API and
its rows annotated; contacts are created only as EVENTSYNC_CREATE_CONTACTS allows (the
careful default holds them back); its own write-back is no save; a file watch cannot read
gets its one line and watch carries on. A real child process against the sandbox, files
saved as Excel saves them; every wait polls with a generous deadline."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from helpers import read_rows
from test_watch_end_to_end import annotated
from watch_process import replace_file

from eventsync.sandbox.contacts import add_contacts, created_contacts
from eventsync.sandbox.participants import participation_states
from eventsync.sandbox.sample import sample_rows
from eventsync.sheets.template import build_workbook

EVENT = "5823713202"  # one of the sample events the workspace's sandbox has
HEADER = ["email", "objectId", "state"]


def csv_bytes(rows: list[list[str]]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode("utf-8")


def save(path: Path, rows: list[list[str]]) -> None:
    """Save as Excel does: written beside, moved over the file."""
    replace_file(path, lambda temp: temp.write_bytes(csv_bytes(rows)))


def people(count: int, state: str = "register") -> list[list[str]]:
    return [HEADER] + [[f"p{n}@example.com", EVENT, state] for n in range(count)]


def read_back(path: Path) -> dict[str, dict[str, str]]:
    try:
        rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"))))
    except OSError:  # mid-replace: not yet
        return {}
    return {row[0]: dict(zip(rows[0], row, strict=False)) for row in rows[1:]}


def all_annotated(path: Path) -> bool:
    rows = read_back(path)
    return bool(rows) and all(row.get("contactId", "").isdigit() for row in rows.values())


@pytest.mark.slow
def test_a_participants_file_saved_into_the_folder_is_synced_and_annotated(workspace, watcher):
    sb = workspace.sandbox
    add_contacts(sb, *(f"p{n}@example.com" for n in range(3)))
    watch = watcher()
    path = workspace.sheets / "people.csv"
    save(path, people(3))
    watch.wait_for(lambda: watch.sheet_syncs("people.csv"), "the sync of people.csv")
    [first] = watch.sheet_syncs("people.csv")
    assert first["kind"] == "participants" and first["sent"] == 3 and first["failed"] == []
    assert first["exitCode"] == 0
    watch.wait_for(lambda: all_annotated(path), "the rows annotated")
    assert all(row["syncError"] == "" for row in read_back(path).values())
    assert sorted(participation_states(sb, EVENT)) == [f"p{n}@example.com" for n in range(3)]
    # Its own write-back is not a save: no second sync follows.
    assert watch.stays(lambda: len(watch.sheet_syncs("people.csv")) == 1, 1.5)

    # Saved again with one row changed: that row alone is sent.
    before = len([r for r in sb.requests if "/attendance/" in r.path])
    rows = people(3)
    rows[3][2] = "attend"  # p2
    save(path, rows)
    watch.wait_for(lambda: len(watch.sheet_syncs("people.csv")) == 2, "the sync of the change")
    second = watch.sheet_syncs("people.csv")[1]
    assert second["sent"] == 1 and second["unchanged"] == 2
    sent = [r for r in sb.requests if "/attendance/" in r.path][before:]
    assert [r.path.rsplit("/", 2)[-2] for r in sent] == ["attend"]
    assert [i["email"] for i in sent[0].body["inputs"]] == ["p2@example.com"]
    watch.wait_for(lambda: all_annotated(path), "the rows annotated again")
    assert watch.terminate() == 0
    # The run log of watch's last sync names the file and counts its rows.
    shown = workspace.run("log").out
    assert "started: watch of people.csv (participants)" in shown
    assert "people.csv (participants): 1 sent, 0 failed, 0 held back, 0 with problems" in shown


@pytest.mark.slow
def test_watch_creates_contacts_only_when_the_setting_allows(workspace, watcher):
    sb = workspace.sandbox
    add_contacts(sb, "p0@example.com")
    watch = watcher()
    path = workspace.sheets / "people.csv"
    save(path, people(2))
    watch.wait_for(lambda: watch.sheet_syncs("people.csv"), "the sync of people.csv")
    [first] = watch.sheet_syncs("people.csv")
    assert first["sent"] == 1 and first["events"][0]["held"] == 1
    watch.wait_for(lambda: read_back(path).get("p1@example.com", {}).get("syncError"), "a note")
    assert "EVENTSYNC_CREATE_CONTACTS=yes" in read_back(path)["p1@example.com"]["syncError"]
    assert created_contacts(sb) == []
    assert watch.terminate() == 0

    # Allowed (the setting, read at each sync): its start-up pass sends the row held
    # back, and a row saved meanwhile creates its contact too.
    allowed = watcher(EVENTSYNC_CREATE_CONTACTS="yes")
    save(path, people(2) + [["p2@example.com", EVENT, "register"]])

    def sent() -> int:
        return sum(s["sent"] for s in allowed.sheet_syncs("people.csv"))

    allowed.wait_for(lambda: sent() == 2, "both rows sent with permission")
    assert sorted(created_contacts(sb)) == ["p1@example.com", "p2@example.com"]
    allowed.wait_for(lambda: all_annotated(path), "every row annotated")
    assert allowed.terminate() == 0


@pytest.mark.slow
def test_a_participants_file_watch_cannot_read_gets_one_line_and_watch_carries_on(
    workspace, watcher
):
    add_contacts(workspace.sandbox, "p0@example.com")
    path = workspace.sheets / "people.csv"
    path.write_bytes(b'email,objectId,state\r\n"p0@example.com,5823713202,register\r\n')
    events = workspace.sample_workbook()
    watch = watcher()

    def said() -> list[dict]:
        return [s for s in watch.syncs if s.get("file") == "people.csv" and "message" in s]

    watch.wait_for(said, "the line about people.csv")
    [problem] = said()
    assert problem["exitCode"] == 2 and "quoted field is never closed" in problem["message"]
    assert "\n" not in problem["message"]
    watch.wait_for(lambda: annotated(events, workspace.sandbox), "the events synced meanwhile")
    assert path.read_bytes().startswith(b'email,objectId,state\r\n"p0')  # left as it was
    assert not [r for r in workspace.sandbox.requests if "/attendance/" in r.path]
    save(path, people(1))  # fixed
    watch.wait_for(lambda: watch.sheet_syncs("people.csv"), "the sync of the fixed file")
    assert watch.sheet_syncs("people.csv")[0]["sent"] == 1
    assert watch.terminate() == 0


@pytest.mark.slow
def test_an_events_workbook_with_a_participants_sheet_syncs_both_in_one_turn(workspace, watcher):
    """The events workbook's own Participants sheet is synced right after its events
    sheet, as `sync` does; neither write-back is taken for a save."""
    sb = workspace.sandbox
    add_contacts(sb, *(f"p{n}@example.com" for n in range(3)))
    watch = watcher()
    path = workspace.sheets / "events.xlsx"

    def workbook(temp: Path) -> None:
        book = build_workbook(sample_rows(), custom=("region",))
        sheet = book.create_sheet("Participants")
        for row in people(3):
            sheet.append(row)
        book.save(temp)

    replace_file(path, workbook)
    watch.wait_for(lambda: len(watch.sheet_syncs("events.xlsx")) == 2, "both syncs of the book")
    events, participants = watch.sheet_syncs("events.xlsx")
    assert "kind" not in events or events["kind"] != "participants"
    assert participants["kind"] == "participants" and participants["sent"] == 3
    assert sorted(participation_states(sb, EVENT)) == [f"p{n}@example.com" for n in range(3)]
    watch.wait_for(lambda: annotated(path, sb), "the events annotated")
    rows = read_rows(path, "Participants")
    assert [row["contactId"] for row in rows] and all(row["contactId"] for row in rows)
    assert all(not row.get("syncError") for row in rows)
    # Its own two writes are no save: no further sync follows.
    assert watch.stays(lambda: len(watch.sheet_syncs("events.xlsx")) == 2, 1.5)
    assert watch.terminate() == 0
