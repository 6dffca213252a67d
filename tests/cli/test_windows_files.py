"""The write-back, `template --force` and `pull --force` under Windows' rule for open
files (tests/helpers/windows_files.py): a file with a handle open on it cannot be
replaced or deleted. End to end through the command line against the sandbox.

Windows refused every sync's write-back while eventsync's own read handle was still
open (issue 19); another program's handle (a virus scan, a cloud client, Excel) is
waited for briefly, then named: "in use by another program", or "open in Excel" when
Excel's lock file says so. Never exit 70.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from helpers import read_rows
from openpyxl import load_workbook

from eventsync.safe_files import SHARING_RETRY
from eventsync.sheets.csv_file import read_csv
from eventsync.sheets.reader import read_sheet

RETRY_TOTAL_S = sum(SHARING_RETRY.waits_s)


def sample(workspace, kind: str) -> Path:
    """The sample sheet (20 events of the sandbox) as an .xlsx or a .csv."""
    book = workspace.sample_workbook()
    if kind == "xlsx":
        return book
    rows = list(load_workbook(book)["Events"].iter_rows(values_only=True))
    book.unlink()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    for row in rows:
        writer.writerow(
            [
                "" if v is None else v.strftime("%Y-%m-%d %H:%M") if hasattr(v, "hour") else v
                for v in row
            ]
        )
    path = workspace.sheets / "events.csv"
    path.write_text(text.getvalue(), encoding="utf-8")
    return path


def updated_at_by_id(path: Path) -> dict[str, object]:
    return {
        str(int(float(str(row.cells["objectId"])))): row.cells.get("updatedAt")
        for row in read_sheet(path).rows
    }


def backups(workspace, name: str) -> list[Path]:
    folder = workspace.root / ".eventsync" / "backups" / name
    return sorted(folder.iterdir()) if folder.is_dir() else []


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".eventsync-" in p.name)


# -- the rule itself --------------------------------------------------------------------


def test_the_fixture_refuses_what_windows_refuses(tmp_path, windows_files):
    target, new = tmp_path / "events.xlsx", tmp_path / "new.xlsx"
    target.write_bytes(b"old")
    new.write_bytes(b"new")
    with open(target, "rb"):
        for attempt, winerror in (
            (lambda: os.replace(new, target), 5),  # ERROR_ACCESS_DENIED
            (lambda: new.replace(target), 5),
            (lambda: target.unlink(), 32),  # ERROR_SHARING_VIOLATION
            (lambda: shutil.move(target, tmp_path / "moved.xlsx"), 32),
        ):
            with pytest.raises(PermissionError) as refused:
                attempt()
            assert getattr(refused.value, "winerror", None) == winerror
    with open(new, "rb"), pytest.raises(PermissionError):  # the source held: refused too
        os.replace(new, target)
    os.replace(new, target)
    assert target.read_bytes() == b"new"
    if windows_files.emulated:
        assert len(windows_files.refusals) == 6  # shutil.move: the rename, then its delete


def test_a_zip_reader_holds_the_file_as_windows_sees_it(tmp_path, windows_files):
    target = tmp_path / "events.xlsx"
    with zipfile.ZipFile(target, "w") as out:
        out.writestr("a", "b")
    with zipfile.ZipFile(target), pytest.raises(PermissionError):
        target.unlink()
    target.unlink()
    assert not target.exists()


# -- sync: the results come back ----------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_sync_writes_every_result_back_under_windows_rules(workspace, windows_files, kind):
    path = sample(workspace, kind)
    before = path.read_bytes()
    result = workspace.run("sync")
    assert result.code == 0, result.out + result.err
    events = workspace.sandbox.events
    written = updated_at_by_id(path)
    assert len(written) == 20
    assert all(str(written[i]) == events[i]["updatedAt"] for i in written), written
    [backup] = backups(workspace, path.name)
    assert backup.read_bytes() == before  # the version replaced, from the same handle
    assert windows_files.refusals == []
    assert windows_files.waits == []
    assert leftovers(workspace.sheets) == []


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_second_sync_and_backups_pruned_under_windows_rules(workspace, windows_files, kind):
    path = sample(workspace, kind)
    assert workspace.run("sync").code == 0
    for n in range(6):  # past the five backups kept: the oldest are deleted
        rows = read_csv(path).rows if kind == "csv" else None
        if kind == "csv":
            text = path.read_text(encoding="utf-8").replace(
                f"Product Update {n + 1:02d}", f"Renamed {n}", 1
            )
            path.write_text(text, encoding="utf-8")
        else:
            from helpers import edit

            edit(path, {(2 + n, 2): f"Renamed {n}"})
        assert rows is None or rows
        result = workspace.run("sync")
        assert result.code == 0, result.out + result.err
        assert "1 sent, 1 updated" in result.out
    assert len(backups(workspace, path.name)) == 5
    assert windows_files.refusals == []


@pytest.mark.slow
def test_a_backup_open_in_excel_does_not_stop_the_write(workspace, windows_files):
    path = sample(workspace, "xlsx")
    assert workspace.run("sync").code == 0
    from helpers import edit

    for n in range(5):
        edit(path, {(2 + n, 2): f"Renamed {n}"})
        assert workspace.run("sync").code == 0
    oldest = backups(workspace, path.name)[0]
    windows_files.hold(oldest)  # the user opened the oldest backup to compare
    edit(path, {(9, 2): "Renamed again"})
    result = workspace.run("sync")
    assert result.code == 0, result.out + result.err
    assert read_rows(path)[7]["updatedAt"] == workspace.sandbox.events["5823713208"]["updatedAt"]
    assert oldest.exists()  # it goes next time
    windows_files.let_go()
    edit(path, {(10, 2): "Renamed once more"})
    assert workspace.run("sync").code == 0
    assert not oldest.exists()


# -- sync: another program has the file ---------------------------------------------------


def test_a_workbook_held_for_a_moment_is_written_after_a_short_wait(workspace, windows_files):
    path = sample(workspace, "xlsx")
    windows_files.hold(path)  # a virus scan opens the file the moment it is read
    windows_files.on_wait.append(windows_files.let_go)  # ... and is done 50 ms later
    result = workspace.run("sync")
    assert result.code == 0, result.out + result.err
    assert windows_files.waits == [SHARING_RETRY.waits_s[0]]
    assert all(v for v in updated_at_by_id(path).values())


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_file_another_program_keeps_open_is_named_and_written_next_time(
    workspace, windows_files, kind
):
    path = sample(workspace, kind)
    before = path.read_bytes()
    windows_files.hold(path)
    result = workspace.run("sync")
    assert result.code == 1, result.out + result.err
    assert (
        f"{path.name} is in use by another program, so eventsync could not write its results"
        " into it; HubSpot has every change reported above. Close the program that has it"
        " open (or wait until it is done with it) and run eventsync sync again: 20 results"
        " are waiting"
    ) in result.out + result.err
    assert "Excel" not in result.out + result.err
    assert path.read_bytes() == before
    assert leftovers(workspace.sheets) == []
    # Waited about two seconds in growing steps before saying so (on a fake clock).
    assert windows_files.waits == sorted(windows_files.waits)
    assert 1.5 <= sum(windows_files.waits) <= 2.5
    sent = len(workspace.sandbox.batch_update_requests())

    windows_files.let_go()
    again = workspace.run("sync")
    assert again.code == 0, again.out + again.err
    assert len(workspace.sandbox.batch_update_requests()) == sent  # nothing sent twice
    assert all(v for v in updated_at_by_id(path).values())


def test_a_file_held_while_excels_lock_file_appears_says_open_in_excel(workspace, windows_files):
    path = sample(workspace, "xlsx")
    windows_files.hold(path)
    lock = workspace.sheets / "~$events.xlsx"
    windows_files.on_wait.append(lambda: lock.write_bytes(b"owner"))  # Excel opened it
    result = workspace.run("sync")
    assert result.code == 1
    assert (
        "events.xlsx is open in Excel; close it and run eventsync sync again: 20 results are"
        " waiting"
    ) in result.out + result.err


def test_the_japanese_message_names_the_file_too(workspace, windows_files):
    path = sample(workspace, "xlsx")
    windows_files.hold(path)
    result = workspace.run("sync", EVENTSYNC_LANG="ja")
    assert "events.xlsxは別のプログラムが使用中のため" in result.out + result.err


# -- template --force and pull --force ----------------------------------------------------


def test_template_force_replaces_a_workbook_and_backs_it_up(workspace, windows_files):
    target = workspace.root / "mine.xlsx"
    assert workspace.run("template", "mine.xlsx").code == 0
    target.write_bytes(target.read_bytes() + b"")  # the user's own version
    before = target.read_bytes()
    result = workspace.run("template", "--force", "--lang", "ja", "mine.xlsx")
    assert result.code == 0, result.err
    assert load_workbook(target)["Events"]["B1"].value == "イベント名"
    [backup] = backups(workspace, "mine.xlsx")
    assert backup.read_bytes() == before
    assert windows_files.refusals == []


def test_template_force_onto_a_workbook_in_use_exits_2_and_keeps_it(workspace, windows_files):
    target = workspace.root / "mine.xlsx"
    assert workspace.run("template", "mine.xlsx").code == 0
    before = target.read_bytes()
    windows_files.hold(target)
    result = workspace.run("template", "--force", "mine.xlsx")
    assert result.code == 2, result.err
    assert "mine.xlsx is in use by another program, so it could not be replaced" in result.err
    assert "eventsync template --force mine.xlsx" in result.err
    assert target.read_bytes() == before
    assert leftovers(workspace.root) == []
    assert 1.5 <= sum(windows_files.waits) <= 2.5


def test_template_force_onto_a_workbook_open_in_excel_exits_2_at_once(workspace, windows_files):
    target = workspace.root / "mine.xlsx"
    assert workspace.run("template", "mine.xlsx").code == 0
    before = target.read_bytes()
    (workspace.root / "~$mine.xlsx").write_bytes(b"owner")
    windows_files.hold(target)  # Excel holds it open
    result = workspace.run("template", "--force", "mine.xlsx")
    assert result.code == 2, result.err
    assert "mine.xlsx is open in Excel, so it was not replaced" in result.err
    assert target.read_bytes() == before
    assert windows_files.waits == []  # refused before anything was written
    assert backups(workspace, "mine.xlsx") == []


def test_pull_force_replaces_a_workbook_and_backs_it_up(workspace, windows_files):
    path = sample(workspace, "xlsx")
    before = path.read_bytes()
    result = workspace.run("pull", "--force", "sheets/events.xlsx")
    assert result.code == 0, result.err
    assert len(read_rows(path)) == 20
    [backup] = backups(workspace, "events.xlsx")
    assert backup.read_bytes() == before
    assert windows_files.refusals == []


def test_pull_force_onto_a_workbook_in_use_exits_2_and_keeps_it(workspace, windows_files):
    path = sample(workspace, "xlsx")
    before = path.read_bytes()
    windows_files.hold(path)
    result = workspace.run("pull", "--force", "sheets/events.xlsx")
    assert result.code == 2, result.err
    assert "events.xlsx is in use by another program, so it could not be replaced" in result.err
    assert "eventsync pull --force sheets/events.xlsx" in result.err
    assert path.read_bytes() == before
    assert leftovers(workspace.sheets) == []
    assert len(backups(workspace, "events.xlsx")) == 1  # once, not once per retry


def test_pull_force_onto_a_workbook_open_in_libreoffice_exits_2(workspace, windows_files):
    path = sample(workspace, "xlsx")
    before = path.read_bytes()
    (workspace.sheets / ".~lock.events.xlsx#").write_bytes(b"owner")
    result = workspace.run("pull", "--force", "sheets/events.xlsx")
    assert result.code == 2, result.err
    assert "events.xlsx is open in LibreOffice, so it was not replaced" in result.err
    assert path.read_bytes() == before
