"""The catalogue's messages of `pull --participants` (issue 26, item 5): the option,
its progress and result lines, a breakdown that could not be read, and HubSpot's own
states as the read-only column shows them. Each: (English, Japanese).
"""

from __future__ import annotations

PULL_PARTICIPANTS: dict[str, tuple[str, str]] = {
    "help.pull_participants": (
        "also write a Participants sheet: each contact's current state in each event, read"
        " from HubSpot (one request or more per event)",
        "参加者シートも書き出します：各イベントの各コンタクトの今の状態をHubSpotから読み込みます"
        "（イベントごとに1回以上のリクエスト）",
    ),
    "pulled_people.progress": (
        "reading participants: {done}/{total} events, {rows} {rows:contact|contacts}",
        "参加者を読み込み中：{done}/{total}件のイベント、{rows}件のコンタクト",
    ),
    "pulled_people.wrote": (
        "; {sheet} sheet: {rows} {rows:participant|participants} in {events} {events:event|events}",
        "。{sheet}シート：{events}件のイベントに{rows}人の参加者",
    ),
    "pulled_people.read_failed": (
        "could not read the participants of event {object_id} from HubSpot: {why}; nothing"
        " was written. Run the pull again later",
        "イベント{object_id}の参加者をHubSpotから読み込めませんでした：{why}。何も書き込んで"
        "いません。後でもう一度pullを実行してください",
    ),
    # HubSpot's own state of a contact, in the read-only column (attendanceState / 出欠)
    "attendance.registered": ("registered", "登録"),
    "attendance.attended": ("attended", "出席"),
    "attendance.cancelled": ("cancelled", "キャンセル"),
    "attendance.no_show": ("no-show", "欠席"),
}
