"""Send, wire side: one HTTP exchange with HubSpot, bounded in time and size.

It returns what came back as a `Reply` value and never raises for anything a server or
network can do: no answer, a trickle, a redirect, a body that is not JSON or is nested
too deep. It never follows a redirect, never logs, and never puts a header (the token)
into an error text.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
import urllib3

from eventsync import __version__
from eventsync.config import Settings
from eventsync.messages import Text
from eventsync.model import Stop

CONNECT_TIMEOUT_S = 10.0
# The largest answer read. A real one is far smaller: 100 batch results or a page of 100
# events are a few hundred KB, account details and property lists less; even 100 events
# each holding HubSpot's longest text (65,536 characters) in Japanese stay near 20 MB.
MAX_ANSWER_BYTES = 32 * 1024 * 1024
# Parsing JSON costs memory per value (a list or object is 56 bytes and more, each
# string 49 bytes and more): 32 MB of `[[],[],...]` would take gigabytes. An answer over
# PARSED_FREELY_BYTES (at worst ~30 MB parsed) has its values counted first, outside
# strings, and is not parsed beyond MAX_ANSWER_VALUES (about 100 MB at most). A real
# answer of 100 events has about 10,000.
PARSED_FREELY_BYTES = 1024 * 1024
MAX_ANSWER_VALUES = 500_000
_JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
Params = Mapping[str, str] | None


@dataclass(frozen=True)
class Reply:
    status: int | None  # None: no answer (connection dropped, timed out)
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Mapping[str, Any] | None = None
    error: str | None = None  # why there was no answer
    gave_up: str | None = None  # set when retries ran out: the reason for the rows
    stop: Stop | None = None  # set when nothing more can be sent in this run


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: Mapping[str, Any] | None = None
    params: Params = None


def exchange_within(
    session: requests.Session, settings: Settings, request: Request
) -> tuple[Reply, bool]:
    """(the reply, whether the exchange was abandoned at the deadline).

    requests' read timeout applies to each read, so a server trickling a byte every few
    seconds could hold a request for ever: the exchange runs in a worker thread and is
    abandoned after EVENTSYNC_TIMEOUT_S, connecting included; the caller must not reuse
    that session's stuck connection.
    """
    done: list[Reply] = []
    worker = threading.Thread(
        target=lambda: done.append(exchange(session, settings, request)), daemon=True
    )
    worker.start()
    worker.join(settings.timeout_s)
    if done:
        return done[0], False
    return Reply(None, error=f"no answer within {settings.timeout_s:.0f} s"), True


def exchange(session: requests.Session, settings: Settings, request: Request) -> Reply:
    """One request and its whole answer. Redirects are never followed: a 3xx from an API
    call is an error (see retry.describe), never a re-POST with the token elsewhere."""
    headers = {
        "Authorization": f"Bearer {settings.token}",
        "Accept": "application/json",
        "User-Agent": f"eventsync/{__version__}",
    }
    timeout_note = Text("connection.no_answer", seconds=f"{settings.timeout_s:.0f}")
    try:
        response = session.request(
            request.method,
            settings.base_url + request.path,
            json=request.body,
            params=request.params,
            headers=headers,
            timeout=(CONNECT_TIMEOUT_S, settings.timeout_s),
            allow_redirects=False,
            stream=True,
        )
        content = response.raw.read(MAX_ANSWER_BYTES + 1, decode_content=True)
        response.close()
    except requests.ConnectTimeout:
        return Reply(None, error=Text("connection.timeout"))
    except requests.ReadTimeout:
        return Reply(None, error=timeout_note)
    except requests.ConnectionError as failure:
        return Reply(None, error=_connection_problem(failure))
    except requests.RequestException as failure:
        return Reply(None, error=type(failure).__name__)
    except (urllib3.exceptions.HTTPError, OSError) as failure:  # raised by the raw read
        if isinstance(failure, urllib3.exceptions.ReadTimeoutError | TimeoutError):
            return Reply(None, error=timeout_note)
        return Reply(None, error=Text("connection.dropped"))
    too_much = too_much_to_parse(content)
    if too_much is not None:
        return Reply(None, error=too_much)
    return Reply(response.status_code, dict(response.headers), parse_body(content))


def too_much_to_parse(content: bytes) -> str | None:
    """Why an answer is not parsed (larger, or holding more values, than any real
    answer: parsing it could take all the memory there is); None to parse it."""
    if len(content) > MAX_ANSWER_BYTES:
        return Text("limits.answer_too_large", limit=MAX_ANSWER_BYTES >> 20)
    if len(content) > PARSED_FREELY_BYTES and values_in(content) > MAX_ANSWER_VALUES:
        return Text("limits.answer_too_many_values", limit=f"{MAX_ANSWER_VALUES:,}")
    return None


def values_in(content: bytes) -> int:
    """At least the number of JSON values in `content`: every value but the first
    follows a `[`, a `{` or a `,` outside strings (a member's value follows its key,
    which follows a `{` or a `,`), so counting those is enough, and takes no parse."""
    bare = _JSON_STRING.sub(b"", content)
    return bare.count(b"[") + bare.count(b"{") + bare.count(b",") + 1


def parse_body(content: bytes) -> Mapping[str, Any] | None:
    """The JSON object of an answer; None for anything else (not JSON, too deeply nested
    to parse, a list or a number): the caller then reports what it expected."""
    if not content:
        return None
    try:
        parsed = json.loads(content)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError too
        return None
    return parsed if isinstance(parsed, dict) else None


def _connection_problem(failure: requests.ConnectionError) -> str:
    text = str(failure)
    if isinstance(failure, requests.exceptions.SSLError) and "CERTIFICATE_VERIFY_FAILED" in text:
        return Text("tls.untrusted")
    if "Connection refused" in text or "Failed to establish" in text:
        return Text("connection.refused")
    if "Connection aborted" in text or "RemoteDisconnected" in text or "reset" in text.lower():
        return Text("connection.dropped")
    return Text("connection.failed")
