"""The slip's text: a version prefix and Base45 (RFC 9285), and undoing what scanners do to it.

Base45 uses only the 45 characters of QR alphanumeric mode (ISO/IEC 18004 §7.4.4), the mode a
keyboard-wedge scanner types on almost any set-up. Almost: a scanner set to the US layout on a PC
set to the Japanese (JIS) layout presses the US keys for a symbol and the PC reads them as JIS
keys, and Caps Lock lowers every letter. The prefix ("KS1-", "KS2-") uses only characters that survive
both, so the desk can always tell a slip from anything else before it decodes a byte.

Which keys move (a character is typed as the key that makes it on the sending layout, and the
receiving layout reads that key):

    character  US key        read by a JIS PC | JIS key         read by a US PC
    ``*``      Shift+8       ``(``            | Shift+``:``     ``"``
    ``+``      Shift+``=``   ``~``            | Shift+``;``     ``:``
    ``:``      Shift+``;``   ``+``            | ``:``           ``'``

Digits, letters, space, ``$ % - . /`` sit on the same keys in both layouts.
"""

from __future__ import annotations

import re
import unicodedata

import base45

from common.mynumber import looks_like_card_qr
from printouts.payload.errors import (
    DamagedError,
    LooksLikeMyNumberCardError,
    NotOursError,
    UnsupportedVersionError,
)

FORMAT_VERSION = 1  # the format this module's PREFIX names: format 1, the first
PREFIX = f"KS{FORMAT_VERSION}-"
KNOWN_VERSIONS = frozenset({1, 2})  # what the desk reads; the kiosk writes 2 when it has forms
# "KS", a version number, "-": a later version is recognised as ours and refused by version.
_PREFIX = re.compile(r"KS([0-9]{1,3})-")

# QR version 40 holds 4,296 alphanumeric characters; a longer text is not a slip, and bounding
# it first keeps the work done on junk small.
MAX_SCAN_CHARS = 4296

# Each table maps what a layout mix-up produces back to what the slip printed. Applied to the
# whole text: once a text is mangled, every symbol in it is (see the module docstring).
US_SCANNER_ON_JIS_PC = str.maketrans({"(": "*", "~": "+", "+": ":"})
JIS_SCANNER_ON_US_PC = str.maketrans({'"': "*", ":": "+", "'": ":"})
_LAYOUT_FIXES = (US_SCANNER_ON_JIS_PC, JIS_SCANNER_ON_US_PC)


def to_text(envelope: bytes, version: int = FORMAT_VERSION) -> str:
    """The printed text of an envelope: prefix ("KS1-", "KS2-") + Base45."""
    encoded: bytes = base45.b45encode(envelope)
    return f"KS{version}-" + encoded.decode("ascii")


def normalise(scanned: str) -> str:
    """Fold what the scanner and the PC may have done that does not depend on the layout.

    NFKC folds full-width characters (an input method left in 全角 mode); stripping drops the
    scanner's Enter (Base45 never ends in a space: the last character of a group is at most
    "W"); upper() undoes Caps Lock (Base45 has no lower-case letters).
    """
    return unicodedata.normalize("NFKC", scanned).strip().upper()


def read_scan(scanned: str) -> tuple[int, list[bytes]]:
    """The format version and the envelope bytes the scanned text may stand for, the text as
    typed first.

    Raises NotOursError (or LooksLikeMyNumberCardError) for anything without our prefix, without
    parsing it further; UnsupportedVersionError for a prefix of another version; DamagedError if
    no reading of the text is valid Base45.
    """
    if not isinstance(scanned, str):
        raise NotOursError("scanned data is not text")
    if len(scanned) > MAX_SCAN_CHARS + 16:  # room for the scanner's CR/LF and stray spaces
        if _PREFIX.match(normalise(scanned[:64])) is None:
            raise NotOursError()
        raise DamagedError("text is longer than any QR code holds")
    text = normalise(scanned)
    match = _PREFIX.match(text)
    if match is None:
        if looks_like_card_qr(text):
            raise LooksLikeMyNumberCardError()
        raise NotOursError()
    version = int(match.group(1))
    if version not in KNOWN_VERSIONS:
        raise UnsupportedVersionError(f"slip format version {version}")
    body = text[match.end() :]
    readings = [body] + [body.translate(table) for table in _LAYOUT_FIXES]
    candidates: list[bytes] = []
    for reading in dict.fromkeys(readings):  # distinct, in order
        try:
            candidates.append(base45.b45decode(reading))
        except ValueError:
            continue
    if not candidates:
        raise DamagedError("text is not Base45")
    return version, candidates
