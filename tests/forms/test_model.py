"""The typed model: texts and their fallbacks, field shapes, the field-type table."""

from __future__ import annotations

import datetime as dt
import typing

import pytest
from pydantic import ValidationError

from forms.field_types import BINDINGS, FIELD_TYPES
from forms.model import Document, EventStep, FieldTypeName, FormField
from forms.text import T, Text
from tests.forms.helpers import load_inline


def test_a_bare_string_is_japanese_text() -> None:
    text = Text.model_validate("氏名")
    assert (text.ja, text.en, text.ja_kana) == ("氏名", None, None)
    assert text.languages() == {"ja"}


def test_text_falls_back_to_japanese() -> None:
    text = Text.model_validate({"ja": "氏名", "ja_kana": "しめい", "en": "Name", "vi": "Họ tên",
                                "easy_ja": "なまえ"})
    assert text.get("en") == "Name"
    assert text.get("vi") == "Họ tên"
    assert text.get("easy_ja") == "なまえ"
    assert text.get("ja_kana") == "しめい"
    assert text.get("ko") == "氏名"
    assert text.languages() == {"ja", "en", "vi", "easy_ja"}
    assert Text.model_validate({"ja": "氏名", "en": ""}).get("en") == "氏名"


@pytest.mark.parametrize(("data", "fault"), [
    ({"en": "Name"}, "ja"),
    ({"ja": "  "}, "empty"),
    ({"ja": "氏名", "English": "Name"}, "not a language code"),
    ({"ja": "氏名", "vi": 3}, "must be a string"),
])
def test_bad_texts(data: dict[str, object], fault: str) -> None:
    with pytest.raises(ValidationError, match=fault):
        Text.model_validate(data)


def test_t_builds_a_pair() -> None:
    assert T("はい", "Yes").get("en") == "Yes"


def test_document_shorthand() -> None:
    assert Document.model_validate("本人確認書類").label.ja == "本人確認書類"
    assert Document.model_validate({"ja": "委任状", "en": "Letter"}).label.get("en") == "Letter"
    doc = Document.model_validate({"label": "委任状", "when": "applicant == 'agent'"})
    assert doc.when == "applicant == 'agent'"


def test_event_step_is_a_form_or_a_text() -> None:
    assert EventStep.model_validate({"form": "juminhyo"}).form == "juminhyo"
    for bad in ({}, {"form": "juminhyo", "info": "窓口へ"}):
        with pytest.raises(ValidationError, match="either `form`"):
            EventStep.model_validate(bad)


@pytest.mark.parametrize(("data", "fault"), [
    ({"type": "text", "min": 1}, "takes no min/max"),
    ({"type": "date", "max": "tomorrow"}, "a date"),
    ({"type": "date", "min": 3}, "a date"),
    ({"type": "integer", "max": "10"}, "whole number"),
    ({"type": "integer", "max": dt.date(2025, 1, 1)}, "whole number"),
    ({"type": "info", "required": True}, "holds no answer"),
    ({"type": "section", "bind": "card.name",
      "fields": [{"id": "x", "type": "text", "label": "x"}]}, "holds no answer"),
    ({"type": "yes_no", "choices": [{"value": "a", "label": "a"}]}, "takes no `choices`"),
    ({"type": "text", "fields": [{"id": "x", "type": "text", "label": "x"}]}, "takes no `fields`"),
    ({"type": "text", "max_length": 0}, "greater than or equal to 1"),
])
def test_field_shapes_that_do_not_fit_the_type(data: dict[str, object], fault: str) -> None:
    with pytest.raises(ValidationError, match=fault):
        FormField.model_validate({"id": "f", "label": "項目", **data})


@pytest.mark.parametrize(("type_", "bound"), [
    ("date", "today"), ("date", "2025-04-01"), ("date", dt.date(2025, 4, 1)), ("integer", 0),
    ("group", 3), ("copies", 10),
])
def test_bounds_that_fit(type_: str, bound: object) -> None:
    extra: dict[str, object] = {}
    if type_ == "group":
        extra["fields"] = [{"id": "x", "type": "text", "label": "x"}]
    data = {"id": "f", "type": type_, "label": "項目", "max": bound, **extra}
    field = FormField.model_validate(data)
    assert field.max == bound


def test_every_field_type_has_a_row_and_every_binding_exists() -> None:
    assert set(FIELD_TYPES) == set(typing.get_args(FieldTypeName))
    for kind in FIELD_TYPES.values():
        assert kind.bindings <= BINDINGS
        assert not (kind.has_children and kind.needs_choices)
    assert {b for k in FIELD_TYPES.values() for b in k.bindings} == BINDINGS
    assert [name for name, k in FIELD_TYPES.items() if k.counter_only] == ["my_number"]
    assert [name for name, k in FIELD_TYPES.items() if not k.asked_at_kiosk] == ["my_number", "section", "info"]
    with pytest.raises(TypeError):
        FIELD_TYPES["new"] = FIELD_TYPES["text"]  # type: ignore[index]


def test_form_walks_its_fields_in_order() -> None:
    lib, _ = load_inline("""
        short_title: 試験
        fields:
          - {id: a, type: text, label: A}
          - id: s
            type: section
            label: S
            fields:
              - {id: b, type: text, label: B}
              - id: g
                type: group
                label: G
                fields:
                  - {id: c, type: text, label: C}
          - {id: d, type: text, label: D}
    """)
    form = lib.get("test_form")
    assert [f.id for f in form.all_fields()] == ["a", "s", "b", "g", "c", "d"]
    assert form.field("c").label.ja == "C"
    assert form.name.ja == "試験"
    with pytest.raises(KeyError):
        form.field("zz")


def test_the_model_is_frozen() -> None:
    field = FormField.model_validate({"id": "f", "type": "text", "label": "項目"})
    with pytest.raises(ValidationError):
        field.label = Text(ja="別")  # type: ignore[misc]
