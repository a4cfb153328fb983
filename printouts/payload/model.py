"""The application as the slip carries it: one typed value at the codec's boundary.

The kiosk builds an `Application` and the desk gets one back; neither side handles the CBOR.
Construction validates and copies, so a value that exists is one the codec can carry, and the
decoder can reuse the same checks on what it reads (a malformed slip fails them as `damaged`).
Errors name the field (``procedures[0].answers.name``), never its value: values are personal data.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, TypeAlias

from printouts.payload.errors import InvalidApplicationError

# JSON-like answer values. No floats (amounts are yen in integers, dates are ISO strings) and no
# bytes, so that every answer means the same to the kiosk, the desk and an export.
JsonValue: TypeAlias = str | int | bool | list["JsonValue"] | dict[str, "JsonValue"] | None

# Japan has one time zone and no daylight saving; the decoder hands times back in it.
JST = timezone(timedelta(hours=9), "JST")

SLIP_ID_BYTES = 12
MAX_DEPTH = 8  # answers nest for repeatable groups (family members); eight levels is plenty
_INT_MIN, _INT_MAX = -(2**63), 2**64 - 1  # CBOR major types 0 and 1 without bignum tags
_KIOSK_ID = re.compile(r"[A-Z0-9]{1,8}")  # same rule as kiosk.toml's kiosk_id
_TICKET = re.compile(r"[A-Z0-9](?:[A-Z0-9-]{0,14}[A-Z0-9])?")  # "A-023", "123", "FAM-7"
_OFFICE = re.compile(r"[0-9]{6}")  # 全国地方公共団体コード; its check digit is the config's job
_FORM_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}")
_COUNTER = re.compile(r"[a-z][a-z0-9_]{0,39}")  # a key of [counters] in kiosk.toml


def new_slip_id() -> bytes:
    """A fresh random slip id: the desk's key for spotting a slip scanned twice."""
    return secrets.token_bytes(SLIP_ID_BYTES)


def _refuse(path: str, problem: str) -> InvalidApplicationError:
    return InvalidApplicationError(f"{path}: {problem}")


def _check_text(value: str, path: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _refuse(path, "text holds a lone surrogate, not valid Unicode") from None
    return value


def _checked(value: object, path: str, depth: int = 0) -> JsonValue:
    """A validated copy of one answer value; the copy keeps the frozen value from changing later."""
    if depth > MAX_DEPTH:
        raise _refuse(path, f"nested deeper than {MAX_DEPTH} levels")
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if not _INT_MIN <= value <= _INT_MAX:
            raise _refuse(path, "integer out of the 64-bit range")
        return value
    if isinstance(value, str):
        return _check_text(value, path)
    if isinstance(value, list):
        return [_checked(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value)]
    if isinstance(value, dict):
        return _checked_map(value, path, depth + 1)
    allowed = "str, int, bool, None, list, dict"
    raise _refuse(path, f"{type(value).__name__} is not allowed (only {allowed})")


def _checked_map(value: Mapping[Any, object], path: str, depth: int) -> dict[str, JsonValue]:
    copy: dict[str, JsonValue] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not key:
            raise _refuse(path, "keys must be non-empty strings")
        copy[_check_text(key, path)] = _checked(item, f"{path}.{key}", depth)
    return copy


def _checked_flags(flags: Mapping[Any, object], path: str) -> dict[str, tuple[str, ...]]:
    copy: dict[str, tuple[str, ...]] = {}
    for key, words in flags.items():
        if not isinstance(key, str) or not key:
            raise _refuse(path, "keys must be non-empty strings")
        if isinstance(words, str) or not isinstance(words, Sequence):
            raise _refuse(f"{path}.{key}", "must be a list of strings")
        checked: list[str] = []
        for word in words:
            if not isinstance(word, str) or not word:
                raise _refuse(f"{path}.{key}", "must be a list of non-empty strings")
            checked.append(_check_text(word, f"{path}.{key}"))
        copy[_check_text(key, path)] = tuple(checked)
    return copy


@dataclass(frozen=True)
class ProcedureEntry:
    """One procedure of the application: which form (and which version of it) and the answers.

    `answers` maps field names to JSON-like values; a repeatable group (family members) is a list
    of dicts. `flags` marks fields for the clerk, e.g. ``{"name": ["corrected"]}`` when the
    resident changed a value read from the card. The form definition, found by `form_id` and
    `form_version`, gives the answers their meaning; the payload does not repeat it.
    """

    form_id: str
    form_version: int
    answers: Mapping[str, JsonValue] = field(default_factory=dict)
    flags: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.form_id, str) or not _FORM_ID.fullmatch(self.form_id):
            raise _refuse("form_id", "1-64 characters: letters, digits and _ . : / -")
        version = self.form_version
        if isinstance(version, bool) or not isinstance(version, int) or not 0 <= version < 2**32:
            raise _refuse("form_version", "must be an integer from 0 to 2**32 - 1")
        if not isinstance(self.answers, Mapping):
            raise _refuse("answers", "must be a dict")
        if not isinstance(self.flags, Mapping):
            raise _refuse("flags", "must be a dict of lists of strings")
        object.__setattr__(self, "answers", _checked_map(self.answers, "answers", 1))
        object.__setattr__(self, "flags", _checked_flags(self.flags, "flags"))


@dataclass(frozen=True)
class Application:
    """Everything the counter needs from one kiosk session, and nothing it must not get.

    `issued_at` is an aware time to the whole second (it travels as seconds since the epoch) and
    is kept in JST. `slip_id` is 12 random bytes: the desk records it to refuse a second scan of
    the same slip.
    """

    office_code: str
    kiosk_id: str
    issued_at: datetime
    ticket: str
    procedures: Sequence[ProcedureEntry]
    slip_id: bytes = field(default_factory=new_slip_id)
    # One code per counter (format 2): the counter this code's procedures are for, and every
    # counter the slip sends the resident to, in the order to visit. A format 1 slip has one
    # code for all its procedures: None and ().
    counter: str | None = None
    route: Sequence[str] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.office_code, str) or not _OFFICE.fullmatch(self.office_code):
            raise _refuse("office_code", "must be 6 ASCII digits (全国地方公共団体コード)")
        if not isinstance(self.kiosk_id, str) or not _KIOSK_ID.fullmatch(self.kiosk_id):
            raise _refuse("kiosk_id", "1-8 upper-case letters or digits")
        if not isinstance(self.ticket, str) or not _TICKET.fullmatch(self.ticket):
            raise _refuse("ticket", "1-16 upper-case letters, digits and inner hyphens, e.g. A-023")
        self._check_time()
        if not isinstance(self.slip_id, bytes) or len(self.slip_id) != SLIP_ID_BYTES:
            raise _refuse("slip_id", f"must be {SLIP_ID_BYTES} bytes (use new_slip_id())")
        procedures = tuple(self.procedures)
        if not procedures:
            raise _refuse("procedures", "at least one procedure")
        for i, entry in enumerate(procedures):
            if not isinstance(entry, ProcedureEntry):
                raise _refuse(f"procedures[{i}]", "must be a ProcedureEntry")
        object.__setattr__(self, "procedures", procedures)
        object.__setattr__(self, "issued_at", self.issued_at.astimezone(JST))
        self._check_route()

    def _check_route(self) -> None:
        route = tuple(self.route)
        if not all(isinstance(c, str) and _COUNTER.fullmatch(c) for c in route):
            raise _refuse("route", "counter ids: lower-case letters, digits and _")
        if len(set(route)) != len(route):
            raise _refuse("route", "each counter once")
        if self.counter is not None and self.counter not in route:
            raise _refuse("counter", "must be one of the route's counters")
        if self.counter is None and route:
            raise _refuse("counter", "a code with a route names its own counter")
        object.__setattr__(self, "route", route)

    def _check_time(self) -> None:
        when = self.issued_at
        if not isinstance(when, datetime) or when.utcoffset() is None:
            raise _refuse("issued_at", "must be an aware datetime (with a time zone)")
        if when.microsecond:
            raise _refuse("issued_at", "must be whole seconds: use .replace(microsecond=0)")
        if when.timestamp() < 0:
            raise _refuse("issued_at", "must be after 1970-01-01")
