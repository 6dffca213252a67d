"""The header mapping's two settings parsed (EVENTSYNC_PARTICIPANTS_COLUMNS / _STATES),
every mistake a problem naming the setting, and a participants file told apart and read
through the mapping (docs/participants.md "Files other tools export")."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventsync.config import load_settings
from eventsync.errors import SettingsError, SheetError
from eventsync.messages import localise
from eventsync.participant_mapping import ParticipantMapping, parse_columns, parse_states
from eventsync.plan.participants import BadRow, Participation, read_row
from eventsync.sheets.participants_sheet import (
    columns_of,
    is_participants_file,
    read_participants,
)


@pytest.mark.parametrize(
    ("text", "columns"),
    [
        (None, {}),
        ("", {}),
        ("state=参加状況", {"state": "参加状況"}),
        (  # spaces around each part, a trailing ;, any case for the field's name
            " Email = メールアドレス(登録時) ;STATE=参加状況; ",
            {"email": "メールアドレス(登録時)", "state": "参加状況"},
        ),
        (
            "joinedAt=Join Time; leftAt=Leave Time",
            {"joinedAt": "Join Time", "leftAt": "Leave Time"},
        ),
        ("objectId=ID=番号", {"objectId": "ID=番号"}),  # the first = splits
    ],
)
def test_columns_setting_read(text, columns):
    problems: list[str] = []
    assert parse_columns(text, problems) == columns
    assert problems == []


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("state 参加状況", "mapping.entry"),
        ("state=", "mapping.entry"),
        ("=参加状況", "mapping.entry"),
        ("name=氏名", "mapping.unknown_field"),
        ("syncError=エラー", "mapping.unknown_field"),  # eventsync's own columns are not mapped
        ("state=参加状況; state=出欠", "mapping.field_twice"),
        ("joinedAt=入室時刻; leftAt=入室時刻", "mapping.header_twice"),
        ("joinedAt=Join Time; leftAt=ｊｏｉｎ　ｔｉｍｅ", "mapping.header_twice"),  # as compared
    ],
)
def test_columns_setting_mistakes_are_problems_naming_it(text, key):
    problems: list[str] = []
    parse_columns(text, problems)
    assert [getattr(p, "key", None) for p in problems] == [key]
    assert "EVENTSYNC_PARTICIPANTS_COLUMNS" in localise(problems[0], "en")


@pytest.mark.parametrize(
    ("text", "states"),
    [
        (None, {}),
        ("attend=出席", {"出席": "attend"}),
        (
            "attend=Yes, 出席 ; register=No、欠席",
            {"yes": "attend", "出席": "attend", "no": "register", "欠席": "register"},
        ),
        ("Cancel=ＣＡＮＣＥＬＬＥＤ", {"cancelled": "cancel"}),  # width and case folded
        ("attend=出席; attend=参加済み", {"出席": "attend", "参加済み": "attend"}),
    ],
)
def test_states_setting_read(text, states):
    problems: list[str] = []
    assert parse_states(text, problems) == states
    assert problems == []


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("absent=欠席", "mapping.unknown_state"),
        ("attend=出席; register=出席", "mapping.word_twice"),
        ("attend", "mapping.entry"),
    ],
)
def test_states_setting_mistakes_are_problems_naming_it(text, key):
    problems: list[str] = []
    parse_states(text, problems)
    assert [getattr(p, "key", None) for p in problems] == [key]
    assert "EVENTSYNC_PARTICIPANTS_STATES" in localise(problems[0], "ja")


def test_every_mistake_of_both_settings_is_reported_at_once(tmp_path: Path):
    env = {
        "EVENTSYNC_PARTICIPANTS_COLUMNS": "name=氏名; state=参加状況",
        "EVENTSYNC_PARTICIPANTS_STATES": "absent=欠席",
    }
    with pytest.raises(SettingsError) as raised:
        load_settings(env, cwd=tmp_path, require_token=False)
    assert len(raised.value.problems) == 2


MAPPING = ParticipantMapping(
    {"state": "参加状況", "joinedAt": "入室時刻", "interactionDateTime": "申込日時"},
    {"出席": "attend", "欠席": "register"},
)


@pytest.mark.parametrize(
    ("header", "columns"),
    [
        # The mapped header is its field; eventsync's own names still count for the rest.
        (
            ("氏名", "メールアドレス", "参加状況", "入室時刻"),
            {"email": 2, "state": 3, "joinedAt": 4},
        ),
        # A mapped field only by its mapped header: 状態 here is the tool's, not the state.
        (("email", "状態", "参加状況"), {"email": 1, "state": 3}),
        # A mapped header only as its field: 日時 is still interactionDateTime's own name,
        # but the field is mapped, so only 申込日時 counts.
        (
            ("email", "日時", "申込日時", "参加状況"),
            {"email": 1, "interactionDateTime": 3, "state": 4},
        ),
    ],
)
def test_columns_of_a_header_read_through_the_mapping(header, columns):
    assert columns_of(header, MAPPING) == columns


@pytest.mark.parametrize(
    ("data", "participants"),
    [
        ("氏名,メールアドレス,参加状況,入室時刻,申込日時\r\n".encode("cp932"), True),
        ("氏名,参加状況\r\n".encode("cp932"), True),  # read says what it lacks
        (b"email,objectId,state\r\n", True),  # eventsync's own file, mapping or not
        ("objectId,eventName,入室時刻\r\n".encode(), False),  # an events sheet
    ],
)
def test_a_file_is_told_apart_through_the_mapping(tmp_path: Path, data, participants):
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    assert is_participants_file(path, MAPPING) is participants
    assert is_participants_file(path) is (b"state" in data)


def test_a_file_the_mapping_is_about_lacking_a_mapped_header_is_refused_naming_both(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("メールアドレス,参加状況,申込日時\r\na@example.com,出席,\r\n".encode("cp932"))
    with pytest.raises(SheetError) as raised:
        read_participants(path, MAPPING)
    said = str(raised.value)
    assert "export.csv" in said and "入室時刻" in said and "joinedAt" in said


def test_eventsyncs_own_file_needs_none_of_the_mapped_headers(tmp_path):
    path = tmp_path / "own.csv"
    path.write_bytes(b"email,objectId,state\r\na@example.com,1,attend\r\n")
    assert read_participants(path, MAPPING).rows[0].cells["state"] == "attend"
    # A mapping naming neither email nor state is about every participants file.
    only_times = ParticipantMapping({"joinedAt": "入室時刻"})
    with pytest.raises(SheetError, match="入室時刻"):
        read_participants(path, only_times)


@pytest.mark.parametrize(
    ("typed", "state"),
    [("出席", "attend"), ("欠席", "register"), ("登録", "register"), ("キャンセル", "cancel")],
)
def test_a_tools_words_are_states_beside_eventsyncs_own(typed, state):
    from zoneinfo import ZoneInfo

    cells = {"email": "a@example.com", "objectId": "1", "state": typed}
    row = read_row(2, cells, ZoneInfo("UTC"), words=MAPPING.states)
    assert isinstance(row, Participation) and row.state == state
    assert isinstance(read_row(2, {**cells, "state": "欠席"}, ZoneInfo("UTC")), BadRow)
