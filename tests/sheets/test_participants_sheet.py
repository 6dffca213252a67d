"""Which files are participants files (their header row, from the file's first bytes),
and a participants file's rows and result cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventsync.errors import SheetError
from eventsync.sheets.participants_sheet import (
    header_of,
    is_participants_file,
    read_participants,
    result_cells,
)


@pytest.mark.parametrize(
    ("data", "participants"),
    [
        (b"email,objectId,state\r\np@example.com,1,register\r\n", True),
        (b"\xef\xbb\xbfEmail;ObjectId;State\r\n", True),  # Excel's ; and a BOM
        (b"sep=;\r\nemail;state\r\n", True),
        (b"email\tstate\n", True),
        ("メールアドレス,イベントID,状態\r\n".encode("cp932"), True),
        ('"ｅｍａｉｌ"," State "\r\n'.encode(), True),  # full width, spaces, quotes
        (b"objectId,eventName\r\n1,A\r\n", False),  # an events sheet
        (b"email,objectId\r\n", False),  # no state column
        (b"", False),
        (b"\x00\x01\x02binary", False),
    ],
)
def test_a_participants_file_is_told_by_its_header_row(tmp_path: Path, data, participants):
    path = tmp_path / "people.csv"
    path.write_bytes(data)
    assert is_participants_file(path) is participants


def test_only_a_csv_is_a_participants_file(tmp_path: Path):
    path = tmp_path / "people.txt"
    path.write_bytes(b"email,state\r\n")
    assert not is_participants_file(path)
    assert header_of(b"") == ()


def test_a_file_read_as_participants_without_their_header_is_refused_naming_it(tmp_path):
    # (Told apart by its first bytes; read whole, the header must still say so.)
    path = tmp_path / "people.csv"
    path.write_bytes(b"objectId,eventName\r\n1,A\r\n")
    with pytest.raises(SheetError, match="people.csv"):
        read_participants(path)


def test_result_cells_add_missing_columns_right_of_the_widest_row_and_only_changes(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(
        b"email,objectId,state\r\na@example.com,1,register,note\r\nb@example.com,1,attend\r\n"
    )
    sheet = read_participants(path)
    cells = result_cells(
        sheet,
        {2: {"syncError": "", "contactId": "101", "sentAt": "t"}, 3: {"syncError": ""}},
    )
    # Column 4 holds the user's note: the results go to 5, 6, 7; an empty text where the
    # cell is empty is no change.
    assert cells == {
        (2, 6): "101",
        (2, 7): "t",
        (1, 5): "syncError",
        (1, 6): "contactId",
        (1, 7): "sentAt",
    }
