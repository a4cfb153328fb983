"""An answer as it is written on paper: the choice's label, the date in the era, 〒 and 通.

The engine hands over normalised values (choice values, ISO dates, digits); paper shows
what the resident chose in words, in the calendar the form asks for.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from forms.japanese_dates import format_era, format_western
from forms.model import Form, FormField


def options(form: Form, field: FormField) -> list[tuple[str, str]]:
    """(value, Japanese label) of every choice the field offers, in the form's order."""
    if field.type == "applicant":
        return [(a.kind, a.label.ja) for a in form.applicants]
    if field.type == "yes_no":
        return [("yes", "はい"), ("no", "いいえ")]
    return [(c.value, c.label.ja) for c in field.choices or ()]


def chosen(field: FormField, value: Any) -> set[str]:
    """The option values a normalised answer selects (a yes/no answer as "yes" or "no")."""
    if value is None:
        return set()
    if field.type == "yes_no":
        return {"yes" if value else "no"}
    if isinstance(value, list):
        return {str(v) for v in value}
    return {str(value)}


def format_date(field: FormField, value: str | dt.date) -> str:
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return format_western(day) if field.calendar == "western" else format_era(day)


def as_text(form: Form, field: FormField, value: Any) -> str:
    """One line of text for a value (a table cell, where tick boxes do not fit)."""
    if value is None:
        return ""
    if field.type in ("choice", "applicant", "yes_no", "multi_choice"):
        picked = chosen(field, value)
        return "、".join(label for v, label in options(form, field) if v in picked)
    if field.type == "date":
        return format_date(field, value)
    if field.type == "copies":
        return f"{value}通"
    if field.type == "postal_code":
        return f"〒{value}"
    return str(value)
