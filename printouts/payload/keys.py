"""Key files: who may sign slips, and whom slips are sealed to.

Two key pairs per office set-up:

- each kiosk signs with its own Ed25519 key (``kiosk-signing.pem``, private, 0600);
- the counter opens seals with an X25519 key (``counter-sealing.pem``, private, 0600).

The public halves are in the trust list (trust.py). Each machine holds only what its role needs
(`init_keys(role=...)`): a kiosk its signing key and trust.json (so it seals to the counter's
public key and can open nothing); a desk its sealing key(s) and trust.json (so it opens and
never signs). Only the demo, one machine playing both, holds both private keys. A desk loads every
``counter-sealing*.pem`` it finds, so a retired counter key is kept under another name, e.g.
``counter-sealing-2025.pem``, and slips sealed to it still open.

Private keys are created with O_EXCL, so nothing here ever overwrites one, and a key file any
other user may read (group or others, any bit of 0o077) is refused.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, TypeVar

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from printouts.payload.errors import KeyPermissionError, KeysMissingError, KeyStoreError
from printouts.payload.trust import (
    TRUST_FILE,
    CounterKey,
    TrustedKiosk,
    TrustList,
    key_id,
    read_trust,
)

# The trust list's names are kept importable from here, where callers found them before the
# trust list had a module of its own.
__all__ = [
    "COUNTER_KEY_FILE",
    "COUNTER_KEY_GLOB",
    "KIOSK_KEY_FILE",
    "TRUST_FILE",
    "CounterKey",
    "DeskKeys",
    "InitResult",
    "KeyFile",
    "KioskKeys",
    "TrustList",
    "TrustedKiosk",
    "init_keys",
    "key_id",
    "list_key_files",
    "load_desk_keys",
    "load_kiosk_keys",
    "read_sealing_key",
    "read_signing_key",
    "read_trust",
]

KIOSK_KEY_FILE = "kiosk-signing.pem"
COUNTER_KEY_FILE = "counter-sealing.pem"
COUNTER_KEY_GLOB = "counter-sealing*.pem"

_Private = TypeVar("_Private", bound=Ed25519PrivateKey | X25519PrivateKey)


@dataclass(frozen=True)
class KioskKeys:
    """What a kiosk needs to make a slip: its signing key, its own trust entry, the counter key."""

    signing_key: Ed25519PrivateKey
    kiosk: TrustedKiosk
    counter: CounterKey

    def __post_init__(self) -> None:
        if key_id(self.signing_key.public_key()) != self.kiosk.key_id:
            raise KeyStoreError("the kiosk's trust entry is for another signing key")
        if self.counter.office_code != self.kiosk.office_code:
            raise KeyStoreError(
                f"counter key {self.counter.key_id.hex()} is for office "
                f"{self.counter.office_code}, the kiosk is in {self.kiosk.office_code}"
            )


@dataclass(frozen=True)
class DeskKeys:
    """What a desk needs to open slips: its sealing keys by id and the kiosks it trusts."""

    sealing_keys: Mapping[bytes, X25519PrivateKey]
    trust: TrustList = field(default_factory=TrustList)

    @classmethod
    def of(cls, sealing_keys: Iterable[X25519PrivateKey], trust: TrustList) -> DeskKeys:
        return cls({key_id(k.public_key()): k for k in sealing_keys}, trust)


@dataclass(frozen=True)
class KeyFile:
    """One key file found in the keys folder (for `kiosk keys show`; no private material)."""

    path: Path
    kind: Literal["kiosk-signing", "counter-sealing"]
    key_id: bytes


Role = Literal["kiosk", "desk", "both"]


@dataclass(frozen=True)
class InitResult:
    """What `init_keys` made and what it found already there."""

    directory: Path
    kiosk_key_id: bytes | None
    counter_key_id: bytes | None
    created: tuple[Path, ...]
    kept: tuple[Path, ...]
    # A kiosk whose trust.json has no counter key of its office yet: copy the desk's first.
    needs_counter_key: bool = False


# --- files ----------------------------------------------------------------------------------


def _write_private(path: Path, key: Ed25519PrivateKey | X25519PrivateKey) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # O_EXCL: fail rather than overwrite, even if another process made the file a moment ago.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)


def _read_pem(path: Path) -> PrivateKeyTypes:
    try:
        mode = path.stat().st_mode
        if os.name == "posix" and mode & 0o077:
            raise KeyPermissionError(f"{path} has mode {mode & 0o777:o}")
        return serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise KeysMissingError(f"{path} not found") from None
    except (ValueError, TypeError, OSError) as exc:
        raise KeyStoreError(f"{path}: not a PEM private key ({type(exc).__name__})") from None


def read_signing_key(path: Path) -> Ed25519PrivateKey:
    """A kiosk's Ed25519 private key file."""
    key = _read_pem(path)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyStoreError(f"{path}: holds a {type(key).__name__}, not an Ed25519 key")
    return key


def read_sealing_key(path: Path) -> X25519PrivateKey:
    """A counter's X25519 private key file."""
    key = _read_pem(path)
    if not isinstance(key, X25519PrivateKey):
        raise KeyStoreError(f"{path}: holds a {type(key).__name__}, not an X25519 key")
    return key


def _write_text_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, 0o644)  # public keys only: readable by the desk's and kiosk's users
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _existing_or_new(
    path: Path,
    read: Callable[[Path], _Private],
    generate: Callable[[], _Private],
    made: list[Path],
    kept: list[Path],
) -> _Private:
    if path.exists():
        kept.append(path)
        return read(path)
    key = generate()
    _write_private(path, key)
    made.append(path)
    return key


def init_keys(directory: Path, *, kiosk_id: str, office_code: str, role: Role = "both"
              ) -> InitResult:
    """Make whatever is missing of the role's key pair(s) and trust.json.

    kiosk: a signing pair, listed in trust.json; desk: a sealing pair, listed in trust.json as
    the office's current counter key if it has none; both: the two (the demo). A folder that
    holds the other role's private key is refused: that key must not be on this machine.
    Existing private keys are kept and put into trust.json if they are not there yet, so running
    it twice changes nothing. A kept kiosk key already listed for another kiosk id or office is an
    error rather than a silent re-labelling.
    """
    _refuse_other_role(directory, role)
    if role == "desk":
        _refuse_second_counter_key(directory, office_code)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    made: list[Path] = []
    kept: list[Path] = []
    signing = sealing = None
    if role != "desk":
        signing = _existing_or_new(
            directory / KIOSK_KEY_FILE, read_signing_key, Ed25519PrivateKey.generate, made, kept)
    if role != "kiosk":
        sealing = _existing_or_new(
            directory / COUNTER_KEY_FILE, read_sealing_key, X25519PrivateKey.generate, made, kept)
    trust_path = directory / TRUST_FILE
    trust = read_trust(directory) if trust_path.exists() else TrustList()
    updated = _with_entries(trust, signing, sealing, kiosk_id=kiosk_id, office_code=office_code)
    if updated is not trust or not trust_path.exists():
        _write_text_atomically(trust_path, updated.to_json())
        made.append(trust_path)
    else:
        kept.append(trust_path)
    return InitResult(
        directory=directory,
        kiosk_key_id=None if signing is None else key_id(signing.public_key()),
        counter_key_id=None if sealing is None else key_id(sealing.public_key()),
        created=tuple(made),
        kept=tuple(kept),
        needs_counter_key=updated.current_counter(office_code) is None,
    )


def _refuse_second_counter_key(directory: Path, office_code: str) -> None:
    """A second desk of an office copies the first desk's sealing key: a new one would not be
    the office's current key, so kiosks would never seal to it and that desk would open nothing."""
    if any(directory.glob(COUNTER_KEY_GLOB)) or not (directory / TRUST_FILE).exists():
        return
    current = read_trust(directory).current_counter(office_code)
    if current is not None:
        raise KeyStoreError(
            f"office {office_code} has a counter key already (id {current.key_id.hex()}): copy "
            f"{COUNTER_KEY_FILE} from the first desk (mode 600) into {directory} instead")


def _refuse_other_role(directory: Path, role: Role) -> None:
    if role == "kiosk" and any(directory.glob(COUNTER_KEY_GLOB)):
        raise KeyStoreError(f"{directory} holds a counter sealing key ({COUNTER_KEY_GLOB}); a "
                            "kiosk must not: move it to the desk, then run this again")
    if role == "desk" and (directory / KIOSK_KEY_FILE).exists():
        raise KeyStoreError(f"{directory / KIOSK_KEY_FILE} is a kiosk's signing key; a desk "
                            "must not hold one: remove it, then run this again")


def _with_entries(
    trust: TrustList,
    signing: Ed25519PrivateKey | None,
    sealing: X25519PrivateKey | None,
    *,
    kiosk_id: str,
    office_code: str,
) -> TrustList:
    if signing is not None:
        trust = _with_kiosk(trust, signing, kiosk_id=kiosk_id, office_code=office_code)
    if sealing is None:
        return trust
    counter_id = key_id(sealing.public_key())
    if trust.counter(counter_id) is None:
        first = trust.current_counter(office_code) is None
        counter = CounterKey.of(sealing.public_key(), office_code=office_code, current=first)
        trust = replace(trust, counters=(*trust.counters, counter))
    return trust


def _with_kiosk(trust: TrustList, signing: Ed25519PrivateKey, *, kiosk_id: str,
                office_code: str) -> TrustList:
    kiosk = TrustedKiosk.of(signing.public_key(), kiosk_id=kiosk_id, office_code=office_code)
    listed = trust.kiosk(kiosk.key_id)
    if listed is None:
        return replace(trust, kiosks=(*trust.kiosks, kiosk))
    if (listed.kiosk_id, listed.office_code) != (kiosk_id, office_code):
        raise KeyStoreError(
            f"kiosk key {kiosk.key_id.hex()} is listed for kiosk {listed.kiosk_id} of office "
            f"{listed.office_code}, not {kiosk_id} of {office_code}"
        )
    return trust


def load_kiosk_keys(directory: Path) -> KioskKeys:
    """The kiosk's signing key, its entry in trust.json and its office's current counter key."""
    signing = read_signing_key(directory / KIOSK_KEY_FILE)
    trust = read_trust(directory)
    kid = key_id(signing.public_key())
    entry = trust.kiosk(kid)
    if entry is None:
        raise KeysMissingError(f"{directory / TRUST_FILE} does not list the kiosk key {kid.hex()}")
    counter = trust.current_counter(entry.office_code)
    if counter is None:
        raise KeysMissingError(
            f"{directory / TRUST_FILE} has no current counter key for office {entry.office_code}"
        )
    return KioskKeys(signing_key=signing, kiosk=entry, counter=counter)


def load_desk_keys(directory: Path) -> DeskKeys:
    """Every counter-sealing*.pem of the folder (current and retired) and trust.json."""
    paths = sorted(directory.glob(COUNTER_KEY_GLOB))
    if not paths:
        raise KeysMissingError(f"no {COUNTER_KEY_GLOB} in {directory}")
    keys = [read_sealing_key(p) for p in paths]
    return DeskKeys.of(keys, read_trust(directory))


def list_key_files(directory: Path) -> list[KeyFile]:
    """The private key files of the folder, by key id, for `kiosk keys show`."""
    found: list[KeyFile] = []
    kiosk_path = directory / KIOSK_KEY_FILE
    if kiosk_path.exists():
        public = read_signing_key(kiosk_path).public_key()
        found.append(KeyFile(kiosk_path, "kiosk-signing", key_id(public)))
    for path in sorted(directory.glob(COUNTER_KEY_GLOB)):
        sealing = read_sealing_key(path).public_key()
        found.append(KeyFile(path, "counter-sealing", key_id(sealing)))
    return found
