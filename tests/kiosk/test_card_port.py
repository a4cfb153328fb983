"""The resident session on the real card stack: Session -> PcscCardPort -> pyscard -> pcscd ->
vpcd -> our emulator. The screen tests drive the same session with a recording card; these
show that what they assume is what the real reader does, one card state at a time.

The first tests need no daemon: they check that the port turns each driver error into the
session's own words, which the session tests take as given."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest

from drivers.card import errors as card_errors
from drivers.card.emulator import SAMPLE_IDENTITY, VirtualCard, load_identity
from drivers.card.reader import CardChannel, open_readers
from kiosk.card_port import PcscCardPort, problem_of
from kiosk.session.ports import CardUnusable, WrongPin
from kiosk.session.session import CardProblem, Screen, Session
from tests.conftest import PlaceCard
from tests.kiosk.session_fixtures import Clock, RecordingSubmitter, make_session

SAMPLE = load_identity(SAMPLE_IDENTITY)
F = TypeVar("F", bound=Callable[..., object])


def on_vpcd(test: F) -> F:
    """pcscd with the vpcd reader and the emulator: an integration test, run alone."""
    for mark in (pytest.mark.integration, pytest.mark.vpcd, pytest.mark.timeout(60)):
        test = mark(test)
    return test


# -- the driver's errors in the session's words (no daemon) -----------------------------------


@pytest.mark.parametrize(("error", "problem"), [
    (card_errors.NoReaderError(), CardProblem.NO_READER),
    (card_errors.NoCardError(), CardProblem.NO_CARD),
    (card_errors.ReaderTimeoutError(), CardProblem.NO_CARD),
    (card_errors.NotMyNumberCardError(), CardProblem.NOT_MY_NUMBER_CARD),
    (card_errors.CardRemovedError(), CardProblem.REMOVED),
    (card_errors.LastPinTryError(), CardProblem.LAST_TRY),
    (card_errors.PinBlockedError(), CardProblem.BLOCKED),
    (card_errors.UnreadableDataError(), CardProblem.UNREADABLE),
    (card_errors.CardError(), CardProblem.UNREADABLE),
])
def test_each_driver_error_is_a_problem_the_resident_is_told(
        error: card_errors.CardError, problem: CardProblem) -> None:
    assert problem_of(error) == problem


class FailingReaders:
    """Readers whose wait for a card fails as the driver does."""

    def __init__(self, error: card_errors.CardError) -> None:
        self.error = error

    def wait_for_card(self, *, timeout: float | None = None, **_: object) -> CardChannel:
        raise self.error


@pytest.mark.parametrize("error", [card_errors.NoCardError(), card_errors.NoReaderError(),
                                   card_errors.CardRemovedError()])
def test_the_port_raises_only_its_own_outcomes(error: card_errors.CardError) -> None:
    port = PcscCardPort(FailingReaders(error))  # type: ignore[arg-type]
    for call in (port.tries_left, lambda: port.read_identity("1234")):
        with pytest.raises(CardUnusable) as info:
            call()
        assert info.value.problem == problem_of(error)
        assert info.value.__cause__ is None and info.value.__suppress_context__


def test_a_wrong_pin_keeps_its_tries_left() -> None:
    port = PcscCardPort(FailingReaders(card_errors.WrongPinError(2)))  # type: ignore[arg-type]
    with pytest.raises(WrongPin) as info:
        port.read_identity("1234")
    assert info.value.tries_left == 2


# -- the real stack ------------------------------------------------------------------------------


def at_pin_pad(place_card: PlaceCard, **card: object) -> tuple[Session, VirtualCard, RecordingSubmitter]:
    """A 住民票 request with the card laid on the reader, after 「カードで」."""
    virtual = place_card(**card)
    submitter = RecordingSubmitter()
    session = make_session(PcscCardPort(open_readers("pcsc")), submitter, Clock())
    session.start()
    session.choose_form("juminhyo")
    session.use_card()
    return session, virtual, submitter


@on_vpcd
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


@on_vpcd
def test_a_wrong_pin_then_the_right_one(place_card: PlaceCard) -> None:
    session, virtual, _ = at_pin_pad(place_card)
    wrong = "0000" if SAMPLE.pin != "0000" else "1111"
    session.enter_pin(wrong)
    assert (session.screen, session.message, session.tries_left) == (Screen.PIN, "wrong_pin", 2)
    assert virtual.tries_left == 2  # the card itself counted it
    session.enter_pin(SAMPLE.pin)
    assert session.screen == Screen.QUESTION and session.identity is not None
    assert virtual.tries_left == 3  # a right PIN resets the counter


@on_vpcd
def test_a_second_wrong_pin_stops_before_the_last_try(place_card: PlaceCard) -> None:
    session, virtual, _ = at_pin_pad(place_card, tries_left=2)
    session.enter_pin("0000" if SAMPLE.pin != "0000" else "1111")
    assert (session.screen, session.card_problem) == (Screen.CARD_PROBLEM, CardProblem.LAST_TRY)
    assert virtual.tries_left == 1  # and the kiosk never spends it


@on_vpcd
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


@on_vpcd
def test_a_card_lifted_during_the_read_leaves_nothing_behind(place_card: PlaceCard) -> None:
    session, probe, _ = at_pin_pad(place_card)
    session.enter_pin(SAMPLE.pin)
    last_read = len(probe.commands)  # the APDUs of the whole journey, the last one a READ BINARY
    probe.stop()
    session, _, _ = at_pin_pad(place_card, remove_at_apdu=last_read)
    session.enter_pin(SAMPLE.pin)
    assert (session.screen, session.card_problem) == (Screen.CARD_PROBLEM, CardProblem.REMOVED)
    assert session.identity is None and session.procedures[0].answers == {}


@on_vpcd
def test_no_card_on_the_reader(pcscd: object) -> None:
    session = make_session(PcscCardPort(open_readers("pcsc")), RecordingSubmitter(), Clock())
    session.start()
    session.choose_form("juminhyo")
    session.use_card()
    assert (session.screen, session.card_problem) == (Screen.CARD_PROBLEM, CardProblem.NO_CARD)

