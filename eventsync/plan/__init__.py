"""Plan: pure logic from sheet rows to what to send and what to write.

Build inputs (inputs), compare with the snapshot (diff), the three-way check with
HubSpot's current state (conflicts, events), results per row (results), and the cells
two-way sync writes (cells). No files, no network, no clock."""
