"""Answers in format 2: each value in the smallest CBOR its field's type allows, losslessly.

The rules (docs/slip-format.md, "Format 2", "Answers"):

    choice        index in the field's `choices`            multi_choice  array of indexes
    applicant     index in the form's `applicants`          yes_no        true / false
    date          days since 2000-01-01 (ISO text only)     integer/copies  the integer
    postal_code   NNN-NNNN as the integer NNNNNNN            group         array of maps
    other text    UTF-8 text, or packed text (jtext.py) in bytes when shorter
    None          null, whatever the type

A value that does not fit its field's rule (a choice value the definition does not offer, a
date that is not ISO text, a key the form does not have) is not squeezed: it travels as it is,
under its own text key, so the desk always gets back exactly what the kiosk had. The encoder
checks each compact value by decoding it again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeGuard

from forms.field_types import FieldType
from forms.model import FormField
from printouts.payload import jtext
from printouts.payload.errors import DamagedError
from printouts.payload.model import JsonValue
from printouts.payload.schema import FormIndex, Scope

EPOCH: Final = dt.date(2000, 1, 1)
_MAX_DAYS = 3_000_000  # beyond year 9999 either way: never a date
_POSTAL = re.compile(r"[0-9]{3}-[0-9]{4}")
_INT_MIN, _INT_MAX = -(2**63), 2**64 - 1


class _Unfit:
    """The value does not fit its field's compact form: carry it as it is."""


UNFIT: Final = _Unfit()
Packed = Any  # a CBOR-ready value


def _is_int(value: object) -> TypeGuard[int]:
    """A CBOR integer within 64 bits (a bool is an int to Python, never to the format)."""
    return isinstance(value, int) and not isinstance(value, bool) and _INT_MIN <= value <= _INT_MAX


def pack_text(text: str) -> str | bytes:
    """UTF-8 text, or packed text (jtext.py) when that is shorter: Japanese, mostly."""
    packed = jtext.pack(text)
    return packed if len(packed) < len(text.encode("utf-8")) else text


def unpack_text(data: object) -> str:
    if isinstance(data, str):
        return data
    if isinstance(data, bytes):
        return jtext.unpack(data)
    raise DamagedError("a text answer is not text")


def _options(index: FormIndex, field: FormField) -> list[str]:
    if field.kind.names_applicant:
        return [a.kind for a in index.form.applicants]
    return [c.value for c in field.choices or ()]


def _kind(field: FormField) -> str:
    """Which rule of the module docstring's table the field's answers follow (the first that
    fits: yes_no and applicant are choices too)."""
    return next((rule for rule, fits in _RULES if fits(field.kind)), "none")


_RULES: tuple[tuple[str, Callable[[FieldType], bool]], ...] = (
    ("group", lambda k: k.repeats),
    ("yes_no", lambda k: k.is_yes_no),
    ("multi", lambda k: k.is_choice and k.multiple),
    ("choice", lambda k: k.is_choice),
    ("date", lambda k: k.is_date),
    ("number", lambda k: k.is_number),
    ("postal", lambda k: k.fills_address),
    ("text", lambda k: k.single_answer),
)


def pack_value(index: FormIndex, position: int, value: object) -> Packed:
    """The compact form of `value` for the field at `position`, or UNFIT."""
    if value is None:
        return None
    field = index.field_at(position)
    rule = _kind(field)
    if rule in ("choice", "multi"):
        return _pack_options(_options(index, field), value, multiple=rule == "multi")
    packer = _PACKERS.get(rule)
    if packer is not None:
        return packer(value)
    if rule == "group":
        return _pack_group(index, position, value)
    return UNFIT


def _pack_options(options: list[str], value: object, *, multiple: bool) -> Packed:
    if not multiple:
        return options.index(value) if isinstance(value, str) and value in options else UNFIT
    if isinstance(value, list) and all(isinstance(v, str) and v in options for v in value):
        return [options.index(v) for v in value]
    return UNFIT


def _pack_postal(value: object) -> Packed:
    if isinstance(value, str) and _POSTAL.fullmatch(value):
        return int(value.replace("-", ""))
    return _pack_text(value)


def _pack_text(value: object) -> Packed:
    return pack_text(value) if isinstance(value, str) else UNFIT


def _pack_date(value: object) -> Packed:
    if not isinstance(value, str):
        return UNFIT
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return UNFIT
    # fromisoformat also takes 20250401: only text that reads back the same is a day number.
    return (day - EPOCH).days if day.isoformat() == value else UNFIT


def _pack_group(index: FormIndex, position: int, value: object) -> Packed:
    scope = index.group_scope(position)
    if scope is None or not isinstance(value, list):
        return UNFIT
    if not all(isinstance(item, Mapping) for item in value):
        return UNFIT
    return [pack_answers(index, scope, item) for item in value]


def pack_answers(index: FormIndex, scope: Scope, answers: Mapping[str, Any]) -> dict[Any, Any]:
    """position -> compact value; key -> value as it is for whatever does not fit."""
    out: dict[Any, Any] = {}
    for key, value in answers.items():
        position = scope.by_id.get(key)
        if position is not None:
            packed = pack_value(index, position, value)
            if packed is not UNFIT:
                out[position] = packed
                continue
        out[key] = value
    return out


# --- decoding ---------------------------------------------------------------------------------


def unpack_value(index: FormIndex, position: int, data: object) -> JsonValue:
    """The answer `data` stands for at `position`; DamagedError for anything the encoder could
    not have written there."""
    if data is None:
        return None
    field = index.field_at(position)
    rule = _kind(field)
    if rule == "choice":
        return _option(_options(index, field), data)
    if rule == "multi" and isinstance(data, list):
        return [_option(_options(index, field), item) for item in data]
    if rule == "group":
        return _unpack_group(index, position, data)
    unpacker = _UNPACKERS.get(rule)
    if unpacker is None:
        raise DamagedError(f"answer at position {position} has the wrong type")
    return unpacker(data)


def _unpack_yes_no(data: object) -> JsonValue:
    if isinstance(data, bool):
        return data
    raise DamagedError("a yes/no answer is not true or false")


def _unpack_number(data: object) -> JsonValue:
    if _is_int(data):
        return data
    raise DamagedError("a number answer is not an integer")


def _unpack_postal(data: object) -> JsonValue:
    if _is_int(data) and 0 <= data <= 9_999_999:
        digits = f"{data:07d}"
        return f"{digits[:3]}-{digits[3:]}"
    return unpack_text(data)


def _option(options: list[str], data: object) -> str:
    if _is_int(data) and 0 <= data < len(options):
        return options[data]
    raise DamagedError("an option index is out of range")


def _unpack_date(data: object) -> str:
    if not _is_int(data) or not -_MAX_DAYS <= data <= _MAX_DAYS:
        raise DamagedError("a date is not a day number")
    try:
        return (EPOCH + dt.timedelta(days=data)).isoformat()
    except OverflowError:
        raise DamagedError("a date is out of range") from None


def _unpack_group(index: FormIndex, position: int, data: object) -> list[JsonValue]:
    scope = index.group_scope(position)
    if scope is None or not isinstance(data, list):
        raise DamagedError("a group is not an array of items")
    return [unpack_answers(index, scope, item) for item in data]


def unpack_answers(index: FormIndex, scope: Scope, data: object) -> dict[str, JsonValue]:
    """A map of format 2 answers back to field id -> value."""
    if not isinstance(data, dict):
        raise DamagedError("answers are not a map")
    out: dict[str, JsonValue] = {}
    for key, value in data.items():
        if _is_int(key):
            if key not in scope.positions:
                raise DamagedError(f"no question at position {key} here")
            name = index.field_at(key).id
            answer = unpack_value(index, key, value)
        elif isinstance(key, str):
            name, answer = key, value  # carried as it is; the model checks it
        else:
            raise DamagedError("an answer key is neither a position nor text")
        if name in out:
            raise DamagedError("an answer is given twice")
        out[name] = answer
    return out


_PACKERS: dict[str, Callable[[object], Packed]] = {
    "yes_no": lambda v: v if isinstance(v, bool) else UNFIT,
    "date": _pack_date,
    "number": lambda v: v if _is_int(v) else UNFIT,
    "postal": _pack_postal,
    "text": _pack_text,
}
_UNPACKERS: dict[str, Callable[[object], JsonValue]] = {
    "yes_no": _unpack_yes_no,
    "date": _unpack_date,
    "number": _unpack_number,
    "postal": _unpack_postal,
    "text": unpack_text,
}
