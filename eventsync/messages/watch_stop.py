"""The catalogue's messages about a run asked to stop in mid-sync (a watcher's stop
request: Ctrl-C, SIGTERM, `watch --stop`). Each: (English, Japanese).
"""

from __future__ import annotations

WATCH_STOP: dict[str, tuple[str, str]] = {
    # hubspot/client.py: the Stop of a run cut short; the run log's last line says it
    "watch_stop.cut_short": (
        "stopped as asked, after the batch in flight; what HubSpot confirmed is saved, and"
        " the rows not sent yet go at the next sync",
        "依頼どおり、送信中のバッチの後で停止しました。HubSpotが確認した分は保存済みです。"
        "まだ送っていない行は次の同期で送ります",
    ),
}
