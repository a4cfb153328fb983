"""assert_form: a form written inline in the test, loaded as a local directory and checked.

In the spirit of pyxform's assertPyxformXform: each test states its form in full beside
what it expects, so a reader never hunts for a fixture file.

    assert_form('''
        fields:
          - {id: name, type: text, label: 氏名, required: true}
    ''', answers={}, ...)

The YAML is dedented; unless `header=False`, HEADER (id, version, title, category, counter,
applicants) is put in front of it, so a test writes only what it is about.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, overload

from forms.engine import Evaluation, Stage, evaluate
from forms.errors import Problem
from forms.loader import Library, load_library
from kiosk.config import DEFAULT_COUNTERS

TODAY = dt.date(2025, 4, 1)  # 令和7年4月1日
COUNTERS = frozenset(DEFAULT_COUNTERS)

HEADER = """\
id: test_form
version: 1
title: {ja: 試験の申請書, ja_kana: しけんのしんせいしょ, en: Test application}
category: certificate
counter: resident
applicants:
  - {kind: self, label: {ja: 本人, en: The person themself}}
  - {kind: agent, label: {ja: 代理人, en: An agent}}
"""
HEADER_LINES = HEADER.count("\n")


def form_text(yaml: str, *, header: bool = True) -> str:
    body = textwrap.dedent(yaml).lstrip("\n")
    return HEADER + body if header else body


def load_inline(yaml: str, *, header: bool = True, name: str = "form.yaml") -> tuple[Library, Path]:
    """Write the form to a fresh directory and load that directory alone (no shipped forms)."""
    directory = Path(tempfile.mkdtemp(prefix="forms-test-"))
    file = directory / name
    file.write_text(form_text(yaml, header=header), encoding="utf-8")
    return load_library([directory], shipped=None, counters=set(COUNTERS)), file


def describe(problems: Sequence[Problem]) -> str:
    return "\n".join(p.render("en") for p in problems) or "(no problems)"


@overload
def assert_form(yaml: str, *, answers: Mapping[str, Any], errors_contain: Sequence[str] = (),
                codes: Sequence[str] = (), today: dt.date = TODAY, stage: Stage = "kiosk",
                header: bool = True) -> Evaluation: ...


@overload
def assert_form(yaml: str, *, answers: None = None, errors_contain: Sequence[str] = (),
                codes: Sequence[str] = (), today: dt.date = TODAY, stage: Stage = "kiosk",
                header: bool = True) -> None: ...


def assert_form(yaml: str, *, answers: Mapping[str, Any] | None = None,
                errors_contain: Sequence[str] = (), codes: Sequence[str] = (),
                today: dt.date = TODAY, stage: Stage = "kiosk",
                header: bool = True) -> Evaluation | None:
    """Load the inline form and check what the loader says about it.

    With `codes` or `errors_contain`, the form must be refused with errors carrying every
    code and every substring (in the Japanese or English message or hint), each error naming
    the file and a line. Without them, the form must load with no problem at all. With
    `answers`, the loaded form is evaluated and the Evaluation returned.
    """
    lib, file = load_inline(yaml, header=header)
    expect_errors = bool(codes or errors_contain)
    if not expect_errors:
        if lib.problems:
            raise AssertionError(f"expected no problems, got:\n{describe(lib.problems)}")
    else:
        _check_errors(lib, file, codes, errors_contain)
    if answers is None:
        return None
    if expect_errors:
        raise AssertionError("answers cannot be evaluated on a form that is expected to be refused")
    form = next(iter(lib.forms.values())).form
    return evaluate(form, answers, today=today, stage=stage)


def _check_errors(lib: Library, file: Path, codes: Sequence[str], contain: Sequence[str]) -> None:
    errors = lib.errors
    shown = describe(lib.problems)
    if not errors:
        raise AssertionError(f"expected errors {list(codes)} {list(contain)}, got:\n{shown}")
    if lib.forms:
        raise AssertionError(f"a form with errors was loaded anyway:\n{shown}")
    for p in errors:
        if p.file != file or p.line is None or p.line < 1:
            raise AssertionError(f"error without file and line: {p.render('en')}")
    found = {str(p.code) for p in errors}
    for code in codes:
        if code not in found:
            raise AssertionError(f"expected code {code!r}, got {sorted(found)}:\n{shown}")
    texts = [t for p in errors for t in _texts(p)]
    for part in contain:
        if not any(part in t for t in texts):
            raise AssertionError(f"no error message contains {part!r}:\n{shown}")


def _texts(p: Problem) -> list[str]:
    out = [p.message.ja, p.message.en or ""]
    if p.hint:
        out += [p.hint.ja, p.hint.en or ""]
    return out
