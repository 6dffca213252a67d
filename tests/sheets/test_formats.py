"""A sheet format is one module and one registry line (`eventsync/sheets/formats/`).

The proof: a format this file defines (pipe-separated text, `.psv`), added to the
registry with one line, is found in the sheets folder, read, planned, synced and
annotated end to end, and its `check` is asked before anything is sent, without a
line of eventsync changed. Then the registry's own rules.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

import pytest
from helpers import sent_inputs

from eventsync.errors import SheetError
from eventsync.model import Sheet
from eventsync.safe_files import open_shared
from eventsync.sheets import formats
from eventsync.sheets.formats import Cells, SheetFormat, format_for, format_named, sheet_suffixes
from eventsync.sheets.grid import build_sheet

# -- the test format: one module's worth ------------------------------------------------

LOCKED = "#locked"  # a line of the file that its `check` refuses to write under


def _lines(path: Path, source: IO[bytes] | None = None) -> list[list[str]]:
    if source is None:
        with open_shared(path) as opened:
            data = opened.read()
    else:
        source.seek(0)
        data = source.read()
    return [line.split("|") for line in data.decode("utf-8").split("\n") if line]


def read_psv(path: Path) -> Sheet:
    return build_sheet(path, "psv", None, _lines(path))


def write_psv(sheet: Sheet, target: Path, cells: Cells, source: IO[bytes] | None) -> None:
    rows = _lines(sheet.path, source)
    for (row, column), value in cells.items():
        while len(rows) < row:
            rows.append([])
        cells_of_row = rows[row - 1]
        cells_of_row.extend([""] * (column - len(cells_of_row)))
        cells_of_row[column - 1] = "" if value is None else str(value)
    target.write_bytes("".join("|".join(r) + "\n" for r in rows).encode("utf-8"))


def check_psv(sheet: Sheet, cells: Cells) -> None:
    if any(LOCKED in row for row in _lines(sheet.path)):
        raise SheetError(f"{sheet.name} is locked: remove its {LOCKED} line")


PSV = SheetFormat(name="psv", suffixes=(".psv",), read=read_psv, write=write_psv, check=check_psv)


@pytest.fixture
def psv_registered(monkeypatch):
    monkeypatch.setattr(formats, "FORMATS", (*formats.FORMATS, PSV))  # the one line


# -- end to end ---------------------------------------------------------------------


def test_a_registered_format_is_found_synced_and_annotated(workspace, psv_registered):
    events = workspace.sandbox.events
    first, second = sorted(events)[:2]
    path = workspace.sheets / "events.psv"
    path.write_bytes(
        f"objectId|eventName|memo\n{first}|Spring kick-off|mine\n{second}|"
        f"{events[second]['eventName']}|also mine\n".encode()
    )

    planned = workspace.run("plan")
    assert planned.code == 0, planned.err
    assert "events.psv" in planned.out

    result = workspace.run("sync")
    assert result.code == 0, result.err
    events = workspace.sandbox.events
    assert events[first]["eventName"] == "Spring kick-off"
    # Only the changed row goes: the other is as HubSpot holds it.
    assert [i["objectId"] for i in sent_inputs(workspace.sandbox)] == [first]
    rows = _lines(path)
    assert rows[0] == ["objectId", "eventName", "memo", "updatedAt", "syncError"]
    assert rows[1][:3] == [first, "Spring kick-off", "mine"]  # the user's cells as they were
    assert rows[1][3] == events[first]["updatedAt"]
    assert rows[2][2] == "also mine"

    again = workspace.run("sync")  # the annotations read back: nothing left to send
    assert again.code == 0, again.err
    assert len(sent_inputs(workspace.sandbox)) == 1


def test_a_registered_formats_check_refuses_before_anything_is_sent(workspace, psv_registered):
    first = sorted(workspace.sandbox.events)[0]
    path = workspace.sheets / "events.psv"
    original = f"objectId|eventName\n{first}|Renamed\n{LOCKED}\n".encode()
    path.write_bytes(original)

    result = workspace.run("sync")

    assert result.code == 2
    assert f"events.psv is locked: remove its {LOCKED} line" in result.err
    assert workspace.sandbox.batch_update_requests() == []
    assert path.read_bytes() == original


def test_a_format_not_registered_is_no_sheet(workspace):
    path = workspace.sheets / "events.psv"
    path.write_text("objectId|eventName\n1|x\n")
    named = workspace.run("sync", str(Path("sheets") / "events.psv"))
    assert named.code == 2
    assert "events.psv: eventsync reads .xlsx" in named.err  # and what to save it as
    in_folder = workspace.run("sync")  # the folder holds no sheet then
    assert in_folder.code == 2
    assert "events.psv" not in in_folder.out + in_folder.err
    assert workspace.sandbox.batch_update_requests() == []


# -- the registry ------------------------------------------------------------------


def test_each_suffix_names_one_format_in_any_case():
    suffixes = sheet_suffixes()
    assert suffixes == (".xlsx", ".xlsm", ".csv")
    assert len(set(suffixes)) == len(suffixes)
    assert all(s.startswith(".") and s == s.lower() for s in suffixes)
    assert format_for("Events.XLSM") is format_named("xlsx")
    assert format_for(Path("sheets") / "events.Csv") is format_named("csv")
    assert format_for("events.ods") is None
    assert format_for("events") is None


def test_every_registered_format_reads_sheets_named_after_it(tmp_path):
    (tmp_path / "events.csv").write_text("objectId,eventName\n1,x\n")
    sheet = format_named("csv").read(tmp_path / "events.csv")
    assert format_named(sheet.format) is format_for(sheet.path)
