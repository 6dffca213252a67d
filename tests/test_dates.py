"""Dates typed as text the ways people type them, Japanese Excel's forms included."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventsync.dates import DateOrder, read_datetime_text
from eventsync.values import parse_boolean, parse_datetime

TOKYO = ZoneInfo("Asia/Tokyo")
APRIL_6 = datetime(2026, 4, 6, 10, 0)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("令和8年4月6日 10:00", APRIL_6),
        ("R8.4.6 10:00", APRIL_6),
        ("R8/4/6 10:00", APRIL_6),
        ("r8/4/6", datetime(2026, 4, 6)),
        ("令和元年5月1日", datetime(2019, 5, 1)),
        ("平成31年4月30日 9:30", datetime(2019, 4, 30, 9, 30)),
        ("H31.4.30", datetime(2019, 4, 30)),
        ("昭和64年1月7日", datetime(1989, 1, 7)),
        ("2026年4月6日(月) 10時", APRIL_6),
        ("2026年4月6日（月曜日）10時30分", datetime(2026, 4, 6, 10, 30)),
        ("2026年4月6日 午前9:00", datetime(2026, 4, 6, 9, 0)),
        ("2026/4/6 午後3:30", datetime(2026, 4, 6, 15, 30)),
        ("2026/4/6 午後0:15", datetime(2026, 4, 6, 12, 15)),
        ("2026/4/6 午前12:00", datetime(2026, 4, 6, 0, 0)),
        ("2026-04-06 3:30 PM", datetime(2026, 4, 6, 15, 30)),
        ("２０２６／０４／０６　１０：００", APRIL_6),  # full-width, as typed on a Japanese IME
        ("2026-04-06 (Mon) 10:00", APRIL_6),
    ],
)
def test_japanese_excel_dates_read_as_the_user_meant(typed, meant):
    assert parse_datetime(typed, TOKYO) == meant.replace(tzinfo=TOKYO)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("令和1年4月30日", "is not a date of the 令和 era"),  # 平成 still, that day
        ("平成32年1月1日", "is not a date of the 平成 era"),
        ("2026年4月6日(火) 10:00", "is a Monday"),
        ("2026/4/6 午後13:00", "use 0-12 with it"),
        ("2026/4/6 25:00", "is not a real date or time"),
        ("06/04/2026 10:00", "set EVENTSYNC_DATE_ORDER=DMY (or MDY)"),
        ("06.04.2026", "set EVENTSYNC_DATE_ORDER=DMY (or MDY)"),
    ],
)
def test_what_cannot_be_read_for_sure_is_an_error_that_says_what_to_do(typed, says):
    with pytest.raises(ValueError, match=r"\(|\w") as raised:
        parse_datetime(typed, TOKYO)
    assert says in str(raised.value)
    assert str(raised.value).startswith(f'"{typed}" ')


def test_day_first_and_month_first_dates_need_the_setting_and_then_read_its_way():
    assert parse_datetime("06.04.2026 10:00", TOKYO, DateOrder.DMY) == APRIL_6.replace(tzinfo=TOKYO)
    assert parse_datetime("04/06/2026 10:00", TOKYO, DateOrder.MDY) == APRIL_6.replace(tzinfo=TOKYO)
    with pytest.raises(ValueError, match="is not a real date"):
        parse_datetime("31/04/2026", TOKYO, DateOrder.DMY)


def test_an_offset_in_the_text_wins_over_the_users_zone():
    moment = read_datetime_text("2026-04-06T01:00:00.250Z")
    assert moment == datetime(2026, 4, 6, 1, 0, 0, 250_000, tzinfo=UTC)


REIWA = date(2019, 5, 1)


@given(st.dates(min_value=REIWA, max_value=date(2099, 12, 31)), st.integers(0, 23))
def test_every_reiwa_date_reads_back_in_each_of_its_spellings(day, hour):
    year = day.year - REIWA.year + 1
    era_year = "元" if year == 1 else str(year)
    meant = datetime(day.year, day.month, day.day, hour)
    clock = f"{'午前' if hour < 12 else '午後'}{hour % 12}:00"
    for typed in (
        f"令和{era_year}年{day.month}月{day.day}日 {hour}:00",
        f"R{year}.{day.month}.{day.day} {hour}:00",
        f"R{year}/{day.month}/{day.day} {clock}",
        f"{day.year}年{day.month}月{day.day}日({'月火水木金土日'[day.weekday()]}) {hour}時",
    ):
        assert read_datetime_text(typed) == meant, typed


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)))
def test_an_iso_date_time_reads_back_to_the_minute(moment):
    moment = moment.replace(second=0, microsecond=0)
    assert read_datetime_text(f"{moment:%Y-%m-%d %H:%M}") == moment
    assert read_datetime_text(f"{moment:%Y-%m-%d}") == moment - timedelta(
        hours=moment.hour, minutes=moment.minute
    )


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("WAHR", True),
        ("FALSCH", False),
        ("VRAI", True),
        ("FAUX", False),
        ("VERDADERO", True),
        ("FALSO", False),
        ("VERO", True),
        ("WAAR", True),
        ("ONWAAR", False),
        ("はい", True),
        ("いいえ", False),
        ("ＴＲＵＥ", True),
    ],
)
def test_excels_localised_booleans_read_as_text(typed, meant):
    assert parse_boolean(typed) is meant


def test_a_word_that_is_no_boolean_is_an_error():
    with pytest.raises(ValueError, match="use TRUE or FALSE"):
        parse_boolean("maybe")


def test_a_european_csv_syncs_with_the_date_order_set_and_is_refused_without_it(workspace):
    workspace.csv_sheet(
        "events.csv",
        [["objectId", "eventName", "startDateTime"], ["5823713201", "A", "07.05.2026 10:00"]],
        delimiter=";",
    )
    refused = workspace.run("sync")
    assert refused.code == 1
    assert "set EVENTSYNC_DATE_ORDER=DMY (or MDY)" in refused.out
    assert workspace.sandbox.batch_update_requests() == []

    done = workspace.run("sync", EVENTSYNC_DATE_ORDER="DMY")
    assert done.code == 0, done.out
    [sent] = [i for r in workspace.sandbox.batch_update_requests() for i in r.body["inputs"]]
    assert sent["startDateTime"] == "2026-05-07T01:00:00Z"  # 7 May, 10:00 in Tokyo


def test_a_date_order_that_is_no_order_is_a_setting_to_fix(workspace):
    workspace.csv_sheet("events.csv", [["objectId", "eventName"], ["5823713201", "A"]])
    result = workspace.run("plan", EVENTSYNC_DATE_ORDER="DDMMYY")
    assert result.code == 2
    assert "EVENTSYNC_DATE_ORDER is 'DDMMYY'; use YMD" in result.err
