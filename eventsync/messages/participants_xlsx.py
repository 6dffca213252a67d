"""The catalogue's messages about participants worksheets in .xlsx workbooks (issue 26):
the `Participants` / `参加者` sheet in the events workbook or in a workbook of its own
(docs/participants-workbooks.md). Each: (English, Japanese).
"""

from __future__ import annotations

PARTICIPANTS_XLSX: dict[str, tuple[str, str]] = {
    "people_xlsx.sheets": (
        "{file}: eventsync reads one participants sheet per workbook, and this one has"
        " {sheets}; keep one sheet named {names} (rename or delete the others), then run"
        " again",
        "{file}：参加者のシートは1つのブックに1つだけ読み込みますが、このブックには{sheets}が"
        "あります。「{names}」という名前のシートを1つだけにして（ほかは名前を変えるか削除して）、"
        "もう一度実行してください",
    ),
    "people_xlsx.formula": (
        "{file}, sheet {sheet}, cell {cell}: holds a formula where eventsync writes a"
        " participant's result; move the formula to another column or clear the cell,"
        " then run again",
        "{file}（シート{sheet}、セル{cell}）：eventsyncが参加者の結果を書き込むセルに数式が"
        "あります。数式を別の列に移すかセルを空にして、もう一度実行してください",
    ),
    "people_xlsx.changed": (
        "{file}: the sheet {sheet} was changed after eventsync read it, so its results were"
        " not written over your change; HubSpot has the participants it confirmed, and"
        " {again} writes their results",
        "{file}：eventsyncが読み込んだ後にシート{sheet}が変更されたため、変更された内容に結果を"
        "書き込んでいません。確認済みの参加者はHubSpotに送信済みで、「{again}」を実行すると結果を"
        "書き込みます",
    ),
    "people_xlsx.template_suffix": (
        "{target}: a participants template is a CSV file (.csv) or a workbook (.xlsx);"
        " name it with one of these",
        "{target}：参加者のテンプレートはCSVファイル（.csv）かブック（.xlsx）です。"
        "拡張子をどちらかにしてください",
    ),
}
