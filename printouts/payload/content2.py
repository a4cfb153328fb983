"""Format 2's content: the application by the form definitions both ends hold.

    content    = slip_id (12) || body
    body       = CBOR(top), or raw deflate (RFC 1951) of it with format 2's preset dictionary;
                 the header's coding nibble says which (the shorter is written)
    top        = [issued_at, ticket, procedures]
               | [issued_at, ticket, procedures, counter, route_0, route_1, ...]
    procedure  = [form_id, form_version, digest, answers] | [... , answers, flags]

The kiosk id is not carried: the desk takes it from the trust list entry of the key that signed.
Byte by byte in docs/slip-format.md, "Format 2". Nothing is decoded until every procedure's
form definition is found and matches (FormDefinitionDiffersError), so a desk never shows part
of a slip.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from typing import Any, Final

import cbor2

from printouts.payload.content import bounded_inflate, issued_at_from
from printouts.payload.dictionary2 import preset_dictionary_2
from printouts.payload.errors import (
    DamagedError,
    FormDefinitionDiffersError,
    InvalidApplicationError,
)
from printouts.payload.marks import pack_flags, unpack_flags
from printouts.payload.model import SLIP_ID_BYTES, Application, ProcedureEntry
from printouts.payload.schema import DIGEST_BYTES, FormIndex, FormSource, find_form, index_form
from printouts.payload.values import pack_answers, unpack_answers

# The shipped forms' ids and the default counters' ids when format 2 was made: one of them
# travels as its index here, any other id as text. Part of format 2: never reordered.
KNOWN_FORMS: Final = (
    "juminhyo", "juminhyo_kisai", "koseki_shomei", "inkan_shomei", "inkan_toroku",
    "shotoku_kazei", "tennyu", "tenshutsu", "tenkyo", "kokuho", "jidou_teate",
    "mynumber_card_address", "sosaihi",
)
KNOWN_COUNTERS: Final = ("resident", "family_register", "tax", "insurance", "child", "mynumber")

CODING_CBOR = 0  # the body is the CBOR as it is
CODING_DEFLATE = 1  # the body is raw deflate with format 2's dictionary
CODINGS = frozenset({CODING_CBOR, CODING_DEFLATE})
_CBOR_ERRORS = (cbor2.CBORError, ValueError, TypeError, RecursionError, OverflowError, MemoryError)


def _index_for(forms: FormSource | None, entry: ProcedureEntry) -> FormIndex | None:
    form = find_form(forms, entry.form_id, entry.form_version)
    return None if form is None else index_form(form)


def _pack_procedure(forms: FormSource, entry: ProcedureEntry) -> list[Any]:
    index = _index_for(forms, entry)
    if index is None:
        raise InvalidApplicationError(
            f"form {entry.form_id} version {entry.form_version} is not among the forms given")
    packed: list[Any] = [_code(KNOWN_FORMS, entry.form_id), entry.form_version, index.digest,
              pack_answers(index, index.top, entry.answers)]
    if entry.flags:
        packed.append(pack_flags(index, entry.flags))
    return packed


def _code(known: tuple[str, ...], name: str) -> int | str:
    return known.index(name) if name in known else name


def _name(known: tuple[str, ...], code: object) -> Any:
    """The id a code stands for; anything but a known index is left for the model to check."""
    if isinstance(code, int) and not isinstance(code, bool):
        if not 0 <= code < len(known):
            raise DamagedError("an id's index is out of range")
        return known[code]
    return code


def to_cbor_2(app: Application, forms: FormSource) -> bytes:
    top: list[Any] = [int(app.issued_at.timestamp()), app.ticket,
                      [_pack_procedure(forms, p) for p in app.procedures]]
    if app.route:
        top += [app.route.index(app.counter or ""), *(_code(KNOWN_COUNTERS, c) for c in app.route)]
    try:
        return cbor2.dumps(top, canonical=True)
    except _CBOR_ERRORS as exc:  # the model rules these out
        raise InvalidApplicationError(f"cannot encode as CBOR: {type(exc).__name__}") from None


def deflate_2(cbor: bytes) -> bytes:
    """Raw deflate at level 9 from format 2's dictionary: no zlib header, dictionary id or
    checksum (10 bytes), since the signature already covers every byte."""
    compressor = zlib.compressobj(
        9, zlib.DEFLATED, -zlib.MAX_WBITS, 9, zlib.Z_DEFAULT_STRATEGY, preset_dictionary_2()
    )
    return compressor.compress(cbor) + compressor.flush()


def pack_2(app: Application, forms: FormSource) -> tuple[int, bytes]:
    """(coding, content): deflated or not, whichever is shorter."""
    cbor = to_cbor_2(app, forms)
    deflated = deflate_2(cbor)
    if len(deflated) < len(cbor):
        return CODING_DEFLATE, app.slip_id + deflated
    return CODING_CBOR, app.slip_id + cbor


# --- decoding ---------------------------------------------------------------------------------


def inflate_2(body: bytes) -> bytes:
    return bounded_inflate(zlib.decompressobj(-zlib.MAX_WBITS, zdict=preset_dictionary_2()),
                           body, "a deflate stream")


def unpack_2(
    coding: int, content: bytes, forms: FormSource | None, *, office_code: str, kiosk_id: str
) -> Application:
    """content -> Application. FormDefinitionDiffersError before anything else is read if a
    procedure's form is missing or differs; DamagedError for any other deviation."""
    if coding not in CODINGS or len(content) <= SLIP_ID_BYTES:
        raise DamagedError("content is too short or its coding unknown")
    body = content[SLIP_ID_BYTES:]
    cbor = inflate_2(body) if coding == CODING_DEFLATE else body
    try:
        top = cbor2.loads(cbor)
    except _CBOR_ERRORS:
        raise DamagedError("content is not valid CBOR") from None
    if not isinstance(top, list) or len(top) < 3 or len(top) == 4:
        raise DamagedError("content is not the array of format 2")
    procedures = top[2]
    if not isinstance(procedures, list) or not procedures:
        raise DamagedError("procedures is not an array")
    indexes = [_checked_index(forms, item) for item in procedures]
    try:
        return Application(
            office_code=office_code,
            kiosk_id=kiosk_id,
            issued_at=issued_at_from(top[0]),
            ticket=top[1],
            procedures=tuple(_procedure(i, p) for i, p in zip(indexes, procedures, strict=True)),
            slip_id=content[:SLIP_ID_BYTES],
            counter=_counter(top[3:]),
            route=[_name(KNOWN_COUNTERS, c) for c in top[4:]],
        )
    except InvalidApplicationError as exc:
        raise DamagedError(f"content breaks the model: {exc.detail}") from None


def _counter(tail: Sequence[object]) -> str | None:
    if not tail:
        return None
    position, route = tail[0], tail[1:]
    if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position < len(route):
        raise DamagedError("the code's counter is not one of the route's")
    counter = _name(KNOWN_COUNTERS, route[position])
    if not isinstance(counter, str):
        raise DamagedError("a counter id is not text")
    return counter


def _checked_index(forms: FormSource | None, item: object) -> FormIndex:
    """The desk's definition of a procedure's form, refused unless it is the kiosk's."""
    if not isinstance(item, list) or len(item) not in (4, 5):
        raise DamagedError("a procedure is not a 4- or 5-element array")
    form_id, version, digest = _name(KNOWN_FORMS, item[0]), item[1], item[2]
    try:
        entry = ProcedureEntry(form_id=form_id, form_version=version)
    except InvalidApplicationError:
        raise DamagedError("a procedure's form id or version is malformed") from None
    if not isinstance(digest, bytes) or len(digest) != DIGEST_BYTES:
        raise DamagedError("a procedure's form digest is malformed")
    index = _index_for(forms, entry)
    if index is None or index.digest != digest:
        raise FormDefinitionDiffersError.of(
            entry.form_id, entry.form_version, desk_version=_desk_version(forms, entry.form_id))
    return index


def _desk_version(forms: FormSource | None, form_id: str) -> int | None:
    """The version the desk holds of a form, for the refusal's words: a Mapping's one form;
    a function is asked by version only, so the desk words its own (kiosk/desk/service.py)."""
    found = forms.get(form_id) if isinstance(forms, Mapping) else None
    return found.version if found is not None else None


def _procedure(index: FormIndex, item: list[Any]) -> ProcedureEntry:
    flags = item[4] if len(item) == 5 else []
    if len(item) == 5 and not flags:
        raise DamagedError("an empty flags array is left out, never written")
    return ProcedureEntry(
        form_id=_name(KNOWN_FORMS, item[0]),
        form_version=item[1],
        answers=unpack_answers(index, index.top, item[3]),
        flags=unpack_flags(index, flags),
    )
