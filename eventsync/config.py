"""Settings: from the environment, or `.env` in the current directory.

Every problem is collected and reported together (one line each, naming the setting
and what is allowed). The access token is kept out of every repr and message. A `.env`
that is not UTF-8 (Notepad's ANSI is Shift-JIS on Japanese Windows) is refused, never
half-read; UTF-8's byte-order mark, which Notepad writes, is read past.
"""

from __future__ import annotations

import functools
import io
import ipaddress
import os
import re
import sys
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from eventsync.dates import DateOrder
from eventsync.errors import SettingsError
from eventsync.language import VARIABLE as LANGUAGE_VARIABLE
from eventsync.language import decide_language, language_named
from eventsync.messages import Language, Quoted, Text, command, shell_command
from eventsync.participant_mapping import (
    COLUMNS_SETTING,
    STATES_SETTING,
    ParticipantMapping,
    parse_mapping,
)

DEFAULT_BASE_URL = "https://api.hubapi.com"
# HubSpot's API versions eventsync speaks: each one's paths are in hubspot/routes.py (a
# test keeps both in step), the dates behind the default in docs/api-versions.md.
API_VERSIONS = ("v3", "2026-03", "2026-09")
DEFAULT_API_VERSION = "2026-09"
API_VERSION_SETTING = "EVENTSYNC_API_VERSION"
BATCH_LIMIT = 100  # HubSpot's batch APIs take at most 100 inputs
TOKEN_SETTING = "HUBSPOT_ACCESS_TOKEN"
DOTENV = ".env"
# What Notepad saves when told ".env" with "Text documents (*.txt)" chosen; Windows hides
# the extension, so the user sees ".env" and eventsync sees no .env.
STRAY_DOTENV = ".env.txt"
URL_SETTING = "EVENTSYNC_BASE_URL"
PORT_RANGE = (1, 65535)

# scheme://host[:port][/path] and nothing else: no user info, query, fragment,
# backslash, space or non-ASCII. Checked before urllib3 (the parser requests uses) reads
# it, and urllib3's reading must agree, so the host we check is the host requests dials.
_URL_SHAPE = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://"
    r"(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)"
    r"(?::(?P<port>[0-9]+))?"
    r"(?P<path>/[A-Za-z0-9._~!$&'()*+,;=:%/-]*)?"
)
# What a token may hold: visible ASCII. HubSpot's tokens are that; anything else (a
# zero-width space or a line break pasted with it, a non-Latin-1 letter) cannot go
# into an HTTP header and would fail at the first request.
_TOKEN_CHARS = re.compile(r"[\x21-\x7e]+")


@dataclass(frozen=True)
class Settings:
    base_url: str = DEFAULT_BASE_URL
    api_version: str = DEFAULT_API_VERSION
    sheets_dir: Path = Path("sheets")
    state_dir: Path = Path(".eventsync")
    # The state database's folder when the state folder is on a network or cloud-synced
    # drive (state/place.py keeps it on this computer); None: in the state folder.
    database_elsewhere: Path | None = None
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    date_order: DateOrder = DateOrder.YMD  # how 06/04/2026 typed as text is read
    # EVENTSYNC_LANG: the language of every message; None: each sheet's own (its headers)
    language: Language | None = None
    batch_size: int = BATCH_LIMIT
    timeout_s: float = 30.0
    max_retries: int = 5
    max_requests_per_10s: int = 100
    # How long a create whose answer was lost may stay unseen by HubSpot's search before
    # it is sent again (HubSpot: searchable "a few minutes after creation").
    create_check_minutes: int = 10
    token: str | None = field(default=None, repr=False)
    # EVENTSYNC_CREATE_CONTACTS=yes: participants rows may create contacts in HubSpot
    # (which may be billed); the default sends only rows of contacts HubSpot has.
    create_contacts: bool = False
    # EVENTSYNC_PARTICIPANTS_COLUMNS / _STATES: a webinar export's own headers and words
    participant_mapping: ParticipantMapping = field(default_factory=ParticipantMapping)

    @property
    def database_dir(self) -> Path:
        """Where the state database is: backups, logs and the lock stay in `state_dir`."""
        return self.database_elsewhere or self.state_dir

    @property
    def run_language(self) -> Language:
        """The language of what a run says before (or apart from) any sheet."""
        return decide_language(self.language)


def read_environment(cwd: Path, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """`.env` in the current directory, overridden by the real environment.

    A bare `find_dotenv()` would search from eventsync's own folder, not the user's.
    """
    values: dict[str, str] = {}
    dotenv = cwd / DOTENV
    if dotenv.is_file():
        text = io.StringIO(read_dotenv_text(dotenv))
        values.update({k: v for k, v in dotenv_values(stream=text).items() if v is not None})
    values.update(os.environ if environ is None else environ)
    return values


def read_dotenv_text(path: Path) -> str:
    """The file as text: UTF-8, with or without Notepad's byte-order mark; anything else
    is refused naming the file (a guess could turn a token's characters into others)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        why = error.strerror or type(error).__name__
        raise SettingsError([Text("settings.env_unreadable", path=path, why=why)]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        encoding: str = Text("settings.another_encoding")
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            encoding = "UTF-16"
        else:
            try:
                data.decode("cp932")
                encoding = "Shift-JIS (ANSI)"
            except UnicodeDecodeError:
                pass
        raise SettingsError([Text("settings.env_encoding", path=path, encoding=encoding)]) from None


def no_token_problem(cwd: Path) -> Text:
    """Why no token was found, naming the file the user has: their .env, a stray
    .env.txt, or no .env at all in this folder (`eventsync init` makes one)."""
    dotenv, stray = cwd / DOTENV, cwd / STRAY_DOTENV
    if stray.is_file() and dotenv.is_file():
        return Text("settings.env_txt_both", setting=TOKEN_SETTING, dotenv=dotenv, found=stray)
    if stray.is_file():
        rename = shell_command("ren" if sys.platform == "win32" else "mv", STRAY_DOTENV, DOTENV)
        return Text("settings.env_txt", setting=TOKEN_SETTING, found=stray, rename=rename)
    if dotenv.is_file():
        return Text("settings.no_token", setting=TOKEN_SETTING, dotenv=dotenv)
    return Text("settings.no_env", setting=TOKEN_SETTING, folder=cwd, init=command("init"))


def load_settings(env: Mapping[str, str], *, cwd: Path, require_token: bool) -> Settings:
    problems: list[str] = []

    def get(name: str) -> str | None:
        value = env.get(name)
        return value.strip() if value is not None and value.strip() else None

    token = get(TOKEN_SETTING)
    if require_token and not token:
        problems.append(no_token_problem(cwd))
    token_problem = _check_token(token) if token else None
    if token_problem:
        problems.append(token_problem)

    base_url = (get(URL_SETTING) or DEFAULT_BASE_URL).rstrip("/")
    url_problem = check_base_url(base_url)
    if url_problem:
        problems.append(Text("settings.base_url", setting=URL_SETTING, problem=url_problem))

    api_version = get(API_VERSION_SETTING) or DEFAULT_API_VERSION
    if api_version not in API_VERSIONS:
        allowed = functools.reduce(
            lambda first, second: Text("settings.or", first=first, second=second), API_VERSIONS
        )
        problems.append(Text("settings.api_version", value=api_version, allowed=allowed))

    zone = _zone(get("EVENTSYNC_TIMEZONE"), problems)
    order_text = (get("EVENTSYNC_DATE_ORDER") or DateOrder.YMD.value).strip().upper()
    order = DateOrder.YMD
    if order_text in DateOrder.__members__:
        order = DateOrder[order_text]
    else:
        problems.append(Text("settings.date_order", value=order_text))
    language: Language | None = None
    try:
        language = language_named(get(LANGUAGE_VARIABLE))
    except ValueError as unknown:
        problems.append(Text("settings.language", value=str(unknown)))
    batch_size = _integer(env, "EVENTSYNC_BATCH_SIZE", BATCH_LIMIT, 1, BATCH_LIMIT, problems)
    max_retries = _integer(env, "EVENTSYNC_MAX_RETRIES", 5, 0, 20, problems)
    per_10s = _integer(env, "EVENTSYNC_MAX_REQUESTS_PER_10S", 100, 1, 1000, problems)
    timeout_s = _integer(env, "EVENTSYNC_TIMEOUT_S", 30, 1, 600, problems)
    check_minutes = _integer(env, "EVENTSYNC_CREATE_CHECK_MINUTES", 10, 0, 1440, problems)

    create_contacts = _yes_no(get(CREATE_CONTACTS_SETTING), CREATE_CONTACTS_SETTING, problems)
    mapping = parse_mapping(get(COLUMNS_SETTING), get(STATES_SETTING), problems)

    if problems:
        raise SettingsError(problems)
    return Settings(
        base_url=base_url,
        api_version=api_version,
        sheets_dir=cwd / (get("EVENTSYNC_SHEETS_DIR") or "sheets"),
        state_dir=cwd / (get("EVENTSYNC_STATE_DIR") or ".eventsync"),
        timezone=zone,
        date_order=order,
        language=language,
        batch_size=batch_size,
        timeout_s=float(timeout_s),
        max_retries=max_retries,
        max_requests_per_10s=per_10s,
        create_check_minutes=check_minutes,
        token=token,
        create_contacts=create_contacts,
        participant_mapping=mapping,
    )


CREATE_CONTACTS_SETTING = "EVENTSYNC_CREATE_CONTACTS"
_YES, _NO = ("yes", "true", "1", "on", "はい"), ("no", "false", "0", "off", "いいえ")


def _yes_no(value: str | None, name: str, problems: list[str]) -> bool:
    """A yes/no setting; unset is no (the careful default)."""
    if value is None:
        return False
    folded = unicodedata.normalize("NFKC", value).strip().casefold()
    if folded in _YES or folded in _NO:
        return folded in _YES
    problems.append(Text("people.setting_yes_no", setting=name, value=Quoted(value)))
    return False


def _check_token(token: str) -> str | None:
    """Why the token cannot be sent in a header, naming the character, never the token."""
    if _TOKEN_CHARS.fullmatch(token):
        return None
    position, char = next((i, c) for i, c in enumerate(token, 1) if not _TOKEN_CHARS.match(c))
    name = unicodedata.name(char, None) or Text("settings.control_character")
    return Text(
        "settings.token_char",
        setting=TOKEN_SETTING,
        position=position,
        code=f"{ord(char):04X}",
        name=name,
    )


def check_base_url(url: str) -> str | None:
    """What is wrong with a base URL (after "EVENTSYNC_BASE_URL "), or None.

    A URL holding "@" is never echoed: what stands before it may be a password or a token.
    """
    default = DEFAULT_BASE_URL
    if "@" in url:
        return Text("url.userinfo", token_setting=TOKEN_SETTING)
    shape = _URL_SHAPE.fullmatch(url)
    if shape is None:
        return Text("url.shape", url=url, default=default)
    scheme = shape["scheme"].lower()
    if scheme not in ("https", "http"):
        return Text("url.scheme", url=url, default=default)
    port = shape["port"]
    low, high = PORT_RANGE
    if port is not None and not low <= int(port) <= high:
        return Text("url.port", url=url, port=port, low=low, high=high)
    try:
        parsed = parse_url(url)
    except LocationParseError:
        return Text("url.unreadable", url=url, default=default)
    host = (parsed.host or "").lower()
    if host != shape["host"].lower() or parsed.port != (int(port) if port else None):
        return Text("url.ambiguous", url=url, default=default)
    if scheme == "http" and not _is_loopback(host.strip("[]")):
        return Text("url.plain_http", url=url)
    return None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _zone(name: str | None, problems: list[str]) -> ZoneInfo:
    if name is None:
        return local_zone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(Text("settings.timezone", value=name))
        return ZoneInfo("UTC")


def local_zone() -> ZoneInfo:
    """The machine's IANA zone (tzlocal reads it the way each OS stores it)."""
    from tzlocal import get_localzone_name

    try:
        return ZoneInfo(get_localzone_name() or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _integer(
    env: Mapping[str, str], name: str, default: int, low: int, high: int, problems: list[str]
) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        problems.append(Text("settings.integer", setting=name, value=raw, low=low, high=high))
        return default
    return value
