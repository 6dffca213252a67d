"""Output: everything eventsync shows a person or a script, rendered from values (httpie's
`output/` is the model). One module per kind of output:

    streams       what `plan` and `sync` print on the user's streams, progress lines
    report        the text and JSON of a plan and of a sync's results
    watch_lines   what `watch` prints, one line (or JSON object) per sync
    run_log       `eventsync log`: a run log as lines
    history       `eventsync history OBJECTID`: an event's recorded changes

Output stage (above the run, beside watch): it renders values the stages below made, in
the reader's language (eventsync/language.py) and for the terminal the command started in
(eventsync/environment.py). It never runs a sync, sends or writes a user's file.
"""

from __future__ import annotations

from eventsync.output.streams import (
    page_counter,
    print_plan,
    print_sync,
    progress_printer,
    reading_printer,
    tell,
)

__all__ = [
    "page_counter",
    "print_plan",
    "print_sync",
    "progress_printer",
    "reading_printer",
    "tell",
]
