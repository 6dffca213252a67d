"""Output: how many rows of one kind a terminal is shown per sheet (the sheet itself, and
`--json`, have them all). Every renderer that lists rows counts to this one number."""

from __future__ import annotations

MAX_LISTED = 50
