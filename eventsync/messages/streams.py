"""The catalogue's messages about where output goes: `watch --log-file`.
Each: (English, Japanese).
"""

from __future__ import annotations

STREAMS: dict[str, tuple[str, str]] = {
    # watch's own log file (watch/logfile.py)
    "watch.log_file": (
        "{file}: watch cannot write its log there ({why}); name a file in a folder you can"
        " write to, e.g. --log-file watch.log",
        "{file}：watchのログをここに書けません（{why}）。書き込めるフォルダーのファイルを"
        "指定してください（例：「--log-file watch.log」）",
    ),
    "watch.log_file_lost": (
        "{file}: watch's log stops here ({why}); watch goes on syncing",
        "{file}：watchのログはここで途切れます（{why}）。同期はこのまま続けます",
    ),
}
