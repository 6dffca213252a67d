"""The catalogue's messages about participants files under `eventsync watch` and in the
run log (issue 26): what a request of the attendance and contacts APIs carried, the
participants files a run read, each file's rows sent and failed. Each: (English, Japanese).
"""

from __future__ import annotations

PARTICIPANTS_WATCH: dict[str, tuple[str, str]] = {
    # The run log as `eventsync log` shows it (output/run_log.py)
    "log.carried_people": (
        "{count} {count:participant|participants}, ",
        "参加者{count}件、",
    ),
    "log.asked_contacts": (
        "{count} {count:email|emails} looked up, ",
        "メールアドレス{count}件を照会、",
    ),
    "log.participants_file": ("{file} (participants)", "{file}（参加者）"),
    "log.participants_sheet": (
        "{at}  {sheet} (participants): {sent} sent, {failed} failed, {held} held back,"
        " {bad} with problems",
        "{at}\u3000{sheet}（参加者）：送信{sent}、失敗{failed}、保留{held}、問題あり{bad}",
    ),
}
