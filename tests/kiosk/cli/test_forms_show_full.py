"""`kiosk forms show ID --full`: the complete specification handed to a department.

Each test walks the form model and looks for every item in the printed text, so a help text,
a default, a bound, a fee or a condition the printout leaves out fails the test.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from common.clock import japan_date, utc_now
from forms.loader import load_library
from forms.model import Form, FormField, Rule, date_bound
from forms.text import Text
from kiosk.cli.main import main
from kiosk.config import KioskConfig

LIBRARY = load_library()
# 住民票 and 国保 as asked; 戸籍 for fee lines, 転入 for a relative date bound, 葬祭費 for a
# choice default.
FORM_IDS = ["juminhyo", "kokuho", "koseki_shomei", "tennyu", "sosaihi"]
HEADER = re.compile(r"^\s*\d+(?:\.\d+)*\. ([a-z][a-z0-9_]*): ")


def show_full(form_id: str, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    assert main(["forms", "show", form_id, "--full", *extra]) == 0
    return capsys.readouterr().out


def field_blocks(out: str) -> dict[str, str]:
    """Each field's own lines (its header up to the next field's header)."""
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in out.splitlines():
        match = HEADER.match(line)
        if match:
            current = blocks.setdefault(match[1], [])
        elif line.startswith("■"):
            current = None
        if current is not None:
            current.append(line)
    return {key: "\n".join(lines) for key, lines in blocks.items()}


def assert_text(text: Text, where: str) -> None:
    assert text.ja in where
    if text.en:
        assert text.en in where
    if text.ja_kana:
        assert text.ja_kana in where


def assert_rule(rule: Rule, where: str) -> None:
    assert rule.shown in where
    assert_text(rule.message, where)
    for part in (rule.when, rule.field):
        if part:
            assert part in where
    assert ("warning" if rule.level == "warning" else "error") in where


def assert_bounds(f: FormField, block: str, today: dt.date) -> None:
    for bound in (f.min, f.max):
        if isinstance(bound, int):
            assert re.search(rf"(min|max)[^:\n]*: {bound}\b", block), (f.id, bound)
        elif isinstance(bound, dt.date):
            assert bound.isoformat() in block
        elif isinstance(bound, str):
            assert bound in block
            day = date_bound(bound, today)
            if bound != "today" and day is not None:
                assert day.isoformat() in block, (f.id, bound)
    if f.min is None and f.max is None and f.kind.default_bounds:
        low, high = f.kind.default_bounds
        assert f"min: {low}" in block and f"max: {high}" in block


def assert_field(form: Form, f: FormField, block: str, today: dt.date) -> None:
    assert f.type in block
    assert_text(f.label, block)
    if f.help:
        assert_text(f.help, block)
    if f.default is not None:
        line = next(line for line in block.splitlines() if "default:" in line)
        assert str(f.default) in line
    assert_bounds(f, block, today)
    if f.max_length:
        assert f"max length: {f.max_length}" in block
    if f.required is True:
        assert "required: はい yes" in block
    elif isinstance(f.required, str):
        assert f.required in block
    for condition in (f.show_if, f.bind, *f.event_bind):
        if condition:
            assert condition in block
    if f.item_label:
        assert_text(f.item_label, block)
    assert_choices_and_rules(f, block)


def assert_choices_and_rules(f: FormField, block: str) -> None:
    for choice in f.choices or ():
        assert f"{choice.value}: " in block
        assert_text(choice.label, block)
        if choice.help:
            assert_text(choice.help, block)
    for rule in f.rules:
        assert_rule(rule, block)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_full_spec_holds_everything_the_form_says(form_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    form = LIBRARY.get(form_id)
    today = japan_date(utc_now())
    out = show_full(form_id, capsys)
    assert_text(form.title, out)
    assert f"版 version: {form.version}" in out
    assert KioskConfig().counters[form.counter] in out
    assert ("read from the card" if form.my_number_required else "not needed") in out
    for applicant in form.applicants:
        assert_text(applicant.label, out)
        for need in applicant.needs:
            assert_text(need, out)
    for document in form.documents:
        assert_text(document.label, out)
        if document.when:
            assert f"when: {document.when}" in out
    for note in form.notes:
        assert_text(note, out)
    for rule in form.rules:
        assert_rule(rule, out.split("■ 規則 Rules", 1)[1])
    blocks = field_blocks(out)
    assert list(blocks) == [f.id for f in form.all_fields()]  # every field, in the file's order
    for f in form.all_fields():
        assert_field(form, f, blocks[f.id], today)


@pytest.mark.parametrize("form_id", ["juminhyo", "koseki_shomei"])
def test_full_spec_gives_the_fees_and_when_they_are_charged(
        form_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    form = LIBRARY.get(form_id)
    fee = form.fee
    assert fee is not None
    section = show_full(form_id, capsys).split("■ 手数料 Fee", 1)[1].split("■", 1)[0]
    if fee.lines:
        for line in fee.lines:
            assert_text(line.label, section)
            assert f"{line.amount}円" in section and line.copies_field in section
    else:
        assert f"{fee.amount}円 yen 1通につき per copy" in section
        assert f"copies field: {fee.copies_field}" in section
    for f in form.all_fields():
        if f.type == "copies" and f.show_if:  # a kind not chosen costs nothing
            assert f"charged when: {f.show_if}" in section


def test_full_spec_names_the_shared_choice_list(capsys: pytest.CaptureFixture[str]) -> None:
    block = field_blocks(show_full("kokuho", capsys))["member_relationship"]
    assert "一覧 list: relationship" in block
    assert "一覧 list" not in field_blocks(show_full("juminhyo", capsys))["purpose"]


def test_relative_date_bound_is_given_as_written_and_as_a_day(capsys: pytest.CaptureFixture[str]) -> None:
    form = LIBRARY.get("tennyu")
    bounded = next(f for f in form.all_fields() if f.min == "today - 5 years")
    today = japan_date(utc_now())
    block = field_blocks(show_full("tennyu", capsys))[bounded.id]
    day = date_bound("today - 5 years", today)
    assert day is not None and day.year == today.year - 5
    assert f"today - 5 years（本日 {today.isoformat()} なら {day.isoformat()}" in block


def test_full_spec_as_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    out = show_full("juminhyo", capsys, "--format", "markdown")
    assert out.startswith("# 住民票の写し等交付申請書")
    assert "\n## 項目 Fields\n" in out
    assert "- **10. copies**: 通数（つうすう） / Number of copies" in out
    assert "  - **表示の条件 shown if**: `scope == 'some'`" in out


def test_show_without_full_is_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "forms", "show", "juminhyo"]) == 0
    out = capsys.readouterr().out
    assert "■" not in out and "copies (copies): Number of copies  [required]" in out
