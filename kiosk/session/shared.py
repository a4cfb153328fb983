"""A life event's shared answers in one session: asked once, given to every procedure.

The shared questions are a procedure of their own at the head of the list (`shared=True`,
never filed). After every answer `sync` copies what they hold into each procedure's bound
fields (forms/events.py says which), with the marks the clerk needs (「カードから」), so every
procedure stays complete on its own: the desk and the paper forms see no difference.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from forms import events
from forms.engine import evaluate
from forms.model import EventStep, Form, FormField, LifeEvent
from kiosk.session.state import Procedure


def expand(event: LifeEvent, chosen: Sequence[tuple[Form, EventStep]],
           screening: Mapping[str, bool], today: dt.date) -> list[Procedure]:
    """The session's procedures for a life event: the shared questions first (when the
    chosen procedures share any), each procedure with the answers the event implies."""
    procedures: list[Procedure] = []
    form = events.shared_form(event, [f for f, _ in chosen])
    if form is not None:
        procedures.append(Procedure(form, answers=dict(screening), asked=set(screening),
                                    given=set(screening), shared=True))
    for proc_form, step in chosen:
        implied = {key: today.isoformat() if value == "today" else value
                   for key, value in step.answers.items()}
        procedures.append(Procedure(proc_form, answers=implied, asked=set(implied),
                                    given=set(implied), select=dict(step.select),
                                    values={k: dict(v) for k, v in step.values.items()}))
    return procedures


def takes_shared(procedures: Sequence[Procedure], proc: Procedure, field: FormField) -> bool:
    """Whether this session's shared questions answer the field (then the procedure never
    asks it, nor offers it on the confirm screen)."""
    if proc.shared or not procedures or not procedures[0].shared:
        return False
    return events.resolve(field, _ids(procedures[0])) is not None


def _ids(source: Procedure) -> set[str]:
    return {f.id for f in source.form.fields}


def fills(procedures: Sequence[Procedure], shared_id: str) -> list[int]:
    """The procedures a shared answer fills now, for 「国民健康保険、児童手当に使います」."""
    if not procedures or not procedures[0].shared:
        return []
    ids = _ids(procedures[0])
    return [i for i, proc in enumerate(procedures) if not proc.shared and any(
        b.shared == shared_id and b.path in proc.bound for b in events.bindings(proc.form, ids))]


def sync(procedures: Sequence[Procedure], today: dt.date) -> None:
    """Give every procedure what the shared questions hold now; take back what they no
    longer hold. A value a procedure does not offer is left to that procedure to ask."""
    if not procedures or not procedures[0].shared:
        return
    source = procedures[0]
    values = evaluate(source.form, source.answers, today=today).values
    shared = {f.id: f for f in source.form.fields}
    for proc in procedures[1:]:
        for binding in events.bindings(proc.form, shared):
            if binding.field.kind.repeats:
                _fill_group(proc, binding, shared[binding.shared], values,
                            source=source, today=today)
            else:
                value, marks = _value(binding, values, source,
                                      select=proc.select.get(binding.path), today=today)
                _put(proc, binding.field, value, marks)


def _value(binding: events.EventBinding, values: Mapping[str, Any], source: Procedure, *,
           select: str | None, today: dt.date) -> tuple[Any, list[str]]:
    """A shared answer and its marks. `event.household.name_kana` reads the first line of
    the group: the card holder's own, when the card filled it (else the first member); with
    the event's `select` (配偶者: `relationship in ['wife', 'husband']`), the first other
    member it keeps."""
    if binding.child is None:
        return values.get(binding.shared), source.flags.get(binding.shared, [])
    members = [m if isinstance(m, dict) else {} for m in values.get(binding.shared) or []]
    at: int | None = 0 if members else None
    if select is not None:
        holder = any(p.startswith(f"{binding.shared}[0].") for p in source.card_values)
        at = next((i for i, m in enumerate(members)
                   if not (i == 0 and holder) and events.keeps(select, m, today)), None)
    if at is None:
        return None, []
    return members[at].get(binding.child), source.flags.get(
        f"{binding.shared}[{at}].{binding.child}", [])


def _put(proc: Procedure, field: FormField, value: Any, marks: list[str]) -> None:
    path = field.id
    if isinstance(value, str):
        value = proc.values.get(path, {}).get(value, value)
    if value is None or not events.offered(proc.form, field, value):
        if path in proc.bound:  # taken back: the shared answer went, or is not offered here
            proc.bound.discard(path)
            proc.answers.pop(path, None)
            proc.asked.discard(path)
            proc.flags.pop(path, None)
        return
    proc.answers[path] = value
    proc.bound.add(path)
    proc.asked.add(path)
    if marks:
        proc.flags[path] = list(marks)
    else:
        proc.flags.pop(path, None)


def _fill_group(proc: Procedure, binding: events.EventBinding, group: FormField,
                values: Mapping[str, Any], *, source: Procedure, today: dt.date) -> None:
    """The procedure's group holds the shared group's members the event selects; what the
    procedure asked per member (国保の資格確認書を返すか) stays with that member."""
    path, mine = binding.path, binding.field
    members = [m for m in values.get(binding.shared) or [] if isinstance(m, dict)]
    mapping = events.child_map(mine, group)
    picked = [h for h, m in enumerate(members) if events.keeps(proc.select.get(path), m, today)]
    before = proc.item_sources.get(path, [])
    raw = proc.answers.get(path)
    old: list[dict[str, Any]] = raw if isinstance(raw, list) else []
    prefix = f"{path}["
    kept_asked = {p for p in proc.asked if not p.startswith(prefix)}
    flags = {p: m for p, m in proc.flags.items() if not p.startswith(prefix)}
    items: list[dict[str, Any]] = []
    for pos, h in enumerate(picked):
        at = before.index(h) if h in before and before.index(h) < len(old) else None
        extra = {k: v for k, v in (old[at] if at is not None else {}).items() if k not in mapping}
        item = {**extra, **{m: members[h][t] for m, t in mapping.items() if t in members[h]}}
        items.append(item)
        kept_asked |= {f"{path}[{pos}].{k}" for k in item}
        for m, t in mapping.items():
            marks = source.flags.get(f"{binding.shared}[{h}].{t}")
            if marks:
                flags[f"{path}[{pos}].{m}"] = list(marks)
    proc.answers[path] = items
    proc.item_sources[path] = picked
    proc.asked = kept_asked | {path}
    proc.flags = flags
    proc.bound.add(path)
