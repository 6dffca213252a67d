"""The write-back against a user who keeps working: saves, inserted rows and columns, a
sort, symlinks, read-only files, merged cells, same-named files in two folders.

Every race is made to happen, not waited for: the "other program" saves the file from
the writer's `before_replace` hook (run in a thread, as another process would), or
between `read_sheet` and `annotate`. Saves are whole-file replacements, as Excel does.
"""

from __future__ import annotations

import os
import stat
import threading
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from helpers import read_rows

from eventsync.errors import ReadOnlyWorkbookError, UnsupportedWorkbookError, WorkbookChangedError
from eventsync.model import Annotation
from eventsync.safe_files import open_shared
from eventsync.sheets.backups import backup_dir
from eventsync.sheets.csv_file import read_csv
from eventsync.sheets.reader import read_sheet
from eventsync.sheets.writer import annotate, check_writable
from eventsync.sheets.xlsx.patch import patch_cells

STAMP = "2026-04-01T09:30:00Z"
HEADER = ["objectId", "eventName", "notes"]


def book(path: Path, rows: list[list], header: list[str] = HEADER, *, merge: str = "") -> Path:
    """Saved as Excel saves: a new file in place of the old one (a new inode)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f"saving-{path.name}")
    workbook = xlsxwriter.Workbook(temp)
    sheet = workbook.add_worksheet("Events")
    sheet.write_row(0, 0, header)
    for number, row in enumerate(rows, 1):
        sheet.write_row(number, 0, row)
    if merge:
        sheet.merge_range(merge, "merged note")
    workbook.close()
    if path.exists():
        # As Excel saves on Windows: the workbook renamed away, the new one renamed in,
        # the old one deleted. A reader sharing delete (eventsync.safe_files.open_shared) lets all
        # of it happen; a replace over the open workbook would be refused.
        old = path.with_name(f"old-{path.name}")
        os.rename(path, old)
        os.rename(temp, path)
        os.unlink(old)
    else:
        os.replace(temp, path)
    return path


def save_in_thread(save) -> None:
    """Another program saving the file, while eventsync waits at the hook."""
    saver = threading.Thread(target=save)
    saver.start()
    saver.join()


ROWS = [[101, "Expo", "mine"], [102, "Forum", ""], [103, "Gala", "call Ann"]]


def by_id(path: Path) -> dict[int, dict]:
    return {int(row["objectId"]): row for row in read_rows(path)}


# -- a save between the read and the write -----------------------------------------------


def test_a_row_inserted_and_a_sort_after_the_read_do_not_move_the_results(tmp_path):
    path = book(tmp_path / "events.xlsx", ROWS)
    sheet = read_sheet(path)
    notes = {2: Annotation(STAMP, ""), 4: Annotation(None, "HubSpot: Gala is archived")}
    # The user sorts descending and inserts a row at the top, then saves.
    book(path, [[104, "New", "typed later"], *reversed(ROWS)])
    assert annotate(sheet, notes, tmp_path / "state").cells > 0
    rows = by_id(path)
    assert rows[101]["updatedAt"] == STAMP and rows[101]["syncError"] is None
    assert rows[103]["syncError"] == "HubSpot: Gala is archived" and rows[103]["updatedAt"] is None
    assert rows[104]["updatedAt"] is None and rows[104]["notes"] == "typed later"
    assert [r["notes"] for r in read_rows(path)] == ["typed later", "call Ann", None, "mine"]


def test_a_column_inserted_after_the_read_keeps_the_users_column_and_moves_the_values(tmp_path):
    """Without placement by header, the timestamp would land on the user's new column
    and two-way values on another event's row."""
    path = book(tmp_path / "events.xlsx", ROWS)
    sheet = read_sheet(path)
    values = {(3, 2): "Forum (renamed in HubSpot)"}  # row 3 = 102, column B = eventName
    header = ["objectId", "owner", "eventName", "notes"]
    book(
        path,
        [[103, "Ann", "Gala", "x"], [102, "Bo", "Forum", ""], [101, "Cy", "Expo", "m"]],
        header,
    )
    annotate(sheet, {3: Annotation(STAMP, "")}, tmp_path / "state", values=values)
    rows = by_id(path)
    assert rows[102]["eventName"] == "Forum (renamed in HubSpot)"
    assert rows[102]["owner"] == "Bo" and rows[102]["updatedAt"] == STAMP
    assert rows[103]["eventName"] == "Gala" and rows[101]["eventName"] == "Expo"
    assert {r["owner"] for r in rows.values()} == {"Ann", "Bo", "Cy"}


def test_results_for_events_deleted_meanwhile_are_not_written_and_counted(tmp_path):
    path = book(tmp_path / "events.xlsx", ROWS)
    sheet = read_sheet(path)
    book(path, [ROWS[0], ROWS[2]])  # 102 deleted
    said: list[str] = []
    notes = {row: Annotation(STAMP, "") for row in (2, 3, 4)}
    annotate(sheet, notes, tmp_path / "state", values={(3, 2): "gone"}, warn=said.append)
    rows = by_id(path)
    assert set(rows) == {101, 103} and all(r["updatedAt"] == STAMP for r in rows.values())
    assert "gone" not in str(read_rows(path))
    [warning] = said
    assert "events.xlsx was saved while eventsync worked" in warning
    assert "1 result for events no longer in it was not written" in warning


def test_a_csv_sorted_after_the_read_gets_its_results_by_objectid(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(b"objectId,eventName\r\n101,Expo\r\n102,Forum\r\n")
    sheet = read_sheet(path)
    replacement = tmp_path / "saving.csv"
    replacement.write_bytes(b"objectId,eventName,notes\r\n102,Forum,n\r\n101,Expo,m\r\n")
    os.replace(replacement, path)
    annotate(sheet, {2: Annotation(STAMP, "")}, tmp_path / "state")
    header, *rows = read_csv(path).rows
    assert header == ("objectId", "eventName", "notes", "updatedAt", "syncError")
    assert rows == [("102", "Forum", "n"), ("101", "Expo", "m", STAMP)]


# -- a save during the write ---------------------------------------------------------------


def test_a_save_landing_during_the_write_is_kept_and_the_results_are_placed_in_it(tmp_path):
    path = book(tmp_path / "events.xlsx", ROWS)
    sheet = read_sheet(path)
    saves: list[Path] = []

    def excel_saves(temp: Path) -> None:
        if not saves:  # the first write: the user saves just before it lands
            saves.append(temp)
            save_in_thread(lambda: book(path, [[100, "Typed now", "keep me"], *ROWS]))

    annotate(sheet, {3: Annotation(STAMP, "")}, tmp_path / "state", before_replace=excel_saves)
    rows = by_id(path)
    assert rows[100]["notes"] == "keep me"  # the user's save is not lost
    assert rows[102]["updatedAt"] == STAMP and rows[101]["updatedAt"] is None
    assert not [p for p in tmp_path.iterdir() if ".eventsync-" in p.name]


def test_a_file_saved_at_every_attempt_is_left_as_the_user_saved_it(tmp_path):
    path = book(tmp_path / "events.xlsx", ROWS)
    sheet = read_sheet(path)
    count = []

    def keeps_saving(temp: Path) -> None:
        count.append(1)
        save_in_thread(lambda: book(path, [*ROWS, [200 + len(count), "again", ""]]))

    with pytest.raises(WorkbookChangedError, match="kept being saved.*run eventsync sync again"):
        annotate(sheet, {2: Annotation(STAMP, "")}, tmp_path / "state", before_replace=keeps_saving)
    rows = by_id(path)
    assert 200 + len(count) in rows  # the last save is what the file holds
    assert all(r.get("updatedAt") is None for r in rows.values())


# -- a save right after the write ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_version_written_is_known_by_what_was_written_not_by_the_file_found_after(
    tmp_path, monkeypatch, kind
):
    """What `watch` takes for its own write (issue 21): the new file's identity as it
    replaced the old one. A save landing right after the rename is another version."""
    if kind == "xlsx":
        path = book(tmp_path / "events.xlsx", ROWS)
    else:
        path = tmp_path / "events.csv"
        path.write_text("objectId,eventName\n101,Expo\n102,Forum\n", encoding="utf-8")
    written = annotate(read_sheet(path), {2: Annotation(STAMP, "")}, tmp_path / "state")
    assert written.version == read_sheet(path).stamp and not written.into_later_save

    def user_saves(target: Path) -> None:  # the instant the rename is done, as Excel saves
        saved = target.with_name(f"saving-{target.name}")
        if kind == "xlsx":
            patch_cells(target, saved, "Events", {(3, 2): "Forum renamed"})
        else:
            saved.write_text(target.read_text("utf-8").replace("Forum", "Forum renamed"), "utf-8")
        saved.replace(target)

    monkeypatch.setattr("eventsync.safe_files.AFTER_REPLACE", user_saves)
    written = annotate(read_sheet(path), {3: Annotation(STAMP, "")}, tmp_path / "state")
    assert written.cells == 1 and written.version is not None
    now = read_sheet(path)
    assert now.stamp != written.version  # the user's save is not taken for it
    assert now.rows[1].cells["eventName"] == "Forum renamed"


def test_results_written_into_a_save_made_meanwhile_are_no_version_of_eventsyncs_own(tmp_path):
    """That version holds the user's edits the run never read: watch must sync it."""
    path = book(tmp_path / "events.xlsx", ROWS)
    sheet = read_sheet(path)
    book(path, [*ROWS, [104, "Typed during the sync", ""]])
    written = annotate(sheet, {2: Annotation(STAMP, "")}, tmp_path / "state")
    assert written.into_later_save and written.version == read_sheet(path).stamp


def test_every_part_comes_from_the_one_open_file(tmp_path):
    """The sheet and the shared strings of one version, even if the path is replaced
    between reading the sheet part and copying the others."""
    path = book(tmp_path / "events.xlsx", ROWS)
    original = zipfile.ZipFile(path).read("xl/sharedStrings.xml")
    with open_shared(path) as handle:  # as the writer opens it: Excel may save meanwhile
        book(path, [[999, "Other", "entirely different strings"]])
        patch_cells(path, tmp_path / "out.xlsx", "Events", {(2, 4): STAMP}, source=handle)
    out = zipfile.ZipFile(tmp_path / "out.xlsx")
    assert out.read("xl/sharedStrings.xml") == original
    assert read_rows(tmp_path / "out.xlsx")[0]["eventName"] == "Expo"


# -- symlinks, read-only files, backups, merges -----------------------------------------


@pytest.mark.posix_only(
    "a symbolic link (on Windows only administrators or Developer Mode may make one; "
    "Wine 8 cannot read through it)"
)
def test_a_symlinked_sheet_is_written_through_and_stays_a_link(tmp_path):
    real = book(tmp_path / "shared" / "events.xlsx", ROWS)
    link = tmp_path / "sheets" / "events.xlsx"
    link.parent.mkdir()
    link.symlink_to(real)
    annotate(read_sheet(link), {2: Annotation(STAMP, "")}, tmp_path / "state")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert by_id(real)[101]["updatedAt"] == STAMP
    assert not [p for p in link.parent.iterdir() if p != link]


def test_a_read_only_sheet_is_not_replaced(tmp_path):
    path = book(tmp_path / "events.xlsx", ROWS)
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    before = path.read_bytes()
    try:
        with pytest.raises(ReadOnlyWorkbookError, match="events.xlsx is read-only.*1 result"):
            annotate(read_sheet(path), {2: Annotation(STAMP, "")}, tmp_path / "state")
        assert path.read_bytes() == before
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_same_named_files_in_two_folders_keep_separate_backups(tmp_path):
    state = tmp_path / "state"
    first = book(tmp_path / "a" / "events.xlsx", ROWS)
    second = book(tmp_path / "b" / "events.xlsx", [[555, "Other", ""]])
    annotate(read_sheet(first), {2: Annotation(STAMP, "")}, state)
    annotate(read_sheet(second), {2: Annotation(STAMP, "")}, state)
    assert backup_dir(state, first) != backup_dir(state, second)
    [one] = backup_dir(state, first).iterdir()
    [other] = backup_dir(state, second).iterdir()
    assert read_rows(one)[0]["objectId"] == 101 and read_rows(other)[0]["objectId"] == 555


def test_annotations_are_never_written_into_cells_hidden_under_a_merge(tmp_path):
    path = book(
        tmp_path / "events.xlsx",
        ROWS,
        ["objectId", "eventName", "notes", "updatedAt", "syncError"],
        merge="C3:E3",
    )
    sheet = read_sheet(path)
    with pytest.raises(
        UnsupportedWorkbookError, match=r"cell D3\b.*hidden under the merged cells C3:E3"
    ):
        check_writable(sheet, {3: Annotation(STAMP, "")})
    check_writable(sheet, {2: Annotation(STAMP, "x"), 4: Annotation(STAMP, "y")})


def test_the_backup_is_the_version_that_was_replaced(tmp_path):
    path = book(tmp_path / "events.xlsx", ROWS)
    sheet = read_sheet(path)
    book(path, [*ROWS, [104, "Saved after the read", ""]])
    saved = path.read_bytes()
    annotate(sheet, {2: Annotation(STAMP, "")}, tmp_path / "state")
    [backup] = backup_dir(tmp_path / "state", path).iterdir()
    assert backup.read_bytes() == saved


# -- through the command line ------------------------------------------------------------


def test_sync_of_a_read_only_sheet_sends_then_says_so_and_keeps_the_file(workspace):
    path = workspace.sample_workbook()
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    before = path.read_bytes()
    try:
        result = workspace.run("sync")
        assert result.code == 1, result.err
        assert "events.xlsx is read-only" in result.out + result.err
        assert path.read_bytes() == before
        assert workspace.sandbox.batch_update_requests()  # HubSpot has the changes
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    again = workspace.run("sync")
    assert again.code == 0, again.out + again.err
    assert all(row["updatedAt"] for row in read_rows(path))


def test_sync_refuses_a_merge_over_the_annotation_column_before_sending(workspace):
    header = ["objectId", "eventName", "notes", "updatedAt", "syncError"]
    book(workspace.sheets / "events.xlsx", ROWS, header, merge="C3:D3")
    result = workspace.run("sync")
    assert result.code == 2, result.out + result.err
    assert "cell D3: is hidden under the merged cells C3:D3" in result.err
    assert workspace.sandbox.batch_update_requests() == []


def test_only_the_values_that_reached_the_file_are_reported_written(tmp_path):
    """Two-way sync counts a value HubSpot sent as agreed only once it is in the file: a
    value for an event deleted meanwhile is not, and one whose row moved is (by its
    position as read), so the run never agrees on a value the sheet does not hold."""
    path = book(tmp_path / "events.xlsx", ROWS)
    sheet = read_sheet(path)
    book(path, [ROWS[2], ROWS[0]])  # 102 deleted, 103 moved up
    values = {(3, 2): "gone", (4, 2): "Gala (renamed in HubSpot)"}
    written = annotate(sheet, {}, tmp_path / "state", values=values)
    assert written.values == {(4, 2)}
    assert by_id(path)[103]["eventName"] == "Gala (renamed in HubSpot)"
    unchanged = annotate(read_sheet(path), {}, tmp_path / "state")
    assert (unchanged.cells, unchanged.values) == (0, frozenset())
