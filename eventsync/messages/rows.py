"""The catalogue's messages about one row: what its syncError cell says when a cell
cannot be read, or the row cannot be sent as it is. Each: (English, Japanese).

Fields: `{label}` is the column as the sheet names it; `{count:row|rows}` picks a word
by the count; commands (`{force}`) are shown as the user runs eventsync.
"""

from __future__ import annotations

ROWS: dict[str, tuple[str, str]] = {
    "list": ("{items}", "{items}"),
    "cell.problem": ("{label}: {problem}", "{label}：{problem}"),
    "place.file_row": ("{file} row {row}", "{file}の{row}行目"),
    # A cell's value
    "value.empty": ("(empty)", "（空）"),
    "value.not_boolean": (
        "{value} is not a yes/no value; use TRUE or FALSE",
        "{value}はTRUE/FALSEの値ではありません。TRUEかFALSEを入力してください",
    ),
    "value.excel_error": (
        "shows the Excel error {error}; fix the formula or type the value",
        "Excelのエラー{error}が表示されています。数式を直すか、値を入力してください",
    ),
    "id.empty": (
        "is empty; type the event's HubSpot id",
        "空です。イベントのHubSpot IDを入力してください",
    ),
    "id.not_id": (
        "{value} is not an event id; type HubSpot's numeric id, e.g. 58237132332",
        "{value}はイベントIDではありません。HubSpotの数字のID（例：58237132332）を入力してください",
    ),
    "id.not_whole": (
        "{value} is not a whole number; type HubSpot's numeric id",
        "{value}は整数ではありません。HubSpotの数字のIDを入力してください",
    ),
    "id.not_whole_example": (
        "{value} is not a whole number; type HubSpot's numeric id, e.g. 58237132332",
        "{value}は整数ではありません。HubSpotの数字のID（例：58237132332）を入力してください",
    ),
    "id.not_positive": (
        "{value} is not a positive number; type HubSpot's numeric id",
        "{value}は正の数ではありません。HubSpotの数字のIDを入力してください",
    ),
    # Dates and times
    "date.value": ("{value} {problem}", "{value}：{problem}"),
    "date.number": (
        "{value} is a number, not a date-time; type it like {example} or format the cell as a date",
        "{value}は数値で、日時ではありません。「{example}」のように入力するか、セルの書式を日付に"
        "してください",
    ),
    "date.not_date": (
        "is not a date-time; type it like {example}",
        "日時として読めません。「{example}」のように入力してください",
    ),
    "date.not_real": (
        "is not a real date or time; type it like {example}",
        "存在しない日付または時刻です。「{example}」のように入力してください",
    ),
    "date.ambiguous": (
        "could be day/month/year or month/day/year; type it like {example}, or set"
        " EVENTSYNC_DATE_ORDER=DMY (or MDY) to read such dates",
        "日/月/年とも月/日/年とも読めます。「{example}」のように入力するか、このような日付を読むには"
        "EVENTSYNC_DATE_ORDER=DMY（またはMDY）を設定してください",
    ),
    "date.wrong_era": (
        "is not a date of the {era} era; check the era and year, or type it like {example}",
        "{era}の日付ではありません。元号と年を確認するか、「{example}」のように入力してください",
    ),
    "date.bad_weekday": (
        "has {typed} where a weekday goes; type it like {example}",
        "曜日の位置に{typed}があります。「{example}」のように入力してください",
    ),
    "date.wrong_weekday": (
        "says ({typed}) but {day} is a {weekday}; check the date, or type it like {example}",
        "（{typed}）とありますが、{day}は{weekday}です。日付を確認するか、「{example}」のように"
        "入力してください",
    ),
    "date.ampm_twice": (
        "names morning or afternoon twice; type it like {example}",
        "午前・午後が二度書かれています。「{example}」のように入力してください",
    ),
    "date.ampm_hour": (
        "has hour {hour} with {mark}; use 0-12 with it, or type it like {example}",
        "{mark}に{hour}時は使えません。0〜12時にするか、「{example}」のように入力してください",
    ),
    "weekday.0": ("Monday", "月曜日"),
    "weekday.1": ("Tuesday", "火曜日"),
    "weekday.2": ("Wednesday", "水曜日"),
    "weekday.3": ("Thursday", "木曜日"),
    "weekday.4": ("Friday", "金曜日"),
    "weekday.5": ("Saturday", "土曜日"),
    "weekday.6": ("Sunday", "日曜日"),
    # The row as a whole
    "row.end_before_start": (
        "the end is before the start ({start}); fix one of the two",
        "終了が開始（「{start}」）より前です。どちらかを直してください",
    ),
    "row.duplicate": (
        "{label}: {object_id} is also on {count:row|rows} {rows}; keep the event on one row only",
        "{label}：{object_id}は{rows}行目にもあります。イベントは1行だけにしてください",
    ),
    "row.duplicate_in_file": (
        "{label}: {object_id} is also on {where}; keep each event in one file only (move the"
        " other copy out of the sheets folder)",
        "{label}：{object_id}は{where}にもあります。イベントは1つのファイルだけに置いて"
        "ください（もう一方のコピーはシートのフォルダーの外へ移してください）",
    ),
    "row.cleared": (
        "{label}: was emptied, but eventsync does not empty a date-time or eventCancelled in"
        " HubSpot (it sends no empty value for them); put a value back in the cell",
        "{label}：空にされましたが、eventsyncはHubSpotの日時とeventCancelledを空にしません"
        "（空の値を送りません）。セルに値を戻してください",
    ),
    "row.lost_characters": (
        "{label}: this file was saved as {encoding}, which cannot hold {characters}: it became"
        ' "?", so the row is not sent. In Excel, save the file as "CSV UTF-8 (Comma'
        ' delimited)" and type those characters again',
        "{label}：このファイルは{encoding}で保存されたため{characters}を保存できず「?」に"
        "なりました。この行は送信しません。Excelで「CSV UTF-8 (コンマ区切り)」として保存し、"
        "その文字を入力し直してください",
    ),
    "row.formula_cell": (
        "{label}: changed in HubSpot to {value}, but this cell holds a formula, so eventsync"
        " did not write it; change the formula, or type the value in place of it",
        "{label}：HubSpotで{value}に変更されましたが、このセルには数式があるため書き込み"
        "ませんでした。数式を変えるか、数式の代わりに値を入力してください",
    ),
    "row.line_breaks": (
        "updated; the line breaks in {columns} were sent as one line (HubSpot keeps"
        " {count:this field|these fields} on one line)",
        "更新しました。{columns}の改行は1行にまとめて送信しました（HubSpotではこの項目は1行です）",
    ),
    "row.not_sent": (
        "not sent: the run stopped before this row; run {again} again",
        "未送信：この行の前で実行が止まりました。もう一度「{again}」を実行してください",
    ),
    # HubSpot's side of the row
    "row.deleted_in_hubspot": (
        "{label}: event {object_id} no longer exists in HubSpot (deleted there?); remove the"
        " row, or correct its id",
        "{label}：イベント{object_id}はHubSpotにもうありませ"
        "ん（HubSpotで削除された可能性があります）。行を削除するか、IDを直し"
        "てください",
    ),
    "row.not_in_hubspot": (
        "{label}: HubSpot has no event {object_id}; check the id (copy it from HubSpot)",
        "{label}：HubSpotにイベント{object_id}はありません。IDを確認してください（HubSpot"
        "からコピーしてください）",
    ),
    "conflict.changed": (
        "{label} was changed in HubSpot to {value} at {hubspot_at}",
        "{label}はHubSpotで{hubspot_at}に{value}に変更されました",
    ),
    "conflict.unrecorded": (
        "{label} is {value} in HubSpot, whose version of this event is from {hubspot_at}, not"
        " the one this row was synced at ({row_at}); eventsync has no record of that sync (its"
        " state for this portal is new) to tell whose edit this is",
        "HubSpotの{label}は{value}です。HubSpotのこのイベ"
        "ントは{hubspot_at}の版で、この行を同期した版（{row_at}）"
        "とは違います。このフォルダーにはその同期の記録がないため、どちらの編集か判断"
        "できません",
    ),
    "conflict.row": (
        "conflict: {what}; to keep HubSpot's, type it into the cell; to send yours, run {force}",
        "競合：{what}。HubSpotの値を残すにはセルにその値を入力し、あなたの値を送るには"
        "「{force}」を実行してください",
    ),
    # Short, as each of an old copy's rows holds it; the terminal says the rule once
    # per file (report.stale_copy).
    "row.stale_copy": (
        "{label}: from an older copy (synced {row_at}; HubSpot has a newer version, {confirmed_at}):"
        " not sent; to send it as it is, run {force}",
        "{label}：古いコピーの行です（{row_at}に同期。HubSpotには{confirmed_at}の新しい版が"
        "あります）。送信しません。このまま送るには「{force}」を実行してください",
    ),
    "row.not_verified": (
        "{label}: eventsync has no record of the last sync of event {object_id} (its state is"
        " new or was deleted) and did not read HubSpot, so it cannot tell your edits from"
        " values changed in HubSpot since; run {check} without --no-remote-check, or send"
        " this row as it is with {force}",
        "{label}：このフォルダーにはイベント{object_id}の前回の同期"
        "の記録がなく（別のパソコンで同期したか、.eventsyncを削除した場合）"
        "、HubSpotも読んでいないため、あなたの編集とその後HubSpotで変わ"
        "った値を区別できません。「--no-remote-check」を付けずに「{"
        "check}」を実行するか、この行をこのまま「{force}」で送ってくださ"
        "い",
    ),
}
