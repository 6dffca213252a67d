"""The catalogue's messages about participants files as other programs save them
(issue 26): exports with title lines above their header, a row's value named by its
column. Each: (English, Japanese).
"""

from __future__ import annotations

PARTICIPANTS_FILES: dict[str, tuple[str, str]] = {
    "people_files.title_lines": (
        "{file}: its header is row {row}, below lines of titles, so it was not read (as"
        " participants or as events) and nothing of it was sent; a participants file's"
        " header must be its row 1: delete the lines above row {row}, save, and run again",
        "{file}：見出しがタイトル行の下の{row}行目にあるため、参加者としてもイベントとしても"
        "読み込まず、何も送信していません。参加者ファイルの見出しは1行目に置く必要があります。"
        "{row}行目より上の行を削除して保存し、もう一度実行してください",
    ),
    # One row's problem (its syncError): the column, then what is wrong with its value.
    "people_files.bad_column": ("{column}: {why}", "{column}：{why}"),
}
