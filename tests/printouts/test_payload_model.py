"""The Application model and the encoder's refusals: what may never become a slip."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from common.mynumber import check_digit, contains_my_number, is_valid_my_number
from printouts.payload import (
    JST,
    Application,
    CounterKey,
    InvalidApplicationError,
    JsonValue,
    KioskKeys,
    MyNumberInAnswersError,
    PayloadTooLargeError,
    ProcedureEntry,
    TrustedKiosk,
    encode,
    new_slip_id,
)
from tests.support.examples import large_application, small_application

OFFICE = "999997"


@pytest.fixture(scope="module")
def keys() -> KioskKeys:
    # Fixed keys: the same slip bytes in every run, so the size checks below always measure
    # the same text.
    signing = Ed25519PrivateKey.from_private_bytes(bytes(31) + b"\x01")
    counter = X25519PrivateKey.from_private_bytes(bytes(31) + b"\x02").public_key()
    return KioskKeys(
        signing_key=signing,
        kiosk=TrustedKiosk.of(signing.public_key(), kiosk_id="K01", office_code=OFFICE),
        counter=CounterKey.of(counter, office_code=OFFICE),
    )


def _with_answers(answers: dict[str, JsonValue], **flags: list[str]) -> Application:
    return replace(
        small_application(new_slip_id()),
        procedures=(ProcedureEntry("juminhyo", 1, answers, flags),),
    )


# --- My Number ----------------------------------------------------------------------------------


def test_check_digit_matches_the_ordinance() -> None:
    # Worked example: weights 6 5 4 3 2 7 6 5 4 3 2 give 212; 212 mod 11 = 3; 11 - 3 = 8.
    assert check_digit("12345678901") == 8
    assert is_valid_my_number("123456789018")
    assert not is_valid_my_number("123456789017")
    assert not is_valid_my_number("１２３４５６７８９０１８")  # the full-width form is folded by the scan
    assert check_digit("00000000000") == 0  # r = 0
    assert check_digit("00000000006") == 0  # 6 * 2 = 12, r = 1: also 0
    assert check_digit("00000000001") == 9  # r = 2


@pytest.mark.parametrize(
    "text",
    [
        "123456789018",
        "番号は123456789018です",
        "1234 5678 9018",
        "1234-5678-9018",
        "１２３４５６７８９０１８",
    ],
)
def test_my_number_is_spotted(text: str) -> None:
    assert contains_my_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "123456789017",  # wrong check digit
        "1234567890180",  # 13 digits: a 法人番号 is not a My Number
        "090-1234-5678",
        "999-0123",
        "2025-04-01",
    ],
)
def test_other_numbers_pass(text: str) -> None:
    assert not contains_my_number(text)


@pytest.mark.parametrize(
    ("answers", "path"),
    [
        ({"note": "123456789018"}, "procedures[0].answers.note"),
        (
            {"members": [{"name": "見本", "memo": "1234 5678 9018"}]},
            "procedures[0].answers.members[0].memo",
        ),
        ({"123456789018": True}, "procedures[0].answers.############"),
    ],
)
def test_encoder_refuses_a_my_number_and_names_only_the_field(
    keys: KioskKeys, answers: dict[str, JsonValue], path: str
) -> None:
    with pytest.raises(MyNumberInAnswersError) as caught:
        encode(_with_answers(answers), keys)
    assert caught.value.code == "my_number_in_answers"
    assert caught.value.detail == path
    assert "9018" not in str(caught.value)


def test_encoder_refuses_forbidden_keys_even_when_empty(keys: KioskKeys) -> None:
    app = _with_answers({"applicant": "self", "my_number": None})
    with pytest.raises(MyNumberInAnswersError) as caught:
        encode(app, keys, forbidden_keys={"my_number"})
    assert "procedures[0].answers.my_number" in caught.value.detail
    assert encode(app, keys)  # without the hint, an empty answer is only an answer


def test_encoder_refuses_a_my_number_in_flags(keys: KioskKeys) -> None:
    with pytest.raises(MyNumberInAnswersError):
        encode(_with_answers({"a": 1}, a=["123456789018"]), keys)


# --- other refusals -----------------------------------------------------------------------------


def test_too_large_for_the_budget(keys: KioskKeys) -> None:
    app = large_application(new_slip_id())
    with pytest.raises(PayloadTooLargeError):
        encode(app, keys, max_chars=500)
    assert encode(app, keys)


def test_keys_of_another_kiosk(keys: KioskKeys) -> None:
    app = replace(small_application(new_slip_id()), kiosk_id="K02")
    with pytest.raises(InvalidApplicationError):
        encode(app, keys)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"office_code": "99999"}, "office_code"),
        ({"kiosk_id": "k01"}, "kiosk_id"),
        ({"ticket": "A 023"}, "ticket"),
        ({"ticket": "-A"}, "ticket"),
        ({"issued_at": datetime(2025, 4, 1, 9, 30)}, "issued_at"),  # naive
        ({"issued_at": datetime(2025, 4, 1, 9, 30, 0, 5, tzinfo=JST)}, "issued_at"),
        ({"slip_id": b"short"}, "slip_id"),
        ({"procedures": ()}, "procedures"),
    ],
)
def test_model_refuses(change: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidApplicationError) as caught:
        replace(small_application(), **change)
    assert caught.value.detail.startswith(field)


@pytest.mark.parametrize(
    "value",
    [1.5, (1, 2), b"bytes", {1: "int key"}, 2**64, "\ud800", [[[[[[[[[["deep"]]]]]]]]]]],
)
def test_answers_are_json_like(value: object) -> None:
    with pytest.raises(InvalidApplicationError) as caught:
        ProcedureEntry("juminhyo", 1, {"x": value})  # type: ignore[dict-item]
    assert "answers" in caught.value.detail
    assert "x" in caught.value.detail or "keys" in caught.value.detail


@pytest.mark.parametrize(
    ("form_id", "version", "flags"),
    [
        ("", 1, {}),
        ("a b", 1, {}),
        ("juminhyo", -1, {}),
        ("juminhyo", True, {}),
        ("juminhyo", 1, {"name": "corrected"}),
        ("juminhyo", 1, {"name": [""]}),
    ],
)
def test_procedure_entry_refuses(form_id: str, version: int, flags: dict[str, list[str]]) -> None:
    with pytest.raises(InvalidApplicationError):
        ProcedureEntry(form_id, version, {}, flags)


def test_model_copies_and_normalises() -> None:
    answers: dict[str, JsonValue] = {"members": [{"name": "見本"}]}
    entry = ProcedureEntry("tennyu", 1, answers, {"name": ["corrected"]})
    members = answers["members"]
    assert isinstance(members, list)
    members.append({"name": "後から"})
    assert entry.answers == {"members": [{"name": "見本"}]}
    assert entry.flags == {"name": ("corrected",)}
    app = replace(small_application(), issued_at=datetime(2025, 4, 1, 0, 30, tzinfo=UTC))
    assert app.issued_at.utcoffset() == JST.utcoffset(None)
    assert app.issued_at.hour == 9
