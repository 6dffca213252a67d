"""Send, reading side: HubSpot's account details, read as which account a token is.

Pure: an answer in, an `AccountAnswer` out. A failure (retries run out, a body that is
not JSON) is never read as an answer about the account: taking it for "no account
named" would key the state by the token's fingerprint, a new and empty state, for as
long as the failure lasts (state/portal.py decides what a run does then).
"""

from __future__ import annotations

from collections.abc import Mapping

from eventsync.hubspot.retry import describe
from eventsync.hubspot.transport import Reply
from eventsync.portal_model import AccountAnswer, Lookup

__all__ = ["AccountAnswer", "Lookup", "account_answer"]


def account_answer(reply: Reply) -> AccountAnswer:
    """A reply to `GET .../account-info/.../details` (a stop other than a 403 is the
    caller's to raise). A key without the scope for account details (403), a refused
    token (401: the run's next call says so), a 404 or other lasting refusal, or details
    naming no account: NOT_NAMED, with the status of a 401 or 403 as `refused`."""
    if reply.gave_up:
        return AccountAnswer(Lookup.NO_ANSWER, why=reply.gave_up)
    if reply.status is None:
        return AccountAnswer(Lookup.NO_ANSWER, why=reply.error)
    if reply.status == 200 and not isinstance(reply.body, Mapping):
        return AccountAnswer(Lookup.NO_ANSWER, why=describe(reply.status, {}))
    if reply.status in (401, 403):
        return AccountAnswer(Lookup.NOT_NAMED, refused=reply.status)
    if reply.status != 200 or reply.body is None:
        return AccountAnswer(Lookup.NOT_NAMED)
    portal = reply.body.get("portalId")
    if isinstance(portal, int | str) and str(portal).isascii() and str(portal).isdigit():
        return AccountAnswer(Lookup.NAMED, str(int(portal)))
    return AccountAnswer(Lookup.NOT_NAMED)
