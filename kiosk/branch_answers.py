"""The answers of one branch of a form: a few given answers choose it, samples fill the rest.

`kiosk forms preview ID --answers FILE` prints that branch; `kiosk try` walks it without a
screen (`--as agent`).

The samples fill one branch (the one showing the most fields). A file of answers names
another: its choices are pinned before the samples are made, so the samples fill the fields
that branch shows, and the file's answers then replace the samples'. A file giving only the
branch-choosing answers is enough. The result goes through the form engine like a resident's
answers, and a wrong value is told with the file, the field and what to write.

Messages never repeat a value from the file: an answers file may be a real case.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from forms.engine import Evaluation, Stage, evaluate
from forms.model import Form, FormField
from forms.reading import options
from kiosk.errors import KioskError
from printouts.samples import sample_answers


def read_answers(path: Path) -> dict[str, Any]:
    """The file's answers (YAML, or JSON for a .json file): field id -> value."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KioskError(f"{path}: 回答ファイルを読めません / cannot read the answers file "
                         f"({exc.strerror})") from None
    except UnicodeDecodeError:
        raise KioskError(f"{path}: UTF-8 で保存してください / save the answers file as UTF-8") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise KioskError(f"{path}:{exc.lineno}: JSON として読めません / not valid JSON ({exc.msg})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise KioskError(f"{path}{line}: YAML として読めません / not valid YAML "
                         f"({getattr(exc, 'problem', None) or 'syntax'})") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
        raise KioskError(f"{path}: 「項目id: 値」の形で書いてください / write one `field_id: value` a line "
                         "(a group: `members:` and a list of `- field_id: value` items)")
    return data


def answers_from(form: Form, given: Mapping[str, Any], *, today: dt.date, stage: Stage,
                 source: Path) -> dict[str, Any]:
    """The samples of the branch `given` chooses, `given` over them, checked by the engine."""
    _check_ids(form, given, source)
    samples = sample_answers(_pinned(form, given), today, stage=stage)
    ev = evaluate(form, _overlay(form, samples, given), today=today, stage=stage)
    problems = [_problem(form, ev, path, source, given) for path in _error_paths(ev)]
    if problems:
        raise KioskError("\n".join(problems))
    shown = {s.path for s in ev.visible()}
    for key in given:
        if key not in shown and stage == "counter":  # counter: the stage that shows the most
            print(f"{source}: {key}: この答えで表示されない項目なので使いません / "
                  "not shown with these answers, so not used", file=sys.stderr)
    return ev.values


def _check_ids(form: Form, given: Mapping[str, Any], source: Path) -> None:
    """Every key a field of the form (a group's items: its questions), with the closest id."""
    fields = {f.id: f for f in form.all_fields()}
    inside = {c.id for f in form.all_fields() if f.kind.repeats for c in f.walk()[1:]}
    wrong: list[str] = []
    for key, value in given.items():
        group = fields.get(key)
        if key not in fields or key in inside:
            wrong.append(_unknown(key, [i for i in fields if i not in inside], source, form.id))
        elif group is not None and group.kind.repeats and isinstance(value, list):
            ids = [c.id for c in group.walk()[1:]]
            wrong += [_unknown(k, ids, source, f"{form.id} {key}") for item in value
                      if isinstance(item, dict) for k in item if k not in ids]
    if wrong:
        raise KioskError("\n".join(dict.fromkeys(wrong)))


def _unknown(key: str, known: list[str], source: Path, where: str) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    guess = f"「{close[0]}」ではありませんか / did you mean '{close[0]}'?" if close else \
        "`kiosk forms show ID` で項目idを確かめてください / see `kiosk forms show ID` for the ids"
    return f"{source}: {key}: {where} にこの項目はありません / no such field in {where}; {guess}"


def _pinned(form: Form, given: Mapping[str, Any]) -> Form:
    """The form offering only the options the file chose, so the samples take that branch.

    Only for the samples: never validated, never shown. A group's questions are not pinned,
    as the file may answer them differently item by item.
    """
    applicants = form.applicants
    for f in form.all_fields():
        if f.kind.names_applicant and f.id in given:
            applicants = [a for a in form.applicants if a.kind == given[f.id]] or applicants
    return form.model_copy(update={"fields": [_pin(f, given) for f in form.fields],
                                   "applicants": applicants})


def _pin(f: FormField, given: Mapping[str, Any]) -> FormField:
    if f.kind.is_section:
        return f.model_copy(update={"fields": [_pin(c, given) for c in f.fields or ()]})
    if f.choices and f.id in given:
        value = given[f.id]
        wanted = value if isinstance(value, list) else [value]
        kept = [c for c in f.choices if c.value in wanted]
        if kept:
            return f.model_copy(update={"choices": kept})
    return f


def _overlay(form: Form, samples: dict[str, Any], given: Mapping[str, Any]) -> dict[str, Any]:
    """`given` over the samples; a group's items each over a sample item, so a file may give
    only the answers it cares about in each item."""
    out = dict(samples)
    groups = {f.id for f in form.all_fields() if f.kind.repeats}
    for key, value in given.items():
        base = samples.get(key)
        if key in groups and isinstance(value, list) and isinstance(base, list) and base:
            out[key] = [{**base[min(i, len(base) - 1)], **item} if isinstance(item, dict) else item
                        for i, item in enumerate(value)]
        else:
            out[key] = value
    return out


def _error_paths(ev: Evaluation) -> list[str]:
    return list(dict.fromkeys(e.path for e in ev.errors))


def _problem(form: Form, ev: Evaluation, path: str, source: Path, given: Mapping[str, Any]) -> str:
    messages = " ".join(f"{e.message.ja} / {e.message.en or e.message.ja}" for e in ev.errors if e.path == path)
    if not path:
        return f"{source}: {messages}"
    top = path.split("[", 1)[0]
    field_id = path.rsplit(".", 1)[-1].split("[", 1)[0]
    hint = _what_to_write(form, form.field(field_id))
    whose = "" if top in given else \
        " （見本の答えと合いません: この項目もファイルに書いてください / a sample answer no longer fits: " \
        "give this field in the file too）"
    return f"{source}: {path}: {messages}{hint}{whose}"


def _what_to_write(form: Form, f: FormField) -> str:
    if f.kind.options is not None:
        values = ", ".join(str(v).lower() if isinstance(v, bool) else str(v) for v, _ in options(form, f))
        many = "のいくつかをリストで / a list of" if f.kind.multiple else "のどれか / one of"
        return f" → 書けるもの{many}: {values}"
    if f.kind.is_date:
        return " → 日付は 2025-04-01 の形で / a date as 2025-04-01"
    if f.kind.repeats:
        ids = ", ".join(c.id for c in f.walk()[1:])
        return f" → 1件ごとに「- 項目id: 値」のリストで / a list of items, each with: {ids}"
    return ""
