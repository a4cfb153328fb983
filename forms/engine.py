"""The answer engine: given a form and the answers so far, what is shown, required and wrong.

Pure Python, no screen: the kiosk's screens, the counter desk and the printouts all ask
it the same questions, so a form behaves the same everywhere. Nothing here keeps state
between calls; the caller owns the answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from forms import expr
from forms.answer_messages import message
from forms.model import Form, FormField, Rule, digit_count
from forms.normalise import Invalid, check_branch, normalise
from forms.patterns import matches
from forms.text import Text

Stage = Literal["kiosk", "counter"]


@dataclass(frozen=True)
class AnswerError:
    path: str  # "purpose", "members[1].name", "" for the whole form
    code: str
    message: Text


@dataclass(frozen=True)
class FieldState:
    path: str
    field: FormField
    visible: bool
    required: bool
    value: Any  # normalised when valid, as given otherwise, None when unanswered
    error: AnswerError | None


@dataclass(frozen=True)
class Evaluation:
    form: Form
    states: tuple[FieldState, ...]
    values: dict[str, Any]  # normalised answers of the visible fields; groups as lists of dicts
    errors: tuple[AnswerError, ...]
    # Rules of level "warning" that do not hold: told and marked, never blocking.
    warnings: tuple[AnswerError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    def state(self, path: str) -> FieldState:
        for s in self.states:
            if s.path == path:
                return s
        raise KeyError(path)

    def visible(self) -> list[FieldState]:
        return [s for s in self.states if s.visible]

    def error_at(self, path: str) -> AnswerError | None:
        return next((e for e in self.errors if e.path == path), None)


def _empty(value: Any) -> bool:
    return value is None or value in ("", [], {})


def _compile(source: str | None) -> expr.Expression | None:
    return expr.parse(source) if source else None


def _pattern_holds(pattern: str, field: FormField | None, value: Any) -> bool:
    """An unanswered field holds any pattern (it gets "required" instead); an answer is tried
    as text, at most its field's length (forms/patterns.py: short answers stay fast)."""
    if field is None or _empty(value):
        return True
    limit = digit_count(field)[1] if field.kind.digit_boxes else field.max_length
    return matches(pattern, str(value), limit)


class _Run:
    """One evaluation: the answers, their normalised values, and what has been found."""

    def __init__(self, form: Form, answers: Mapping[str, Any], today: dt.date, stage: Stage,
                 hidden: frozenset[str]) -> None:
        self.form, self.today, self.stage = form, today, stage
        self.answers = answers
        self.states: list[FieldState] = []
        self.errors: list[AnswerError] = []
        self.warnings: list[AnswerError] = []
        # Normalised top-level values, for conditions. A hidden field's answer is left out: it
        # is not part of the application, so nothing may depend on it.
        self.clean: dict[str, Any] = {}
        for f in form.all_fields():
            raw = answers.get(f.id)
            if f.id in hidden or _empty(raw):
                continue
            if f.kind.repeats:
                self.clean[f.id] = raw if isinstance(raw, list) else None  # for count(members)
            elif f.kind.holds_value:
                self.clean[f.id] = self._try(f, raw)
        self.lookup = expr.mapping_lookup(self.clean)

    def _try(self, field: FormField, raw: Any) -> Any:
        try:
            return normalise(raw, field, self.form, self.today)
        except Invalid:
            return None

    def condition(self, source: str | bool | None, lookup: expr.Lookup, default: bool) -> bool:
        if isinstance(source, bool):
            return source
        parsed = _compile(source)
        return default if parsed is None else parsed.truth(lookup, today=self.today)

    def run(self) -> dict[str, Any]:
        return self.fields(self.form.fields, self.answers, "", self.lookup, True)

    def fields(self, fields: list[FormField], answers: Mapping[str, Any], prefix: str,
               lookup: expr.Lookup, shown: bool) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for f in fields:
            path = f"{prefix}{f.id}"
            at_stage = not f.kind.counter_only or self.stage == "counter"
            visible = shown and at_stage and self.condition(f.show_if, lookup, True)
            if f.kind.is_section:
                self.states.append(FieldState(path, f, visible, False, None, None))
                values.update(self.fields(f.fields or [], answers, prefix, lookup, visible))
            elif f.kind.repeats:
                items = self.group(f, answers.get(f.id), path, visible)
                if visible:
                    values[f.id] = items
            else:
                value = self.field(f, answers.get(f.id), path, lookup, visible)
                if visible and not _empty(value):
                    values[f.id] = value
        return values

    def field(self, f: FormField, raw: Any, path: str, lookup: expr.Lookup, visible: bool) -> Any:
        required = (visible and f.kind.holds_value
                    and self.condition(f.required, lookup, False))
        error: AnswerError | None = None
        value = raw
        if _empty(raw) or not f.kind.holds_value:
            value = None  # an info field holds nothing, whatever reached it
            if required:
                error = AnswerError(path, "required", message("required", {}))
        else:
            try:
                value = normalise(raw, f, self.form, self.today)
                if f.bank is not None:  # a branch is one of its bank's: the bank answered beside it
                    check_branch(value, lookup(f.bank))
            except Invalid as exc:
                error = AnswerError(path, exc.code, message(exc.code, exc.params))
        if visible and error is None and value is not None:
            own = expr.mapping_lookup({"value": value}, {f.id: value})
            error = self.rules(f, own, path, lookup, "error")
            if error is None:
                warning = self.rules(f, own, path, lookup, "warning")
                if warning is not None:
                    self.warnings.append(warning)
        if visible and error:
            self.errors.append(error)
        self.states.append(
            FieldState(path, f, visible, required, value, error if visible else None))
        return value if error is None else None

    def group(self, f: FormField, raw: Any, path: str, visible: bool) -> list[dict[str, Any]]:
        items = raw if isinstance(raw, list) else []
        count = len(items) if visible else 0
        required = visible and self.condition(f.required, self.lookup, False)
        error = None
        if raw is not None and not isinstance(raw, list):
            error = AnswerError(path, "not_a_list", message("not_a_list", {}))
        elif isinstance(f.min, int) and visible and count < f.min:
            error = AnswerError(path, "too_few_items", message("too_few_items", {"min": f.min}))
        elif isinstance(f.max, int) and count > f.max:
            error = AnswerError(path, "too_many_items", message("too_many_items", {"max": f.max}))
        elif required and count == 0:
            error = AnswerError(path, "required", message("required", {}))
        if error and visible:
            self.errors.append(error)
        self.states.append(FieldState(path, f, visible, required, None, error if visible else None))
        out: list[dict[str, Any]] = []
        for i, entry in enumerate(items):
            item: Mapping[str, Any] = entry if isinstance(entry, Mapping) else {}
            clean = {c.id: self._try(c, item[c.id])
                     for c in f.fields or [] if not _empty(item.get(c.id))}
            scope = expr.mapping_lookup(clean, self.clean)
            out.append(self.fields(f.fields or [], item, f"{path}[{i}].", scope, visible))
        return out if visible else []

    def rules(self, field: FormField, own: expr.Lookup, path: str, lookup: expr.Lookup,
              level: Literal["error", "warning"]) -> AnswerError | None:
        """The first of the field's rules of this level that does not hold."""
        def both(name: str) -> Any:
            value = own(name)
            return value if value is not None else lookup(name)

        for rule in field.rules:
            if rule.level != level:
                continue
            if self.condition(rule.when, both, True) and not self._holds(
                    rule, both, field, own("value")):
                return AnswerError(path, "rule" if level == "error" else "warning", rule.message)
        return None

    def _holds(self, rule: Rule, lookup: expr.Lookup, field: FormField | None,
               value: Any) -> bool:
        """The rule's check is true, or its pattern matches the answer (a field rule's own, a
        form rule's `field`'s)."""
        if rule.pattern is None:
            return self.condition(rule.check, lookup, True)
        return _pattern_holds(rule.pattern, field, value)

    def _target(self, rule: Rule) -> tuple[FormField | None, Any]:
        """A form rule's `field` and its answer (the loader refuses an unknown one)."""
        try:
            field = self.form.field(rule.field or "")
        except KeyError:
            return None, None
        return field, self.clean.get(field.id)

    def form_rules(self) -> None:
        for rule in self.form.rules:
            applies = self.condition(rule.when, self.lookup, True)
            if applies and not self._holds(rule, self.lookup, *self._target(rule)):
                target = rule.field or ""
                # Shown at a field only once it is visible and answered, like the field's own
                # rules: an unanswered field gets "required", not a message about its answer.
                if target and not any(s.path == target and s.visible and s.value is not None
                                      for s in self.states):
                    continue
                if rule.level == "warning":
                    self.warnings.append(AnswerError(target, "warning", rule.message))
                else:
                    self.errors.append(AnswerError(target, "rule", rule.message))


def evaluate(form: Form, answers: Mapping[str, Any], *, today: dt.date,
             stage: Stage = "kiosk") -> Evaluation:
    """What is visible, required and wrong for these answers; `values` holds the clean answers.

    At the kiosk the counter-only fields (the 12-digit number) are never visible: they are
    filled at the counter desk, where `stage="counter"`.
    """
    # A field hidden by a condition must not keep others visible through its stale answer, so
    # evaluate again without the hidden answers until nothing changes. The loader refuses
    # circular conditions, so this settles within the depth of the conditions.
    hidden: frozenset[str] = frozenset()
    for _ in range(len(form.all_fields()) + 1):
        run = _Run(form, answers, today, stage, hidden)
        values = run.run()
        now_hidden = frozenset(s.path for s in run.states if not s.visible and "[" not in s.path)
        if now_hidden == hidden:
            break
        hidden = now_hidden
    run.form_rules()
    return Evaluation(form, tuple(run.states), values, tuple(run.errors), tuple(run.warnings))


def prefill(form: Form, *, card: Mapping[str, Any] | None, office: Mapping[str, str],
            today: dt.date, stage: Stage = "kiosk") -> dict[str, Any]:
    """Answers taken from the card, the office and the date, for the fields bound to them.

    `card` holds name, address, birth_date and sex; the kiosk never passes my_number, and
    a my_number binding is filled only when stage is "counter".
    """
    sources = _sources(card=card, office=office, today=today, stage=stage)
    out: dict[str, Any] = {}
    for f in form.fields:
        for g in f.walk():
            if g.bind and g.bind in sources and g.id not in out and not _inside_group(form, g):
                out[g.id] = sources[g.bind]
    return out


def prefill_item(group: FormField, *, card: Mapping[str, Any] | None, office: Mapping[str, str],
                 today: dt.date) -> dict[str, Any]:
    """One item of a repeated group, with the fields bound inside it filled.

    `prefill` leaves groups alone, because only the caller knows whether the card holder
    is one of the items (the first person who moved, unless an agent came); the kiosk asks
    for this when the resident reaches the group with no item yet.
    """
    sources = _sources(card=card, office=office, today=today, stage="kiosk")
    return {f.id: sources[f.bind] for f in group.fields or () if f.bind and f.bind in sources}


def _sources(*, card: Mapping[str, Any] | None, office: Mapping[str, str], today: dt.date,
             stage: Stage) -> dict[str, Any]:
    sources: dict[str, Any] = {"today": today.isoformat()}
    sources.update({f"office.{k}": v for k, v in office.items()})
    for key, value in (card or {}).items():
        if key == "my_number" and stage != "counter":
            continue
        sources[f"card.{key}"] = value.isoformat() if isinstance(value, dt.date) else value
    return sources


def _inside_group(form: Form, field: FormField) -> bool:
    return any(field in (g.fields or []) for g in form.all_fields() if g.kind.repeats)
