"""Who the resident is: from the card's basic four items, or typed in by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Sex = Literal["male", "female", "not_applicable"]


@dataclass(frozen=True)
class Identity:
    name: str
    address: str
    birth_date: dt.date
    sex: Sex
    source: Literal["card", "manual", "staff"]
    # Items the card could not decode (external characters): the clerk checks them.
    undecodable: tuple[str, ...] = field(default=())

    def as_card_values(self) -> dict[str, object]:
        """The values the `card.*` bindings of a form take (never the 12-digit number)."""
        return {"name": self.name, "address": self.address, "birth_date": self.birth_date,
                "sex": self.sex}
