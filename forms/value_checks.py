"""Checks on a field's own values: min ≤ max, and a default the field could hold.

Before these, `min: 10, max: 1` loaded and left a question nobody could answer, and a
default that is not one of the choices reached the kiosk as an answer the resident could
not see chosen. A date bound counted from today (`today - 5 years`) moves with the day, so
two such bounds are compared over every day of a leap-year cycle, and a bound from today
against a fixed date is compared on today only: a warning, since it changes with the day.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from typing import Any

from forms.answer_messages import message as answer_message
from forms.errors import Code
from forms.model import Form, FormField, date_bound
from forms.normalise import Invalid, normalise
from forms.text import T, Text
from forms.yamlsource import PathKey, Source

# Every day of four years holds every month length, leap day and month end a bound meets.
_CYCLE_START = dt.date(2024, 1, 1)
_CYCLE = [_CYCLE_START + dt.timedelta(days=n) for n in range(4 * 365 + 1)]
_LIST_NAME = re.compile(r"choices:\s*([a-z][a-z0-9_]*)\s*(#.*)?$")


def check_values(form: Form, fields: Iterable[tuple[FormField, PathKey]], src: Source, *,
                 today: dt.date) -> None:
    for field, path in fields:
        if field.kind.is_date:
            _date_order(field, path, src, today)
        elif field.kind.bounds is not None:
            _number_order(field, path, src)
        if field.default is not None and field.kind.single_answer:
            _default(form, field, path, src, today)


def _shown(bound: Any) -> str:
    return bound.isoformat() if isinstance(bound, dt.date) else str(bound)


def _where_min(field: FormField, path: PathKey, src: Source) -> tuple[PathKey, Text]:
    """The `max:` line carries the problem (the `min:` one when there is no max); the hint
    names the other line, so both ends of the contradiction are found."""
    at = (*path, "max") if field.max is not None else (*path, "min")
    other = (*path, "min") if at[-1] == "max" else (*path, "max")
    line = src.lines.get(other)
    hint = (T(f"min を max 以下にしてください（{'min' if at[-1] == 'max' else 'max'} は "
              f"{line} 行目）。", f"Make min no greater than max "
              f"({'min' if at[-1] == 'max' else 'max'} is on line {line})."
              ) if line else T("min を max 以下にしてください。", "Make min no greater than max."))
    return at, hint


def _number_order(field: FormField, path: PathKey, src: Source) -> None:
    default_low, default_high = field.kind.default_bounds or (None, None)
    low = field.min if isinstance(field.min, int) else default_low
    high = field.max if isinstance(field.max, int) else default_high
    if low is None or high is None or low <= high:
        return
    at, hint = _where_min(field, path, src)
    implied_ja = "（書かなければ " + (f"min は {low}" if field.min is None else f"max は {high}") + "）"
    implied_en = (f" ({'min' if field.min is None else 'max'} is "
                  f"{low if field.min is None else high} when not written)")
    implied = field.min is None or field.max is None
    what = T("件数", "number of items") if field.kind.bounds == "items" else T("数", "number")
    src.error(Code.SCHEMA, at, T(
        f"min（{low}）が max（{high}）より大きいので、どの{what.ja}も答えられません"
        f"{implied_ja if implied else ''}。",
        f"min ({low}) is greater than max ({high}): no {what.en} can be answered"
        f"{implied_en if implied else ''}."), hint)


def _fixed(bound: Any) -> bool:
    return isinstance(bound, dt.date) or (isinstance(bound, str) and bound[:1].isdigit())


def _date_order(field: FormField, path: PathKey, src: Source, today: dt.date) -> None:
    if field.min is None or field.max is None:
        return
    lo_text, hi_text = _shown(field.min), _shown(field.max)
    at, hint = _where_min(field, path, src)
    days = [today] if _fixed(field.min) != _fixed(field.max) else _CYCLE
    bad = [d for d in days if _later(field, d)]
    if not bad:
        return
    if len(bad) == len(days) and days is _CYCLE:
        src.error(Code.SCHEMA, at, T(
            f"min（{lo_text}）が max（{hi_text}）より後なので、どの日付も答えられません。",
            f"min ({lo_text}) is later than max ({hi_text}): no date can be answered."), hint)
    elif days is _CYCLE:
        src.report("warning", Code.SCHEMA, at, T(
            f"日によっては min（{lo_text}）が max（{hi_text}）より後になり、答えられる日付が"
            f"なくなります（例: {bad[0].isoformat()}）。",
            f"on some days min ({lo_text}) falls after max ({hi_text}) and no date can be "
            f"answered (e.g. on {bad[0].isoformat()})."), hint)
    else:
        low, high = field.date_bounds(today)
        src.report("warning", Code.SCHEMA, at, T(
            f"今日（{today.isoformat()}）は min（{lo_text} = {low}）が max（{hi_text} = {high}）"
            "より後なので、答えられる日付がありません。日によって変わるため警告です。",
            f"today ({today.isoformat()}) min ({lo_text}, {low}) is later than max "
            f"({hi_text}, {high}): no date can be answered today. It depends on the day, "
            "so this is a warning."), hint)


def _later(field: FormField, day: dt.date) -> bool:
    low, high = date_bound(field.min, day), date_bound(field.max, day)
    return low is not None and high is not None and low > high


def _default(form: Form, field: FormField, path: PathKey, src: Source, today: dt.date) -> None:
    try:
        normalise(field.default, field, form, today)
    except Invalid as exc:
        at = (*path, "default")
        shown = _shown(field.default)
        if exc.code == "not_a_choice":
            _default_not_a_choice(form, field, path, src)
        elif exc.code in ("too_small", "too_large"):
            side = "min" if exc.code == "too_small" else "max"
            src.error(Code.SCHEMA, at, T(
                f"default（{shown}）が {side}（{exc.params[side]}）の外です。",
                f"default ({shown}) is outside {side} ({exc.params[side]})."),
                T("min と max の間の数にしてください。", "Use a number between min and max."))
        elif exc.code in ("date_too_early", "date_too_late"):
            side = "min" if exc.code == "date_too_early" else "max"
            moving = not _fixed(getattr(field, side))
            src.report("warning" if moving else "error", Code.SCHEMA, at, T(
                f"default（{shown}）が {side}（{exc.params[side]}）の外です"
                f"{'（今日の場合）' if moving else ''}。",
                f"default ({shown}) is outside {side} ({exc.params[side]})"
                f"{' today' if moving else ''}."),
                T("min と max の間の日付にしてください。", "Use a date between min and max."))
        else:
            why = answer_message(exc.code, exc.params)
            src.error(Code.SCHEMA, at, T(
                f"default（{shown}）は {field.type} 型の項目の答えになりません: {why.ja}",
                f"default ({shown}) cannot be the answer of a {field.type} field: {why.en}"))


def _default_not_a_choice(form: Form, field: FormField, path: PathKey, src: Source) -> None:
    values: list[str]
    labels: dict[str, str]
    if field.kind.names_applicant:
        values = [a.kind for a in form.applicants]
        labels = {a.label.ja: a.kind for a in form.applicants}
        where = T("applicants の kind", "the applicants' kinds")
    else:
        values = [c.value for c in field.choices or ()]
        labels = {c.label.ja: c.value for c in field.choices or ()}
        named = _LIST_NAME.search(src.line_text(src.lines.get((*path, "choices"))))
        where = (T(f"選択肢の一覧「{named[1]}」の値", f"the values of the choice list '{named[1]}'")
                 if named else T("この項目の choices の値", "the choices' values"))
    shown = _shown(field.default)
    listed = ", ".join(values)
    if field.kind.multiple and not isinstance(field.default, list):
        hint = T(f"multi_choice の default は一覧で書きます（例: [{values[0]}]）。",
                 f"A multi_choice default is a list (e.g. [{values[0]}]).")
    elif isinstance(field.default, str) and field.default in labels:
        hint = T(f"表示名ではなく値を書いてください: {labels[field.default]}",
                 f"Write the value, not the label: {labels[field.default]}")
    else:
        close = difflib.get_close_matches(str(field.default), values, n=1)
        hint = T((f"「{close[0]}」の書き間違いではありませんか。" if close else "") + f"使える値: {listed}",
                 (f"Did you mean '{close[0]}'? " if close else "") + f"Use one of: {listed}")
    src.error(Code.UNKNOWN_CHOICE, (*path, "default"), T(
        f"default「{shown}」は{where.ja}にありません。",
        f"default '{shown}' is not one of {where.en}."), hint)
