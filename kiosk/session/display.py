"""Answers as a resident reads them back: choice labels, era dates, marks for the clerk.

Plain Python beside the session, so the confirm screen, the idle test and any other front
end word an answer the same way, and a test checks it without a screen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from babel.dates import format_date

from forms.engine import FieldState
from forms.japanese_dates import format_era, format_western
from forms.model import Form, FormField
from forms.text import T, Text
from kiosk.session.session import QUESTION_TYPES, Session

YES_NO = {True: T("はい", "Yes"), False: T("いいえ", "No")}
_LIST_SEPARATOR = {"ja": "、"}


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


def _date(value: str, field: FormField, lang: str) -> str:
    day = dt.date.fromisoformat(value)
    if lang == "ja":
        return format_era(day) if field.calendar == "era" else format_western(day)
    try:
        return str(format_date(day, format="long", locale=lang))
    except (ValueError, LookupError):
        return day.isoformat()


def _choice_label(field: FormField, value: Any, lang: str) -> str:
    for choice in field.choices or ():
        if choice.value == value:
            return choice.label.get(lang)
    return str(value)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list)) and not value)


def format_value(  # noqa: PLR0911 - one return per field type reads as the table it is
    form: Form, field: FormField, value: Any, lang: str) -> str:
    """The answer in words: '昭和50年1月2日', '世帯全員', 'はい'; '' when unanswered."""
    if _empty(value):
        return ""
    kind = field.type
    if kind == "date" and isinstance(value, str):
        try:
            return _date(value, field, lang)
        except ValueError:
            return value
    if kind == "choice":
        return _choice_label(field, value, lang)
    if kind == "multi_choice" and isinstance(value, list):
        return _LIST_SEPARATOR.get(lang, ", ").join(_choice_label(field, v, lang) for v in value)
    if kind == "yes_no" and isinstance(value, bool):
        return YES_NO[value].get(lang)
    if kind == "applicant":
        found = next((a.label for a in form.applicants if a.kind == value), None)
        return found.get(lang) if found else str(value)
    if kind == "group" and isinstance(value, list):
        return _LIST_SEPARATOR.get(lang, ", ").join(
            item_summary(field, item) for item in value if isinstance(item, dict))
    return str(value)


def item_summary(group: FieldState | FormField, item: dict[str, Any]) -> str:
    """One item of a group in a few words: its first text answer (a person's name)."""
    field = group.field if isinstance(group, FieldState) else group
    for child in field.fields or ():
        value = item.get(child.id)
        if child.type in ("text", "katakana") and isinstance(value, str) and value:
            return value
    return next((str(v) for v in item.values() if isinstance(v, str) and v), "")


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
                 if s.visible and s.field.type == "info"}
        notes = tuple(w.message for w in ev.warnings) + tuple(infos.values())
        for state in ev.states:
            if not state.visible or state.field.type not in QUESTION_TYPES or "[" in state.path:
                continue
            raw = ev.values.get(state.path) if state.field.type == "group" else state.value
            if _empty(raw):
                continue
            marks = proc.flags.get(state.path, [])
            if state.field.type == "group":  # what the clerk will see on any of its items
                marks = [m for path, ms in proc.flags.items() if path.startswith(f"{state.path}[")
                         for m in ms if m != "from_card"]
            rows.append(Row(
                procedure=index,
                path=state.path,
                label=state.field.label,
                value=format_value(proc.form, state.field, raw, lang),
                from_card="from_card" in marks,
                changed="corrected" in marks,
                undecodable="undecodable" in marks,
            ))
        out.append(Summary(index, proc.form.name, tuple(rows), notes))
    return out
