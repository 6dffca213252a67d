"""The catalogue's messages for the terminal: what `plan` and `sync` print per sheet,
per row and at the end. Each: (English, Japanese).
"""

from __future__ import annotations

REPORT: dict[str, tuple[str, str]] = {
    "report.sheet_title": ("{file} (sheet {sheet})", "{file}（シート{sheet}）"),
    "report.plan_sheet": (
        "{title}: {rows} {rows:row|rows}, {send} to send, {unchanged} unchanged, {invalid} invalid",
        "{title}：{rows}行、送信{send}、変更なし{unchanged}、エラー{invalid}",
    ),
    "report.run_sheet": (
        "{title}: {rows} {rows:row|rows} read, {unchanged} unchanged, {sent} sent, {updated}"
        " updated, {failed} failed, {invalid} invalid",
        "{title}：{rows}行を読み込み、変更なし{unchanged}、送信{sent}、更新{updated}、"
        "失敗{failed}、エラー{invalid}",
    ),
    "report.conflicts": (", {count} {count:conflict|conflicts}", "、競合{count}"),
    "report.plan_row": ("row {row}, {label} {id}:", "{row}行目、{label} {id}："),
    "report.plan_row_first": (
        "row {row}, {label} {id} (first sync):",
        "{row}行目、{label} {id}（初回の同期）：",
    ),
    "report.line_breaks": (
        "(line breaks in {columns} are sent as one line: HubSpot keeps"
        " {count:this field|these fields} on one line)",
        "（{columns}の改行は1行にまとめて送信します。HubSpotではこの項目は1行です）",
    ),
    "report.row": ("row {row}: {message}", "{row}行目：{message}"),
    "report.more_to_send": (
        "... and {count} more rows to send",
        "...ほかに送信する行が{count}行",
    ),
    "report.more_in_json": ("{json} lists them all", "「{json}」ですべて表示されます"),
    "report.see_cells": ("see their {column} cells", "各行の{column}セルを見てください"),
    "report.more_problems": (
        "... and {count} more {count:problem|problems} ({where})",
        "...ほかに問題が{count}件（{where}）",
    ),
    "report.more_failed": (
        "... and {count} more failed {count:row|rows} (see {column})",
        "...ほかに失敗した行が{count}行（{column}を見てください）",
    ),
    "report.and_more": ("... and {count} more", "...ほかに{count}件"),
    "report.would_send": (
        "Would send {events} {events:event|events} in {requests} {requests:request|requests};"
        " nothing was sent.",
        "{events}件のイベントを{requests}回のリクエストで送信します。まだ何も送信していません。",
    ),
    "report.new_state": (
        "this folder has no record of the last sync of {count} {count:event|events} whose"
        " rows carry an updatedAt (a new machine, another clone, or .eventsync deleted):"
        " HubSpot's current values serve as their base; a cell that differs is sent only"
        " where HubSpot has not changed since the row's updatedAt, and is a conflict where it"
        " has",
        "更新日時のある{count}件のイベントについて、このフォルダーには前回の同期の記録が"
        "ありません（別のパソコンや別のクローンで同期した、または.eventsyncを削除した場合）。"
        "HubSpotの現在の値を基準にして比べ、行の更新日時以降にHubSpotで変更のないセルだけを"
        "送信します。変更のあるセルは競合になります",
    ),
    "report.brought_in": ("brought in from HubSpot:", "HubSpotから取り込みました："),
    "report.changed_in_hubspot": (
        "changed in HubSpot only ({two_way} brings these into the sheet):",
        "HubSpotだけで変更されています（「{two_way}」でシートに取り込めます）：",
    ),
    "report.incoming_row": (
        "row {row}, {label}: {old} -> {new}",
        "{row}行目、{label}：{old}→{new}",
    ),
    "report.new_in_hubspot": (
        "{count} {count:event is|events are} in HubSpot but not in this sheet ({ids}); {add}"
        " appends {count:it|them}",
        "{count}件のイベントがHubSpotにあり、このシートにありません（{ids}）。{add}で追加できます",
    ),
    "report.appended": (
        "appended {count} {count:event|events} from HubSpot as new rows",
        "HubSpotから{count}件のイベントを新しい行として追加しました",
    ),
    "report.custom_unread": (
        "Custom properties: HubSpot's list of them could not be read, so columns it lacks are"
        " not shown here.",
        "カスタムプロパティ：HubSpotの一覧を読めなかったため、HubSpotにない列はここに表示"
        "されません。",
    ),
    "report.custom_defined": (
        "Custom properties defined in HubSpot: {names}.",
        "HubSpotに定義されているカスタムプロパティ：{names}。",
    ),
    "report.custom_missing": (
        "Custom {count:property|properties} not defined in HubSpot: {names}; HubSpot would"
        " not keep {count:it|them}. Create it on marketing events in HubSpot (Settings >"
        " Properties), or remove the column.",
        "HubSpotに定義されていないカスタムプロパティ：{names}。HubSpotには保存されません。"
        "HubSpotのマーケティングイベントにプロパティを作成するか（設定>プロパティ）、列を"
        "削除してください。",
    ),
    "report.line_cut": (
        "{count} more characters: the row's syncError cell holds the whole message",
        "ほか{count}文字：行の同期エラーのセルに全文があります",
    ),
    "watch.synced": (
        "{time}  {file}: {sent} sent, {updated} updated, {failed} failed, {conflicts}"
        " {conflicts:conflict|conflicts}",
        "{time}  {file}：送信{sent}、更新{updated}、失敗{failed}、競合{conflicts}",
    ),
    "watch.open_elsewhere": (
        "{file} is open in another program; watch syncs it when it is closed",
        "{file}は別のプログラムで開かれています。閉じられたらwatchが同期します",
    ),
    "watch.invalid": (", {count} invalid", "、エラー{count}"),
    "watch.waiting_for_close": (
        "watch writes the results into {file} when it is closed",
        "{file}が閉じられたらwatchが結果を書き込みます",
    ),
    # What plan and sync add below the sheets
    "output.not_read": (
        "HubSpot was not read ({why}): conflicts with edits made there are not shown.",
        "HubSpotは読んでいません（{why}）：HubSpotでの編集との競合は表示されません。",
    ),
    "output.could_not_read": (
        "HubSpot could not be read: {why}",
        "HubSpotを読めませんでした：{why}",
    ),
    "output.reading": (
        "{name}: reading HubSpot {done}/{total} events",
        "{name}：HubSpotを読み込み中{done}/{total}件",
    ),
}
