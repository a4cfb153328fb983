"""Whether a field's keys fit its type: the checks pydantic runs on each field as it is read.

Kept apart from forms/model.py so each complaint can be told in Japanese and English and
pinned to the key at fault (ShapeError's `key`): `length: 40` is reported at the `length:`
line, where the IT person must change it, not at the field's first line.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from forms.errors import ShapeError
from forms.field_types import FIELD_TYPES
from forms.text import T

if TYPE_CHECKING:
    from forms.model import FormField

# A date bound counted from the day of answering: `today - 1 year`, `today + 14 days`.
RELATIVE_DATE = re.compile(
    r"^today\s*(?P<sign>[+-])\s*(?P<n>\d{1,4})\s*(?P<unit>days?|months?|years?)$")
DIGITS_MAX = 32  # the longest digits field: one box a digit must still fit across the paper


def check_shape(field: FormField) -> None:
    """Raises ShapeError for the first key the field's type cannot take, or one it needs."""
    _children_and_choices(field)
    if (field.min is not None or field.max is not None) and field.kind.bounds is None:
        key = "min" if field.min is not None else "max"
        raise ShapeError(T(f"{field.type} の項目には min / max を書けません。",
                           f"a {field.type} field takes no min/max."), key=key)
    _check_bounds(field)
    _check_lengths(field)
    if field.kind.is_branch and field.bank is None:
        raise ShapeError(T("bank_branch の項目には「bank:」（その支店の金融機関の項目の id）が要ります。",
                           "a bank_branch field needs `bank:`, the id of its bank field."))
    if not field.kind.holds_value and (field.required is not False or field.bind or field.event_bind):
        key = "required" if field.required is not False else "bind"
        raise ShapeError(T(f"{field.type} の項目は答えを持たないので、{key} を書けません。",
                           f"a {field.type} field holds no answer, so it cannot be required "
                           "or bound."), key=key)


def _children_and_choices(field: FormField) -> None:
    kind = field.kind
    if kind.needs_choices and not field.choices:
        raise ShapeError(T(f"{field.type} の項目には「choices:」（選択肢）が要ります。",
                           f"a {field.type} field needs `choices`."))
    if field.choices and not kind.needs_choices:
        raise ShapeError(T(f"{field.type} の項目には choices を書けません（書けるのは "
                           f"{_types_that('needs_choices')}）。",
                           f"a {field.type} field takes no `choices` (only "
                           f"{_types_that('needs_choices')} do)."), key="choices")
    if kind.has_children and not field.fields:
        raise ShapeError(T(f"{field.type} の項目には「fields:」（中の質問）が要ります。",
                           f"a {field.type} field needs `fields` (the questions inside it)."))
    if field.fields and not kind.has_children:
        raise ShapeError(T(f"{field.type} の項目には fields を書けません（書けるのは "
                           f"{_types_that('has_children')}）。",
                           f"a {field.type} field takes no `fields` (only "
                           f"{_types_that('has_children')} do)."), key="fields")


def _types_that(attribute: str) -> str:
    """'choice and multi_choice': the types whose row says `attribute`, for a message."""
    names = [name for name, row in FIELD_TYPES.items() if getattr(row, attribute)]
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def _is_date_bound(bound: object) -> bool:
    if isinstance(bound, dt.date) or bound == "today":
        return True
    if not isinstance(bound, str):
        return False
    if RELATIVE_DATE.match(bound):
        return True
    try:
        dt.date.fromisoformat(bound)
    except ValueError:
        return False
    return True


def _check_bounds(field: FormField) -> None:
    """A date's min/max is a date or `today`; a number's or a group's is a whole number.

    Caught here so a form saying `max: tomorrow` is refused by validate instead of failing
    when a resident answers.
    """
    for name, bound in (("min", field.min), ("max", field.max)):
        if bound is None:
            continue
        if field.kind.is_date and not _is_date_bound(bound):
            raise ShapeError(T(
                f"日付の {name} は日付（2025-04-01）、today、today - 5 years（days, months）の"
                f"どれかで書きます（{bound!r} ではなく）。",
                f"`{name}` of a date field must be a date (2025-04-01), today, or "
                f"today - 5 years (days, months), not {bound!r}."), key=name)
        if not field.kind.is_date and not isinstance(bound, int):
            raise ShapeError(T(f"{field.type} の項目の {name} は整数で書きます（{bound!r} ではなく）。",
                               f"`{name}` must be a whole number for a {field.type!r} field, "
                               f"not {bound!r}."), key=name)


def _check_lengths(field: FormField) -> None:
    """A digits field says how many digits (1 to 32: an account 7, a seal registration 8);
    `length` and `min_length` mean nothing for other types."""
    if not field.kind.digit_boxes:
        for key in ("length", "min_length"):
            if getattr(field, key) is not None:
                raise ShapeError(T(f"{field.type} の項目には {key} を書けません（digits だけです）。",
                                   f"a {field.type} field takes no `{key}` (only digits does)."),
                                 key=key)
        return
    if field.length is not None and (field.min_length or field.max_length):
        raise ShapeError(T("length と、min_length / max_length の、どちらか一方だけを書きます。",
                           "give `length`, or `min_length` / `max_length`, not both."),
                         key="length")
    high = field.length if field.length is not None else field.max_length
    low = field.length if field.length is not None else field.min_length or 1
    if high is None:
        raise ShapeError(T("digits の項目には length（けた数）か max_length が要ります。",
                           "a digits field needs `length` (or `max_length`): how many digits."))
    if not 1 <= low <= high <= DIGITS_MAX:
        key = ("length" if field.length is not None
               else "min_length" if low > high or low < 1 else "max_length")
        raise ShapeError(T(f"けた数は 1 から {DIGITS_MAX} までで、最小は最大以下です（いまは {low} から "
                           f"{high}）。",
                           f"the number of digits must be 1 to {DIGITS_MAX}, min no greater than "
                           f"max (here {low} to {high})."), key=key)
