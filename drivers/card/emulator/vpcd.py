"""Our card on a vpcd virtual reader: the card side of the vpcd socket protocol.

vpcd (Debian vsmartcard-vpcd) is a pcscd reader driver listening on TCP 127.0.0.1:35963
(reader "Virtual PCD 00 00") and 35964 ("Virtual PCD 00 01"). Connecting puts a card in
the reader, closing the socket takes it out. Each message is a 2-byte big-endian length
then the payload: one byte is a control code (0 power off, 1 power on, 2 reset, 4 send
ATR), anything longer is an APDU to answer with data + SW. pcscd asks for the ATR on
every presence poll, so the card answers control messages between APDUs all the time.

Latency (docs/card.md, "pcscd and vpcd"): vpcd writes each command in two
pieces with Nagle on, so unless this side acknowledges at once, every APDU waits ~40 ms for
Linux's delayed ACK. TCP_QUICKACK is set before every recv (the kernel clears it) and
TCP_NODELAY once.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Self

from smartcard import scard
from smartcard.Exceptions import SmartcardException

from drivers.card.emulator.chip import CardChip
from drivers.card.emulator.identity import Identity

VPCD_HOST = "127.0.0.1"
VPCD_PORT = 35963
_VPCD_READERS = {35963: "Virtual PCD 00 00", 35964: "Virtual PCD 00 01"}
_TCP_QUICKACK = getattr(socket, "TCP_QUICKACK", None)
# pcsc-lite polls a vpcd reader for its card every 400 ms (PCSCLITE_STATUS_POLL_RATE).
_PCSCD_POLL = 0.5
_SEEN_WITHIN = 1.0


def vpcd_reader_name(port: int) -> str:
    """The PC/SC reader name pcscd gives the vpcd slot on `port` (default reader.conf)."""
    try:
        return _VPCD_READERS[port]
    except KeyError:
        raise ValueError(f"vpcd listens on {sorted(_VPCD_READERS)}, not {port}") from None


class VpcdUnavailableError(ConnectionError):
    """Nothing listens on the vpcd port: pcscd is not running, or vpcd is not installed."""


@dataclass(frozen=True, slots=True)
class ReaderEvents:
    """pcscd's view of one reader: card present, and its event counter (the high 16 bits
    of dwEventState, which pcsc-lite bumps on every insertion and removal it notices)."""

    present: bool
    counter: int


def reader_events(reader: str) -> ReaderEvents | None:
    """pcscd's view of `reader` now; None when pcscd (or the reader) cannot be asked."""
    try:
        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    except SmartcardException:
        return None
    if hresult != scard.SCARD_S_SUCCESS:
        return None
    try:
        hresult, states = scard.SCardGetStatusChange(
            context, 0, [(reader, scard.SCARD_STATE_UNAWARE)]
        )
        if hresult != scard.SCARD_S_SUCCESS or not states:
            return None
        state = int(states[0][1])
        if state & scard.SCARD_STATE_UNKNOWN:
            return None
        return ReaderEvents(bool(state & scard.SCARD_STATE_PRESENT), (state >> 16) & 0xFFFF)
    finally:
        scard.SCardReleaseContext(context)


class VirtualCard:
    """A My Number card placed on a vpcd reader, served from a thread.

    `start()` places the card (connects to vpcd), `stop()` takes it away. Both wait until
    pcscd's event handler has seen the change (its event counter moved), so that what a
    test does next meets a settled reader. Without that, a card put back within one of
    pcscd's 400 ms presence polls goes unnoticed: pcscd saw "present" before and "present"
    after, reports no insertion, and the reader stays empty to every client.
    `commands` records every APDU received since the last start, like python-escpos' Dummy
    printer records its output.
    """

    def __init__(self, identity: Identity, *, port: int = VPCD_PORT, host: str = VPCD_HOST):
        self.identity = identity
        self.port = port
        self.host = host
        self.reader_name = vpcd_reader_name(port)
        self.chip = CardChip(identity)
        self.commands: list[bytes] = []
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._seen: ReaderEvents | None = None

    @property
    def tries_left(self) -> int:
        return self.chip.tries_left

    @property
    def inserted(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, *, timeout: float = 5.0, wait_for_pcscd: bool = True) -> None:
        """Place the card on the reader.

        If pcscd has not seen the card within a second (the previous card on this reader
        left without pcscd noticing, see the class docstring), the card is taken off for one
        presence poll and placed again, as a person would.
        """
        if self.inserted:
            raise RuntimeError(f"the card is already on {self.reader_name}")
        deadline = time.monotonic() + timeout
        before = reader_events(self.reader_name) if wait_for_pcscd else None
        if before is not None and before.present:
            raise VpcdUnavailableError(
                f"{self.reader_name} already holds a card: stop the other emulator first"
            )
        while True:
            self._place(deadline)
            if before is None:
                return
            self._seen = self._wait_for(
                lambda now: now.present and now.counter != before.counter,
                min(deadline, time.monotonic() + _SEEN_WITHIN),
            )
            if self._seen is not None:
                return
            self.stop(wait_for_pcscd=False)
            if time.monotonic() + _PCSCD_POLL >= deadline:
                raise VpcdUnavailableError(f"pcscd did not see the card on {self.reader_name}")
            time.sleep(_PCSCD_POLL)

    def _place(self, deadline: float) -> None:
        sock = self._connect(deadline)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.chip.power_cycle()
        self.commands = []
        with self._lock:
            self._sock = sock
        self._thread = threading.Thread(
            target=self._serve, args=(sock,), name=f"vpcd-card-{self.port}", daemon=True
        )
        self._thread.start()

    def stop(self, *, timeout: float = 5.0, wait_for_pcscd: bool = True) -> None:
        """Take the card off the reader (also after it removed itself)."""
        deadline = time.monotonic() + timeout
        seen, self._seen = self._seen, None
        if wait_for_pcscd and seen is None and self.inserted:
            # Placed without waiting: take pcscd's view now, before the card leaves.
            current = reader_events(self.reader_name)
            seen = current if current is not None and current.present else None
        with self._lock:
            sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):  # already closed by the serving thread
                sock.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(max(0.0, deadline - time.monotonic()))
            self._thread = None
        if wait_for_pcscd and seen is not None:
            self._wait_for(lambda now: not now.present and now.counter != seen.counter, deadline)

    def wait_removed(self, timeout: float) -> bool:
        """Wait until the card has left the reader on its own (remove_at_apdu, ...)."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.inserted

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _wait_for(
        self, settled: Callable[[ReaderEvents], bool], deadline: float
    ) -> ReaderEvents | None:
        while True:
            now = reader_events(self.reader_name)
            if now is None or settled(now):
                return now  # None: pcscd went away, there is nothing left to wait for
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.02)

    def _connect(self, deadline: float) -> socket.socket:
        while True:
            try:
                return socket.create_connection((self.host, self.port), timeout=1.0)
            except OSError as exc:
                if time.monotonic() >= deadline:
                    raise VpcdUnavailableError(
                        f"nothing listens on {self.host}:{self.port} ({exc.strerror}): "
                        "pcscd is not running, or the vpcd driver (Debian package "
                        "vsmartcard-vpcd) is not installed"
                    ) from None
                time.sleep(0.05)

    def _serve(self, sock: socket.socket) -> None:
        sock.settimeout(None)
        pending = bytearray()
        count = 0
        remove_at = self.identity.remove_at_apdu
        remove_after = self.identity.remove_after_apdu
        try:
            while True:
                header = _take(sock, pending, 2)
                if header is None:
                    return
                (size,) = struct.unpack(">H", header)
                payload = _take(sock, pending, size)
                if payload is None:
                    return
                if size == 1:
                    reply = self.chip.control(payload[0])
                elif size == 0:
                    continue
                else:
                    count += 1
                    self.commands.append(payload)
                    if count == remove_at:
                        return  # pulled off the reader while the command was on its way
                    reply = self.chip.process(payload)
                if reply is not None:
                    sock.sendall(struct.pack(">H", len(reply)) + reply)
                if size > 1 and count == remove_after:
                    return
        except OSError:
            return
        finally:
            _close(sock)


def _take(sock: socket.socket, pending: bytearray, size: int) -> bytes | None:
    """`size` bytes from the stream, None once the peer (or stop()) closed it."""
    while len(pending) < size:
        if _TCP_QUICKACK is not None:
            sock.setsockopt(socket.IPPROTO_TCP, _TCP_QUICKACK, 1)
        chunk = sock.recv(65536)
        if not chunk:
            return None
        pending += chunk
    taken = bytes(pending[:size])
    del pending[:size]
    return taken


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
