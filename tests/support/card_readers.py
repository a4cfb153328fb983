"""A card channel that answers every command with 90 00, for driving the reader's wait loop
through its PC/SC seams without pcscd (the driver's tests and bench.card_wait)."""

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
