"""Waiting for a card, with readers that come and go.

vpcd's readers exist from pcscd's start, so a reader plugged in during the wait cannot be
played through the real stack; these tests drive PcscReaders' own loop through its PC/SC
seams instead. Everything else about readers runs for real in tests/drivers/card/.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from drivers.card.errors import NoReaderError, ReaderTimeoutError, WaitCancelledError
from drivers.card.reader import CardChannel, PcscReaders, open_readers
from tests.support.card_readers import FakeChannel


class ScriptedReaders(PcscReaders):
    """Readers and cards appear at given times after the wait starts."""

    def __init__(
        self,
        *,
        readers: dict[str, float],
        cards: dict[str, float],
        name: str = "",
        poll: float = 0.01,
    ) -> None:
        super().__init__(reader_name=name, poll_interval=poll)
        self.readers_at = readers
        self.cards_at = cards
        self.t0 = time.monotonic()
        self.released = 0

    def _establish(self) -> Any:
        return "context"

    def _release(self, context: Any) -> None:
        self.released += 1

    def _list_readers(self, context: Any) -> list[str]:
        now = time.monotonic() - self.t0
        return [r for r, at in self.readers_at.items() if at <= now]

    def _try_connect(self, context: Any, name: str) -> CardChannel | None:
        at = self.cards_at.get(name)
        if at is None or at > time.monotonic() - self.t0:
            return None
        return FakeChannel(name)


def test_reader_plugged_in_during_the_wait_is_used() -> None:
    readers = ScriptedReaders(readers={"RC-S300": 0.1}, cards={"RC-S300": 0.15})
    channel = readers.wait_for_card(timeout=2)
    assert channel.reader_name == "RC-S300"


def test_first_reader_holding_a_card_wins() -> None:
    readers = ScriptedReaders(readers={"A": 0, "B": 0}, cards={"B": 0.05})
    assert readers.wait_for_card(timeout=2).reader_name == "B"


def test_configured_reader_only() -> None:
    readers = ScriptedReaders(readers={"A": 0, "B": 0}, cards={"A": 0, "B": 0}, name="B")
    assert readers.wait_for_card(timeout=2).reader_name == "B"


def test_configured_reader_never_plugged_in_is_no_reader() -> None:
    readers = ScriptedReaders(readers={"A": 0}, cards={"A": 0}, name="RC-S300")
    with pytest.raises(NoReaderError) as caught:
        readers.wait_for_card(timeout=0.1)
    assert "RC-S300" in caught.value.message_ja
    assert "RC-S300" in caught.value.message_en
    assert readers.released == 1


def test_no_reader_at_all() -> None:
    with pytest.raises(NoReaderError):
        ScriptedReaders(readers={}, cards={}).wait_for_card(timeout=0.05)


def test_no_card_in_time() -> None:
    readers = ScriptedReaders(readers={"A": 0}, cards={})
    started = time.monotonic()
    with pytest.raises(ReaderTimeoutError):
        readers.wait_for_card(timeout=0.2)
    assert time.monotonic() - started >= 0.2  # it waited the time it was given (bench/card_wait.py: by how much more)


def test_cancel_from_another_thread_ends_the_wait_promptly() -> None:
    # A poll interval far longer than any scheduling delay: the cancel must not wait for the
    # next poll. How promptly it ends is a figure in bench/card_wait.py, not asserted here.
    readers = ScriptedReaders(readers={"A": 0}, cards={}, poll=60.0)
    cancel = threading.Event()
    timer = threading.Timer(0.1, cancel.set)
    timer.start()
    started = time.monotonic()
    with pytest.raises(WaitCancelledError):
        readers.wait_for_card(timeout=120, cancel=cancel)
    assert time.monotonic() - started < 60.0  # ended before the next poll
    timer.join()


def test_unknown_backend_fails_loudly() -> None:
    with pytest.raises(ValueError, match="unknown card backend"):
        open_readers("winscard-dummy")
