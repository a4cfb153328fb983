"""Days a resident reads are days in Japan, whatever zone the machine is set to."""

from __future__ import annotations

import datetime as dt

from common.clock import JST, japan_date, utc_now


def test_japan_is_nine_hours_ahead_of_utc() -> None:
    assert JST.utcoffset(None) == dt.timedelta(hours=9)


def test_the_day_turns_at_midnight_in_japan_not_utc() -> None:
    assert japan_date(dt.datetime(2026, 12, 5, 14, 59, tzinfo=dt.UTC)) == dt.date(2026, 12, 5)
    assert japan_date(dt.datetime(2026, 12, 5, 15, 0, tzinfo=dt.UTC)) == dt.date(2026, 12, 6)


def test_the_clock_is_aware_and_in_utc() -> None:
    now = utc_now()
    assert now.tzinfo is not None and now.utcoffset() == dt.timedelta(0)
