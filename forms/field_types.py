"""The field types a form file may use, as a read-only table (pyxform's question_type_dictionary).

Each row says what a type holds and what it may be given, so the loader checks a file
against one place and docs/forms.md is written from the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class FieldType:
    holds_value: bool  # info and section hold none
    needs_choices: bool = False
    has_children: bool = False  # group (repeated) and section (once)
    bounds: bool = False  # min / max apply
    bindings: frozenset[str] = frozenset()  # which pre-fill sources fit
    kiosk: bool = True  # False: filled at the counter desk only


_TEXTUAL = frozenset({"card.name", "card.address", "office.name", "office.address", "office.phone"})

FIELD_TYPES = MappingProxyType({
    "text": FieldType(True, bindings=_TEXTUAL | {"office.code"}),
    "katakana": FieldType(True),
    "integer": FieldType(True, bounds=True),
    "copies": FieldType(True, bounds=True),
    "date": FieldType(True, bounds=True, bindings=frozenset({"card.birth_date", "today"})),
    "choice": FieldType(True, needs_choices=True, bindings=frozenset({"card.sex"})),
    "multi_choice": FieldType(True, needs_choices=True),
    "yes_no": FieldType(True),
    "applicant": FieldType(True),
    "postal_code": FieldType(True),
    "address": FieldType(True, bindings=frozenset({"card.address", "office.address"})),
    "phone": FieldType(True, bindings=frozenset({"office.phone"})),
    "my_number": FieldType(True, bindings=frozenset({"card.my_number"}), kiosk=False),
    "group": FieldType(True, has_children=True, bounds=True),
    "section": FieldType(False, has_children=True),
    "info": FieldType(False),
})

# Every pre-fill source there is. card.my_number is read by the counter desk only.
BINDINGS = frozenset({
    "card.name", "card.address", "card.birth_date", "card.sex", "card.my_number",
    "today", "office.name", "office.code", "office.address", "office.phone",
})

# card.sex values (ISO 5218 on the card) as choice values a form's sex field must offer.
SEX_VALUES = ("male", "female", "not_applicable")
