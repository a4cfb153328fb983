"""docs/slip-format.md's test vector, reproduced byte for byte, and the document kept in step."""

from __future__ import annotations

import hashlib
import zlib
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from printouts.payload import (
    JST,
    Application,
    CounterKey,
    DeskKeys,
    KioskKeys,
    ProcedureEntry,
    TrustedKiosk,
    TrustList,
    decode,
    encode,
)
from printouts.payload.codec import SIGNATURE_LABEL
from printouts.payload.content import deflate, to_cbor
from printouts.payload.dictionary import preset_dictionary

DOC = Path(__file__).resolve().parents[2] / "docs" / "slip-format.md"

KIOSK_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
KIOSK_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
KIOSK_KEY_ID = "21fe31dfa154a261"
COUNTER_PRIVATE = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"
COUNTER_PUBLIC = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"
COUNTER_KEY_ID = "f35e5616160a30bf"
EPHEMERAL_PRIVATE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"

CBOR = (
    "a5014c000102030405060708090a0b02634b3031031a67eb33880465412d3032"
    "33058184686a756d696e68796f01a66573636f706569686f757365686f6c6466"
    "636f706965730267707572706f73656a656d706c6f796d656e74696170706c69"
    "63616e746473656c666e6170706c6963616e745f6e616d656de8a68be69cac20"
    "e5a4aae9838e746170706c6963616e745f62697274685f646174656a31393830"
    "2d30342d3031a16e6170706c6963616e745f6e616d65816966726f6d5f636172"
    "64"
)
CONTENT = (
    "78f907d8ca815bcae8c3c0c8c4ccc2cac6cec1c9c5cd94ec6d60c82c95fedab8"
    "8325d551d7c0c898b5b12523ab3437332fa3329f7119242d2382179ac4996059"
    "01c98d881a011c3168d542ee8b65ddc09602b0aa5ef5b2b90f6bf19f65686961"
    "a06b60a26b60b8104d7723c2bb00312b48ef"
)
HEADER = "01999997f35e5616160a30bf21fe31dfa154a261"
SIGNATURE = (
    "db3e7de485c8b426e27a274797f62856484717f56eeab77e0d3cccdda260742f"
    "f30ecb5978a9c1c24989c89d0db261f2a07f880211c2cc7f68559a446eb64e0b"
)
TEXT = (
    "KS1-490YIJMYUX*AHZ2E76HD4WD6ZHKYNKF$GOFUKFH-6L0XE0-FHZM7CV9X1BF7J$4FI3OZTQJLPPL4-9NFV 6JBTJ8"
    "PV88W1XO-3FQ5QJ3A5C9/KL6HDH7SIAC7K00H9SLV8BMU A-UP:CFUX1UHQLOUBALIJU4/TZ*A11B4U6RA5PPE54NGHS:"
    "*VI$5G28%8TP7MDGNM2K%RFN6I2E7Q41Y1D/2SC0UB%C8MP4ALVJRXDW TQ AW4$8U-2ZH5YBSAZS1SC*7A8/O%RV2G2M"
    "PP7IN2NHHRCD4T81P3/MS.UOS3KUF1%T$YV4C1:DVW-HWQB5VAE735.FT.VS8O$KFRL3O1O18W UO7XU*1PYJVP-RJ8A"
    "W11"
)
DICTIONARY_SHA256 = "dbd5a1427bb536d9ad3aa9f2b162d8c90a8c612d3150fc5613cbef577d457504"


def _application() -> Application:
    return Application(
        office_code="999997",
        kiosk_id="K01",
        issued_at=datetime(2025, 4, 1, 9, 30, 0, tzinfo=JST),
        ticket="A-023",
        slip_id=bytes.fromhex("000102030405060708090a0b"),
        procedures=(
            ProcedureEntry(
                form_id="juminhyo",
                form_version=1,
                answers={
                    "applicant": "self",
                    "applicant_name": "見本 太郎",
                    "applicant_birth_date": "1980-04-01",
                    "scope": "household",
                    "copies": 2,
                    "purpose": "employment",
                },
                flags={"applicant_name": ["from_card"]},
            ),
        ),
    )


def _keys() -> tuple[KioskKeys, DeskKeys]:
    signing = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(KIOSK_SEED))
    sealing = X25519PrivateKey.from_private_bytes(bytes.fromhex(COUNTER_PRIVATE))
    kiosk = TrustedKiosk.of(signing.public_key(), kiosk_id="K01", office_code="999997")
    counter = CounterKey.of(sealing.public_key(), office_code="999997")
    desk = DeskKeys.of([sealing], TrustList(kiosks=(kiosk,), counters=(counter,)))
    return KioskKeys(signing_key=signing, kiosk=kiosk, counter=counter), desk


def test_keys_from_the_seeds() -> None:
    kiosk, _ = _keys()
    assert kiosk.kiosk.public_key.public_bytes_raw().hex() == KIOSK_PUBLIC
    assert kiosk.kiosk.key_id.hex() == KIOSK_KEY_ID
    assert kiosk.counter.public_key.public_bytes_raw().hex() == COUNTER_PUBLIC
    assert kiosk.counter.key_id.hex() == COUNTER_KEY_ID


def test_dictionary_is_pinned() -> None:
    # Changing the dictionary makes every printed slip unreadable: that is format 2.
    assert hashlib.sha256(preset_dictionary()).hexdigest() == DICTIONARY_SHA256


def test_each_stage() -> None:
    kiosk, _ = _keys()
    cbor = to_cbor(_application())
    assert cbor.hex() == CBOR
    content = deflate(cbor)
    assert content.hex() == CONTENT, (
        f"zlib {zlib.ZLIB_RUNTIME_VERSION} deflates differently; the slip is still valid, "
        "but the vector's exact text cannot be reproduced with this zlib"
    )
    signature = kiosk.signing_key.sign(SIGNATURE_LABEL + bytes.fromhex(HEADER) + content)
    assert signature.hex() == SIGNATURE


def test_exact_text() -> None:
    kiosk, _ = _keys()
    ephemeral = X25519PrivateKey.from_private_bytes(bytes.fromhex(EPHEMERAL_PRIVATE))
    assert encode(_application(), kiosk, ephemeral_key=ephemeral) == TEXT


def test_vector_decodes() -> None:
    _, desk = _keys()
    opened = decode(TEXT, desk, office_code="999997")
    assert opened.application == _application()
    assert opened.kiosk_key_id.hex() == KIOSK_KEY_ID
    assert opened.counter_key_id.hex() == COUNTER_KEY_ID


@pytest.mark.parametrize(
    "value",
    [KIOSK_SEED, KIOSK_PUBLIC, KIOSK_KEY_ID, COUNTER_PRIVATE, COUNTER_PUBLIC, COUNTER_KEY_ID,
     EPHEMERAL_PRIVATE, CBOR, CONTENT, HEADER, SIGNATURE, DICTIONARY_SHA256],
)
def test_document_shows_the_same_bytes(value: str) -> None:
    assert value in "".join(DOC.read_text(encoding="utf-8").split())


def test_document_shows_the_same_text() -> None:
    assert f"\n{TEXT}\n" in DOC.read_text(encoding="utf-8")
