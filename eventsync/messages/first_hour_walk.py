"""The catalogue's messages from issue 24's last trial (the first hour walked from a
fresh clone, in English and in Japanese: docs/first-hour-trial.md). Each: (English,
Japanese); Japanese as docs/ja-style.md says."""

from __future__ import annotations

FIRST_HOUR_WALK: dict[str, tuple[str, str]] = {
    # plan's last line when no row is to be sent (conflicts, rows held back, all in step).
    "report.nothing_to_send": (
        "Nothing to send; nothing was sent.",
        "送信する変更はありません。何も送信していません。",
    ),
    # plan, when HubSpot could not be read (remote.unread is sync's): the dry run without
    # the check, not a sync the user did not ask for.
    "remote.unread_plan": (
        "{why}. The plan could not be checked against edits made in HubSpot, so conflicts"
        " are not shown. Run again later, or run {unchecked} to see the plan without that"
        " check.",
        "{why}。HubSpotでの編集と照らし合わせられなかったため、競合は表示していません。"
        "後でもう一度実行するか、確認なしで送信内容を見るには「{unchecked}」を実行してください。",
    ),
    # plan's list of the custom columns HubSpot defines, with HubSpot's type of each:
    # HubSpot's own word in English, the word of HubSpot's Japanese menus in Japanese.
    "report.custom_known": ("{name} ({type})", "{name}（{type}）"),
    "report.type_enumeration": ("enumeration", "選択肢"),
    "report.type_string": ("string", "テキスト"),
    "report.type_number": ("number", "数値"),
    "report.type_date": ("date", "日付"),
    "report.type_datetime": ("datetime", "日時"),
    "report.type_bool": ("bool", "はい/いいえ"),
    # `make demo`'s own lines (sandbox/demo.py), in EVENTSYNC_LANG's language like the
    # eventsync output they frame.
    "demo.started": (
        "Sandbox (a local stand-in for HubSpot) at {url}; scratch folder {folder}",
        "サンドボックス（HubSpotの代わりにこのコンピューターで動くサーバー）：「{url}」。"
        "作業用の一時フォルダー：{folder}",
    ),
    "demo.step_plan": (
        "1. plan: what would be sent (nothing is sent yet)",
        "【1】plan：送信される内容（まだ何も送信しません）",
    ),
    "demo.step_sync": (
        "2. sync: send it, then annotate the workbook",
        "【2】sync：送信して、結果をブックに書き込みます",
    ),
    "demo.step_rows": (
        "3. the workbook now says, row by row, what HubSpot confirmed",
        "【3】ブックの各行に、HubSpotが確認した結果が入りました",
    ),
    "demo.step_again": (
        "4. sync again: nothing changed, so nothing is sent",
        "【4】もう一度sync：何も変更していないので、何も送信しません",
    ),
    "demo.requests": ("HTTP requests made: {count}", "HTTPリクエストの回数：{count}"),
    "demo.step_edit": (
        "5. edit two cells (as you would in Excel) and sync again",
        "【5】2つのセルを（Excelで編集するように）変更して、もう一度同期します",
    ),
    "demo.edited": (
        "changed B3 ({first} of row 3) and C7 ({second} of row 7)",
        "B3（3行目の{first}）とC7（7行目の{second}）を変更しました",
    ),
    "demo.received": (
        "HubSpot received {requests} {requests:request|requests} with {events}"
        " {events:event|events}:",
        "HubSpotが受け取った内容（リクエスト{requests}回、イベント{events}件）：",
    ),
    "demo.step_conflict": (
        "6. a colleague renames an event in HubSpot while you rename it in the sheet",
        "【6】同僚がHubSpotでイベント名を変え、同時にあなたもシートで同じイベント名を変えます",
    ),
    "demo.kept": (
        "HubSpot's edit was kept; the row says why:",
        "HubSpot側の編集は上書きされずに残りました。行に理由が書き込まれています：",
    ),
    "demo.overwritten": (
        "HubSpot's edit was OVERWRITTEN; the row says why:",
        "HubSpot側の編集が上書きされました。行を確認してください：",
    ),
    "demo.done": ("done", "完了"),
    "demo.went_wrong": ("something went wrong", "うまくいきませんでした"),
    "demo.files_kept": (
        "The demo's files are kept for a look: {folder}",
        "確認できるように、デモのファイルを残しました：{folder}",
    ),
    "demo.not_removed": (
        "Could not remove the demo's folder {folder} ({why}); remove it yourself.",
        "デモのフォルダー{folder}を削除できませんでした（{why}）。手動で削除してください",
    ),
    "demo.removed": (
        "The demo's scratch folder is removed. To sync your own workbook: see {readme}.",
        "デモの一時フォルダーは削除しました。自分のブックを同期するには{readme}を参照してください",
    ),
    "demo.more_lines": ("... ({count} more lines) ...", "...（ほかに{count}行）..."),
    "demo.more_rows": (
        "... {count} more rows, all annotated",
        "...ほかに{count}行（すべて結果を書き込み済み）",
    ),
}
