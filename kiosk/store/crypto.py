"""Personal data at rest: AES-256-GCM with a key id, one sealed blob per application.

Why AES-GCM with a key id and not Fernet (both authenticated, both from `cryptography`):

- Rotation a clerk's IT staff can follow. Every blob, and a plain column beside it, names the key
  that sealed it. The key file lists keys, the first one seals and all of them open: to rotate,
  put a new key first and keep the old one below until the retention purge has removed every row
  it sealed (`kiosk db stats` counts rows per key id). MultiFernet can rotate too, but only by
  trying every key on every token, and cannot tell "wrong key file" from "damaged data".
- A clear error for the wrong key file: an unknown key id is `key_mismatch`, not a generic
  "invalid token".
- Associated data binds a blob to its row (the slip id), so a blob copied onto another row does
  not open. Fernet has no associated data.

Blob layout (version 1): ``0x01 | key id (8 bytes) | nonce (12 bytes) | ciphertext + tag (16)``.
The plaintext is CBOR (RFC 8949), so dates (tag 1004, RFC 8943) and times (tag 0) come back as
the same Python types. Before anything is sealed the payload is searched for a 12-digit My Number
(番号法: the kiosk never stores it); see `refuse_my_number`.

The key file is text: comment lines start with ``#``, each other line is one base64url key of 32
bytes (the same text shape as a Fernet key). It is created 0600 on first use, for the demo; it
must be backed up, and every kiosk and desk of one database needs the same file.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

import cbor2
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from common.mynumber import find_my_number
from kiosk.store.errors import (
    DecryptError,
    InvalidValueError,
    KeyFileError,
    KeyMismatchError,
    KeyMissingError,
    MyNumberRefusedError,
)

BLOB_VERSION = 1
KEY_BYTES = 32
KEY_ID_BYTES = 8
NONCE_BYTES = 12
_HEADER = 1 + KEY_ID_BYTES + NONCE_BYTES
_KEY_ID_CONTEXT = b"kiosk.store data key id v1\x00"
_FILE_HEADER = (
    "# Data key(s) of the kiosk store: base64url, one per line. The first one encrypts, all of\n"
    "# them decrypt. Keep this file secret (mode 600), back it up, and give every kiosk and desk\n"
    "# of the same database the same file. See docs/storage.md before editing.\n"
)


def key_id_of(key: bytes) -> str:
    """A short public name for a key (16 hex digits); it reveals nothing useful about the key."""
    return hashlib.sha256(_KEY_ID_CONTEXT + key).digest()[:KEY_ID_BYTES].hex()


def new_key_text() -> str:
    """A fresh random key as one line of the key file."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


class DataKeys:
    """The keys of one key file: the first seals, every one opens. Never prints a key."""

    __slots__ = ("_by_id", "_current")

    def __init__(self, keys: Iterable[bytes]) -> None:
        listed = list(keys)
        if not listed:
            raise KeyFileError("no key")
        for key in listed:
            if len(key) != KEY_BYTES:
                raise KeyFileError(f"a key must be {KEY_BYTES} bytes")
        self._current = key_id_of(listed[0])
        self._by_id = {key_id_of(key): AESGCM(key) for key in listed}

    def __repr__(self) -> str:
        return f"DataKeys(current={self._current}, ids={sorted(self._by_id)})"

    @property
    def current_id(self) -> str:
        return self._current

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self._by_id)

    def encrypt(self, plaintext: bytes, *, aad: bytes) -> tuple[str, bytes]:
        """(key id, blob) sealed with the current key."""
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._by_id[self._current].encrypt(nonce, plaintext, aad)
        header = bytes([BLOB_VERSION]) + bytes.fromhex(self._current) + nonce
        return self._current, header + sealed

    def decrypt(self, blob: bytes, *, aad: bytes) -> bytes:
        if len(blob) < _HEADER + 16 or blob[0] != BLOB_VERSION:
            raise DecryptError("unknown blob format")
        key_id = blob[1 : 1 + KEY_ID_BYTES].hex()
        aead = self._by_id.get(key_id)
        if aead is None:
            raise KeyMismatchError(f"the key file has no key with id {key_id}")
        try:
            return aead.decrypt(blob[1 + KEY_ID_BYTES : _HEADER], blob[_HEADER:], aad)
        except InvalidTag:
            raise DecryptError(f"key id {key_id}") from None


# --- the My Number refusal -----------------------------------------------------------------------


def refuse_my_number(value: object, path: str = "payload") -> None:
    """Raise MyNumberRefusedError when any text, number or key in `value` holds a valid My
    Number (common.mynumber's one rule, shared with the slip encoder and the desk's export).
    The error names the path of the answer, never the value.
    """
    where = find_my_number(value, path)
    if where is not None:
        raise MyNumberRefusedError(where)


def seal(keys: DataKeys, payload: object, *, aad: bytes) -> tuple[str, bytes]:
    """Refuse a My Number, then encode as CBOR and encrypt: (key id, blob)."""
    refuse_my_number(payload)
    try:
        plaintext = cbor2.dumps(payload, datetime_as_timestamp=False)
    except (cbor2.CBOREncodeError, TypeError, ValueError) as exc:
        # The message names the type (e.g. a naive datetime), never the value.
        raise InvalidValueError(f"the payload cannot be stored: {type(exc).__name__}") from None
    return keys.encrypt(plaintext, aad=aad)


def unseal(keys: DataKeys, blob: bytes, *, aad: bytes) -> object:
    plaintext = keys.decrypt(blob, aad=aad)
    try:
        return cbor2.loads(plaintext)
    except (cbor2.CBORDecodeError, ValueError):
        raise DecryptError("the decrypted payload is not CBOR") from None


# --- the key file -------------------------------------------------------------------------------


def load_or_create_key(path: Path, *, create: bool = True) -> DataKeys:
    """The keys in `path`; when the file is missing, a new one (mode 0600) if `create` is set.

    A missing file with `create=False` is KeyMissingError: `open_store` passes that when the
    database already holds encrypted rows, so a lost key is never silently replaced by a new one.
    Two processes creating the file at once end with one file (O_EXCL) that both read.
    """
    try:
        return _load(path)
    except FileNotFoundError:
        if not create:
            raise KeyMissingError(str(path)) from None
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _load(path)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(_FILE_HEADER + new_key_text() + "\n")
        out.flush()
        os.fsync(out.fileno())
    return _load(path)


def _load(path: Path) -> DataKeys:
    with path.open("rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        raw = handle.read()
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(f"{path} is readable by others (mode {stat.S_IMODE(mode):o}); "
                           f"run: chmod 600 {path}")
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        raise KeyFileError(f"{path} is not a key file (not ASCII text)") from None
    keys = []
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            key = base64.urlsafe_b64decode(line + "=" * (-len(line) % 4))
        except (binascii.Error, ValueError):
            key = b""
        if len(key) != KEY_BYTES:
            raise KeyFileError(f"{path} line {number}: not a base64url key of {KEY_BYTES} bytes")
        keys.append(key)
    if not keys:
        raise KeyFileError(f"{path} holds no key")
    return DataKeys(keys)
