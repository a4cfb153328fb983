"""Which answer widget a field gets, by what its type's row says (forms/field_types.py):
options become tiles, keypad types the number pad, dates the date picker, a repeated group
its list of items, bank and branch the search by reading, and free text the kana keyboard.
A new type with one of these entries needs nothing here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from forms.model import Form, digit_count
from forms.reading import options
from kiosk.session.session import Question
from kiosk.ui.resident.inputs.bank_search import Beside, bank_input
from kiosk.ui.resident.inputs.base import FieldInput, Submit
from kiosk.ui.resident.inputs.choices import ChoiceInput
from kiosk.ui.resident.inputs.date_picker import DateInput
from kiosk.ui.resident.inputs.group import GroupInput
from kiosk.ui.resident.inputs.kana_keyboard import KanaInput
from kiosk.ui.resident.inputs.keypad import KeypadInput
from kiosk.ui.resident.kit import UiKit


@dataclass(frozen=True)
class GroupCalls:
    items: list[dict[str, Any]]
    add: Callable[[], None]
    edit: Callable[[int], None]
    remove: Callable[[int], None]


def make_input(*, ui: UiKit, form: Form, question: Question, initial: Any, submit: Submit,
               today: dt.date, group: GroupCalls | None = None,
               beside: Beside | None = None) -> FieldInput:
    """`beside` reads another answer next to the question's (the branch's bank)."""
    field = question.state.field
    kind = field.kind
    if kind.is_choice:
        return ChoiceInput(ui=ui, submit=submit, options=options(form, field),
                           initial=initial, multiple=kind.multiple)
    if kind.keypad:
        limit = digit_count(field)[1] if kind.digit_boxes else None
        return KeypadInput(ui=ui, submit=submit, kind=field.type, initial=initial, limit=limit)
    if kind.is_date:
        return DateInput(ui=ui, submit=submit, initial=initial, today=today,
                         bounds=field.date_bounds(today))
    if kind.is_bank or kind.is_branch:
        return bank_input(ui=ui, submit=submit, field=field, initial=initial, beside=beside)
    if kind.repeats and group is not None:
        return GroupInput(ui=ui, submit=submit, field=field, items=group.items, add=group.add,
                          edit=group.edit, remove=group.remove)
    # Free text (kind.free_text), and anything else the kiosk is asked, is typed.
    return KanaInput(ui=ui, submit=submit, kana_only=kind.kana_only,
                     initial=initial)
