"""HubSpot's own refusals as tests script them into the sandbox (`script_fault`): one
body each, as HubSpot's error answers are shaped."""

from __future__ import annotations

from typing import Any

# A key without the marketing events read scope, as a breakdown read is refused (the
# newer granular scopes' key in the error's context).
MISSING_READ_SCOPE: dict[str, Any] = {
    "status": "error",
    "message": "This app hasn't been granted all required scopes to make this call.",
    "correlationId": "c0ffee00-0000-4000-8000-000000000001",
    "category": "MISSING_SCOPES",
    "errors": [
        {
            "message": "One or more of the following scopes are required.",
            "context": {"requiredGranularScopes": ["crm.objects.marketing_events.read"]},
        }
    ],
}
