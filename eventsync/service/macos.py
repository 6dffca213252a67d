"""eventsync watch as a macOS launchd agent, defined by its property list (pure).

The agent runs in the user's GUI session (`launchctl bootstrap gui/<uid>`), started at
load and at each login, restarted a minute after it exits with an error (KeepAlive
SuccessfulExit false: a clean stop, exit 0, stays stopped). Its output goes to
~/Library/Logs, which privacy controls leave open to it: a working folder in
~/Documents, ~/Desktop, ~/Downloads or iCloud Drive is not (see `eventsync.access`).
"""

from __future__ import annotations

import plistlib

from eventsync.service.definition import (
    LAUNCHD_LABEL,
    SERVICE_ID,
    Service,
    ServiceFile,
    Where,
    step,
    tolerant,
)


def macos_service(where: Where) -> Service:
    program = (str(where.executable), "-m", "eventsync", "watch")
    log = where.home / "Library" / "Logs" / f"{SERVICE_ID}.log"
    agent = {
        "Label": LAUNCHD_LABEL,
        "ProgramArguments": list(program),
        "WorkingDirectory": str(where.folder),
        "EnvironmentVariables": {"PYTHONUNBUFFERED": "1", "PYTHONUTF8": "1"},
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},
        "ThrottleInterval": 60,  # an error exit: started again a minute later
        "ExitTimeOut": 60,  # SIGTERM lets the batch in flight finish before SIGKILL
        "ProcessType": "Background",
        "StandardOutPath": str(log),
        "StandardErrorPath": str(log),
    }
    data = plistlib.dumps(agent)
    path = where.home / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist"
    domain = f"gui/{where.uid}"
    target = f"{domain}/{LAUNCHD_LABEL}"
    return Service(
        system="macos",
        name=f"the launchd agent {LAUNCHD_LABEL}",
        program=program,
        files=(ServiceFile(path, data, data.decode("utf-8")),),
        log=str(log),
        # bootout first: a changed agent is only read again when it is loaded again.
        install=(
            tolerant("launchctl", "bootout", target),
            step("launchctl", "bootstrap", domain, str(path)),
        ),
        # bootout sends SIGTERM: the watch stops with exit 0, and is not started again.
        uninstall=(tolerant("launchctl", "bootout", target),),
        start=(step("launchctl", "bootstrap", domain, str(path)),),
        stop=(step("launchctl", "bootout", target),),
        query=("launchctl", "print", target),
    )
