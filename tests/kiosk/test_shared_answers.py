"""A life event asks each thing once: the shared questions fill every procedure that binds them.

Driven through the session (no screen): the moving-in family of four, an answer changed on
the confirm screen, a member taken out of one procedure, a child added to one procedure
only, an agent (the card holder is not one of the household).
"""

from __future__ import annotations

from typing import Any

import pytest

from forms.loader import Library, load_library
from kiosk.session.display import summary
from kiosk.session.session import Screen, Session
from tests.kiosk.session_fixtures import Clock, RecordingCard, RecordingSubmitter, make_session
from tests.kiosk.session_fixtures import answer_all as walk

HUSBAND = {"name": "見本 太郎", "name_kana": "ミホン タロウ", "birth_date": "1983-06-10",
           "sex": "male", "relationship": "husband", "has_mynumber_card": True,
           "joins_kokuho": False}
CHILDREN = [
    {"name": "見本 一郎", "name_kana": "ミホン イチロウ", "birth_date": "2015-05-05",
     "sex": "male", "relationship": "child", "has_mynumber_card": False, "joins_kokuho": True},
    {"name": "見本 次子", "name_kana": "ミホン ツギコ", "birth_date": "2019-09-09",
     "sex": "female", "relationship": "child", "has_mynumber_card": True, "joins_kokuho": True},
]
HOLDER = {"name_kana": "ミホン ハナコ", "relationship": "head", "has_mynumber_card": True,
          "joins_kokuho": True}
SHARED = {"applicant": "self", "move_date": "2026-11-20", "new_postal_code": "1000001",
          "new_address": "みほん市北町一丁目1番1号", "head_name": "見本 花子",
          "applicant_phone": "0312345678"}
# What each procedure asks of its own, by field id (never a shared fact).
OWN = {"moveout_method": "certificate", "household_kind": "new_household",
       "has_foreign_resident": False, "reissue_signature_cert": False, "has_spouse": True,
       "child_relationship": "child", "child_lives_with": True, "claimant_insurance": "kokuho",
       "use_public_account": True, "id_method": "photo_id", "previous": "none",
       "head_name": "見本 太郎", "spouse_name": "見本 太郎"}


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def moving_in(library: Library, *, card: RecordingCard | None = None,
              screening: tuple[bool, ...] = (True,) * 4) -> tuple[Session, RecordingSubmitter]:
    submitter = RecordingSubmitter()
    s = make_session(card or RecordingCard(), submitter, Clock(), library)
    s.start()
    s.choose_event("moving_in")
    for yes in screening:  # a card, no employer insurance, children, a seal: yes to all,
        s.answer_screening(yes)  # every procedure
    s.use_card()
    s.enter_pin("1234")
    return s, submitter


def answer_all(s: Session, family: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """(procedure, path) of each question the family is asked up to the confirm screen."""
    asked = walk(s, family=family, shared=SHARED, own=OWN)
    return [(a.procedure, a.path) for a in asked]


FAMILY = [HOLDER, HUSBAND, *CHILDREN]


def values_of(submitter: RecordingSubmitter) -> dict[str, dict[str, Any]]:
    return {p.form_id: p.values for p in submitter.submissions[-1].procedures}


def test_a_family_of_four_moving_in_is_asked_each_thing_once(library: Library) -> None:
    s, submitter = moving_in(library)
    asked = answer_all(s, FAMILY)
    shared = [path for i, path in asked if s.procedures[i].shared]
    # The head's name is not asked: 花子 said she is the head (世帯主との続柄), the card her name.
    assert shared[:5] == ["applicant", "applicant_phone", "move_date", "new_postal_code",
                          "new_address"]
    # The card gave the holder's name, birth date and sex: only the rest of her line is asked.
    assert [p for p in shared if p.startswith("household[0]")] == [
        "household[0].name_kana", "household[0].relationship",
        "household[0].has_mynumber_card", "household[0].joins_kokuho"]
    own = {path.split(".")[-1] for i, path in asked if not s.procedures[i].shared}
    assert own <= set(OWN), own - set(OWN)  # no procedure asks a shared fact again
    s.confirm()
    assert s.screen == Screen.DONE
    values = values_of(submitter)
    assert [m["name"] for m in values["tennyu"]["members"]] == [
        "見本 花子", "見本 太郎", "見本 一郎", "見本 次子"]
    assert [m["member_name"] for m in values["kokuho"]["members"]] == [
        "見本 花子", "見本 一郎", "見本 次子"]
    assert [c["child_name"] for c in values["jidou_teate"]["children"]] == ["見本 一郎", "見本 次子"]
    assert [c["holder_name"] for c in values["mynumber_card_address"]["cards"]] == [
        "見本 花子", "見本 太郎", "見本 次子"]
    assert values["jidou_teate"]["spouse_name"] == "見本 太郎"
    assert values["tennyu"]["head_name"] == "見本 花子"
    assert values["jidou_teate"]["applicant_name_kana"] == "ミホン　ハナコ"
    assert values["kokuho"]["action"] == "join" and values["kokuho"]["join_reason"] == "moved_in"
    assert {values["tennyu"]["moved_on"], values["kokuho"]["event_date"],
            values["jidou_teate"]["reason_date"]} == {"2026-11-20"}
    flags = {p.form_id: p.flags for p in submitter.submissions[-1].procedures}
    assert flags["tennyu"]["members[0].name"] == ["from_card"]
    assert flags["kokuho"]["members[0].member_name"] == ["from_card"]


def test_the_confirm_screen_lists_a_shared_fact_once_with_what_it_fills(library: Library) -> None:
    s, _ = moving_in(library)
    answer_all(s, FAMILY)
    assert s.screen == Screen.CONFIRM
    summaries = summary(s, "ja")
    labels = [row.label.ja for item in summaries for row in item.rows]
    for once in ("窓口に来た人は", "新しい住所に住み始めた日", "窓口に来た人の氏名"):
        assert labels.count(once) == 1, once
    rows = {row.label.ja: row for row in summaries[0].rows}
    assert [t.ja for t in rows["新しい住所に住み始めた日"].fills] == [
        "転入届", "国民健康保険の加入・脱退", "児童手当の申請"]
    # Who joins 国保 is the procedure's own fact: listed under it.
    kokuho = next(item for item in summaries if item.title.ja == "国民健康保険の加入・脱退")
    assert [row.value for row in kokuho.rows] == ["見本 花子、見本 一郎、見本 次子"]


def test_a_shared_answer_changed_on_the_confirm_screen_changes_every_procedure(
        library: Library) -> None:
    s, submitter = moving_in(library)
    answer_all(s, FAMILY)
    s.edit(0, "move_date")
    s.answer("2026-11-21")
    assert s.screen == Screen.CONFIRM
    s.confirm()
    values = values_of(submitter)
    assert (values["tennyu"]["moved_on"], values["kokuho"]["event_date"],
            values["jidou_teate"]["reason_date"]) == ("2026-11-21",) * 3


def test_a_member_taken_out_of_one_procedure_stays_out_of_it_only(library: Library) -> None:
    s, submitter = moving_in(library)
    answer_all(s, FAMILY)
    kokuho = next(i for i, p in enumerate(s.procedures) if p.form.id == "kokuho")
    s.edit(kokuho, "members")
    s.remove_group_item(0)  # 花子 keeps her employer's insurance after all
    s.finish_group()
    s.edit(0, "applicant_phone")  # any later change re-fills the procedures from the shared
    s.answer("0300000000")
    s.confirm()
    values = values_of(submitter)
    assert [m["member_name"] for m in values["kokuho"]["members"]] == ["見本 一郎", "見本 次子"]
    assert len(values["tennyu"]["members"]) == 4


def test_a_child_added_to_one_procedure_is_kept_beside_the_shared_members(
        library: Library) -> None:
    s, submitter = moving_in(library)
    answer_all(s, FAMILY)
    jidou = next(i for i, p in enumerate(s.procedures) if p.form.id == "jidou_teate")
    s.edit(jidou, "children")
    s.add_group_item()  # a child living with the grandparents, not one who moved
    for value in ("見本 三郎", "ミホン サブロウ", "2012-01-01", "child", False):
        s.answer(value)
    s.finish_group()
    s.edit(0, "applicant_phone")
    s.answer("0300000000")
    s.confirm()
    children = values_of(submitter)["jidou_teate"]["children"]
    assert [c["child_name"] for c in children] == ["見本 一郎", "見本 次子", "見本 三郎"]
    assert children[2]["child_lives_with"] is False


def test_an_agent_is_not_one_of_the_household(library: Library) -> None:
    s, _ = moving_in(library)
    shared = dict(SHARED, applicant="agent")
    for _ in range(200):
        question = s.question() if s.screen == Screen.QUESTION else None
        if question is None or question.state.field.kind.repeats:
            break
        s.answer(shared[question.state.path])
    assert question is not None and question.state.path == "household"
    assert s.group_items(question) == []  # the card holder is not offered as a mover


def test_a_procedure_alone_asks_what_an_event_would_have_shared(library: Library) -> None:
    s = make_session(RecordingCard(), RecordingSubmitter(), Clock(), library)
    s.start()
    s.choose_form("kokuho")
    s.use_card()
    s.enter_pin("1234")
    question = s.question()
    assert question is not None and question.state.path == "applicant"
    assert not any(p.shared for p in s.procedures)


def test_a_head_who_did_not_move_is_asked_for_once_in_the_notification(library: Library) -> None:
    s, submitter = moving_in(library, screening=(False,) * 4)  # 転入届 only
    alone = [dict(HOLDER, relationship="wife")]  # 花子 joins her husband's household here
    asked = answer_all(s, alone)
    assert [path for i, path in asked if path == "head_name"] == ["head_name"]
    assert s.procedures[next(i for i, path in asked if path == "head_name")].form.id == "tennyu"
    s.confirm()
    assert values_of(submitter)["tennyu"]["head_name"] == "見本 太郎"
