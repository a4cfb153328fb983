"""The emulated chip: files, PIN counter and status words, with no transport attached.

It answers as docs/card.md ("What the card answers") says real cards do: 6A 82 for an
unknown AID, 69 82 for a read before VERIFY, 63 Cx for a wrong PIN and for the tries-left
query (63 C0 once blocked), a PIN counter that only a correct PIN resets, the outer length in
one byte when it fits, minimal lengths inside and FF padding after the records. Where no dump
of a real card shows the answer, the choice is this emulator's and docs/card.md says so.
The records are encoded here on their own (the driver only decodes), so a mistake in the
driver's parser is not mirrored by the emulator.
"""

from __future__ import annotations

from drivers.card import apdu
from drivers.card.emulator.identity import APPLICATIONS, Identity

# The tags the input-assistance AP uses (docs/card.md, "The basic-four record").
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


def _length(n: int) -> bytes:
    """The shortest BER length (X.690 8.1.3), as real cards write inside the record."""
    if n < 0x80:
        return bytes((n,))
    size = (n.bit_length() + 7) // 8
    return bytes((0x80 | size,)) + n.to_bytes(size, "big")


def _outer_length(n: int) -> bytes:
    """The template's length as dumps of real cards show it: one byte when it fits, else
    `82 HH LL` (docs/card.md, "The basic-four record")."""
    return bytes((n,)) if n < 0x80 else b"\x82" + n.to_bytes(2, "big")


def _tlv(tag: bytes, value: bytes) -> bytes:
    return tag + _length(len(value)) + value


def _items(identity: Identity) -> list[bytes]:
    """DF 22 name, DF 23 address, DF 24 birth date, DF 25 sex, broken as `malformed` asks."""
    birth = identity.birth_date.strftime("%Y%m%d").encode("ascii")
    sex = identity.sex.iso5218.encode("ascii")
    if identity.malformed == "bad_birth_date":
        birth = b"19851399"
    if identity.malformed == "bad_sex":
        sex = b"7"
    name = _tlv(_NAME, identity.name_bytes)
    if identity.malformed == "bad_inner_length":
        name = _NAME + b"\x82\x0f\xff" + identity.name_bytes
    items = [name, _tlv(_ADDRESS, identity.address_bytes), _tlv(_BIRTH, birth), _tlv(_SEX, sex)]
    if identity.malformed == "missing_birth_date":
        items[2] = b""
    return items


def build_basic_four(identity: Identity) -> bytes:
    """EF 0002: FF 20 LL { DF 21 offsets, DF 22 name, DF 23 address, DF 24, DF 25 }, FF padding.

    The header's offsets count from the start of the file, so they depend on how long the
    outer length is: one byte for a record under 128 bytes, `82 HH LL` above.
    """
    items = _items(identity)
    header_size = len(_HEADER) + 1 + 8
    body_size = header_size + sum(len(item) for item in items)
    outer = (b"\xff\x21" if identity.malformed == "wrong_template" else _OUTER) + _outer_length(
        body_size
    )
    offsets, at = [], len(outer) + header_size
    for item in items:
        offsets.append(at)
        at += len(item)
    header = _tlv(_HEADER, b"".join(o.to_bytes(2, "big") for o in offsets))
    record = outer + header + b"".join(items)
    if identity.malformed == "truncated":
        return record[:-8]  # the file ends before the record does, no padding
    if identity.malformed == "blank":
        record = b""
    size = (len(record) // _EF_SIZE_STEP + 1) * _EF_SIZE_STEP
    return record + b"\xff" * (size - len(record))


def build_my_number(identity: Identity) -> bytes:
    """EF 0001: FF 10 0C + 12 ASCII digits, padded with FF to the 17 bytes the driver reads
    (docs/card.md, "The 12-digit number")."""
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
            # Real cards answer the tries-left query on a blocked PIN with 63 C0 and a PIN sent
            # to it with 69 84 (docs/card.md, "What the card answers").
            return _sw(0x63C0 if not command.data else apdu.SW_AUTH_BLOCKED)
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
