"""Custom property values: what users type in a custom column -> what HubSpot receives,
by the property's type as the portal defines it (plan/properties.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventsync.dates import DateOrder
from eventsync.plan.custom_rows import same_without_definition, type_sensitive
from eventsync.plan.properties import (
    PropertyDefinition,
    PropertyOption,
    convert_value,
)
from eventsync.values import format_text

TOKYO = ZoneInfo("Asia/Tokyo")
DATETIME = PropertyDefinition("starts_at", "datetime", "date")
DATE = PropertyDefinition("day", "date", "date")
BOOL = PropertyDefinition("vip", "bool", "booleancheckbox")
NUMBER = PropertyDefinition("seats", "number", "number")
TEXT = PropertyDefinition("note", "string", "text")
OPTIONS = (
    PropertyOption("Tokyo Office", "tokyo_office"),
    PropertyOption("Osaka", "osaka"),
    PropertyOption("東京本社", "hq"),
)
SELECT = PropertyDefinition("venue", "enumeration", "select", options=OPTIONS)
CHECKBOXES = PropertyDefinition("venues", "enumeration", "checkbox", options=OPTIONS)
YES_NO = PropertyDefinition(
    "ok",
    "enumeration",
    "booleancheckbox",
    options=(PropertyOption("Yes", "true"), PropertyOption("No", "false")),
)


def convert(definition, cell, order=DateOrder.YMD):
    return convert_value(definition, cell, TOKYO, order)


@pytest.mark.parametrize(
    ("definition", "cell", "sent"),
    [
        # datetime: the wall clock in EVENTSYNC_TIMEZONE, sent as UTC with Z
        (DATETIME, "2026/4/6 10:00", "2026-04-06T01:00:00Z"),
        (DATETIME, datetime(2026, 4, 6, 10, 0), "2026-04-06T01:00:00Z"),
        (DATETIME, "2026-04-06T10:00:00+09:00", "2026-04-06T01:00:00Z"),
        (DATETIME, "2026-04-06T01:00:00Z", "2026-04-06T01:00:00Z"),
        (DATETIME, "2026年4月6日 10:00", "2026-04-06T01:00:00Z"),
        (DATETIME, "2026-04-06", "2026-04-05T15:00:00Z"),  # the start of that day in Tokyo
        (DATETIME, "1775437200000", "2026-04-06T01:00:00Z"),  # HubSpot's epoch ms
        (DATETIME, 1775437200000, "2026-04-06T01:00:00Z"),
        # date: the calendar day typed, never moved through a time zone
        (DATE, "2026/4/6", "2026-04-06"),
        (DATE, datetime(2026, 4, 6), "2026-04-06"),
        (DATE, date(2026, 4, 6), "2026-04-06"),
        (DATE, "2026-04-06T00:00:00Z", "2026-04-06"),
        (DATE, "1775433600000", "2026-04-06"),  # midnight UTC in epoch ms
        (DATE, "令和8年4月6日", "2026-04-06"),
        # bool: the words eventCancelled takes
        (BOOL, True, "true"),
        (BOOL, False, "false"),
        (BOOL, "TRUE", "true"),
        (BOOL, "yes", "true"),
        (BOOL, "はい", "true"),
        (BOOL, "いいえ", "false"),
        (BOOL, "1", "true"),
        (BOOL, 0, "false"),
        # enumeration: the internal value, from a value or a label (case, width ignored)
        (SELECT, "osaka", "osaka"),
        (SELECT, "Osaka", "osaka"),
        (SELECT, "tokyo office", "tokyo_office"),
        (SELECT, "ＴＯＫＹＯ　ＯＦＦＩＣＥ", "tokyo_office"),
        (SELECT, "東京本社", "hq"),
        (SELECT, " hq ", "hq"),
        (YES_NO, True, "true"),
        (YES_NO, "いいえ", "false"),
        (YES_NO, "Yes", "true"),
        # several checkboxes: `;`-joined internal values, each once
        (CHECKBOXES, "Osaka; Tokyo Office", "osaka;tokyo_office"),
        (CHECKBOXES, "osaka；hq；osaka", "osaka;hq"),
        (CHECKBOXES, "hq;", "hq"),
        # number: a plain decimal
        (NUMBER, 12, "12"),
        (NUMBER, 12.0, "12"),
        (NUMBER, 12.5, "12.5"),
        (NUMBER, 1e-7, "0.0000001"),
        (NUMBER, "1,234,567", "1234567"),
        (NUMBER, "1,234.5", "1234.5"),
        (NUMBER, "１２３", "123"),
        (NUMBER, "-0.50", "-0.5"),
        (NUMBER, "+7", "7"),
        # text: as typed (trimmed), line breaks kept
        (TEXT, " Hello ", "Hello"),
        (TEXT, "two\nlines", "two\nlines"),
        (TEXT, True, "TRUE"),
        (TEXT, 12.0, "12"),
        (TEXT, "x" * 65_536, "x" * 65_536),
        (PropertyDefinition("tel", "phone_number"), "+81 3-1234-5678", "+81 3-1234-5678"),
    ],
)
def test_each_type_is_sent_as_hubspot_documents_it(definition, cell, sent):
    assert convert(definition, cell) == sent


@pytest.mark.parametrize(
    ("definition", "cell", "says"),
    [
        (DATETIME, "next week", "is not a date"),
        (DATETIME, 45000, "number"),
        (DATETIME, "06/04/2026 10:00", "could be"),  # day-first or month-first: not guessed
        (DATE, "2026-04-06 10:00", "holds a date only"),
        (DATE, datetime(2026, 4, 6, 9, 30), "holds a date only"),
        (DATE, "1775437200000", "holds a date only"),  # not midnight UTC
        (BOOL, "maybe", "is not a yes/no value"),
        (
            SELECT,
            "Nagoya",
            "type one of: Tokyo Office (tokyo_office), Osaka (osaka), 東京本社 (hq)",
        ),
        (CHECKBOXES, "osaka; Nagoya", '"Nagoya" is not an option'),
        (NUMBER, "1,234", "could mean 1234 or 1.234"),
        (NUMBER, "1.234,5", "is not a number"),
        (NUMBER, "¥1000", "is not a number"),
        (NUMBER, "12 people", "is not a number"),
        (NUMBER, True, "is not a number"),
        (NUMBER, datetime(2026, 4, 6), "is not a number"),
        (NUMBER, float("nan"), "is not a number"),
        (TEXT, "x" * 65_537, "65537 characters long"),
        (TEXT, "🎉" * 32_769, "65538 characters long"),  # two UTF-16 units each
        (PropertyDefinition("geo", "object_coordinates"), "35.6,139.7", "does not know"),
        (PropertyDefinition("empty", "enumeration", "select"), "x", "has no options"),
    ],
)
def test_what_cannot_be_converted_is_refused_saying_what_to_type(definition, cell, says):
    with pytest.raises(ValueError, match=None) as refused:
        convert(definition, cell)
    assert says in str(refused.value)


def test_an_option_named_by_one_value_and_another_label_is_refused_not_guessed():
    crossed = PropertyDefinition(
        "x",
        "enumeration",
        "select",
        options=(PropertyOption("b", "a"), PropertyOption("a", "b")),
    )
    with pytest.raises(ValueError, match="names more than one option"):
        convert(crossed, "A")
    assert convert(crossed, "a") == "a"  # the exact internal value is no guess


def test_more_than_ten_options_are_listed_with_a_count():
    many = PropertyDefinition(
        "n",
        "enumeration",
        "select",
        options=tuple(PropertyOption(f"L{i}", f"L{i}") for i in range(14)),
    )
    with pytest.raises(ValueError, match="L9, and 4 more"):
        convert(many, "nope")


@pytest.mark.slow
@given(
    st.datetimes(min_value=datetime(1980, 1, 1), max_value=datetime(2200, 1, 1)).map(
        lambda moment: moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    )
)
def test_a_date_time_cell_and_its_utc_string_and_epoch_ms_name_one_instant(moment):
    sent = convert(DATETIME, moment)
    assert convert(DATETIME, sent) == sent  # a pulled or two-way cell reads back the same
    instant = moment.replace(tzinfo=TOKYO).astimezone(UTC)
    epoch_ms = round(instant.timestamp() * 1000)
    assert convert(DATETIME, str(epoch_ms)) == sent


@given(st.dates(min_value=date(1975, 1, 1), max_value=date(2200, 1, 1)))
def test_a_date_keeps_its_calendar_day_whatever_the_form(day):
    sent = f"{day:%Y-%m-%d}"
    midnight_ms = round(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)
    for cell in (day, datetime(day.year, day.month, day.day), sent, str(midnight_ms)):
        assert convert(DATE, cell) == sent


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-(10**12), max_value=10**12
    )
)
def test_a_number_is_sent_as_the_same_plain_decimal(number):
    sent = convert(NUMBER, str(number))
    assert "e" not in sent.lower() and "," not in sent
    assert Decimal(sent) == number
    assert convert(NUMBER, sent) == sent


@given(st.lists(st.sampled_from(OPTIONS), min_size=1, max_size=6))
def test_several_checkboxes_by_label_or_value_give_each_value_once(chosen):
    typed = "; ".join(o.label if i % 2 else o.value for i, o in enumerate(chosen))
    sent = convert(CHECKBOXES, typed).split(";")
    assert sent == list(dict.fromkeys(o.value for o in chosen))


@pytest.mark.parametrize(
    ("cell", "old", "unchanged"),
    [
        (datetime(2026, 4, 6, 10, 0), "2026-04-06T01:00:00Z", True),
        ("2026/4/6 10:00", "2026-04-06T01:00:00Z", True),
        ("2026/4/6 11:00", "2026-04-06T01:00:00Z", False),
        ("はい", "true", True),
        ("いいえ", "true", False),
        ("1,234,567", "1234567", True),
        ("Osaka", "osaka", False),  # a label: only the definition knows its value
        ("osaka", "osaka", True),
        ("anything", None, False),  # never confirmed: nothing to be unchanged from
    ],
)
def test_without_definitions_a_cell_is_unchanged_only_when_it_still_means_what_was_sent(
    cell, old, unchanged
):
    text = cell if isinstance(cell, str) else "2026-04-06 10:00"
    assert same_without_definition(cell, text, old, TOKYO, DateOrder.YMD) is unchanged


@pytest.mark.parametrize(
    ("cell", "sensitive"),
    [
        ("EMEA", False),
        ("Session 5 notes", False),
        ("12", False),
        ("A long text with no digits at all", False),
        ("2026/4/6 10:00", True),
        ("令和8年4月6日", True),
        ("R8.4.6", True),
        ("TRUE", True),
        ("はい", True),
        ("1,234,567", True),
        ("12.50", True),
        ("1775437200000", True),
        (datetime(2026, 4, 6, 10, 0), True),
        (True, True),
        (12.0, False),
    ],
)
def test_text_some_type_would_send_otherwise_needs_the_definition(cell, sensitive):
    text = cell if isinstance(cell, str) else format_text(cell)
    assert type_sensitive(cell, text, TOKYO, DateOrder.YMD) is sensitive
