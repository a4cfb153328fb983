"""Japan's time zone and the clock the wiring hands down.

Dates a resident or clerk reads (ticket day, slip date, retention) are days in Japan whatever
zone the machine is set to; stored times are UTC.
"""

from __future__ import annotations

import datetime as dt

JST = dt.timezone(dt.timedelta(hours=9), "JST")


def utc_now() -> dt.datetime:
    """The default clock: now, aware, in UTC (tests pass their own)."""
    return dt.datetime.now(dt.UTC)


def japan_date(moment: dt.datetime) -> dt.date:
    """The day in Japan at an aware moment."""
    return moment.astimezone(JST).date()
