"""CSV sheets end to end: encodings, delimiters and line endings come back as they were."""

from __future__ import annotations

import re

import pytest

from eventsync.sheets.csv_file import read_csv

HEADER = ["objectId", "eventName", "memo", "startDateTime"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("encoding", "delimiter", "newline"),
    [("utf-8", ",", "\r\n"), ("utf-8-sig", ";", "\n"), ("cp932", "\t", "\r\n")],
)
def test_a_csv_comes_back_byte_for_byte_plus_the_annotations(
    workspace, encoding, delimiter, newline
):
    lines = [
        delimiter.join(HEADER),
        delimiter.join(["5823713201", "東京セミナー", "自分のメモ", "2026/04/06 10:00"]),
        delimiter.join(
            [
                "5823713202",
                '"Quoted, name"' if delimiter == "," else "Plain",
                "",
                "2026-04-13 10:00",
            ]
        ),
        delimiter.join(["abc", "bad id row", "keep me", ""]),
    ]
    original = (newline.join(lines) + newline).encode(encoding)
    path = workspace.sheets / "events.csv"
    path.write_bytes(original)

    result = workspace.run("sync")
    assert result.code == 1  # the bad id row
    assert "2 updated, 0 failed, 1 invalid" in result.out

    data = path.read_bytes()
    table = read_csv(path)
    assert table.format.encoding == encoding
    assert table.format.delimiter == delimiter
    assert table.rows[0] == (*HEADER, "updatedAt", "syncError")
    events = workspace.sandbox.events
    assert table.rows[1][4] == events["5823713201"]["updatedAt"]
    assert table.rows[2][4] == events["5823713202"]["updatedAt"]
    assert table.rows[3][5].startswith("objectId: ")
    # Every original field keeps its bytes: strip the two new fields and compare.
    field = rf'(?:"(?:[^"]|"")*"|[^{re.escape(delimiter)}"]*)'
    first_four = re.compile(rf"{field}(?:{re.escape(delimiter)}{field}){{3}}")
    stripped = [
        first_four.match(line).group() if line else line
        for line in data.decode(encoding).split(newline)
    ]
    assert newline.join(stripped).encode(encoding) == original
    assert events["5823713201"]["eventName"] == "東京セミナー"
