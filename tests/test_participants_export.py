"""A webinar tool's attendance export dropped into the sheets folder as it is (issue 26,
item 4): Japanese Excel's CSV (CP932) with the tool's own headers and words, read through
the header mapping in .env, planned and synced through `eventsync.cli.main` over real
HTTP to the sandbox exactly as the same rows in eventsync's own columns are."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import TOKEN, Workspace

from eventsync.sandbox.contacts import add_contacts
from eventsync.sandbox.participants import participation_states
from eventsync.sandbox.server import Sandbox, make_event

SCOPES = [
    "crm.objects.marketing_events.read",
    "crm.objects.marketing_events.write",
    "crm.objects.contacts.read",
]
# What a marketing user writes once into .env (Notepad: UTF-8).
MAPPING = (
    "EVENTSYNC_PARTICIPANTS_COLUMNS=objectId=イベント番号; state=参加状況;"
    " interactionDateTime=申込日時; joinedAt=入室時刻; leftAt=退室時刻\n"
    "EVENTSYNC_PARTICIPANTS_STATES=attend=出席; register=欠席; cancel=キャンセル済み\n"
)
EXPORT_HEADER = [
    "氏名",
    "メールアドレス",
    "会社名",
    "イベント番号",
    "参加状況",
    "申込日時",
    "入室時刻",
    "退室時刻",
    "アンケート回答",
]
NATIVE_HEADER = ["メールアドレス", "イベントID", "状態", "日時", "参加時刻", "退出時刻"]
TOOL_WORD = {"attend": "出席", "register": "欠席", "cancel": "キャンセル済み"}
NATIVE_WORD = {"attend": "出席", "register": "登録", "cancel": "キャンセル"}


def people() -> list[tuple[str, str, str, str]]:
    """(email, event, state, day): 30 people over 2 events; even ones HubSpot knows."""
    plan = [("7001", "attend")] * 12 + [("7001", "register")] * 8
    plan += [("7002", "attend")] * 6 + [("7002", "cancel")] * 4
    return [(f"p{n}@example.com", e, s, f"{n % 28 + 1:02d}") for n, (e, s) in enumerate(plan)]


def export_rows() -> list[list[str]]:
    """As the tool writes them: Japanese Excel's dates (2026/04/05 9:00), its own words."""
    rows = []
    for number, (email, event, state, day) in enumerate(people()):
        joined, left = ("2026/05/01 10:02", "2026/05/01 11:30") if state == "attend" else ("", "")
        signed = f"2026/04/{day} 9:00"
        rows.append(
            [f"参加者{number}", email, "株式会社サンプル", event, TOOL_WORD[state], signed]
            + [joined, left, "満足、また参加したい"]
        )
    return rows


def native_rows() -> list[list[str]]:
    rows = []
    for email, event, state, day in people():
        joined, left = ("2026-05-01 10:02", "2026-05-01 11:30") if state == "attend" else ("", "")
        rows.append([email, event, NATIVE_WORD[state], f"2026-04-{day} 09:00", joined, left])
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    path.write_bytes(text.getvalue().encode("cp932"))
    return path


def attendance(sb: Sandbox) -> list[tuple[str, object]]:
    return [(r.path, r.body) for r in sb.requests if "/attendance/" in r.path]


@pytest.fixture
def sandboxes() -> Iterator[tuple[Sandbox, Sandbox]]:
    """Two portals alike: one for the export, one for the same rows in eventsync's columns."""
    known = [email for email, *_ in people()][::2]
    events = [make_event(n) for n in ("7001", "7002")]
    with (
        Sandbox(events, token=TOKEN, rate_limit=None, scopes=SCOPES) as first,
        Sandbox(
            [make_event(n) for n in ("7001", "7002")], token=TOKEN, rate_limit=None, scopes=SCOPES
        ) as second,
    ):
        add_contacts(first, *known)
        add_contacts(second, *known)
        yield first, second


def folder(root: Path, sb: Sandbox, rows: list[list[str]], *, dotenv: str = "") -> Workspace:
    root.mkdir()
    space = Workspace(root, sb)
    if dotenv:
        (root / ".env").write_bytes(dotenv.encode("utf-8"))
    write_csv(space.sheets / "参加者.csv", rows)
    return space


@pytest.mark.slow
def test_a_cp932_webinar_export_with_its_own_headers_syncs_as_a_native_file(tmp_path, sandboxes):
    tool_sb, native_sb = sandboxes
    export = folder(tmp_path / "export", tool_sb, [EXPORT_HEADER, *export_rows()], dotenv=MAPPING)
    native = folder(tmp_path / "native", native_sb, [NATIVE_HEADER, *native_rows()])
    path = export.sheets / "参加者.csv"
    before = path.read_bytes()

    plans = export.run("plan"), native.run("plan")
    assert plans[0].code == plans[1].code == 0, plans[0].err
    # The same counts, the same contacts named (each portal at its own port).
    outs = [
        p.out.replace(sb.url.split("//")[1], "HOST") for p, sb in zip(plans, sandboxes, strict=True)
    ]
    assert outs[0] == outs[1]
    assert "イベント7001：登録4件、出席6件を送信" in plans[0].out
    assert path.read_bytes() == before  # plan writes nothing

    synced = export.run("sync", "--create-contacts"), native.run("sync", "--create-contacts")
    assert synced[0].code == synced[1].code == 0, synced[0].err
    assert attendance(tool_sb) == attendance(native_sb)  # the very same requests
    assert len(attendance(tool_sb)) == 4
    states = participation_states(tool_sb, "7001")
    # 欠席 sent as a registration: the event is over, so HubSpot shows a no-show.
    assert states["p0@example.com"] == "ATTENDED" and states["p12@example.com"] == "NO_SHOW"

    # Still Japanese Excel's CSV; every line as the tool wrote it, results appended.
    after = path.read_bytes().decode("cp932").split("\r\n")
    for old, new in zip(before.decode("cp932").split("\r\n"), after, strict=True):
        assert new.startswith(old)
    back = list(csv.DictReader(io.StringIO("\r\n".join(after))))
    assert list(back[0])[: len(EXPORT_HEADER)] == EXPORT_HEADER
    assert list(back[0])[len(EXPORT_HEADER) :] == ["同期エラー", "コンタクトID", "送信日時"]
    assert all(r["同期エラー"] == "" and r["コンタクトID"].isdigit() for r in back)

    again = export.run("sync", "--create-contacts")
    assert again.code == 0 and len(attendance(tool_sb)) == 4  # unchanged: nothing sent


@pytest.mark.slow
@pytest.mark.parametrize(
    ("dotenv", "says"),
    [
        (  # a header the export lacks (the tool writes 退室時刻)
            "EVENTSYNC_PARTICIPANTS_COLUMNS=state=参加状況; leftAt=退室時間\n",
            ["参加者.csv", "「退室時間」", "EVENTSYNC_PARTICIPANTS_COLUMNS", "leftAt"],
        ),
        (  # two fields to one header
            "EVENTSYNC_PARTICIPANTS_COLUMNS=state=参加状況; joinedAt=入室時刻; leftAt=入室時刻\n",
            [".env", "「入室時刻」", "joinedAt", "leftAt"],
        ),
        (  # a field eventsync does not know
            "EVENTSYNC_PARTICIPANTS_COLUMNS=state=参加状況; name=氏名\n",
            [".env", "「name」", "email, objectId, state"],
        ),
        (  # a state eventsync does not know
            "EVENTSYNC_PARTICIPANTS_COLUMNS=state=参加状況\n"
            "EVENTSYNC_PARTICIPANTS_STATES=absent=欠席\n",
            [".env", "「absent」", "register, attend, cancel"],
        ),
    ],
)
def test_a_bad_mapping_stops_with_one_line_before_anything_is_sent(
    tmp_path, sandboxes, dotenv, says
):
    tool_sb, _ = sandboxes
    space = folder(tmp_path / "export", tool_sb, [EXPORT_HEADER, *export_rows()], dotenv=dotenv)
    before = (space.sheets / "参加者.csv").read_bytes()
    result = space.run("sync", "--create-contacts", EVENTSYNC_LANG="ja")
    assert result.code == 2
    (line,) = result.err.splitlines()
    assert all(text in line for text in says), line
    assert attendance(tool_sb) == [] and (space.sheets / "参加者.csv").read_bytes() == before
