"""Each sync of `eventsync watch` runs in its own run session (eventsync/session.py), as
`sync` does: its run log, and what the identification of the portal may not count as."""

from __future__ import annotations

from eventsync.state.runlog import last_log, read_entries


def test_a_key_without_the_account_scope_syncs_in_watch_without_an_outage(workspace, watcher):
    """HubSpot refuses the key its account details (403): the portal is then known by
    the key's fingerprint, as `sync` knows it. That refusal belongs to finding the
    portal, not to the sync: watch syncs and reports no refused token."""
    workspace.sandbox.configure(account_details=False)
    workspace.sample_workbook()
    watch = watcher()
    watch.wait_for(lambda: watch.sheet_syncs("events.xlsx"), "the start-up pass")
    [first] = watch.sheet_syncs("events.xlsx")
    assert (first["sent"], first["failed"]) == (20, 0)
    assert not any("refused the token" in line for line in watch.err), watch.err
    assert watch.terminate() == 0
    log = last_log(workspace.root / ".eventsync")
    assert log is not None
    entries = read_entries(log)
    kinds = [entry["kind"] for entry in entries]
    assert kinds[0] == "start" and entries[0]["command"] == "watch"
    assert kinds[-1] == "end" and entries[-1]["exitCode"] == 0
