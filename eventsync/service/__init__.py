"""Services: `eventsync service install|uninstall|status|start|stop` runs `eventsync watch`
in the background for the user, with the system's own service manager.

On top, beside the CLI: it writes a service definition with the real paths of this
installation (the Python running it, the working folder, the log) and hands it to the
system's manager as a subprocess (schtasks, launchctl, systemctl). It never needs
administrator rights, never runs a service as anyone but the user, and never kills a
watch: stopping goes through `watch --stop` or the manager's SIGTERM.

    definition  where things are (`Where`), and what a service is (`Service`): files to
                write and commands to run, as plain values (pure)
    windows     a Task Scheduler task, as its XML (pure)
    macos       a launchd agent, as its plist (pure)
    linux       a systemd user unit (pure)
    command     the `service` arguments; writes the files, runs the commands, reports
    launcher    `eventsyncw`: the windowless entry point the Windows task runs
"""
