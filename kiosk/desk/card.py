"""Reading the 12-digit number (個人番号) at the counter, and holding it for one printout only.

The My Number Act lets the number be collected only for the procedures it names, and never
copied beyond that (DESIGN.md, "The 12-digit number"). The kiosk never reads it; the desk reads
it from the card, with the resident present and entering the PIN, for a procedure whose form
says `my_number_required`, prints it on the official form and drops it. `MyNumber` is the
one object that holds it: its repr and str show stars (a stray log line or traceback shows
nothing), it refuses to be pickled or copied into JSON, and `forget()` drops the reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn, Protocol

from common.mynumber import is_valid_my_number
from drivers.card.errors import UnreadableDataError
from drivers.card.mynumber import MyNumberCard
from drivers.card.reader import CardReaders

MASK = "*" * 12


class MyNumberReader(Protocol):
    """The desk's card reader port: verify the PIN, read the number, nothing else."""

    def read_my_number(self, pin: str, *, allow_last_try: bool = False) -> str:
        """The check-digit-verified number; drivers.card errors (wrong_pin, no_card, ...)."""


@dataclass(frozen=True)
class PcscMyNumberReader:
    """The counter's reader over PC/SC: one connection per read, waiting for the card."""

    readers: CardReaders
    wait_s: float = 10.0

    def read_my_number(self, pin: str, *, allow_last_try: bool = False) -> str:
        with self.readers.wait_for_card(timeout=self.wait_s) as channel:
            card = MyNumberCard(channel)
            card.select()
            card.verify_pin(pin, allow_last_try=allow_last_try)
            return card.read_my_number()


class MyNumber:
    """The number, held from the card read to the rendered form, then forgotten."""

    __slots__ = ("_digits",)

    def __init__(self, digits: str) -> None:
        if not is_valid_my_number(digits):
            # The driver verifies the check digit already; a wrong one here is a misread.
            raise UnreadableDataError()
        self._digits = digits

    def reveal(self) -> str:
        """The digits, for the official form's boxes only."""
        if not self._digits:
            raise ValueError("the number was forgotten")
        return self._digits

    def forget(self) -> None:
        """Drop the reference (Python cannot overwrite a str; the rest is the collector's)."""
        self._digits = ""

    @property
    def forgotten(self) -> bool:
        return not self._digits

    def __repr__(self) -> str:
        return f"MyNumber({MASK})"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __reduce__(self) -> NoReturn:
        raise TypeError("the My Number is never serialised")
