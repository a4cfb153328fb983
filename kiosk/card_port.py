"""The session's CardPort over the real card driver (drivers/card): one connection per step.

The resident may lift the card between showing the tries left and typing the PIN, so each
call waits briefly for the card, selects the application afresh and closes the connection.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.card.mynumber import MyNumberCard
from drivers.card.reader import CardReaders
from kiosk.session.identity import Identity


@dataclass(frozen=True)
class PcscCardPort:
    readers: CardReaders
    # The identify screen asks for the tries left about once a second to notice the card, so
    # that call looks only briefly; the PIN step waits longer for a card lifted a moment.
    poll_s: float = 0.2
    wait_s: float = 3.0

    def tries_left(self) -> int:
        with self.readers.wait_for_card(timeout=self.poll_s) as channel:
            card = MyNumberCard(channel)
            card.select()
            return card.pin_tries_left()

    def read_identity(self, pin: str) -> Identity:
        with self.readers.wait_for_card(timeout=self.wait_s) as channel:
            card = MyNumberCard(channel)
            card.select()
            card.verify_pin(pin)
            four = card.read_basic_four()
        return Identity(
            name=four.name, address=four.address, birth_date=four.birth_date,
            sex=four.sex.value,
            source="card", undecodable=four.flags,
        )
