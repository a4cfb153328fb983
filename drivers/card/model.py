"""What the driver hands up: typed, frozen values with no card or reader attached.

Personal fields are left out of repr() so that a value printed into a log or a traceback
shows its shape, not the resident.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field


class Sex(enum.StrEnum):
    """ISO/IEC 5218 as the card stores it ("1", "2", "9", and "0" which JIS X 0303 also
    defines); a StrEnum so it compares equal to the plain words forms use."""

    MALE = "male"
    FEMALE = "female"
    NOT_APPLICABLE = "not_applicable"
    # "0": recorded as not known. No source says a card carries it, but the code table allows
    # it, so it is read (and flagged for the clerk) rather than failing the whole card.
    NOT_KNOWN = "not_known"

    @classmethod
    def from_iso5218(cls, code: str) -> Sex:
        try:
            return _ISO5218[code]
        except KeyError:
            raise ValueError(f"not an ISO 5218 sex code the card uses: {code!r}") from None

    @property
    def iso5218(self) -> str:
        return {v: k for k, v in _ISO5218.items()}[self]


_ISO5218 = {"0": Sex.NOT_KNOWN, "1": Sex.MALE, "2": Sex.FEMALE, "9": Sex.NOT_APPLICABLE}

# What `BasicFour.flags` may hold: the card.* item the clerk must check, by its binding name.
FLAG_NAME = "name"
FLAG_ADDRESS = "address"
FLAG_SEX = "sex"


@dataclass(frozen=True, slots=True)
class BasicFour:
    """The basic four items (基本4情報) of the input-assistance AP.

    `flags` names the items the clerk must check instead of the read failing the resident:
    a name or address that did not decode cleanly (not UTF-8, or holding U+FFFD) is shown
    with U+FFFD where the bytes failed and its `raw_*` bytes are kept, to be checked against
    the card face; a sex recorded as not known (`Sex.NOT_KNOWN`) is asked of the resident.
    """

    name: str = field(repr=False)
    address: str = field(repr=False)
    birth_date: datetime.date = field(repr=False)
    sex: Sex = field(repr=False)
    flags: tuple[str, ...] = ()
    raw_name: bytes = field(default=b"", repr=False)
    raw_address: bytes = field(default=b"", repr=False)

    @property
    def needs_clerk(self) -> bool:
        return bool(self.flags)


def decode_card_text(raw: bytes) -> tuple[str, bool]:
    """Decode a name or address; the bool says whether it decoded cleanly.

    No normalisation (NFC/NFKC) is applied: NFC already turns compatibility ideographs such
    as 塚 (U+FA10) into their unified form (U+585A), and a registered name may rely on them.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace"), False
    return text, "\ufffd" not in text
