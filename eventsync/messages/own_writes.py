"""The catalogue's messages about what eventsync shows of names it did not choose: a
file whose name would break the lines eventsync prints. Each: (English, Japanese).
"""

from __future__ import annotations

OWN_WRITES: dict[str, tuple[str, str]] = {
    # sheets/reader.py: a name with a line break is refused before the file is read, so
    # no later message (a file's problem, the report's title) can show it across lines.
    "sheet.name_breaks_line": (
        "{file}: the file's name holds a line break, which eventsync does not read;"
        " rename the file without it, then run again",
        "{file}：ファイル名に改行が含まれているため、eventsyncでは読み込めません。"
        "改行のない名前に変えてから、もう一度実行してください",
    ),
}
