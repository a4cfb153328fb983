"""Checks that need the whole form: ids, choices, bindings, expressions, cycles, translations.

One function per concern (pyxform's validators/), each adding problems to the file's
Source with the path and line of the offending key.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from common.clock import japan_date, utc_now
from forms import events, expr
from forms.bank_checks import check_bank_links
from forms.errors import Code, ExpressionError
from forms.field_types import BINDINGS, SEX_VALUES
from forms.model import Form, FormField, Rule
from forms.text import T, Text
from forms.value_checks import check_values
from forms.yamlsource import PathKey, Source


@dataclass(frozen=True)
class Located:
    field: FormField
    path: PathKey
    group: str | None  # id of the repeatable group holding it, if any
    parents: tuple[str, ...]  # ids of the sections and groups around it


def index_fields(form: Form) -> list[Located]:
    out: list[Located] = []

    def visit(fields: list[FormField], base: PathKey, group: str | None,
              parents: tuple[str, ...]) -> None:
        for i, f in enumerate(fields):
            path = (*base, "fields", i)
            out.append(Located(f, path, group, parents))
            if f.fields:
                visit(f.fields, path, f.id if f.kind.repeats else group, (*parents, f.id))

    visit(form.fields, (), None, ())
    return out


def check_form(form: Form, src: Source, *, counters: set[str] | None, strict: bool,
               today: dt.date | None = None) -> None:
    """`today` decides the bounds counted from the day (`min: today`) against fixed dates."""
    located = index_fields(form)
    _unique_ids(located, src)
    _choices(located, src)
    _bindings(form, located, src)
    _expressions(form, located, src)
    _cycles(located, src)
    check_bank_links(located, src)
    check_values(form, [(loc.field, loc.path) for loc in located], src,
                 today=today or japan_date(utc_now()))
    _outside_group(form, src)
    if counters is not None and form.counter not in counters:
        src.error(Code.UNKNOWN_COUNTER, ("counter",), T(
            f"窓口「{form.counter}」は設定 (kiosk.toml の counters) にありません。",
            f"counter '{form.counter}' is not in the configuration (counters in kiosk.toml)."),
            T(f"次のどれかを書いてください: {', '.join(sorted(counters))}",
              f"Write one of: {', '.join(sorted(counters))}"))
    if strict:
        _translations(form, src)


def _unique_ids(located: list[Located], src: Source) -> None:
    seen: dict[str, PathKey] = {}
    for loc in located:
        if loc.field.id in seen:
            first = src.line_of(seen[loc.field.id])
            src.error(Code.DUPLICATE_FIELD, (*loc.path, "id"), T(
                f"項目 id「{loc.field.id}」が2つあります（最初は {first} 行目）。",
                f"field id '{loc.field.id}' is used twice (first on line {first})."),
                T("id はフォームの中で1つずつ違う名前にしてください。",
                  "Give every field its own id."))
        else:
            seen[loc.field.id] = loc.path


def _choices(located: list[Located], src: Source) -> None:
    for loc in located:
        values: set[str] = set()
        for j, choice in enumerate(loc.field.choices or ()):
            if choice.value in values:
                src.error(Code.DUPLICATE_CHOICE, (*loc.path, "choices", j, "value"), T(
                    f"選択肢の値「{choice.value}」が2つあります。",
                    f"choice value '{choice.value}' is used twice."))
            values.add(choice.value)


def _bindings(form: Form, located: list[Located], src: Source) -> None:
    for loc in located:
        f, path = loc.field, (*loc.path, "bind")
        if f.kind.counter_only and not form.my_number_required:
            src.error(Code.MY_NUMBER_UNDECLARED, loc.path, T(
                "個人番号の項目がありますが、my_number_required: true がありません。",
                "the form has a My Number field but does not say my_number_required: true."),
                T("法律で個人番号が必要な手続きだけ、my_number_required: true にしてください。",
                  "Only procedures whose law requires the number may hold it; declare it."))
        for part in f.event_bind:
            if events.target(part) is None:
                src.error(Code.BAD_BINDING, path, T(
                    f"bind「{part}」の形が違います。", f"'{part}' is not a life event binding."),
                    T("event.ID か event.ID.ID と書きます（例 event.move_date）。",
                      "Write event.ID or event.ID.ID (e.g. event.move_date)."))
        if f.bind is None:
            continue
        if f.bind not in BINDINGS:
            src.error(Code.BAD_BINDING, path, T(
                f"bind「{f.bind}」は知らない読み込み元です。", f"unknown binding '{f.bind}'."),
                T(f"使えるもの: {', '.join(sorted(BINDINGS))}",
                  f"Use one of: {', '.join(sorted(BINDINGS))}"))
        elif f.bind == "card.my_number" and not f.kind.counter_only:
            src.error(Code.MY_NUMBER_AT_KIOSK, path, T(
                "card.my_number は type: my_number の項目にだけ結び付けられます"
                "（窓口で読み取ります）。",
                "card.my_number binds only to a my_number field, which the counter desk fills."))
        elif f.bind not in f.kind.bindings:
            fits = ", ".join(sorted(f.kind.bindings)) or "-"
            src.error(Code.BAD_BINDING, path, T(
                f"bind「{f.bind}」は {f.type} 型の項目には合いません（合うもの: {fits}）。",
                f"binding '{f.bind}' does not fit a {f.type} field (fitting: {fits})."))
        elif f.bind == "card.sex" and not set(SEX_VALUES) <= {c.value for c in f.choices or ()}:
            src.error(Code.BAD_BINDING, path, T(
                f"card.sex に結び付けた選択肢には {', '.join(SEX_VALUES)} が必要です。",
                f"a choice bound to card.sex must offer the values {', '.join(SEX_VALUES)}."))


def _expression_sites(form: Form, located: list[Located],
                      ) -> Iterator[tuple[str, PathKey, Located | None]]:
    for loc in located:
        if loc.field.show_if is not None:
            yield loc.field.show_if, (*loc.path, "show_if"), loc
        if isinstance(loc.field.required, str):
            yield loc.field.required, (*loc.path, "required"), loc
        yield from _rule_sites(loc.field.rules, loc.path, loc)
    yield from _rule_sites(form.rules, (), None)
    for j, doc in enumerate(form.documents):
        if doc.when:
            yield doc.when, ("documents", j, "when"), None


def _rule_sites(rules: list[Rule], base: PathKey, where: Located | None,
                ) -> Iterator[tuple[str, PathKey, Located | None]]:
    for j, rule in enumerate(rules):
        if rule.check is not None:  # a pattern rule has none: forms/patterns.py checks it
            yield rule.check, (*base, "rules", j, "check"), where
        if rule.when:
            yield rule.when, (*base, "rules", j, "when"), where


def _expressions(form: Form, located: list[Located], src: Source) -> None:
    by_id = {loc.field.id: loc for loc in located}
    top_level = {i for i, loc in by_id.items() if loc.group is None}
    for source, path, where in _expression_sites(form, located):
        try:
            parsed = expr.parse(source)
        except ExpressionError as exc:
            src.error(Code.BAD_EXPRESSION, path, T(
                f"式「{source}」: {exc}", f"expression '{source}': {exc}"))
            continue
        scope = set(top_level)
        if where is not None and where.group is not None:
            scope |= {i for i, loc in by_id.items() if loc.group == where.group}
        if where is not None:
            scope.add("value")  # a field rule may speak of its own answer
        for name in sorted(parsed.refs - scope):
            hint = (T(f"「{name}」は繰り返し項目の中にあります。"
                      f"外からは count({by_id[name].group}) を使ってください。",
                      f"'{name}' is inside a repeated group; "
                      f"from outside use count({by_id[name].group})")
                    if name in by_id else _did_you_mean(name, scope - {"value"}))
            if where is not None and name in by_id:
                hint = _dedented_hint(where, by_id[str(by_id[name].group)], hint)
            src.error(Code.UNKNOWN_REFERENCE, path, T(
                f"式「{source}」の「{name}」という項目はありません。",
                f"expression '{source}' refers to '{name}', which is not a field here."), hint)
        for comp in parsed.comparisons:
            if comp.field in by_id:
                _check_comparison(form, by_id[comp.field].field, comp,
                                  source=source, path=path, src=src)
    _form_rule_targets(form, top_level, src)
    _fee_copies(form, by_id, src)


def _form_rule_targets(form: Form, top_level: set[str], src: Source) -> None:
    for j, rule in enumerate(form.rules):
        if rule.field is not None and rule.field not in top_level:
            # The engine shows a form rule's message at a visible field; an unknown one never is.
            src.error(Code.UNKNOWN_REFERENCE, ("rules", j, "field"), T(
                f"規則の field「{rule.field}」という項目はありません。",
                f"rule field '{rule.field}' is not a field of this form "
                "(outside repeated groups)."),
                _did_you_mean(rule.field, top_level,
                              T("メッセージを表示する項目の id を書いてください。",
                                "Write the id of the field where the message is shown.")))
        if rule.pattern is not None and rule.field is None:
            src.error(Code.SCHEMA, ("rules", j, "pattern"), T(
                "pattern の規則には、どの項目の答えに当てはめるかを field で書いてください。",
                "a pattern rule of the form needs `field`: the field whose answer it checks."))


def _dedented_hint(where: Located, group: Located, hint: Text) -> Text:
    """A field after a group, speaking of the group's questions: most likely indented out."""
    base, index = group.path[:-1], group.path[-1]
    after = (where.path[:-1] == base and isinstance(index, int)
             and isinstance(where.path[-1], int) and where.path[-1] > index)
    if not after:
        return hint
    gid = group.field.id
    return T(f"{hint.ja}「{where.field.id}」は字下げがずれて繰り返し項目「{gid}」の外に出て"
             f"いませんか。中に入れるなら、{gid} の fields の項目と同じ字下げにしてください。",
             f"{hint.en}. Is '{where.field.id}' indented out of the repeated group '{gid}'? "
             f"To put it inside, indent it like the other questions under {gid}'s fields.")


def _did_you_mean(name: str, known: set[str], otherwise: Text | None = None) -> Text:
    """The closest field id a misspelt one (`purpse`) was meant to be."""
    close = difflib.get_close_matches(name, sorted(known), n=1)
    if close:
        return T(f"「{close[0]}」の書き間違いではありませんか。", f"Did you mean '{close[0]}'?")
    return otherwise or T("id の綴りを確かめてください。", "Check the spelling of the field id.")


def _outside_group(form: Form, src: Source) -> None:
    """A question dedented out of its repeated group still loads, asked once for the whole
    form: warned when the file shows it (the group's questions depend on it, or it shares
    the id prefix the group's questions share)."""
    located = index_fields(form)
    by_path = {loc.path: loc for loc in located}
    for loc in located:
        last = loc.path[-1]
        nxt = by_path.get((*loc.path[:-1], last + 1)) if isinstance(last, int) else None
        if nxt is None or not loc.field.kind.repeats:
            continue
        group, gid, fid = loc.field, loc.field.id, nxt.field.id
        users = [c.id for c in group.walk()[1:] if fid in _condition_refs(c)]
        prefix = fid.split("_")[0] + "_"
        sharing = [c.id for c in group.fields or () if c.id.startswith(prefix)] if "_" in fid else []
        if users:
            why = T(f"繰り返し項目「{gid}」の中の「{users[0]}」の条件が、その後ろの「{fid}」を見ています。",
                    f"'{users[0]}' inside the repeated group '{gid}' depends on '{fid}', "
                    "which comes right after the group.")
        elif len(sharing) >= 2:
            why = T(f"「{fid}」は繰り返し項目「{gid}」のすぐ後ろにあり、その中の "
                    f"{', '.join(sharing)} と同じ「{prefix}」で始まります。",
                    f"'{fid}' comes right after the repeated group '{gid}' and starts with "
                    f"'{prefix}' like its questions {', '.join(sharing)}.")
        else:
            continue
        src.report("warning", Code.SCHEMA, (*nxt.path, "id"), T(
            f"{why.ja}字下げがずれて {gid} の外に出ていませんか（外なら1回だけ聞かれます）。",
            f"{why.en} Is it indented out of '{gid}'? (Outside, it is asked once, not per item.)"),
            T(f"{gid} の中に入れるなら、{gid} の fields の項目と同じ字下げにしてください。",
              f"To put it inside, indent it like the other questions under {gid}'s fields."))


def _condition_refs(field: FormField) -> set[str]:
    refs: set[str] = set()
    sources = [field.show_if, field.required if isinstance(field.required, str) else None,
               *(part for rule in field.rules for part in (rule.check, rule.when))]
    for source in sources:
        if source:
            with contextlib.suppress(ExpressionError):  # reported by _expressions
                refs |= expr.parse(source).refs
    return refs


def _fee_copies(form: Form, by_id: dict[str, Located], src: Source) -> None:
    """The fee counts copies from fields that exist and hold a number of copies."""
    wanted: list[tuple[str, PathKey]] = []
    if form.fee and form.fee.copies_field:
        wanted.append((form.fee.copies_field, ("fee", "copies_field")))
    for k, line in enumerate(form.fee.lines if form.fee else ()):
        wanted.append((line.copies_field, ("fee", "lines", k, "copies_field")))
    for copies, path in wanted:
        if copies not in by_id or not by_id[copies].field.kind.is_number:
            numbers = {i for i, loc in by_id.items() if loc.field.kind.is_number}
            src.error(Code.UNKNOWN_REFERENCE, path, T(
                f"fee の copies_field「{copies}」は copies 型の項目ではありません。",
                f"fee copies_field '{copies}' is not a copies field of this form."),
                _did_you_mean(copies, numbers - {copies}, T(
                    "通数（copies 型）の項目の id を書いてください。",
                    "Write the id of the copies field.")))


def _check_comparison(form: Form, field: FormField, comp: expr.Comparison, *, source: str,
                      path: PathKey, src: Source) -> None:
    if field.kind.needs_choices:
        allowed = {c.value for c in field.choices or ()}
    elif field.kind.names_applicant:
        allowed = {a.kind for a in form.applicants}
    elif field.kind.is_yes_no:
        src.error(Code.TYPE_MISMATCH, path, T(
            f"式「{source}」: はい/いいえ の項目「{field.id}」は文字と比べられません。",
            f"expression '{source}': yes/no field '{field.id}' is true or false, not text."),
            T(f"「{field.id}」または「not {field.id}」と書いてください。",
              f"Write '{field.id}' or 'not {field.id}'."))
        return
    else:
        return
    for value in comp.values:
        if value not in allowed:
            src.error(Code.UNKNOWN_CHOICE, path, T(
                f"式「{source}」: 「{value}」は「{field.id}」の選択肢にありません"
                f"（{', '.join(sorted(allowed))}）。",
                f"expression '{source}': '{value}' is not a choice of '{field.id}' "
                f"({', '.join(sorted(allowed))})."))


def _cycles(located: list[Located], src: Source) -> None:
    """A field shown only when another is answered, which is shown only when the first is.

    Neither is ever shown.
    """
    by_id = {loc.field.id: loc for loc in located}
    deps = _dependencies(located, set(by_id))
    state: dict[str, int] = {}
    reported: set[frozenset[str]] = set()

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(deps.get(node, ())):
            if state.get(nxt) == 1:
                cycle = [*trail[trail.index(nxt):], nxt] if nxt in trail else [node, nxt]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    chain = " → ".join(cycle)
                    src.error(Code.CIRCULAR_CONDITION, (*by_id[node].path, "show_if"), T(
                        f"条件が堂々めぐりです: {chain}。どの項目も表示されません。",
                        f"circular condition: {chain}; none of these would ever be shown."))
            elif state.get(nxt) is None:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for loc in located:
        if loc.field.id not in state:
            visit(loc.field.id, [loc.field.id])


def _dependencies(located: list[Located], ids: set[str]) -> dict[str, set[str]]:
    """For each field, the fields its visibility or requirement depends on."""
    deps: dict[str, set[str]] = {}
    for loc in located:
        refs: set[str] = set()
        required = loc.field.required if isinstance(loc.field.required, str) else None
        for source in (loc.field.show_if, required):
            if source:
                with contextlib.suppress(ExpressionError):  # reported by _expressions
                    refs |= expr.parse(source).refs
        refs |= set(loc.parents)  # a field is shown only when its section is
        deps[loc.field.id] = {r for r in refs if r in ids}
    return deps


def _translations(form: Form, src: Source) -> None:
    for path, text in _texts(form, ()):
        if not text.en:
            src.error(Code.MISSING_TRANSLATION, path, T(
                f"「{text.ja}」の英語 (en) がありません。同梱の手続きには英語が必要です。",
                f"'{text.ja}' has no English (en); shipped procedures need it."))


def _texts(value: Any, path: PathKey) -> Iterator[tuple[PathKey, Text]]:
    if isinstance(value, Text):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), (*path, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, (*path, i))
