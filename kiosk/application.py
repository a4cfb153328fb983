"""The application record: what a resident hands over, as the kiosk, the store and the desk see it.

One home for the record so that the store, the desk and the exports do not reach into the
resident session's ports for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class ProcedureAnswers:
    form_id: str
    form_version: int
    values: dict[str, Any]
    # path -> marks for the clerk: "from_card", "corrected", "undecodable", "manual"
    flags: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Submission:
    """What the kiosk hands over: stored first, then printed on the slip."""

    procedures: tuple[ProcedureAnswers, ...]
    identity_source: Literal["card", "manual", "staff"]
    staff_assisted: bool
    lang: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Receipt:
    ticket: str
    counter: str  # where to go first: the key of the first procedure's counter
    printed: bool
    print_error: str | None = None
    then: tuple[str, ...] = ()  # the other procedures' counters, in order
