"""The application as CBOR (RFC 8949): small integer keys, arrays where the order is fixed.

The layout is documented key by key in docs/slip-format.md, section "Content". The office code
is not here: it travels in the clear header, where the desk can check it before opening the seal
and where it is bound by both the seal and the signature.
"""

from __future__ import annotations

import zlib
from datetime import datetime
from typing import Any

import cbor2

from printouts.payload.dictionary import preset_dictionary
from printouts.payload.errors import DamagedError, InvalidApplicationError
from printouts.payload.model import JST, Application, ProcedureEntry

# Top-level map keys (docs/slip-format.md, "Content").
KEY_SLIP_ID = 1
KEY_KIOSK_ID = 2
KEY_ISSUED_AT = 3
KEY_TICKET = 4
KEY_PROCEDURES = 5
_KEYS = {KEY_SLIP_ID, KEY_KIOSK_ID, KEY_ISSUED_AT, KEY_TICKET, KEY_PROCEDURES}

# A large application is about 5 KB of CBOR; anything that inflates past this is not one of ours
# and is refused before it can fill memory.
MAX_CONTENT_BYTES = 64 * 1024
_LATEST_SECOND = 253402300799  # 9999-12-31T23:59:59Z, the last second datetime can hold


def _to_cbor_value(app: Application) -> dict[int, Any]:
    return {
        KEY_SLIP_ID: app.slip_id,
        KEY_KIOSK_ID: app.kiosk_id,
        KEY_ISSUED_AT: int(app.issued_at.timestamp()),
        KEY_TICKET: app.ticket,
        KEY_PROCEDURES: [
            [p.form_id, p.form_version, dict(p.answers), {k: list(v) for k, v in p.flags.items()}]
            for p in app.procedures
        ],
    }


def to_cbor(app: Application) -> bytes:
    """Deterministic CBOR (RFC 8949 §4.2.1 core deterministic encoding).

    Deterministic so that the same application always gives the same bytes, which the test
    vector relies on.
    """
    try:
        return cbor2.dumps(_to_cbor_value(app), canonical=True)
    except (cbor2.CBORError, ValueError, TypeError) as exc:  # the model rules these out
        raise InvalidApplicationError(f"cannot encode as CBOR: {type(exc).__name__}") from None


def deflate(cbor: bytes) -> bytes:
    """zlib (RFC 1950) at level 9 with the format's preset dictionary: every byte saved is a
    smaller QR code."""
    compressor = zlib.compressobj(
        9, zlib.DEFLATED, zlib.MAX_WBITS, 9, zlib.Z_DEFAULT_STRATEGY, preset_dictionary()
    )
    return compressor.compress(cbor) + compressor.flush()


def pack(app: Application) -> bytes:
    """The content of a slip: CBOR, then zlib."""
    return deflate(to_cbor(app))


def inflate(body: bytes) -> bytes:
    """zlib -> CBOR bytes, refusing truncated streams, trailing bytes and oversized content."""
    return bounded_inflate(zlib.decompressobj(zlib.MAX_WBITS, zdict=preset_dictionary()), body,
                           "a zlib stream")


def bounded_inflate(inflater: Any, body: bytes, stream: str) -> bytes:
    """What `inflater` makes of `body`: at most MAX_CONTENT_BYTES, the stream whole and alone
    (truncated, oversized or trailing bytes are `damaged`). Both formats' one way to inflate."""
    try:
        cbor: bytes = inflater.decompress(body, MAX_CONTENT_BYTES)
    except zlib.error:
        raise DamagedError(f"content is not {stream}") from None
    if inflater.unconsumed_tail or not inflater.eof or inflater.unused_data:
        raise DamagedError("content is truncated, oversized or has trailing bytes")
    return cbor


def unpack(cbor: bytes, *, office_code: str) -> Application:
    """CBOR -> Application; any deviation from the documented layout is `damaged`."""
    try:
        value = cbor2.loads(cbor)
    except (cbor2.CBORError, ValueError, TypeError, RecursionError, OverflowError):
        raise DamagedError("content is not valid CBOR") from None
    if not isinstance(value, dict) or set(value) != _KEYS:
        raise DamagedError("content map has the wrong keys")
    issued_at = issued_at_from(value[KEY_ISSUED_AT])
    procedures = value[KEY_PROCEDURES]
    if not isinstance(procedures, list):
        raise DamagedError("procedures is not an array")
    try:
        return Application(
            office_code=office_code,
            kiosk_id=value[KEY_KIOSK_ID],
            issued_at=issued_at,
            ticket=value[KEY_TICKET],
            procedures=tuple(_procedure(item) for item in procedures),
            slip_id=value[KEY_SLIP_ID],
        )
    except InvalidApplicationError as exc:
        raise DamagedError(f"content breaks the model: {exc.detail}") from None


def issued_at_from(issued: object) -> datetime:
    """Seconds since 1970 (UTC) as a time in JST. The last seconds of 9999 UTC are already
    year 10000 in JST, which datetime cannot hold (OverflowError): that is `damaged` too."""
    if isinstance(issued, bool) or not isinstance(issued, int) or not 0 <= issued <= _LATEST_SECOND:
        raise DamagedError("issued_at is not a time")
    try:
        return datetime.fromtimestamp(issued, JST)
    except (OverflowError, ValueError, OSError):
        raise DamagedError("issued_at is not a time") from None


def _procedure(item: object) -> ProcedureEntry:
    if not isinstance(item, list) or len(item) != 4:
        raise DamagedError("a procedure is not a 4-element array")
    form_id, form_version, answers, flags = item
    # ProcedureEntry validates every type (the dataclass annotations are not enforced by Python).
    return ProcedureEntry(form_id=form_id, form_version=form_version, answers=answers, flags=flags)
