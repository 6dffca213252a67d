"""eventsync watch as a Windows Task Scheduler task, defined by the task XML (pure).

What the task must do, and how its definition does it (the Task Scheduler schema,
`http://schemas.microsoft.com/windows/2004/02/mit/task`, version 1.2):
- Come back after ANY exit. RestartOnFailure only restarts a task that failed to
  *start*; an exit code, even 2, is not a failure to Task Scheduler. So a time trigger
  repeats every REPEAT (PT5M) for ever, with MultipleInstancesPolicy IgnoreNew: while
  the watch runs, each repetition does nothing; after any exit (a crash, a kill, exit 2
  for a setting to fix, `watch --stop`) the next one starts it again. A logon trigger
  starts it at logon. RestartOnFailure (Count 3, at most 255 in the schema: an
  unsignedByte; Interval at least PT1M) covers a failed start.
- No console window: it runs `eventsyncw.exe`, the windowless entry point pip and uv
  make from `[project.gui-scripts]` (or `pythonw.exe -m eventsync.service.launcher` when
  there is none), with its output in a UTF-8 log file (`watch --log-file`).
- As the user, only while logged on (InteractiveToken, LeastPrivilege): no password is
  stored, no administrator rights are needed to register it.
- No time limit (ExecutionTimeLimit PT0S), on batteries too.
`schtasks /Create /XML` reads the file as UTF-16 (with its byte order mark).
"""

from __future__ import annotations

import subprocess
from pathlib import Path, PureWindowsPath
from xml.etree import ElementTree

from eventsync.service.definition import (
    SERVICE_ID,
    SERVICE_NAME,
    WINDOWS_LOG_NAME,
    Service,
    ServiceFile,
    Where,
    step,
)

TASK_NS = "http://schemas.microsoft.com/windows/2004/02/mit/task"
REPEAT = "PT5M"  # the longest a watch stays down after an exit
RESTART_COUNT = 3  # schema: 1..255
RESTART_INTERVAL = "PT1M"  # schema: PT1M..P31D
WINDOWLESS_SCRIPT = "eventsyncw.exe"


def windows_program(executable: Path, log: Path, *, found: set[str]) -> tuple[str, ...]:
    """The windowless command line of the watch: `eventsyncw.exe` beside the Python that
    runs eventsync (a venv's or uv tool's Scripts folder) when it is there (`found`
    holds the names present there), else that folder's pythonw.exe."""
    scripts = PureWindowsPath(executable).parent
    watch = ("watch", "--log-file", str(log))
    if WINDOWLESS_SCRIPT in found:
        return (str(scripts / WINDOWLESS_SCRIPT), *watch)
    return (str(scripts / "pythonw.exe"), "-m", "eventsync.service.launcher", *watch)


def task_xml(where: Where, program: tuple[str, ...]) -> str:
    """The task's definition, as Task Scheduler's XML (the text; `task_file` encodes it)."""
    ElementTree.register_namespace("", TASK_NS)

    def node(parent: ElementTree.Element, tag: str, text: str | None = None) -> ElementTree.Element:
        made = ElementTree.SubElement(parent, f"{{{TASK_NS}}}{tag}")
        if text is not None:
            made.text = text
        return made

    task = ElementTree.Element(f"{{{TASK_NS}}}Task", {"version": "1.2"})
    info = node(task, "RegistrationInfo")
    node(
        info,
        "Description",
        "eventsync watch: sync the sheets folder with HubSpot as sheets are saved",
    )
    node(info, "URI", f"\\{SERVICE_NAME}")

    triggers = node(task, "Triggers")
    logon = node(triggers, "LogonTrigger")
    node(logon, "Enabled", "true")
    node(logon, "UserId", where.user)
    repeating = node(triggers, "TimeTrigger")
    repetition = node(repeating, "Repetition")
    node(repetition, "Interval", REPEAT)
    node(repetition, "StopAtDurationEnd", "false")
    node(repeating, "StartBoundary", where.now.replace(microsecond=0, tzinfo=None).isoformat())
    node(repeating, "Enabled", "true")

    principal = node(node(task, "Principals"), "Principal", None)
    principal.set("id", "Author")
    node(principal, "UserId", where.user)
    node(principal, "LogonType", "InteractiveToken")
    node(principal, "RunLevel", "LeastPrivilege")

    # In the order Task Scheduler itself exports them.
    settings = node(task, "Settings")
    for tag, text in (
        ("MultipleInstancesPolicy", "IgnoreNew"),
        ("DisallowStartIfOnBatteries", "false"),
        ("StopIfGoingOnBatteries", "false"),
        ("AllowHardTerminate", "true"),
        ("StartWhenAvailable", "true"),
        ("RunOnlyIfNetworkAvailable", "false"),
    ):
        node(settings, tag, text)
    idle = node(settings, "IdleSettings")
    node(idle, "StopOnIdleEnd", "false")
    node(idle, "RestartOnIdle", "false")
    for tag, text in (
        ("AllowStartOnDemand", "true"),
        ("Enabled", "true"),
        ("Hidden", "false"),
        ("RunOnlyIfIdle", "false"),
        ("WakeToRun", "false"),
        ("ExecutionTimeLimit", "PT0S"),  # no time limit
        ("Priority", "7"),
    ):
        node(settings, tag, text)
    restart = node(settings, "RestartOnFailure")
    node(restart, "Interval", RESTART_INTERVAL)
    node(restart, "Count", str(RESTART_COUNT))

    actions = node(task, "Actions")
    actions.set("Context", "Author")
    run = node(actions, "Exec")
    node(run, "Command", program[0])
    node(run, "Arguments", subprocess.list2cmdline(program[1:]))  # Windows' own quoting
    node(run, "WorkingDirectory", str(where.folder))
    ElementTree.indent(task)
    return '<?xml version="1.0" encoding="UTF-16"?>\n' + ElementTree.tostring(task, "unicode")


def windows_service(where: Where, program: tuple[str, ...]) -> Service:
    xml = task_xml(where, program)
    path = where.state_dir / f"{SERVICE_ID}.task.xml"
    name = ("/TN", SERVICE_NAME)
    return Service(
        system="windows",
        name=f'the scheduled task "{SERVICE_NAME}"',
        program=program,
        files=(ServiceFile(path, xml.encode("utf-16"), xml),),
        log=str(where.folder / WINDOWS_LOG_NAME),
        install=(
            step("schtasks", "/Create", "/XML", str(path), *name, "/F"),
            step("schtasks", "/Run", *name),
        ),
        uninstall=(step("schtasks", "/Delete", *name, "/F"),),
        start=(step("schtasks", "/Change", *name, "/ENABLE"), step("schtasks", "/Run", *name)),
        stop=(step("schtasks", "/Change", *name, "/DISABLE"),),
        query=("schtasks", "/Query", *name),
        stop_watch_itself=True,
    )
