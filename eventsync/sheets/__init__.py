"""Read and write the user's files: find the sheet and its columns (reader, csv_file),
write results back losslessly (writer, xlsx/), and build new workbooks (template).

No HubSpot, no snapshot: only files."""
