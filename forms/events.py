"""A life event's shared answers: what it asks once, and how each procedure's fields take them.

A life event (forms/library/life_events.yaml) lists `shared` questions: the applicant, the
household, the move date. A procedure's field says `bind: event.move_date`, the way another
says `bind: card.name`; a group says `bind: event.household` and takes one item per member
(those the event's step `select`s), each child from the member's child of the same id and
type, or the one its own `bind: event.household.name_kana` names. Outside a group,
`event.household.name_kana` is the card holder's own line of the household (the first line
when the card holder is not one of them). The event's yes/no questions are shared answers
too (`event.has_card`). A field may name several, `event.move_date or event.death_date`: it
takes the first the event shares, so one procedure serves several events.

A procedure used alone has no event: its bound fields are asked like any other. A value the
procedure does not offer (an applicant kind it has not) is not given: the procedure asks.
Everything here is pure; kiosk/session/shared.py applies it to one resident's answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from forms import expr
from forms.model import Form, FormField, LifeEvent
from forms.text import T, Text

PREFIX = "event."
SHARED_TITLE = Text(ja="共通の質問", ja_kana="きょうつうのしつもん", en="Questions for all procedures")


@dataclass(frozen=True)
class EventBinding:
    """One field of a procedure filled from the event's shared answers."""

    field: FormField
    path: str  # where the procedure keeps it: "applicant", "members"
    shared: str  # the shared answer: "applicant", "household"
    child: str | None = None  # "event.household.name_kana": that child of the holder's line


def target(bind: str) -> tuple[str, str | None] | None:
    """("household", "name_kana") for `event.household.name_kana`; None if not that shape."""
    if not bind.startswith(PREFIX):
        return None
    parts = bind.removeprefix(PREFIX).split(".")
    if len(parts) > 2 or not all(parts):
        return None
    return parts[0], parts[1] if len(parts) == 2 else None


def resolve(field: FormField, shared: Iterable[str]) -> tuple[str, str | None] | None:
    """The first of the field's event bindings this event shares, or None."""
    ids = set(shared)
    for part in field.event_bind:
        found = target(part)
        if found is not None and found[0] in ids:
            return found
    return None


def bindings(form: Form, shared: Iterable[str]) -> list[EventBinding]:
    """The form's fields this event fills, outside groups (a group's children map per item)."""
    ids = set(shared)
    out: list[EventBinding] = []

    def visit(fields: list[FormField]) -> None:
        for f in fields:
            found = resolve(f, ids)
            if found is not None:
                out.append(EventBinding(f, f.id, found[0], found[1]))
            if f.kind.is_section:
                visit(f.fields or [])

    visit(form.fields)
    return out


def shared_fields(event: LifeEvent) -> dict[str, FormField]:
    """Every shared answer of the event by id: its yes/no questions, then its `shared`."""
    out = {q.id: FormField(id=q.id, type="yes_no", label=q.label, help=q.help)
           for q in event.questions}
    out.update({f.id: f for f in event.shared})
    return out


def child_map(group: FormField, shared: FormField) -> dict[str, str]:
    """For a procedure's group bound to a shared group: its child id -> the shared child id.

    A child names its own (`bind: event.household.name`) or takes the one of the same id
    and type; children left out are asked per item.
    """
    theirs = {c.id: c for c in shared.fields or ()}
    out: dict[str, str] = {}
    for child in group.fields or ():
        found = resolve(child, [shared.id])
        if found is not None and found[1] in theirs:
            out[child.id] = found[1]
        elif not child.event_bind and child.id in theirs and theirs[child.id].type == child.type:
            out[child.id] = child.id
    return out


def offered(form: Form, field: FormField, value: Any) -> bool:
    """Whether the procedure's field can hold a shared answer as it is (its choices offer it)."""
    kind = field.kind
    if kind.options == "applicants":
        return value in {a.kind for a in form.applicants}
    if kind.options == "choices":
        values = {c.value for c in field.choices or ()}
        chosen = value if isinstance(value, list) else [value]
        return all(v in values for v in chosen)
    return True


def answerable(form: Form, key: str) -> FormField | None:
    """The procedure's question an implied answer names: one holding a value, not in a group."""
    in_groups = {c.id for f in form.all_fields() if f.kind.repeats for c in f.walk()[1:]}
    fields = {f.id: f for f in form.all_fields() if f.kind.holds_value and f.id not in in_groups}
    return fields.get(key)


def implies(form: Form, key: str, value: Any) -> bool:
    """Whether a step's implied answer fits the procedure (`today` fits a date)."""
    field = answerable(form, key)
    if field is None:
        return False
    if field.kind.options == "yes_no":
        return isinstance(value, bool)
    if field.kind.is_date:
        return bool(value == "today")
    return offered(form, field, value)


def shared_form(event: LifeEvent, forms: list[Form]) -> Form | None:
    """The questions the chosen procedures share, as one form the kiosk asks first.

    Only the shared answers some chosen procedure binds are asked (and those their
    conditions need); the event's yes/no questions, already answered, come along for the
    conditions that use them. A shared answer one of them requires is required, so that
    procedure never asks it itself. None when the procedures share nothing.
    """
    every = shared_fields(event)
    used = {found[0] for form in forms for f in form.all_fields()
            if (found := resolve(f, every)) is not None}
    wanted = _with_conditions(used & set(every), every)
    if not wanted - {q.id for q in event.questions}:
        return None
    needed = {b.shared for form in forms for b in bindings(form, every)
              if b.field.required is True}
    fields = [every[q.id] for q in event.questions]
    fields += [f.model_copy(update={"required": True}) if f.id in needed else f
               for f in event.shared if f.id in wanted]
    return Form.model_validate({
        "id": event.id, "version": 1, "title": event.title, "short_title": SHARED_TITLE,
        "category": "moving", "counter": "event",
        "applicants": [{"kind": "self", "label": SHARED_TITLE}], "fields": fields,
    })


def _with_conditions(ids: set[str], every: Mapping[str, FormField]) -> set[str]:
    """The ids and every shared answer their `show_if` / `required` read, transitively."""
    out, todo = set(), list(ids)
    while todo:
        name = todo.pop()
        if name in out or name not in every:
            continue
        out.add(name)
        for f in every[name].walk():
            for source in (f.show_if, f.required if isinstance(f.required, str) else None):
                if source:
                    todo.extend(expr.parse(source).refs)
    return out


# In a step's `select`: true on the card holder's own line of a shared group.
HOLDER = "holder"


def keeps(condition: str | None, member: Mapping[str, Any], today: dt.date, *,
          holder: bool) -> bool:
    """Whether a member of a shared group is one the step's `select` keeps; `holder` names
    the card holder's own line (配偶者: `not holder and relationship in [...]`)."""
    if not condition:
        return True
    lookup = expr.mapping_lookup({**member, HOLDER: holder})
    return expr.parse(condition).truth(lookup, today=today)


def mismatch(form: Form, field: FormField, shared: FormField, child: str | None) -> Text | None:
    """What keeps a shared answer from filling this field (validate reports it), or None."""
    if child is not None:
        inner = {c.id: c for c in shared.fields or ()}
        if not shared.kind.repeats or child not in inner:
            return T(f"「{shared.id}」に「{child}」はありません。",
                     f"'{shared.id}' has no '{child}'.")
        shared = inner[child]
    if field.kind.repeats != shared.kind.repeats:
        return T(f"繰り返しの項目（group）は group にだけ結び付けられます（{shared.id}）。",
                 f"a group binds only to a shared group, and only a group to it ('{shared.id}').")
    if field.kind.repeats:
        return None
    compatible = field.type == shared.type or (
        field.kind.options == "applicants" and shared.kind.options == "choices")
    if not compatible:
        return T(f"{field.type} 型の項目に {shared.type} 型の「{shared.id}」は入りません。",
                 f"a {field.type} field cannot take '{shared.id}', a {shared.type}.")
    return None


def unoffered(form: Form, field: FormField, shared: FormField) -> list[str]:
    """Shared choice values the procedure's field does not offer: when the resident gives
    one of them, the procedure asks its own question (validate warns)."""
    return [c.value for c in shared.choices or () if not offered(form, field, c.value)]
