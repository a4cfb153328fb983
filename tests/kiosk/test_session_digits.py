"""A digits question at the kiosk: asked on the number pad, its leading zeros kept."""

from __future__ import annotations

from forms.text import Text
from kiosk.session.session import Screen, Session
from tests.forms.helpers import load_inline
from tests.kiosk.session_fixtures import Clock, RecordingCard, RecordingSubmitter, make_session

FORM = """
fields:
  - {id: applicant, type: applicant, label: 窓口に来た人は, required: true}
  - {id: account, type: digits, length: 7, required: true,
     label: {ja: 口座番号, en: Account number}}
"""


def test_a_digits_question_is_typed_on_the_number_pad_and_keeps_its_zeros() -> None:
    lib, _ = load_inline(FORM)
    s = make_session(RecordingCard(), RecordingSubmitter(), Clock(), lib)
    s.start(); s.choose_form("test_form"); s.use_card(); s.enter_pin("1234")  # noqa: E702
    s.answer("self")
    q = s.question()
    assert q is not None and q.state.path == "account"
    assert q.state.field.kind.entry == "keypad"  # the number pad, not the kana keyboard
    s.answer("12345")
    assert isinstance(s.message, Text) and "7けた" in s.message.ja
    assert s.screen == Screen.QUESTION
    s.answer("0012345")
    assert _screen(s) == Screen.CONFIRM
    assert s.procedures[0].answers["account"] == "0012345"


def _screen(s: Session) -> Screen:
    """A call, so mypy does not carry the earlier assert's narrowing over."""
    return s.screen
