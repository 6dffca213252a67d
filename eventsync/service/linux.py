"""eventsync watch as a systemd user service (pure): the unit file, with real paths.

Started with the user's session (`loginctl enable-linger` keeps it without one),
restarted a minute after it exits with an error (Restart=on-failure: a clean stop,
exit 0 after SIGTERM or `watch --stop`, stays stopped). Its output: the journal.
"""

from __future__ import annotations

from eventsync.service.definition import SERVICE_ID, Service, ServiceFile, Where, step, tolerant

UNIT = f"{SERVICE_ID}.service"


def unit_text(where: Where, program: tuple[str, ...]) -> str:
    command = " ".join(_exec_word(word) for word in program)
    return "\n".join(
        [
            "# Written by `eventsync service install`; `eventsync service uninstall` removes it.",
            "[Unit]",
            "Description=eventsync watch: sync the sheets folder with HubSpot as sheets are saved",
            "After=network-online.target",
            "",
            "[Service]",
            "Type=simple",
            f"WorkingDirectory={_escaped(str(where.folder))}",
            f"ExecStart={command}",
            "# SIGTERM stops it between syncs, or after the batch in flight, with exit 0.",
            "KillSignal=SIGTERM",
            "TimeoutStopSec=60",
            "# Exit 2 (a setting to fix, another sync holding the state folder): try again later.",
            "Restart=on-failure",
            "RestartSec=60",
            "Environment=PYTHONUNBUFFERED=1 PYTHONUTF8=1",
            "",
            "[Install]",
            "WantedBy=default.target",
            "",
        ]
    )


def _escaped(text: str) -> str:
    return text.replace("%", "%%")  # systemd's specifiers start with %


def _exec_word(word: str) -> str:
    """One word of ExecStart: quoted when it holds a space, a quote or a backslash."""
    word = _escaped(word)
    if word and not any(char in word for char in " \t\"'\\;"):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def linux_service(where: Where) -> Service:
    program = (str(where.executable), "-m", "eventsync", "watch")
    text = unit_text(where, program)
    path = where.home / ".config" / "systemd" / "user" / UNIT
    user = ("systemctl", "--user")
    return Service(
        system="linux",
        name=f"the systemd user service {UNIT}",
        program=program,
        files=(ServiceFile(path, text.encode("utf-8"), text),),
        log=f"journalctl --user -u {SERVICE_ID} -f",
        # restart, not start: a watch running from an older unit stops (SIGTERM) and
        # comes back as the new one says.
        install=(
            step(*user, "daemon-reload"),
            step(*user, "enable", UNIT),
            step(*user, "restart", UNIT),
        ),
        uninstall=(tolerant(*user, "disable", "--now", UNIT),),  # SIGTERM: exit 0
        start=(step(*user, "start", UNIT),),
        stop=(step(*user, "stop", UNIT),),
        query=(*user, "is-enabled", UNIT),
        after_removal=(tolerant(*user, "daemon-reload"),),
    )
