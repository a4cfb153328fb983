"""A card channel that answers every command with 90 00, without pcscd: the driver's wait tests
and bench.card_wait drive the reader's loop with it; test_card_records puts the emulated chip
behind it."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from drivers.card.apdu import Response


class FakeChannel:
    def __init__(self, reader_name: str) -> None:
        self.reader_name = reader_name

    def transmit(self, command: bytes) -> Response:
        return Response(b"", 0x9000)

    def close(self) -> None:
        pass

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        pass
