"""Shared choice lists: `choices: relationship` offers the one 続柄 list, wherever it is used."""

from __future__ import annotations

import textwrap
from pathlib import Path

from forms.choice_lists import load_choice_lists, merge_choice_lists, resolve_choice_lists
from forms.loader import SHIPPED_DIR, load_library
from forms.model import Choice
from forms.yamlsource import read_source
from tests.forms.helpers import COUNTERS, HEADER, HEADER_LINES, describe

SHIPPED_LISTS = SHIPPED_DIR / "choices.yaml"

LISTS = """
    choice_lists:
      sex:
        - {value: male, label: {ja: 男, en: Male}}
        - {value: female, label: {ja: 女, en: Female}}
        - {value: not_applicable, label: {ja: 該当なし, en: Not applicable}}
      relationship:
        - {value: head, label: {ja: 世帯主（本人）, en: Head of household (this person)}}
        - {value: child, label: {ja: 子, en: Child}}
        - {value: other, label: {ja: その他, en: Other}}
"""

# Line 1 of the body is `fields:`: relationship is on its line 7, sex on line 10.
FORM = """
    fields:
      - id: members
        type: group
        label: {ja: 引っ越す人, en: Who moves}
        fields:
          - {id: name, type: text, label: {ja: 氏名, en: Name}}
          - {id: relationship, type: choice, label: {ja: 続柄, en: Relationship}, choices: relationship}
          - {id: relationship_other, type: text, label: {ja: 具体的に, en: Describe},
             show_if: relationship == 'other'}
          - {id: sex, type: choice, label: {ja: 性別, en: Sex}, bind: card.sex, choices: sex}
"""


def write(directory: Path, name: str, text: str, *, form_id: str | None = None) -> Path:
    body = textwrap.dedent(text).lstrip("\n")
    if form_id:
        body = HEADER.replace("id: test_form", f"id: {form_id}") + body
    file = directory / name
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(body, encoding="utf-8")
    return file


def values(choices: list[Choice] | None) -> list[tuple[str, str, str | None]]:
    return [(c.value, c.label.ja, c.label.en) for c in choices or ()]


# -- the shipped lists --------------------------------------------------------------------


def test_the_shipped_lists_are_what_the_moving_forms_offer() -> None:
    # tennyu, tenkyo and tenshutsu wrote these lists out before they could name them:
    # each of them offers exactly the shipped list, whichever way it is written.
    lib = load_library(counters=set(COUNTERS))
    assert lib.problems == [], describe(lib.problems)
    lists = load_choice_lists(read_source(SHIPPED_LISTS))
    assert [c["value"] for c in lists["sex"]] == ["male", "female", "not_applicable"]
    assert [c["value"] for c in lists["relationship"]] == [
        "head", "wife", "husband", "child", "father", "mother", "grandchild", "other"]
    for form_id in ("tennyu", "tenkyo", "tenshutsu"):
        form = lib.get(form_id)
        for name in ("sex", "relationship"):
            offered = values(form.field(name).choices)
            shared = [(c["value"], c["label"]["ja"], c["label"]["en"]) for c in lists[name]]
            assert offered == shared, (form_id, name)


def test_a_form_naming_a_shipped_list_offers_its_choices(tmp_path: Path) -> None:
    write(tmp_path, "moving.yaml", FORM, form_id="moving")
    lib = load_library([tmp_path], counters=set(COUNTERS))
    assert lib.problems == [], describe(lib.problems)
    form = lib.get("moving")
    assert values(form.field("relationship").choices) == [
        ("head", "世帯主（本人）", "Head of household (this person)"), ("wife", "妻", "Wife"),
        ("husband", "夫", "Husband"), ("child", "子", "Child"), ("father", "父", "Father"),
        ("mother", "母", "Mother"), ("grandchild", "孫", "Grandchild"), ("other", "その他", "Other")]
    assert [c.value for c in form.field("sex").choices or ()] == [
        "male", "female", "not_applicable"]


# -- a form naming a list -----------------------------------------------------------------


def test_a_named_list_is_checked_like_one_written_out(tmp_path: Path) -> None:
    # The condition naming a value the list does not offer is caught, at the form's line.
    form = FORM.replace("relationship == 'other'", "relationship == 'cousin'")
    file = write(tmp_path, "moving.yaml", form, form_id="moving")
    write(tmp_path, "lists.yaml", LISTS)
    lib = load_library([tmp_path], shipped=None)
    [error] = lib.errors
    assert (error.code, error.file, error.line) == ("unknown_choice", file, HEADER_LINES + 9)
    assert "'cousin'" in error.render("en")
    assert "moving" not in lib.forms


def test_an_unknown_list_names_the_file_the_line_and_the_lists_there_are(tmp_path: Path) -> None:
    file = write(tmp_path, "moving.yaml", FORM.replace("choices: relationship", "choices: relatoinship"),
                 form_id="moving")
    write(tmp_path, "lists.yaml", LISTS)
    lib = load_library([tmp_path], shipped=None)
    [error] = lib.problems
    assert (error.severity, error.code, error.file, error.line, error.path) == (
        "error", "unknown_choice_list", file, HEADER_LINES + 7, "fields[0].fields[1].choices")
    assert "there is no choice list 'relatoinship'" in error.render("en")
    assert "Did you mean 'relationship'? Known lists: relationship, sex" in error.render("en")
    assert "「relationship」の書き間違いではありませんか。使える一覧: relationship, sex" in error.render("ja")
    assert lib.forms == {}


def test_with_no_lists_loaded_the_hint_says_where_lists_are_written(tmp_path: Path) -> None:
    write(tmp_path, "moving.yaml", FORM, form_id="moving")
    lib = load_library([tmp_path], shipped=None)
    assert {(p.code, p.line) for p in lib.problems} == {
        ("unknown_choice_list", HEADER_LINES + 7), ("unknown_choice_list", HEADER_LINES + 10)}
    assert "choice_lists:" in lib.problems[0].render("en")
    assert lib.forms == {}


def test_each_field_gets_its_own_copy_of_the_list(tmp_path: Path) -> None:
    src = read_source(write(tmp_path, "f.yaml", """
        fields:
          - {id: a, type: choice, label: A, choices: sex}
          - {id: b, type: choice, label: B, choices: sex}
    """))
    lists = merge_choice_lists([read_source(write(tmp_path, "lists.yaml", LISTS))])
    resolve_choice_lists(src, lists)
    a, b = src.data["fields"][0]["choices"], src.data["fields"][1]["choices"]
    assert a == b == lists["sex"]
    a[0]["value"] = "changed"
    assert b[0]["value"] == lists["sex"][0]["value"] == "male"


# -- shipped and local lists --------------------------------------------------------------


def test_a_local_list_replaces_the_shipped_one_in_every_form(tmp_path: Path) -> None:
    shipped, local = tmp_path / "shipped", tmp_path / "local"
    write(shipped, "lists.yaml", LISTS)
    write(shipped, "shipped_form.yaml", FORM, form_id="shipped_form")
    write(local, "local_form.yaml", FORM, form_id="local_form")
    mine = write(local, "my_lists.yaml", """
        choice_lists:
          relationship:
            - {value: head, label: {ja: 世帯主, en: Head}}
            - {value: spouse_child, label: {ja: 妻の子, en: "Spouse's child"}}
            - {value: other, label: {ja: その他, en: Other}}
    """)
    lib = load_library([local], shipped=shipped)
    [info] = lib.problems
    assert (info.severity, info.code, info.file, info.line, info.path) == (
        "info", "overridden", mine, 2, "choice_lists.relationship")
    assert "choice list 'relationship' replaces the earlier one" in info.render("en")
    for form_id in ("shipped_form", "local_form"):
        form = lib.get(form_id)
        assert [c.value for c in form.field("relationship").choices or ()] == [
            "head", "spouse_child", "other"]
        assert [c.value for c in form.field("sex").choices or ()] == [
            "male", "female", "not_applicable"]  # not replaced: still the shipped list


def test_a_broken_list_file_is_reported_and_the_other_forms_load(tmp_path: Path) -> None:
    broken = write(tmp_path, "broken_lists.yaml", """
        choice_lists:
          colour:
            - {value: red, label: 赤}
            - {value: Blue, label: 青}
    """)
    write(tmp_path, "plain.yaml", """
        fields:
          - {id: name, type: text, label: 氏名}
    """, form_id="plain")
    write(tmp_path, "moving.yaml", FORM, form_id="moving")
    user = write(tmp_path, "colour.yaml", """
        fields:
          - {id: colour, type: choice, label: 色, choices: colour}
    """, form_id="colour")
    lib = load_library([tmp_path], counters=set(COUNTERS))
    assert {"plain", "moving"} <= set(lib.forms)
    assert "colour" not in lib.forms
    assert sorted((p.file, p.line, p.code) for p in lib.errors) == sorted([
        (broken, 4, "schema"), (user, HEADER_LINES + 2, "unknown_choice_list")])
    [schema] = [p for p in lib.errors if p.file == broken]
    assert "'Blue' cannot be an id or value here" in schema.render("en")


def test_a_list_name_must_be_an_id(tmp_path: Path) -> None:
    file = write(tmp_path, "lists.yaml", """
        choice_lists:
          Relationship:
            - {value: head, label: 世帯主}
    """)
    lib = load_library([tmp_path], shipped=None)
    [error] = lib.problems
    assert (error.code, error.file, error.line, error.path) == (
        "schema", file, 2, "choice_lists.Relationship")
    assert "'Relationship' cannot be an id" in error.render("en")


def test_a_list_offering_a_value_twice_is_refused_at_its_line(tmp_path: Path) -> None:
    file = write(tmp_path, "lists.yaml", """
        choice_lists:
          sex:
            - {value: male, label: 男}
            - {value: male, label: 女}
    """)
    lib = load_library([tmp_path], shipped=None)
    [error] = lib.problems
    assert (error.code, error.file, error.line, error.path) == (
        "duplicate_choice", file, 4, "choice_lists.sex[1].value")
    assert "list 'sex' offers the value 'male' twice" in error.render("en")


def test_an_empty_list_and_an_unknown_key_are_refused(tmp_path: Path) -> None:
    file = write(tmp_path, "lists.yaml", """
        choice_lists:
          sex: []
        choice_list: {}
    """)
    lib = load_library([tmp_path], shipped=None)
    assert sorted((p.code, p.line, p.path) for p in lib.problems) == [
        ("schema", 2, "choice_lists.sex"), ("schema", 3, "choice_list")]
    assert all(p.file == file for p in lib.problems)
    assert any("Did you mean 'choice_lists'?" in p.render("en") for p in lib.problems)


def test_a_life_events_shared_question_may_name_a_list(tmp_path: Path) -> None:
    # A life event asks 続柄 once for all its procedures: it offers the same shared list.
    src = read_source(write(tmp_path, "life_events.yaml", """
        life_events:
          - id: moving_in
            shared:
              - id: household
                type: group
                fields:
                  - {id: relationship, type: choice, label: 続柄, choices: relationship}
                  - {id: sex, type: choice, label: 性別, choices: sexx}
    """))
    resolve_choice_lists(src, load_choice_lists(read_source(write(tmp_path, "l.yaml", LISTS))))
    household = src.data["life_events"][0]["shared"][0]
    assert [c["value"] for c in household["fields"][0]["choices"]] == ["head", "child", "other"]
    [error] = src.problems
    assert (error.code, error.line, error.path) == (
        "unknown_choice_list", 8, "life_events[0].shared[0].fields[1].choices")
    assert "Did you mean 'sex'?" in error.render("en")
