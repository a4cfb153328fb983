"""The trust list (trust.json): the public half of the key set-up, and the key id.

It holds only public keys: the kiosks the desk trusts (key id -> kiosk id and office) and the
counter keys kiosks seal to (one marked current per office). The key id is the first 8 bytes of
SHA-256 over the raw 32-byte public key: slips name the keys by id, so a new key can be added
next to the old one and slips printed before the change still open. The private key files are
keys.py's; the file's layout is in docs/slip-format.md, section 6 "Keys and trust".
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from printouts.payload.errors import KeysMissingError, KeyStoreError

KEY_ID_BYTES = 8
TRUST_FILE = "trust.json"
TRUST_FORMAT: Final = "kiosk-slip-trust/1"


def key_id(public: Ed25519PublicKey | X25519PublicKey) -> bytes:
    """SHA-256 of the raw public key, first 8 bytes: short enough for the slip, and collisions
    between an office's few keys are out of reach."""
    return hashlib.sha256(public.public_bytes_raw()).digest()[:KEY_ID_BYTES]


@dataclass(frozen=True)
class TrustedKiosk:
    """A kiosk whose slips the desk accepts: its public key and what it may claim to be."""

    key_id: bytes
    kiosk_id: str
    office_code: str
    public_key: Ed25519PublicKey

    @classmethod
    def of(cls, public_key: Ed25519PublicKey, *, kiosk_id: str, office_code: str) -> TrustedKiosk:
        return cls(key_id(public_key), kiosk_id, office_code, public_key)


@dataclass(frozen=True)
class CounterKey:
    """A counter's public sealing key; kiosks of the office seal to the one marked current."""

    key_id: bytes
    office_code: str
    public_key: X25519PublicKey
    current: bool = True

    @classmethod
    def of(
        cls, public_key: X25519PublicKey, *, office_code: str, current: bool = True
    ) -> CounterKey:
        return cls(key_id(public_key), office_code, public_key, current)


@dataclass(frozen=True)
class TrustList:
    """The public half of the key set-up, as kept in trust.json."""

    kiosks: tuple[TrustedKiosk, ...] = ()
    counters: tuple[CounterKey, ...] = ()

    def kiosk(self, kid: bytes) -> TrustedKiosk | None:
        return next((k for k in self.kiosks if k.key_id == kid), None)

    def counter(self, kid: bytes) -> CounterKey | None:
        return next((c for c in self.counters if c.key_id == kid), None)

    def current_counter(self, office_code: str) -> CounterKey | None:
        return next((c for c in self.counters if c.office_code == office_code and c.current), None)

    def to_json(self) -> str:
        doc = _TrustFile(
            format=TRUST_FORMAT,
            kiosks=[
                _KioskRow(
                    key_id=k.key_id.hex(),
                    kiosk_id=k.kiosk_id,
                    office_code=k.office_code,
                    ed25519=k.public_key.public_bytes_raw().hex(),
                )
                for k in self.kiosks
            ],
            counters=[
                _CounterRow(
                    key_id=c.key_id.hex(),
                    office_code=c.office_code,
                    x25519=c.public_key.public_bytes_raw().hex(),
                    current=c.current,
                )
                for c in self.counters
            ],
        )
        return json.dumps(doc.model_dump(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str, *, source: str = TRUST_FILE) -> TrustList:
        """Parse and cross-check trust.json; every problem names the file and the entry."""
        try:
            doc = _TrustFile.model_validate_json(text)
        except ValidationError as exc:
            where = "; ".join(
                f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
            )
            raise KeyStoreError(f"{source}: {where}") from None
        kiosks = tuple(
            _kiosk_from_row(row, f"{source}: kiosks[{i}]") for i, row in enumerate(doc.kiosks)
        )
        counters = tuple(
            _counter_from_row(row, f"{source}: counters[{i}]") for i, row in enumerate(doc.counters)
        )
        trust = cls(kiosks, counters)
        trust.check(source)
        return trust

    def check(self, source: str) -> None:
        """Refuse duplicate key ids and two current counter keys for one office."""
        ids = [k.key_id for k in self.kiosks] + [c.key_id for c in self.counters]
        if len(ids) != len(set(ids)):
            raise KeyStoreError(f"{source}: a key id is listed twice")
        offices = [c.office_code for c in self.counters if c.current]
        if len(offices) != len(set(offices)):
            raise KeyStoreError(f"{source}: more than one current counter key for one office")


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class _KioskRow(_Row):
    key_id: str = Field(pattern=r"^[0-9a-f]{16}$")
    kiosk_id: str = Field(pattern=r"^[A-Z0-9]{1,8}$")
    office_code: str = Field(pattern=r"^[0-9]{6}$")
    ed25519: str = Field(pattern=r"^[0-9a-f]{64}$")


class _CounterRow(_Row):
    key_id: str = Field(pattern=r"^[0-9a-f]{16}$")
    office_code: str = Field(pattern=r"^[0-9]{6}$")
    x25519: str = Field(pattern=r"^[0-9a-f]{64}$")
    current: bool


class _TrustFile(_Row):
    format: Literal["kiosk-slip-trust/1"]
    kiosks: list[_KioskRow] = Field(default_factory=list)
    counters: list[_CounterRow] = Field(default_factory=list)


def _kiosk_from_row(row: _KioskRow, where: str) -> TrustedKiosk:
    entry = TrustedKiosk.of(
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(row.ed25519)),
        kiosk_id=row.kiosk_id,
        office_code=row.office_code,
    )
    if entry.key_id.hex() != row.key_id:
        raise KeyStoreError(f"{where}: key_id is not the key's id {entry.key_id.hex()}")
    return entry


def _counter_from_row(row: _CounterRow, where: str) -> CounterKey:
    entry = CounterKey.of(
        X25519PublicKey.from_public_bytes(bytes.fromhex(row.x25519)),
        office_code=row.office_code,
        current=row.current,
    )
    if entry.key_id.hex() != row.key_id:
        raise KeyStoreError(f"{where}: key_id is not the key's id {entry.key_id.hex()}")
    return entry


def read_trust(directory: Path) -> TrustList:
    """trust.json of the keys folder."""
    path = directory / TRUST_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeysMissingError(f"{path} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyStoreError(f"{path}: unreadable ({type(exc).__name__})") from None
    return TrustList.from_json(text, source=str(path))
