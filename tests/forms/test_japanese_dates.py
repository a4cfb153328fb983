"""和暦: the era boundaries, formatting with 元年, and reading what residents type."""

from __future__ import annotations

import datetime as dt

import pytest

from forms.japanese_dates import era_of, format_era, format_western, parse_date

D = dt.date


@pytest.mark.parametrize(("day", "text"), [
    (D(1989, 1, 7), "昭和64年1月7日"),  # the last day of 昭和
    (D(1989, 1, 8), "平成元年1月8日"),  # the first day of 平成
    (D(1989, 12, 31), "平成元年12月31日"),
    (D(1990, 1, 1), "平成2年1月1日"),
    (D(2019, 4, 30), "平成31年4月30日"),  # the last day of 平成
    (D(2019, 5, 1), "令和元年5月1日"),  # the first day of 令和
    (D(2025, 4, 1), "令和7年4月1日"),
    (D(1926, 12, 24), "大正15年12月24日"),
    (D(1926, 12, 25), "昭和元年12月25日"),
    (D(1912, 7, 30), "大正元年7月30日"),
    (D(1868, 10, 23), "明治元年10月23日"),
])
def test_format_era(day: dt.date, text: str) -> None:
    assert format_era(day) == text


def test_before_meiji_is_written_in_the_western_calendar() -> None:
    assert era_of(D(1868, 10, 22)) is None
    assert format_era(D(1868, 10, 22)) == "1868年10月22日"


def test_era_of_gives_the_era_and_its_year() -> None:
    found = era_of(D(2019, 5, 1))
    assert found is not None
    era, year = found
    assert (era.name, era.letter, era.en, year) == ("令和", "R", "Reiwa", 1)


def test_format_western() -> None:
    assert format_western(D(2025, 4, 1)) == "2025年4月1日"


@pytest.mark.parametrize(("text", "day"), [
    ("令和7年4月1日", D(2025, 4, 1)),
    ("令和元年5月1日", D(2019, 5, 1)),
    ("平成元年1月8日", D(1989, 1, 8)),
    ("昭和64年1月7日", D(1989, 1, 7)),
    ("平成31年4月30日", D(2019, 4, 30)),
    ("R7.4.1", D(2025, 4, 1)),
    ("r7.4.1", D(2025, 4, 1)),
    ("H1.1.8", D(1989, 1, 8)),
    ("S64/1/7", D(1989, 1, 7)),
    ("R7-04-01", D(2025, 4, 1)),
    ("令和 7 年 4 月 1 日", D(2025, 4, 1)),
    ("令和７年４月１日", D(2025, 4, 1)),  # full-width digits
    ("Ｒ７．４．１", D(2025, 4, 1)),  # full-width letter and dots
    ("2025-04-01", D(2025, 4, 1)),
    ("2025/4/1", D(2025, 4, 1)),
    ("2025年4月1日", D(2025, 4, 1)),
    ("２０２５年４月１日", D(2025, 4, 1)),
    ("  2025-04-01  ", D(2025, 4, 1)),
])
def test_parse_date(text: str, day: dt.date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize("text", [
    "",
    "昨日",
    "令和",
    "令和7年",
    "令和7年4月",
    "令和0年4月1日",
    "令和7年2月30日",  # no such day
    "令和7年13月1日",
    "平成元年1月7日",  # 平成 began on 1月8日
    "令和元年4月30日",  # 令和 began on 5月1日
    "X7.4.1",  # no such era letter
    "2025-13-01",
    "2025-02-29",  # not a leap year
    "20250401",
    "4/1/2025",
    "令和7年4月1日です",
])
def test_bad_input_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):  # any ValueError: the caller turns it into not_date
        parse_date(text)


def test_a_year_past_the_era_end_is_read_as_written_in_real_documents() -> None:
    # 平成32年 is still printed on forms made before 令和 was announced: it is 2020.
    assert parse_date("平成32年4月1日") == D(2020, 4, 1)
