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
}
