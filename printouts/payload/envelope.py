"""The clear header of a slip envelope, formats 1 and 2 (docs/slip-format.md, sections 2 and
"Format 2").

    format 1: version (1) = 0x01 || office, packed BCD (3) || counter key id (8) || kiosk key id (8)
    format 2: version (1) = 0x02 | coding << 4 || office (3) || counter key id (4) || kiosk key id (4)

The desk needs the header before it can open anything (which of its keys, which office), so it
is in the clear; it is bound by both the seal (HPKE info) and the signature. Format 2 shortens
the key ids to their first 4 bytes (the desk tries every key whose id starts so: the seal and
the signature tell the right one) and keeps the content's coding in the version byte's high
nibble, so the coding is bound as well.
"""

from __future__ import annotations

from dataclasses import dataclass

from printouts.payload.errors import DamagedError

HEADER_BYTES = {1: 20, 2: 12}
KEY_ID_BYTES = {1: 8, 2: 4}
SIGNATURE_BYTES = 64
SEAL_LABELS = {1: b"kiosk-slip/1 seal", 2: b"kiosk-slip/2 seal"}
SIGNATURE_LABELS = {1: b"kiosk-slip/1 signature", 2: b"kiosk-slip/2 signature"}
VERSIONS = frozenset(HEADER_BYTES)


@dataclass(frozen=True)
class Header:
    version: int
    coding: int  # format 2: how the content's body is coded (content2.CODINGS); format 1: 0
    office_code: str
    counter_key_id: bytes  # whole (format 1) or its first KEY_ID_BYTES[2] bytes (format 2)
    kiosk_key_id: bytes
    raw: bytes

    @property
    def seal_info(self) -> bytes:
        return SEAL_LABELS[self.version] + self.raw

    def signed(self, content: bytes) -> bytes:
        """What the kiosk signs: the label, this header and the content."""
        return SIGNATURE_LABELS[self.version] + self.raw + content

    @classmethod
    def build(
        cls, version: int, office_code: str, counter_key_id: bytes, kiosk_key_id: bytes,
        coding: int = 0,
    ) -> Header:
        size = KEY_ID_BYTES[version]
        counter, kiosk = counter_key_id[:size], kiosk_key_id[:size]
        bcd = bytes.fromhex(office_code)  # packed BCD is the digits read as hex: 99 99 97
        raw = bytes([version | coding << 4]) + bcd + counter + kiosk
        return cls(version, coding, office_code, counter, kiosk, raw)

    @classmethod
    def parse(cls, envelope: bytes, version: int) -> Header:
        """The header of an envelope whose text prefix said `version`."""
        raw = envelope[: HEADER_BYTES[version]]
        office = raw[1:4].hex()
        first = raw[0]
        coding = first >> 4 if version >= 2 else 0
        if first & 0x0F != version or (version == 1 and first != 1) or not office.isdigit():
            raise DamagedError(f"header is not a format {version} header")
        size = KEY_ID_BYTES[version]
        return cls(version, coding, office, raw[4 : 4 + size], raw[4 + size : 4 + 2 * size], raw)
