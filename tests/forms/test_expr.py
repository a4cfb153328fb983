"""The expression language of show_if, required, rules and screening: parse, evaluate, refuse."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from forms import expr
from forms.errors import ExpressionError

TODAY = dt.date(2025, 4, 1)


def ev(source: str, **answers: Any) -> Any:
    return expr.parse(source).evaluate(expr.mapping_lookup(answers), today=TODAY)


def refused(source: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as info:
        expr.parse(source)
    return info.value


# -- parsing ------------------------------------------------------------------------------


def test_parse_collects_field_references_but_not_constants_or_functions() -> None:
    parsed = expr.parse("count(members) >= 1 and age(birth_date) < 18 and x != null and today > d")
    assert parsed.refs == {"members", "birth_date", "x", "d"}


def test_parse_keeps_comparisons_with_literal_text_for_the_choice_check() -> None:
    parsed = expr.parse("purpose in ['pension', 'insurance'] and 'agent' == applicant and n > 1")
    assert expr.Comparison("purpose", ("pension", "insurance")) in parsed.comparisons
    assert expr.Comparison("applicant", ("agent",)) in parsed.comparisons
    assert all(c.field != "n" for c in parsed.comparisons)


@pytest.mark.parametrize("source", ["", "   "])
def test_empty_expression_is_refused(source: str) -> None:
    assert "empty" in str(refused(source))


def test_overlong_expression_is_refused() -> None:
    assert "500" in str(refused(" or ".join(["a"] * 200)))


# -- evaluation ---------------------------------------------------------------------------


def test_and_or_not() -> None:
    assert ev("a and b", a=True, b=True) is True
    assert ev("a and b", a=True, b=False) is False
    assert ev("a or b", a=False, b=True) is True
    assert ev("not a", a=False) is True
    assert ev("not (a or b) and c", a=False, b=False, c=True) is True


def test_in_and_not_in() -> None:
    assert ev("purpose in ['pension', 'insurance']", purpose="pension") is True
    assert ev("purpose in ['pension', 'insurance']", purpose="other") is False
    assert ev("purpose not in ['pension', 'insurance']", purpose="other") is True
    assert ev("'my_number' in items", items=["my_number", "honseki"]) is True
    assert ev("'my_number' not in items", items=["honseki"]) is True


def test_comparisons_of_numbers_and_text() -> None:
    assert ev("copies > 1", copies=2) is True
    assert ev("copies >= 2 and copies <= 2", copies=2) is True
    assert ev("copies < 1", copies=2) is False
    assert ev("purpose == 'other'", purpose="other") is True
    assert ev("purpose != 'other'", purpose="pension") is True
    assert ev("1 < n < 3", n=2) is True
    assert ev("1 < n < 3", n=3) is False


@pytest.mark.parametrize("source", [
    "x == 'a'", "x != 'a'", "x < 3", "x >= 3", "x in ['a', 'b']", "x not in ['a', 'b']",
    "'a' in x", "'a' not in x", "x == null", "x != null", "1 < x < 3",
])
def test_an_unanswered_field_satisfies_no_comparison(source: str) -> None:
    # docs/forms.md: "An unanswered field is null, and null satisfies no comparison."
    assert ev(source) is False
    assert ev(f"not ({source})") is True


def test_comparing_mismatched_types_is_false_not_an_error() -> None:
    assert ev("x > 3", x="text") is False
    assert ev("x in 3", x="a") is False


def test_constants() -> None:
    assert ev("true and not false") is True
    assert ev("True and not False") is True
    assert ev("null") is None
    assert ev("today") == "2025-04-01"
    assert ev("d < today", d="2025-03-31") is True


def test_count_and_len() -> None:
    assert ev("count(members)", members=[{}, {}]) == 2
    assert ev("count(members)") == 0
    assert ev("count(members)", members=5) == 0
    assert ev("len(name)", name="山田") == 2
    assert ev("count(items) >= 1 and len(note) > 0", items=["a"], note="x") is True


def test_answered() -> None:
    assert ev("answered(phone)", phone="03-1234-5678") is True
    empties: tuple[object, ...] = (None, "", [], {})
    for empty in empties:
        assert ev("answered(phone)", phone=empty) is False
    assert ev("answered(flag)", flag=False) is True  # "no" is an answer


@pytest.mark.parametrize(("birth", "age"), [
    ("2007-04-01", 18),  # birthday today
    ("2007-04-02", 17),  # birthday tomorrow
    ("2000-02-29", 25),
    (dt.date(1989, 1, 8), 36),
])
def test_age_in_full_years_today(birth: str | dt.date, age: int) -> None:
    assert ev("age(b)", b=birth) == age


def test_age_of_no_date_is_null_and_compares_false() -> None:
    assert ev("age(b)") is None
    assert ev("age(b)", b="not a date") is None
    assert ev("age(b) < 18") is False
    assert ev("age(b) >= 18") is False


def test_days_since_counts_whole_days_to_today() -> None:
    assert ev("days_since(d)", d="2025-03-18") == 14  # today is 2025-04-01
    assert ev("days_since(d)", d=dt.date(2025, 4, 2)) == -1  # a date still to come
    assert ev("days_since(d) <= 14", d="2025-03-17") is False
    assert ev("days_since(d)") is None and ev("days_since(d) <= 14") is False


def test_arithmetic_and_negative_numbers() -> None:
    assert ev("a + b == 3", a=1, b=2) is True
    assert ev("a - 1 == -1", a=0) is True
    assert ev("a + 1", a="x") is None
    assert ev("-a", a="x") is None


def test_lookup_prefers_the_first_scope() -> None:
    lookup = expr.mapping_lookup({"name": "item"}, {"name": "form", "other": 1})
    assert lookup("name") == "item"
    assert lookup("other") == 1
    assert lookup("missing") is None


# -- refusal of everything that is not the language ----------------------------------------


@pytest.mark.parametrize(("source", "word"), [
    ("applicant.__class__", "Attribute"),
    ("name.upper", "Attribute"),
    ("__import__('os')", "may be called"),
    ("__import__('os').system('ls')", "may be called"),
    ("(lambda: 1)()", "may be called"),
    ("items[0] == 'a'", "Subscript"),
    ("f'{name}' == 'a'", "JoinedStr"),
    ("[x for x in items]", "ListComp"),
    ("{x: 1 for x in items}", "DictComp"),
    ("any(x for x in items)", "may be called"),
    ("count(members, start=1)", "exactly one"),
    ("count(x=members)", "exactly one"),
    ("count(a, b)", "exactly one"),
    ("open('/etc/passwd')", "may be called"),
    ("eval('1')", "may be called"),
    ("getattr(a, 'b')", "may be called"),
    ("(x := 1)", "NamedExpr"),
    ("{'a': 1}", "Dict"),
    ("{1, 2}", "Set"),
    ("a if b else c", "IfExp"),
    ("a * 2", "Mult"),
    ("2 ** 100000", "Pow"),
    ("b'bytes' == a", "only text, numbers"),
    ("... == a", "only text, numbers"),
    ("a is None", "Is"),
])
def test_unsafe_or_unknown_python_is_refused(source: str, word: str) -> None:
    assert word in str(refused(source))


def test_a_lambda_alone_is_refused() -> None:
    assert "Lambda" in str(refused("lambda: 1"))


def test_walrus_without_brackets_is_a_syntax_error() -> None:
    assert "syntax error" in str(refused("x := 1"))


def test_statements_are_syntax_errors() -> None:
    assert "syntax error" in str(refused("import os"))
    assert "syntax error" in str(refused("a = 1"))


# -- columns ------------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "column"), [
    ("a.b", 1),
    ("a == 1 and x.y", 12),
    ("a == 1 and items[0]", 12),
    ("a == 'その他' and x.y", 16),  # columns count characters, not UTF-8 bytes
    ("'住民票' == a and b(1)", 16),
    ("a == 'あ' and lambda: 1", 14),  # a syntax error
    ("a ==", 5),  # a fault at the very end points just past it
    ("a b", 3),
])
def test_error_names_the_column_in_characters(source: str, column: int) -> None:
    err = refused(source)
    assert err.column == column
    assert f"(column {column})" in str(err)
