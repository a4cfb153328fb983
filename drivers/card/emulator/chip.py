"""The emulated chip: files, PIN counter and status words, with no transport attached.

It answers as specs/mynumber-card.md says the real card does: 6A 82 for an unknown AID,
69 82 for a read before VERIFY, 63 Cx for a wrong PIN, 69 84 once blocked, a PIN counter
that only a correct PIN resets, FF padding after the records and non-minimal TLV lengths.
The records are encoded here on their own (the driver only decodes), so a mistake in the
driver's parser is not mirrored by the emulator.
"""

from __future__ import annotations

from drivers.card import apdu
from drivers.card.emulator.identity import APPLICATIONS, Identity

# Spec "Basic-four record (EF 0002)": the tags the input-assistance AP uses.
_OUTER = b"\xff\x20"
_HEADER = b"\xdf\x21"
_NAME = b"\xdf\x22"
_ADDRESS = b"\xdf\x23"
_BIRTH = b"\xdf\x24"
_SEX = b"\xdf\x25"
_EF_SIZE_STEP = 0x100

CONTROL_POWER_OFF, CONTROL_POWER_ON, CONTROL_RESET, CONTROL_ATR = 0, 1, 2, 4


def _sw(sw: int) -> bytes:
    return sw.to_bytes(2, "big")


def _length(n: int, form: str) -> bytes:
    """Encode a length as the card may: "min" minimal, "81" one byte after 81 even when
    short, "82" two bytes after 82 (leading zero when short)."""
    if form == "81" and n <= 0xFF:
        return bytes((0x81, n))
    if form == "82" or n > 0xFF:
        return b"\x82" + n.to_bytes(2, "big")
    return bytes((n,)) if n < 0x80 else bytes((0x81, n))


def _tlv(tag: bytes, value: bytes, form: str = "min") -> bytes:
    return tag + _length(len(value), form) + value


def build_basic_four(identity: Identity) -> bytes:
    """EF 0002: FF 20 82 HH LL { DF 21 offsets, DF 22 name, DF 23 address, DF 24, DF 25 }."""
    birth = identity.birth_date.strftime("%Y%m%d").encode("ascii")
    sex = identity.sex.iso5218.encode("ascii")
    name_form = "81"  # non-minimal on purpose, as the real card's lengths may be
    if identity.malformed == "bad_birth_date":
        birth = b"19851399"
    if identity.malformed == "bad_sex":
        sex = b"7"
    items = [
        _tlv(_NAME, identity.name_bytes, name_form),
        _tlv(_ADDRESS, identity.address_bytes, "82"),
        _tlv(_BIRTH, birth),
        _tlv(_SEX, sex),
    ]
    if identity.malformed == "missing_birth_date":
        items[2] = b""
    outer_header_size = len(_OUTER) + 3  # FF 20 82 HH LL
    offsets, at = [], outer_header_size + len(_HEADER) + 1 + 8
    for item in items:
        offsets.append(at)
        at += len(item)
    header = _tlv(_HEADER, b"".join(o.to_bytes(2, "big") for o in offsets))
    body = header + b"".join(items)
    if identity.malformed == "bad_inner_length":
        cut = len(header)
        body = body[:cut] + _NAME + b"\x82\x0f\xff" + body[cut + len(_NAME) + 2 :]
    record = _tlv(b"\xff\x21" if identity.malformed == "wrong_template" else _OUTER, body, "82")
    if identity.malformed == "truncated":
        return record[:-8]  # the file ends before the record does, no padding
    if identity.malformed == "blank":
        record = b""
    size = (len(record) // _EF_SIZE_STEP + 1) * _EF_SIZE_STEP
    return record + b"\xff" * (size - len(record))


def build_my_number(identity: Identity) -> bytes:
    """EF 0001: FF 10 0C + 12 ASCII digits, padded with FF to the 17 bytes the spec reads."""
    return _tlv(b"\xff\x10", identity.my_number.encode("ascii")) + b"\xff\xff"


class CardChip:
    """The card's state. `tries_left` outlives power cycles and removals, as the real
    counter lives in the chip's memory; the selected file and the verified PIN do not."""

    def __init__(self, identity: Identity) -> None:
        self.identity = identity
        self.tries_left = identity.tries_left
        self._aids = {APPLICATIONS[name]: name for name in identity.applications}
        self._files = {
            apdu.EF_MY_NUMBER: build_my_number(identity),
            apdu.EF_BASIC_FOUR: build_basic_four(identity),
        }
        self._df: str | None = None
        self._ef: int | None = None
        self._verified = False

    def power_cycle(self) -> None:
        self._df = None
        self._ef = None
        self._verified = False

    def control(self, code: int) -> bytes | None:
        """A vpcd control byte; only "send ATR" is answered."""
        if code == CONTROL_ATR:
            return self.identity.atr
        if code in (CONTROL_POWER_OFF, CONTROL_POWER_ON, CONTROL_RESET):
            self.power_cycle()
        return None

    def process(self, raw: bytes) -> bytes:
        try:
            command = apdu.Command.parse(raw)
        except ValueError:
            return _sw(apdu.SW_WRONG_LENGTH)
        if command.cla != 0x00:
            return _sw(apdu.SW_CLA_NOT_SUPPORTED)
        if command.ins == apdu.INS_SELECT:
            return self._select(command)
        if command.ins == apdu.INS_VERIFY:
            return self._verify(command)
        if command.ins == apdu.INS_READ_BINARY:
            return self._read_binary(command)
        return _sw(apdu.SW_INS_NOT_SUPPORTED)

    def _select(self, command: apdu.Command) -> bytes:
        if command.p2 != 0x0C:
            return _sw(apdu.SW_WRONG_P1P2)
        if command.p1 == 0x04:
            return self._select_df(command.data)
        if command.p1 == 0x02:
            return self._select_ef(command.data)
        return _sw(apdu.SW_WRONG_P1P2)

    def _select_df(self, aid: bytes) -> bytes:
        name = self._aids.get(aid)
        if name is None:
            return _sw(apdu.SW_FILE_NOT_FOUND)
        self._df, self._ef, self._verified = name, None, False
        return _sw(apdu.SW_OK)

    def _select_ef(self, data: bytes) -> bytes:
        if len(data) != 2:
            return _sw(apdu.SW_WRONG_LENGTH)
        fid = int.from_bytes(data, "big")
        # Only the input-assistance AP's files are modelled.
        known = (apdu.EF_PIN, apdu.EF_MY_NUMBER, apdu.EF_BASIC_FOUR)
        if self._df != "input_assistance" or fid not in known:
            return _sw(apdu.SW_FILE_NOT_FOUND)
        self._ef = fid
        return _sw(apdu.SW_OK)

    def _verify(self, command: apdu.Command) -> bytes:
        if command.p1 != 0x00 or command.p2 != 0x80:
            return _sw(apdu.SW_WRONG_P1P2)
        if self._ef != apdu.EF_PIN:
            return _sw(apdu.SW_NO_CURRENT_EF)
        if self.tries_left == 0:
            return _sw(apdu.SW_AUTH_BLOCKED)
        if not command.data:
            return _sw(apdu.SW_OK if self._verified else 0x63C0 | self.tries_left)
        if command.data == self.identity.pin.encode("ascii"):
            self.tries_left = apdu.PIN_MAX_TRIES
            self._verified = True
            return _sw(apdu.SW_OK)
        self.tries_left -= 1
        self._verified = False
        return _sw(0x63C0 | self.tries_left)

    def _read_binary(self, command: apdu.Command) -> bytes:
        refusal = self._read_refusal(command)
        if refusal is not None:
            return _sw(refusal)
        content = self._files[self._ef] if self._ef is not None else b""
        wanted = command.le or apdu.MAX_SHORT_LE
        offset = (command.p1 << 8) | command.p2
        if offset >= len(content):
            return _sw(apdu.SW_WRONG_OFFSET)
        chunk = content[offset : offset + wanted]
        return chunk + _sw(apdu.SW_OK if len(chunk) == wanted else apdu.SW_END_OF_FILE)

    def _read_refusal(self, command: apdu.Command) -> int | None:
        if command.p1 & 0x80:
            return apdu.SW_FUNCTION_NOT_SUPPORTED  # short EF identifiers: not modelled
        if command.data or command.le is None:
            return apdu.SW_WRONG_LENGTH
        if self._ef == apdu.EF_PIN:
            return apdu.SW_INCOMPATIBLE_FILE
        if self._ef not in self._files:
            return apdu.SW_NO_CURRENT_EF
        if not self._verified:
            return apdu.SW_SECURITY_NOT_SATISFIED
        return None
