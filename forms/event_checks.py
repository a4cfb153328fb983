"""Checks of a life event against the procedures it names: steps, shared answers, bindings.

What a step gives a procedure (implied answers, value maps, member selection) that no longer
fits it, a local procedure having replaced the shipped one, is warned and left out at the
kiosk: the event keeps working, that procedure asks its own question.

Run once every procedure has loaded (a life event names procedures of any folder). A
problem in a procedure's binding is reported at the procedure file's `bind` line, naming the
event, since that is where IT staff fix it; the event's own problems at its own lines.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path

from forms import events, expr
from forms.checks import index_fields
from forms.errors import Code, ExpressionError, Problem, Severity
from forms.model import Form, LifeEvent
from forms.text import T, Text
from forms.yamlsource import PathKey, Source, read_source

LIFE_EVENTS_KEY = "life_events"
# The procedure file of a form id, read again for its lines when one of its bindings is wrong.
SourceOf = Callable[[str], Source]


def check_event(forms: dict[str, Form], source_of: SourceOf, src: Source, event: LifeEvent,
                i: int, *, hidden: Collection[str] = ()) -> bool:
    """Whether the event may be offered: its own problems are errors on `src`; a procedure's
    binding problems go to that procedure's Source (the caller collects them). A step naming
    a procedure that is not loaded (its file broken, or hidden) is only warned: the caller
    offers the event without it, so one broken file never takes a whole event away."""
    before = len(src.problems)
    base: PathKey = (LIFE_EVENTS_KEY, i)
    questions = {q.id for q in event.questions}
    _shared(src, event, base)
    for j, step in enumerate(event.steps):
        path = (*base, "steps", j)
        if step.form and step.form not in forms:
            _not_loaded(src, step.form, forms, (*path, "form"), hidden=step.form in hidden)
        elif step.form:
            _implied(src, forms[step.form], step.answers, (*path, "answers"))
            _select(src, forms[step.form], event, step.select, (*path, "select"))
            _values(src, forms[step.form], step.values, (*path, "values"))
            _bindings(forms[step.form], source_of, event, step.values)
        if step.when:
            _names(src, step.when, questions, (*path, "when"),
                   what_ja="この出来事の質問", what_en="a question of this event")
    return not any(p.severity == "error" for p in src.problems[before:])


def _not_loaded(src: Source, form_id: str, forms: Iterable[str], path: PathKey, *,
                hidden: bool) -> None:
    if hidden:
        src.report("warning", Code.UNKNOWN_FORM, path, T(
            f"手続き「{form_id}」は kiosk.toml の [forms] hide で隠されています。"
            "このライフイベントはそれを除いて出します。",
            f"procedure '{form_id}' is hidden by [forms] hide in kiosk.toml; the event is "
            "offered without it."))
        return
    src.report("warning", Code.UNKNOWN_FORM, path, T(
        f"手続き「{form_id}」は読み込まれていません。このライフイベントはそれを除いて出します。",
        f"procedure '{form_id}' is not loaded; the event is offered without it."),
        _did_you_mean(form_id, forms) or T(
            "そのファイルのエラーを直すか、`kiosk forms list` で id を確かめてください。",
            "Fix that file's errors, or check the id with `kiosk forms list`."))


def _shared(src: Source, event: LifeEvent, base: PathKey) -> None:
    known = {q.id for q in event.questions}
    for j, f in enumerate(event.shared):
        path = (*base, "shared", j)
        if f.id in known:
            src.error(Code.DUPLICATE_FIELD, (*path, "id"), T(
                f"共通の質問 id「{f.id}」が2回あります（questions と shared を合わせて）。",
                f"shared id '{f.id}' is used twice (questions and shared together)."))
        known.add(f.id)
    for j, f in enumerate(event.shared):
        inner = {c.id for c in f.fields or ()} if f.kind.repeats else set()
        for k, g in enumerate(f.walk()):
            at: PathKey = (*base, "shared", j) if k == 0 else (*base, "shared", j, "fields", k - 1)
            for key in ("show_if", "required"):
                source = getattr(g, key)
                if isinstance(source, str):
                    _names(src, source, known | inner, (*at, key),
                           what_ja="共通の質問", what_en="a shared answer of this event")


def _names(src: Source, source: str, known: set[str], path: PathKey, *, what_ja: str,
           what_en: str) -> None:
    try:
        unknown = expr.parse(source).refs - known
    except ExpressionError as exc:
        src.error(Code.BAD_EXPRESSION, path, T(f"式「{source}」: {exc}", f"'{source}': {exc}"))
        return
    for name in sorted(unknown):
        src.error(Code.UNKNOWN_REFERENCE, path, T(
            f"「{name}」という{what_ja}はありません。", f"'{name}' is not {what_en}."),
            _did_you_mean(name, known))


def _did_you_mean(name: str, known: Iterable[str]) -> Text | None:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return T(f"「{close[0]}」ではありませんか。", f"Did you mean '{close[0]}'?") if close else None


def _implied(src: Source, form: Form, answers: Mapping[str, object], path: PathKey) -> None:
    """Each implied answer names a question of the procedure (not inside a group) and a value
    it offers."""
    fields = {f.id: f for f in form.all_fields()}
    for key, value in answers.items():
        if events.answerable(form, key) is None:
            src.report("warning", Code.UNKNOWN_REFERENCE, (*path, key), T(
                f"「{form.id}」に「{key}」という質問はありません。",
                f"'{form.id}' has no question '{key}'."), _did_you_mean(key, fields))
        elif not events.implies(form, key, value):
            src.report("warning", Code.UNKNOWN_CHOICE, (*path, key), T(
                f"「{value}」は「{form.id}」の「{key}」の選択肢にありません。",
                f"'{value}' is not a choice of '{key}' in '{form.id}'."))


def _bindings(form: Form, source_of: SourceOf, event: LifeEvent,
              values: Mapping[str, Mapping[str, str]]) -> None:
    """The procedure's `event.` bindings this event fills: each must fit its answer."""
    shared = events.shared_fields(event)
    for loc in index_fields(form):
        found = events.resolve(loc.field, shared)
        if found is None:
            continue
        theirs = shared[found[0]]
        if loc.group is not None:
            outer = events.resolve(form.field(loc.group), shared)
            inner = {c.id: c for c in theirs.fields or ()}
            if outer is None or outer[0] != found[0] or found[1] not in inner:
                _report(source_of(form.id), "error", (*loc.path, "bind"), T(
                    f"「{event.id}」: group の中の bind は、その group が結び付いた共通の group の項目だけです。",
                    f"'{event.id}': inside a group, bind names a child of the shared group it binds."))
                continue
            theirs, found = inner[found[1] or ""], (found[0], None)
        problem = events.mismatch(form, loc.field, theirs, found[1])
        if problem is not None:
            _report(source_of(form.id), "error", (*loc.path, "bind"),
                    T(f"「{event.id}」: {problem.ja}", f"'{event.id}': {problem.en}"))
            continue
        inner_field = theirs if found[1] is None else {
            c.id: c for c in theirs.fields or ()}[found[1]]
        mapped = values.get(loc.field.id, {})
        missing = [] if loc.field.kind.repeats else [
            v for v in events.unoffered(form, loc.field, inner_field) if v not in mapped]
        if missing:
            source_of(form.id).report("info", Code.UNKNOWN_CHOICE, (*loc.path, "bind"), T(
                f"「{event.id}」の答え {', '.join(missing)} はこの項目の選択肢にありません。"
                "その答えのときは、この手続きでもう一度聞きます。",
                f"'{event.id}' answers {', '.join(missing)} are not choices here; with those "
                "answers this procedure asks its own question."))


def _values(src: Source, form: Form, values: Mapping[str, Mapping[str, str]],
            path: PathKey) -> None:
    """Each value map names a question of the procedure and gives values it offers."""
    fields = {f.id: f for f in form.all_fields()}
    for key, mapping in values.items():
        if key not in fields:
            src.report("warning", Code.UNKNOWN_REFERENCE, (*path, key), T(
                f"「{form.id}」に「{key}」という質問はありません。",
                f"'{form.id}' has no question '{key}'."), _did_you_mean(key, fields))
            continue
        for theirs, mine in mapping.items():
            if not events.offered(form, fields[key], mine):
                src.report("warning", Code.UNKNOWN_CHOICE, (*path, key, theirs), T(
                    f"「{mine}」は「{form.id}」の「{key}」の選択肢にありません。",
                    f"'{mine}' is not a choice of '{key}' in '{form.id}'."))


def _select(src: Source, form: Form, event: LifeEvent, select: Mapping[str, str],
            path: PathKey) -> None:
    """Each `select` names a group of the procedure bound to a shared group (or a field bound
    to a child of one), and a condition over that group's members."""
    shared = events.shared_fields(event)
    fields = {f.id: f for f in form.all_fields()}
    for field_id, condition in select.items():
        found = events.resolve(fields[field_id], shared) if field_id in fields else None
        if found is None or not shared[found[0]].kind.repeats:
            src.report("warning", Code.UNKNOWN_REFERENCE, (*path, field_id), T(
                f"「{form.id}」に、この出来事の共通の group に結び付いた「{field_id}」はありません。",
                f"'{form.id}' has no field '{field_id}' bound to a shared group of this event."),
                _did_you_mean(field_id, fields))
            continue
        members = {c.id for c in shared[found[0]].fields or ()} | {events.HOLDER}
        _names(src, condition, members, (*path, field_id),
               what_ja=f"「{found[0]}」の項目", what_en=f"a field of '{found[0]}'")


def _report(src: Source, severity: Severity, path: PathKey, message: Text) -> None:
    src.report(severity, Code.BAD_BINDING, path, message)


def unbound_events(form: Form, src: Source, shared_ids: set[str]) -> None:
    """A binding no life event can fill is probably misspelt: warned, with a suggestion.
    (One of several, `event.move_date or event.death_date`, is fine when another is shared.)"""
    for loc in index_fields(form):
        if not loc.field.event_bind or events.resolve(loc.field, shared_ids) is not None:
            continue
        part = loc.field.event_bind[0]
        found = events.target(part)
        if found is not None:
            src.report("warning", Code.BAD_BINDING, (*loc.path, "bind"), T(
                f"「{part}」を埋める共通の質問はどのライフイベントにもありません。",
                f"no life event shares '{found[0]}' ({part})."),
                _did_you_mean(found[0], shared_ids))


class ProcedureSources:
    """Each procedure's file, read again (once) for the lines of its binding problems."""

    def __init__(self, files: Mapping[str, Path]) -> None:
        self._files = files
        self._read: dict[str, Source] = {}

    def __call__(self, form_id: str) -> Source:
        if form_id not in self._read:
            self._read[form_id] = read_source(self._files[form_id])
        return self._read[form_id]

    def problems(self) -> list[Problem]:
        return [p for src in self._read.values() for p in src.problems]
