"""Date-times typed as text, the ways people type them: ISO, Japanese, era, other orders.

Pure. `read_datetime_text` turns the text of a cell (already folded: NFKC makes
full-width digits and colons plain) into a naive wall-clock time, or the time with the
offset it names. It understands:

- `2026-04-06 10:00`, `2026/4/6 10:00`, `2026.04.06T10:00:00.250Z`, `2026-04-06` (a day);
- Japanese Excel's forms: `2026年4月6日 10:00`, `2026年4月6日(月) 10時`, `10時30分`,
  `午前9:00`, `午後3:30`, and era dates `令和8年4月6日`, `R8.4.6 10:00`, `R8/4/6`,
  `平成31年4月30日`, `令和元年5月1日`;
- `9:00 AM` / `3:30 PM`;
- day-first or month-first dates (`06.04.2026 10:00`, `06/04/2026`) only with a date
  order set (EVENTSYNC_DATE_ORDER=DMY or MDY): without it they are refused, never
  guessed, and the message names the setting.

A weekday in parentheses is allowed and must match the date. Anything else is a
ValueError whose text says what to type.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from enum import Enum

from eventsync.messages import Text

EXAMPLE = "2025-03-01 09:00"


class DateOrder(Enum):
    """How a date written as three numbers with the year last is read."""

    YMD = "YMD"  # the year first only: 2026-04-06; 06/04/2026 is refused as ambiguous
    DMY = "DMY"  # 06/04/2026 is 6 April 2026
    MDY = "MDY"  # 06/04/2026 is 4 June 2026

    # Members are singletons compared by identity: hashed by identity too, in C, not by
    # Enum's Python-level hash of the name (millions of lookups at 100,000 rows).
    __hash__ = object.__hash__


# Era: (first day, its name as typed); year 1 of an era is written 元年 too.
ERAS = {
    "令和": date(2019, 5, 1),
    "R": date(2019, 5, 1),
    "平成": date(1989, 1, 8),
    "H": date(1989, 1, 8),
    "昭和": date(1926, 12, 25),
    "S": date(1926, 12, 25),
}
ERA_ENDS = {  # the last day of each era that has ended
    date(1989, 1, 8): date(2019, 4, 30),
    date(1926, 12, 25): date(1989, 1, 7),
}
WEEKDAYS_JA = "月火水木金土日"
WEEKDAYS_EN = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_PATTERN = re.compile(
    r"""
    (?:
        (?P<y>\d{4}) \s*(?:[-/.]|年)\s* (?P<m>\d{1,2}) \s*(?:[-/.]|月)\s* (?P<d>\d{1,2}) \s*日?
      | (?P<era>令和|平成|昭和|[RHS]) \s* (?P<ey>\d{1,2}|元) \s*(?:[-/.]|年)\s*
            (?P<em>\d{1,2}) \s*(?:[-/.]|月)\s* (?P<ed>\d{1,2}) \s*日?
      | (?P<a>\d{1,2}) \s*[-/.]\s* (?P<b>\d{1,2}) \s*[-/.]\s* (?P<c>\d{4})
    )
    (?: \s* \( \s* (?P<weekday>[月火水木金土日](?:曜日?)? | [A-Za-z]{3,9}\.? ) \s* \) )?
    (?:
        (?: \s*T\s* | \s+ | (?<=[日)]) \s* )
        (?P<ampm1>午前|午後|AM|PM)? \s*
        (?P<H>\d{1,2}) \s*
        (?: 時 \s* (?: (?P<M1>\d{1,2}) \s* 分 )?
          | : (?P<M2>\d{2}) (?: : (?P<S>\d{2}) (?: [.,] (?P<frac>\d{1,9}) )? )?
        )
        \s* (?P<ampm2>AM|PM|午前|午後)?
    )?
    \s* (?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?
    """,
    re.VERBOSE | re.IGNORECASE,
)


def looks_like_datetime(text: str) -> bool:
    """Has `text` (folded) the shape of a date-time `read_datetime_text` reads? A cheap
    test, without the checks (a real day, the era, the weekday) and without raising."""
    return _PATTERN.fullmatch(text) is not None


def read_datetime_text(text: str, order: DateOrder = DateOrder.YMD) -> datetime:
    """The date-time `text` names: naive (a wall-clock time) unless it names an offset.
    `text` is folded already (NFKC, trimmed). ValueError: what to type instead."""
    match = _PATTERN.fullmatch(text)
    if not match:
        raise ValueError(Text("date.not_date", example=EXAMPLE))
    parts = match.groupdict()
    day = _day(parts, order)
    if parts["weekday"]:
        _check_weekday(parts["weekday"], day)
    hour, minute = _clock(parts)
    second = int(parts["S"] or 0)
    micro = int((parts["frac"] or "0")[:6].ljust(6, "0"))
    try:
        moment = datetime(day.year, day.month, day.day, hour, minute, second, micro)
    except ValueError:
        raise ValueError(Text("date.not_real", example=EXAMPLE)) from None
    if parts["tz"]:
        return moment.replace(tzinfo=_offset(parts["tz"]))
    return moment


def _day(parts: dict[str, str | None], order: DateOrder) -> date:
    if parts["y"]:
        year, month, day = int(parts["y"]), int(parts["m"] or 0), int(parts["d"] or 0)
    elif parts["era"]:
        start = ERAS[_era_key(parts["era"])]
        number = 1 if parts["ey"] == "元" else int(parts["ey"] or 0)
        year, month, day = start.year + number - 1, int(parts["em"] or 0), int(parts["ed"] or 0)
    else:
        first, second, year = int(parts["a"] or 0), int(parts["b"] or 0), int(parts["c"] or 0)
        if order is DateOrder.YMD:
            raise ValueError(Text("date.ambiguous", example=EXAMPLE))
        month, day = (second, first) if order is DateOrder.DMY else (first, second)
    try:
        found = date(year, month, day)
    except ValueError:
        raise ValueError(Text("date.not_real", example=EXAMPLE)) from None
    if parts["era"]:
        _check_era(parts["era"], found)
    return found


def _era_key(typed: str) -> str:
    return typed if typed in ERAS else typed.upper()


def _check_era(typed: str, found: date) -> None:
    start = ERAS[_era_key(typed)]
    end = ERA_ENDS.get(start)
    if found < start or (end is not None and found > end):
        raise ValueError(Text("date.wrong_era", era=typed, example=EXAMPLE))


def _check_weekday(typed: str, day: date) -> None:
    word = typed.rstrip(".").lower()
    if word[0] in WEEKDAYS_JA:
        named = WEEKDAYS_JA.index(word[0])
    elif word[:3] in WEEKDAYS_EN:
        named = WEEKDAYS_EN.index(word[:3])
    else:
        raise ValueError(Text("date.bad_weekday", typed=repr(typed), example=EXAMPLE))
    if named != day.weekday():
        raise ValueError(
            Text(
                "date.wrong_weekday",
                typed=typed,
                day=f"{day:%Y-%m-%d}",
                weekday=Text(f"weekday.{day.weekday()}"),
                example=EXAMPLE,
            )
        )


def _clock(parts: dict[str, str | None]) -> tuple[int, int]:
    if parts["H"] is None:
        return 0, 0
    hour = int(parts["H"])
    minute = int(parts["M1"] or parts["M2"] or 0)
    marks = [m for m in (parts["ampm1"], parts["ampm2"]) if m]
    if len(marks) > 1:
        raise ValueError(Text("date.ampm_twice", example=EXAMPLE))
    if marks:
        if not 0 <= hour <= 12:
            raise ValueError(Text("date.ampm_hour", hour=hour, mark=marks[0], example=EXAMPLE))
        afternoon = marks[0].upper() in ("PM", "午後")
        # 12 AM / 午前12時 is midnight, 12 PM / 午後0時 is noon, as Excel reads them.
        hour = hour % 12 + (12 if afternoon else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(Text("date.not_real", example=EXAMPLE))
    return hour, minute


def _offset(text: str) -> tzinfo:
    if text.upper() == "Z":
        return UTC
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    sign = -1 if text[0] == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
