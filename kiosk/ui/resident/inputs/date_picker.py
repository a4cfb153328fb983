"""Dates by touch: era (or Western), year, month, day, each one tap in a list.

A birth date in 昭和 takes four taps (昭和, 50, 1月, 2日) instead of dozens of +/- presses.
The answer goes to the session as the resident chose it (「昭和50年1月2日」 or 1975-01-02)
and forms.japanese_dates checks it, so an era date that never existed is refused there.

Only what the field's min / max allow is offered (a move date a year back at most never
shows 昭和, nor a year after this one), and 「今日」 answers in one tap when today is allowed:
most dates asked at a counter are today or a few days back.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any

from babel.core import UnknownLocaleError
from babel.dates import format_date, get_month_names
from kivy.properties import NumericProperty

from forms.japanese_dates import ERAS, Era, era_of, format_era
from kiosk.ui.i18n import N_
from kiosk.ui.resident.inputs.base import FieldInput, Submit
from kiosk.ui.resident.kit import UiKit

_COLUMNS = {"era": 3, "decade": 5, "year": 11, "month": 6, "day": 8}

WESTERN = "western"
STEPS = ("era", "year", "month", "day")
_FIRST_WESTERN_YEAR = 1900
PROMPTS = {"era": N_("Choose the era (or the Western calendar)"),
           "decade": N_("Choose the decade"), "year": N_("Choose the year"),
           "month": N_("Choose the month"), "day": N_("Choose the day")}


@dataclass
class Picked:
    era: Era | None = None  # None with western=True: the Western calendar
    western: bool = False
    year: int | None = None  # the era's year (1 = 元年), or the Western year
    decade: int | None = None  # Western only: the decade chosen before the year
    month: int | None = None
    day: int | None = None

    @property
    def western_year(self) -> int | None:
        if self.year is None:
            return None
        return self.year if self.western or self.era is None else self.era.start.year + self.year - 1


Bounds = tuple[dt.date | None, dt.date | None]


@dataclass(frozen=True)
class Span:
    """The days the picker offers: from the field's min (none: as far back as the eras and
    1900 go) to its max (none: the end of this year, as the picker always stopped there)."""

    low: dt.date | None
    high: dt.date

    @classmethod
    def of(cls, bounds: Bounds, today: dt.date) -> Span:
        low, high = bounds
        return cls(low, high or dt.date(today.year, 12, 31))

    def meets(self, first: dt.date, last: dt.date) -> bool:
        """Whether any day from first to last may be answered."""
        return first <= self.high and (self.low is None or last >= self.low)

    def years(self, first: int, last: int) -> range:
        """The years from first to last that hold a day of the span."""
        low = first if self.low is None else max(first, self.low.year)
        return range(low, min(last, self.high.year) + 1)


def _era_end(era: Era) -> dt.date:
    """The last day of an era (the current one has none yet)."""
    newer = [e.start for e in ERAS if e.start > era.start]
    return min(newer) - dt.timedelta(days=1) if newer else dt.date.max


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


class DateInput(FieldInput):
    key_height = NumericProperty(66)

    def __init__(self, *, ui: UiKit, submit: Submit, initial: Any, today: dt.date,
                 bounds: Bounds = (None, None), **kwargs: Any) -> None:
        super().__init__(ui=ui, submit=submit, **kwargs)
        self.wanted_cols = _COLUMNS["era"]
        self.ids.options.bind(width=self._fit_columns)
        self.today = today
        self.span = Span.of(bounds, today)
        self.picked = Picked()
        self.step = "era"
        if isinstance(initial, str):
            with contextlib.suppress(ValueError):  # not a date yet: start from the era
                self._start_from(dt.date.fromisoformat(initial))
        self._show()

    def _start_from(self, day: dt.date) -> None:
        found = era_of(day)
        if found is None:
            self.picked = Picked(None, True, day.year, day.year // 10 * 10, day.month, day.day)
        else:
            self.picked = Picked(found[0], False, found[1], None, day.month, day.day)
        self.step = "day"

    # ---------------------------------------------------------------- choosing
    def choose(self, step: str, value: Any) -> None:
        p = self.picked
        if step == "era":
            self.picked = Picked(None if value == WESTERN else value, value == WESTERN)
            self.step = "year"
        elif step == "decade":
            p.decade, p.year = value, None
            self.step = "year"
        elif step == "year":
            p.year, p.day = value, None
            if p.month not in (m for m, _label in self._options("month")):
                p.month = None  # not in the bounds that year
            self.step = "month"
        elif step == "month":
            p.month, p.day = value, None
            self.step = "day"
        else:
            p.day = value
        self._show()

    def choose_today(self) -> None:
        """Today's date, answered at once (an ISO date, as a Western answer is)."""
        self._start_from(self.today)
        self._show()
        self.submit(self.today.isoformat())

    def go_to(self, step: str) -> None:
        if step == "year" and self.picked.western:
            step = "decade"
        self.step = step
        self._show()

    # ---------------------------------------------------------------- drawing
    def _show(self) -> None:
        step = self.step
        if step == "year" and self.picked.western and self.picked.decade is None:
            step = self.step = "decade"
        self._draw_segments()
        self._draw_today(step)
        self.ui.set_text(self.ids.step_label, self.ui.tr(PROMPTS[step]))
        options = self.ids.options
        options.clear_widgets()
        self.wanted_cols = _COLUMNS[step]
        for value, label in self._options(step):
            key = self.ui.key(label, kid=f"date:{step}:{_kid(value)}", role="key",
                              on_release=partial(self.choose, step, value))
            key.selected = self._is_current(step, value)
            options.add_widget(key)
        self.ui.style(self)

    def _draw_today(self, step: str) -> None:
        """「今日」 on the first step, when the field allows today."""
        row = self.ids.today_row
        row.clear_widgets()
        if step != "era" or not self.span.meets(self.today, self.today):
            return
        row.add_widget(self.ui.button(self.ui.tr("Today ({date})", date=self._today_text()),
                                      kid="date:today", role="choice",
                                      on_release=self.choose_today))

    def _today_text(self) -> str:
        if self.ui.lang == "ja":
            return format_era(self.today)
        try:
            return str(format_date(self.today, "long", locale=self.ui.lang))
        except (ValueError, UnknownLocaleError):  # a language babel lacks: the ISO date
            return self.today.isoformat()

    def themed(self, ui: UiKit) -> None:
        """Keys 15 mm high at least (and as tall as the text needs), as many columns as keep
        each key that wide; the rest of a long list (the 64 years of 昭和) scrolls."""
        self.key_height = ui.theme.key_height("key")
        self.ids.segments.height = max(84, self.key_height)
        self._fit_columns()

    def _fit_columns(self, *_: Any) -> None:
        options = self.ids.options
        widest = max((self.ui.text_width(key.plain, "key") for key in options.children),
                     default=0.0)
        key_width = max(self.ui.theme.min_target_px, widest + 24)
        room = max(1, int((options.width + options.spacing[0]) / (key_width + options.spacing[0])))
        options.cols = max(1, min(self.wanted_cols, room))

    def _is_current(self, step: str, value: Any) -> bool:
        p = self.picked
        current = {"era": WESTERN if p.western else p.era, "decade": p.decade, "year": p.year,
                   "month": p.month, "day": p.day}[step]
        return bool(current == value)

    def _options(self, step: str) -> list[tuple[Any, str]]:
        p, ja, span = self.picked, self.ui.lang == "ja", self.span
        if step == "era":
            eras: list[tuple[Any, str]] = [(e, e.name if ja else e.en) for e in ERAS
                                           if span.meets(e.start, _era_end(e))]
            return [*eras, (WESTERN, self.ui.tr("Western calendar"))]
        if step == "decade":
            first = (span.low.year if span.low else _FIRST_WESTERN_YEAR) // 10 * 10
            return [(d, f"{d}〜" if ja else f"{d}s")
                    for d in range(span.high.year // 10 * 10, first - 1, -10)]
        if step == "year":
            return self._years(ja)
        year = p.western_year or self.today.year
        if step == "month":
            names = get_month_names("abbreviated", locale=self.ui.lang if not ja else "en")
            return [(m, f"{m}月" if ja else str(names[m])) for m in range(1, 13)
                    if span.meets(dt.date(year, m, 1), _month_end(year, m))]
        last = _month_end(year, p.month or 1)
        return [(d, str(d)) for d in range(1, last.day + 1)
                if span.meets(last.replace(day=d), last.replace(day=d))]

    def _years(self, ja: bool) -> list[tuple[Any, str]]:
        p = self.picked
        if p.western:
            first = p.decade or self.span.high.year // 10 * 10
            return [(y, str(y)) for y in self.span.years(first, first + 9)]
        if p.era is None:
            return []
        start = p.era.start.year
        # Up to the year the next era began (平成31年 is offered: it is 令和元年 too).
        end = min(_era_end(p.era).year, self.span.high.year)
        return [(y - start + 1, "元" if y == start and ja else str(y - start + 1))
                for y in self.span.years(start, end)]

    def _draw_segments(self) -> None:
        p, ja, tr = self.picked, self.ui.lang == "ja", self.ui.tr
        era = tr("Western") if p.western else (p.era.name if ja else p.era.en) if p.era else "—"
        if p.year is None:
            year = "—"
        elif p.western:
            year = f"{p.year}年" if ja else str(p.year)
        else:
            year = (f"{'元' if p.year == 1 else p.year}年" if ja
                    else f"{p.year} ({p.western_year})")
        month = "—" if p.month is None else (f"{p.month}月" if ja else tr("month {n}", n=p.month))
        day = "—" if p.day is None else (f"{p.day}日" if ja else tr("day {n}", n=p.day))
        box = self.ids.segments
        box.clear_widgets()
        for step, label in zip(STEPS, (era, year, month, day), strict=True):
            key = self.ui.key(label, kid=f"date:show:{step}", role="choice",
                              on_release=partial(self.go_to, step))
            key.selected = self.step == step or (step == "year" and self.step == "decade")
            box.add_widget(key)

    def ready(self) -> bool:
        p = self.picked
        return None not in (p.year, p.month, p.day) and (p.western or p.era is not None)

    def value(self) -> Any:
        p = self.picked
        if not self.ready():
            return None
        if p.western or p.era is None:
            return f"{p.year:04d}-{p.month:02d}-{p.day:02d}"
        return f"{p.era.name}{p.year}年{p.month}月{p.day}日"

    def clear(self) -> None:
        self.picked = Picked()
        for box in ("segments", "today_row", "options"):
            self.ids[box].clear_widgets()


def _kid(value: Any) -> str:
    return value.letter if isinstance(value, Era) else str(value)
