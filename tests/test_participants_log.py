"""The run log of a sync with participants files, as `eventsync log` shows it: the start
line names them, an attendance request says how many participants it carried (not "0
events"), a contacts read how many emails it looked up, and each file has its line of
rows sent and failed; the log names no one. Through `eventsync.cli.main` over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import TOKEN, Workspace

from eventsync.sandbox.participants import refuse_attendance_batches
from eventsync.sandbox.server import Sandbox, make_event

HEADER = ["email", "objectId", "state"]
PEOPLE = [
    ["a@example.com", "7001", "register"],
    ["b@example.com", "7001", "register"],
    ["refused@example.com", "7001", "register"],
    ["c@example.com", "7001", "attend"],
    ["not an email", "7001", "register"],
]


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox([make_event("7001")], token=TOKEN, rate_limit=None) as server:
        refuse_attendance_batches(server, "refused@example.com")
        yield server


@pytest.fixture
def space(tmp_path: Path, sb: Sandbox) -> Workspace:
    space = Workspace(tmp_path, sb)
    space.csv_sheet("people.csv", [HEADER, *PEOPLE])
    space.csv_sheet("more people.csv", [HEADER, ["d@example.com", "7001", "cancel"]])
    return space


@pytest.mark.slow
def test_the_log_counts_participants_per_request_and_per_file(space, sb):
    assert space.run("sync", "--create-contacts").code == 1
    shown = space.run("log")
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    (start,) = [line for line in lines if "started:" in line]
    assert start.endswith(
        "started: sync of more people.csv (participants), people.csv (participants)"
    )
    attendance = [line for line in lines if "/attendance/" in line]
    # (The files in name order.) cancel [d]; register [a, b, refused] refused whole:
    # then a alone, and the rest in halves: b, refused (refused alone); attend [c].
    carried = [line.split(": ", 1)[1].split(",")[0] for line in attendance]
    assert carried == ["1 participant", "3 participants"] + ["1 participant"] * 4
    assert not any("0 events" in line for line in lines)
    reads = [line for line in lines if "/contacts/batch/read" in line]
    assert len(reads) == 2 and "1 email looked up" in reads[0] and "4 emails looked up" in reads[1]
    assert any(
        line.endswith("people.csv (participants): 3 sent, 1 failed, 0 held back, 1 with problems")
        for line in lines
    )
    assert any(
        line.endswith(
            "more people.csv (participants): 1 sent, 0 failed, 0 held back, 0 with problems"
        )
        for line in lines
    )
    raw = space.run("log", "--json").out
    assert "@" not in raw  # no email reaches the log
    entries = [json.loads(line) for line in raw.splitlines()]
    assert entries[0]["kind"] == "start" or entries[1]["kind"] == "start"
    (begun,) = [e for e in entries if e["kind"] == "start"]
    assert begun["sheets"] == [] and begun["participants"] == ["more people.csv", "people.csv"]


@pytest.mark.slow
def test_the_log_says_it_in_japanese_too(space, sb):
    space.sample_workbook()
    space.run("sync", "--create-contacts")
    shown = space.run("log", EVENTSYNC_LANG="ja").out
    assert "開始：events.xlsx, more people.csv（参加者）, people.csv（参加者）のsync" in shown
    assert "参加者3件、" in shown and "メールアドレス4件を照会、" in shown
    assert "people.csv（参加者）：送信3、失敗1、保留0、問題あり1" in shown
