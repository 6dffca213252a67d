"""Advance state: the snapshot of what HubSpot confirmed, the run log, and the lock
that keeps two runs apart. Only what HubSpot confirmed ever reaches the snapshot."""
