"""The run's session (eventsync/session.py): what it opens, once and only when asked; what it
closes on every way out, so Windows lets the state folder go; and the run log it ends
with the exit code of a run that did not finish. Over real HTTP to the sandbox."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import TOKEN, ZONE

from eventsync.config import Settings, load_settings
from eventsync.errors import ExitCode, RunStoppedError, SheetError
from eventsync.hubspot.client import HubSpotClient
from eventsync.hubspot.retry import RetryPolicy
from eventsync.run import RunOptions
from eventsync.session import RunSession
from eventsync.state.runlog import logs_dir, read_entries

FAST = RetryPolicy(max_retries=1, base_wait_s=0.01, jitter=0)
ACCOUNT = "/account-info/"  # (the account details' path starts so, in every API version)


def settings_for(root: Path, sandbox, *, token: str | None = TOKEN) -> Settings:
    env = {"EVENTSYNC_BASE_URL": sandbox.url, "EVENTSYNC_TIMEZONE": ZONE}
    if token is not None:
        env["HUBSPOT_ACCESS_TOKEN"] = token
    (root / "sheets").mkdir(exist_ok=True)
    return load_settings(env, cwd=root, require_token=False)


class Clients:
    """`make_client` as the CLI passes it, counting the clients it makes and seeing the
    requests they make (the sandbox answers account details aside, unrecorded)."""

    def __init__(self) -> None:
        self.made = 0
        self.paths: list[str] = []

    def __call__(self, settings: Settings, *, log_request, **kwargs) -> HubSpotClient:
        self.made += 1

        def seen(entry: dict) -> None:
            self.paths.append(str(entry.get("path")))
            log_request(entry)

        return HubSpotClient(settings, policy=FAST, log_request=seen, **kwargs)

    @property
    def account_requests(self) -> int:
        return sum(1 for path in self.paths if path.startswith(ACCOUNT))


def log_entries(settings: Settings, command: str = "sync") -> list[dict]:
    """The entries of the one run log of this session's kind (`command-<stamp>.jsonl`)."""
    [path] = sorted(logs_dir(settings.state_dir).glob(f"{command}-*.jsonl"))
    return read_entries(path)


def synced_once(workspace) -> Settings:
    """A folder whose state database exists (a first `eventsync sync`), its log aside."""
    workspace.sample_workbook()
    assert workspace.run("sync").code == 0
    for path in logs_dir(workspace.root / ".eventsync").glob("*.jsonl"):
        path.rename(path.with_name("earlier-" + path.name))
    return settings_for(workspace.root, workspace.sandbox)


def test_each_part_is_made_when_first_needed_and_only_once(tmp_path, sandbox):
    settings = settings_for(tmp_path, sandbox)
    clients = Clients()
    with RunSession(settings, writing=True, log="sync", make_client=clients) as session:
        assert clients.made == 0 and clients.paths == []  # nothing asked yet
        portal = session.open()
        assert clients.made == 1 and clients.account_requests == 1
        assert session.portal is portal and session.store is session.store
        assert session.client is session.client
        assert clients.made == 1 and clients.account_requests == 1  # not again
        assert "880001" in portal.label


def test_the_client_s_requests_go_into_the_run_log(tmp_path, sandbox):
    settings = settings_for(tmp_path, sandbox)
    with RunSession(settings, writing=True, log="sync", make_client=Clients()) as session:
        session.open()
        defined = session.custom_properties()
    assert defined is not None and "region" in defined
    requests = [e for e in log_entries(settings) if e["kind"] == "request"]
    paths = [e["path"] for e in requests]
    assert any(p.startswith(ACCOUNT) for p in paths)
    assert any("properties" in p for p in paths)
    assert TOKEN not in json.dumps(requests)


def test_without_a_token_no_client_is_made_and_nothing_is_asked(tmp_path, sandbox):
    settings = settings_for(tmp_path, sandbox, token=None)
    clients = Clients()
    with RunSession(settings, writing=False, make_client=clients) as session:
        assert session.client is None and session.custom_properties() is None
        session.open()
    assert clients.made == 0 and sandbox.request_count == 0 and not clients.paths


def test_a_run_that_only_reads_keeps_no_log_and_remembers_nothing(tmp_path, sandbox):
    settings = settings_for(tmp_path, sandbox)
    clients = Clients()
    with RunSession(settings, writing=False, make_client=clients) as session:
        session.open()
        assert session.log is None
    assert not logs_dir(settings.state_dir).exists()
    # Not remembered: the next run that only reads asks HubSpot again.
    with RunSession(settings, writing=False, make_client=clients) as session:
        session.open()
    assert clients.account_requests == 2


def test_a_run_writes_its_start_and_end_around_the_run(tmp_path, sandbox, workspace):
    settings = settings_for(workspace.root, sandbox)
    sheet = workspace.sample_workbook()
    with RunSession(settings, writing=True, log="sync", make_client=Clients()) as session:
        session.open()
        result = session.run([sheet], RunOptions(), command="sync")
    assert result.exit_code == ExitCode.OK
    # (the account details asked for before it: the log is open before any request)
    kinds = [e["kind"] for e in log_entries(settings)]
    assert kinds[0] == "request" and log_entries(settings)[0]["path"].startswith(ACCOUNT)
    assert kinds[1] == "start" and kinds[-1] == "end" and kinds.count("end") == 1
    [start] = [e for e in log_entries(settings) if e["kind"] == "start"]
    assert start["sheets"] == ["events.xlsx"] and start["baseUrl"] == sandbox.url
    assert log_entries(settings)[-1]["exitCode"] == 0


@pytest.mark.parametrize(
    ("raised", "code", "message"),
    [
        (SheetError("events.xlsx: not a workbook"), 2, "events.xlsx: not a workbook"),
        (KeyboardInterrupt(), 130, "interrupted"),
        (ZeroDivisionError("secret detail"), 70, "ZeroDivisionError"),
    ],
    ids=["refusal", "ctrl-c", "bug"],
)
def test_a_run_that_fails_ends_its_log_and_lets_the_state_folder_go(
    workspace, sandbox, raised, code, message
):
    settings = synced_once(workspace)
    with (
        pytest.raises(type(raised)),
        RunSession(settings, writing=True, log="sync", make_client=Clients()) as session,
    ):
        session.store.events  # noqa: B018 - the state database is open now
        raise raised
    last = log_entries(settings, "sync")[-1]
    assert (last["kind"], last["exitCode"], last["message"]) == ("end", code, message)
    assert "secret detail" not in json.dumps(log_entries(settings, "sync"))
    # Windows: an open database or log could not be deleted (tests/helpers/windows_files).
    shutil.rmtree(settings.state_dir)


@pytest.mark.parametrize("log", ["sync", None], ids=["database-and-log", "database"])
def test_the_state_folder_is_held_while_the_session_is_open(workspace, sandbox, log):
    """(What makes the test above able to fail: an open session holds its files.)"""
    settings = synced_once(workspace)
    with RunSession(settings, writing=True, log=log, make_client=Clients()) as session:
        session.store.events  # noqa: B018 - the state database is open now
        with pytest.raises(PermissionError):
            shutil.rmtree(settings.state_dir)


def test_hubspot_not_naming_the_account_ends_the_log_before_anything_is_sent(tmp_path, sandbox):
    settings = settings_for(tmp_path, sandbox)
    sandbox.configure(account_down=True)
    with (
        pytest.raises(RunStoppedError),
        RunSession(settings, writing=True, log="sync", make_client=Clients()) as session,
    ):
        session.open()
    last = log_entries(settings)[-1]
    assert last["kind"] == "end" and last["exitCode"] == ExitCode.ROWS_FAILED
    assert "did not say which account" in last["message"]
    assert sandbox.batch_update_requests() == []
    shutil.rmtree(settings.state_dir)


def test_a_watch_sync_stopped_before_its_state_is_open_leaves_no_log(tmp_path, sandbox):
    """A long outage must not push the last real runs' logs out of the 20 kept."""
    settings = settings_for(tmp_path, sandbox)
    sandbox.configure(account_down=True)
    lent = HubSpotClient(settings, policy=FAST)
    session = RunSession(settings, writing=True, log="sync", client=lent, log_after_state=True)
    with pytest.raises(RunStoppedError), session:
        session.open()
    assert not list(logs_dir(settings.state_dir).glob("*.jsonl"))
    sandbox.configure(account_down=False)
    with RunSession(
        settings, writing=True, log="sync", client=lent, log_after_state=True
    ) as session:
        assert session.log is None
        session.open()
        assert session.log is not None and session.client is lent


def test_a_session_once_closed_opens_nothing_again(tmp_path, sandbox):
    settings = settings_for(tmp_path, sandbox)
    with RunSession(settings, writing=True, log="sync", make_client=Clients()) as session:
        session.open()
    with pytest.raises(RuntimeError):
        session.store  # noqa: B018
    session.close()  # (again: nothing)
    shutil.rmtree(settings.state_dir)
