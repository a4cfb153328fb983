"""Checks the desk makes on slips that are signed and sealed correctly, and the encoder's limit.

A slip that opens and verifies can still be refused: its header names another format version,
its kiosk is registered for another office, or its signed content breaks the documented layout
(docs/slip-format.md). These slips are built here byte by byte with deterministic keys, so
each test reaches exactly the check it is about, and fails if that check is taken away.
"""

from __future__ import annotations

import zlib
from datetime import datetime
from typing import Any

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from printouts.payload import (
    JST,
    Application,
    CounterKey,
    DamagedError,
    DeskKeys,
    KioskKeys,
    PayloadTooLargeError,
    ProcedureEntry,
    TrustedKiosk,
    TrustList,
    UnknownKioskError,
    codec,
    content,
    decode,
    encode,
    text,
)
from printouts.payload.seal import seal

OFFICE = "999997"
NEIGHBOUR = "131016"
SLIP_ID = bytes(range(12))
ISSUED = datetime(2025, 4, 1, 9, 30, tzinfo=JST)


def _ed25519(seed: int) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(seed.to_bytes(32, "big"))


def _x25519(seed: int) -> X25519PrivateKey:
    return X25519PrivateKey.from_private_bytes(seed.to_bytes(32, "big"))


SIGNING = _ed25519(1)
SEALING = _x25519(2)
KIOSK = TrustedKiosk.of(SIGNING.public_key(), kiosk_id="K01", office_code=OFFICE)
COUNTER = CounterKey.of(SEALING.public_key(), office_code=OFFICE)
KEYS = KioskKeys(signing_key=SIGNING, kiosk=KIOSK, counter=COUNTER)
DESK = DeskKeys.of([SEALING], TrustList(kiosks=(KIOSK,), counters=(COUNTER,)))

APP = Application(
    office_code=OFFICE,
    kiosk_id="K01",
    issued_at=ISSUED,
    ticket="A-023",
    procedures=(ProcedureEntry("juminhyo", 1, {"copies": 2}, {}),),
    slip_id=SLIP_ID,
)


_DROP = object()  # a _content() value that leaves the key out


def _content(**changes: Any) -> dict[int, Any]:
    """The content map of docs/slip-format.md ("Content"), with some entries changed."""
    value: dict[int, Any] = {
        content.KEY_SLIP_ID: SLIP_ID,
        content.KEY_KIOSK_ID: "K01",
        content.KEY_ISSUED_AT: int(ISSUED.timestamp()),
        content.KEY_TICKET: "A-023",
        content.KEY_PROCEDURES: [["juminhyo", 1, {"copies": 2}, {}]],
    }
    for key, item in changes.items():
        number = getattr(content, f"KEY_{key.upper()}")
        if item is _DROP:
            del value[number]
        else:
            value[number] = item
    return value


def _slip(body: bytes, *, version: int = 1, keys: KioskKeys = KEYS) -> str:
    """A slip as an honest encoder would make it from these bytes: signed by the kiosk and
    sealed to the counter, with the header given, so only the checks after both remain."""
    header = bytes([version]) + bytes.fromhex(OFFICE) + keys.counter.key_id + keys.kiosk.key_id
    signature = keys.signing_key.sign(codec.SIGNATURE_LABEL + header + body)
    sealed = seal(
        signature + body, keys.counter.public_key, info=codec.SEAL_LABEL + header,
        ephemeral=_x25519(99),
    )
    return text.to_text(header + sealed)


def _body(value: object) -> bytes:
    return content.deflate(cbor2.dumps(value, canonical=True))


def test_the_hand_built_slip_opens() -> None:
    """The baseline every refusal below differs from in one thing."""
    assert decode(_slip(_body(_content())), DESK, office_code=OFFICE).application == APP


# --- the header -------------------------------------------------------------------------------


def test_header_of_another_version_is_refused_although_signed_and_sealed() -> None:
    slip = _slip(_body(_content()), version=2)
    assert slip.startswith("KS1-")  # the prefix says 1; the signed header says 2
    with pytest.raises(DamagedError) as caught:
        decode(slip, DESK, office_code=OFFICE)
    assert caught.value.code == "damaged"


# --- the kiosk's office -----------------------------------------------------------------------


def test_kiosk_registered_for_another_office_cannot_issue_slips_for_this_one() -> None:
    """The neighbouring office's kiosk is trusted here, for its own office only."""
    signing = _ed25519(3)
    registered = TrustedKiosk.of(signing.public_key(), kiosk_id="K01", office_code=NEIGHBOUR)
    desk = DeskKeys.of([SEALING], TrustList(kiosks=(KIOSK, registered), counters=(COUNTER,)))
    claims = TrustedKiosk.of(signing.public_key(), kiosk_id="K01", office_code=OFFICE)
    slip = encode(APP, KioskKeys(signing_key=signing, kiosk=claims, counter=COUNTER))
    with pytest.raises(UnknownKioskError) as caught:
        decode(slip, desk, office_code=OFFICE)
    assert f"registered for office {NEIGHBOUR}" in caught.value.detail


# --- the signed content -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(_content() | {6: "extra"}, id="an-extra-key"),
        pytest.param(_content(ticket=_DROP), id="a-missing-key"),
        pytest.param(_content(issued_at=-1), id="issued-before-1970"),
        pytest.param(_content(issued_at=True), id="issued-at-a-boolean"),
        pytest.param(_content(issued_at="2025-04-01"), id="issued-at-text"),
        pytest.param(_content(issued_at=content._LATEST_SECOND), id="issued-in-year-10000-jst"),
        pytest.param(_content(issued_at=content._LATEST_SECOND + 1), id="issued-past-9999"),
        pytest.param(_content(issued_at=2**64 - 1), id="issued-at-the-cbor-maximum"),
        pytest.param(_content(procedures=7), id="procedures-a-number"),
        pytest.param(_content(procedures=[["juminhyo", 1, {}]]), id="a-3-element-procedure"),
        pytest.param(["not", "a", "map"], id="not-a-map"),
    ],
)
def test_signed_content_that_breaks_the_layout_is_damaged(value: object) -> None:
    """Whatever a kiosk with a bug signed, the desk says `damaged`, never a traceback."""
    with pytest.raises(DamagedError) as caught:
        decode(_slip(_body(value)), DESK, office_code=OFFICE)
    assert caught.value.code == "damaged"


def test_signed_content_with_trailing_bytes_is_damaged() -> None:
    with pytest.raises(DamagedError) as caught:
        decode(_slip(_body(_content()) + b"\x00"), DESK, office_code=OFFICE)
    assert "trailing" in caught.value.detail


def test_signed_content_inflating_past_the_limit_is_damaged() -> None:
    filler = _content(ticket="A" * (content.MAX_CONTENT_BYTES + 1))
    body = zlib.compress(cbor2.dumps(filler, canonical=True), 9)  # no preset dictionary needed
    with pytest.raises(DamagedError):
        decode(_slip(body), DESK, office_code=OFFICE)


# --- the encoder's size limit -----------------------------------------------------------------


def test_size_limit_is_inclusive() -> None:
    """A slip exactly as long as the limit prints; one character more is refused."""
    slip = encode(APP, KEYS, ephemeral_key=_x25519(5))
    assert encode(APP, KEYS, max_chars=len(slip), ephemeral_key=_x25519(5)) == slip
    with pytest.raises(PayloadTooLargeError) as caught:
        encode(APP, KEYS, max_chars=len(slip) - 1, ephemeral_key=_x25519(5))
    assert caught.value.detail == f"{len(slip)} characters, at most {len(slip) - 1} fit"
