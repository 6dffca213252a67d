"""check_cells: the write's splice without the write, and scan_cells: errors and formulas.

check_cells runs before anything is sent to HubSpot, so each refusal the write could
meet is met there first, with a message naming file, sheet and cell; it must never
create or change a file. scan_cells is the reader's one pass for error and formula cells.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import xlsxwriter
from helpers.workbooks import SHEET, kitchen_sink, rewrite, simple_book, table_book, with_prefix

from eventsync.errors import UnsupportedWorkbookError
from eventsync.model import ExcelError
from eventsync.sheets.xlsx import package
from eventsync.sheets.xlsx.cell_scan import scan_cells
from eventsync.sheets.xlsx.patch import check_cells, patch_cells

FIXTURES = Path(__file__).parent / "fixtures" / "xlsx"


def annotation_positions(last_row: int, column: int) -> list[tuple[int, int]]:
    """Header and row cells of two annotation columns starting at `column`."""
    return [(row, c) for row in range(1, last_row + 1) for c in (column, column + 1)]


def shared_formula_book(path: Path) -> Path:
    """Events A:C with a shared formula in D: master D2 (D2:D4), children D3 and D4,
    and a plain formula in E2."""
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Events")
    ws.write_row(0, 0, ["objectId", "name", "count"])
    for row in range(1, 4):
        ws.write_row(row, 0, [100 + row, f"event {row}", row])
    ws.write_formula("E2", "=C2*2", None, 2)
    wb.close()

    def shared(xml: bytes) -> bytes:
        for row, formula in (
            (2, b'<f t="shared" ref="D2:D4" si="0">C2+1</f>'),
            (3, b'<f t="shared" si="0"/>'),
            (4, b'<f t="shared" si="0"/>'),
        ):
            cell = b'<c r="D%d">%s<v>%d</v></c>' % (row, formula, row + 1)
            c_cell = re.search(rb'<c r="C%d"[^>]*>.*?</c>' % row, xml)
            assert c_cell is not None, row
            xml = xml[: c_cell.end()] + cell + xml[c_cell.end() :]
        return xml

    return rewrite(path, SHEET, shared)


def refusal_of(call) -> str:
    with pytest.raises(UnsupportedWorkbookError) as refused:
        call()
    return str(refused.value)


def assert_same_refusal(src: Path, tmp_path: Path, positions: list[tuple[int, int]]) -> str:
    """check_cells refuses exactly as patch_cells does for the same cells (placeholder
    text), and the write leaves no output behind."""
    checked = refusal_of(lambda: check_cells(src, "Events", positions))
    cells = dict.fromkeys(positions, "eventsync")
    written = refusal_of(lambda: patch_cells(src, tmp_path / "out.xlsx", "Events", cells))
    assert checked == written
    assert not (tmp_path / "out.xlsx").exists()
    return checked


# --- refusals -----------------------------------------------------------------------------


def test_an_xml_comment_inside_the_cell_data_is_refused_naming_the_cell(tmp_path):
    src = rewrite(
        simple_book(tmp_path / "events.xlsx"),
        SHEET,
        lambda xml: xml.replace(b'<row r="3"', b'<!-- </row> --><row r="3"'),
    )
    message = assert_same_refusal(src, tmp_path, annotation_positions(6, 4))
    assert message.startswith("events.xlsx, sheet 'Events', after cell C2: ")
    assert "XML comment" in message and "save it as .xlsx" in message


@pytest.mark.parametrize(
    ("markup", "what"),
    [
        (b"<![CDATA[</row>]]>", "a CDATA section"),
        (b"<?eventsync now?>", "a processing instruction"),
    ],
)
def test_cdata_and_processing_instructions_are_refused_naming_the_cell(tmp_path, markup, what):
    src = rewrite(
        simple_book(tmp_path / "events.xlsx"),
        SHEET,
        lambda xml: xml.replace(b'<c r="B4"', markup + b'<c r="B4"'),
    )
    message = assert_same_refusal(src, tmp_path, [(4, 4)])
    assert f"after cell A4: the cell data holds {what}" in message


def test_a_shared_formula_master_in_an_annotation_column_is_refused(tmp_path):
    src = shared_formula_book(tmp_path / "events.xlsx")
    message = assert_same_refusal(src, tmp_path, annotation_positions(4, 4))
    assert message.startswith("events.xlsx, sheet 'Events', cell D2: ")
    assert "formula shared by D2:D4" in message


def test_shared_formula_children_and_plain_formulas_are_replaced_as_in_the_write(tmp_path):
    # The write replaces them (and drops calcChain), so the check passes them too.
    src = shared_formula_book(tmp_path / "events.xlsx")
    check_cells(src, "Events", [(3, 4), (4, 4), (2, 5)])
    patch_cells(src, tmp_path / "out.xlsx", "Events", {(3, 4): "x", (4, 4): "y", (2, 5): "z"})


def test_a_differing_table_header_is_refused(tmp_path):
    src = table_book(tmp_path / "events.xlsx")
    message = assert_same_refusal(src, tmp_path, [(1, 2), (2, 4)])
    assert message.startswith("events.xlsx, sheet 'Events', cell B1: a header cell of table")
    # Given the texts, a header that repeats its column's name passes, as in the write.
    check_cells(src, "Events", {(1, 2): "eventName", (1, 4): "updatedAt", (2, 4): "now"})


def test_out_of_order_rows_are_refused_naming_the_row(tmp_path):
    src = rewrite(
        simple_book(tmp_path / "events.xlsx"),
        SHEET,
        lambda xml: xml.replace(b'<row r="4"', b'<row r="2"'),
    )
    message = assert_same_refusal(src, tmp_path, [(6, 4)])
    assert message.startswith("events.xlsx, sheet 'Events', row 2: row 2 comes after row 3")


def test_package_refusals_come_first(tmp_path):
    path = tmp_path / "events.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    assert "password-protected" in refusal_of(lambda: check_cells(path, "Events", [(1, 4)]))


def test_a_text_longer_than_a_cell_holds_names_the_cell(tmp_path):
    src = simple_book(tmp_path / "events.xlsx")
    message = refusal_of(lambda: check_cells(src, "Events", {(7, 5): "x" * 40_000}))
    assert message.startswith("events.xlsx, sheet 'Events', cell E7: a text of 40000 characters")


# --- passing ------------------------------------------------------------------------------


@pytest.mark.parametrize("prefixed", [False, True], ids=["plain", "x-prefix"])
def test_an_ordinary_workbook_passes(tmp_path, prefixed):
    src = simple_book(tmp_path / "events.xlsx")
    if prefixed:
        rewrite(src, SHEET, with_prefix)
    check_cells(src, "Events", annotation_positions(12, 4))  # raises when it cannot write
    assert (
        check_cells(kitchen_sink(tmp_path / "sink.xlsx"), "Events", annotation_positions(12, 6))  # type: ignore[func-returns-value]
        is None
    )


@pytest.mark.parametrize(
    ("name", "sheet", "column"),
    [
        ("libreoffice-features.xlsx", "Events", 9),
        ("libreoffice-japanese-from-csv.xlsx", "イベント", 8),
    ],
)
def test_libreoffice_files_pass(tmp_path, name, sheet, column):
    src = shutil.copy(FIXTURES / name, tmp_path / name)
    check_cells(Path(src), sheet, annotation_positions(100, column))  # raises when it cannot


def test_the_check_writes_nothing(tmp_path, monkeypatch):
    # No deflating (so no temporary file), no output, nothing changed in the folder.
    def no_deflating(*args: object) -> None:
        raise AssertionError("check_cells deflated a part")

    monkeypatch.setattr(package.DeflateWriter, "__init__", no_deflating)
    books = [
        kitchen_sink(tmp_path / "events.xlsx"),
        shared_formula_book(tmp_path / "formulas.xlsx"),
        table_book(tmp_path / "table.xlsx"),
    ]
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    check_cells(books[0], "Events", annotation_positions(12, 6))
    check_cells(books[1], "Events", [(3, 4), (2, 5)])  # replaces formulas: calcChain cut
    with pytest.raises(UnsupportedWorkbookError):
        check_cells(books[2], "Events", [(1, 2)])
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    assert after == before


def test_bad_positions_are_a_callers_mistake(tmp_path):
    src = simple_book(tmp_path / "events.xlsx")
    with pytest.raises(ValueError, match="row 0 is not a row number"):
        check_cells(src, "Events", [(0, 1)])


# --- scan_cells ---------------------------------------------------------------------------


def test_scan_finds_formula_cells_including_shared_children(tmp_path):
    scan = scan_cells(shared_formula_book(tmp_path / "events.xlsx"), "Events")
    assert scan.formulas == {(2, 4), (3, 4), (4, 4), (2, 5)}
    assert scan.errors == {}


def test_scan_finds_formulas_in_a_prefixed_sheet(tmp_path):
    src = rewrite(shared_formula_book(tmp_path / "events.xlsx"), SHEET, with_prefix)
    assert scan_cells(src, "Events").formulas == {(2, 4), (3, 4), (4, 4), (2, 5)}


def test_libreoffice_booleans_are_values_and_its_real_formulas_stay_formulas():
    # LibreOffice saves TRUE/FALSE as =TRUE() / =FALSE() formulas: those are values.
    libreoffice = scan_cells(FIXTURES / "libreoffice-features.xlsx", "Events")
    assert libreoffice.formulas == frozenset() and libreoffice.errors == {}
    # Its sheet of real formulas (COUNTA, Events!D2+1) keeps every one of them.
    assert scan_cells(FIXTURES / "libreoffice-features.xlsx", "Notes").formulas == {
        (1, 2),
        (2, 2),
    }


def error_book(path: Path) -> Path:
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Events")
    ws.write_row(0, 0, ["objectId", "eventName"])
    ws.write_row(1, 0, [101, "fine"])
    ws.write_formula(2, 1, "=NA()", None, "#N/A")
    ws.write_formula(3, 1, "=1/0", None, "#DIV/0!")
    wb.close()
    return path


def test_scan_finds_error_cells(tmp_path):
    scan = scan_cells(error_book(tmp_path / "events.xlsx"), "Events")
    assert scan.errors == {(3, 2): ExcelError("#N/A"), (4, 2): ExcelError("#DIV/0!")}
    assert scan.formulas == {(3, 2), (4, 2)}


def test_scan_of_a_sheet_without_either_is_empty(tmp_path):
    scan = scan_cells(simple_book(tmp_path / "events.xlsx"), "Events")
    assert scan.errors == {} and scan.formulas == frozenset()


@pytest.mark.parametrize("chunk_bytes", [1, 7, 64])
def test_scan_reads_cells_split_across_chunks(tmp_path, monkeypatch, chunk_bytes):
    from eventsync.sheets.xlsx import cell_scan

    books = [
        shared_formula_book(tmp_path / "formulas.xlsx"),
        rewrite(shared_formula_book(tmp_path / "prefixed.xlsx"), SHEET, with_prefix),
        error_book(tmp_path / "errors.xlsx"),
    ]
    whole = [scan_cells(src, "Events") for src in books]
    assert all(scan.formulas for scan in whole) and whole[2].errors
    monkeypatch.setattr(cell_scan, "CHUNK_BYTES", chunk_bytes)
    assert [scan_cells(src, "Events") for src in books] == whole
