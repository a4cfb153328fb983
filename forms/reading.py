"""How an answer reads, in Japanese and in the resident's language: one wording for every reader.

The engine hands over normalised values (choice values, ISO dates, digits, True/False); the
confirm screen, the counter desk and the paper forms all show them in words through
`read_value`, so a clerk reads on the desk what the resident read on the kiosk and what the
official form prints. Japanese reads the way municipal forms write: the era date (令和7年4月1日)
unless the form says `calendar: western`, 〒 before a postal code, 通 after a number of copies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from babel.core import UnknownLocaleError
from babel.dates import format_date

from forms.banks import name_of
from forms.japanese_dates import format_era, format_western
from forms.model import Form, FormField
from forms.text import T, Text

YES_NO = {True: T("はい", "Yes"), False: T("いいえ", "No")}
_LIST_SEPARATOR = {"ja": "、"}


class Unreadable(ValueError):
    """A stored value its field cannot word (not a date, a choice the form does not offer).

    Raised, not papered over, so the desk can show the raw value marked for the clerk.
    """


def options(form: Form, field: FormField) -> list[tuple[Any, Text]]:
    """(answer value, label) of every option a choice-like field offers, in the form's order."""
    if field.kind.names_applicant:
        return [(a.kind, a.label) for a in form.applicants]
    if field.kind.is_yes_no:
        return [(True, YES_NO[True]), (False, YES_NO[False])]
    return [(c.value, c.label) for c in field.choices or ()]


def read_date(field: FormField, value: str | dt.date, lang: str) -> str:
    """'令和7年4月1日' (or '2025年4月1日' for `calendar: western`); 'April 1, 2025' in English."""
    try:
        day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        raise Unreadable("not an ISO date") from None
    if lang == "ja":
        return format_western(day) if field.calendar == "western" else format_era(day)
    try:
        return str(format_date(day, format="long", locale=lang))
    except (ValueError, LookupError, UnknownLocaleError):
        return day.isoformat()


def item_summary(group: FormField, item: Mapping[str, Any]) -> str:
    """One item of a group in a few words: its first name-like answer (a person's name)."""
    for child in group.fields or ():
        value = item.get(child.id)
        if child.kind.names_item and isinstance(value, str) and value:
            return value
    return next((str(v) for v in item.values() if isinstance(v, str) and v), "")


def _join(lang: str, parts: list[str]) -> str:
    return _LIST_SEPARATOR.get(lang, ", ").join(parts)


def _label(form: Form, field: FormField, value: Any, lang: str) -> str:
    for option, label in options(form, field):
        if option == value and type(option) is type(value):  # True is not the choice 1
            return label.get(lang)
    raise Unreadable("not one of the field's options")


# --- one reader per type that holds an answer ------------------------------------------

Reader = Callable[[Form, FormField, Any, str], str]


def _as_is(form: Form, field: FormField, value: Any, lang: str) -> str:
    return str(value)


def _date(form: Form, field: FormField, value: Any, lang: str) -> str:
    if not isinstance(value, str | dt.date):
        raise Unreadable("not a date")
    return read_date(field, value, lang)


def _choice(form: Form, field: FormField, value: Any, lang: str) -> str:
    return _label(form, field, value, lang)


def _choices(form: Form, field: FormField, value: Any, lang: str) -> str:
    if not isinstance(value, list):
        raise Unreadable("not a list of choices")
    return _join(lang, [_label(form, field, v, lang) for v in value])


def _copies(form: Form, field: FormField, value: Any, lang: str) -> str:
    return f"{value}通" if lang == "ja" else str(value)


def _postal_code(form: Form, field: FormField, value: Any, lang: str) -> str:
    return f"〒{value}" if lang == "ja" else str(value)


def _coded(name: str | None, code: str, lang: str) -> str:
    """'三菱ＵＦＪ銀行（0005）'; a code the data does not know is shown as it is, so marked."""
    if name is None:
        return f"{code}（不明なコード）" if lang == "ja" else f"{code} (unknown code)"
    return f"{name}（{code}）" if lang == "ja" else f"{name} ({code})"


def _bank(form: Form, field: FormField, value: Any, lang: str) -> str:
    if not isinstance(value, str):
        raise Unreadable("not a bank code")
    return _coded(name_of(value), value, lang)


def _branch_code(form: Form, field: FormField, value: Any, lang: str) -> str:
    """A branch read without its bank's answer (read_value's `beside`): only the code can be
    told; nothing says it is unknown."""
    return _code_of(value)


def _code_of(value: Any) -> str:
    if not isinstance(value, str):
        raise Unreadable("not a branch code")
    return value


def read_branch(value: Any, bank_code: Any, lang: str) -> str:
    """'丸の内（002）': zengin's branch name as it is, and its code."""
    code = _code_of(value)
    if not isinstance(bank_code, str):
        return code
    return _coded(name_of(code, bank_code=bank_code), code, lang)


def _group(form: Form, field: FormField, value: Any, lang: str) -> str:
    if not isinstance(value, list):
        raise Unreadable("not a list of items")
    return _join(lang, [item_summary(field, item) for item in value if isinstance(item, Mapping)])


READERS: Mapping[str, Reader] = {
    "text": _as_is,
    "katakana": _as_is,
    "integer": _as_is,
    "copies": _copies,
    "date": _date,
    "choice": _choice,
    "multi_choice": _choices,
    "yes_no": _choice,
    "applicant": _choice,
    "postal_code": _postal_code,
    "address": _as_is,
    "phone": _as_is,
    "digits": _as_is,
    "bank": _bank,
    "bank_branch": _branch_code,
    "my_number": _as_is,
    "group": _group,
}


def read_value(form: Form, field: FormField, value: Any, lang: str,
               beside: Mapping[str, Any] | None = None) -> str:
    """The answer in words, '昭和50年1月2日', '世帯全員', 'はい', '2通'; '' when unanswered.

    Other languages than ja and en take the form's own translations and babel's dates, and
    fall back to Japanese labels. Raises Unreadable for a value its field cannot hold.
    `beside` holds the answers next to this one (a group item's, or the form's): a branch is
    named only with its bank's answer ('丸の内（002）'), else read as its code.
    """
    if value is None or (isinstance(value, str | list) and not value) or not field.kind.holds_value:
        return ""
    if field.bank is not None and beside is not None:
        return read_branch(value, beside.get(field.bank), lang)
    return READERS[field.type](form, field, value, lang)
