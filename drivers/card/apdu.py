"""Command and response APDUs of the My Number card, as plain bytes.

Nothing here talks to a reader: the builders return the exact bytes listed in
docs/card.md ("What the card answers"), so a unit test can hold them against that
table. Short APDUs only (ISO/IEC 7816-4 5.1): many readers lack extended
length, so every command fits Lc <= 255 and Le <= 256.
"""

from __future__ import annotations

from dataclasses import dataclass

# Application identifiers (docs/card.md, "What the card answers").
AID_INPUT_ASSISTANCE = bytes.fromhex("D3921000310001010408")  # 券面事項入力補助AP
AID_CARD_FACE = bytes.fromhex("D3921000310001010402")  # 券面AP
AID_JPKI = bytes.fromhex("D392F000260100000001")  # 公的個人認証AP

# Elementary files inside the input-assistance AP.
EF_MY_NUMBER = 0x0001
EF_BASIC_FOUR = 0x0002
EF_PIN = 0x0011

PIN_LENGTH = 4
PIN_MAX_TRIES = 3

# The largest Le a short APDU can ask for (encoded as 00) and the largest READ BINARY
# offset (P1 bit 8 must stay 0, else P1 names a short EF identifier: ISO 7816-4 11.2.3).
MAX_SHORT_LE = 256
MAX_OFFSET = 0x7FFF

# Status words (ISO/IEC 7816-4 5.6) that the card is documented to answer.
SW_OK = 0x9000
SW_END_OF_FILE = 0x6282  # fewer bytes than Le before the end of the file
SW_WRONG_LENGTH = 0x6700
SW_INCOMPATIBLE_FILE = 0x6981  # e.g. READ BINARY on the PIN EF
SW_SECURITY_NOT_SATISFIED = 0x6982  # read before VERIFY
SW_AUTH_METHOD_BLOCKED = 0x6983
SW_AUTH_BLOCKED = 0x6984  # PIN blocked (reference data not usable)
SW_NO_CURRENT_EF = 0x6986
SW_FUNCTION_NOT_SUPPORTED = 0x6A81
SW_FILE_NOT_FOUND = 0x6A82  # unknown AID or EF: not a My Number card
SW_WRONG_P1P2 = 0x6A86
SW_WRONG_OFFSET = 0x6B00
SW_INS_NOT_SUPPORTED = 0x6D00
SW_CLA_NOT_SUPPORTED = 0x6E00

INS_SELECT = 0xA4
INS_VERIFY = 0x20
INS_READ_BINARY = 0xB0


def select_df(aid: bytes) -> bytes:
    """SELECT by DF name, no FCI returned (P1=04, P2=0C): step "select the AP"."""
    if not 1 <= len(aid) <= 16:
        raise ValueError(f"an AID is 1 to 16 bytes, got {len(aid)}")
    return bytes((0x00, INS_SELECT, 0x04, 0x0C, len(aid))) + aid


def select_ef(fid: int) -> bytes:
    """SELECT an EF by its 2-byte identifier under the current DF (P1=02, P2=0C)."""
    if not 0 <= fid <= 0xFFFF:
        raise ValueError(f"an EF identifier is 2 bytes, got {fid:#x}")
    return bytes((0x00, INS_SELECT, 0x02, 0x0C, 0x02)) + fid.to_bytes(2, "big")


def verify_status() -> bytes:
    """VERIFY with no data: asks for the tries left (63 Cx) without spending one (case 1)."""
    return bytes((0x00, INS_VERIFY, 0x00, 0x80))


def verify_pin(pin: str) -> bytes:
    """VERIFY the 4-digit PIN of the currently selected PIN EF, sent as ASCII digits."""
    if not is_well_formed_pin(pin):
        raise ValueError("the PIN is 4 ASCII digits")
    return bytes((0x00, INS_VERIFY, 0x00, 0x80, PIN_LENGTH)) + pin.encode("ascii")


def read_binary(offset: int, length: int) -> bytes:
    """READ BINARY of `length` bytes at `offset` of the current EF (offset in P1/P2)."""
    if not 0 <= offset <= MAX_OFFSET:
        raise ValueError(f"READ BINARY offset must be 0..{MAX_OFFSET:#x}, got {offset:#x}")
    if not 1 <= length <= MAX_SHORT_LE:
        raise ValueError(f"a short READ BINARY asks 1..{MAX_SHORT_LE} bytes, got {length}")
    return bytes((0x00, INS_READ_BINARY, offset >> 8, offset & 0xFF, length & 0xFF))


def is_well_formed_pin(pin: str) -> bool:
    """4 half-width digits; full-width digits (１２３４) are refused, not converted."""
    return len(pin) == PIN_LENGTH and pin.isascii() and pin.isdigit()


def tries_left_from_sw(sw: int) -> int | None:
    """63 Cx carries the tries left in x (ISO 7816-4 table 6, "counter")."""
    if sw & 0xFFF0 == 0x63C0:
        return sw & 0x0F
    return None


@dataclass(frozen=True, slots=True)
class Response:
    """A response APDU split into its data and its status word."""

    data: bytes
    sw: int

    @classmethod
    def from_bytes(cls, raw: bytes) -> Response:
        if len(raw) < 2:
            raise ValueError("a response APDU ends with a 2-byte status word")
        return cls(raw[:-2], int.from_bytes(raw[-2:], "big"))

    @property
    def ok(self) -> bool:
        return self.sw == SW_OK


@dataclass(frozen=True, slots=True)
class Command:
    """A short command APDU taken apart: what the card side (the emulator) needs."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None  # None: no Le field; 256 for Le=00

    @classmethod
    def parse(cls, raw: bytes) -> Command:
        """Decode the four short cases of ISO 7816-4 5.1; extended length is refused."""
        if len(raw) < 4:
            raise ValueError("a command APDU has at least 4 bytes")
        cla, ins, p1, p2 = raw[:4]
        body = raw[4:]
        if not body:
            return cls(cla, ins, p1, p2)
        if len(body) == 1:
            return cls(cla, ins, p1, p2, le=body[0] or MAX_SHORT_LE)
        lc = body[0]
        if lc == 0:
            raise ValueError("extended-length APDU (Lc = 00 ...) is not supported")
        if len(body) == 1 + lc:
            return cls(cla, ins, p1, p2, data=bytes(body[1:]))
        if len(body) == 2 + lc:
            return cls(cla, ins, p1, p2, data=bytes(body[1:-1]), le=body[-1] or MAX_SHORT_LE)
        raise ValueError(f"Lc = {lc} does not match the {len(body) - 1} bytes that follow")
