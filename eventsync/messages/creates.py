"""The catalogue's lines about new rows becoming HubSpot events (eventsync/creating/,
plan/creates.py, the report): a new row that cannot be created yet, a copied external
id, a create whose answer was lost and is being checked. Each: (English, Japanese).
"""

from __future__ import annotations

CREATES: dict[str, tuple[str, str]] = {
    # A row's syncError cell (plan/creates.py, eventsync/creating/)
    "create.incomplete": (
        "{columns}: empty; a new event needs {count:it|them} to be created in HubSpot (or"
        " type the event's HubSpot id if it exists already)",
        "{columns}：空です。HubSpotに新しいイベントを作成するには入力が必要です（HubSpotに"
        "あるイベントなら、そのIDを入力してください）",
    ),
    "create.copied": (
        "{label}: the same id is also on {count:row|rows} {rows} (a copied row); keep it on"
        " one row only and clear the cell in the copy",
        "{label}：同じIDが{rows}行目にもあります（コピーした行）。1行だけに残し、"
        "コピーした行ではこのセルを空にしてください",
    ),
    "create.checking": (
        "checking whether HubSpot created it: not found yet (HubSpot finds a new event"
        " by its external id only a few minutes after creating it); nothing is sent"
        " again before {at}: run {again} then",
        "HubSpotが作成したか確認中です。まだ見つかりません（HubSpotで新しいイベントが"
        "外部IDで見つかるのは作成の数分後です）。{at}までは再送しません。その後に"
        "「{again}」を実行してください",
    ),
    "create.unasked": (
        "not created yet: HubSpot could not be asked whether it created this event"
        " ({why}); run {again} later",
        "まだ作成していません。HubSpotがこのイベントを作成済みか確認できませんでした"
        "（{why}）。後で「{again}」を実行してください",
    ),
    "create.unknown_id": (
        "{column}: an id eventsync did not give, and no HubSpot event has it; to create this"
        " row as a new event, clear the cell",
        "{column}：eventsyncが付けたIDではなく、HubSpotにもこのIDのイベントはありません。"
        "新しいイベントとして作成するには、このセルを空にしてください",
    ),
    "create.several": (
        "{column}: several HubSpot events have this id; type the right event's id in the"
        " objectId column",
        "{column}：このIDのイベントがHubSpotに複数あります。正しいイベントのIDをイベントID"
        "（objectId）列に入力してください",
    ),
    "create.not_written": (
        "not created: its external id could not be written into {file} first ({detail});"
        " nothing was sent for it. Close the file and run {again}",
        "作成していません。先に{file}へ外部IDを書き込めませんでした（{detail}）。"
        "このイベントは送信していません。ファイルを閉じて「{again}」を実行してください",
    ),
    "create.refused": (
        "HubSpot did not create it: {why}",
        "HubSpotで作成されませんでした：{why}",
    ),
    "create.unclear": (
        "sent to HubSpot, but its answer did not say whether the event was created ({why});"
        " the next {again} checks before anything is sent again",
        "HubSpotへ送信しましたが、作成されたかどうか応答からわかりませんでした（{why}）。"
        "次の「{again}」で、再送する前に確認します",
    ),
    # history: how a change came about (output/history.py)
    "history.created": ("created", "作成"),
    # plan and sync (output/report.py)
    "create.plan_new": (
        "row {row}: a new event, created in HubSpot ({column} given at sync):",
        "{row}行目：新しいイベント。HubSpotに作成します（{column}は同期時に付けます）：",
    ),
    "create.plan_again": (
        "row {row}: a new event, created in HubSpot ({column} {id}):",
        "{row}行目：新しいイベント。HubSpotに作成します（{column} {id}）：",
    ),
    "create.plan_adopt": (
        "row {row}: HubSpot has this event already ({label} {id}); its id goes into the"
        " row, nothing is sent",
        "{row}行目：HubSpotにこのイベントがすでにあります（{label} {id}）。IDを行に"
        "書き込み、送信はしません",
    ),
    "create.plan_count": (
        "{count} new {count:event|events} to create in HubSpot",
        "HubSpotに作成する新しいイベント：{count}件",
    ),
    "create.run_created": (
        "created {count} {count:event|events} in HubSpot; {count:its id is|their ids are}"
        " in the {label} column",
        "HubSpotに{count}件のイベントを作成しました。IDは「{label}」列にあります",
    ),
    "create.run_adopted": (
        "{count} new {count:row|rows} HubSpot had created already: {count:its id|their"
        " ids} written into the {label} column, nothing sent",
        "HubSpotで作成済みだった新しい行：{count}行。IDを「{label}」列に書き込みました"
        "（送信はしていません）",
    ),
}
