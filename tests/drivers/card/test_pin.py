"""The PIN counter through the real stack: tries shown, counted down, blocked, kept."""

from __future__ import annotations

import pytest

from drivers.card import apdu
from drivers.card.errors import (
    LastPinTryError,
    PinBlockedError,
    PinNotVerifiedError,
    WrongPinError,
)
from drivers.card.mynumber import MyNumberCard
from drivers.card.reader import PcscReaders
from tests.conftest import PlaceCard
from tests.drivers.card.flows import read_basic_four

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]


def test_wrong_pin_three_times_down_to_blocked(place_card: PlaceCard) -> None:
    emulated = place_card()
    with PcscReaders().wait_for_card(timeout=5) as channel:
        card = MyNumberCard(channel)
        assert card.pin_tries_left() == 3
        with pytest.raises(WrongPinError) as first:
            card.verify_pin("9999")
        assert first.value.tries_left == 2
        assert "2" in first.value.message_ja
        assert card.pin_tries_left() == 2
        with pytest.raises(WrongPinError) as second:
            card.verify_pin("9999")
        assert second.value.tries_left == 1
        assert card.pin_tries_left() == 1
        # The last try is not spent unless the caller says so.
        with pytest.raises(LastPinTryError):
            card.verify_pin("9999")
        assert emulated.tries_left == 1
        with pytest.raises(PinBlockedError):
            card.verify_pin("9999", allow_last_try=True)
        assert card.pin_tries_left() == 0
        # Blocked means blocked: the right PIN no longer helps.
        with pytest.raises(PinBlockedError):
            card.verify_pin("1234", allow_last_try=True)
        with pytest.raises(PinNotVerifiedError):
            card.read_basic_four()


def test_tries_left_survive_taking_the_card_off(place_card: PlaceCard) -> None:
    emulated = place_card()
    with pytest.raises(WrongPinError):
        read_basic_four(pin="0000")
    emulated.stop()
    emulated.start()
    with PcscReaders().wait_for_card(timeout=5) as channel:
        assert MyNumberCard(channel).pin_tries_left() == 2


def test_right_pin_resets_the_counter(place_card: PlaceCard) -> None:
    place_card(tries_left=2)
    read_basic_four()
    with PcscReaders().wait_for_card(timeout=5) as channel:
        assert MyNumberCard(channel).pin_tries_left() == 3


def test_blocked_card(place_card: PlaceCard) -> None:
    emulated = place_card(tries_left=0)
    with PcscReaders().wait_for_card(timeout=5) as channel:
        # As real cards answer the tries-left query on a blocked PIN: 63 C0, not 69 84.
        assert channel.transmit(apdu.select_df(apdu.AID_INPUT_ASSISTANCE)).ok
        assert channel.transmit(apdu.select_ef(apdu.EF_PIN)).ok
        assert channel.transmit(apdu.verify_status()).sw == 0x63C0
        card = MyNumberCard(channel)
        assert card.pin_tries_left() == 0
        with pytest.raises(PinBlockedError) as caught:
            card.verify_pin("1234", allow_last_try=True)
    assert "窓口" in caught.value.message_ja
    assert emulated.tries_left == 0


def test_pin_status_query_spends_nothing(place_card: PlaceCard) -> None:
    emulated = place_card(tries_left=1)
    for _ in range(3):
        with PcscReaders().wait_for_card(timeout=5) as channel:
            assert MyNumberCard(channel).pin_tries_left() == 1
    assert emulated.tries_left == 1
