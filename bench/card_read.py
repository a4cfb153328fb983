"""How long the driver takes from a card on the reader to a typed BasicFour, and what it adds
over pyscard alone. Run: `python -m bench.card_read [--runs N]`.

Three figures, all over the real stack (pyscard -> pcscd -> vpcd -> our emulator):
- driver: connect, select, tries left, verify, read the basic four into a BasicFour, close;
- raw: the very APDUs the driver sent, replayed through pyscard's scard layer with the same
  connect and close, no parsing (the cost of the stack itself);
- placement: from the card touching the reader to the BasicFour, with the kiosk already
  waiting; dominated by pcscd's presence poll (400 ms), shown for what a resident feels.
The driver/raw ratio is the driver's overhead (target < 1.3). Figures are printed; nothing
is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from collections.abc import Callable

from smartcard import scard

from drivers.card.emulator import SAMPLE_IDENTITY, VPCD_PORT, VirtualCard, load_identity
from drivers.card.emulator.pcscd import Pcscd
from drivers.card.model import BasicFour
from drivers.card.mynumber import MyNumberCard
from drivers.card.reader import PcscReaders

PIN = "1234"


def driver_read(readers: PcscReaders) -> BasicFour:
    with readers.wait_for_card(timeout=5) as channel:
        card = MyNumberCard(channel)
        card.select()
        card.pin_tries_left()
        card.verify_pin(PIN)
        return card.read_basic_four()


def raw_read(reader: str, commands: list[list[int]]) -> None:
    """The same exchange with nothing of ours on the path."""
    _, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    _, card, _ = scard.SCardConnect(
        context, reader, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
    )
    for command in commands:
        hresult, response = scard.SCardTransmit(card, scard.SCARD_PCI_T1, command)
        if hresult != scard.SCARD_S_SUCCESS or response[-2] not in (0x90, 0x63):
            raise RuntimeError(f"raw replay failed at {bytes(command).hex()}")
    scard.SCardDisconnect(card, scard.SCARD_RESET_CARD)
    scard.SCardReleaseContext(context)


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def placement_to_basic_four(card: VirtualCard, readers: PcscReaders) -> float:
    """Card placed while the kiosk waits: seconds until the BasicFour is in hand."""
    result: list[float] = []
    placed = threading.Event()
    started = [0.0]

    def kiosk() -> None:
        placed.wait()
        driver_read(readers)
        result.append(time.perf_counter() - started[0])

    waiter = threading.Thread(target=kiosk)
    waiter.start()
    started[0] = time.perf_counter()
    card.start(wait_for_pcscd=False)
    placed.set()
    waiter.join(15)
    card.stop()
    return result[0]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.card_read", description=__doc__)
    parser.add_argument("--runs", type=int, default=200, help="driver and raw runs (median)")
    parser.add_argument("--placements", type=int, default=10, help="placement runs (~1 s each)")
    args = parser.parse_args(argv)

    identity = load_identity(SAMPLE_IDENTITY)
    with Pcscd():
        card = VirtualCard(identity, port=VPCD_PORT)
        readers = PcscReaders(reader_name=card.reader_name)
        card.start()
        try:
            first = len(card.commands)
            basic = driver_read(readers)
            sent = card.commands[first:]
            if basic.name != identity.name:
                raise RuntimeError("the benchmark read the wrong card")
            commands = [list(c) for c in sent]
            for _ in range(10):  # warm-up: imports, pcscd's first clients, caches
                driver_read(readers)
                raw_read(card.reader_name, commands)
            driver_times, raw_times = [], []
            for _ in range(args.runs):  # interleaved, so drift hits both alike
                driver_times.append(timed(lambda: driver_read(readers)))
                raw_times.append(timed(lambda: raw_read(card.reader_name, commands)))
        finally:
            card.stop()
        placements = [placement_to_basic_four(card, readers) for _ in range(args.placements)]

    driver, raw = statistics.median(driver_times), statistics.median(raw_times)
    largest = max(c[4] or 256 for c in sent if c[1] == 0xB0)
    print(f"APDUs per read:             {len(sent)} (short APDUs; largest READ BINARY {largest} B)")
    print(
        f"driver, present->BasicFour: median {ms(driver)} over {args.runs} runs "
        f"(p90 {ms(statistics.quantiles(driver_times, n=10)[-1])})"
    )
    print(
        f"raw pyscard, same APDUs:    median {ms(raw)} "
        f"(p90 {ms(statistics.quantiles(raw_times, n=10)[-1])})"
    )
    paired = statistics.median(d / r for d, r in zip(driver_times, raw_times, strict=True))
    print(f"ratio driver / raw:         {driver / raw:.2f} of medians, {paired:.2f} median "
          "of paired runs (target < 1.3)")
    print(f"per APDU (raw):             {ms(raw / len(sent))}")
    if placements:
        print(
            f"placed->BasicFour:          median {ms(statistics.median(placements))} over "
            f"{len(placements)} placements (min {ms(min(placements))}, max {ms(max(placements))})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
