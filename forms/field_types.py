"""The field types a form file may use, as a read-only table (pyxform's question_type_dictionary).

Each row says what a type holds, how it is asked and what a form may give it, so the loader
checks a file against one place, docs/forms.md is written from the same facts, and the
engine, the kiosk, the desk and the printouts ask a row (`field.kind.is_date`) instead of
comparing type names. A new field type is one row here, plus its renderers: a normaliser
(forms/normalise.py), a reader (forms/reading.py), and its entry on each printout;
tests/forms/test_field_types.py fails while one of them is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

# Where a choice-like field's options come from: its own `choices`, the form's
# `applicants`, or はい / いいえ.
Options = Literal["choices", "applicants", "yes_no"]
# What `min` / `max` mean: a whole number, a date (or `today`), a number of items.
Bounds = Literal["number", "date", "items"]
# How the kiosk asks it: the kana keyboard, the number pad, the date picker, option
# buttons, a list of items to add to, the bank picker and the branch picker (searched by kana,
# forms/banks.py).
Entry = Literal["kana", "keypad", "date", "options", "items", "bank", "branch"]


@dataclass(frozen=True)
class FieldType:
    holds_value: bool = True  # info and section hold none
    has_children: bool = False  # group (repeated) and section (once)
    repeats: bool = False  # group: its questions are asked once per item
    # The 12-digit number: filled at the counter desk from the card, never asked at the
    # kiosk, never stored with the application (番号法: only the official form may hold it).
    counter_only: bool = False
    options: Options | None = None
    multiple: bool = False  # any number of the options may be chosen
    bounds: Bounds | None = None  # min / max apply, and mean this
    default_bounds: tuple[int, int] | None = None  # when the form gives none
    entry: Entry | None = None  # None: not asked at the kiosk
    names_item: bool = False  # its answer can stand for a group's item (a person's name)
    fills_address: bool = False  # the kiosk fills the address from its answer (postal data)
    kana_only: bool = False  # a reading: typed in katakana, no other script offered
    # A string of digits whose leading zeros count (口座番号 0012345): `length` says how many,
    # the paper gives one box a digit.
    digit_boxes: bool = False
    bindings: frozenset[str] = frozenset()  # which pre-fill sources fit

    @property
    def asked_at_kiosk(self) -> bool:
        """The resident answers it on the kiosk's screens (a group: its items)."""
        return self.holds_value and not self.counter_only

    @property
    def is_note(self) -> bool:
        """A message only (info): nothing to answer, nothing inside."""
        return not self.holds_value and not self.has_children

    @property
    def is_section(self) -> bool:
        """A heading over questions asked once: their answers sit beside the form's others."""
        return self.has_children and not self.repeats

    @property
    def single_answer(self) -> bool:
        """One answer of its own: not info, section or group (a row, a table column)."""
        return self.holds_value and not self.has_children

    @property
    def is_choice(self) -> bool:
        """Picked from options (tick boxes on paper, buttons at the kiosk)."""
        return self.options is not None

    @property
    def needs_choices(self) -> bool:
        return self.options == "choices"

    @property
    def names_applicant(self) -> bool:
        """Its answer is who is applying: one of the form's applicants."""
        return self.options == "applicants"

    @property
    def is_yes_no(self) -> bool:
        """Its answer is True or False, read はい / いいえ."""
        return self.options == "yes_no"

    @property
    def is_date(self) -> bool:
        """Its answer is an ISO date; min / max are dates or `today` (FormField.date_bounds)."""
        return self.bounds == "date"

    @property
    def is_number(self) -> bool:
        """Its answer is a whole number (a fee may count copies from it)."""
        return self.bounds == "number"

    @property
    def free_text(self) -> bool:
        """Typed on the kana keyboard: names, readings, addresses, reasons."""
        return self.entry == "kana"

    @property
    def keypad(self) -> bool:
        """Typed on the number pad."""
        return self.entry == "keypad"

    @property
    def is_bank(self) -> bool:
        """Its answer is a 4-digit 全銀 bank code, named from forms/banks.py."""
        return self.entry == "bank"

    @property
    def is_branch(self) -> bool:
        """Its answer is a 3-digit branch code of the bank its field's `bank:` names."""
        return self.entry == "branch"


_TEXTUAL = frozenset({"card.name", "card.address", "office.name", "office.address", "office.phone"})

FIELD_TYPES = MappingProxyType({
    "text": FieldType(entry="kana", names_item=True, bindings=_TEXTUAL | {"office.code"}),
    "katakana": FieldType(entry="kana", names_item=True, kana_only=True),
    "integer": FieldType(bounds="number", entry="keypad"),
    "copies": FieldType(bounds="number", default_bounds=(1, 20), entry="keypad"),
    "date": FieldType(bounds="date", entry="date",
                      bindings=frozenset({"card.birth_date", "today"})),
    "choice": FieldType(options="choices", entry="options", bindings=frozenset({"card.sex"})),
    "multi_choice": FieldType(options="choices", multiple=True, entry="options"),
    "yes_no": FieldType(options="yes_no", entry="options"),
    "applicant": FieldType(options="applicants", entry="options"),
    "postal_code": FieldType(entry="keypad", fills_address=True),
    "address": FieldType(entry="kana", bindings=frozenset({"card.address", "office.address"})),
    "phone": FieldType(entry="keypad", bindings=frozenset({"office.phone"})),
    "digits": FieldType(entry="keypad", digit_boxes=True),
    "bank": FieldType(entry="bank"),
    "bank_branch": FieldType(entry="branch"),
    "my_number": FieldType(counter_only=True, bindings=frozenset({"card.my_number"})),
    "group": FieldType(has_children=True, repeats=True, bounds="items", entry="items"),
    "section": FieldType(holds_value=False, has_children=True),
    "info": FieldType(holds_value=False),
})

# Every pre-fill source there is. card.my_number is read by the counter desk only.
BINDINGS = frozenset({
    "card.name", "card.address", "card.birth_date", "card.sex", "card.my_number",
    "today", "office.name", "office.code", "office.address", "office.phone",
})

# card.sex values (ISO 5218 on the card) as choice values a form's sex field must offer.
SEX_VALUES = ("male", "female", "not_applicable")


def single_answer_types() -> frozenset[str]:
    """The types that hold one answer of their own: each needs a reader and a paper entry."""
    return frozenset(name for name, row in FIELD_TYPES.items() if row.single_answer)
