"""The seal is RFC 9180 HPKE: checked against the RFC's own vector and the library's opener."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from printouts.payload.seal import SealError, open_sealed, seal

# RFC 9180 Appendix A.2.1 (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305, base
# mode) and A.2.1.1, sequence number 0.
A21_SK_E = "f4ec9b33b792c372c1d2c2063507b684ef925b8c75a42dbcbf57d63ccd381600"
A21_PK_E = "1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a"
A21_SK_R = "8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb"
A21_PK_R = "4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a"
A21_INFO = "4f6465206f6e2061204772656369616e2055726e"  # "Ode on a Grecian Urn"
A21_AAD = "436f756e742d30"  # "Count-0"
A21_PT = "4265617574792069732074727574682c20747275746820626561757479"
A21_CT = (
    "1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db21993c62ce81883d2dd1b51a28"
)


def test_rfc9180_a21_vector() -> None:
    recipient = X25519PrivateKey.from_private_bytes(bytes.fromhex(A21_SK_R))
    assert recipient.public_key().public_bytes_raw().hex() == A21_PK_R
    sealed = seal(
        bytes.fromhex(A21_PT),
        recipient.public_key(),
        info=bytes.fromhex(A21_INFO),
        aad=bytes.fromhex(A21_AAD),
        ephemeral=X25519PrivateKey.from_private_bytes(bytes.fromhex(A21_SK_E)),
    )
    assert sealed.hex() == A21_PK_E + A21_CT


def test_library_opens_what_we_seal() -> None:
    recipient = X25519PrivateKey.generate()
    ephemeral = X25519PrivateKey.generate()
    sealed = seal(b"slip", recipient.public_key(), info=b"header", ephemeral=ephemeral)
    suite = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)
    assert suite.decrypt(sealed, recipient, info=b"header") == b"slip"
    assert open_sealed(sealed, recipient, info=b"header") == b"slip"


@pytest.mark.parametrize("change", ["info", "ciphertext", "enc", "key", "truncate"])
def test_any_change_keeps_the_seal_shut(change: str) -> None:
    recipient = X25519PrivateKey.generate()
    ephemeral = X25519PrivateKey.generate()
    sealed = seal(b"slip", recipient.public_key(), info=b"header", ephemeral=ephemeral)
    info, key = b"header", recipient
    if change == "info":
        info = b"headeR"
    elif change == "ciphertext":
        sealed = sealed[:-1] + bytes([sealed[-1] ^ 1])
    elif change == "enc":
        sealed = bytes([sealed[0] ^ 1]) + sealed[1:]
    elif change == "key":
        key = X25519PrivateKey.generate()
    else:
        sealed = sealed[:40]
    with pytest.raises(SealError):
        open_sealed(sealed, key, info=info)
