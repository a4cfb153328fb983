"""The session's CardPort over the real card driver (drivers/card): one connection per step.

The resident may lift the card between showing the tries left and typing the PIN, so each
call waits briefly for the card, selects the application afresh and closes the connection.

This adapter is where the driver's errors become the session's outcomes (`CardUnusable`
with a `CardProblem`, `WrongPin`): the session imports nothing of drivers/.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.card import errors as card_errors
from drivers.card.model import Sex as CardSex
from drivers.card.mynumber import MyNumberCard
from drivers.card.reader import CardReaders
from kiosk.session.identity import Identity, Sex
from kiosk.session.ports import CardProblem, CardUnusable, WrongPin

# "not known" (ISO 5218 "0") is no answer: the form asks the resident instead.
_SEX: dict[CardSex, Sex | None] = {CardSex.MALE: "male", CardSex.FEMALE: "female",
                                   CardSex.NOT_APPLICABLE: "not_applicable", CardSex.NOT_KNOWN: None}

# Most specific first: the first class that matches names the problem.
_PROBLEMS: tuple[tuple[type[card_errors.CardError], CardProblem], ...] = (
    (card_errors.PinBlockedError, CardProblem.BLOCKED),
    (card_errors.LastPinTryError, CardProblem.LAST_TRY),
    (card_errors.NotMyNumberCardError, CardProblem.NOT_MY_NUMBER_CARD),
    (card_errors.CardRemovedError, CardProblem.REMOVED),
    (card_errors.NoReaderError, CardProblem.NO_READER),
    (card_errors.NoCardError, CardProblem.NO_CARD),
    # Nobody placed a card in time: to the resident, there is no card yet.
    (card_errors.ReaderTimeoutError, CardProblem.NO_CARD),
)


def problem_of(exc: card_errors.CardError) -> CardProblem:
    """The session's word for a driver error; anything unforeseen is an unreadable card."""
    found = (problem for kind, problem in _PROBLEMS if isinstance(exc, kind))
    return next(found, CardProblem.UNREADABLE)


@dataclass(frozen=True)
class PcscCardPort:
    readers: CardReaders
    # The identify screen asks for the tries left about once a second to notice the card, so
    # that call looks only briefly; the PIN step waits longer for a card lifted a moment.
    poll_s: float = 0.2
    wait_s: float = 3.0

    def tries_left(self) -> int:
        try:
            with self.readers.wait_for_card(timeout=self.poll_s) as channel:
                card = MyNumberCard(channel)
                card.select()
                return card.pin_tries_left()
        except card_errors.CardError as exc:
            raise CardUnusable(problem_of(exc)) from None

    def read_identity(self, pin: str) -> Identity:
        try:
            with self.readers.wait_for_card(timeout=self.wait_s) as channel:
                card = MyNumberCard(channel)
                card.select()
                card.verify_pin(pin)
                four = card.read_basic_four()
        except card_errors.WrongPinError as exc:
            raise WrongPin(exc.tries_left) from None
        except card_errors.CardError as exc:
            raise CardUnusable(problem_of(exc)) from None
        return Identity(
            name=four.name, address=four.address, birth_date=four.birth_date,
            sex=_SEX[four.sex], source="card", undecodable=four.flags,
        )
