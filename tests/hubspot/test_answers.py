"""What eventsync makes of HubSpot's error bodies: the scopes a 403 names."""

from __future__ import annotations

import pytest

from eventsync.hubspot.answers import auth_message

READ = "crm.objects.marketing_events.read"


def forbidden(context: dict[str, object]) -> dict[str, object]:
    return {
        "status": "error",
        "category": "MISSING_SCOPES",
        "message": "This app hasn't been granted all required scopes to make this call.",
        "errors": [
            {"message": "One or more of the following scopes are required.", "context": context}
        ],
    }


@pytest.mark.parametrize(
    ("context", "named"),
    [
        ({"requiredScopes": [READ]}, READ),
        ({"requiredGranularScopes": [READ]}, READ),
        ({"requiredScopes": [READ], "requiredGranularScopes": [READ]}, READ),
        ({"requiredGranularScopes": ["crm.schemas.custom.read"]}, "crm.schemas.custom.read"),
        ({}, "the.scope.the.request.needed"),
    ],
)
def test_a_403_names_the_scopes_under_either_key(context, named):
    message = auth_message(403, forbidden(context), "the.scope.the.request.needed")
    assert named in message
    assert f"{named}, {named}" not in message
