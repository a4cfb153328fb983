"""A YAML block of the documentation, loaded as the kiosk would load the file it belongs in.

What a block is, decided by its content (tests/docs/test_examples.py's docstring has the list):
a file of its own (a form, an override, life events, blocks, choice lists) is written as it
stands into a city's forms folder and loaded beside the shipped library, as `kiosk forms
validate` does; a part of a form (some of a form's keys, a list of fields or of rules) gets
what a form needs and it lacks in front of it (FILLER), or, when it names fields it does not
define, is loaded as an override of a shipped form that has them; a file of answers is
checked against the one shipped form whose fields it answers. The block's text is written
unchanged after what is put in front of it, so each problem is told at its line in the doc.
"""

from __future__ import annotations

import contextlib
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from common.clock import japan_date, utc_now
from forms.errors import ExpressionError, Problem
from forms.expr import parse
from forms.loader import SHIPPED_DIR, Library, load_library
from forms.model import Form
from kiosk.branch_answers import answers_from, read_answers
from kiosk.config import DEFAULT_COUNTERS
from kiosk.errors import KioskError
from tests.docs.markdown import Block

FILE_KEYS = ("life_events", "blocks", "choice_lists", "extends")
FORM_KEYS = set(Form.model_fields)
# What a form needs, for a part of one that lacks it; `fields:` only when the part has none.
FILLER = {
    "id": "id: doc_example",
    "version": "version: 1",
    "title": "title: {ja: 例, ja_kana: れい, en: Example}",
    "category": "category: certificate",
    "counter": "counter: resident",
    "applicants": "applicants: [{kind: self, label: 本人}, {kind: agent, label: 代理人}]",
}
STUBS = {"applicant": "{id: applicant, type: applicant, label: 窓口に来た人}"}


@dataclass(frozen=True)
class Outcome:
    taken_as: str  # what the block was loaded as, said when it fails
    problems: list[str]  # what the real code refused or warned of; empty: the example is true


def load_example(block: Block, folder: Path, shipped: Library) -> Outcome:
    data = yaml.safe_load(block.text)
    if isinstance(data, list) and data and all(isinstance(d, dict) for d in data):
        key = "fields" if all("id" in d or "include" in d for d in data) else \
            "rules" if all("check" in d or "pattern" in d for d in data) else None
        if key is not None:
            body = f"{key}:\n" + textwrap.indent(textwrap.dedent(block.text), "  ")
            return _part(block, {key: data}, body, folder=folder, shipped=shipped, lead=1)
    if not isinstance(data, dict):
        return Outcome("nothing known", ["not a form, a part of one or a file the kiosk reads"])
    if any(key in data for key in FILE_KEYS):
        return _loaded(block, folder, block.text, 0, f"a file with `{next(k for k in FILE_KEYS if k in data)}:`")
    if set(data) <= FORM_KEYS:
        return _part(block, data, block.text, folder=folder, shipped=shipped)
    return _answers(block, data, folder, shipped)


def _part(block: Block, data: dict[str, Any], body: str, *, folder: Path, shipped: Library,
          lead: int = 0) -> Outcome:
    """A form, whole or some of its keys: on its own, given what a form needs and it lacks
    (FILLER, and a stub for the `applicant` question or a fee's copies field it names), or,
    when it names other fields, as a change to a shipped form that has them (one must fit)."""
    outside = sorted(names_used(data) - defined(data))
    stubs = [STUBS.get(n, f"{{id: {n}, type: copies, label: 通数}}") for n in outside
             if n in STUBS or n in copies_fields(data)]
    if len(stubs) == len(outside) and not (stubs and "fields" in data):
        head = [line for key, line in FILLER.items() if key not in data]
        if "fields" not in data:
            head.append("fields: [" + ", ".join(stubs or ["{id: note, type: text, label: 例}"]) + "]")
        return _loaded(block, folder, "\n".join([*head, body]), len(head) + lead, "a form")
    homes = [f for f in sorted(shipped.forms) if set(outside) <= {x.id for x in shipped.get(f).all_fields()}]
    outcomes = [_loaded(block, folder, f"extends: {home}@{shipped.get(home).version}\n"
                        f"version: {shipped.get(home).version + 1}\n{body}", 2 + lead, f"a change to {home}")
                for home in homes]
    fits = [o for o in outcomes if not o.problems]
    return (fits or outcomes or [Outcome("a part of a form", [
        f"names {', '.join(outside)}, which no shipped form has all of"])])[0]


def _loaded(block: Block, folder: Path, text: str, shift: int, taken_as: str) -> Outcome:
    """Validated as `kiosk forms validate` would: no error anywhere, no warning in the example."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    file = folder / "example.yaml"
    file.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    lib = load_library([folder], counters=set(DEFAULT_COUNTERS))
    told = [p for p in lib.problems if p.severity == "error" or (p.severity == "warning" and p.file == file)]
    return Outcome(taken_as, [_told(block, p, file, shift) for p in told] + _not_offered(lib, file, text))


def _not_offered(lib: Library, file: Path, text: str) -> list[str]:
    """A form or life event the kiosk would not offer, even with nothing said against it."""
    data = yaml.safe_load(text)
    if "life_events" in data:
        return [f"life event {e['id']} is not offered" for e in data["life_events"] if e["id"] not in lib.life_events]
    if "blocks" in data or "choice_lists" in data or any(f.file == file for f in lib.forms.values()):
        return []
    return ["the form is not offered"]


def _told(block: Block, p: Problem, file: Path, shift: int) -> str:
    where = f"{block.doc.name}:{block.line + p.line - shift}" if p.file == file and p.line else f"{p.file}:{p.line}"
    hint = f" → {p.hint.en} / {p.hint.ja}" if p.hint else ""
    return f"{where}: {p.severity} [{p.path}]: {p.message.en} / {p.message.ja}{hint}"


def _answers(block: Block, data: dict[str, Any], folder: Path, shipped: Library) -> Outcome:
    """A file of answers (`--answers FILE`), for the shipped form whose fields it answers."""
    forms = [f for f in sorted(shipped.forms) if set(data) <= {x.id for x in shipped.get(f).all_fields()}]
    if len(forms) != 1:
        return Outcome("answers", [f"not a form, a part of one, a file the kiosk reads, nor the answers of one "
                                   f"shipped form ({', '.join(sorted(data))} are fields of {len(forms)}): mark it"])
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / "answers.yaml"
    file.write_text(block.text, encoding="utf-8")
    try:
        answers_from(shipped.get(forms[0]), read_answers(file), today=japan_date(utc_now()), stage="kiosk", source=file)
    except KioskError as exc:
        return Outcome(f"answers for {forms[0]}", [str(exc)])
    return Outcome(f"answers for {forms[0]}", [])


def _fields(data: Any) -> Iterator[dict[str, Any]]:
    for f in data.get("fields") or () if isinstance(data, dict) else ():
        if isinstance(f, dict):
            yield f
            yield from _fields(f)


def defined(data: dict[str, Any]) -> set[str]:
    """The field ids the part defines, its included blocks' too."""
    blocks = yaml.safe_load((SHIPPED_DIR / "blocks.yaml").read_text(encoding="utf-8"))["blocks"]
    ids = {f["id"] for f in _fields(data) if "id" in f}
    for f in _fields(data):
        ids |= {g["id"] for g in _fields({"fields": blocks.get(f.get("include"), [])})}
    return ids


def copies_fields(data: dict[str, Any]) -> set[str]:
    fee = data.get("fee") or {}
    return {n for n in [fee.get("copies_field"), *(line.get("copies_field") for line in fee.get("lines", []))] if n}


def names_used(data: dict[str, Any]) -> set[str]:
    """The field ids the part's conditions, rules and fee name."""
    conditions = [d.get("when") for d in data.get("documents", []) if isinstance(d, dict)]
    rules = list(data.get("rules", []))
    for f in _fields(data):
        conditions += [f.get("show_if"), f.get("required")]
        rules += f.get("rules", [])
    conditions += [r.get(key) for r in rules for key in ("check", "when")]
    names = {r["field"] for r in rules if r.get("field")} | copies_fields(data)
    for condition in conditions:
        with contextlib.suppress(ExpressionError):  # the loader tells it, at its line
            names |= parse(condition).refs - {"value"} if isinstance(condition, str) else set()
    return names
