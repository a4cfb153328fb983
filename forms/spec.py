"""A procedure's complete specification, to hand to the department that owns the procedure.

`kiosk forms show ID` lists what the kiosk asks; `--full` prints everything the form file says
(help texts, defaults, bounds, group limits, notes, fees, documents and their conditions), so
the department can check it against its paper form and its rules without reading YAML.
Japanese first with English beside it: the department reads Japanese, IT staff may not.

Built as sections of indented lines first, then written as plain text or Markdown, so both
formats say the same things. Pure: the caller gives the day relative date bounds are counted
from, the counter's name and the shared choice lists (to name the list a field uses).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from forms.choice_lists import is_choice_lists_file, merge_choice_lists
from forms.model import Choice, Form, FormField, Rule, date_bound
from forms.reading import options
from forms.text import Text
from forms.yamlsource import read_source

Format = Literal["text", "markdown"]
ChoiceLists = Mapping[str, Sequence[Choice]]

# Keys of a field's min / max, by what the bounds mean (forms/field_types.py `bounds`).
_BOUND_KEYS = {
    "number": ("下限 min", "上限 max"),
    "date": ("最も前の日 earliest", "最も後の日 latest"),
    "items": ("最少件数 min items", "最多件数 max items"),
}


@dataclass(frozen=True)
class Line:
    depth: int
    key: str  # "型 type"; "" for a line that is only a value
    value: str
    code: bool = False  # an expression or an id: set as code in Markdown


@dataclass(frozen=True)
class Section:
    title: str
    lines: list[Line]


def bilingual(text: Text | None) -> str:
    """'氏名（しめい） / Name': every language the text has, Japanese and its reading first."""
    if text is None:
        return ""
    parts = [f"{text.ja}（{text.ja_kana}）" if text.ja_kana else text.ja]
    if text.en:
        parts.append(text.en)
    parts += [f"{key}: {value}" for key, value in sorted((text.model_extra or {}).items()) if value]
    return " / ".join(parts)


def full_spec(form: Form, *, today: dt.date, counter_name: str,
              lists: ChoiceLists | None = None) -> list[Section]:
    """Everything the form says, in the order of the file."""
    lists = lists or {}
    fields: list[Line] = []
    for i, f in enumerate(form.fields, 1):
        fields += _field(form, f, str(i), 0, today=today, lists=lists)
    return [
        Section("手続き Procedure", _header(form, counter_name)),
        Section("申請できる人 Who may apply", _applicants(form)),
        Section("持ち物 Documents to bring", _documents(form) or [Line(0, "", "なし none")]),
        Section("手数料 Fee", _fee(form)),
        Section("注意事項 Notes", [Line(0, "", bilingual(n)) for n in form.notes]
                or [Line(0, "", "なし none")]),
        Section("項目 Fields", fields),
        Section("規則 Rules", [line for rule in form.rules for line in _rule(rule, 0)]
                or [Line(0, "", "なし none")]),
    ]


def _header(form: Form, counter_name: str) -> list[Line]:
    title = form.title
    lines = [Line(0, "名称 title", title.ja), Line(0, "よみ reading", title.ja_kana or "")]
    if title.en:
        lines.append(Line(0, "英語 English", title.en))
    if form.short_title:
        lines.append(Line(0, "略称 short title", bilingual(form.short_title)))
    counter = form.counter if counter_name == form.counter else f"{counter_name}（{form.counter}）"
    return [*lines,
            Line(0, "id", form.id, code=True),
            Line(0, "版 version", str(form.version)),
            Line(0, "分類 category", form.category),
            Line(0, "窓口 counter", counter),
            Line(0, "個人番号 My Number", "窓口でカードから読み取る read from the card at the counter"
                 if form.my_number_required else "不要 not needed")]


def _applicants(form: Form) -> list[Line]:
    lines: list[Line] = []
    for a in form.applicants:
        lines.append(Line(0, a.kind, bilingual(a.label)))
        lines += [Line(1, "必要なもの needs", bilingual(n)) for n in a.needs]
    return lines


def _documents(form: Form) -> list[Line]:
    lines: list[Line] = []
    for d in form.documents:
        lines.append(Line(0, "", bilingual(d.label)))
        if d.when:
            lines.append(Line(1, "条件 when", d.when, code=True))
    return lines


def _fee(form: Form) -> list[Line]:
    fee = form.fee
    if fee is None:
        return [Line(0, "", "なし none")]
    lines: list[Line] = []
    if fee.lines:
        for item in fee.lines:
            lines.append(Line(0, bilingual(item.label), f"{item.amount}円 1通につき yen per copy"))
            lines += _copies(form, item.copies_field, 1)
    else:
        per = "1通につき per copy" if fee.per == "copy" else "1件につき per application"
        lines.append(Line(0, "金額 amount", f"{fee.amount}円 yen {per}"))
        if fee.copies_field:
            lines += _copies(form, fee.copies_field, 1)
    if fee.note:
        lines.append(Line(0, "注 note", bilingual(fee.note)))
    return lines


def _copies(form: Form, field_id: str, depth: int) -> list[Line]:
    """The field counting the copies, and when it is asked: a fee whose field is hidden is 0."""
    label = bilingual(form.field(field_id).label) if field_id in {f.id for f in form.all_fields()} else ""
    lines = [Line(depth, "通数の項目 copies field", f"{field_id} {label}".strip())]
    lines += [Line(depth, "かかる条件 charged when", c, code=True) for c in _conditions(form.fields, field_id) or ()]
    return lines


def _conditions(fields: Iterable[FormField], field_id: str,
                chain: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """The `show_if` of the field and of every section or group holding it, outermost first."""
    for f in fields:
        here = (*chain, f.show_if) if f.show_if else chain
        if f.id == field_id:
            return here
        found = _conditions(f.fields or (), field_id, here)
        if found is not None:
            return found
    return None


def _field(form: Form, f: FormField, number: str, depth: int, *, today: dt.date,
           lists: ChoiceLists) -> list[Line]:
    inner = depth + 1
    kind = f"{f.type}（{'西暦 western' if f.calendar == 'western' else '和暦 era'}）" if f.kind.is_date else f.type
    lines = [Line(depth, f"{number}. {f.id}", bilingual(f.label)), Line(inner, "型 type", kind)]
    if f.kind.holds_value:
        lines.append(Line(inner, "必須 required", "はい yes") if f.required is True else
                     Line(inner, "必須の条件 required when", f.required, code=True)
                     if isinstance(f.required, str) else Line(inner, "必須 required", "いいえ no"))
    if f.show_if:
        lines.append(Line(inner, "表示の条件 shown if", f.show_if, code=True))
    if f.help:
        lines.append(Line(inner, "説明 help", bilingual(f.help)))
    if f.default is not None:
        lines.append(Line(inner, "初期値 default", _value(form, f, f.default)))
    lines += _bounds(f, today, inner)
    if f.max_length:
        lines.append(Line(inner, "最大文字数 max length", str(f.max_length)))
    sources = [s for s in (*f.event_bind, f.bind) if s]
    if sources:
        lines.append(Line(inner, "入力元 filled from", " or ".join(sources), code=True))
    if f.item_label:
        lines.append(Line(inner, "1件の呼び方 item label", bilingual(f.item_label)))
    lines += _choices(form, f, inner, lists)
    for rule in f.rules:
        lines += _rule(rule, inner)
    for i, child in enumerate(f.fields or (), 1):
        lines += _field(form, child, f"{number}.{i}", inner, today=today, lists=lists)
    return lines


def _bounds(f: FormField, today: dt.date, depth: int) -> list[Line]:
    meaning = f.kind.bounds
    if meaning is None:
        return []
    lines: list[Line] = []
    defaults = f.kind.default_bounds
    for i, (key, bound) in enumerate(zip(_BOUND_KEYS[meaning], (f.min, f.max), strict=True)):
        if bound is None and defaults is not None:
            lines.append(Line(depth, key, f"{defaults[i]}（既定 default）"))
        elif isinstance(bound, dt.date):
            lines.append(Line(depth, key, bound.isoformat()))
        elif isinstance(bound, str):
            lines.append(Line(depth, key, _date_bound(bound, today)))
        elif bound is not None:
            lines.append(Line(depth, key, str(bound)))
    return lines


def _date_bound(bound: str, today: dt.date) -> str:
    """As written, and as a day when it counts from today: the department checks the day."""
    day = date_bound(bound, today)
    if day is None or day.isoformat() == bound:
        return bound
    if bound == "today":
        return "today（申請の当日 the day of applying）"
    return f"{bound}（本日 {today.isoformat()} なら {day.isoformat()} / {day.isoformat()} as of today）"


def _choices(form: Form, f: FormField, depth: int, lists: ChoiceLists) -> list[Line]:
    if f.kind.options is None:
        return []
    named = next((name for name, choices in lists.items() if f.choices and list(choices) == f.choices), None)
    key = {"choices": "選択肢 choices", "applicants": "選択肢（申請できる人） choices (who may apply)",
           "yes_no": "選択肢 choices"}[f.kind.options]
    lines = [Line(depth, key, f"一覧 list: {named}" if named else "")]
    helps = {c.value: c.help for c in f.choices or ()}
    for value, label in options(form, f):
        lines.append(Line(depth + 1, _answer(value), bilingual(label)))
        if helps.get(value):
            lines.append(Line(depth + 2, "説明 help", bilingual(helps[value])))
    return lines


def _rule(rule: Rule, depth: int) -> list[Line]:
    level = "警告（続けられる） warning" if rule.level == "warning" else "エラー（止める） error"
    lines = [Line(depth, f"規則 rule, {level}", rule.shown, code=True)]
    if rule.when:
        lines.append(Line(depth + 1, "適用の条件 when", rule.when, code=True))
    if rule.field:
        lines.append(Line(depth + 1, "表示する項目 shown at", rule.field, code=True))
    lines.append(Line(depth + 1, "メッセージ message", bilingual(rule.message)))
    return lines


def _answer(value: Any) -> str:
    if isinstance(value, bool):
        return "はい yes" if value else "いいえ no"
    return str(value)


def _value(form: Form, f: FormField, value: Any) -> str:
    """A default as written, with the label of the option it picks."""
    if f.kind.options is None:
        return ", ".join(map(str, value)) if isinstance(value, list) else _answer(value)
    labels = dict(options(form, f))
    picked = value if isinstance(value, list) else [value]
    return ", ".join(f"{_answer(v)}（{labels[v].ja}）" if v in labels else _answer(v) for v in picked)


def render(form: Form, sections: list[Section], fmt: Format = "text") -> str:
    """The sections as plain text (indented by two spaces a level) or as Markdown lists."""
    out = [f"# {bilingual(form.title)}" if fmt == "markdown" else bilingual(form.title)]
    for section in sections:
        out += ["", f"## {section.title}" if fmt == "markdown" else f"■ {section.title}"]
        if fmt == "markdown":
            out.append("")
        out += [_line(line, fmt) for line in section.lines]
    return "\n".join(out) + "\n"


def _line(line: Line, fmt: Format) -> str:
    value = f"`{line.value}`" if line.code and fmt == "markdown" and line.value else line.value
    if fmt == "markdown":
        text = f"**{line.key}**: {value}" if line.key else value
        return f"{'  ' * line.depth}- {text}".rstrip()
    text = f"{line.key}: {value}" if line.key else value
    return f"{'  ' * (line.depth + 1)}{text}".rstrip()


def spec_text(form: Form, *, today: dt.date, counter_name: str, lists: ChoiceLists | None = None,
              fmt: Format = "text") -> str:
    return render(form, full_spec(form, today=today, counter_name=counter_name, lists=lists), fmt)


def choice_lists_in(dirs: Iterable[Path]) -> dict[str, list[Choice]]:
    """The shared choice lists the loader would use (a later folder's list replaces an earlier
    one of its name), read again here because a loaded form keeps its choices, not the name."""
    sources = [read_source(p) for d in dirs if d.is_dir()
               for p in sorted(d.rglob("*")) if p.suffix in (".yaml", ".yml") and p.is_file()]
    out: dict[str, list[Choice]] = {}
    for name, raw in merge_choice_lists(s for s in sources if is_choice_lists_file(s)).items():
        try:
            out[name] = [Choice.model_validate(c) for c in raw]
        except ValidationError:
            continue  # validate reports it; the spec only loses the list's name
    return out
