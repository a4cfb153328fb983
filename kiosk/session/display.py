"""Answers as a resident reads them back: the confirm screen's rows and the marks for the clerk.

Plain Python beside the session, so the confirm screen, the idle test and any other front
end list the answers the same way, and a test checks it without a screen. The wording of a
value is forms.reading's, so the resident confirms what the desk and the paper form show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from common.flags import FlagCode
from forms.engine import Evaluation, FieldState
from forms.model import Form, FormField
from forms.reading import YES_NO, Unreadable, item_summary, read_value
from forms.text import Text
from kiosk.session import shared
from kiosk.session.questions import path_beside, value_at
from kiosk.session.session import Procedure, Question, Session
from printouts.slip import fees_of

# YES_NO and item_summary are forms.reading's, named here too for the screens that import them.
__all__ = ["YES_NO", "Charge", "Offer", "Row", "Summary", "item_summary", "offers",
           "paper_destinations", "read_answer", "summary", "total_fee"]


@dataclass(frozen=True)
class Row:
    """One answer on the confirm screen."""

    procedure: int
    path: str
    label: Text
    value: str
    from_card: bool  # filled from the My Number card (「カードから」)
    changed: bool  # a card value the resident changed (「変更」)
    undecodable: bool  # the card had a character it could not give: the clerk checks it
    # A shared answer of a life event: the procedures it fills (「転入届、国民健康保険」).
    fills: tuple[Text, ...] = ()
    # A card's value listed once for several procedures: changed, it changes in all of them.
    also: tuple[int, ...] = ()


@dataclass(frozen=True)
class Summary:
    """One procedure's answers, in form order."""

    procedure: int
    title: Text
    rows: tuple[Row, ...]
    # The form's `info` fields that the answers make visible (e.g. what to bring, a deadline).
    notes: tuple[Text, ...] = ()
    charges: tuple[Charge, ...] = ()  # what it costs, line by line as on the slip
    fee_note: Text | None = None


@dataclass(frozen=True)
class Charge:
    """One line of a procedure's fee, from the slip's own calculation (printouts.slip)."""

    kind: Text | None  # the kind of certificate, when the form prices kinds apart
    unit: int  # yen
    copies: int | None  # None: once per application
    total: int


@dataclass(frozen=True)
class Offer:
    """An optional question on the confirm screen, once for all procedures that ask it."""

    path: str
    label: Text
    procedures: tuple[int, ...]
    titles: tuple[Text, ...]  # the procedures' names when more than one asks it


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list)) and not value)


def read_answer(form: Form, field: FormField, value: Any, lang: str,
                beside: Mapping[str, Any] | None = None) -> str:
    """The answer as forms.reading words it; one it cannot word is shown as it was typed.

    The confirm screen lists answers before they are checked for sending, so a value the
    field cannot hold (30 February) still shows, and the question's own error says
    what is wrong with it.
    """
    try:
        return read_value(form, field, value, lang, beside)
    except Unreadable:
        return str(value)


def summary(session: Session, lang: str) -> list[Summary]:
    """Every answered question of every chosen procedure, for the confirm screen.

    In a life event each fact is listed once: the shared answers with the procedures they
    fill, and what the card filled in several procedures (窓口に来た人の氏名) among them.
    """
    out: list[Summary] = []
    in_event = bool(session.procedures) and session.procedures[0].shared
    once: dict[tuple[str, str], Row] = {}  # (card binding, path) -> the row, listed once
    groups = {f.label.ja for f in session.procedures[0].form.fields
              if f.kind.repeats} if in_event else set()  # the shared groups' names
    for index, ev in enumerate(session.evaluations()):
        proc = session.procedures[index]
        rows: list[Row] = []
        for state in _listed(proc, ev, groups):
            row = _row(session, index, ev, state, lang)
            bind = state.field.bind or ""
            if in_event and not proc.shared and bind.startswith("card."):
                first = once.setdefault((bind, state.path), row)
                once[(bind, state.path)] = replace(
                    first, fills=(*first.fills, proc.form.name),
                    also=(*first.also, index) if first is not row else (index,))
                continue
            rows.append(row)
        out.append(Summary(index, proc.form.name, tuple(rows), _notes(ev),
                           _charges(proc.form, ev), proc.form.fee.note if proc.form.fee else None))
    if once:
        out[0] = replace(out[0], rows=(*once.values(), *out[0].rows))
    return out


def _notes(ev: Evaluation) -> tuple[Text, ...]:
    """What the resident should know before sending: warnings first (a notice period
    passed: the application still goes in, and the clerk sees the same), then the form's
    visible info texts, those of a group's items once each (「別居監護申立書」 for any child
    living apart)."""
    infos = {s.field.id: s.field.help or s.field.label for s in ev.states
             if s.visible and s.field.kind.is_note}
    return tuple(w.message for w in ev.warnings) + tuple(infos.values())


def _listed(proc: Procedure, ev: Evaluation, shared_groups: set[str]) -> list[FieldState]:
    """The answers of a procedure the confirm screen lists: visible, answered, asked at the
    kiosk; an answer of the shared questions is listed once, with them."""
    out: list[FieldState] = []
    for state in ev.states:
        if (not state.visible or not state.field.kind.asked_at_kiosk or "[" in state.path
                or state.path in proc.given
                or (state.path in proc.bound and not _says_more(proc, state, shared_groups))):
            continue
        raw = ev.values.get(state.path) if state.field.kind.repeats else state.value
        if not _empty(raw):
            out.append(state)
    return out


def _says_more(proc: Procedure, state: FieldState, shared_groups: set[str]) -> bool:
    """A group filled from the shared members is listed under its procedure when it says
    something of its own: which members (国保: who joins) or under another name (児童手当's
    育てているお子さん, where an older child is added); the same list under the same name is
    the shared answer again."""
    if not state.field.kind.repeats:
        return False
    if state.path in proc.select or shared.OWN in proc.item_sources.get(state.path, []):
        return True
    return state.field.label.ja not in shared_groups


def _row(session: Session, index: int, ev: Evaluation, state: FieldState, lang: str) -> Row:
    proc = session.procedures[index]
    raw = ev.values.get(state.path) if state.field.kind.repeats else state.value
    marks = proc.flags.get(state.path, [])
    if state.field.kind.repeats:  # what the clerk will see on any of its items
        marks = [m for path, ms in proc.flags.items() if path.startswith(f"{state.path}[")
                 for m in ms if m != FlagCode.FROM_CARD]
    fills = shared.fills(session.procedures, state.path) if proc.shared else []
    return Row(
        procedure=index,
        path=state.path,
        label=state.field.label,
        value=read_answer(proc.form, state.field, raw, lang, _beside(proc, state)),
        from_card=FlagCode.FROM_CARD in marks,
        changed=FlagCode.CORRECTED in marks,
        undecodable=FlagCode.UNDECODABLE in marks,
        fills=tuple(session.procedures[i].form.name for i in fills),
    )


def _beside(proc: Procedure, state: FieldState) -> dict[str, Any] | None:
    """The bank a branch belongs to, which reading it by name needs (丸の内（002）)."""
    bank = state.field.bank
    return None if bank is None else {bank: value_at(proc, path_beside(state.path, bank))}


def _charges(form: Form, ev: Evaluation) -> tuple[Charge, ...]:
    """The slip's fee lines (`fees_of` names kinds in Japanese: their Text is looked up)."""
    kinds = {line.label.ja: line.label for line in form.fee.lines} if form.fee else {}
    return tuple(Charge(kinds.get(fee.kind) if fee.kind else None, fee.unit, fee.copies,
                        fee.total) for fee in fees_of(form, ev))


def total_fee(summaries: list[Summary]) -> int:
    return sum(charge.total for item in summaries for charge in item.charges)


def offers(session: Session) -> list[Offer]:
    """The optional questions, one offer for a question several procedures ask (the same
    id, type and label: 「日中の電話番号」 of 転入届, 国保 and 児童手当)."""
    grouped: dict[tuple[str, str, str], list[Question]] = {}
    for question in session.optional_questions():
        field = question.state.field
        grouped.setdefault((question.state.path, field.type, field.label.ja), []).append(question)
    out: list[Offer] = []
    for same in grouped.values():
        indexes = tuple(q.procedure for q in same)
        titles = tuple(session.procedures[i].form.name for i in indexes)
        out.append(Offer(same[0].state.path, same[0].state.field.label, indexes,
                         titles if len(indexes) > 1 else ()))
    return out


def paper_destinations(session: Session) -> list[tuple[str, tuple[Text, ...]]]:
    """Where the paper forms go: each counter (its id in kiosk.toml) with the forms' names,
    in the order the procedures were chosen."""
    by_counter: dict[str, list[Text]] = {}
    for proc in session.procedures:
        if proc.shared:
            continue
        by_counter.setdefault(proc.form.counter, []).append(proc.form.name)
    return [(counter, tuple(names)) for counter, names in by_counter.items()]
