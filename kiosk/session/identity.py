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
    # None: the card records it as not known (ISO 5218 "0"), so a form that needs it asks.
    sex: Sex | None
    source: Literal["card", "manual", "staff"]
    # Items the clerk checks: characters the card could not give, a sex it records as not known.
    undecodable: tuple[str, ...] = field(default=())

    def as_card_values(self) -> dict[str, object]:
        """The values the `card.*` bindings of a form take (never the 12-digit number)."""
        values: dict[str, object] = {"name": self.name, "address": self.address,
                                     "birth_date": self.birth_date}
        if self.sex is not None:
            values["sex"] = self.sex
        return values
