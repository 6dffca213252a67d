"""`eventsync service`: the files each system's manager is given, with real paths, and
the commands that register them, run against recording stand-ins for schtasks, launchctl
and systemctl first on PATH. What only a real Windows or Mac can show (Task Scheduler
running the task, launchd's privacy prompts) is a manual check in docs/service.md."""

from __future__ import annotations

import io
import os
import plistlib
import re
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from fake_managers import FakeManagers, clean_environment, start_process, wait_until
from helpers import TOKEN

from eventsync.cli import main
from eventsync.service.windows import windows_program
from eventsync.state.lock import lock_holder, run_lock

# The fake schtasks, launchctl and systemctl are scripts run through their #! line, which
# Windows does not know: these tests run on POSIX (the files they check are the same).
pytestmark = pytest.mark.posix_only("the fake service managers are #! scripts on PATH")
UID = os.getuid() if hasattr(os, "getuid") else 0  # as the command takes it

NS = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}
PT = re.compile(r"P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?")


def duration_s(text: str | None) -> int:
    assert text is not None, "the task names no duration"
    found = PT.fullmatch(text)
    assert found, text
    d, h, m, s = (int(found[k] or 0) for k in "dhms")
    return ((d * 24 + h) * 60 + m) * 60 + s


@pytest.fixture
def managers(tmp_path_factory, monkeypatch) -> FakeManagers:
    fakes = FakeManagers(tmp_path_factory.mktemp("managers"))
    monkeypatch.setenv("PATH", f"{fakes.bin}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_MANAGER_LOG", str(fakes.log))
    monkeypatch.delenv("FAKE_MANAGER_FAIL", raising=False)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    return fakes


# -- Windows: a Task Scheduler task --------------------------------------------------------


def test_windows_install_registers_a_task_that_comes_back_after_any_exit(workspace, managers):
    done = workspace.run(
        "service", "install", "--system", "windows", USERDOMAIN="PC", USERNAME="aiko"
    )
    assert done.code == 0, done.err
    log = workspace.root / "watch.log"
    assert f"its log: {log}" in done.out

    create, run = managers.calls()
    assert create.argv[:3] == ["schtasks", "/Create", "/XML"]
    assert create.argv[4:] == ["/TN", "eventsync watch", "/F"]
    assert run.argv == ["schtasks", "/Run", "/TN", "eventsync watch"]
    given = create.files[create.argv[3]]
    assert given.startswith(b"\xff\xfe")  # UTF-16 with its byte order mark, as schtasks reads
    task = ElementTree.fromstring(given)
    assert task.tag == f"{{{NS['t']}}}Task"

    # Comes back after ANY exit: a repeating trigger that only starts a watch when none
    # runs, and a logon trigger. Restart-on-failure never fires on an exit code.
    [repeat] = task.findall("t:Triggers/t:TimeTrigger/t:Repetition", NS)
    assert 60 <= duration_s(repeat.findtext("t:Interval", namespaces=NS)) <= 10 * 60
    assert repeat.find("t:Duration", NS) is None  # for ever
    assert task.findtext("t:Triggers/t:TimeTrigger/t:StartBoundary", namespaces=NS)
    assert task.findtext("t:Triggers/t:LogonTrigger/t:UserId", namespaces=NS) == "PC\\aiko"
    settings = task.find("t:Settings", NS)
    assert settings.findtext("t:MultipleInstancesPolicy", namespaces=NS) == "IgnoreNew"
    assert settings.findtext("t:ExecutionTimeLimit", namespaces=NS) == "PT0S"
    assert settings.findtext("t:DisallowStartIfOnBatteries", namespaces=NS) == "false"
    # The schema's limits: Count is an unsignedByte from 1 (so at most 255; 999 was refused),
    # Interval from PT1M to P31D.
    count = int(settings.findtext("t:RestartOnFailure/t:Count", namespaces=NS) or "")
    assert 1 <= count <= 255
    interval = duration_s(settings.findtext("t:RestartOnFailure/t:Interval", namespaces=NS))
    assert 60 <= interval <= 31 * 24 * 3600
    principal = task.find("t:Principals/t:Principal", NS)
    assert principal.findtext("t:UserId", namespaces=NS) == "PC\\aiko"
    assert principal.findtext("t:LogonType", namespaces=NS) == "InteractiveToken"
    assert principal.findtext("t:RunLevel", namespaces=NS) == "LeastPrivilege"

    # No console window: a windowless launcher, never python.exe or cmd.exe; real paths.
    [action] = task.findall("t:Actions/t:Exec", NS)
    program = action.findtext("t:Command", namespaces=NS)
    assert Path(program.replace("\\", "/")).name in ("eventsyncw.exe", "pythonw.exe")
    assert program.replace("\\", "/").startswith(str(Path(sys.executable).parent))
    arguments = action.findtext("t:Arguments", namespaces=NS)
    assert arguments.endswith(f"watch --log-file {log}")
    assert action.findtext("t:WorkingDirectory", namespaces=NS) == str(workspace.root)
    assert TOKEN.encode("utf-16-le") not in given


def test_the_windowless_program_is_eventsyncw_when_installed_else_pythonw():
    python = Path(r"C:\Users\aiko\.local\share\uv\tools\eventsync\Scripts\python.exe")
    log = Path(r"C:\Users\aiko\events\watch.log")
    scripts = r"C:\Users\aiko\.local\share\uv\tools\eventsync\Scripts"
    assert windows_program(python, log, found={"python.exe", "eventsyncw.exe"}) == (
        rf"{scripts}\eventsyncw.exe",
        "watch",
        "--log-file",
        str(log),
    )
    assert windows_program(python, log, found={"python.exe"}) == (
        rf"{scripts}\pythonw.exe",
        "-m",
        "eventsync.service.launcher",
        "watch",
        "--log-file",
        str(log),
    )


def test_a_task_scheduler_refusal_is_reported_with_its_words_and_exit_2(
    workspace, managers, monkeypatch
):
    monkeypatch.setenv("FAKE_MANAGER_FAIL", "schtasks /Create")
    done = workspace.run("service", "install", "--system", "windows")
    assert done.code == 2
    assert "schtasks /Create failed (exit 1): ERROR: Access is denied." in done.err
    assert "eventsync service install" in done.err
    assert [call.argv[1] for call in managers.calls()] == ["/Create"]  # nothing run after it


@pytest.mark.slow
def test_windows_uninstall_unregisters_first_then_stops_the_running_watch_gracefully(
    workspace, managers
):
    workspace.sample_workbook()
    (workspace.root / ".env").write_text(
        "".join(f"{k}={v}\n" for k, v in workspace.env.items()), encoding="utf-8"
    )
    assert workspace.run("service", "install", "--system", "windows").code == 0
    watch = start_process(
        [sys.executable, "-m", "eventsync", "watch"], workspace.root, clean_environment()
    )
    try:
        state = workspace.root / ".eventsync"
        wait_until(lambda: lock_holder(state) is not None, "the watch holding its lock")
        done = workspace.run("service", "uninstall", "--system", "windows")
        assert done.code == 0, done.err
        assert f"eventsync watch (pid {watch.pid}) stopped after" in done.out
        assert watch.wait(30) == 0  # a clean stop, not a kill
        assert managers.argvs()[-1] == ["schtasks", "/Delete", "/TN", "eventsync watch", "/F"]
        assert not (state / "eventsync-watch.task.xml").exists()
    finally:
        if watch.poll() is None:
            watch.kill()
        watch.communicate(timeout=30)


# -- macOS: a launchd agent ------------------------------------------------------------


def test_macos_install_loads_a_launch_agent_with_real_paths(workspace, managers):
    done = workspace.run("service", "install", "--system", "macos")
    assert done.code == 0, done.err
    home = Path(os.environ["HOME"])
    path = home / "Library" / "LaunchAgents" / "com.eventsync.watch.plist"
    agent = plistlib.loads(path.read_bytes())
    assert agent["Label"] == "com.eventsync.watch"
    assert agent["ProgramArguments"] == [sys.executable, "-m", "eventsync", "watch"]
    assert agent["WorkingDirectory"] == str(workspace.root)
    assert agent["RunAtLoad"] is True
    assert agent["KeepAlive"] == {"SuccessfulExit": False}  # an error exit comes back
    log = str(home / "Library" / "Logs" / "eventsync-watch.log")
    assert agent["StandardOutPath"] == agent["StandardErrorPath"] == log
    assert agent["EnvironmentVariables"]["PYTHONUTF8"] == "1"
    uid = UID
    bootout, bootstrap = managers.calls()
    assert bootout.argv == ["launchctl", "bootout", f"gui/{uid}/com.eventsync.watch"]
    assert bootstrap.argv == ["launchctl", "bootstrap", f"gui/{uid}", str(path)]
    assert plistlib.loads(bootstrap.files[str(path)]) == agent  # what launchd was given


def test_macos_install_goes_on_when_there_was_no_agent_to_unload(workspace, managers, monkeypatch):
    monkeypatch.setenv("FAKE_MANAGER_FAIL", "launchctl bootout")
    done = workspace.run("service", "install", "--system", "macos")
    assert done.code == 0, done.err
    assert managers.argvs()[-1][:2] == ["launchctl", "bootstrap"]


# -- Linux: a systemd user unit ------------------------------------------------------------


def unit_values(text: str) -> dict[str, str]:
    return dict(
        line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#")
    )


def test_linux_install_enables_a_user_unit_with_real_paths(workspace, managers):
    done = workspace.run("service", "install", "--system", "linux")
    assert done.code == 0, done.err
    path = Path(os.environ["HOME"]) / ".config" / "systemd" / "user" / "eventsync-watch.service"
    unit = unit_values(path.read_text(encoding="utf-8"))
    assert unit["ExecStart"] == f"{sys.executable} -m eventsync watch"
    assert unit["WorkingDirectory"] == str(workspace.root)
    assert unit["Restart"] == "on-failure" and unit["KillSignal"] == "SIGTERM"
    assert managers.argvs() == [
        ["systemctl", "--user", "daemon-reload"],
        ["systemctl", "--user", "enable", "eventsync-watch.service"],
        ["systemctl", "--user", "restart", "eventsync-watch.service"],  # a new unit applies now
    ]
    assert "journalctl --user -u eventsync-watch -f" in done.out


@pytest.mark.slow
def test_the_installed_unit_runs_watch_in_the_working_folder_and_watch_stop_ends_it(
    workspace, managers
):
    """What systemd would run, run: the unit's own ExecStart in its WorkingDirectory,
    with only .env for settings; then `watch --stop`, as `systemctl stop` could."""
    workspace.sample_workbook()
    (workspace.root / ".env").write_text(
        "".join(f"{k}={v}\n" for k, v in workspace.env.items()), encoding="utf-8"
    )
    assert workspace.run("service", "install", "--system", "linux").code == 0
    path = Path(os.environ["HOME"]) / ".config" / "systemd" / "user" / "eventsync-watch.service"
    unit = unit_values(path.read_text(encoding="utf-8"))
    watch = start_process(
        unit["ExecStart"].split(" "), Path(unit["WorkingDirectory"]), clean_environment()
    )
    try:
        wait_until(lambda: len(workspace.sandbox.batch_update_requests()) == 1, "its first sync")
        stopped = workspace.run("watch", "--stop")
        assert stopped.code == 0, stopped.err
        assert watch.wait(30) == 0
    finally:
        if watch.poll() is None:
            watch.kill()
        watch.communicate(timeout=30)


@pytest.mark.slow
def test_linux_uninstall_disables_removes_and_reloads(workspace, managers):
    assert workspace.run("service", "install", "--system", "linux").code == 0
    path = Path(os.environ["HOME"]) / ".config" / "systemd" / "user" / "eventsync-watch.service"
    done = workspace.run("service", "uninstall", "--system", "linux")
    assert done.code == 0, done.err
    assert not path.exists()
    assert managers.argvs()[-2:] == [
        ["systemctl", "--user", "disable", "--now", "eventsync-watch.service"],
        ["systemctl", "--user", "daemon-reload"],
    ]
    again = workspace.run("service", "uninstall", "--system", "linux")
    assert again.code == 1
    assert "is not installed" in again.out


# -- every system ------------------------------------------------------------------------


@pytest.mark.parametrize("system", ["windows", "macos", "linux"])
def test_dry_run_shows_the_files_and_commands_and_does_nothing(workspace, managers, system):
    done = workspace.run("service", "install", "--dry-run", "--system", system)
    assert done.code == 0, done.err
    assert "would write " in done.out and "would run: " in done.out
    assert str(workspace.root) in done.out
    assert managers.calls() == []
    assert not (workspace.root / ".eventsync").exists()
    assert not any(Path(os.environ["HOME"]).iterdir())


@pytest.mark.slow
@pytest.mark.parametrize(
    ("system", "action", "expected"),
    [
        ("windows", "stop", [["schtasks", "/Change", "/TN", "eventsync watch", "/DISABLE"]]),
        (
            "windows",
            "start",
            [
                ["schtasks", "/Change", "/TN", "eventsync watch", "/ENABLE"],
                ["schtasks", "/Run", "/TN", "eventsync watch"],
            ],
        ),
        ("macos", "stop", [["launchctl", "bootout", f"gui/{UID}/com.eventsync.watch"]]),
        ("linux", "stop", [["systemctl", "--user", "stop", "eventsync-watch.service"]]),
        ("linux", "start", [["systemctl", "--user", "start", "eventsync-watch.service"]]),
    ],
)
def test_stop_and_start_ask_the_manager(workspace, managers, system, action, expected):
    done = workspace.run("service", action, "--system", system)
    assert done.code == 0, done.err
    assert managers.argvs() == expected
    assert ("stopped" if action == "stop" else "started") in done.out


def test_status_says_whether_it_is_installed_and_which_watch_runs(workspace, managers, monkeypatch):
    with run_lock(workspace.root / ".eventsync", holder="watch"):
        done = workspace.run("service", "status", "--system", "linux")
    assert done.code == 0, done.err
    assert f"watch: running (pid {os.getpid()})" in done.out
    assert managers.argvs() == [["systemctl", "--user", "is-enabled", "eventsync-watch.service"]]
    monkeypatch.setenv("FAKE_MANAGER_FAIL", "systemctl --user is-enabled")
    missing = workspace.run("service", "status", "--system", "linux")
    assert missing.code == 1
    assert "not installed; watch: not running" in missing.out


def test_a_missing_service_manager_is_named_with_exit_2(workspace, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    done = workspace.run("service", "install", "--system", "macos")
    assert done.code == 2
    assert "launchctl was not found on PATH" in done.err
    assert "eventsync service install --dry-run" in done.err


def test_install_outside_a_working_folder_says_where_to_run_it(tmp_path, managers):
    err = io.StringIO()
    code = main(["service", "install", "--system", "linux"], env={}, cwd=tmp_path, stderr=err)
    assert code == 2
    assert f"{tmp_path} has no sheets folder" in err.getvalue()
    assert managers.calls() == []


# -- the windowless launcher -----------------------------------------------------------------


WINDOWLESS = """
import sys
sys.stdout = None  # as under pythonw.exe: no console, no streams
sys.stderr = None
from eventsync.service.launcher import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
def test_without_streams_what_eventsync_says_lands_in_the_log_file(tmp_path):
    log = tmp_path / "watch.log"
    done = start_process(
        [sys.executable, "-c", WINDOWLESS, "watch", "--log-file", str(log)],
        tmp_path,
        clean_environment(),
    )
    out, err = done.communicate(timeout=60)
    assert done.returncode == 2  # no sheets folder here: a message, never a crash
    assert (out, err) == ("", "")
    lines = log.read_text(encoding="utf-8").splitlines()
    # Said once, dated, by watch's own log (not again through the missing streams).
    assert len(lines) == 1 and "eventsync: " in lines[0] and "HUBSPOT_ACCESS_TOKEN" in lines[0]
