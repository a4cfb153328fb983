"""The marks on an answer (flag codes), as every layer reads them: one list of codes.

The kiosk sets them, the store and the slip's code carry them, the desk words them and the
official form prints them; a code added here without words or a printed mark fails a test
(tests/common/test_flags.py, tests/printouts/test_official_form.py) instead of reaching the
clerk as a bare code. Marks travel as plain strings (`ProcedureAnswers.flags`), so a code
this build does not know still arrives and is shown as something to check.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any


class FlagCode(StrEnum):
    """Marks on an answer, keyed by its path in `ProcedureAnswers.flags`. The kiosk sets the
    first four and the last; the desk adds the others while it words the answers."""

    FROM_CARD = "from_card"
    CORRECTED = "corrected"  # the resident changed what the card said
    UNDECODABLE = "undecodable"  # a character the card could not give
    MANUAL = "manual"  # typed in, no card
    WARNING = "warning"  # one of the form's warning rules does not hold (a late notification)
    INVALID = "invalid"  # an answer the form cannot word
    NOT_IN_FORM = "not_in_form"
    # The card records the sex as not known (ISO 5218 "0"): the resident was asked at the kiosk.
    SEX_NOT_KNOWN = "sex_not_known"


# Marks a clerk reads as facts, not as things to check against the register.
INFO_FLAGS: frozenset[str] = frozenset({FlagCode.FROM_CARD})

# The clerk's words for each mark (ja, en). A warning is worded by the form's own rule instead.
FLAG_WORDS: Mapping[str, tuple[str, str]] = {
    FlagCode.FROM_CARD: ("カードから", "from the card"),
    FlagCode.CORRECTED: ("本人が修正", "corrected by the resident"),
    FlagCode.UNDECODABLE: ("カードの文字を読めず", "card text not decodable"),
    FlagCode.MANUAL: ("手入力", "entered by hand"),
    FlagCode.INVALID: ("形式が不正", "invalid value"),
    FlagCode.NOT_IN_FORM: ("様式にない項目", "not in the form"),
    FlagCode.SEX_NOT_KNOWN: ("性別が不明（ご本人に確認）",
                             "Sex not recorded on the card: ask the resident"),
}
UNKNOWN_FLAG_JA = "要確認"  # a code this build does not know: the clerk checks it


def needs_check(code: str) -> bool:
    """Whether the clerk compares the answer with the register (any code not a plain fact,
    one this build does not know included)."""
    return code not in INFO_FLAGS


# What the card said, kept beside a `corrected` mark so the clerk compares the two: one more
# entry in the path's marks, this prefix and the card's value as JSON. The flags are the one
# record that travels everywhere the answers do (sealed in the store, sealed in the slip's code),
# so an application that reaches the desk on its slip alone still carries it.
CARD_VALUE_MARK = "card_value:"


def card_value_mark(value: object) -> str:
    """The mark that keeps the card's value of a corrected answer (a date as ISO text)."""
    return CARD_VALUE_MARK + json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                                        default=_iso)


def is_card_value_mark(mark: str) -> bool:
    return mark.startswith(CARD_VALUE_MARK)


def _iso(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def split_marks(marks: Sequence[str]) -> tuple[list[str], tuple[Any] | None]:
    """The flag codes of one path, and the card's value if a mark keeps it (in a 1-tuple, so a
    card value of None is told from none kept); an unreadable value is dropped, not shown."""
    codes: list[str] = []
    card: tuple[Any] | None = None
    for mark in marks:
        if not is_card_value_mark(mark):
            codes.append(mark)
            continue
        try:
            card = (json.loads(mark.removeprefix(CARD_VALUE_MARK)),)
        except ValueError:
            continue
    return codes, card
