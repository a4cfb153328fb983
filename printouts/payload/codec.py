"""encode() and decode(): the slip envelope of docs/slip-format.md, formats 1 and 2.

    text      = "KS1-" / "KS2-" Base45(envelope)
    envelope  = header || enc(32) || ChaCha20-Poly1305(signature(64) || content) || tag(16)
    header    = envelope.py: version, office code, counter and kiosk key ids (20 or 12 bytes)
    content   = format 1: zlib(CBOR(application)), content.py
                format 2: slip id || CBOR by the form definitions, deflated or not, content2.py
    signature = Ed25519(kiosk key, "kiosk-slip/N signature" || header || content)
    seal      = HPKE base mode to the counter key, info = "kiosk-slip/N seal" || header

Sign, then seal: the signature says which kiosk made the slip and is itself hidden by the seal,
so a lost slip shows nothing but its printed text. The header stays in the clear because the
desk needs it before it can open anything (which key, which office), and is bound by both the
seal (HPKE info) and the signature, so changing any of its bytes is detected.

The kiosk writes format 2 when it is given the form definitions (`forms=`), format 1 without;
the desk reads both. Decoding tries the scanned text as typed and then as undone
keyboard-layout mix-ups (text.py); every reading the seal opens is authentic, so trying several
cannot accept altered data.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from common.mynumber import contains_my_number, mask_my_number
from printouts.payload import content, content2, text
from printouts.payload.envelope import (
    HEADER_BYTES,
    SEAL_LABELS,
    SIGNATURE_BYTES,
    SIGNATURE_LABELS,
    Header,
)
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
from printouts.payload.schema import FormSource, find_form
from printouts.payload.seal import ENC_BYTES, TAG_BYTES, SealError, open_sealed, seal
from printouts.payload.trust import TrustedKiosk

# Format 1's labels, kept under their old names for the tests that build slips by hand.
SEAL_LABEL = SEAL_LABELS[1]
SIGNATURE_LABEL = SIGNATURE_LABELS[1]
# The capacity of QR version 25 at error level M in alphanumeric mode (ISO/IEC 18004 Table 7):
# the largest code a 203-dpi printer draws at 3 dots a module on 58 mm paper.
QR_V25_M_CHARS = 1451


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


# --- encoding ---------------------------------------------------------------------------------


def encode(
    app: Application,
    keys: KioskKeys,
    *,
    forms: FormSource | None = None,
    forbidden_keys: Collection[str] = (),
    max_chars: int = QR_V25_M_CHARS,
    ephemeral_key: X25519PrivateKey | None = None,
) -> str:
    """The slip's QR text for an application, signed by the kiosk and sealed for the counter.

    With `forms` (schema.FormSource: the definitions of the application's forms, each at the
    version its procedure names) the text is format 2: answers by the definitions, about half
    the characters, and the code's counter and route. Without, format 1 (which has no place
    for the counter and route).

    Refuses (MyNumberInAnswersError) any string anywhere in the application that holds a 12-digit
    number with a valid My Number check digit, and any answer whose key is in `forbidden_keys`
    or, in format 2, is a counter-only field of its form, at any depth: the kiosk passes the
    ids of its forms' `my_number` fields there, so such an answer is refused even when empty or
    mistyped. Refuses (PayloadTooLargeError) a text longer than `max_chars`, by default what
    QR version 25 at level M holds.

    `ephemeral_key` is for test vectors only: the seal needs a fresh key for every slip.
    """
    if (app.kiosk_id, app.office_code) != (keys.kiosk.kiosk_id, keys.kiosk.office_code):
        raise InvalidApplicationError(
            f"the application says kiosk {app.kiosk_id} of office {app.office_code}; these keys "
            f"belong to kiosk {keys.kiosk.kiosk_id} of office {keys.kiosk.office_code}"
        )
    version, coding, body = _content(app, forms, forbidden_keys)
    header = Header.build(
        version, app.office_code, keys.counter.key_id, keys.kiosk.key_id, coding=coding
    )
    signature = keys.signing_key.sign(header.signed(body))
    sealed = seal(
        signature + body,
        keys.counter.public_key,
        info=header.seal_info,
        ephemeral=ephemeral_key or X25519PrivateKey.generate(),
    )
    result = text.to_text(header.raw + sealed, version)
    if len(result) > max_chars:
        raise PayloadTooLargeError(f"{len(result)} characters, at most {max_chars} fit")
    return result


def _content(
    app: Application, forms: FormSource | None, forbidden_keys: Collection[str]
) -> tuple[int, int, bytes]:
    """(format version, coding, content), after the My Number gate."""
    forbidden = set(forbidden_keys)
    for proc in app.procedures if forms is not None else ():
        form = find_form(forms, proc.form_id, proc.form_version)
        forbidden.update(form.counter_only_ids() if form else ())
    _refuse_my_number(app, frozenset(forbidden))
    if forms is None:
        return 1, 0, content.pack(app)
    coding, body = content2.pack_2(app, forms)
    _check_reads_back(app, coding, body, forms)
    return 2, coding, body


def _check_reads_back(app: Application, coding: int, body: bytes, forms: FormSource) -> None:
    """Format 2 packs by the definitions; the desk must get back exactly what the kiosk had, so
    the kiosk reads its own content first (a programming error if it differs)."""
    try:
        again = content2.unpack_2(
            coding, body, forms, office_code=app.office_code, kiosk_id=app.kiosk_id
        )
    except PayloadError as exc:
        raise InvalidApplicationError(f"format 2 does not read back: {exc.code}") from None
    if again != app:
        raise InvalidApplicationError("format 2 reads back another application")


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
    texts.extend((f"route[{i}]", counter, False) for i, counter in enumerate(app.route))
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


def decode(
    scanned: str, keys: DeskKeys, *, office_code: str, forms: FormSource | None = None
) -> OpenedSlip:
    """Verify and open a scanned slip (format 1 or 2) for the desk of `office_code`.

    A format 2 slip needs `forms`, the desk's form definitions by id and version (the desk's
    `Library.form_version`, which finds an older version kept in retired/ too): a procedure
    whose definition the desk lacks or holds otherwise is refused (FormDefinitionDiffersError),
    never misread.
    Raises only PayloadError subclasses, whatever the text; their `code` says what the clerk
    should do. The text is never kept in an error.
    """
    version, envelopes = text.read_scan(scanned)
    first_error: PayloadError | None = None
    for envelope in envelopes:
        try:
            header, sealing_id, plaintext = _unseal(envelope, version, keys, office_code)
        except PayloadError as exc:
            first_error = first_error or exc
            continue
        # The seal opened: these bytes are exactly what a holder of the counter's public key
        # sealed, so whatever is wrong from here on is the verdict, not a misreading.
        kiosk, body = _verify(header, plaintext, keys, office_code)
        if version == 1:
            app = content.unpack(content.inflate(body), office_code=header.office_code)
            if app.kiosk_id != kiosk.kiosk_id:
                raise UnknownKioskError(
                    f"slip says kiosk {app.kiosk_id}; key {kiosk.key_id.hex()} is kiosk "
                    f"{kiosk.kiosk_id}"
                )
        else:
            app = content2.unpack_2(
                header.coding, body, forms, office_code=header.office_code, kiosk_id=kiosk.kiosk_id
            )
        return OpenedSlip(app, kiosk_key_id=kiosk.key_id, counter_key_id=sealing_id)
    raise first_error or DamagedError("no reading of the text opens")


def _unseal(
    envelope: bytes, version: int, keys: DeskKeys, office_code: str
) -> tuple[Header, bytes, bytes]:
    """(header, id of the sealing key that opened it, signature || content)."""
    size = HEADER_BYTES[version]
    if len(envelope) < size + ENC_BYTES + SIGNATURE_BYTES + TAG_BYTES:
        raise DamagedError("too short for a slip")
    header = Header.parse(envelope, version)
    candidates = [(kid, k) for kid, k in keys.sealing_keys.items()
                  if kid.startswith(header.counter_key_id)]
    if not candidates:
        # Not ours to open. The office in the clear header is unverified, but it is the better
        # hint: a slip from a neighbouring city's kiosk shows up here.
        if header.office_code != office_code:
            raise WrongOfficeError(f"sealed for office {header.office_code}")
        raise NotForThisCounterError(f"sealed for counter key {header.counter_key_id.hex()}")
    for kid, sealing_key in candidates:  # format 2's short ids may, rarely, fit two keys
        try:
            return header, kid, open_sealed(envelope[size:], sealing_key, info=header.seal_info)
        except SealError:
            continue
    raise DamagedError("the seal does not open: the text was changed or misread")


def _verify(
    header: Header, plaintext: bytes, keys: DeskKeys, office_code: str
) -> tuple[TrustedKiosk, bytes]:
    """The trusted kiosk whose key signed, and the content."""
    if header.office_code != office_code:
        raise WrongOfficeError(f"issued for office {header.office_code}")
    kiosks = [k for k in keys.trust.kiosks if k.key_id.startswith(header.kiosk_key_id)]
    if not kiosks:
        raise UnknownKioskError(f"kiosk key {header.kiosk_key_id.hex()} is not in the trust list")
    ours = [k for k in kiosks if k.office_code == header.office_code]
    if not ours:
        raise UnknownKioskError(
            f"kiosk key {kiosks[0].key_id.hex()} is registered for office {kiosks[0].office_code}"
        )
    signature, body = plaintext[:SIGNATURE_BYTES], plaintext[SIGNATURE_BYTES:]
    for kiosk in ours:
        try:
            kiosk.public_key.verify(signature, header.signed(body))
        except InvalidSignature:
            continue
        return kiosk, body
    raise BadSignatureError(f"kiosk key {ours[0].key_id.hex()}")

