"""Issue 20, case 2: LibreOffice's TRUE/FALSE cells are values, and a field two-way sync
could not write into the sheet is never counted as agreed.

LibreOffice has no boolean cell: it saves every TRUE/FALSE as a formula with its cached
value, `<c r="G2" s="2" t="n"><f aca="false">FALSE()</f><v>0</v></c>` (LibreOffice
7.4, for a cell with a TRUE/FALSE number format, as eventsync's templates give) or the
same with `t="b"` (a boolean cell from Excel or xlsxwriter; see
tests/sheets/fixtures/xlsx/libreoffice-features.xlsx, saved by LibreOffice itself). The
workbooks here are rewritten to exactly that XML, so no test needs LibreOffice. A
colleague's edit is made through the sandbox's admin endpoint over HTTP, as HubSpot's
own UI would make it.
"""

from __future__ import annotations

import re
import zipfile

import pytest
import requests
from helpers import read_rows, sent_inputs
from helpers.workbooks import SHEET, rewrite

from eventsync.sheets.xlsx.cell_scan import scan_cells

CANCELLED = "5823713203"  # row 4 of the sample workbook
CELL = "G4"  # its eventCancelled cell


def save_as_libreoffice(book, cell_type: str) -> None:
    """Every TRUE/FALSE cell as LibreOffice saves it: the formula =TRUE() / =FALSE(),
    its cached value, the cell's style kept."""

    def as_formula(found: re.Match[str]) -> str:
        ref, style, value = found.group(1), found.group(2), found.group(3)
        word = "TRUE()" if value == "1" else "FALSE()"
        return f'<c r="{ref}"{style} t="{cell_type}"><f aca="false">{word}</f><v>{value}</v></c>'

    def change(xml: bytes) -> bytes:
        text, count = re.subn(
            r'<c r="([A-Z]+\d+)"((?: s="\d+")?) t="b"><v>([01])</v></c>',
            as_formula,
            xml.decode("utf-8"),
        )
        assert count == 20, count  # one eventCancelled cell per event
        return text.encode("utf-8")

    rewrite(book, SHEET, change)


def sheet_xml(book) -> str:
    with zipfile.ZipFile(book) as zf:
        return zf.read(SHEET).decode("utf-8")


def cell_xml(book, ref: str) -> str:
    found = re.search(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', sheet_xml(book))
    assert found is not None, ref
    return found.group(0)


def edit_in_hubspot(sandbox, object_id: str, **fields) -> None:
    """A colleague's edit in HubSpot, through the sandbox's admin endpoint."""
    answer = requests.post(f"{sandbox.url}/_sandbox/events/{object_id}", json=fields, timeout=10)
    assert answer.status_code == 200, answer.text


def libreoffice_workbook(workspace, cell_type: str):
    book = workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    save_as_libreoffice(book, cell_type)
    assert '<f aca="false">FALSE()</f>' in cell_xml(book, CELL)
    return book


@pytest.mark.slow
@pytest.mark.parametrize("cell_type", ["n", "b"])
def test_a_cancel_made_in_hubspot_is_written_over_false_and_no_sync_undoes_it(workspace, cell_type):
    book = libreoffice_workbook(workspace, cell_type)
    # Nothing changed: LibreOffice's save alone sends nothing.
    before = len(workspace.sandbox.batch_update_requests())
    assert workspace.run("sync").code == 0
    edit_in_hubspot(workspace.sandbox, CANCELLED, eventCancelled=True)

    result = workspace.run("sync", "--two-way")
    assert result.code == 0, (result.out, result.err)
    row = read_rows(book)[2]
    assert row["eventCancelled"] is True and not row["syncError"]
    assert row["updatedAt"] == workspace.sandbox.events[CANCELLED]["updatedAt"]
    written = cell_xml(book, CELL)
    assert 't="b"' in written and "<v>1</v>" in written and "<f" not in written
    assert 's="' in written  # the cell keeps its style (its TRUE/FALSE number format)
    assert cell_xml(book, "G5").count("FALSE()") == 1  # the other cells are as saved

    for _ in range(3):
        again = workspace.run("sync")
        assert again.code == 0, again.out
    assert sent_inputs(workspace.sandbox, before) == []
    assert workspace.sandbox.events[CANCELLED]["eventCancelled"] is True


def test_a_sheet_saved_by_libreoffice_sends_its_true_and_false_as_typed(workspace):
    book = libreoffice_workbook(workspace, "n")
    # The user cancels row 5's event in LibreOffice: its cell becomes =TRUE().
    rewrite(
        book,
        SHEET,
        lambda xml: re.sub(
            rb'(<c r="G5"[^>]*>)<f aca="false">FALSE\(\)</f><v>0</v>',
            rb'\1<f aca="false">TRUE()</f><v>1</v>',
            xml,
        ),
    )
    assert "TRUE()" in cell_xml(book, "G5")
    before = len(workspace.sandbox.batch_update_requests())
    assert workspace.run("sync").code == 0
    assert sent_inputs(workspace.sandbox, before) == [
        {"objectId": "5823713204", "eventCancelled": True}
    ]


def test_a_real_formula_two_way_cannot_write_is_not_agreed_so_no_sync_sends_it(workspace):
    book = libreoffice_workbook(workspace, "n")
    # A calculation, not a constant: it stays the user's.
    rewrite(
        book,
        SHEET,
        lambda xml: re.sub(
            rb'<c r="G4"( s="\d+")? t="n"><f aca="false">FALSE\(\)</f><v>0</v></c>',
            rb'<c r="G4"\1 t="n"><f aca="false">AND(FALSE(),H4&gt;0)</f><v>0</v></c>',
            xml,
        ),
    )
    assert (4, 7) in scan_cells(book, "Events").formulas
    before = len(workspace.sandbox.batch_update_requests())
    edit_in_hubspot(workspace.sandbox, CANCELLED, eventCancelled=True)

    result = workspace.run("sync", "--two-way")
    assert result.code == 1, result.out
    message = (
        "eventCancelled: changed in HubSpot to TRUE, but this cell holds a formula, so"
        " eventsync did not write it"
    )
    assert message in result.out
    row = read_rows(book)[2]
    assert message in row["syncError"]
    assert "AND(FALSE()" in cell_xml(book, CELL)
    # The row's updatedAt stays the version it holds: it does not hold HubSpot's TRUE.
    assert row["updatedAt"] != workspace.sandbox.events[CANCELLED]["updatedAt"]

    for _ in range(3):
        assert workspace.run("sync").code == 0
    assert sent_inputs(workspace.sandbox, before) == []
    assert workspace.sandbox.events[CANCELLED]["eventCancelled"] is True
    # Not agreed: the next two-way sync still says so, however many plain syncs passed.
    again = workspace.run("sync", "--two-way")
    assert again.code == 1 and message in again.out
    assert workspace.sandbox.events[CANCELLED]["eventCancelled"] is True


@pytest.mark.parametrize(
    ("formula", "cached", "is_value"),
    [
        ("TRUE()", "1", True),
        ("FALSE()", "0", True),
        ("TRUE", "1", True),  # (Excel writes a typed =TRUE without the brackets too)
        ("TRUE()", "0", False),  # a cached value that disagrees: not LibreOffice's
        ("NOT(TRUE())", "0", False),
        ("TRUE()+0", "1", False),
        ("A1", "1", False),
    ],
)
def test_only_a_lone_true_or_false_with_its_own_value_counts_as_a_value(
    workspace, formula, cached, is_value
):
    book = libreoffice_workbook(workspace, "n")
    rewrite(
        book,
        SHEET,
        lambda xml: re.sub(
            rb'(<c r="G4"[^>]*>)<f aca="false">FALSE\(\)</f><v>0</v>',
            rb'\1<f aca="false">' + formula.encode() + rb"</f><v>" + cached.encode() + rb"</v>",
            xml,
        ),
    )
    assert ((4, 7) not in scan_cells(book, "Events").formulas) is is_value
