"""The catalogue's messages about which HubSpot account a run talks to (state/portal.py),
versions that are not date-times (hubspot/answers.py, plan/versions.py), and a workbook
synced from more than one working folder (plan/versions.py, report.py). Each: (English,
Japanese).
"""

from __future__ import annotations

PORTAL_VERSIONS: dict[str, tuple[str, str]] = {
    # The portal (state/portal.py)
    "portal.no_token": (
        "{url} (the account is not known without a token)",
        "「{url}」（トークンがないためアカウントは不明）",
    ),
    "portal.no_answer": (
        "HubSpot did not say which account this token belongs to at {url} ({why}). Nothing"
        " was sent: eventsync keeps each HubSpot account's sync state apart and does not"
        " guess which one this is. Run it again later",
        "「{url}」で、このトークンがどのHubSpotアカウントのものかHubSpotから応答がありません"
        "でした（{why}）。何も送信していません：eventsyncはHubSpotアカウントごとに同期の"
        "状態を分けて記録しており、どのアカウントかを推測しません。後でもう一度実行してください",
    ),
    "portal.no_answer_row": (
        "not sent: HubSpot did not say which account the token belongs to; run again later",
        "未送信：トークンがどのアカウントのものかHubSpotから応答がありませんでした。後でもう一度"
        "実行してください",
    ),
    # Versions that are not date-times
    "hubspot.bad_version": (
        "HubSpot's answer for this event gives updatedAt {value}, which is not a date-time;"
        " nothing is confirmed (run {again} again)",
        "HubSpotの応答にあるこのイベントのupdatedAtが{value}で、日時ではありません。"
        "何も確認されていません（もう一度「{again}」を実行してください）",
    ),
    "hubspot.bad_version_read": (
        "HubSpot's answer gives event {object_id} the updatedAt {value}, which is not a date-time",
        "HubSpotの応答にあるイベント{object_id}のupdatedAtが{value}で、日時ではありません",
    ),
    "row.version_unreadable": (
        "{label}: the cell does not hold a date-time eventsync wrote, so this row was synced"
        " before at a version eventsync cannot read; it is sent only once HubSpot's current"
        " values are compared with it: run {check} without --no-remote-check, or send this"
        " row as it is with {force}",
        "{label}：セルの値がeventsyncの書いた日時ではないため、この行は以前に同期されたものの"
        "その版が読めません。HubSpotの現在の値と比べてから送信します：「--no-remote-check」を"
        "付けずに「{check}」を実行するか、この行をこのまま「{force}」で送ってください",
    ),
    # One workbook, two working folders
    "row.synced_elsewhere": (
        "{label}: this row was synced at {row_at}, after this folder's last sync of event"
        " {object_id} ({known_at}): another working folder (its own .eventsync) syncs this"
        " workbook too, and HubSpot may hold these values already, so it is not sent. Run"
        " {check} without --no-remote-check: it compares the row with HubSpot and sends only"
        " what HubSpot lacks",
        "{label}：この行は{row_at}に同期されており、このフォルダーでのイベント{object_id}の"
        "前回の同期（{known_at}）より後です。別の作業フォルダー（別の.eventsync）もこのブックを"
        "同期しているため、HubSpotにはこの値が既にあるかもしれず、送信しません。"
        "「--no-remote-check」を付けずに「{check}」を実行してください：行をHubSpotと比べ、HubSpotに"
        "ないものだけを送ります",
    ),
    "report.synced_elsewhere": (
        "{count} {count:row was|rows were} last synced from another working folder (its own"
        " .eventsync): {count:its|their} updatedAt {count:is|are} newer than this folder's"
        " record (objectId {ids}). Each is compared with HubSpot before anything is sent;"
        " sync this workbook from one working folder only",
        "{count}行は別の作業フォルダー（別の.eventsync）から最後に同期されています：更新日時が"
        "このフォルダーの記録より新しくなっています（objectId {ids}）。送信の前にそれぞれHubSpot"
        "と比べます。このブックは1つの作業フォルダーだけから同期してください",
    ),
}
