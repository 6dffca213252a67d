"""The catalogue's messages of two-way sync of participants sheets (issue 26, item 5:
`sync --two-way` / `plan --two-way` with a participants sheet): a row's conflict, and
what the summary says of rows taken from HubSpot and of contacts the sheet lacks.
Each: (English, Japanese).
"""

from __future__ import annotations

PARTICIPANTS_TWO_WAY: dict[str, tuple[str, str]] = {
    # A row's syncError: both sides changed its state since the last sync (as conflict.row)
    "people_two_way.conflict": (
        "conflict: this row's state was changed to {mine}, and HubSpot's to {theirs}"
        " ({word}), since the last sync; to keep HubSpot's, type {theirs} into the state"
        " cell; to send yours, run {sync} (without --two-way)",
        "競合：前回の同期の後、この行の状態は{mine}に、HubSpotでは{theirs}（{word}）に"
        "変更されました。HubSpotの値を残すには状態のセルに{theirs}と入力し、あなたの値を"
        "送るには「{sync}」を「--two-way」なしで実行してください",
    ),
    # The summary's lines (plan: "would"; sync: what was done)
    "people_two_way.taken": (
        "from HubSpot: {count} {count:row takes|rows take} HubSpot's state into the sheet",
        "HubSpotから：{count}行の状態をHubSpotの状態に書き換えます",
    ),
    "people_two_way.took": (
        "from HubSpot: {count} {count:row took|rows took} HubSpot's state",
        "HubSpotから：{count}行の状態をHubSpotの状態に書き換えました",
    ),
    "people_two_way.agreed": (
        "{count} {count:row|rows} already as HubSpot has {count:it|them}: recorded, not sent",
        "{count}行はHubSpotと同じ状態です：記録し、送信しません",
    ),
    "people_two_way.conflicts": (
        "{count} {count:conflict|conflicts} with HubSpot: not sent (each row's syncError says"
        " what to do)",
        "HubSpotとの競合{count}件：送信しません（各行の同期エラーに対処方法があります）",
    ),
    "people_two_way.missing": (
        "HubSpot has {count} more {count:contact|contacts} in these events, not in the"
        " sheet: not added ({pull} gives the full list)",
        "これらのイベントには、シートにないコンタクトがHubSpotにさらに{count}件あります："
        "追加しません（全員の一覧は「{pull}」で得られます）",
    ),
}
