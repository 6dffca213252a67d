"""The catalogue's messages of an event's lifecycle: the status column (Scheduled,
Completed, Cancelled, Delete), deleting events, events deleted in HubSpot, the delete
guard (docs/event-status-and-deleting.md). Each: (English, Japanese).
"""

from __future__ import annotations

LIFECYCLE: dict[str, tuple[str, str]] = {
    # A row's status cell (plan/lifecycle.py)
    "lifecycle.bad_status": (
        "{value} is not a status; use one of {allowed}",
        "{value}は状態として読めません。{allowed}のいずれかを入力してください",
    ),
    "lifecycle.status_clash": (
        "the status says otherwise than the {column} cell of this row; empty one of them,"
        " or make them agree",
        "状態が同じ行の{column}のセルと食い違っています。どちらかを空にするか、"
        "同じ内容にしてください",
    ),
    "lifecycle.new_row_status": (
        "this row has no event in HubSpot yet, so there is nothing to delete or complete;"
        " nothing was sent for it. Empty this cell to create the event, or delete the row",
        "この行のイベントはまだHubSpotにないため、削除も完了もできません。この行は送信しません。"
        "イベントを作成するにはこのセルを空にし、不要なら行を削除してください",
    ),
    "lifecycle.cannot_complete": (
        "HubSpot lets only the app that created an event mark it completed, and event"
        " {object_id} was not created by eventsync; nothing was sent for this row. Mark it"
        " completed in HubSpot (Marketing > Events), then empty this cell",
        "HubSpotでは、イベントを作成したアプリだけがそのイベントを完了にできます。"
        "イベント{object_id}はeventsyncが作成したものではないため、この行は送信しません。"
        "HubSpotの画面（マーケティング>イベント）で完了にしてから、このセルを空にしてください",
    ),
    "lifecycle.complete_needs_dates": (
        "HubSpot marks an event completed only with its start and end, and neither this row"
        " nor the last sync holds {fields}; nothing was sent for this row. Fill in {fields},"
        " then sync again",
        "HubSpotでイベントを完了にするには開始日時と終了日時が必要ですが、この行にも前回の同期"
        "内容にも{fields}がありません。この行は送信しません。{fields}を入力してから、"
        "もう一度同期してください",
    ),
    # HubSpot's answer to completing (hubspot/completing.py)
    "lifecycle.complete_other_app": (
        "not completed: HubSpot no longer lets this key mark event {object_id} completed (it"
        " answers as if another app had created it, e.g. after the key was replaced). Mark"
        " it completed in HubSpot (Marketing > Events), then empty this cell",
        "完了になっていません。HubSpotは、このキーでイベント{object_id}を完了にすることを"
        "許可しなくなりました（キーを作り直した後など、別のアプリが作成したイベントとして扱われて"
        "います）。HubSpotの画面（マーケティング>イベント）で完了にしてから、このセルを空に"
        "してください",
    ),
    "lifecycle.complete_refused": (
        "not completed: HubSpot refused it ({why})",
        "完了になっていません。HubSpotが受け付けませんでした（{why}）",
    ),
    "lifecycle.complete_unclear": (
        "unclear whether HubSpot marked the event completed ({why}); run {again} again:"
        " completing twice is harmless",
        "HubSpotでイベントが完了になったかどうか分かりません（{why}）。もう一度「{again}」を"
        "実行してください（2回完了にしても問題はありません）",
    ),
    "lifecycle.status_conflict": (
        "conflict: the event was set to {word} in HubSpot at {at}; to keep HubSpot's, type"
        " {word} into {label}; to send yours, run {force}",
        "競合：HubSpotで{at}にイベントが{word}に変更されました。HubSpotの値を残すには"
        "{label}に{word}と入力し、あなたの値を送るには「{force}」を実行してください",
    ),
    # What a row of a deleted event says (its syncError cell)
    "lifecycle.row_deleted": (
        "deleted in HubSpot by eventsync ({at}), as this row's status asked; nothing more is"
        " sent for this row",
        "この行の状態の指定どおり、eventsyncがHubSpotで削除しました（{at}）。"
        "この行はこれ以降送信しません",
    ),
    "lifecycle.row_gone": (
        "deleted in HubSpot (found {at}): the event no longer exists in HubSpot; nothing more"
        " is sent for this row, and eventsync never brings the event back",
        "HubSpotで削除されています（{at}に確認）。このイベントはHubSpotにもうありません。"
        "この行はこれ以降送信せず、eventsyncがこのイベントを復元することもありません",
    ),
    # HubSpot's answer to a deletion (hubspot/archive.py)
    "lifecycle.still_there": (
        "not deleted: HubSpot answered the deletion but still has the event; run {again} again",
        "削除されていません。HubSpotは削除の要求に応答しましたが、イベントはまだあります。"
        "もう一度「{again}」を実行してください",
    ),
    "lifecycle.delete_refused": (
        "not deleted: HubSpot refused the deletion ({why})",
        "削除されていません。HubSpotが削除を受け付けませんでした（{why}）",
    ),
    "lifecycle.delete_unclear": (
        "unclear whether HubSpot deleted the event ({why}); run {again} again: it asks"
        " again, and deleting twice is harmless",
        "HubSpotでイベントが削除されたかどうか分かりません（{why}）。もう一度「{again}」を"
        "実行してください。もう一度確認します（2回削除しても問題はありません）",
    ),
    # The delete guard (plan/lifecycle.delete_guard)
    "lifecycle.too_many_deletes": (
        "{count} {count:row is|rows are} marked Delete ({files}): more than {most} in one"
        " run, or most rows of a sheet, looks like a status filled down or pasted by"
        " mistake. Nothing was sent. Check with {plan}; if every one of these events is to"
        " be deleted, run {allow}",
        "{count}行に削除が指定されています（{files}）。1回で{most}件を超える削除や、"
        "シートの大半の行の削除は、状態の列を誤って下までコピーした可能性があるため、"
        "何も送信していません。「{plan}」で確認し、すべて削除してよい場合は「{allow}」を"
        "実行してください",
    ),
    # plan and sync's lines (output/report.py)
    "lifecycle.plan_delete_row": (
        "row {row}, {label} {id}: will be DELETED in HubSpot (status Delete)",
        "{row}行目、{label} {id}：HubSpotで削除されます（状態「削除」）",
    ),
    "lifecycle.plan_complete_row": (
        "row {row}, {label} {id}: will be marked completed in HubSpot (status Completed;"
        " start {start}, end {end})",
        "{row}行目、{label} {id}：HubSpotで完了にします（状態「完了」、開始{start}、終了{end}）",
    ),
    "lifecycle.plan_gone_row": (
        "row {row}, {label} {id}: no longer exists in HubSpot (deleted there); {sync} marks"
        " the row and never sends it again",
        "{row}行目、{label} {id}：HubSpotにもうありません（HubSpotで削除されました）。"
        "「{sync}」でこの行に記録し、これ以降送信しません",
    ),
    "lifecycle.plan_settled": (
        "{count} {count:row names an event|rows name events} already deleted: nothing is"
        " sent for {count:it|them}",
        "{count}行は削除済みのイベントの行です。送信しません",
    ),
    "lifecycle.plan_guard": (
        "{sync} will stop before sending anything: {why}",
        "「{sync}」は何も送信せずに止まります：{why}",
    ),
    "lifecycle.would_complete": (
        "Would mark {events} {events:event|events} completed in HubSpot; nothing was sent.",
        "HubSpotで{events}件のイベントを完了にします。まだ何も送信していません。",
    ),
    "lifecycle.would_delete": (
        "Would delete {events} {events:event|events} in HubSpot; nothing was deleted.",
        "HubSpotで{events}件のイベントを削除します。まだ何も削除していません。",
    ),
    "lifecycle.run_deleted": (", {count} deleted", "、削除{count}"),
    "lifecycle.run_completed": (", {count} marked completed", "、完了{count}"),
    "lifecycle.run_gone": (
        ", {count} deleted in HubSpot",
        "、HubSpotで削除済み{count}",
    ),
    # eventsync history (output/history.py)
    "history.deleted": ("deleted by eventsync", "eventsyncが削除"),
    "history.gone": ("deleted in HubSpot", "HubSpotで削除済み"),
    # eventsync sync --help
    "help.allow_deletes": (
        "delete the events of every row marked Delete, even more than 5 or most of a sheet",
        "削除が指定されたすべての行のイベントを削除します（5件を超える場合やシートの大半の場合も）",
    ),
}
