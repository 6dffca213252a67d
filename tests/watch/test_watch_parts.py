"""The watcher's pure parts with plain values: which names count, when a sheet is due,
how long an outage is waited out; and the command line's refusals."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from eventsync.model import FileStamp
from eventsync.watch.backoff import Backoff, Outage, outage_of, seconds_to_daily_reset
from eventsync.watch.schedule import Schedule
from eventsync.watch.watched_files import (
    is_open_elsewhere,
    is_sheet_name,
    locked_sheet,
    writer_refuses,
)

SHEET = Path("/w/sheets/events.xlsx")
SAVED = FileStamp(1, 10, 100, 1)
OURS = FileStamp(1, 11, 120, 2)


def test_sheets_and_lock_files_are_told_apart():
    assert is_sheet_name("events.xlsx") and is_sheet_name("Plan.CSV")
    assert not is_sheet_name("~$events.xlsx") and not is_sheet_name(".events.xlsx.tmp")
    assert not is_sheet_name("notes.txt")
    assert locked_sheet(Path("/w/~$events.xlsx")) == Path("/w/events.xlsx")
    assert locked_sheet(Path("/w/.~lock.events.xlsx#")) == Path("/w/events.xlsx")
    assert locked_sheet(Path("/w/events.xlsx")) is None


def test_a_workbook_is_open_while_either_programs_lock_file_exists(tmp_path):
    book = tmp_path / "events.xlsx"
    book.write_bytes(b"")
    assert not is_open_elsewhere(book)
    (tmp_path / ".~lock.events.xlsx#").write_text("x")
    assert is_open_elsewhere(book)
    (tmp_path / ".~lock.events.xlsx#").unlink()
    (tmp_path / "~$events.xlsx").write_text("x")
    assert is_open_elsewhere(book) and writer_refuses(book)


def test_a_sheet_is_due_once_quiet_and_our_own_write_is_no_change():
    schedule = Schedule(quiet_s=2.0)
    assert schedule.changed(SHEET, SAVED, at=10.0)
    assert schedule.changed(SHEET, SAVED, at=11.0)  # saved again: the quiet starts over
    assert schedule.due(12.9) == []
    assert schedule.due(13.0) == [SHEET]
    schedule.started(SHEET)
    schedule.synced(SHEET, [SAVED, OURS], waiting_for_close=False)
    assert not schedule.changed(SHEET, OURS, at=14.0)  # the write-back
    assert schedule.due(100.0) == []
    assert schedule.changed(SHEET, FileStamp(1, 12, 130, 3), at=15.0)  # the user saved
    assert schedule.due(17.0) == [SHEET]


def test_a_deleted_sheet_is_forgotten():
    schedule = Schedule(quiet_s=1.0)
    schedule.changed(SHEET, SAVED, at=0.0)
    assert not schedule.changed(SHEET, None, at=0.5)
    assert schedule.due(10.0) == [] and schedule.next_due() is None


def test_results_waiting_for_a_workbook_are_due_when_it_is_closed():
    schedule = Schedule(quiet_s=1.0)
    schedule.synced(SHEET, [OURS], waiting_for_close=True)
    assert schedule.waiting_for_close() == [SHEET]
    assert schedule.closed(SHEET, at=5.0)
    assert schedule.due(5.0) == [SHEET] and schedule.waiting_for_close() == []
    assert not schedule.closed(SHEET, at=6.0)  # nothing waits any more


def test_nothing_is_due_during_an_outage_and_the_hit_sheets_are_retried_after():
    other = SHEET.with_name("other.csv")
    schedule = Schedule(quiet_s=1.0)
    schedule.hold([SHEET], until=30.0)
    schedule.changed(other, SAVED, at=1.0)
    assert schedule.due(29.0) == []
    assert schedule.next_due() == 30.0
    assert schedule.due(30.0) == [SHEET, other]


def test_outages_are_read_from_the_clients_decisions():
    assert outage_of(["done", "retry", "done"]) is Outage.NONE
    assert outage_of(["retry", "give_up"]) is Outage.DOWN
    assert outage_of(["stop_wait"]) is Outage.DOWN
    assert outage_of(["give_up", "stop_auth"]) is Outage.REFUSED
    assert outage_of(["done", "stop_daily"]) is Outage.DAILY


def test_waits_double_up_to_the_cap_and_the_daily_limit_waits_for_midnight_there():
    backoff = Backoff(first_s=10.0, max_s=60.0)
    now = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)  # 23:00 in Tokyo
    tokyo = ZoneInfo("Asia/Tokyo")
    assert [backoff.wait_s(Outage.DOWN, n, now, tokyo) for n in (1, 2, 3, 4)] == [10, 20, 40, 60]
    assert backoff.wait_s(Outage.DAILY, 1, now, tokyo) == pytest.approx(3600 + 60)
    assert seconds_to_daily_reset(now, UTC) == pytest.approx(10 * 3600 + 60)


@pytest.mark.parametrize("value", ["0", "-1", "soon", "nan", "inf"])
def test_quiet_seconds_must_be_a_positive_number(workspace, value, capsys):
    with pytest.raises(SystemExit) as stopped:
        workspace.run("watch", "--quiet-seconds", value)
    assert stopped.value.code == 2
    assert "not a number of seconds above 0" in capsys.readouterr().err


def test_a_missing_sheets_folder_or_file_is_refused_with_exit_2(workspace):
    result = workspace.run("watch", "nowhere.xlsx")
    assert result.code == 2 and "no such file" in result.err
    result = workspace.run("watch", EVENTSYNC_SHEETS_DIR="no-such-folder")
    assert result.code == 2 and "no sheets folder" in result.err


def test_watch_needs_a_token_like_sync(workspace):
    result = workspace.run("watch", HUBSPOT_ACCESS_TOKEN="")
    assert result.code == 2 and "HUBSPOT_ACCESS_TOKEN" in result.err
