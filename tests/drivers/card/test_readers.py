"""Two vpcd readers (ports 35963 and 35964): by name, or the first holding a card; waiting
with a timeout and a cancel."""

from __future__ import annotations

import threading
import time

import pytest

from drivers.card.emulator import VirtualCard
from drivers.card.errors import NoReaderError, ReaderTimeoutError, WaitCancelledError
from drivers.card.reader import PcscReaders, ReaderStatus
from tests.conftest import PlaceCard
from tests.drivers.card.flows import read_basic_four

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]

FIRST, SECOND = "Virtual PCD 00 00", "Virtual PCD 00 01"


def test_status_lists_both_readers_and_the_card(place_card: PlaceCard) -> None:
    place_card(port=35964)
    assert PcscReaders().status() == [ReaderStatus(FIRST, False), ReaderStatus(SECOND, True)]


def test_first_reader_holding_a_card_is_used(place_card: PlaceCard) -> None:
    place_card(port=35964, name="二番 次郎")
    basic, reader = read_basic_four()
    assert (reader, basic.name) == (SECOND, "二番 次郎")


@pytest.mark.parametrize(("reader", "expected"), [(FIRST, "一番 花子"), (SECOND, "二番 次郎")])
def test_configured_reader_by_exact_name(place_card: PlaceCard, reader: str, expected: str) -> None:
    place_card(port=35963, name="一番 花子")
    place_card(port=35964, name="二番 次郎")
    basic, used = read_basic_four(reader_name=reader)
    assert (used, basic.name) == (reader, expected)


def test_configured_reader_without_card_times_out(place_card: PlaceCard) -> None:
    place_card(port=35964)
    with pytest.raises(ReaderTimeoutError):
        read_basic_four(reader_name=FIRST, timeout=0.5)


def test_configured_reader_not_connected(pcscd: object) -> None:
    with pytest.raises(NoReaderError) as caught:
        read_basic_four(reader_name="SONY FeliCa RC-S300/P", timeout=0.3)
    assert "SONY FeliCa RC-S300/P" in caught.value.message_en
    assert FIRST in caught.value.message_en  # tells IT staff what is there instead


def test_no_card_times_out_promptly(pcscd: object) -> None:
    started = time.monotonic()
    with pytest.raises(ReaderTimeoutError):
        read_basic_four(timeout=0.5)
    assert time.monotonic() - started < 2.0


def test_cancel_ends_the_wait(pcscd: object) -> None:
    cancel = threading.Event()
    timer = threading.Timer(0.2, cancel.set)
    timer.start()
    started = time.monotonic()
    with pytest.raises(WaitCancelledError):
        read_basic_four(timeout=30, cancel=cancel)
    assert time.monotonic() - started < 2.0
    timer.join()


def test_card_placed_during_the_wait(place_card: PlaceCard, sample: object) -> None:
    placed: list[VirtualCard] = []
    timer = threading.Timer(0.3, lambda: placed.append(place_card()))
    timer.start()
    try:
        basic, _ = read_basic_four(timeout=10)
    finally:
        timer.join()
    assert basic.name == "見本\u3000花子"
    assert placed
