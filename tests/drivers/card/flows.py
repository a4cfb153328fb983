"""The kiosk's card flow, as the session runs it, for the integration tests."""

from __future__ import annotations

import threading

from drivers.card.model import BasicFour
from drivers.card.mynumber import MyNumberCard
from drivers.card.reader import PcscReaders


def read_basic_four(
    *,
    reader_name: str = "",
    pin: str = "1234",
    timeout: float = 5.0,
    cancel: threading.Event | None = None,
) -> tuple[BasicFour, str]:
    """Wait for the card, show tries left, verify, read: (basic four, reader used)."""
    readers = PcscReaders(reader_name=reader_name)
    with readers.wait_for_card(timeout=timeout, cancel=cancel) as channel:
        card = MyNumberCard(channel)
        card.select()
        card.pin_tries_left()
        card.verify_pin(pin)
        return card.read_basic_four(), channel.reader_name
