"""The catalogue's messages about rows whose cells would send what the user did not
mean (issue 20): a field HubSpot requires, emptied. Each: (English, Japanese).

Fields: `{label}` is the column as the user's sheet names it.
"""

from __future__ import annotations

TRUST_ROWS: dict[str, tuple[str, str]] = {
    # A synced row's cell of a field HubSpot requires, emptied (plan/blanks.py).
    "row.required_cleared": (
        "{label}: was emptied, but HubSpot requires a value in this field; type the value"
        " back (or a new one)",
        "{label}：空にされましたが、HubSpotではこの項目は必須です。値を入力し直してください"
        "（新しい値でもかまいません）",
    ),
}
