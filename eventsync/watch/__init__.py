"""Watch: sync a folder of sheets as they are saved (`eventsync watch`).

On top of the run loop, like the CLI: it decides *when* a sheet is synced (quiet after
a save, the workbook closed, HubSpot answering again) and hands each sync to
`eventsync.run.run`, the same loop `sync` uses. It never decides a conflict, never writes
into a workbook a spreadsheet program holds open, and never exits on a transient error.

    files     which names are sheets and which are lock files; is a workbook open
    backoff   what went wrong in a sync (HubSpot down, token refused, daily limit) and
              how long to wait before trying again (pure)
    schedule  which sheet is due when (pure: plain values and an injected clock)
    output    one line, or one JSON object, per sync
    events    native file events (watchfiles) on a thread of their own
    stopping  Ctrl-C, SIGTERM, Ctrl+Break, Windows' console close and a stop request
              file: stop between syncs, or after the batch in flight
    remote_stop  `watch --stop`: ask the running watch to stop, and wait for it
    loop      the I/O: the syncs themselves, outages, what is printed
    command   the `watch` arguments, and its start under the state folder's lock
"""
