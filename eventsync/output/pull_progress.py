"""Output: `pull --participants`' progress on one terminal line while each event's
participants are read (beside `page_counter`'s "pulled 1200 events"). It only draws:
never reads HubSpot, a sheet or the state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from eventsync.environment import current
from eventsync.messages import Language, say
from eventsync.terminal import redraw


def people_counter(
    stream: TextIO, language: Language = "en", *, first: Callable[[], None] = lambda: None
) -> Callable[[int, int, int], None]:
    """'reading participants: 3/20 events, 250 contacts', redrawn on a terminal only;
    the line is ended once every event is read. `first` runs before the first line (it
    ends the events' own progress line, so the two do not overwrite each other)."""
    interactive = current().interactive(stream)
    started = False

    def show(done: int, total: int, rows: int) -> None:
        nonlocal started
        if not started:
            started = True
            first()
        if interactive:
            line = say(language, "pulled_people.progress", done=done, total=total, rows=rows)
            redraw(stream, line, last=done >= total)

    return show
