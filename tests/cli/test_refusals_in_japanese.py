"""A file or a setting eventsync refuses, said in Japanese with EVENTSYNC_LANG=ja from
the first word to the last: the same refusal in English (by default) shows what would
otherwise leak. Each runs `main()` in a user's folder against the sandbox; nothing is
sent, exit 2."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import CliResult, Workspace
from openpyxl import Workbook

# Two lower-case English words in a row: a sentence (or a piece of one) in English.
# Japanese messages hold ASCII only as names: `objectId`, `Excel`, `CSV UTF-8`, paths.
ENGLISH = re.compile(r"\b[a-z]{2,}[ ,;:'-]+[a-z]{2,}\b")
# Each case runs a whole command against the sandbox, twice (make test-fast skips them).
pytestmark = pytest.mark.slow

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def csv_file(text: str | bytes, name: str = "events.csv") -> Callable[[Workspace], list[str]]:
    def make(workspace: Workspace) -> list[str]:
        data = text.encode("utf-8") if isinstance(text, str) else text
        (workspace.sheets / name).write_bytes(data)
        return ["plan"]

    return make


def workbook(fill: Callable[[Workbook], None]) -> Callable[[Workspace], list[str]]:
    def make(workspace: Workspace) -> list[str]:
        book = Workbook()
        book.active.title = "Events"
        fill(book)
        book.save(workspace.sheets / "events.xlsx")
        return ["plan"]

    return make


def no_id_column(book: Workbook) -> None:
    book.active.append(["name", "eventName"])
    book.active.append(["Spring", "Tokyo seminar"])


def merged_across_events(book: Workbook) -> None:
    sheet = book.active
    sheet.append(["objectId", "eventName", "startDateTime"])
    sheet.append(["5823713201", "Spring seminar", "2026-04-06 10:00"])
    sheet.append(["5823713202", "", "2026-04-13 10:00"])
    sheet.merge_cells("B2:B3")


def merged_header(book: Workbook) -> None:
    sheet = book.active
    sheet.append(["objectId", "eventName", ""])
    sheet.append(["5823713201", "Spring seminar", ""])
    sheet.merge_cells("B1:C1")


def zip_named_csv(workspace: Workspace) -> list[str]:
    with zipfile.ZipFile(workspace.sheets / "events.csv", "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return ["plan"]


def damaged_workbook(workspace: Workspace) -> list[str]:
    (workspace.sheets / "events.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    return ["plan"]


def text_named_xlsx(workspace: Workspace) -> list[str]:
    (workspace.sheets / "events.xlsx").write_text("objectId,eventName\n", encoding="utf-8")
    return ["plan"]


def encrypted_workbook(workspace: Workspace) -> list[str]:
    # Excel keeps an encrypted .xlsx in the OLE container old .xls files use.
    (workspace.sheets / "events.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" * 64)
    return ["plan"]


def named(*argv: str) -> Callable[[Workspace], list[str]]:
    def make(workspace: Workspace) -> list[str]:
        (workspace.sheets / "events.csv").write_text("objectId\n5823713201\n", encoding="utf-8")
        return list(argv)

    return make


def bad_settings(workspace: Workspace) -> list[str]:
    (workspace.sheets / "events.csv").write_text("objectId\n5823713201\n", encoding="utf-8")
    (workspace.root / ".env").write_text(
        "EVENTSYNC_TIMEZONE=Mars/Base\nEVENTSYNC_BATCH_SIZE=lots\n", encoding="utf-8"
    )
    return ["plan"]


CASES: dict[str, Callable[[Workspace], list[str]]] = {
    "a CSV without an id column": csv_file("name,eventName\nSpring,Tokyo seminar\n"),
    "a CSV whose row 1 is empty": csv_file(",,\nSpring,Tokyo seminar,\n"),
    "a CSV whose columns repeat a header": csv_file("objectId,eventName,eventName\n1,a,b\n"),
    "a CSV with a quote never closed": csv_file('objectId,eventName\n1,"Tokyo\n'),
    "a CSV holding NUL bytes": csv_file(b"objectId,eventName\n1,\x00\x00\n"),
    "a CSV in UTF-16": csv_file("objectId,eventName\n".encode("utf-16")),
    "a CSV in neither UTF-8 nor Shift-JIS": csv_file(b"objectId,eventName\n1,\x81 \n"),
    "an empty CSV": csv_file(""),
    "a zip named .csv": zip_named_csv,
    "a workbook without an id column": workbook(no_id_column),
    "a workbook with a merge across events": workbook(merged_across_events),
    "a workbook with a merged header": workbook(merged_header),
    "a damaged workbook": damaged_workbook,
    "a text file named .xlsx": text_named_xlsx,
    "an encrypted workbook": encrypted_workbook,
    "a sheet named that is not there": named("plan", "sheets/missing.csv"),
    "a sheet of a format eventsync does not read": named("plan", "notes.txt"),
    "a template that is not .xlsx": named("template", "events-template.csv"),
    "a pull into a CSV": named("pull", "pulled.csv"),
    "bad settings": bad_settings,
}


def refused(workspace: Workspace, case: str, **env: str) -> CliResult:
    argv = CASES[case](workspace)
    if argv[-1] == "notes.txt":
        (workspace.root / "notes.txt").write_text("objectId\n", encoding="utf-8")
    result = workspace.run(*argv, **env)
    assert result.code == 2, result
    assert workspace.sandbox.batch_update_requests() == []
    return result


def words_of(result: CliResult, workspace: Workspace) -> str:
    """What eventsync said, without the names of files and folders (the user's own)."""
    said = result.out + result.err
    for name in (str(workspace.root), "events.csv", "events.xlsx", "events-template.csv"):
        said = said.replace(name, "")
    said = re.sub(r"docs/[\w./-]+", "", said)  # a page of the manual, named as a path
    return re.sub(r"[\w./\\:-]*(missing|notes|pulled)\.\w+", "", said)


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_refusal_is_japanese_from_start_to_end(workspace: Workspace, case: str) -> None:
    said = words_of(refused(workspace, case, EVENTSYNC_LANG="ja"), workspace)
    assert JAPANESE.search(said), said
    assert ENGLISH.findall(said) == [], said


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_same_refusal_is_english_by_default(workspace: Workspace, case: str) -> None:
    # What the Japanese test would catch: the refusal does hold English sentences.
    said = words_of(refused(workspace, case), workspace)
    assert ENGLISH.search(said), said
    assert not JAPANESE.search(said), said


def test_a_csv_without_an_id_column_names_the_fix_in_japanese(workspace: Workspace) -> None:
    result = refused(workspace, "a CSV without an id column", EVENTSYNC_LANG="ja")
    assert result.err == (
        "eventsync: events.csvの1行目：objectIdの列がありません。見出しがobjectIdで、"
        "各イベントのHubSpotのIDを入れた列を追加してください（タイトル行の下の見出しも、"
        "1～20行目の中なら見つけられます）\n"
    )


def test_a_merge_across_events_is_placed_in_its_sheet_in_japanese(workspace: Workspace) -> None:
    result = refused(workspace, "a workbook with a merge across events", EVENTSYNC_LANG="ja")
    assert result.err.startswith(
        "eventsync: events.xlsx（シートEvents）：イベントの表の中でセルB2:B3が結合されて"
    ), result.err


def test_paths_in_messages_use_the_systems_separator(workspace: Workspace) -> None:
    result = refused(workspace, "a sheet named that is not there", EVENTSYNC_LANG="ja")
    assert str(Path("sheets") / "missing.csv") in result.err, result.err
