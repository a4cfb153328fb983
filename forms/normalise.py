"""Turn what a resident typed (or the card gave) into one canonical value per field type.

Katakana becomes full-width katakana, numbers half-width digits, dates ISO strings. Names
and addresses are never NFC/NFKC-normalised: that would turn some compatibility
ideographs in registered names into other characters.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import jaconv

from common.mynumber import is_valid_my_number
from forms.banks import shipped_directory
from forms.japanese_dates import parse_date
from forms.model import Form, FormField, digit_count


class Invalid(ValueError):
    """An answer that cannot be normalised; `code` picks the message in forms/answer_messages.py."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _half_digits(text: str) -> str:
    return str(jaconv.z2h(text, kana=False, ascii=False, digit=True))


def _text(value: Any, field: FormField, *_: object) -> str:
    if not isinstance(value, str):
        raise Invalid("not_text")
    text = str(jaconv.h2z(value.strip(), kana=True, ascii=False, digit=False))
    if field.max_length and len(text) > field.max_length:
        raise Invalid("too_long", max=field.max_length)
    return text


_KANA_OK = re.compile(r"^[\u30a1-\u30fa\u30fc\u30fb\u3000 ]+$")


def _katakana(value: Any, field: FormField, *_: object) -> str:
    text = _text(value, field)
    text = str(jaconv.hira2kata(text)).replace(" ", "\u3000")
    if not _KANA_OK.match(text):
        raise Invalid("not_katakana")
    return text


def _integer(value: Any, field: FormField, *_: object) -> int:
    if isinstance(value, bool):
        raise Invalid("not_integer")
    if isinstance(value, str):
        digits = _half_digits(value.strip())
        if not re.fullmatch(r"-?\d{1,9}", digits):
            raise Invalid("not_integer")
        value = int(digits)
    if not isinstance(value, int):
        raise Invalid("not_integer")
    default_low, default_high = field.kind.default_bounds or (None, None)
    low = field.min if isinstance(field.min, int) else default_low
    high = field.max if isinstance(field.max, int) else default_high
    if low is not None and value < low:
        raise Invalid("too_small", min=low)
    if high is not None and value > high:
        raise Invalid("too_large", max=high)
    return value


def _date(value: Any, field: FormField, form: Form, today: dt.date) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = parse_date(value)
        except ValueError:
            raise Invalid("not_date") from None
    if not isinstance(value, dt.date):
        raise Invalid("not_date")
    low, high = field.date_bounds(today)
    if low and value < low:
        raise Invalid("date_too_early", min=low.isoformat())
    if high and value > high:
        raise Invalid("date_too_late", max=high.isoformat())
    return value.isoformat()


def _choice(value: Any, field: FormField, *_: object) -> str:
    # isinstance first: a list or dict is unhashable and would raise TypeError in the set test.
    if not isinstance(value, str) or value not in {c.value for c in field.choices or ()}:
        raise Invalid("not_a_choice")
    return str(value)


def _multi(value: Any, field: FormField, *_: object) -> list[str]:
    if not isinstance(value, (list, tuple)):
        raise Invalid("not_a_choice")
    allowed = [c.value for c in field.choices or ()]
    if any(v not in allowed for v in value):
        raise Invalid("not_a_choice")
    return [v for v in allowed if v in value]  # the form's order, no repeats


_YES = {True, "yes", "true", "はい", "y"}
_NO = {False, "no", "false", "いいえ", "n"}


def _yes_no(value: Any, field: FormField, *_: object) -> bool:
    if not isinstance(value, (str, bool)):
        raise Invalid("not_yes_no")
    key = value.strip().lower() if isinstance(value, str) else value
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise Invalid("not_yes_no")


def _postal(value: Any, field: FormField, *_: object) -> str:
    digits = re.sub(r"[-‐－ー〒\s]", "", _half_digits(str(value)))
    if not re.fullmatch(r"\d{7}", digits):
        raise Invalid("not_postal_code")
    return f"{digits[:3]}-{digits[3:]}"


def _digits(value: Any, field: FormField, *_: object) -> str:
    # A string, never an int: 0012345 read as a number would lose its zeros (and YAML reads an
    # unquoted 0012345 as an octal number), so a form's default must be quoted.
    if not isinstance(value, str):
        raise Invalid("not_digits")
    digits = re.sub(r"\s", "", _half_digits(value))
    if not re.fullmatch(r"[0-9]+", digits):  # \d would let other scripts' digits through
        raise Invalid("not_digits")
    low, high = digit_count(field)
    if not low <= len(digits) <= high:
        count = str(low) if low == high else f"{low}〜{high}"
        raise Invalid("digits_length", count=count, given=len(digits))
    return digits


def _code(value: Any, count: int, code: str) -> str:
    """A code the kiosk's picker handed over (or a clerk typed): exactly `count` digits, full-width
    folded; never padded, since 12 is not a short way to write 0012 in a picker's answer."""
    digits = re.sub(r"\s", "", _half_digits(value)) if isinstance(value, str) else ""
    if not re.fullmatch(rf"[0-9]{{{count}}}", digits):
        raise Invalid(code)
    return digits


def _bank(value: Any, field: FormField, *_: object) -> str:
    code = _code(value, 4, "not_bank_code")
    if shipped_directory().bank(code) is None:
        raise Invalid("unknown_bank", given=code)
    return code


def _branch(value: Any, field: FormField, *_: object) -> str:
    return _code(value, 3, "not_branch_code")  # whose branch it is: check_branch, with the bank


def check_branch(code: str, bank_code: Any) -> None:
    """A branch code must be one of the chosen bank's; with no valid bank chosen yet, the bank
    field carries the error and the branch is left for then."""
    directory = shipped_directory()
    bank = directory.bank(bank_code) if isinstance(bank_code, str) else None
    if bank is not None and directory.branch(bank.code, code) is None:
        raise Invalid("unknown_branch", given=code, bank=bank.name)


def _phone(value: Any, field: FormField, *_: object) -> str:
    text = re.sub(r"[‐－ー―−]", "-", _half_digits(str(value).strip()))
    text = re.sub(r"[()\s]", "-", text).strip("-")
    if not re.fullmatch(r"[\d-]+", text) or not 10 <= len(text.replace("-", "")) <= 11:
        raise Invalid("not_phone")
    return text


def _my_number(value: Any, field: FormField, *_: object) -> str:
    digits = re.sub(r"[\s-]", "", _half_digits(str(value)))
    if not is_valid_my_number(digits):
        raise Invalid("not_my_number")
    return digits


def _applicant(value: Any, field: FormField, form: Form, today: dt.date) -> str:
    if not isinstance(value, str) or value not in {a.kind for a in form.applicants}:
        raise Invalid("not_a_choice")
    return value


# One per type that holds an answer of its own (a group's answers are its items').
NORMALISERS: dict[str, Callable[[Any, FormField, Form, dt.date], Any]] = {
    "text": _text,
    "katakana": _katakana,
    "integer": _integer,
    "copies": _integer,
    "date": _date,
    "choice": _choice,
    "multi_choice": _multi,
    "yes_no": _yes_no,
    "postal_code": _postal,
    "address": _text,
    "phone": _phone,
    "digits": _digits,
    "bank": _bank,
    "bank_branch": _branch,
    "my_number": _my_number,
    "applicant": _applicant,
}


def normalise(value: Any, field: FormField, form: Form, today: dt.date) -> Any:
    """The canonical value, or Invalid. Dates need today; applicant choices come from the form."""
    return NORMALISERS[field.type](value, field, form, today)
