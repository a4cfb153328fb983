"""Answers as a resident reads them back: the confirm screen's rows and the marks for the clerk.

Plain Python beside the session, so the confirm screen, the idle test and any other front
end list the answers the same way, and a test checks it without a screen. The wording of a
value is forms.reading's, so the resident confirms what the desk and the paper form show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from forms.model import Form, FormField
from forms.reading import YES_NO, Unreadable, item_summary, read_value
from forms.text import Text
from kiosk.session.session import Session

# YES_NO and item_summary are forms.reading's, named here too for the screens that import them.
__all__ = ["YES_NO", "Row", "Summary", "item_summary", "read_answer", "summary"]


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


@dataclass(frozen=True)
class Summary:
    """One procedure's answers, in form order."""

    procedure: int
    title: Text
    rows: tuple[Row, ...]
    # The form's `info` fields that the answers make visible (e.g. what to bring, a deadline).
    notes: tuple[Text, ...] = ()


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list)) and not value)


def read_answer(form: Form, field: FormField, value: Any, lang: str) -> str:
    """The answer as forms.reading words it; one it cannot word is shown as it was typed.

    The confirm screen lists answers before they are checked for sending, so a value the
    field cannot hold (30 February) still shows, and the question's own error says
    what is wrong with it.
    """
    try:
        return read_value(form, field, value, lang)
    except Unreadable:
        return str(value)


def summary(session: Session, lang: str) -> list[Summary]:
    """Every answered question of every chosen procedure, for the confirm screen."""
    out: list[Summary] = []
    for index, ev in enumerate(session.evaluations()):
        proc = session.procedures[index]
        rows: list[Row] = []
        # What the resident should know before sending: warnings first (a notice period
        # passed: the application still goes in, and the clerk sees the same), then the
        # form's visible info texts, those of a group's items once each (「別居監護申立書」
        # for any child living apart).
        infos = {s.field.id: s.field.help or s.field.label for s in ev.states
                 if s.visible and s.field.kind.is_note}
        notes = tuple(w.message for w in ev.warnings) + tuple(infos.values())
        for state in ev.states:
            if not state.visible or not state.field.kind.asked_at_kiosk or "[" in state.path:
                continue
            raw = ev.values.get(state.path) if state.field.kind.repeats else state.value
            if _empty(raw):
                continue
            marks = proc.flags.get(state.path, [])
            if state.field.kind.repeats:  # what the clerk will see on any of its items
                marks = [m for path, ms in proc.flags.items() if path.startswith(f"{state.path}[")
                         for m in ms if m != "from_card"]
            rows.append(Row(
                procedure=index,
                path=state.path,
                label=state.field.label,
                value=read_answer(proc.form, state.field, raw, lang),
                from_card="from_card" in marks,
                changed="corrected" in marks,
                undecodable="undecodable" in marks,
            ))
        out.append(Summary(index, proc.form.name, tuple(rows), notes))
    return out
