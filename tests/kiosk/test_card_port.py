"""The resident session on the real card stack: Session -> PcscCardPort -> pyscard -> pcscd ->
vpcd -> our emulator. The screen tests drive the same session with a recording card; these
show that what they assume is what the real reader does, one card state at a time."""

from __future__ import annotations

import pytest

from drivers.card.emulator import SAMPLE_IDENTITY, VirtualCard, load_identity
from drivers.card.reader import open_readers
from kiosk.card_port import PcscCardPort
from kiosk.session.session import CardProblem, Screen, Session
from tests.drivers.card.conftest import PlaceCard, pcscd, place_card, sample
from tests.kiosk.session_fixtures import Clock, RecordingSubmitter, make_session

__all__ = ["pcscd", "place_card", "sample"]

pytestmark = [pytest.mark.integration, pytest.mark.vpcd, pytest.mark.timeout(60)]

SAMPLE = load_identity(SAMPLE_IDENTITY)


def at_pin_pad(place_card: PlaceCard, **card: object) -> tuple[Session, VirtualCard, RecordingSubmitter]:
    """A 住民票 request with the card laid on the reader, after 「カードで」."""
    virtual = place_card(**card)
    submitter = RecordingSubmitter()
    session = make_session(PcscCardPort(open_readers("pcsc")), submitter, Clock())
    session.start()
    session.choose_form("juminhyo")
    session.use_card()
    return session, virtual, submitter


def test_the_card_fills_the_form_and_the_application_goes_in(place_card: PlaceCard) -> None:
    session, _, submitter = at_pin_pad(place_card)
    assert (session.screen, session.tries_left) == (Screen.PIN, 3)
    session.enter_pin(SAMPLE.pin)
    for reply in ("self", "household", "pension"):
        session.answer(reply)
    assert session.screen == Screen.CONFIRM
    session.confirm()
    (proc,) = submitter.submissions[0].procedures
    assert proc.values["applicant_name"] == SAMPLE.name
    assert proc.values["applicant_birth_date"] == SAMPLE.birth_date.isoformat()
    assert proc.flags["applicant_name"] == ["from_card"]


def test_a_wrong_pin_then_the_right_one(place_card: PlaceCard) -> None:
    session, virtual, _ = at_pin_pad(place_card)
    wrong = "0000" if SAMPLE.pin != "0000" else "1111"
    session.enter_pin(wrong)
    assert (session.screen, session.message, session.tries_left) == (Screen.PIN, "wrong_pin", 2)
    assert virtual.tries_left == 2  # the card itself counted it
    session.enter_pin(SAMPLE.pin)
    assert session.screen == Screen.QUESTION and session.identity is not None
    assert virtual.tries_left == 3  # a right PIN resets the counter


def test_a_second_wrong_pin_stops_before_the_last_try(place_card: PlaceCard) -> None:
    session, virtual, _ = at_pin_pad(place_card, tries_left=2)
    session.enter_pin("0000" if SAMPLE.pin != "0000" else "1111")
    assert (session.screen, session.card_problem) == (Screen.CARD_PROBLEM, CardProblem.LAST_TRY)
    assert virtual.tries_left == 1  # and the kiosk never spends it


@pytest.mark.parametrize(("card", "problem"), [
    ({"tries_left": 1}, CardProblem.LAST_TRY),
    ({"tries_left": 0}, CardProblem.BLOCKED),
    ({"applications": ()}, CardProblem.NOT_MY_NUMBER_CARD),
])
def test_a_card_that_cannot_be_used_is_not_asked_for_its_pin(
        place_card: PlaceCard, card: dict[str, object], problem: CardProblem) -> None:
    session, virtual, _ = at_pin_pad(place_card, **card)
    assert (session.screen, session.card_problem) == (Screen.CARD_PROBLEM, problem)
    assert virtual.tries_left == card.get("tries_left", 3)


def test_a_card_lifted_during_the_read_leaves_nothing_behind(place_card: PlaceCard) -> None:
    session, probe, _ = at_pin_pad(place_card)
    session.enter_pin(SAMPLE.pin)
    last_read = len(probe.commands)  # the APDUs of the whole journey, the last one a READ BINARY
    probe.stop()
    session, _, _ = at_pin_pad(place_card, remove_at_apdu=last_read)
    session.enter_pin(SAMPLE.pin)
    assert (session.screen, session.card_problem) == (Screen.CARD_PROBLEM, CardProblem.REMOVED)
    assert session.identity is None and session.procedures[0].answers == {}


def test_no_card_on_the_reader(pcscd: object) -> None:
    session = make_session(PcscCardPort(open_readers("pcsc")), RecordingSubmitter(), Clock())
    session.start()
    session.choose_form("juminhyo")
    session.use_card()
    assert (session.screen, session.card_problem) == (Screen.CARD_PROBLEM, CardProblem.NO_CARD)

