"""Personal data at rest: each application sealed to the counter and signed by the kiosk that
took it, so a kiosk writes what it cannot read.

Why not one data key shared by kiosks and desks (the store before migration 0002): a key that
seals also opens, so a stolen lobby PC would read every stored application of the city. Now a
kiosk holds only what writes: its Ed25519 signing key and the counter's X25519 public key
(trust.json). A desk holds the sealing key that opens and the trust list that says which kiosks
to believe, and never signs. It is the slip's own construction (printouts/payload: HPKE base
mode to the counter, Ed25519 by the kiosk) applied to the whole application, so one review
covers both, and a desk checks a stored record exactly as it checks a slip.

Record layout, version 2 (a kiosk's)::

    0x02 || counter key id (8) || kiosk key id (8) || Ed25519 signature (64) || HPKE enc (32)
         || ciphertext + tag (16)

The HPKE info and the signed bytes both hold a label, the header and the row's plain facts
(`RecordMeta`: slip id, office, kiosk, time, forms). A record copied onto another row, a row
whose kiosk, time or forms were rewritten, a record re-sealed by anyone who is not a trusted
kiosk of that office: each opens as `tampered`. The ticket and the status columns are not
signed: the status is the desk's own, and the desk compares the ticket with the scanned slip.

Version 3 is what a desk on another network keeps of an application that reached it on its
slip: the slip's code texts, as scanned (a CBOR list). The desk cannot sign, but the codes are
signed by the kiosk, and the desk opens them as it opens a slip (`open_codes`, from the wiring).

Version 1, the data-key blob of earlier releases, is not opened (`legacy_record`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from common.mynumber import find_my_number
from kiosk.application import Submission
from kiosk.store.errors import (
    DecryptError,
    InvalidValueError,
    KeyMismatchError,
    LegacyRecordError,
    MyNumberRefusedError,
    TamperedError,
)
from kiosk.store.payload import from_payload, to_payload
from printouts.payload.keys import DeskKeys, KioskKeys
from printouts.payload.seal import SealError, open_sealed, seal

KIOSK_RECORD = 2
SLIP_RECORD = 3
KEY_ID_BYTES = 8
SIGNATURE_BYTES = 64
_HEADER = 1 + 2 * KEY_ID_BYTES
_SEAL_LABEL = b"kiosk.store record/2 seal\x00"
_SIGN_LABEL = b"kiosk.store record/2 signature\x00"

# Given by the wiring: the submission of a version 3 record's code texts, checked against the
# row (raise TamperedError when the codes name another slip, kiosk or office).
CodesOpener = Callable[[Sequence[str], "RecordMeta"], Submission]


@dataclass(frozen=True)
class RecordMeta:
    """The plain columns a record is bound to: what the desk may trust once it opens."""

    slip_id: str
    office_code: str
    kiosk_id: str
    created_at: dt.datetime
    forms: tuple[tuple[str, int], ...]

    def encoded(self) -> bytes:
        when = self.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
        return cbor2.dumps([self.slip_id, self.office_code, self.kiosk_id, when,
                            [list(form) for form in self.forms]])


def meta_of(row: Any) -> RecordMeta:
    """The RecordMeta of an `applications` row."""
    forms = tuple((str(f["id"]), int(f["version"])) for f in row.forms)
    return RecordMeta(row.slip_id, row.office_code, row.kiosk_id, row.created_at, forms)


def refuse_my_number(value: object, path: str = "payload") -> None:
    """Raise MyNumberRefusedError when any text, number or key in `value` holds a valid My
    Number (common.mynumber's one rule, shared with the slip encoder and the desk's export).
    The error names the path of the answer, never the value.
    """
    where = find_my_number(value, path)
    if where is not None:
        raise MyNumberRefusedError(where)


def _cbor(value: object) -> bytes:
    try:
        return cbor2.dumps(value, datetime_as_timestamp=False)
    except (cbor2.CBOREncodeError, TypeError, ValueError) as exc:
        # The message names the type (e.g. a naive datetime), never the value.
        raise InvalidValueError(f"the payload cannot be stored: {type(exc).__name__}") from None


@dataclass(frozen=True)
class RecordSealer:
    """The kiosk's half: seal to the office's current counter key, sign with its own key."""

    keys: KioskKeys

    @property
    def counter_key_id(self) -> str:
        return self.keys.counter.key_id.hex()

    def seal(self, submission: Submission, meta: RecordMeta) -> bytes:
        """The version 2 record; MyNumberRefusedError before anything is sealed. A kiosk seals
        under its own id and office only (the desk would take anything else as tampered)."""
        if (meta.kiosk_id, meta.office_code) != (self.keys.kiosk.kiosk_id,
                                                 self.keys.kiosk.office_code):
            raise InvalidValueError(f"this kiosk's key is {self.keys.kiosk.kiosk_id}'s of office "
                                    f"{self.keys.kiosk.office_code}")
        payload = to_payload(submission)
        refuse_my_number(payload)
        header = bytes([KIOSK_RECORD]) + self.keys.counter.key_id + self.keys.kiosk.key_id
        bound = header + meta.encoded()
        sealed = seal(_cbor(payload), self.keys.counter.public_key, info=_SEAL_LABEL + bound,
                      ephemeral=X25519PrivateKey.generate())
        signature = self.keys.signing_key.sign(_SIGN_LABEL + bound + sealed)
        return header + signature + sealed


def slip_record(codes: Sequence[str]) -> bytes:
    """The version 3 record of a desk on another network: the slip's code texts."""
    return bytes([SLIP_RECORD]) + _cbor(list(codes))


def slip_record_codes(blob: bytes) -> list[str]:
    """The code texts of a version 3 record (DecryptError when it is not one)."""
    if blob[:1] != bytes([SLIP_RECORD]):
        raise DecryptError("not a record taken from a slip")
    try:
        codes = cbor2.loads(blob[1:])
    except (cbor2.CBORDecodeError, ValueError):
        raise DecryptError("the record's codes are not CBOR") from None
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise DecryptError("the record's codes are not texts")
    return codes


@dataclass(frozen=True)
class RecordOpener:
    """The desk's half: check who signed, then open with the counter's sealing key."""

    keys: DeskKeys
    open_codes: CodesOpener | None = None

    def open(self, blob: bytes, meta: RecordMeta) -> Submission:
        kind = blob[:1]
        if kind == bytes([SLIP_RECORD]):
            if self.open_codes is None:
                raise DecryptError("this store cannot open records taken from slips")
            return self.open_codes(slip_record_codes(blob), meta)
        if kind == b"\x01":
            raise LegacyRecordError(meta.slip_id)
        if kind != bytes([KIOSK_RECORD]) or len(blob) < _HEADER + SIGNATURE_BYTES + 48:
            raise TamperedError("not a record of this store")
        plaintext = self._verified(blob, meta)
        try:
            return from_payload(cbor2.loads(plaintext))
        except (cbor2.CBORDecodeError, ValueError):
            raise DecryptError("the opened record is not CBOR") from None

    def _verified(self, blob: bytes, meta: RecordMeta) -> bytes:
        header = blob[:_HEADER]
        counter_id, kiosk_id = header[1:1 + KEY_ID_BYTES], header[1 + KEY_ID_BYTES:]
        signature = blob[_HEADER:_HEADER + SIGNATURE_BYTES]
        sealed = blob[_HEADER + SIGNATURE_BYTES:]
        kiosk = self.keys.trust.kiosk(kiosk_id)
        if kiosk is None:
            raise TamperedError(f"signed by kiosk key {kiosk_id.hex()}, not in trust.json")
        if (kiosk.kiosk_id, kiosk.office_code) != (meta.kiosk_id, meta.office_code):
            raise TamperedError(f"the row names kiosk {meta.kiosk_id}, the key is "
                                f"{kiosk.kiosk_id}'s")
        bound = header + meta.encoded()
        try:
            kiosk.public_key.verify(signature, _SIGN_LABEL + bound + sealed)
        except InvalidSignature:
            raise TamperedError("the signature does not match the row") from None
        key = _sealing_key(self.keys.sealing_keys, counter_id)
        try:
            return open_sealed(sealed, key, info=_SEAL_LABEL + bound)
        except SealError:
            raise TamperedError("the seal does not open") from None


def _sealing_key(keys: Mapping[bytes, X25519PrivateKey], counter_id: bytes) -> X25519PrivateKey:
    key = keys.get(counter_id)
    if key is None:
        raise KeyMismatchError(f"sealed to counter key {counter_id.hex()}")
    return key
