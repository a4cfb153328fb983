"""The card taken off before or during each APDU of the read: a clear error, never a hang
or a traceback, and the next placement reads normally."""

from __future__ import annotations

import pytest

from drivers.card.errors import CardRemovedError, ReaderTimeoutError
from drivers.card.mynumber import MyNumberCard
from drivers.card.reader import PcscReaders
from tests.conftest import PlaceCard
from tests.drivers.card.flows import read_basic_four

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]

# The 7 APDUs of the read, in order (see test_read.test_happy_path).
READ_APDUS = [
    "select-AP",
    "select-PIN-EF",
    "tries-left",
    "verify",
    "select-basic-four",
    "read-header",
    "read-rest",
]
INDEXES = [pytest.param(i, id=name) for i, name in enumerate(READ_APDUS, start=1)]


def _read_with(card: MyNumberCard) -> None:
    card.select()
    card.pin_tries_left()
    card.verify_pin("1234")
    card.read_basic_four()


def _reads_again(place_card: PlaceCard) -> None:
    place_card()
    basic, _ = read_basic_four()
    assert basic.name == "見本\u3000花子"


@pytest.mark.parametrize("index", INDEXES)
def test_removed_during_apdu(place_card: PlaceCard, index: int) -> None:
    emulated = place_card(remove_at_apdu=index)
    with pytest.raises(CardRemovedError) as caught:
        read_basic_four()
    assert "もう一度" in caught.value.message_ja
    assert len(emulated.commands) == index
    emulated.stop()
    _reads_again(place_card)


@pytest.mark.parametrize("index", INDEXES)
def test_removed_before_apdu(place_card: PlaceCard, index: int) -> None:
    if index == 1:
        # Connected, then the card leaves before anything is sent.
        emulated = place_card()
        with PcscReaders().wait_for_card(timeout=5) as channel:
            emulated.stop()
            with pytest.raises(CardRemovedError):
                _read_with(MyNumberCard(channel))
    else:
        emulated = place_card(remove_after_apdu=index - 1)
        with pytest.raises(CardRemovedError):
            read_basic_four()
        assert len(emulated.commands) <= index
        emulated.stop()
    _reads_again(place_card)


def test_no_card_after_removal_waits_and_times_out(place_card: PlaceCard) -> None:
    emulated = place_card()
    emulated.stop()
    with pytest.raises(ReaderTimeoutError):
        read_basic_four(timeout=0.5)
