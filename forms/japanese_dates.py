"""Japanese era (和暦) dates: shown on screens and forms, accepted as typed input.

The era table is law-given and short, so it is kept here rather than pulled from a
library: 明治 from 1868-10-23 (its first day as an era date; earlier dates are written in
the Western calendar), then each accession day.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Era:
    name: str
    letter: str
    start: dt.date
    en: str


ERAS = (
    Era("令和", "R", dt.date(2019, 5, 1), "Reiwa"),
    Era("平成", "H", dt.date(1989, 1, 8), "Heisei"),
    Era("昭和", "S", dt.date(1926, 12, 25), "Showa"),
    Era("大正", "T", dt.date(1912, 7, 30), "Taisho"),
    Era("明治", "M", dt.date(1868, 10, 23), "Meiji"),
)


def era_of(day: dt.date) -> tuple[Era, int] | None:
    """The era and its year for `day`; None before 明治."""
    for era in ERAS:
        if day >= era.start:
            return era, day.year - era.start.year + 1
    return None


def format_era(day: dt.date) -> str:
    """令和7年4月1日, with 元年 for the first year, as official forms write it."""
    found = era_of(day)
    if found is None:
        return f"{day.year}年{day.month}月{day.day}日"
    era, year = found
    return f"{era.name}{'元' if year == 1 else year}年{day.month}月{day.day}日"


def format_western(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


_ERA_INPUT = re.compile(
    r"^(?P<era>令和|平成|昭和|大正|明治|[RHSTMrhstm])\s*(?P<year>元|\d{1,2})\s*[年./-]\s*"
    r"(?P<month>\d{1,2})\s*[月./-]\s*(?P<day>\d{1,2})\s*日?$"
)
_WESTERN_INPUT = re.compile(
    r"^(?P<year>\d{4})\s*[年./-]\s*(?P<month>\d{1,2})\s*[月./-]\s*(?P<day>\d{1,2})\s*日?$"
)


def parse_date(text: str) -> dt.date:
    """Read 2025-04-01, 2025年4月1日, 令和7年4月1日, R7.4.1, 平成元年1月8日 (full-width digits too).

    Raises ValueError on anything else, including a date the era did not have (平成32年 is
    accepted only because such dates are written in real documents: it is 2020).
    """
    text = unicodedata.normalize("NFKC", text).strip()
    m = _WESTERN_INPUT.match(text)
    if m:
        return dt.date(int(m["year"]), int(m["month"]), int(m["day"]))
    m = _ERA_INPUT.match(text)
    if not m:
        raise ValueError(f"not a date: {text!r}")
    key = m["era"].upper() if len(m["era"]) == 1 else m["era"]
    era = next(e for e in ERAS if key in (e.name, e.letter))
    year = 1 if m["year"] == "元" else int(m["year"])
    if year < 1:
        raise ValueError(f"not a date: {text!r}")
    day = dt.date(era.start.year + year - 1, int(m["month"]), int(m["day"]))
    if day < era.start:
        raise ValueError(f"{text} is before {era.name} began ({format_western(era.start)})")
    return day
