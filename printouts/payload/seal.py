"""The seal: HPKE (RFC 9180) base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305.

A slip is one message to one counter, which is what HPKE's single-shot mode is for: a fresh
ephemeral X25519 key per slip, the key schedule of RFC 9180 §5.1, one AEAD seal with sequence
number 0. Using the standard rather than an ad-hoc X25519 + HKDF construction means the format
can be checked against RFC 9180's published test vectors and any HPKE library.

Opening uses the `cryptography` library's HPKE. Sealing is written out here, from the same
library's primitives, for one reason: the test vector in docs/slip-format.md needs a fixed
ephemeral key, which no HPKE API takes. The RFC 9180 A.2.1 vector and round trips through the
library's opener check that both sides agree (tests/printouts/test_payload_seal.py).
"""

from __future__ import annotations

import hmac
from hashlib import sha256

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hpke
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

# RFC 9180 §7: KEM, KDF and AEAD identifiers.
KEM_X25519_HKDF_SHA256 = 0x0020
KDF_HKDF_SHA256 = 0x0001
AEAD_CHACHA20_POLY1305 = 0x0003
ENC_BYTES = 32  # Nenc: the ephemeral public key
TAG_BYTES = 16  # Nt

_KEM_SUITE = b"KEM" + KEM_X25519_HKDF_SHA256.to_bytes(2, "big")
_HPKE_SUITE = (
    b"HPKE"
    + KEM_X25519_HKDF_SHA256.to_bytes(2, "big")
    + KDF_HKDF_SHA256.to_bytes(2, "big")
    + AEAD_CHACHA20_POLY1305.to_bytes(2, "big")
)
_MODE_BASE = b"\x00"


class SealError(Exception):
    """The seal does not open: wrong key, or the sealed bytes or the info were changed."""


def _labeled_extract(suite: bytes, salt: bytes, label: bytes, ikm: bytes) -> bytes:
    # RFC 9180 §4: LabeledExtract = HKDF-Extract(salt, "HPKE-v1" || suite_id || label || ikm);
    # HKDF-Extract is HMAC-Hash(salt, ikm) (RFC 5869 §2.2), an empty salt being all zeros.
    return hmac.digest(salt, b"HPKE-v1" + suite + label + ikm, sha256)


def _labeled_expand(suite: bytes, prk: bytes, label: bytes, info: bytes, length: int) -> bytes:
    # RFC 9180 §4: LabeledExpand = HKDF-Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id ||
    # label || info, L).
    labeled_info = length.to_bytes(2, "big") + b"HPKE-v1" + suite + label + info
    return HKDFExpand(hashes.SHA256(), length, labeled_info).derive(prk)


def seal(
    plaintext: bytes,
    recipient: X25519PublicKey,
    *,
    info: bytes,
    aad: bytes = b"",
    ephemeral: X25519PrivateKey,
) -> bytes:
    """SealBase(pkR, info, aad, pt) of RFC 9180 §6.1 with skE given; returns enc || ciphertext.

    Never reuse `ephemeral`: two slips sealed with the same ephemeral key to the same counter
    share key and nonce, which breaks ChaCha20-Poly1305.
    """
    # §4.1 DHKEM Encap; exchange() refuses the all-zero shared secret (§7.1.4).
    dh = ephemeral.exchange(recipient)
    enc = ephemeral.public_key().public_bytes_raw()
    kem_context = enc + recipient.public_bytes_raw()
    eae_prk = _labeled_extract(_KEM_SUITE, b"", b"eae_prk", dh)
    shared_secret = _labeled_expand(_KEM_SUITE, eae_prk, b"shared_secret", kem_context, 32)
    # §5.1 KeySchedule, mode_base: psk and psk_id empty.
    psk_id_hash = _labeled_extract(_HPKE_SUITE, b"", b"psk_id_hash", b"")
    info_hash = _labeled_extract(_HPKE_SUITE, b"", b"info_hash", info)
    context = _MODE_BASE + psk_id_hash + info_hash
    secret = _labeled_extract(_HPKE_SUITE, shared_secret, b"secret", b"")
    key = _labeled_expand(_HPKE_SUITE, secret, b"key", context, 32)
    base_nonce = _labeled_expand(_HPKE_SUITE, secret, b"base_nonce", context, 12)
    # §5.2: sequence number 0, so the nonce is base_nonce itself.
    return enc + ChaCha20Poly1305(key).encrypt(base_nonce, plaintext, aad)


def open_sealed(sealed: bytes, recipient: X25519PrivateKey, *, info: bytes) -> bytes:
    """OpenBase of RFC 9180 §6.1 with an empty aad, by the `cryptography` library."""
    suite = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)
    try:
        return suite.decrypt(sealed, recipient, info=info)
    except (InvalidTag, ValueError):
        raise SealError() from None
