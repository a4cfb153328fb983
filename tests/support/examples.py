"""Three sample applications, small to large, with made-up residents.

One definition of "small", "medium" and "large" is shared by the size tests, the benchmark
(bench/payload.py) and docs/slip-format.md, so that the figures in all three agree. The answers
use the field ids and choice values of the shipped form library (forms/library/procedures/), as
the kiosk's answer engine would hand them over: dates as ISO strings, choices as their values,
repeatable groups as lists of dicts.

The large one is the size budget's yardstick: a family of three moving in (転入届) who join the
national health insurance (国民健康保険) and claim child allowance (児童手当) at the same visit,
60 answers in all, with long Japanese addresses and names including one outside JIS X 0208 (𠮷).
"""

from __future__ import annotations

from datetime import datetime

from common.clock import JST
from printouts.payload.model import Application, JsonValue, ProcedureEntry

OFFICE = "999997"
KIOSK = "K01"
ISSUED_AT = datetime(2025, 4, 1, 9, 30, 0, tzinfo=JST)

_NAME = "見本 太郎"
_KANA = "ミホン タロウ"
_BIRTH = "1980-04-01"
_OLD_ADDRESS = "東京都千代田区霞が関二丁目1番2号 中央合同庁舎第2号館"
_NEW_ADDRESS = "みほん市桜が丘三丁目12番地の5 さくら荘201号室"
_PHONE = "090-1234-5678"
_FROM_CARD = ["from_card"]


def small_application(slip_id: bytes = bytes(12)) -> Application:
    """A copy of the resident record (住民票の写し): the usual one-procedure visit."""
    return Application(
        office_code=OFFICE,
        kiosk_id=KIOSK,
        issued_at=ISSUED_AT,
        ticket="A-023",
        slip_id=slip_id,
        procedures=(
            ProcedureEntry(
                form_id="juminhyo",
                form_version=1,
                answers={
                    "applicant": "self",
                    "applicant_name": _NAME,
                    "applicant_address": "みほん市中央一丁目1番1号",
                    "applicant_birth_date": _BIRTH,
                    "scope": "household",
                    "items": ["head_and_relationship"],
                    "copies": 2,
                    "purpose": "employment",
                },
                flags={"applicant_name": _FROM_CARD, "applicant_address": ["corrected"]},
            ),
        ),
    )


def _tennyu(members: list[JsonValue]) -> ProcedureEntry:
    return ProcedureEntry(
        form_id="tennyu",
        form_version=1,
        answers={
            "applicant": "self",
            "applicant_name": _NAME,
            "applicant_birth_date": _BIRTH,
            "applicant_phone": _PHONE,
            "moved_on": "2025-03-28",
            "new_postal_code": "999-0123",
            "new_address": _NEW_ADDRESS,
            "previous_address": _OLD_ADDRESS,
            "moveout_method": "card",
            "household_kind": "new_household",
            "head_name": _NAME,
            "members": members,
            "has_card": True,
            "national_health_insurance": True,
            "child_allowance": True,
        },
        flags={
            "applicant_name": _FROM_CARD,
            "applicant_birth_date": _FROM_CARD,
            "previous_address": _FROM_CARD,
        },
    )


def _member(name: str, kana: str, birth: str, sex: str, relationship: str) -> JsonValue:
    return {
        "name": name,
        "name_kana": kana,
        "birth_date": birth,
        "sex": sex,
        "relationship": relationship,
    }


def medium_application(slip_id: bytes = bytes(12)) -> Application:
    """Moving in (転入届) with a household of two."""
    members: list[JsonValue] = [
        _member(_NAME, _KANA, _BIRTH, "male", "head"),
        _member("見本 花子", "ミホン ハナコ", "1982-09-15", "female", "wife"),
    ]
    return Application(
        office_code=OFFICE,
        kiosk_id=KIOSK,
        issued_at=ISSUED_AT,
        ticket="B-104",
        slip_id=slip_id,
        procedures=(_tennyu(members),),
    )


def large_application(slip_id: bytes = bytes(12)) -> Application:
    """Moving in with a household of three, national health insurance and child allowance."""
    members: list[JsonValue] = [
        _member(_NAME, _KANA, _BIRTH, "male", "head"),
        _member("見本 花子", "ミホン ハナコ", "1982-09-15", "female", "wife"),
        _member("見本 𠮷乃", "ミホン ヨシノ", "2019-12-03", "female", "child"),
    ]
    kokuho = ProcedureEntry(
        form_id="kokuho",
        form_version=2,
        answers={
            "applicant": "self",
            "applicant_name": _NAME,
            "applicant_address": _NEW_ADDRESS,
            "head_name": _NAME,
            "head_in_kokuho": True,
            "action": "join",
            "join_reason": "moved_in",
            "event_date": "2025-03-28",
            "previous_insurer": "全国健康保険協会 東京支部",
            "members": [
                {
                    "member_name": "見本 花子",
                    "member_birth_date": "1982-09-15",
                    "member_relationship": "wife",
                },
            ],
        },
        flags={"applicant_name": _FROM_CARD},
    )
    jidou_teate = ProcedureEntry(
        form_id="jidou_teate",
        form_version=2,
        answers={
            "applicant": "self",
            "applicant_name": _NAME,
            "claimant_name": _NAME,
            "claimant_name_kana": _KANA,
            "claim_reason": "moved_in",
            "reason_date": "2025-03-28",
            "has_spouse": True,
            "spouse_name": "見本 花子",
            "children": [
                {
                    "child_name": "見本 𠮷乃",
                    "child_name_kana": "ミホン ヨシノ",
                    "child_birth_date": "2019-12-03",
                    "child_relationship": "child",
                    "child_lives_with": True,
                },
            ],
            "claimant_insurance": "kokuho",
            "bank": "1001",  # 北海道信金, picked at the kiosk by its reading
            "branch": "002",  # 豊平
            "account_type": "ordinary",
            "account_number": "1234567",
            "account_holder_kana": _KANA,
        },
        flags={"applicant_name": _FROM_CARD, "account_number": ["manual"]},
    )
    return Application(
        office_code=OFFICE,
        kiosk_id=KIOSK,
        issued_at=ISSUED_AT,
        ticket="C-007",
        slip_id=slip_id,
        procedures=(_tennyu(members), kokuho, jidou_teate),
    )


def count_answers(app: Application) -> int:
    """Leaf answers (strings, numbers, booleans, nulls), the unit the size budget is stated in."""

    def leaves(value: JsonValue) -> int:
        if isinstance(value, list):
            return sum(leaves(v) for v in value)
        if isinstance(value, dict):
            return sum(leaves(v) for v in value.values())
        return 1

    return sum(leaves(v) for p in app.procedures for v in p.answers.values())
