"""Value parsing: what users type in cells -> what HubSpot receives."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventsync.values import (
    format_text,
    format_utc,
    parse_boolean,
    parse_datetime,
    parse_object_id,
    parse_utc,
)

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("cell", "sent"),
    [
        (123, "123"),
        (123.0, "123"),
        ("58237132332", "58237132332"),
        (" 42 ", "42"),
        ("１２３", "123"),
    ],
)
def test_object_id_is_sent_as_its_integer_string(cell, sent):
    assert parse_object_id(cell) == sent


@pytest.mark.parametrize("cell", [0, -5, 1.5, "abc", "12a", "1e5", True, "0"])
def test_object_id_that_is_not_a_positive_whole_number_is_refused(cell):
    with pytest.raises(ValueError, match="HubSpot's numeric id|positive"):
        parse_object_id(cell)


@given(st.integers(min_value=1, max_value=10**15))
def test_object_id_round_trips_from_number_and_text(number):
    assert parse_object_id(number) == parse_object_id(float(number) if number < 2**53 else number)
    assert parse_object_id(str(number)) == str(number)


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        (True, True),
        (False, False),
        ("TRUE", True),
        ("false", False),
        ("Yes", True),
        ("no", False),
        ("1", True),
        (0, False),
        (1.0, True),
        ("はい", True),
        ("いいえ", False),
        (" TRUE ", True),
    ],
)
def test_yes_no_values(cell, value):
    assert parse_boolean(cell) is value


@pytest.mark.parametrize("cell", ["maybe", "2", 2, "tru"])
def test_other_yes_no_values_are_refused_with_a_hint(cell):
    with pytest.raises(ValueError, match="TRUE or FALSE"):
        parse_boolean(cell)


@pytest.mark.parametrize(
    ("cell", "utc"),
    [
        ("2025-03-01T09:00:00+09:00", "2025-03-01T00:00:00Z"),
        ("2025-03-01 09:00", "2025-03-01T00:00:00Z"),
        ("2025/03/01 9:00", "2025-03-01T00:00:00Z"),
        ("2025/3/1 9:00", "2025-03-01T00:00:00Z"),
        ("２０２５／０３／０１　９：００", "2025-03-01T00:00:00Z"),
        ("2025年3月1日 9時00分", "2025-03-01T00:00:00Z"),
        ("2025-03-01T09:00:00Z", "2025-03-01T09:00:00Z"),
        ("2025-03-01T09:00:00.250Z", "2025-03-01T09:00:00.250Z"),
        (datetime(2025, 3, 1, 9, 0), "2025-03-01T00:00:00Z"),
        (datetime(2025, 3, 1, 9, 0, tzinfo=UTC), "2025-03-01T09:00:00Z"),
        (date(2025, 3, 1), "2025-02-28T15:00:00Z"),
    ],
)
def test_date_times_are_sent_as_utc(cell, utc):
    assert format_utc(parse_datetime(cell, TOKYO)) == utc


@pytest.mark.parametrize("cell", ["2024/13/01", "tomorrow", "2025-02-30 10:00", 45000.5, "25:00"])
def test_unreadable_date_times_are_refused_with_an_example(cell):
    with pytest.raises(ValueError, match="2025-03-01 09:00"):
        parse_datetime(cell, TOKYO)


@given(
    st.datetimes(
        min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
    )
)
def test_utc_text_round_trips(moment):
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    text = format_utc(moment)
    assert text.endswith("Z")
    assert parse_utc(text) == moment
    assert format_utc(parse_datetime(text, TOKYO)) == text


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1)))
def test_typed_local_text_and_excel_date_time_mean_the_same_instant(moment):
    moment = moment.replace(second=0, microsecond=0)
    typed = moment.strftime("%Y/%m/%d %H:%M")
    assert parse_datetime(typed, TOKYO) == parse_datetime(moment, TOKYO)


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        (2025.0, "2025"),
        (1.5, "1.5"),
        ("  padded  ", "padded"),
        (True, "TRUE"),
        (date(2025, 1, 2), "2025-01-02"),
    ],
)
def test_text_is_what_the_cell_shows(cell, text):
    assert format_text(cell) == text
