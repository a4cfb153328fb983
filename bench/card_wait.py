"""How promptly the card reader's wait ends: on its timeout, on a cancel, on a card placed.
Run: `python -m bench.card_wait [--runs N]`.

The kiosk waits for a card on a worker thread; the resident pressing "back" sets the cancel
event, and the screen cannot move on until the wait has ended. These figures time
`PcscReaders.wait_for_card`'s own loop through its PC/SC seams (a reader that is present,
a card that appears when told), so they need no pcscd and measure the driver, not pcscd's
presence poll (bench.card_read times that, 400 ms for vpcd). Figures are printed; nothing is
asserted (targets in bench/README.md, "Card reader wait").

- timeout: `wait_for_card(timeout=0.2)` with no card; how long after the 0.2 s it raised;
- cancel: the wait polls every 5 s (a slow poll, so a cancel that waited for the next poll
  would show); the time from `cancel.set()` to WaitCancelledError in the waiting thread;
- card: a card appears during the wait, default poll interval; the time until the wait
  returns it (at most one poll interval by design).
"""

from __future__ import annotations

import argparse
import random
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

from drivers.card.errors import ReaderTimeoutError, WaitCancelledError
from drivers.card.reader import DEFAULT_POLL_INTERVAL, CardChannel, PcscReaders
from tests.support.card_readers import FakeChannel

READER = "RC-S300"


class _Readers(PcscReaders):
    """One reader, always present; a card once `placed` is set."""

    def __init__(self, *, poll: float) -> None:
        super().__init__(reader_name=READER, poll_interval=poll)
        self.placed = threading.Event()

    def _establish(self) -> Any:
        return "context"

    def _release(self, context: Any) -> None:
        pass

    def _list_readers(self, context: Any) -> list[str]:
        return [READER]

    def _try_connect(self, context: Any, name: str) -> CardChannel | None:
        return FakeChannel(READER) if self.placed.is_set() else None


def timeout_overshoot(timeout: float = 0.2) -> float:
    started = time.perf_counter()
    try:
        _Readers(poll=DEFAULT_POLL_INTERVAL).wait_for_card(timeout=timeout)
    except ReaderTimeoutError:
        return time.perf_counter() - started - timeout
    raise RuntimeError("the wait ended without a timeout")


def _from_signal_to_end(readers: _Readers, signal: Callable[[], None], *, expect: type[BaseException] | None,
                        cancel: threading.Event | None = None) -> float:
    """Start the wait on a thread as the kiosk does; seconds from `signal()` until it ended."""
    ended: list[float] = []
    errors: list[BaseException] = []

    def kiosk() -> None:
        try:
            readers.wait_for_card(timeout=30, cancel=cancel)
        except BaseException as exc:  # handed back to the main thread below
            errors.append(exc)
        ended.append(time.perf_counter())

    waiter = threading.Thread(target=kiosk)
    waiter.start()
    # Anywhere within a poll interval after the wait began, as a resident's hand would land.
    time.sleep(random.uniform(0.02, 0.02 + DEFAULT_POLL_INTERVAL))
    signalled = time.perf_counter()
    signal()
    waiter.join(35)
    if expect is not None and not (errors and isinstance(errors[0], expect)):
        raise RuntimeError(f"expected {expect.__name__}, got {errors or 'a card'}")
    if expect is None and errors:
        raise errors[0]
    return ended[0] - signalled


def cancel_latency() -> float:
    cancel = threading.Event()
    return _from_signal_to_end(_Readers(poll=5.0), cancel.set, expect=WaitCancelledError, cancel=cancel)


def card_latency() -> float:
    readers = _Readers(poll=DEFAULT_POLL_INTERVAL)
    return _from_signal_to_end(readers, readers.placed.set, expect=None)


def _row(label: str, values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    return (f"{label:<42} median {statistics.median(values) * 1000:7.2f} ms   p90 {p90 * 1000:7.2f} ms"
            f"   max {ordered[-1] * 1000:7.2f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.card_wait", description=__doc__)
    parser.add_argument("--runs", type=int, default=50, help="runs of each figure (median)")
    args = parser.parse_args(argv)
    timeouts = [timeout_overshoot() for _ in range(args.runs)]
    cancels = [cancel_latency() for _ in range(args.runs)]
    cards = [card_latency() for _ in range(args.runs)]
    print(f"card reader wait, {args.runs} runs each (driver loop, no pcscd)")
    print(_row("timeout 0.2 s: raised after the timeout", timeouts))
    print(_row("cancel (poll every 5 s) -> wait ended", cancels))
    print(_row(f"card appears (poll {DEFAULT_POLL_INTERVAL:g} s) -> channel", cards))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
