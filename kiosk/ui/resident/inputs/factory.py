"""Which answer widget a field gets: the table of field types the kiosk can ask."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from forms.model import Form
from kiosk.session.display import YES_NO
from kiosk.session.session import Question
from kiosk.ui.resident.inputs.base import FieldInput, Submit
from kiosk.ui.resident.inputs.choices import ChoiceInput
from kiosk.ui.resident.inputs.date_picker import DateInput
from kiosk.ui.resident.inputs.group import GroupInput
from kiosk.ui.resident.inputs.kana_keyboard import KanaInput
from kiosk.ui.resident.inputs.keypad import KeypadInput
from kiosk.ui.resident.kit import UiKit

NUMERIC = frozenset({"integer", "copies", "postal_code", "phone"})
TYPED = frozenset({"text", "katakana", "address"})


@dataclass(frozen=True)
class GroupCalls:
    items: list[dict[str, Any]]
    add: Callable[[], None]
    edit: Callable[[int], None]
    remove: Callable[[int], None]


def make_input(  # noqa: PLR0911 - one return per row of the type table
        *, ui: UiKit, form: Form, question: Question, initial: Any, submit: Submit,
        today: dt.date, group: GroupCalls | None = None) -> FieldInput:
    field = question.state.field
    kind = field.type
    if kind == "choice":
        options = [(c.value, c.label) for c in field.choices or ()]
        return ChoiceInput(ui=ui, submit=submit, options=options, initial=initial)
    if kind == "multi_choice":
        options = [(c.value, c.label) for c in field.choices or ()]
        return ChoiceInput(ui=ui, submit=submit, options=options, initial=initial, multiple=True)
    if kind == "applicant":
        options = [(a.kind, a.label) for a in form.applicants]
        return ChoiceInput(ui=ui, submit=submit, options=options, initial=initial)
    if kind == "yes_no":
        return ChoiceInput(ui=ui, submit=submit, options=[(True, YES_NO[True]),
                                                          (False, YES_NO[False])],
                           initial=initial)
    if kind in NUMERIC:
        return KeypadInput(ui=ui, submit=submit, kind=kind, initial=initial)
    if kind == "date":
        return DateInput(ui=ui, submit=submit, initial=initial, today=today)
    if kind == "group" and group is not None:
        return GroupInput(ui=ui, submit=submit, field=field, items=group.items, add=group.add,
                          edit=group.edit, remove=group.remove)
    return KanaInput(ui=ui, submit=submit, kind=kind if kind in TYPED else "text",
                     initial=initial)
