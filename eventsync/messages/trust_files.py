"""The catalogue's messages about what a file can hold and what watch waits for: a value
from HubSpot that a Shift-JIS (CP932) CSV cannot hold, new text whose "?" a Shift-JIS
save may have put in place of characters, and the results watch wrote once a workbook
was closed. Each: (English, Japanese).

Fields: `{label}` is the column as the sheet names it; `{encoding}` the file's encoding
by name; `{characters}` the characters, each shown and named; `{again}` and `{force}`
are commands shown as the user runs eventsync.
"""

from __future__ import annotations

TRUST_FILES: dict[str, tuple[str, str]] = {
    # Two-way sync into a CSV saved as Shift-JIS (plan/cells.py).
    "row.not_held": (
        "{label}: changed in HubSpot to {value}, but this file is saved as {encoding},"
        " which cannot hold {characters}, so eventsync did not write it. In Excel, save"
        ' the file as "CSV UTF-8 (Comma delimited)" and run {again}',
        "{label}：HubSpotで{value}に変更されましたが、このファイルは{encoding}で保存"
        "されているため{characters}を保存できず、書き込みませんでした。Excelで"
        "「CSV UTF-8 (コンマ区切り)」として保存してから、「{again}」を実行してください",
    ),
    "write.not_added": (
        "{file}: {count} {count:event was|events were} not added: {count:its|their} text"
        " holds {characters}, which a file saved as {encoding} cannot hold. In Excel, save"
        ' the file as "CSV UTF-8 (Comma delimited)" and run {again}',
        "{file}：{count}件のイベントは追加しませんでした。{characters}を含み、{encoding}で"
        "保存されたファイルには保存できないためです。Excelで「CSV UTF-8 (コンマ区切り)」"
        "として保存してから、「{again}」を実行してください",
    ),
    # New text with "?" in a CSV saved as Shift-JIS (plan/lost_characters.py).
    "row.maybe_replaced": (
        '{label}: {value} holds "?", which a save as {encoding} puts in place of every'
        " character it cannot hold (an en dash, emoji, some kanji), so the row is not"
        ' sent. In Excel, save the file as "CSV UTF-8 (Comma delimited)" and type those'
        ' characters again; if the "?" is meant, run {force}',
        "{label}：{value}に「?」があります。{encoding}で保存すると、保存できない文字"
        "（ダッシュ、絵文字、一部の漢字）はすべて「?」になるため、この行は送信しません。"
        "Excelで「CSV UTF-8 (コンマ区切り)」として保存し、その文字を入力し直してください。"
        "「?」が意図したものなら「{force}」を実行してください",
    ),
    # watch, once a workbook whose results waited is closed (watch/loop.py).
    "watch.waiting_written": (
        "{time}  {file}: closed; the results that were waiting are written into it",
        "{time}  {file}：閉じられたため、待っていた結果を書き込みました",
    ),
}
