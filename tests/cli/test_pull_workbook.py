"""The workbook pull writes, as Excel, LibreOffice and eventsync see it: TRUE/FALSE
cells, texts HubSpot may hold, the formats below the last event, and --force's backup."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest
from helpers import TOKEN, Workspace, read_rows
from openpyxl import load_workbook

from eventsync.sandbox.server import Sandbox, make_event
from eventsync.sheets.template import TEMPLATES_DIR, build_workbook

# What LibreOffice writes on its own TRUE/FALSE cells; without it, it shows them as 1/0.
TRUE_FALSE_FORMAT = '"TRUE";"TRUE";"FALSE"'
TRICKY_TEXTS = [
    "=1+1",
    "+81 3",
    "@home",
    " padded ",
    "a & b < c > d",
    "tab\there\nand a new line",
    "carriage\r\nreturn",
    "_x000D_ as typed",
    "bell\x07and nul\x00",
    "東京 🎉",
]


@pytest.fixture
def portal(tmp_path):
    events = [
        make_event(str(9000000000 + n), eventName=text, eventCancelled=n % 2 == 0)
        for n, text in enumerate(TRICKY_TEXTS)
    ]
    with Sandbox(events=events, token=TOKEN) as server:
        yield Workspace(tmp_path, server)


def column(path, header: str) -> list:
    sheet = load_workbook(path)["Events"]
    names = [cell.value for cell in sheet[1]]
    return list(
        sheet.iter_rows(min_row=2, min_col=names.index(header) + 1, max_col=names.index(header) + 1)
    )


def test_pulled_true_false_cells_are_booleans_with_the_format_libreoffice_needs(portal):
    assert portal.run("pull", "sheets/events.xlsx").code == 0
    book = portal.sheets / "events.xlsx"
    cells = [row[0] for row in column(book, "eventCancelled")]
    assert [c.value for c in cells[: len(TRICKY_TEXTS)]] == [n % 2 == 0 for n in range(10)]
    assert all(c.data_type == "b" for c in cells[: len(TRICKY_TEXTS)])
    # Every cell of the column down to row 200 is formatted, like the template's.
    assert len(cells) == 199 and {c.number_format for c in cells} == {TRUE_FALSE_FORMAT}
    starts = [row[0] for row in column(book, "startDateTime")]
    assert len(starts) == 199 and {c.number_format for c in starts} == {"yyyy-mm-dd hh:mm"}
    with zipfile.ZipFile(book) as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
    assert re.search(r'<c r="G2" s="\d+" t="b"><v>1</v></c>', sheet)

    before = portal.sandbox.request_count
    again = portal.run("sync")  # eventsync reads them back as the booleans pulled
    assert again.code == 0 and "10 unchanged, 0 sent" in again.out
    assert portal.sandbox.request_count == before


@pytest.mark.parametrize("name", ["events.xlsx", "events.ja.xlsx", "sample-events.xlsx"])
def test_templates_format_their_true_false_cells_for_libreoffice(name):
    sheet = load_workbook(TEMPLATES_DIR / name)["Events"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2, max_row=200, min_col=7, max_col=7)]
    assert {c.number_format for c in cells} == {TRUE_FALSE_FORMAT}


def test_texts_come_back_as_hubspot_holds_them_and_never_as_formulas(portal):
    assert portal.run("pull", "sheets/events.xlsx").code == 0
    book = portal.sheets / "events.xlsx"
    names = [row[0] for row in column(book, "eventName")][: len(TRICKY_TEXTS)]
    assert all(cell.data_type == "s" for cell in names)  # text, never a formula
    assert names[0].value == "=1+1" and names[0].quotePrefix  # kept text when edited
    plain = {0, 1, 2, 3, 4, 5, 9}  # (openpyxl leaves Excel's _xHHHH_ escapes as they are)
    assert [names[n].value for n in sorted(plain)] == [TRICKY_TEXTS[n] for n in sorted(plain)]

    # eventsync reads every one back as pulled, escapes included: nothing to send.
    before = portal.sandbox.request_count
    again = portal.run("sync")
    assert again.code == 0 and "10 unchanged, 0 sent" in again.out
    assert portal.sandbox.request_count == before


def layout(path) -> list:
    """What a user sees of each sheet: cells (value, format, note, kept-as-text), column
    widths, list validations, frozen header and filter."""
    seen: list[object] = []
    for sheet in load_workbook(path).worksheets:
        seen.append((sheet.title, sheet.freeze_panes, sheet.auto_filter.ref))
        seen.append(sorted(str(v.sqref) for v in sheet.data_validations.dataValidation))
        seen.append({k: d.width for k, d in sheet.column_dimensions.items()})
        for row in sheet.iter_rows():
            for c in row:
                note = c.comment and c.comment.text
                seen.append((c.coordinate, c.value, c.number_format, note, c.quotePrefix))
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_pulled_workbook_is_laid_out_as_the_template_holding_its_rows(tmp_path, lang):
    events = [
        make_event(
            str(9200000000 + n),
            eventDescription="=not a formula" if n == 1 else f"Description {n}",
            eventCancelled=n == 2,
            customProperties=[{"name": "region", "value": "APAC"}] if n else [],
        )
        for n in range(3)
    ]
    with Sandbox(events=events, token=TOKEN) as server:
        portal = Workspace(tmp_path, server)
        assert portal.run("pull", "--lang", lang, "sheets/events.xlsx").code == 0
    pulled = portal.sheets / "events.xlsx"
    rows = list(load_workbook(pulled)["Events"].iter_rows(min_row=2, max_row=4, values_only=True))
    built = tmp_path / "built.xlsx"
    build_workbook(rows, custom=("region",), lang=lang, counters=True).save(built)  # type: ignore[arg-type]
    assert layout(pulled) == layout(built)


def test_a_text_no_cell_can_hold_stops_the_pull_before_anything_is_written(tmp_path):
    events = [make_event("9100000000"), make_event("9100000001", eventDescription="x" * 40_000)]
    with Sandbox(events=events, token=TOKEN) as server:
        portal = Workspace(tmp_path, server)
        result = portal.run("pull", "sheets/events.xlsx")
    assert result.code == 2
    assert "event 9100000001" in result.err and "32,767" in result.err
    assert not (portal.sheets / "events.xlsx").exists()


def test_pull_force_backs_up_the_workbook_it_replaces(portal):
    target = portal.sheets / "events.xlsx"
    target.write_bytes(b"my precious workbook")
    assert portal.run("pull", "--force", "sheets/events.xlsx").code == 0
    assert len(read_rows(target)) == len(TRICKY_TEXTS)
    backups = list((portal.root / ".eventsync" / "backups" / "events.xlsx").iterdir())
    assert [b.read_bytes() for b in backups] == [b"my precious workbook"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.slow
def test_libreoffice_shows_true_false(portal, tmp_path):
    """What LibreOffice shows, as its HTML export writes it (its CSV export spells
    TRUE/FALSE cells out whatever their format, so it cannot tell)."""
    assert portal.run("pull", "sheets/events.xlsx").code == 0
    shown = {}
    for book in (portal.sheets / "events.xlsx", TEMPLATES_DIR / "sample-events.xlsx"):
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                "--headless",
                "--convert-to",
                "html",
                "--outdir",
                str(tmp_path),
                str(book),
            ],
            capture_output=True,
            check=True,
            timeout=120,
        )
        html = (tmp_path / book.with_suffix(".html").name).read_text(encoding="utf-8")
        table = re.search(r"<table.*?</table>", html, re.S)
        assert table is not None
        rows = re.findall(r"<tr.*?</tr>", table.group(), re.S)[1:4]
        cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
        shown[book.name] = [re.sub(r"<[^>]+>", "", row[6]).strip() for row in cells]
    assert shown == {"events.xlsx": ["TRUE", "FALSE", "TRUE"], "sample-events.xlsx": ["FALSE"] * 3}
