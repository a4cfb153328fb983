"""Journeys through the resident session, driven as the screens drive it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from common.flags import FlagCode, card_value_mark, split_marks
from forms.loader import Library, load_library
from forms.text import Text
from kiosk.session.display import offers, paper_destinations, read_answer, summary, total_fee
from kiosk.session.identity import Identity
from kiosk.session.ports import CardUnusable, StaffCheck, WrongPin
from kiosk.session.session import CardProblem, Screen, Session
from printouts.slip import fees_of
from tests.forms.helpers import load_inline
from tests.kiosk.session_fixtures import (
    CLERK,
    HANAKO,
    Clock,
    RecordingCard,
    RecordingSubmitter,
    StaffStore,
    make_session,
    staff_store,
)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture
def accounts(tmp_path: Path) -> Iterator[StaffStore]:
    """The staff's accounts in a real store (tests/kiosk/test_staff_mode.py tries them hard)."""
    made = staff_store(tmp_path, Clock())
    yield made
    made.close()


def journey(card: RecordingCard | None = None, submitter: RecordingSubmitter | None = None,
            library: Library | None = None, *, staff: StaffCheck | None = None
            ) -> tuple[Session, RecordingCard | None, RecordingSubmitter, Clock]:
    clock = Clock()
    sub = submitter or RecordingSubmitter()
    return make_session(card, sub, clock, library, staff=staff), card, sub, clock


def with_card(library: Library, card: RecordingCard | None = None,
              submitter: RecordingSubmitter | None = None) -> tuple[Session, RecordingSubmitter]:
    """A 住民票 request, identified by the card, at its first question."""
    s, _, sub, _ = journey(card or RecordingCard(), submitter, library)
    s.start()
    s.choose_form("juminhyo")
    s.use_card()
    s.enter_pin("1234")
    return s, sub


def screen(s: Session) -> Screen:
    """The screen now; a call, so mypy does not carry an earlier assert's narrowing over."""
    return s.screen


def answer_juminhyo(s: Session) -> None:
    """The questions a card holder is asked for a 住民票: who, whose entries, purpose."""
    asked = []
    replies = {"applicant": "self", "scope": "household", "purpose": "pension"}
    while s.screen == Screen.QUESTION:
        q = s.question()
        assert q is not None
        asked.append(q.state.path)
        s.answer(replies[q.state.path])
    assert asked == ["applicant", "scope", "purpose"]


def test_card_journey_fills_from_card_and_submits(library: Library) -> None:
    s, _, sub, _ = journey(RecordingCard(), library=library)
    s.start()
    s.choose_form("juminhyo")
    s.use_card()
    assert (s.screen, s.tries_left) == (Screen.PIN, 3)
    s.enter_pin("1234")
    answer_juminhyo(s)
    assert s.screen == Screen.CONFIRM
    s.confirm()
    assert (s.screen, s.receipt and s.receipt.ticket) == (Screen.DONE, "A-001")
    assert not s.can_go_back  # sent: only 「おわる」, no way back into the confirm screen
    (proc,) = sub.submissions[0].procedures
    assert proc.values["applicant_name"] == "見本 花子"
    assert proc.values["copies"] == 1
    assert proc.flags["applicant_name"] == ["from_card"]
    s.finish()
    assert (s.screen, s.identity, s.procedures) == (Screen.WELCOME, None, [])


def test_wrong_pin_then_right_pin(library: Library) -> None:
    s, _, _, _ = journey(RecordingCard(), library=library)
    s.start(); s.choose_form("juminhyo"); s.use_card()  # noqa: E702
    s.enter_pin("0000")
    assert (s.screen, s.message, s.tries_left) == (Screen.PIN, "wrong_pin", 2)
    s.enter_pin("1234")
    assert (s.screen, s.identity is not None) == (Screen.QUESTION, True)


def test_one_try_left_is_not_risked(library: Library) -> None:
    card = RecordingCard(tries=1)
    s, _, _, _ = journey(card, library=library)
    s.start(); s.choose_form("juminhyo"); s.use_card()  # noqa: E702
    assert (s.screen, s.card_problem) == (Screen.CARD_PROBLEM, CardProblem.LAST_TRY)
    assert card.calls == ["tries_left"]  # no PIN was ever sent


def test_second_wrong_pin_leaves_last_try_alone(library: Library) -> None:
    card = RecordingCard(tries=2)
    s, _, _, _ = journey(card, library=library)
    s.start(); s.choose_form("juminhyo"); s.use_card(); s.enter_pin("1111")  # noqa: E702
    assert (s.screen, s.card_problem, card.tries) == (Screen.CARD_PROBLEM, CardProblem.LAST_TRY, 1)


def test_blocked_card_offers_paper_form(library: Library) -> None:
    s, _, sub, _ = journey(RecordingCard(tries=0), library=library)
    s.start(); s.choose_form("juminhyo"); s.use_card()  # noqa: E702
    assert s.card_problem == CardProblem.BLOCKED and not s.card_problem.card_may_work
    s.request_paper_form()
    assert (s.screen, sub.paper_forms) == (Screen.PAPER, ["juminhyo"])


def test_manual_entry_with_postal_lookup(library: Library) -> None:
    s, _, sub, _ = journey(None, library=library)
    s.start(); s.choose_form("juminhyo"); s.use_card()  # noqa: E702
    assert s.card_problem == CardProblem.NO_READER and s.card_problem.card_may_work
    s.use_manual_entry()
    s.answer_manual("𠮷田 太郎")
    s.answer_manual("よしだ たろう")
    s.answer_manual("1000001")
    assert s.manual.answers["address"] == "東京都千代田区千代田"
    s.answer_manual("東京都千代田区千代田1-1")
    s.answer_manual("昭和50年1月2日")
    s.answer_manual("male")
    assert s.identity is not None and s.identity.source == "manual"
    answer_juminhyo(s)
    s.confirm()
    (proc,) = sub.submissions[0].procedures
    assert proc.values["applicant_name"] == "𠮷田 太郎"
    assert proc.values["applicant_birth_date"] == "1975-01-02"
    assert proc.flags["applicant_name"] == ["manual"]


def test_a_wrong_manual_answer_says_why_in_every_language(library: Library) -> None:
    s, _, _, _ = journey(None, library=library)
    s.start(); s.choose_form("juminhyo"); s.use_manual_entry()  # noqa: E702
    s.answer_manual("見本 花子")
    s.answer_manual("mihon")
    assert isinstance(s.message, Text) and "カタカナ" in s.message.get("ja")
    assert s.message.get("en") == "Please enter in katakana."


def test_corrected_card_value_is_flagged(library: Library) -> None:
    s, sub = with_card(library)
    answer_juminhyo(s)
    s.edit(0, "applicant_address")
    s.answer("みほん市中央一丁目2番3号 みほんハイツ101")
    assert s.screen == Screen.CONFIRM
    s.confirm()
    assert sub.submissions[0].procedures[0].flags["applicant_address"] == [
        "from_card", "corrected", card_value_mark("みほん市中央一丁目2番3号")]


def test_a_corrected_card_name_carries_the_cards_value_once(library: Library) -> None:
    s, sub = with_card(library)
    answer_juminhyo(s)
    for typed in ("見本 華子", "見本 はな子"):  # corrected twice: still one value, the card's
        s.edit(0, "applicant_name")
        s.answer(typed)
    s.confirm()
    (proc,) = sub.submissions[0].procedures
    assert proc.values["applicant_name"] == "見本 はな子"
    assert proc.flags["applicant_name"] == ["from_card", "corrected", card_value_mark("見本 花子")]
    assert split_marks(proc.flags["applicant_name"]) == (["from_card", "corrected"], ("見本 花子",))


def test_a_card_name_changed_back_loses_the_correction_and_the_cards_value(library: Library) -> None:
    s, sub = with_card(library)
    answer_juminhyo(s)
    s.edit(0, "applicant_name")
    s.answer("見本 華子")
    s.edit(0, "applicant_name")
    s.answer("見本 花子")
    s.confirm()
    assert sub.submissions[0].procedures[0].flags["applicant_name"] == ["from_card"]


def test_idle_timeout_warns_then_wipes(library: Library) -> None:
    s, _, _, clock = journey(RecordingCard(), library=library)
    s.start(); s.choose_form("juminhyo"); s.use_card(); s.enter_pin("1234")  # noqa: E702
    generation = s.generation
    clock.advance(75); s.tick()  # noqa: E702
    assert s.idle_warning and s.identity is not None and s.idle_seconds_left() == 15
    clock.advance(20); s.tick()  # noqa: E702
    assert (screen(s), s.procedures) == (Screen.WELCOME, [])
    assert s.generation == generation + 1 and s.__dict__["identity"] is None
    held = {k: v for k, v in vars(s).items() if k not in ("_card", "_library", "_submitter")}
    assert "見本" not in repr(held) and "1985" not in repr(held)


def test_the_wipe_comes_at_the_idle_timeout_not_a_second_before(library: Library) -> None:
    s, _, _, clock = journey(RecordingCard(), library=library)
    s.start(); s.choose_form("juminhyo"); s.use_card(); s.enter_pin("1234")  # noqa: E702
    clock.advance(69); s.tick()  # noqa: E702
    assert not s.idle_warning  # the warning comes 20 s before the wipe, not earlier
    clock.advance(1); s.tick()  # noqa: E702
    assert s.idle_warning and s.idle_seconds_left() == 20
    clock.advance(19); s.tick()  # noqa: E702  89 s: one second left, nothing forgotten yet
    assert (screen(s), s.identity is not None, s.idle_seconds_left()) == (Screen.QUESTION, True, 1)
    clock.advance(1); s.tick()  # noqa: E702  90 s: idle_timeout_s
    assert (screen(s), s.identity, s.procedures) == (Screen.WELCOME, None, [])


def test_a_touch_puts_the_warning_away(library: Library) -> None:
    s, _, _, clock = journey(RecordingCard(), library=library)
    s.start()
    clock.advance(80); s.tick()  # noqa: E702
    assert s.idle_warning
    s.touch()
    assert not s.idle_warning and s.idle_seconds_left() == 90


def test_printer_failure_keeps_the_application(library: Library) -> None:
    s, sub = with_card(library, submitter=RecordingSubmitter(printer_works=False))
    answer_juminhyo(s)
    s.confirm()
    assert s.screen == Screen.DONE and s.receipt and not s.receipt.printed
    assert len(sub.submissions) == 1


def test_back_from_done_ends_the_session_and_never_submits_twice(library: Library) -> None:
    s, sub = with_card(library)
    answer_juminhyo(s)
    s.confirm()
    s.back()
    assert (s.screen, s.identity, len(sub.submissions)) == (Screen.WELCOME, None, 1)


def test_back_goes_through_the_questions_keeping_the_answers(library: Library) -> None:
    s, _ = with_card(library)
    answer_juminhyo(s)
    s.back()  # from the confirm screen: the last question, answer kept
    q = s.question()
    assert (screen(s), q and q.state.path, q and q.state.value) == (
        Screen.QUESTION, "purpose", "pension")
    s.back()
    q = s.question()
    assert q is not None and q.state.path == "scope"
    s.answer("some")  # forward again from there: the new question it opened comes next
    q = s.question()
    assert q is not None and q.state.path == "members_needed"
    s.answer("2")
    assert screen(s) == Screen.CONFIRM  # purpose was answered already
    s.back()
    q = s.question()
    assert q is not None and q.state.path == "purpose"
    for _ in range(3):
        s.back()
    q = s.question()
    assert q is not None and q.state.path == "applicant"
    s.back()
    assert screen(s) == Screen.CHOOSE  # before the first question: the procedure list


def test_staff_takes_over_with_pin(library: Library, accounts: StaffStore) -> None:
    s, _, _, _ = journey(RecordingCard(), library=library, staff=accounts.check)
    s.start(); s.choose_form("juminhyo")  # noqa: E702
    s.call_staff()
    assert s.screen == Screen.STAFF and s.staff_called
    staff_id, _, pin = CLERK
    assert not s.staff_login(staff_id, "000000") and not s.staff_mode
    assert s.staff_login(staff_id, pin) and s.staff_mode and s.screen == Screen.IDENTIFY


def test_language_switch_keeps_answers(library: Library) -> None:
    s, _ = with_card(library)
    s.answer("self")
    s.set_language("en")
    assert (s.procedures[0].answers["applicant"], s.lang) == ("self", "en")
    s.answer("some")
    q = s.question()
    assert q is not None and q.state.path == "members_needed"


def test_life_event_expands_to_its_procedures(library: Library) -> None:
    s, _, _, _ = journey(RecordingCard(), library=library)
    s.start()
    s.choose_event("moving_in")
    assert s.screen == Screen.SCREENING
    for yes in (True, False, True, False):  # card, employer insurance, children, seal
        s.answer_screening(yes)
    assert screen(s) == Screen.IDENTIFY
    # The event's shared questions come first, asked once for the three procedures.
    assert [(p.form.id, p.shared) for p in s.procedures] == [
        ("moving_in", True), ("tennyu", False), ("mynumber_card_address", False),
        ("jidou_teate", False)]
    guidance = [t.ja for t in s.event_guidance()]
    assert any("児童手当" in g for g in guidance)
    assert not any("国民年金" in g for g in guidance)  # that step is for no_employer_insurance


# -- the card on the reader ------------------------------------------------------------------


def test_card_ready_polls_without_spending_a_try_or_moving(library: Library) -> None:
    card = RecordingCard(present=False)
    s, _, _, _ = journey(card, library=library)
    s.start(); s.choose_form("juminhyo")  # noqa: E702
    assert not s.card_ready() and s.screen == Screen.IDENTIFY
    card.present = True
    assert s.card_ready() and s.screen == Screen.IDENTIFY
    assert (card.tries, "read_identity" in card.calls) == (3, False)


def test_card_ready_is_false_without_a_reader(library: Library) -> None:
    s, _, _, _ = journey(None, library=library)
    assert not s.card_ready() and not s.has_card_reader


@pytest.mark.parametrize("problem", [CardProblem.NO_CARD, CardProblem.NO_READER])
def test_card_ready_keeps_waiting_while_no_card_is_there(library: Library, problem: CardProblem) -> None:
    s, _, _, _ = journey(RecordingCard(fail_with=CardUnusable(problem)), library=library)
    s.start(); s.choose_form("juminhyo")  # noqa: E702
    assert not s.card_ready() and s.screen == Screen.IDENTIFY


@pytest.mark.parametrize("card", [
    RecordingCard(tries=0),  # blocked: the card itself answers 0 tries left
    RecordingCard(fail_with=CardUnusable(CardProblem.BLOCKED)),
    RecordingCard(fail_with=CardUnusable(CardProblem.NOT_MY_NUMBER_CARD)),
    RecordingCard(fail_with=CardUnusable(CardProblem.UNREADABLE)),
], ids=["zero_tries", "blocked", "not_my_number_card", "unreadable"])
def test_a_card_that_cannot_be_used_is_still_noticed_so_the_resident_is_told(
        library: Library, card: RecordingCard) -> None:
    s, _, _, _ = journey(card, library=library)
    s.start(); s.choose_form("juminhyo")  # noqa: E702
    assert s.card_ready() and screen(s) == Screen.IDENTIFY  # placing it is enough ...
    s.use_card()  # ... and the screen says what is wrong, instead of waiting for ever
    assert screen(s) == Screen.CARD_PROBLEM and s.card_problem != CardProblem.NO_CARD
    assert "read_identity" not in card.calls


# -- the PIN -----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["１２３４", " 1234 ", "１２３４\u3000", "12３4"])
def test_a_full_width_or_pasted_pin_is_the_pin_the_resident_means(library: Library, typed: str) -> None:
    card = RecordingCard()
    s, _, _, _ = journey(card, library=library)
    s.start(); s.choose_form("juminhyo"); s.use_card()  # noqa: E702
    s.enter_pin(typed)
    assert (screen(s), s.message, s.identity is not None) == (Screen.QUESTION, None, True)
    assert card.tries == 3


@pytest.mark.parametrize("typed", ["١٢٣٤", "123", "12345", "12a4", "１２３", ""])
def test_what_is_not_four_digits_never_reaches_the_card(library: Library, typed: str) -> None:
    card = RecordingCard()
    s, _, _, _ = journey(card, library=library)
    s.start(); s.choose_form("juminhyo"); s.use_card()  # noqa: E702
    s.enter_pin(typed)
    assert (s.screen, s.message, card.tries) == (Screen.PIN, "pin_format", 3)
    assert "read_identity" not in card.calls


def test_no_tries_left_is_blocked_never_the_last_try(library: Library) -> None:
    card = RecordingCard(tries=0)
    s, _, _, _ = journey(card, library=library)
    s.start(); s.choose_form("juminhyo"); s.use_card()  # noqa: E702
    assert (s.screen, s.card_problem, s.tries_left) == (Screen.CARD_PROBLEM, CardProblem.BLOCKED, 0)
    assert s.card_problem is not None and not s.card_problem.card_may_work
    assert card.calls == ["tries_left"]


class CountsToZero:
    """A card port that reports the try that blocked the card as a wrong PIN with 0 left."""

    def tries_left(self) -> int:
        return 3

    def read_identity(self, pin: str) -> Identity:
        raise WrongPin(0)


def test_a_wrong_pin_that_leaves_no_try_is_blocked_never_the_last_try(library: Library) -> None:
    s = make_session(CountsToZero(), RecordingSubmitter(), Clock(), library)
    s.start(); s.choose_form("juminhyo"); s.use_card(); s.enter_pin("1111")  # noqa: E702
    assert (s.screen, s.card_problem, s.tries_left) == (Screen.CARD_PROBLEM, CardProblem.BLOCKED, 0)


# -- the confirm screen ----------------------------------------------------------------------


def test_optional_questions_are_offered_on_the_confirm_screen(library: Library) -> None:
    s, _ = with_card(library)
    answer_juminhyo(s)
    offered = [q.state.path for q in s.optional_questions()]
    assert offered == ["applicant_phone", "items", "submit_to"]
    s.edit(0, "applicant_phone")
    assert s.can_go_back
    s.answer("03-1234-5678")
    assert s.screen == Screen.CONFIRM
    assert [q.state.path for q in s.optional_questions()] == ["items", "submit_to"]


def test_summary_marks_what_came_from_the_card_and_what_changed(library: Library) -> None:
    s, _ = with_card(library)
    answer_juminhyo(s)
    s.edit(0, "applicant_address")
    s.answer("みほん市中央一丁目2番3号 みほんハイツ101")
    (proc,) = summary(s, "ja")
    rows = {row.path: row for row in proc.rows}
    assert proc.title.ja == "住民票の写し"
    assert rows["applicant_name"].from_card and not rows["applicant_name"].changed
    assert rows["applicant_address"].from_card and rows["applicant_address"].changed
    assert rows["applicant_birth_date"].value == "昭和60年4月1日"
    assert (rows["scope"].value, rows["applicant"].value) == ("世帯全員", "本人")
    assert not rows["purpose"].from_card
    (english,) = summary(s, "en")
    values = {row.path: row.value for row in english.rows}
    assert values["scope"] == "Everyone in the household"
    assert values["applicant_birth_date"] == "April 1, 1985"


def test_values_are_worded_per_field_type(library: Library) -> None:
    form = library.get("juminhyo")
    items = form.field("items")
    both = read_answer(form, items, ["honseki", "head_and_relationship"], "ja")
    assert both == "本籍と筆頭者、世帯主と続柄"
    # As the desk and the paper form read it: 通 after a number of copies, in Japanese.
    assert read_answer(form, form.field("copies"), 2, "ja") == "2通"
    assert read_answer(form, form.field("copies"), 2, "en") == "2"
    assert read_answer(form, form.field("purpose"), None, "ja") == ""
    # A value its field cannot hold is not hidden from the resident: shown as typed, beside
    # the question's own error.
    assert read_answer(form, form.field("applicant_birth_date"), "1985-02-30", "ja") == "1985-02-30"


# -- groups: everyone who moved, one person at a time -----------------------------------------

GROUP_FORM = """
fields:
  - {id: applicant, type: applicant, label: 窓口に来た人は, required: true}
  - {id: applicant_name, type: text, label: 氏名, bind: card.name, required: true}
  - id: members
    type: group
    label: {ja: 引っ越した人, en: Everyone who moved}
    item_label: {ja: 引っ越した人, en: Person}
    min: 1
    max: 2
    fields:
      - {id: name, type: text, label: {ja: 氏名, en: Name}, required: true}
      - {id: name_kana, type: katakana, label: {ja: フリガナ, en: Katakana}}
"""


def group_journey() -> tuple[Session, RecordingSubmitter]:
    lib, _ = load_inline(GROUP_FORM)
    s, _, sub, _ = journey(RecordingCard(), library=lib)
    s.start(); s.choose_form("test_form"); s.use_card(); s.enter_pin("1234")  # noqa: E702
    s.answer("self")
    return s, sub


def test_a_group_is_entered_item_by_item() -> None:
    s, sub = group_journey()
    q = s.question()
    assert q is not None and q.state.path == "members"
    s.finish_group()  # none yet: the group says why
    assert isinstance(s.message, Text) and s.screen == Screen.QUESTION
    s.add_group_item()
    q = s.question()
    assert q is not None and q.state.path == "members[0].name"
    s.answer("見本 花子")
    q = s.question()
    assert q is not None and q.state.path == "members[0].name_kana"  # optional: asked once
    s.answer("")
    q = s.question()
    assert q is not None and q.state.path == "members"
    assert s.group_items(q) == [{"name": "見本 花子"}]
    s.add_group_item()
    s.back()  # changed their mind: the empty item goes
    q = s.question()
    assert q is not None and q.state.path == "members" and len(s.group_items(q)) == 1
    s.finish_group()
    assert screen(s) == Screen.CONFIRM
    rows = {row.path: row.value for row in summary(s, "ja")[0].rows}
    assert rows["members"] == "見本 花子"
    s.confirm()
    assert sub.submissions[0].procedures[0].values["members"] == [{"name": "見本 花子"}]


def test_a_group_item_can_be_corrected_and_removed() -> None:
    s, _ = group_journey()
    s.add_group_item()
    s.answer("見本 花子")
    s.answer("")
    s.edit_group_item(0)
    q = s.question()
    assert q is not None and q.state.path == "members[0].name"
    s.answer("見本 太郎")
    s.answer("ミホン タロウ")
    q = s.question()
    assert q is not None
    assert s.group_items(q) == [{"name": "見本 太郎", "name_kana": "ミホン タロウ"}]
    s.add_group_item(); s.answer("見本 一郎"); s.answer("")  # noqa: E702
    s.add_group_item()  # max 2
    assert s.message == "group_full"
    s.remove_group_item(0)
    q = s.question()
    assert q is not None and [i["name"] for i in s.group_items(q)] == ["見本 一郎"]


BOUND_GROUP_FORM = GROUP_FORM.replace(
    "{id: name, type: text, label: {ja: 氏名, en: Name}, required: true}",
    "{id: name, type: text, label: {ja: 氏名, en: Name}, bind: card.name, required: true}")


def bound_group_journey(came: str) -> tuple[Session, RecordingSubmitter]:
    lib, _ = load_inline(BOUND_GROUP_FORM)
    s, _, sub, _ = journey(RecordingCard(), library=lib)
    s.start(); s.choose_form("test_form"); s.use_card(); s.enter_pin("1234")  # noqa: E702
    s.answer(came)
    return s, sub


def test_the_card_holder_is_the_first_item_of_a_bound_group() -> None:
    s, sub = bound_group_journey("self")
    q = s.question()  # straight into person 1, past the name the card gave
    assert q is not None and q.state.path == "members[0].name_kana"
    s.answer("ミホン ハナコ")
    q = s.question()
    assert q is not None and q.state.path == "members"
    assert s.group_items(q) == [{"name": "見本 花子", "name_kana": "ミホン ハナコ"}]
    s.add_group_item()  # the second person is typed, not filled
    q = s.question()
    assert q is not None and q.state.path == "members[1].name"
    s.answer("見本 一郎"); s.answer("")  # noqa: E702
    s.finish_group()
    s.confirm()
    (proc,) = sub.submissions[0].procedures
    assert [m["name"] for m in proc.values["members"]] == ["見本 花子", "見本 一郎"]
    assert proc.flags["members[0].name"] == ["from_card"]
    assert "members[1].name" not in proc.flags


def test_a_corrected_first_item_is_flagged_and_a_removed_one_stays_removed() -> None:
    s, sub = bound_group_journey("self")
    s.answer("")  # the kana
    s.edit_group_item(0)
    s.answer("見本 華子")  # the card's name, corrected
    s.answer("")
    s.add_group_item(); s.answer("見本 一郎"); s.answer("")  # noqa: E702
    q = s.question()
    assert q is not None and q.state.path == "members"
    s.remove_group_item(0)  # the card holder did not move after all
    q = s.question()
    assert q is not None and [i["name"] for i in s.group_items(q)] == ["見本 一郎"]
    s.finish_group()
    assert (screen(s), summary(s, "ja")[0].rows[-1].changed) == (Screen.CONFIRM, False)
    s.confirm()
    (proc,) = sub.submissions[0].procedures
    assert proc.values["members"] == [{"name": "見本 一郎"}]
    assert not any(path.startswith("members[") for path in proc.flags)  # the marks went with her


def test_a_corrected_card_value_in_a_group_shows_on_the_confirm_screen() -> None:
    s, sub = bound_group_journey("self")
    s.answer("")
    s.edit_group_item(0)
    s.answer("見本 華子")
    s.answer("")
    s.finish_group()
    (row,) = [r for r in summary(s, "ja")[0].rows if r.path == "members"]
    assert row.changed and row.value == "見本 華子"
    s.confirm()
    assert sub.submissions[0].procedures[0].flags["members[0].name"] == [
        "from_card", "corrected", card_value_mark("見本 花子")]


def test_a_group_item_changed_back_to_the_cards_value_is_no_correction() -> None:
    s, sub = bound_group_journey("self")
    s.answer("")
    s.edit_group_item(0)
    s.answer("見本 華子")
    s.answer("")
    s.edit_group_item(0)
    s.answer("見本 花子")
    s.answer("")
    s.finish_group()
    s.confirm()
    assert sub.submissions[0].procedures[0].flags["members[0].name"] == ["from_card"]


def test_an_agent_is_not_made_one_of_the_items() -> None:
    s, _ = bound_group_journey("agent")
    q = s.question()
    assert q is not None and q.state.path == "members"
    assert s.group_items(q) == []


LATE_FORM = """
fields:
  - id: moved_on
    type: date
    label: {ja: 住み始めた日, en: Moving-in day}
    required: true
    rules:
      - check: days_since(value) <= 14
        level: warning
        message: {ja: 14日を過ぎています。このまま届け出できます。, en: More than 14 days ago; you can still notify.}
"""


SEX_FORM = """
fields:
  - {id: applicant_name, type: text, label: 氏名, bind: card.name, required: true}
  - id: sex
    type: choice
    label: {ja: 性別, en: Sex}
    bind: card.sex
    required: true
    choices:
      - {value: male, label: {ja: 男, en: Male}}
      - {value: female, label: {ja: 女, en: Female}}
      - {value: not_applicable, label: {ja: 該当なし, en: Not applicable}}
"""


def test_a_sex_the_card_records_as_not_known_is_asked() -> None:
    lib, _ = load_inline(SEX_FORM)
    unknown = dataclasses.replace(HANAKO, sex=None, undecodable=("sex",))
    s, _, sub, _ = journey(RecordingCard(identity=unknown), library=lib)
    s.start(); s.choose_form("test_form"); s.use_card(); s.enter_pin("1234")  # noqa: E702
    q = s.question()
    assert q is not None and q.state.path == "sex"  # the name came from the card; this did not
    s.answer("female")
    s.confirm()
    (proc,) = sub.submissions[0].procedures
    assert proc.values["sex"] == "female"
    # The clerk sees that the resident, not the card, gave it; no character was undecodable.
    assert proc.flags == {"applicant_name": ["from_card"], "sex": [FlagCode.SEX_NOT_KNOWN]}


def test_a_sex_the_card_records_is_filled_and_marked_from_the_card() -> None:
    lib, _ = load_inline(SEX_FORM)
    s, _, sub, _ = journey(RecordingCard(), library=lib)
    s.start(); s.choose_form("test_form"); s.use_card(); s.enter_pin("1234")  # noqa: E702
    assert s.screen == Screen.CONFIRM  # nothing left to ask
    s.confirm()
    (proc,) = sub.submissions[0].procedures
    assert proc.values["sex"] == "female" and proc.flags["sex"] == ["from_card"]


SEX_GROUP_FORM = BOUND_GROUP_FORM.replace(
    "      - {id: name_kana,",
    """      - id: sex
        type: choice
        label: {ja: 性別, en: Sex}
        bind: card.sex
        required: true
        choices:
          - {value: male, label: {ja: 男, en: Male}}
          - {value: female, label: {ja: 女, en: Female}}
          - {value: not_applicable, label: {ja: 該当なし, en: Not applicable}}
      - {id: name_kana,""")


def test_a_sex_the_card_does_not_record_is_asked_and_marked_on_the_card_holders_item() -> None:
    lib, _ = load_inline(SEX_GROUP_FORM)
    unknown = dataclasses.replace(HANAKO, sex=None, undecodable=("sex",))
    s, _, sub, _ = journey(RecordingCard(identity=unknown), library=lib)
    s.start(); s.choose_form("test_form"); s.use_card(); s.enter_pin("1234")  # noqa: E702
    s.answer("self")
    q = s.question()
    assert q is not None and q.state.path == "members[0].sex"  # the name came from the card
    s.answer("female")
    s.answer("")  # the kana
    s.add_group_item(); s.answer("見本 一郎"); s.answer("male"); s.answer("")  # noqa: E702
    s.finish_group()
    s.confirm()
    (proc,) = sub.submissions[0].procedures
    assert [m["sex"] for m in proc.values["members"]] == ["female", "male"]
    assert proc.flags["members[0].sex"] == [FlagCode.SEX_NOT_KNOWN]
    assert proc.flags["members[0].name"] == ["from_card"]
    assert "members[1].sex" not in proc.flags  # another person, typed: nothing from the card


def test_a_late_notification_is_told_on_the_confirm_screen_and_still_goes_in() -> None:
    lib, _ = load_inline(LATE_FORM)
    s, _, sub, _ = journey(RecordingCard(), library=lib)
    s.start(); s.choose_form("test_form"); s.use_card(); s.enter_pin("1234")  # noqa: E702
    s.answer("2026-10-01")  # the clock says 2026-11-23
    assert screen(s) == Screen.CONFIRM and s.message is None
    (proc,) = summary(s, "ja")
    assert [n.ja for n in proc.notes] == ["14日を過ぎています。このまま届け出できます。"]
    s.confirm()
    assert sub.submissions[0].procedures[0].values == {"moved_on": "2026-10-01"}


ITEM_INFO_FORM = """
fields:
  - id: children
    type: group
    label: お子さん
    min: 1
    fields:
      - {id: name, type: text, label: 氏名, required: true}
      - {id: lives_with, type: yes_no, label: 一緒に住んでいますか, required: true}
      - {id: apart_info, type: info, label: 別居監護申立書が必要です。, show_if: lives_with == false}
"""


def test_an_items_note_is_on_the_confirm_screen_once() -> None:
    lib, _ = load_inline(ITEM_INFO_FORM)
    s, _, _, _ = journey(RecordingCard(), library=lib)
    s.start(); s.choose_form("test_form"); s.use_card(); s.enter_pin("1234")  # noqa: E702
    for name, lives_with in (("見本 一郎", False), ("見本 二郎", False), ("見本 三郎", True)):
        s.add_group_item(); s.answer(name); s.answer(lives_with)  # noqa: E702
    s.finish_group()
    assert screen(s) == Screen.CONFIRM
    assert [n.ja for n in summary(s, "ja")[0].notes] == ["別居監護申立書が必要です。"]


def test_summary_carries_the_visible_notes_of_the_form(library: Library) -> None:
    s, _, _, _ = journey(RecordingCard(), library=library)
    s.start()
    s.choose_form("mynumber_card_address")
    s.use_card()
    s.enter_pin("1234")
    (proc,) = summary(s, "ja")
    notes = [n.ja for n in proc.notes]
    assert any("この機械では暗証番号をお聞きしません" in n for n in notes)
    assert not any("90日以内" in n for n in notes)  # shown only once "moved in" is answered


def test_staff_mode_waits_longer_but_still_wipes(library: Library, accounts: StaffStore) -> None:
    s, _, _, clock = journey(RecordingCard(), library=library, staff=accounts.check)
    s.start()
    s.choose_form("juminhyo")
    s.call_staff()
    assert s.staff_login(CLERK[0], CLERK[2])
    clock.advance(100)
    s.tick()
    assert screen(s) == Screen.IDENTIFY and s.staff_mode  # past the resident's 90 s
    clock.advance(400)
    s.tick()
    assert screen(s) == Screen.WELCOME and not s.staff_mode and s.procedures == []


# -- no dead end, no loop ----------------------------------------------------------------------


class Bell:
    def __init__(self) -> None:
        self.rung: list[str] = []

    def ring(self, *, screen: str) -> None:
        self.rung.append(screen)


def test_back_from_the_last_try_leads_to_the_ways_on_never_to_the_pin_pad(library: Library) -> None:
    card = RecordingCard(tries=2)
    s, _, _, _ = journey(card, library=library)
    s.start(); s.choose_form("juminhyo"); s.use_card(); s.enter_pin("1111")  # noqa: E702
    assert (screen(s), s.card_problem) == (Screen.CARD_PROBLEM, CardProblem.LAST_TRY)
    s.back()
    assert screen(s) == Screen.IDENTIFY  # card, by touch, paper: never the pad at 残り1回
    s.back()
    assert screen(s) == Screen.CHOOSE
    assert card.calls.count("read_identity") == 1


def test_back_in_manual_entry_goes_to_the_previous_question_with_the_answers_kept(
        library: Library) -> None:
    s, _, _, _ = journey(None, library=library)
    s.start(); s.choose_form("juminhyo"); s.use_manual_entry()  # noqa: E702
    s.answer_manual("𠮷田 太郎")
    s.answer_manual("よしだ たろう")
    s.answer_manual("1000001")
    assert s.manual_question() and s.manual_question().state.path == "address"  # type: ignore[union-attr]
    s.back()
    q = s.manual_question()
    assert (screen(s), q and q.state.path, q and q.state.value) == (
        Screen.MANUAL, "postal_code", "100-0001")
    s.back()
    s.back()
    q = s.manual_question()
    assert (q and q.state.path, q and q.state.value) == ("name", "𠮷田 太郎")
    s.back()  # before the first question: the ways on, and the answers wait
    assert screen(s) == Screen.IDENTIFY
    s.use_manual_entry()
    q = s.manual_question()
    assert (q and q.state.path, q and q.state.value) == ("name", "𠮷田 太郎")
    s.answer_manual("𠮷田 太郎")  # forward again: the next question not yet answered
    q = s.manual_question()
    assert q is not None and q.state.path == "address"
    assert s.manual.answers["name_kana"] == "よしだ たろう"  # kept as typed


def test_dont_know_calls_the_staff_and_keeps_the_answers(library: Library,
                                                        accounts: StaffStore) -> None:
    bell = Bell()
    s = make_session(RecordingCard(), RecordingSubmitter(), Clock(), library, staff_bell=bell,
                     staff=accounts.check)
    s.start(); s.choose_form("juminhyo"); s.use_card(); s.enter_pin("1234")  # noqa: E702
    s.answer("self")
    q = s.question()
    assert q is not None and q.state.required and q.state.path == "scope"
    s.dont_know()
    assert (screen(s), bell.rung) == (Screen.STAFF, ["question"])
    assert s.procedures[0].answers["applicant"] == "self"
    s.open_staff_login()
    assert screen(s) == Screen.STAFF_LOGIN
    assert s.staff_login(CLERK[0], CLERK[2])
    q = s.question()
    assert (screen(s), q and q.state.path) == (Screen.QUESTION, "scope")  # where it was left


def test_a_refused_answer_offers_the_paper_form_and_back_keeps_the_answers(
        library: Library) -> None:
    s, sub = with_card(library)
    s.answer("self")
    assert not s.paper_offered
    s.answer("no_such_scope")
    assert s.message is not None and s.paper_offered
    s.request_paper_form()
    assert (screen(s), sub.paper_forms) == (Screen.PAPER, ["juminhyo"])
    s.back()
    assert screen(s) == Screen.QUESTION and s.procedures[0].answers["applicant"] == "self"


def test_the_paper_path_gives_a_ticket_even_when_printing_fails(library: Library) -> None:
    s, sub = with_card(library, submitter=RecordingSubmitter(printer_works=False))
    s.answer("self")
    s.answer("no_such_scope")
    s.request_paper_form()
    assert paper_shows(s) == (Screen.PAPER, "print_failed", "A-001", "resident", False)
    s.back()  # and paper once more: the same number, printed again, never a second one
    sub.printer_works = True
    s.request_paper_form()
    assert paper_shows(s) == (Screen.PAPER, None, "A-001", "resident", True)
    assert (sub.paper_tickets, sub.paper_forms) == (["A-001"], ["juminhyo", "juminhyo"])
    s.finish()
    assert paper_shows(s)[2:] == (None, None, None)  # the next resident draws their own
    s.start(); s.choose_form("juminhyo"); s.use_card(); s.enter_pin("1234")  # noqa: E702
    answer_juminhyo(s)
    s.confirm()
    assert paper_shows(s)[:3] == (Screen.DONE, None, "A-002")


def paper_shows(s: Session) -> tuple[Screen, object, str | None, str | None, bool | None]:
    """Screen, message, and the receipt's ticket, counter and printed, as the screen reads them."""
    receipt = s.receipt
    if receipt is None:
        return s.screen, s.message, None, None, None
    return s.screen, s.message, receipt.ticket, receipt.counter, receipt.printed


def test_a_refused_manual_answer_offers_the_paper_form(library: Library) -> None:
    s, _, _, _ = journey(None, library=library)
    s.start(); s.choose_form("juminhyo"); s.use_manual_entry()  # noqa: E702
    s.answer_manual("見本 花子")
    s.answer_manual("mihon")
    assert s.paper_offered


def test_the_paper_form_names_its_counter_and_form(library: Library) -> None:
    s, _, _, _ = journey(RecordingCard(), library=library)
    s.start()
    s.choose_event("moving_in")
    for yes in (True, True, True, False):
        s.answer_screening(yes)
    places = paper_destinations(s)
    assert [counter for counter, _ in places] == ["resident", "mynumber", "insurance", "child"]
    assert [n.ja for n in places[2][1]] == ["国民健康保険の加入・脱退"]


def test_a_required_error_goes_as_soon_as_a_valid_answer_is_typed(library: Library) -> None:
    s, _, _, _ = journey(None, library=library)
    s.start(); s.choose_form("juminhyo"); s.use_manual_entry()  # noqa: E702
    s.answer_manual(None)
    assert isinstance(s.message, Text) and "必ず" in s.message.get("ja")
    s.draft("")
    assert s.message is not None  # still nothing there
    s.draft("𠮷")
    assert s.message is None and "name" not in s.manual.answers  # nothing stored yet
    s.answer_manual("見本 花子")
    s.draft("mihon")  # typing is never told off before 「次へ」
    assert s.message is None


def test_a_required_error_on_a_procedure_question_goes_too(library: Library) -> None:
    s, _ = with_card(library)
    s.answer(None)
    assert s.message is not None
    s.draft("self")
    assert s.message is None and "applicant" not in s.procedures[0].answers


# -- what the resident is told at the kiosk ------------------------------------------------------


def test_the_confirm_screen_has_the_slips_fee(library: Library) -> None:
    s, _ = with_card(library)
    answer_juminhyo(s)
    s.edit(0, "copies")
    s.answer("2")
    (proc,) = summary(s, "ja")
    ev = s.evaluations()[0]
    expected = [(f.unit, f.copies, f.total) for f in fees_of(s.procedures[0].form, ev)]
    assert [(c.unit, c.copies, c.total) for c in proc.charges] == expected == [(300, 2, 600)]
    assert total_fee([proc]) == 600


def test_fee_lines_of_kinds_are_named_in_the_residents_language(library: Library) -> None:
    s, _, _, _ = journey(RecordingCard(), library=library)
    s.start(); s.choose_form("koseki_shomei"); s.use_card(); s.enter_pin("1234")  # noqa: E702
    s.procedures[0].answers.update({"kinds": ["zenbu", "joseki"], "copies_zenbu": 1,
                                    "copies_joseki": 2})
    charges = summary(s, "en")[0].charges
    expected = [f.total for f in fees_of(s.procedures[0].form, s.evaluations()[0])]
    assert [c.total for c in charges] == expected == [450, 1500]
    assert [c.kind.get("en") for c in charges if c.kind] == ["Full certificate", "Closed register"]


def test_a_card_on_the_reader_is_remembered_for_take_your_card(library: Library) -> None:
    s, _ = with_card(library)
    assert s.card_seen
    s.finish()
    assert not s.card_seen
    blocked, _, _, _ = journey(RecordingCard(tries=0), library=library)
    blocked.start(); blocked.choose_form("juminhyo"); blocked.use_card()  # noqa: E702
    assert blocked.card_seen  # a blocked card still lies there
    none, _, _, _ = journey(RecordingCard(present=False), library=library)
    none.start(); none.choose_form("juminhyo"); none.use_card()  # noqa: E702
    assert not none.card_seen


def test_a_question_several_procedures_ask_is_offered_once_and_answered_once(
        library: Library) -> None:
    s, _, _, _ = journey(RecordingCard(), library=library)
    s.start()
    s.choose_event("moving_in")
    for yes in (True, True, False, False):  # no children: every procedure's phone optional
        s.answer_screening(yes)
    s.use_card(); s.enter_pin("1234")  # noqa: E702
    phone = [o for o in offers(s) if o.path == "applicant_phone"]
    assert len(phone) == 1
    (offer,) = phone
    assert offer.procedures == (0,) and s.procedures[0].shared  # the shared question
    s.edit(offer.procedures[0], offer.path, offer.procedures)
    s.answer("0312345678")
    assert [p.answers.get("applicant_phone") for p in s.procedures] == ["0312345678"] * 4
    assert not [o for o in offers(s) if o.path == "applicant_phone"]


def test_the_staff_sign_in_is_a_screen_of_its_own_and_times_out(library: Library,
                                                                accounts: StaffStore) -> None:
    s, _, _, clock = journey(RecordingCard(), library=library, staff=accounts.check)
    s.start(); s.choose_form("juminhyo")  # noqa: E702
    s.call_staff()
    s.open_staff_login()
    assert screen(s) == Screen.STAFF_LOGIN
    assert not s.staff_login(CLERK[0], "000000") and s.message == "wrong_staff_pin"
    s.back()
    assert screen(s) == Screen.STAFF  # the resident's waiting screen, without a pad
    s.open_staff_login()
    clock.advance(25); s.tick()  # noqa: E702
    assert screen(s) == Screen.STAFF_LOGIN and not s.idle_warning
    clock.advance(5); s.tick()  # noqa: E702
    assert (screen(s), s.procedures) == (Screen.WELCOME, [])
