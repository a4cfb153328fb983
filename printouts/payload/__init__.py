"""The slip's QR payload: an application signed by the kiosk and sealed for the counter.

The format is documented byte by byte in docs/slip-format.md. The kiosk calls `encode`, the desk
`decode`, both with `forms=` (the form definitions) for format 2; keys come from
`load_kiosk_keys` / `load_desk_keys`, made by `init_keys`.
"""

from printouts.payload.codec import QR_V25_M_CHARS, OpenedSlip, decode, encode
from printouts.payload.errors import (
    BadSignatureError,
    DamagedError,
    FormDefinitionDiffersError,
    InvalidApplicationError,
    KeyPermissionError,
    KeysMissingError,
    KeyStoreError,
    LooksLikeMyNumberCardError,
    MyNumberInAnswersError,
    NotForThisCounterError,
    NotOursError,
    PayloadError,
    PayloadTooLargeError,
    SlipEncodeError,
    UnknownKioskError,
    UnsupportedVersionError,
    WrongOfficeError,
)
from printouts.payload.keys import DeskKeys, KioskKeys, init_keys, load_desk_keys, load_kiosk_keys
from printouts.payload.model import JST, Application, JsonValue, ProcedureEntry, new_slip_id
from printouts.payload.schema import FormSource, form_digest
from printouts.payload.text import PREFIX
from printouts.payload.trust import CounterKey, TrustedKiosk, TrustList, key_id

__all__ = [
    "JST",
    "PREFIX",
    "QR_V25_M_CHARS",
    "Application",
    "BadSignatureError",
    "CounterKey",
    "DamagedError",
    "DeskKeys",
    "FormDefinitionDiffersError",
    "FormSource",
    "InvalidApplicationError",
    "JsonValue",
    "KeyPermissionError",
    "KeyStoreError",
    "KeysMissingError",
    "KioskKeys",
    "LooksLikeMyNumberCardError",
    "MyNumberInAnswersError",
    "NotForThisCounterError",
    "NotOursError",
    "OpenedSlip",
    "PayloadError",
    "PayloadTooLargeError",
    "ProcedureEntry",
    "SlipEncodeError",
    "TrustList",
    "TrustedKiosk",
    "UnknownKioskError",
    "UnsupportedVersionError",
    "WrongOfficeError",
    "decode",
    "encode",
    "form_digest",
    "init_keys",
    "key_id",
    "load_desk_keys",
    "load_kiosk_keys",
    "new_slip_id",
]
