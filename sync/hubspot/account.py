"""Send, reading side: HubSpot's account details, read as which account a token is.

Pure: an answer in, an `AccountAnswer` out. A failure (retries run out, a body that is
not JSON) is never read as an answer about the account: taking it for "no account
named" would key the state by the token's fingerprint, a new and empty state, for as
long as the failure lasts (state/portal.py decides what a run does then).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from sync.hubspot.retry import describe
from sync.hubspot.transport import Reply


class Lookup(Enum):
    """What HubSpot's account details said about the token's account."""

    NAMED = "named"  # the account id
    NOT_NAMED = "not named"  # a lasting answer naming no account (a key without the scope)
    NO_ANSWER = "no answer"  # HubSpot failed: says nothing about the account


@dataclass(frozen=True)
class AccountAnswer:
    lookup: Lookup
    account: str | None = None  # NAMED: the account (portal) id
    why: str | None = None  # NO_ANSWER: what HubSpot answered, for the message


def account_answer(reply: Reply) -> AccountAnswer:
    """A reply to `GET .../account-info/.../details` (a stop other than a 403 is the
    caller's to raise). A key without the scope for account details (403), a 404 or
    other lasting refusal, or details naming no account: NOT_NAMED."""
    if reply.gave_up:
        return AccountAnswer(Lookup.NO_ANSWER, why=reply.gave_up)
    if reply.status is None:
        return AccountAnswer(Lookup.NO_ANSWER, why=reply.error)
    if reply.status == 200 and not isinstance(reply.body, Mapping):
        return AccountAnswer(Lookup.NO_ANSWER, why=describe(reply.status, {}))
    if reply.status != 200 or reply.body is None:
        return AccountAnswer(Lookup.NOT_NAMED)
    portal = reply.body.get("portalId")
    if isinstance(portal, int | str) and str(portal).isascii() and str(portal).isdigit():
        return AccountAnswer(Lookup.NAMED, str(int(portal)))
    return AccountAnswer(Lookup.NOT_NAMED)
