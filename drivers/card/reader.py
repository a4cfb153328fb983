"""Readers and card connections over PC/SC.

The port is narrow on purpose: a `CardReaders` backend lists readers, tells which hold a
card, and hands out a `CardChannel`, which only transmits bytes and closes. `MyNumberCard`
needs nothing else, so another backend (a Windows-only one, a network reader) is one new
class here and nothing above it changes. `open_readers` picks the backend by the name in
the config and fails loudly on an unknown name; there is no silent fallback to a dummy.

The PC/SC backend uses pyscard's thin `smartcard.scard` layer rather than its
`CardConnection` classes: every outcome is a PC/SC return code that maps one to one onto
our errors, nothing raises from a `__del__` at garbage collection, and no observer
machinery sits on the path of each APDU. pyscard's own exceptions are still caught at the
same boundary, so nothing from the stack below leaks up as anything but a `CardError`.
pyscard wraps WinSCard on Windows with the same calls, so this backend is meant to run
there unchanged; only the reader names differ.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol, Self

from smartcard import scard
from smartcard.Exceptions import SmartcardException

from drivers.card.apdu import Response
from drivers.card.errors import (
    CardError,
    CardRemovedError,
    NoCardError,
    NoReaderError,
    ReaderTimeoutError,
    WaitCancelledError,
)

DEFAULT_POLL_INTERVAL = 0.1

# Connect answers meaning "no usable card here (yet)": keep waiting.
_NOT_YET = frozenset(
    {
        scard.SCARD_E_NO_SMARTCARD,
        scard.SCARD_W_REMOVED_CARD,
        scard.SCARD_W_RESET_CARD,
        scard.SCARD_W_UNRESPONSIVE_CARD,
        scard.SCARD_W_UNPOWERED_CARD,
        scard.SCARD_E_SHARING_VIOLATION,
        scard.SCARD_E_UNKNOWN_READER,  # unplugged between listing and connecting
        scard.SCARD_E_READER_UNAVAILABLE,
    }
)
_SERVICE_GONE = frozenset({scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED})


class CardChannel(Protocol):
    """One connected card: the only thing the My Number layer talks to."""

    @property
    def reader_name(self) -> str: ...

    def transmit(self, command: bytes) -> Response: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class CardReaders(Protocol):
    """A reader backend (PC/SC today)."""

    def readers(self) -> list[str]: ...

    def status(self) -> list[ReaderStatus]: ...

    def connect(self, reader: str) -> CardChannel: ...

    def wait_for_card(
        self, *, timeout: float | None = None, cancel: threading.Event | None = None
    ) -> CardChannel: ...


@dataclass(frozen=True, slots=True)
class ReaderStatus:
    name: str
    card_present: bool


def open_readers(backend: str, *, reader_name: str = "") -> CardReaders:
    """The backend the config names (`card.backend`), for the configured reader name."""
    if backend == "pcsc":
        return PcscReaders(reader_name=reader_name)
    raise ValueError(f'unknown card backend {backend!r}: the known one is "pcsc"')


def _code(hresult: int) -> str:
    return f"0x{hresult & 0xFFFFFFFF:08X}"


def _service_error() -> NoReaderError:
    return NoReaderError(
        ja="カードリーダーのサービス (pcscd) に接続できません。職員にお知らせください"
        "（IT担当: pcscd が動いているか確認してください）。",
        en="Cannot reach the smart-card service (pcscd). Please ask a staff member "
        "(IT staff: check that pcscd is running).",
    )


def _unexpected(what: str, hresult: int) -> CardError:
    return CardError(
        ja=f"カードリーダーでエラーが起きました ({what}, {_code(hresult)})。職員にお知らせください。",
        en=f"The card reader reported an error ({what}, PC/SC {_code(hresult)}). "
        "Please ask a staff member.",
    )


class PcscConnection:
    """A connected card. Owns its PC/SC context, so closing it frees everything.

    On close the card is reset (SCARD_RESET_CARD): the PIN the resident entered must not stay
    verified for whatever talks to the card next.
    """

    def __init__(self, context: Any, card: Any, protocol: int, reader_name: str) -> None:
        self._context: Any = context
        self._card: Any = card
        t0 = protocol == scard.SCARD_PROTOCOL_T0
        self._pci = scard.SCARD_PCI_T0 if t0 else scard.SCARD_PCI_T1
        self._reader_name = reader_name

    @property
    def reader_name(self) -> str:
        return self._reader_name

    def transmit(self, command: bytes) -> Response:
        if self._card is None:
            raise CardRemovedError()
        try:
            hresult, response = scard.SCardTransmit(self._card, self._pci, list(command))
        except SmartcardException:
            raise CardRemovedError() from None
        if hresult != scard.SCARD_S_SUCCESS:
            if hresult in _SERVICE_GONE:
                raise _service_error()
            # Removed, reset by someone else, NOT_TRANSACTED when the card stopped answering
            # mid-command: to the resident all of these mean "place the card again".
            raise CardRemovedError()
        if len(response) < 2:
            raise CardRemovedError()
        return Response.from_bytes(bytes(response))

    def close(self) -> None:
        """Idempotent and silent: closing after a removal must not raise a second error."""
        card, context = self._card, self._context
        self._card = self._context = None
        try:
            if card is not None:
                scard.SCardDisconnect(card, scard.SCARD_RESET_CARD)
        except SmartcardException:
            pass
        finally:
            if context is not None:
                _release_context(context)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _establish_context() -> Any:
    try:
        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    except SmartcardException:
        raise _service_error() from None
    if hresult != scard.SCARD_S_SUCCESS:
        raise _service_error()
    return context


def _release_context(context: Any) -> None:
    with contextlib.suppress(SmartcardException):
        scard.SCardReleaseContext(context)


def _list_readers(context: Any) -> list[str]:
    try:
        hresult, names = scard.SCardListReaders(context, [])
    except SmartcardException:
        raise _service_error() from None
    if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
        return []
    if hresult in _SERVICE_GONE:
        raise _service_error()
    if hresult != scard.SCARD_S_SUCCESS:
        raise _unexpected("list readers", hresult)
    return [str(name) for name in names]


class PcscReaders:
    """Readers as pcsc-lite (or WinSCard) sees them.

    `reader_name` is the config's exact reader name; empty means "the first reader that
    holds a card". Holds no PC/SC context between calls, so an instance can live as long as
    the application without keeping pcscd busy or going stale when pcscd restarts.
    """

    def __init__(self, *, reader_name: str = "", poll_interval: float = DEFAULT_POLL_INTERVAL):
        self.reader_name = reader_name
        self._poll_interval = poll_interval

    def readers(self) -> list[str]:
        context = self._establish()
        try:
            return self._list_readers(context)
        finally:
            self._release(context)

    def status(self) -> list[ReaderStatus]:
        context = self._establish()
        try:
            names = self._list_readers(context)
            if not names:
                return []
            states = [(name, scard.SCARD_STATE_UNAWARE) for name in names]
            hresult, found = scard.SCardGetStatusChange(context, 0, states)
            if hresult in _SERVICE_GONE:
                raise _service_error()
            if hresult != scard.SCARD_S_SUCCESS:
                raise _unexpected("reader status", hresult)
            return [
                ReaderStatus(str(name), bool(state & scard.SCARD_STATE_PRESENT))
                for name, state, _atr in found
            ]
        finally:
            self._release(context)

    def connect(self, reader: str) -> CardChannel:
        """Connect to the card in `reader` now; NoCardError if it holds none."""
        context = self._establish()
        try:
            if reader not in self._list_readers(context):
                raise self._missing_reader_error([reader], self._list_readers(context))
            connection = self._try_connect(context, reader)
        except BaseException:
            self._release(context)
            raise
        if connection is None:
            self._release(context)
            raise NoCardError()
        return connection

    def wait_for_card(
        self, *, timeout: float | None = None, cancel: threading.Event | None = None
    ) -> CardChannel:
        """Wait until a card is on the configured reader (or on any reader when none is
        configured) and connect to it.

        Readers are listed again on every poll, so a reader plugged in during the wait is
        used. `cancel` ends the wait from another thread (the resident pressed back).
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        context = self._establish()
        try:
            while True:
                if cancel is not None and cancel.is_set():
                    raise WaitCancelledError()
                names = self._list_readers(context)
                candidates = self._candidates(names)
                for name in candidates:
                    connection = self._try_connect(context, name)
                    if connection is not None:
                        context = None  # the connection owns it now
                        return connection
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    if not candidates:
                        raise self._missing_reader_error(
                            [self.reader_name] if self.reader_name else [], names
                        )
                    raise ReaderTimeoutError()
                pause = self._poll_interval
                if remaining is not None:
                    pause = min(pause, remaining)
                if cancel is not None:
                    cancel.wait(pause)
                else:
                    time.sleep(pause)
        finally:
            if context is not None:
                self._release(context)

    # Seams: a unit test overrides these to play readers coming and going without pcscd.
    def _establish(self) -> Any:
        return _establish_context()

    def _release(self, context: Any) -> None:
        _release_context(context)

    def _list_readers(self, context: Any) -> list[str]:
        return _list_readers(context)

    def _try_connect(self, context: Any, name: str) -> CardChannel | None:
        try:
            hresult, card, protocol = scard.SCardConnect(
                context,
                name,
                scard.SCARD_SHARE_SHARED,
                scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
            )
        except SmartcardException:
            return None
        if hresult == scard.SCARD_S_SUCCESS:
            return PcscConnection(context, card, int(protocol), name)
        if hresult in _NOT_YET:
            return None
        if hresult in _SERVICE_GONE:
            raise _service_error()
        raise _unexpected("connect", hresult)

    def _candidates(self, names: list[str]) -> list[str]:
        if self.reader_name:
            return [self.reader_name] if self.reader_name in names else []
        return names

    @staticmethod
    def _missing_reader_error(wanted: list[str], available: list[str]) -> NoReaderError:
        if not wanted:
            return NoReaderError()
        listed = ", ".join(available) if available else "なし / none"
        return NoReaderError(
            ja=f"設定されたカードリーダー「{wanted[0]}」が見つかりません。接続を確かめるか、"
            f"職員にお知らせください（接続中のリーダー: {listed}）。",
            en=f'The configured card reader "{wanted[0]}" is not connected. Check the cable, '
            f"or ask a staff member (readers found: {listed}).",
        )
