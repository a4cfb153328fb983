"""The typed model of a procedure file and of the life-events file.

pydantic checks shapes and types; the checks that need the whole form (references,
cycles, bindings) are in forms/checks.py, so each rule lives in one place.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from forms.errors import ShapeError
from forms.field_shape import DIGITS_MAX, RELATIVE_DATE, check_shape
from forms.field_types import FIELD_TYPES, FieldType
from forms.patterns import UnsafePattern, compile_pattern
from forms.text import T, Text

ID = r"^[a-z][a-z0-9_]{0,39}$"
CHOICE_VALUE = r"^[a-z0-9][a-z0-9_]{0,39}$"

FieldTypeName = Literal[
    "text", "katakana", "integer", "copies", "date", "choice", "multi_choice", "yes_no",
    "applicant", "postal_code", "address", "phone", "my_number", "group", "section", "info",
    "digits", "bank", "bank_branch",
]
Category = Literal[
    "certificate", "registration", "moving", "tax", "family_register", "insurance", "welfare",
    "mynumber_card",
]
ApplicantKind = Literal["self", "household", "agent", "legal_representative"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Model):
    value: str = Field(pattern=CHOICE_VALUE)
    label: Text
    help: Text | None = None


class Rule(_Model):
    """A check on the answers: when `check` is false, `message` is shown (at `field`, if given).

    An `error` stops the application until the answer changes; a `warning` (a notice period
    that has passed, say) is told to the resident and marked for the clerk, and the
    application goes on: the law still wants the late notification.

    Instead of `check`, a `pattern` the whole answer must match (forms/patterns.py): the
    field's own answer, or for a form rule the answer of its `field`.
    """

    check: str | None = None
    pattern: str | None = None
    message: Text
    field: str | None = None
    when: str | None = None
    level: Literal["error", "warning"] = "error"

    @field_validator("pattern")
    @classmethod
    def _safe_pattern(cls, pattern: str | None) -> str | None:
        # Compiled here, so a pattern that is wrong or slow is reported at its own line.
        if pattern is not None:
            try:
                compile_pattern(pattern)
            except UnsafePattern as exc:
                raise ShapeError(T(f"この正規表現は使えません: {exc}", str(exc))) from None
        return pattern

    @model_validator(mode="after")
    def _check_or_pattern(self) -> Rule:
        if (self.check is None) == (self.pattern is None):
            raise ShapeError(T("ルールには check（条件）か pattern のどちらか一方を書きます。",
                               "each rule has either `check` (a condition) or `pattern`, not both."))
        return self

    @property
    def shown(self) -> str:
        """The rule as one line for a listing: its condition, or `pattern REGEX`."""
        return self.check if self.check is not None else f"pattern {self.pattern}"


class FormField(_Model):
    id: str = Field(pattern=ID)
    type: FieldTypeName
    label: Text
    help: Text | None = None
    required: bool | str = False
    show_if: str | None = None
    bind: str | None = None
    choices: list[Choice] | None = None
    min: int | dt.date | str | None = None
    max: int | dt.date | str | None = None
    max_length: int | None = Field(default=None, ge=1, le=2000)
    # A digits field's number of digits: exactly `length`, or from min_length to max_length.
    length: int | None = None
    min_length: int | None = None
    # A bank_branch field's bank: the id of the form's `bank` field whose branch it is.
    bank: str | None = Field(default=None, pattern=ID)
    default: Any = None
    fields: list[FormField] | None = None
    item_label: Text | None = None
    # A date is shown in the Japanese era (令和7年) unless the form says "western".
    calendar: Literal["era", "western"] = "era"
    rules: list[Rule] = Field(default_factory=list)
    # The life events' shared answers this field takes, the first one the event shares
    # (`bind: event.move_date or event.household.birth_date`); `bind` then keeps the source
    # used outside an event, if any (`bind: event.previous_address or card.address`).
    event_bind: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _split_bind(cls, data: Any) -> Any:
        """`bind: event.previous_address or card.address`: the life event's shared answer when
        the procedure is part of one, else the card's. Kept apart so every reader of `bind`
        (prefill, the card holder's line) still sees one source of its own kind."""
        if not isinstance(data, dict) or not isinstance(data.get("bind"), str):
            return data
        parts = [p.strip() for p in data["bind"].split(" or ")]
        own = [p for p in parts if not p.startswith("event.")]
        if len(own) > 1:
            raise ShapeError(T("bind に書けるのは event.ID のほかに一つだけで、or でつなぎます"
                               "（event.previous_address or card.address）。",
                               "`bind` names one source besides event.ID ones, joined by `or` "
                               "(event.previous_address or card.address)."))
        return {**data, "bind": own[0] if own else None,
                "event_bind": tuple(p for p in parts if p.startswith("event."))}

    @field_validator("bank")
    @classmethod
    def _bank_on_branch_only(cls, bank: str | None, info: ValidationInfo) -> str | None:
        # A field validator, so a stray `bank:` is reported at its own line.
        if bank is not None and info.data.get("type") not in (None, "bank_branch"):
            raise ShapeError(T(f"{info.data['type']} の項目には bank を書けません"
                               "（bank_branch だけです）。",
                               f"a {info.data['type']} field takes no `bank` (only bank_branch does)."))
        return bank

    @model_validator(mode="after")
    def _shape_fits_type(self) -> FormField:
        check_shape(self)
        return self

    @property
    def kind(self) -> FieldType:
        """The row of forms/field_types.py for this field's type: ask it, not the type's name."""
        return FIELD_TYPES[self.type]

    def date_bounds(self, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """A date field's earliest and latest day, `today` resolved; None where it has none.

        The one reading of a date's min / max: the engine refuses an answer outside them, the
        samples pick a day inside them, the paper form offers only the eras they allow.
        """
        return date_bound(self.min, today), date_bound(self.max, today)

    def walk(self) -> list[FormField]:
        """This field and every field inside it, in order."""
        out = [self]
        for child in self.fields or ():
            out.extend(child.walk())
        return out


def digit_count(field: FormField) -> tuple[int, int]:
    """(fewest, most) digits a digits field takes (checked by field_shape at load)."""
    high = field.length or field.max_length or DIGITS_MAX
    return (field.length or field.min_length or 1), high


def date_bound(bound: int | dt.date | str | None, today: dt.date) -> dt.date | None:
    """A date field's `min` or `max` as a day (checked by field_shape when the form loaded)."""
    if bound is None or isinstance(bound, int):
        return None
    if isinstance(bound, dt.date):
        return bound
    relative = RELATIVE_DATE.match(bound)
    if relative is None:
        return today if bound == "today" else dt.date.fromisoformat(bound)
    amount = int(relative["n"]) * (-1 if relative["sign"] == "-" else 1)
    unit = relative["unit"].rstrip("s")
    if unit == "day":
        return today + dt.timedelta(days=amount)
    months = today.year * 12 + today.month - 1 + amount * (12 if unit == "year" else 1)
    year, month = divmod(months, 12)
    return today.replace(year=year, month=month + 1, day=min(today.day, _days_in(year, month + 1)))


def _days_in(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


class Applicant(_Model):
    """One kind of person who may apply, and what that person must bring or show."""

    kind: ApplicantKind
    label: Text
    needs: list[Text] = Field(default_factory=list)


class Document(_Model):
    label: Text
    when: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str) or (isinstance(data, dict) and "label" not in data):
            return {"label": data}
        return data


class FeeLine(_Model):
    """One kind of certificate with its own price (戸籍謄本 450円, 除籍 750円), per copy."""

    label: Text
    amount: int = Field(ge=0, le=100_000)  # yen a copy
    copies_field: str  # the field holding this kind's number of copies


class Fee(_Model):
    amount: int = Field(default=0, ge=0, le=100_000)  # yen
    per: Literal["copy", "application"] = "copy"
    # The field holding the number of copies, when the fee is per copy.
    copies_field: str | None = None
    # Several kinds at several prices, each counted from its own copies field; instead of
    # `amount`. A kind whose copies field is hidden (not chosen) costs nothing.
    lines: list[FeeLine] = Field(default_factory=list)
    note: Text | None = None

    @model_validator(mode="after")
    def _amount_or_lines(self) -> Fee:
        if self.lines and (self.amount or self.copies_field or self.per != "copy"):
            raise ShapeError(T("amount（と per、copies_field）か lines の、どちらか一方だけを書きます。",
                               "give either amount (with per and copies_field) or lines, not both."),
                             key="lines")
        return self


class Form(_Model):
    id: str = Field(pattern=ID)
    version: int = Field(ge=1)
    title: Text
    short_title: Text | None = None
    category: Category
    counter: str = Field(pattern=ID)
    my_number_required: bool = False
    applicants: list[Applicant] = Field(min_length=1)
    documents: list[Document] = Field(default_factory=list)
    fee: Fee | None = None
    notes: list[Text] = Field(default_factory=list)
    fields: list[FormField] = Field(min_length=1)
    rules: list[Rule] = Field(default_factory=list)

    @field_validator("title")
    @classmethod
    def _title_has_reading(cls, title: Text) -> Text:
        # A field validator, not a model one, so the problem is reported at `title` and its line.
        if not title.ja_kana:
            raise ShapeError(T("title には ja_kana（日本語の題のよみ）が要ります。",
                               "title needs `ja_kana`, the reading of the Japanese title."))
        return title

    def all_fields(self) -> list[FormField]:
        out: list[FormField] = []
        for f in self.fields:
            out.extend(f.walk())
        return out

    def counter_only_ids(self) -> list[str]:
        """Ids of the fields filled at the counter only (the 12-digit number): never stored,
        never on the slip, never exported."""
        return [f.id for f in self.all_fields() if f.kind.counter_only]

    def field(self, field_id: str) -> FormField:
        for f in self.all_fields():
            if f.id == field_id:
                return f
        raise KeyError(field_id)

    @property
    def name(self) -> Text:
        return self.short_title or self.title


class ScreeningQuestion(_Model):
    id: str = Field(pattern=ID)
    label: Text
    help: Text | None = None


class EventStep(_Model):
    """A procedure the event may need: a kiosk form, or guidance for one done elsewhere."""

    form: str | None = Field(default=None, pattern=ID)
    info: Text | None = None
    when: str | None = None
    # Answers the event implies for this procedure (国保 in a move-in: action join), given
    # and not asked: field id -> value (`today` for a date: the day of the visit).
    answers: dict[str, str | int | bool | list[str]] = Field(default_factory=dict)
    # Which members of a shared group one of the procedure's groups holds: group id -> a
    # condition over a member's answers (国保: `joins_kokuho`). Without it, every member.
    select: dict[str, str] = Field(default_factory=dict)
    # A shared answer as this procedure words it: field id -> {shared value: its value}
    # (おくやみ: a family member living apart is an agent for 国保's notification).
    values: dict[str, dict[str, str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_of(self) -> EventStep:
        if (self.form is None) == (self.info is None):
            raise ShapeError(T("手順には form（手続きの id）か info（案内）のどちらか一方を書きます。",
                               "each step has either `form` (a procedure id) or `info` "
                               "(guidance), not both."))
        return self


class LifeEvent(_Model):
    id: str = Field(pattern=ID)
    title: Text
    description: Text | None = None
    questions: list[ScreeningQuestion] = Field(default_factory=list)
    # What the event asks once for all its procedures (forms/events.py).
    shared: list[FormField] = Field(default_factory=list)
    steps: list[EventStep] = Field(min_length=1)


class LifeEventsFile(_Model):
    life_events: list[LifeEvent] = Field(min_length=1)
