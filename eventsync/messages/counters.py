"""Messages of HubSpot's counters in the events sheet (docs/participants.md, "Counters
in the events sheet")."""

from __future__ import annotations

COUNTERS: dict[str, tuple[str, str]] = {
    "counters.kept_text": (
        "{file}: text of your own in {count} {count:cell|cells} of HubSpot's counter columns"
        " ({cells}): left as typed, not refreshed. Those columns are filled from HubSpot:"
        " keep your notes in a column of your own, and empty these cells.",
        "{file}：HubSpotの集計列のセル{count}個にご自身の文字が入っています（{cells}）。"
        "そのままにし、更新していません。これらの列はHubSpotの値で埋まります。"
        "メモはご自身の列に移し、これらのセルは空にしてください。",
    ),
}
