"""A choice-like answer as tick boxes on paper: every option, the chosen ones ticked.

The words of an answer come from forms.reading.read_value, the one wording the kiosk and
the desk use too; this module adds only what paper needs beyond words.
"""

from __future__ import annotations

from typing import Any

from forms.model import Form, FormField
from forms.reading import options as answer_options
from forms.reading import read_value


def options(form: Form, field: FormField) -> list[tuple[Any, str]]:
    """(answer value, Japanese label) of every option the field offers, in the form's order."""
    return [(value, label.ja) for value, label in answer_options(form, field)]


def chosen(field: FormField, value: Any) -> set[Any]:
    """The option values a normalised answer selects."""
    if value is None:
        return set()
    if isinstance(value, list):
        return set(value)
    return {value}


def as_text(form: Form, field: FormField, value: Any) -> str:
    """The answer as Japanese paper words it (kept for the desk until it calls read_value)."""
    return read_value(form, field, value, "ja")
