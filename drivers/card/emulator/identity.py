"""The identity file: who the emulated card belongs to, and how the card misbehaves.

A small TOML file so that IT staff can make a demo card without Python, and tests can state
the card they need in one line. Every key is checked, and a wrong one names the file and key.
"""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from drivers.card import apdu
from drivers.card.model import Sex

SAMPLE_IDENTITY = Path(__file__).with_name("sample_resident.toml")

APPLICATIONS = {
    "input_assistance": apdu.AID_INPUT_ASSISTANCE,
    "card_face": apdu.AID_CARD_FACE,
    "jpki": apdu.AID_JPKI,
}

# How a malformed basic-four record can be broken (key `malformed`).
MALFORMED = {
    "truncated": "the outer length claims more bytes than the file holds",
    "bad_inner_length": "the name's length runs past the end of the template",
    "missing_birth_date": "no DF 24 birth date",
    "bad_birth_date": "a birth date that is not a calendar date (19851399)",
    "bad_sex": "a sex code outside ISO 5218 as the card uses it",
    "wrong_template": "the outer tag is FF 21 instead of FF 20",
    "blank": "the file holds only FF padding",
}

# 3B F5 91 00 FF 91 81 71 FE 40 00 42 00 01 00 D1 D6: listed for the My Number card in
# pcsc-tools' smartcard_list.txt (T=1). The driver never looks at it; it is there so that
# pcscd and tools such as pcsc_scan see a believable card.
DEFAULT_ATR = bytes.fromhex("3BF59100FF918171FE400042000100D1D6")


class IdentityFileError(ValueError):
    """The identity file is missing, not TOML, or holds a wrong value."""


@dataclass(frozen=True)
class Identity:
    """A resident and their card's state. Personal fields stay out of repr()."""

    name: str = field(repr=False)
    address: str = field(repr=False)
    birth_date: datetime.date = field(repr=False)
    sex: Sex = field(repr=False)
    my_number: str = field(repr=False)
    pin: str = field(repr=False)
    tries_left: int = apdu.PIN_MAX_TRIES
    raw_name: bytes | None = field(default=None, repr=False)
    raw_address: bytes | None = field(default=None, repr=False)
    applications: tuple[str, ...] = tuple(APPLICATIONS)
    remove_at_apdu: int | None = None
    remove_after_apdu: int | None = None
    malformed: str | None = None
    atr: bytes = DEFAULT_ATR

    def __post_init__(self) -> None:
        _check(self)

    def with_(self, **changes: Any) -> Identity:
        """A copy with some values changed: how tests state the card they need."""
        return replace(self, **changes)

    @property
    def name_bytes(self) -> bytes:
        return self.raw_name if self.raw_name is not None else self.name.encode("utf-8")

    @property
    def address_bytes(self) -> bytes:
        return self.raw_address if self.raw_address is not None else self.address.encode("utf-8")


def _check(identity: Identity) -> None:
    if not apdu.is_well_formed_pin(identity.pin):
        raise IdentityFileError("pin: 4 half-width digits, e.g. \"1234\"")
    if not 0 <= identity.tries_left <= apdu.PIN_MAX_TRIES:
        raise IdentityFileError(f"tries_left: 0..{apdu.PIN_MAX_TRIES}")
    number = identity.my_number
    # The check digit is not checked here on purpose: a test needs a card with a bad one.
    if len(number) != 12 or not number.isascii() or not number.isdigit():
        raise IdentityFileError('my_number: 12 half-width digits, e.g. "123456789018"')
    unknown = [a for a in identity.applications if a not in APPLICATIONS]
    if unknown:
        raise IdentityFileError(f"applications: unknown {unknown}; known: {list(APPLICATIONS)}")
    for key in ("remove_at_apdu", "remove_after_apdu"):
        value = getattr(identity, key)
        if value is not None and value < 1:
            raise IdentityFileError(f"{key}: a count of APDUs, 1 for the first")
    if identity.malformed is not None and identity.malformed not in MALFORMED:
        raise IdentityFileError(f"malformed: one of {list(MALFORMED)}")


_KNOWN_KEYS = {f.name for f in fields(Identity)} - {"raw_name", "raw_address", "atr"} | {
    "raw_name_hex",
    "raw_address_hex",
    "atr_hex",
}


def load_identity(path: Path) -> Identity:
    """Read an identity file; every error names the file."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IdentityFileError(f"{path}: file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise IdentityFileError(f"{path}: not valid TOML ({exc})") from None
    try:
        return identity_from_mapping(raw)
    except IdentityFileError as exc:
        raise IdentityFileError(f"{path}: {exc}") from None


def identity_from_mapping(raw: dict[str, Any]) -> Identity:
    unknown = sorted(set(raw) - _KNOWN_KEYS)
    if unknown:
        raise IdentityFileError(f"unknown key(s) {unknown}; known: {sorted(_KNOWN_KEYS)}")
    try:
        return Identity(
            name=_text(raw, "name"),
            address=_text(raw, "address"),
            birth_date=_date(raw.get("birth_date")),
            sex=_sex(raw.get("sex")),
            my_number=_text(raw, "my_number"),
            pin=_text(raw, "pin"),
            tries_left=_int(raw, "tries_left", apdu.PIN_MAX_TRIES),
            raw_name=_hex(raw, "raw_name_hex"),
            raw_address=_hex(raw, "raw_address_hex"),
            applications=tuple(raw.get("applications", APPLICATIONS)),
            remove_at_apdu=_optional_int(raw, "remove_at_apdu"),
            remove_after_apdu=_optional_int(raw, "remove_after_apdu"),
            malformed=raw.get("malformed"),
            atr=_hex(raw, "atr_hex") or DEFAULT_ATR,
        )
    except (TypeError, ValueError) as exc:
        if isinstance(exc, IdentityFileError):
            raise
        raise IdentityFileError(str(exc)) from None


def _text(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str):
        raise IdentityFileError(f"{key}: a quoted string is required")
    return value


def _int(raw: dict[str, Any], key: str, default: int) -> int:
    value = raw.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise IdentityFileError(f"{key}: a whole number is required")
    return value


def _optional_int(raw: dict[str, Any], key: str) -> int | None:
    return None if key not in raw else _int(raw, key, 0)


def _hex(raw: dict[str, Any], key: str) -> bytes | None:
    if key not in raw:
        return None
    value = raw[key]
    try:
        return bytes.fromhex(str(value))
    except ValueError:
        raise IdentityFileError(f"{key}: hexadecimal bytes, e.g. \"e8a68b ff\"") from None


def _date(value: object) -> datetime.date:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise IdentityFileError("birth_date: a date such as 1985-04-01")


def _sex(value: object) -> Sex:
    if isinstance(value, str):
        try:
            return Sex(value)
        except ValueError:
            pass
    raise IdentityFileError('sex: "male", "female", "not_applicable" or "not_known"')
