"""The catalogue's messages about the header mapping for other tools' participants
exports (issue 26, item 4: EVENTSYNC_PARTICIPANTS_COLUMNS / _STATES in .env, and a
file that lacks a header the mapping names). Each: (English, Japanese).
"""

from __future__ import annotations

PARTICIPANT_MAPPING: dict[str, tuple[str, str]] = {
    "mapping.entry": (
        "{setting} in .env: {entry} is not name=value; write each as, e.g.,"
        " state=Status, and separate them with semicolons",
        ".envの{setting}：{entry}は「名前=値」の形になっていません。"
        "「state=参加状況」のように書き、セミコロンで区切ってください",
    ),
    "mapping.unknown_field": (
        "{setting} in .env: {name} is not a participants column; use {fields}",
        ".envの{setting}：{name}は参加者の列名ではありません。{fields}のいずれかを使ってください",
    ),
    "mapping.field_twice": (
        "{setting} in .env: {name} is given twice; keep one header for it",
        ".envの{setting}：{name}が2回指定されています。見出しを1つにしてください",
    ),
    "mapping.header_twice": (
        "{setting} in .env: {first} and {second} both name the header {header};"
        " a column holds one field: correct one of them",
        ".envの{setting}：{first}と{second}が同じ見出し{header}を指定しています。"
        "1つの列には1つの項目しか対応させられないので、どちらかを直してください",
    ),
    "mapping.unknown_state": (
        "{setting} in .env: {name} is not a state; use {states}",
        ".envの{setting}：{name}は状態ではありません。{states}のいずれかを使ってください",
    ),
    "mapping.word_twice": (
        "{setting} in .env: {word} is given for both {first} and {second}; keep it for one",
        ".envの{setting}：{word}が{first}と{second}の両方に指定されています。"
        "どちらか一方にしてください",
    ),
    "mapping.missing_header": (
        "{file} has no column headed {header}, which {setting} in .env names for {field}:"
        " correct the setting to the header as the file spells it (or remove {field}=)",
        "{file}には見出しが{header}の列がありません（.envの{setting}で{field}に指定）。"
        "設定をファイルの見出しどおりに直すか、「{field}=」の指定を消してください",
    ),
}
