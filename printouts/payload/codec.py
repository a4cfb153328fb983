"""encode() and decode(): the slip envelope of docs/slip-format.md.

    text      = "KS1-" Base45(envelope)
    envelope  = header(20) || enc(32) || ChaCha20-Poly1305(signature(64) || content) || tag(16)
    header    = version(1) || office code, packed BCD(3) || counter key id(8) || kiosk key id(8)
    content   = zlib(CBOR(application))
    signature = Ed25519(kiosk key, "kiosk-slip/1 signature" || header || content)
    seal      = HPKE base mode to the counter key, info = "kiosk-slip/1 seal" || header

Sign, then seal: the signature says which kiosk made the slip and is itself hidden by the seal,
so a lost slip shows nothing but its printed text. The header stays in the clear because the
desk needs it before it can open anything (which key, which office), and is bound by both the
seal (HPKE info) and the signature, so changing any of its bytes is detected.

Decoding tries the scanned text as typed and then as undone keyboard-layout mix-ups (text.py);
every reading the seal opens is authentic, so trying several cannot accept altered data.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from common.mynumber import contains_my_number, mask_my_number
from printouts.payload import content, text
from printouts.payload.errors import (
    BadSignatureError,
    DamagedError,
    InvalidApplicationError,
    MyNumberInAnswersError,
    NotForThisCounterError,
    PayloadError,
    PayloadTooLargeError,
    UnknownKioskError,
    WrongOfficeError,
)
from printouts.payload.keys import DeskKeys, KioskKeys
from printouts.payload.model import Application
from printouts.payload.seal import ENC_BYTES, TAG_BYTES, SealError, open_sealed, seal

HEADER_BYTES = 20
SIGNATURE_BYTES = 64
SEAL_LABEL = b"kiosk-slip/1 seal"
SIGNATURE_LABEL = b"kiosk-slip/1 signature"
# The capacity of QR version 25 at error level M in alphanumeric mode (ISO/IEC 18004 Table 7):
# the largest code a 203-dpi printer draws at 3 dots a module on 58 mm paper.
QR_V25_M_CHARS = 1451
_MIN_ENVELOPE = HEADER_BYTES + ENC_BYTES + SIGNATURE_BYTES + TAG_BYTES


@dataclass(frozen=True)
class OpenedSlip:
    """A verified slip: the application and, for the desk's audit log, which keys vouched for it."""

    application: Application
    kiosk_key_id: bytes
    counter_key_id: bytes

    @property
    def slip_id(self) -> bytes:
        """The desk records it; a second scan of the same slip_id is a replay."""
        return self.application.slip_id


@dataclass(frozen=True)
class _Header:
    version: int
    office_code: str
    counter_key_id: bytes
    kiosk_key_id: bytes
    raw: bytes

    @classmethod
    def build(cls, office_code: str, counter_key_id: bytes, kiosk_key_id: bytes) -> _Header:
        bcd = bytes.fromhex(office_code)  # packed BCD is the digits read as hex: 99 99 97
        raw = bytes([text.FORMAT_VERSION]) + bcd + counter_key_id + kiosk_key_id
        return cls(text.FORMAT_VERSION, office_code, counter_key_id, kiosk_key_id, raw)

    @classmethod
    def parse(cls, envelope: bytes) -> _Header:
        raw = envelope[:HEADER_BYTES]
        office = raw[1:4].hex()
        if raw[0] != text.FORMAT_VERSION or not office.isdigit():
            raise DamagedError("header is not a format 1 header")
        return cls(raw[0], office, raw[4:12], raw[12:20], raw)


# --- encoding ---------------------------------------------------------------------------------


def encode(
    app: Application,
    keys: KioskKeys,
    *,
    forbidden_keys: Collection[str] = (),
    max_chars: int = QR_V25_M_CHARS,
    ephemeral_key: X25519PrivateKey | None = None,
) -> str:
    """The slip's QR text for an application, signed by the kiosk and sealed for the counter.

    Refuses (MyNumberInAnswersError) any string anywhere in the application that holds a 12-digit
    number with a valid My Number check digit, and any answer whose key is in `forbidden_keys`,
    at any depth: the kiosk passes the ids of its forms' `my_number` fields there, so such an
    answer is refused even when empty or mistyped. Refuses (PayloadTooLargeError) a text longer
    than `max_chars`, by default what QR version 25 at level M holds.

    `ephemeral_key` is for test vectors only: the seal needs a fresh key for every slip.
    """
    if (app.kiosk_id, app.office_code) != (keys.kiosk.kiosk_id, keys.kiosk.office_code):
        raise InvalidApplicationError(
            f"the application says kiosk {app.kiosk_id} of office {app.office_code}; these keys "
            f"belong to kiosk {keys.kiosk.kiosk_id} of office {keys.kiosk.office_code}"
        )
    _refuse_my_number(app, frozenset(forbidden_keys))
    body = content.pack(app)
    header = _Header.build(app.office_code, keys.counter.key_id, keys.kiosk.key_id)
    signature = keys.signing_key.sign(SIGNATURE_LABEL + header.raw + body)
    sealed = seal(
        signature + body,
        keys.counter.public_key,
        info=SEAL_LABEL + header.raw,
        ephemeral=ephemeral_key or X25519PrivateKey.generate(),
    )
    result = text.to_text(header.raw + sealed)
    if len(result) > max_chars:
        raise PayloadTooLargeError(f"{len(result)} characters, at most {max_chars} fit")
    return result


def _texts(value: object, path: str) -> Iterator[tuple[str, str, bool]]:
    """Every string under `value` as (path, text, is a key), keys included: a number typed as a
    repeatable group's key would slip past a scan of values only."""
    if isinstance(value, str):
        yield path, value, False
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _texts(item, f"{path}[{i}]")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield f"{path}.{key}", str(key), True
            yield from _texts(item, f"{path}.{key}")


def _refuse_my_number(app: Application, forbidden: frozenset[str]) -> None:
    """The encoder is the last gate before the number would be printed; the error names the
    field, never the value."""
    texts = [("ticket", app.ticket, False)]
    for i, proc in enumerate(app.procedures):
        texts.append((f"procedures[{i}].form_id", proc.form_id, False))
        texts.extend(_texts(proc.answers, f"procedures[{i}].answers"))
        texts.extend(_texts(proc.flags, f"procedures[{i}].flags"))
    for path, value, is_key in texts:
        if is_key and value in forbidden:
            raise MyNumberInAnswersError(f"{mask_my_number(path)} is a My Number field")
        if contains_my_number(value):
            raise MyNumberInAnswersError(mask_my_number(path))


# --- decoding ---------------------------------------------------------------------------------


def decode(scanned: str, keys: DeskKeys, *, office_code: str) -> OpenedSlip:
    """Verify and open a scanned slip for the desk of `office_code`.

    Raises only PayloadError subclasses, whatever the text; their `code` says what the clerk
    should do. The text is never kept in an error.
    """
    first_error: PayloadError | None = None
    for envelope in text.envelope_candidates(scanned):
        try:
            header, plaintext = _unseal(envelope, keys, office_code)
        except PayloadError as exc:
            first_error = first_error or exc
            continue
        # The seal opened: these bytes are exactly what a holder of the counter's public key
        # sealed, so whatever is wrong from here on is the verdict, not a misreading.
        return _verify(header, plaintext, keys, office_code)
    raise first_error or DamagedError("no reading of the text opens")


def _unseal(envelope: bytes, keys: DeskKeys, office_code: str) -> tuple[_Header, bytes]:
    if len(envelope) < _MIN_ENVELOPE:
        raise DamagedError("too short for a slip")
    header = _Header.parse(envelope)
    sealing_key = keys.sealing_keys.get(header.counter_key_id)
    if sealing_key is None:
        # Not ours to open. The office in the clear header is unverified, but it is the better
        # hint: a slip from a neighbouring city's kiosk shows up here.
        if header.office_code != office_code:
            raise WrongOfficeError(f"sealed for office {header.office_code}")
        raise NotForThisCounterError(f"sealed for counter key {header.counter_key_id.hex()}")
    try:
        plaintext = open_sealed(envelope[HEADER_BYTES:], sealing_key, info=SEAL_LABEL + header.raw)
    except SealError:
        raise DamagedError("the seal does not open: the text was changed or misread") from None
    return header, plaintext


def _verify(header: _Header, plaintext: bytes, keys: DeskKeys, office_code: str) -> OpenedSlip:
    if header.office_code != office_code:
        raise WrongOfficeError(f"issued for office {header.office_code}")
    kiosk = keys.trust.kiosk(header.kiosk_key_id)
    if kiosk is None:
        raise UnknownKioskError(f"kiosk key {header.kiosk_key_id.hex()} is not in the trust list")
    if kiosk.office_code != header.office_code:
        raise UnknownKioskError(
            f"kiosk key {kiosk.key_id.hex()} is registered for office {kiosk.office_code}"
        )
    signature, body = plaintext[:SIGNATURE_BYTES], plaintext[SIGNATURE_BYTES:]
    try:
        kiosk.public_key.verify(signature, SIGNATURE_LABEL + header.raw + body)
    except InvalidSignature:
        raise BadSignatureError(f"kiosk key {kiosk.key_id.hex()}") from None
    app = content.unpack(content.inflate(body), office_code=header.office_code)
    if app.kiosk_id != kiosk.kiosk_id:
        raise UnknownKioskError(
            f"slip says kiosk {app.kiosk_id}; key {kiosk.key_id.hex()} is kiosk {kiosk.kiosk_id}"
        )
    return OpenedSlip(app, kiosk_key_id=kiosk.key_id, counter_key_id=header.counter_key_id)
