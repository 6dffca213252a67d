"""What `plan` says per event of a participants file whose events are interleaved row by
row (as webinar exports of many events come): each event's line counts its own rows to
send and its own rows held back, whichever way the contacts are known (issue 26)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from helpers import TOKEN, Workspace

from eventsync.sandbox.contacts import add_contacts
from eventsync.sandbox.server import Sandbox, make_event

READ_EVENTS = "crm.objects.marketing_events.read"
WRITE_EVENTS = "crm.objects.marketing_events.write"
READ_CONTACTS = "crm.objects.contacts.read"
# (event, email): 7001 has 3 people HubSpot does not know, 7002 one, 7003 none; 7004 only
# unknown ones. Rows interleaved: no event's rows are together.
ROWS = [
    ("7001", "new1@example.com"),
    ("7002", "known1@example.com"),
    ("7003", "known2@example.com"),
    ("7001", "known3@example.com"),
    ("7004", "new2@example.com"),
    ("7002", "new3@example.com"),
    ("7001", "new4@example.com"),
    ("7003", "known4@example.com"),
    ("7001", "new5@example.com"),
    ("7004", "new6@example.com"),
]
KNOWN = [email for _, email in ROWS if email.startswith("known")]


def write_people(path: Path) -> None:
    text = io.StringIO()
    rows = [["email", "objectId", "state"], *([email, e, "register"] for e, email in ROWS)]
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    path.write_bytes(text.getvalue().encode("utf-8"))


def event_block(out: str, object_id: str) -> list[str]:
    """The lines `plan` says of one event: its line and the indented ones under it."""
    lines = out.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(f"  event {object_id}:"))
    block = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith("    "):
            break
        block.append(line)
    return block


@pytest.mark.slow
@pytest.mark.parametrize("contacts_readable", [True, False])
def test_each_event_line_counts_its_own_rows_held(tmp_path, contacts_readable):
    scopes = [READ_EVENTS, WRITE_EVENTS] + ([READ_CONTACTS] if contacts_readable else [])
    events = [make_event(n) for n in ("7001", "7002", "7003", "7004")]
    with Sandbox(events, token=TOKEN, rate_limit=None, scopes=scopes) as sb:
        add_contacts(sb, *KNOWN)
        space = Workspace(tmp_path, sb)
        write_people(space.sheets / "participants.csv")
        result = space.run("plan")
    assert result.code == 0, result.err
    held = "not sent: HubSpot has no contact" if contacts_readable else "might create contacts"
    if contacts_readable:
        assert event_block(result.out, "7001")[0] == "  event 7001: 1 register to send"
        assert event_block(result.out, "7002")[0] == "  event 7002: 1 register to send"
        assert event_block(result.out, "7003") == ["  event 7003: 2 register to send"]
        assert event_block(result.out, "7004")[0] == "  event 7004: nothing to send"
        expected = {"7001": 3, "7002": 1, "7004": 2}
    else:  # nothing known: every row is held, each under its own event
        expected = {"7001": 4, "7002": 2, "7003": 2, "7004": 2}
    for object_id, count in expected.items():
        said = [line for line in event_block(result.out, object_id) if held in line]
        assert len(said) == 1 and said[0].startswith(f"    {count} not sent:"), said
