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

# In `Procedure.item_sources`: an item the resident added in the procedure itself.
OWN = -1


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
                   for key, value in step.answers.items()
                   if events.implies(proc_form, key, value)}
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
    the event's `select` (世帯主: `relationship == 'head'`), the first member it keeps."""
    if binding.child is None:
        return values.get(binding.shared), source.flags.get(binding.shared, [])
    members = [m if isinstance(m, dict) else {} for m in values.get(binding.shared) or []]
    at: int | None = 0 if members else None
    if select is not None:
        holder = _holder_line(source, binding.shared)
        at = next((i for i, m in enumerate(members)
                   if events.keeps(select, m, today, holder=i == holder)), None)
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
    """The procedure's group holds the shared group's members the event selects (less those
    the resident took out of it), then the items added in this procedure alone (an older
    child for 児童手当 after a birth); what the procedure asked per item stays with it."""
    path, mine = binding.path, binding.field
    members = [m if isinstance(m, dict) else {} for m in values.get(binding.shared) or []]
    mapping = events.child_map(mine, group)
    dropped = proc.dropped.get(path, set())
    holder = _holder_line(source, binding.shared)
    picked = [h for h, m in enumerate(members) if h not in dropped
              and events.keeps(proc.select.get(path), m, today, holder=h == holder)]
    before = proc.item_sources.get(path, [])
    raw = proc.answers.get(path)
    old: list[dict[str, Any]] = raw if isinstance(raw, list) else []
    sources = [*picked, *(OWN for src in before if src == OWN)]
    olds = [before.index(h) if h in before else None for h in picked]
    olds += [i for i, src in enumerate(before) if src == OWN]
    prefix = f"{path}["
    asked = {p for p in proc.asked if not p.startswith(prefix)}
    flags = {p: m for p, m in proc.flags.items() if not p.startswith(prefix)}
    items: list[dict[str, Any]] = []
    for pos, (h, at) in enumerate(zip(sources, olds, strict=True)):
        was = old[at] if at is not None and at < len(old) else {}
        item = {k: v for k, v in was.items() if k not in mapping or h == OWN}
        if at is not None:
            asked |= {f"{path}[{pos}].{k}" for k in _asked_children(proc.asked, path, at)}
            flags |= {f"{path}[{pos}].{k}": m for k, m in _flags_of(proc.flags, path, at).items()
                      if h == OWN}
        if h != OWN:
            item |= {m: members[h][t] for m, t in mapping.items() if t in members[h]}
            asked |= {f"{path}[{pos}].{m}" for m in mapping}
            flags |= {f"{path}[{pos}].{m}": list(marks) for m, t in mapping.items()
                      if (marks := source.flags.get(f"{binding.shared}[{h}].{t}"))}
        items.append(item)
    proc.answers[path] = items
    proc.item_sources[path] = sources
    proc.asked = asked | {path}
    proc.flags = flags
    proc.bound.add(path)


def _holder_line(source: Procedure, group: str) -> int | None:
    """The card holder's own line of a shared group: the first, when the card filled it."""
    return 0 if any(p.startswith(f"{group}[0].") for p in source.card_values) else None


def _asked_children(asked: set[str], path: str, index: int) -> set[str]:
    prefix = f"{path}[{index}]."
    return {p.removeprefix(prefix) for p in asked if p.startswith(prefix)}


def _flags_of(flags: Mapping[str, list[str]], path: str, index: int) -> dict[str, list[str]]:
    prefix = f"{path}[{index}]."
    return {p.removeprefix(prefix): m for p, m in flags.items() if p.startswith(prefix)}
