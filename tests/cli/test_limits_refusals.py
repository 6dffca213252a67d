"""Three inputs that crashed (exit 70), refused with a message instead: a workbook that
holds its sheet part twice (refused before any request), a sheet whose columns reach
XFD (no room for the annotation columns), and watch's seconds beyond any sense."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

SHEET_PART = "xl/worksheets/sheet1.xml"


def with_part_twice(book: Path, name: str) -> None:
    """The zip with a second copy of its sheet part, named `name`, after the rest (what
    an editor that appends instead of replacing leaves)."""
    with zipfile.ZipFile(book) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
        second = zf.read(SHEET_PART).replace(b"Spring Product Update 01", b"Another copy")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name: it is the point
        with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as out:
            for info, data in members:
                out.writestr(info, data)
            out.writestr(name, second)


@pytest.mark.parametrize("name", [SHEET_PART, "XL/Worksheets/Sheet1.xml"])
def test_a_workbook_holding_its_sheet_part_twice_is_refused_before_any_request(workspace, name):
    """(OPC part names ignore case: a copy whose name differs only in case is the same part.)"""
    book = workspace.sample_workbook()
    with_part_twice(book, name)
    before = book.read_bytes()
    result = workspace.run("sync")
    assert result.code == 2, result.err
    assert f"events.xlsx holds the part {name} twice" in result.err
    assert "bug" not in result.err
    assert workspace.sandbox.request_count == 0  # not even a read
    assert book.read_bytes() == before


def test_a_header_reaching_xfd_is_refused_naming_why(workspace):
    book = Workbook()
    sheet = book.active
    sheet.title = "Events"
    sheet.append(["objectId", "eventName"])
    sheet.append([next(iter(workspace.sandbox.events)), "Renamed"])
    sheet.cell(row=1, column=16384, value="notes")  # XFD1, the last column Excel has
    path = workspace.sheets / "events.xlsx"
    book.save(path)
    before = path.read_bytes()
    result = workspace.run("sync", "--no-remote-check")
    assert result.code == 2, result.err
    assert "events.xlsx, sheet Events: the sheet's columns reach XFD" in result.err
    assert "no room right of them for the columns eventsync adds (updatedAt, syncError)" in (
        result.err
    )
    assert "bug" not in result.err and workspace.sandbox.request_count == 0
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("option", "value", "most"),
    [
        ("--quiet-seconds", "1e308", "3600"),
        ("--quiet-seconds", "3601", "3600"),
        ("--retry-seconds", "1e308", "900"),
        ("--retry-seconds", "-5", "900"),
    ],
)
def test_watch_seconds_out_of_range_are_a_usage_error_not_a_crash(
    workspace, capsys, option, value, most
):
    with pytest.raises(SystemExit) as stopped:
        workspace.run("watch", option, value)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert (
        f"argument {option}: '{value}' is not a number of seconds above 0 and at most {most}" in err
    )


def test_watch_seconds_at_their_bounds_are_taken():
    from eventsync.watch.command import MAX_QUIET_S, MAX_RETRY_S, seconds_up_to

    assert seconds_up_to(MAX_QUIET_S)("3600") == 3600.0
    assert seconds_up_to(MAX_RETRY_S)("0.1") == 0.1
