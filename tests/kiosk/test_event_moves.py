"""Moving out (転出) and moving within the city (転居) ask each thing once, as moving in does.

Driven through the session (no screen) with a family of four and every screening question
answered yes: a question is keyed by its label and, for a per-member question, the member's
line, so 「氏名」 of each member is one question and 「窓口に来た人は」 asked in two
procedures is two.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from forms.loader import Library, load_library
from forms.text import Text
from kiosk.session.display import summary
from kiosk.session.session import Screen, Session
from tests.kiosk.session_fixtures import HANAKO, Clock, RecordingCard, RecordingSubmitter, make_session
from tests.kiosk.session_fixtures import answer_all as walk

# The card holder's name, birth date and sex come from her card: only the rest is asked.
HOLDER = {"name_kana": "ミホン ハナコ", "relationship": "head", "has_kokuho": True,
          "has_mynumber_card": True}
HUSBAND = {"name": "見本 太郎", "name_kana": "ミホン タロウ", "birth_date": "1983-06-10",
           "sex": "male", "relationship": "husband", "has_kokuho": False, "has_mynumber_card": True}
CHILDREN = [
    {"name": "見本 一郎", "name_kana": "ミホン イチロウ", "birth_date": "2015-05-05", "sex": "male",
     "relationship": "child", "has_kokuho": True, "has_mynumber_card": False},
    {"name": "見本 次子", "name_kana": "ミホン ツギコ", "birth_date": "2019-09-09", "sex": "female",
     "relationship": "child", "has_kokuho": True, "has_mynumber_card": True},
]
FAMILY = [HOLDER, HUSBAND, *CHILDREN]
NAMES = ["見本 花子", "見本 太郎", "見本 一郎", "見本 次子"]

ITEM = re.compile(r"\[(\d+)\]")  # household[2].name: the member's line
NEW_ADDRESS = "みほん市北町一丁目1番1号"
SHARED = {"applicant": "self", "timing": "done", "move_date": "2026-11-20", "destination": "domestic",
          "new_postal_code": "1000001", "new_address": NEW_ADDRESS}
# What each procedure asks of its own, by field id: never a fact the event shares.
OWN = {"new_head_name": "見本 花子", "whole_household": True, "has_foreign_resident": False,
       "card_returned": True, "head_name": "見本 花子", "head_changes": False,
       "reissue_signature_cert": False}


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def start(library: Library, event: str) -> tuple[Session, RecordingSubmitter]:
    submitter = RecordingSubmitter()
    s = make_session(RecordingCard(), submitter, Clock(), library)
    s.start()
    s.choose_event(event)
    while s.screening_question() is not None:  # yes to each: every procedure is chosen
        s.answer_screening(True)
    s.use_card()
    s.enter_pin("1234")
    return s, submitter


def answer_all(s: Session, shared: dict[str, Any]) -> list[tuple[int, str, str]]:
    """Answers every question as the family would; (procedure, path, label) of each asked."""
    asked = walk(s, family=FAMILY, shared=shared, own=OWN)
    return [(a.procedure, a.path, a.label) for a in asked]


def member(path: str) -> int | None:
    """The member's line a per-member question is about (household[2].name: 2)."""
    item = ITEM.search(path)
    return int(item[1]) if item else None


def asked_twice(asked: list[tuple[int, str, str]]) -> list[tuple[str, int | None]]:
    """Questions met more than once, as the resident meets them: by label and member."""
    counts = Counter((label, member(path)) for _, path, label in asked)
    return [k for k, n in counts.items() if n > 1]


def shown(s: Session) -> str:
    """The message under the question, in Japanese."""
    message = s.message
    return message.ja if isinstance(message, Text) else message or ""


def submitted(submitter: RecordingSubmitter) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, list[str]]]]:
    procedures = submitter.submissions[-1].procedures
    return {p.form_id: p.values for p in procedures}, {p.form_id: p.flags for p in procedures}


def add_phone(s: Session) -> None:
    """The phone is optional everywhere: offered once on the confirm screen, by the shared
    questions, and given to every procedure from there."""
    optional = [(q.procedure, q.state.path) for q in s.optional_questions()]
    assert [path for _, path in optional].count("applicant_phone") == 1, optional
    assert (0, "applicant_phone") in optional
    s.edit(0, "applicant_phone")
    s.answer("0312345678")
    assert s.screen == Screen.CONFIRM


# -- moving out ---------------------------------------------------------------------------


def test_a_family_of_four_moving_out_is_asked_each_thing_once(library: Library) -> None:
    s, submitter = start(library, "moving_out")
    asked = answer_all(s, SHARED)
    assert asked_twice(asked) == []
    shared = [path for i, path, _ in asked if s.procedures[i].shared]
    assert shared[:5] == ["applicant", "timing", "move_date", "destination", "new_address"]
    assert [p for p in shared if p.startswith("household[0]")] == [
        "household[0].name_kana", "household[0].relationship", "household[0].has_kokuho"]
    own = {path.split(".")[-1] for i, path, _ in asked if not s.procedures[i].shared}
    assert own == {"new_head_name", "whole_household", "has_foreign_resident", "card_returned"}
    add_phone(s)
    s.confirm()
    assert s.screen == Screen.DONE
    values, flags = submitted(submitter)
    assert list(values) == ["tenshutsu", "kokuho"]
    tenshutsu, kokuho = values["tenshutsu"], values["kokuho"]
    assert [m["name"] for m in tenshutsu["members"]] == NAMES
    assert [m["relationship"] for m in tenshutsu["members"]] == ["head", "husband", "child", "child"]
    # 国保: only those in it leave it, each with the certificate returned.
    assert [m["member_name"] for m in kokuho["members"]] == ["見本 花子", "見本 一郎", "見本 次子"]
    assert [m["member_birth_date"] for m in kokuho["members"][1:]] == ["2015-05-05", "2019-09-09"]
    assert all(m["card_returned"] is True for m in kokuho["members"])
    assert (kokuho["action"], kokuho["leave_reason"]) == ("leave", "moved_out")
    assert tenshutsu["move_date"] == kokuho["event_date"] == "2026-11-20"
    assert (tenshutsu["timing"], tenshutsu["destination"], tenshutsu["new_address"]) == (
        "done", "domestic", NEW_ADDRESS)
    assert tenshutsu["applicant"] == kokuho["applicant"] == "self"
    assert tenshutsu["applicant_phone"] == kokuho["applicant_phone"] != ""
    assert tenshutsu["has_card"] is True and tenshutsu["national_health_insurance"] is True
    assert flags["tenshutsu"]["members[0].name"] == ["from_card"]
    assert flags["kokuho"]["members[0].member_name"] == ["from_card"]


def test_a_moving_date_on_the_wrong_side_of_today_is_refused_where_it_is_typed(
        library: Library) -> None:
    # 「もう引っ越した」 with a date to come: refused in the shared questions, never sent
    # back to 転出届 (whose own check the shared answer would overwrite for ever).
    s, _ = start(library, "moving_out")
    for path in ("applicant", "timing"):
        s.answer(SHARED[path])
    question = s.question()
    assert question is not None and question.state.path == "move_date"
    s.answer("2026-12-01")
    assert "今日までの日付" in shown(s)
    s.answer("2026-11-20")
    assert s.message is None
    question = s.question()
    assert question is not None and question.state.path == "destination"


def test_the_confirm_screen_lists_the_move_once_with_both_procedures(library: Library) -> None:
    s, _ = start(library, "moving_out")
    answer_all(s, SHARED)
    summaries = summary(s, "ja")
    labels = [row.label.ja for item in summaries for row in item.rows]
    for once in ("窓口に来た人は", "引っ越す日（引っ越した日）", "引っ越す人（あなたも含めて全員）"):
        assert labels.count(once) == 1, once
    rows = {row.label.ja: row for row in summaries[0].rows}
    assert [t.ja for t in rows["引っ越す日（引っ越した日）"].fills] == ["転出届", "国民健康保険の加入・脱退"]


# -- moving within the city ---------------------------------------------------------------


def test_a_family_of_four_moving_within_the_city_is_asked_each_thing_once(library: Library) -> None:
    s, submitter = start(library, "moving_within")
    asked = answer_all(s, SHARED)
    assert asked_twice(asked) == []
    shared = [path for i, path, _ in asked if s.procedures[i].shared]
    assert shared[:4] == ["applicant", "move_date", "new_postal_code", "new_address"]
    assert [p for p in shared if p.startswith("household[0]")] == [
        "household[0].name_kana", "household[0].relationship", "household[0].has_mynumber_card"]
    own = {path.split(".")[-1] for i, path, _ in asked if not s.procedures[i].shared}
    assert own == {"head_changes", "has_foreign_resident", "reissue_signature_cert"}
    add_phone(s)
    s.confirm()
    assert s.screen == Screen.DONE
    values, flags = submitted(submitter)
    assert list(values) == ["tenkyo", "mynumber_card_address"]
    tenkyo, cards = values["tenkyo"], values["mynumber_card_address"]
    assert [m["name"] for m in tenkyo["members"]] == NAMES
    assert [m["sex"] for m in tenkyo["members"]] == ["female", "male", "male", "female"]
    assert (tenkyo["moved_on"], tenkyo["new_address"], tenkyo["previous_address"]) == (
        "2026-11-20", NEW_ADDRESS, HANAKO.address)
    # Only the cards there are: 一郎 has none.
    assert [c["holder_name"] for c in cards["cards"]] == ["見本 花子", "見本 太郎", "見本 次子"]
    assert [c["holder_birth_date"] for c in cards["cards"][1:]] == ["1983-06-10", "2019-09-09"]
    assert (cards["changes"], cards["move_kind"]) == (["address"], "moved_within")
    assert "tennyu_notified_on" not in cards
    assert tenkyo["applicant"] == cards["applicant"] == "self"
    assert tenkyo["applicant_phone"] == cards["applicant_phone"] != ""
    assert tenkyo["has_card"] is True and tenkyo["national_health_insurance"] is True
    assert flags["tenkyo"]["members[0].name"] == ["from_card"]
    assert flags["mynumber_card_address"]["cards[0].holder_name"] == ["from_card"]


def test_the_same_address_again_is_refused_where_it_is_typed(library: Library) -> None:
    # 転居届 refuses a new address equal to the previous one (from the card): the shared
    # question does too, so 転居届 never asks an address the resident cannot change there.
    s, _ = start(library, "moving_within")
    for path in ("applicant", "move_date", "new_postal_code"):
        s.answer(SHARED[path])
    s.answer(HANAKO.address)
    assert "前の住所が同じ" in shown(s)
    s.answer(NEW_ADDRESS)
    assert s.message is None


def test_a_procedure_alone_still_asks_what_the_event_would_share(library: Library) -> None:
    for form_id, first in (("tenshutsu", "applicant"), ("tenkyo", "applicant")):
        s = make_session(RecordingCard(), RecordingSubmitter(), Clock(), library)
        s.start()
        s.choose_form(form_id)
        s.use_card()
        s.enter_pin("1234")
        question = s.question()
        assert question is not None and question.state.path == first
        assert not any(p.shared for p in s.procedures)
        s.answer("self")
        question = s.question()
        assert question is not None and question.state.path in ("timing", "moved_on"), form_id
