"""The My Number card's input-assistance AP (券面事項入力補助AP), read the way the kiosk needs.

Every step follows docs/card.md, "What the card answers". The class sends
no APDU it does not need: it remembers which file is selected and what the last VERIFY
said about the tries left, so the usual kiosk flow (select, tries left, verify, read) costs
7 APDUs for a record under 263 bytes.
"""

from __future__ import annotations

import datetime

from common.mynumber import MY_NUMBER_LENGTH, is_valid_my_number
from drivers.card import apdu, tlv
from drivers.card.errors import (
    LastPinTryError,
    NotMyNumberCardError,
    PinBlockedError,
    PinFormatError,
    PinNotVerifiedError,
    UnreadableDataError,
    WrongPinError,
)
from drivers.card.model import (
    FLAG_ADDRESS,
    FLAG_NAME,
    FLAG_SEX,
    BasicFour,
    Sex,
    decode_card_text,
)
from drivers.card.reader import CardChannel

# Tags of the basic-four record (docs/card.md, "The basic-four record").
TAG_BASIC_FOUR = 0xFF20
TAG_HEADER = 0xDF21
TAG_NAME = 0xDF22
TAG_ADDRESS = 0xDF23
TAG_BIRTH_DATE = 0xDF24
TAG_SEX = 0xDF25
TAG_MY_NUMBER = 0xFF10

# First READ BINARY sizes (docs/card.md): 7 bytes hold `FF 20` and any length form up to
# `84 xx xx xx xx`; the My Number EF is read whole in 17 bytes.
BASIC_FOUR_FIRST_READ = 7
MY_NUMBER_FIRST_READ = 17
# A header that does not fit in this many bytes, or a record larger than the EF could be,
# is corrupt: stop rather than read on.
MAX_HEADER = 16
MAX_RECORD = 0x2000


class MyNumberCard:
    """The input-assistance AP of the card on one channel. Not thread-safe: one session,
    one thread, as a card can only follow one conversation."""

    def __init__(self, channel: CardChannel) -> None:
        self._channel = channel
        self._selected = False
        self._current_ef: int | None = None
        self._tries_left: int | None = None

    def select(self) -> None:
        """SELECT the AP by its AID. A card without it (6A 82, or any refusal) is not a My
        Number card; the ATR is not looked at because each card generation has a new one."""
        response = self._channel.transmit(apdu.select_df(apdu.AID_INPUT_ASSISTANCE))
        if not response.ok:
            raise NotMyNumberCardError()
        self._selected = True
        self._current_ef = None

    def pin_tries_left(self) -> int:
        """Tries left before the PIN locks (0 when locked); spends none (VERIFY, no data).

        A blocked PIN answers 63 C0 here on real cards; 69 84 is read the same way, as some
        readers' code expects it (docs/card.md, "What the card answers")."""
        self._select_ef(apdu.EF_PIN)
        response = self._channel.transmit(apdu.verify_status())
        tries = apdu.tries_left_from_sw(response.sw)
        if tries is not None:
            self._tries_left = tries
        elif response.sw in (apdu.SW_AUTH_BLOCKED, apdu.SW_AUTH_METHOD_BLOCKED):
            self._tries_left = 0
        elif response.ok:
            # 90 00: already verified in this session, and a correct PIN resets the counter.
            self._tries_left = apdu.PIN_MAX_TRIES
        else:
            raise _unexpected_status("VERIFY (status)", response.sw)
        return self._tries_left

    def verify_pin(self, pin: str, *, allow_last_try: bool = False) -> None:
        """VERIFY the PIN.

        Refuses to spend the last try unless `allow_last_try`: a blocked card can only be
        unblocked at the city office, so the kiosk sends the resident to a clerk instead.
        A malformed PIN is refused before it reaches the card, so it costs no try.
        """
        if not apdu.is_well_formed_pin(pin):
            raise PinFormatError()
        tries = self._tries_left if self._tries_left is not None else self.pin_tries_left()
        if tries == 0:
            raise PinBlockedError()
        if tries == 1 and not allow_last_try:
            raise LastPinTryError()
        self._select_ef(apdu.EF_PIN)
        response = self._channel.transmit(apdu.verify_pin(pin))
        if response.ok:
            self._tries_left = apdu.PIN_MAX_TRIES
            return
        left = apdu.tries_left_from_sw(response.sw)
        if left is not None:
            self._tries_left = left
            if left == 0:
                raise PinBlockedError()
            raise WrongPinError(left)
        if response.sw in (apdu.SW_AUTH_BLOCKED, apdu.SW_AUTH_METHOD_BLOCKED):
            self._tries_left = 0
            raise PinBlockedError()
        raise _unexpected_status("VERIFY", response.sw)

    def read_basic_four(self) -> BasicFour:
        """Name, address, birth date and sex, after a successful VERIFY."""
        self._select_ef(apdu.EF_BASIC_FOUR)
        return parse_basic_four(self._read_record(BASIC_FOUR_FIRST_READ))

    def read_my_number(self) -> str:
        """The 12-digit individual number, check digit verified. Only for procedures that the
        My Number Act names (see DESIGN.md); never log or store what this returns."""
        self._select_ef(apdu.EF_MY_NUMBER)
        return parse_my_number(self._read_record(MY_NUMBER_FIRST_READ))

    def _select_ef(self, fid: int) -> None:
        if not self._selected:
            self.select()
        if self._current_ef == fid:
            return
        response = self._channel.transmit(apdu.select_ef(fid))
        if response.sw == apdu.SW_FILE_NOT_FOUND:
            raise NotMyNumberCardError()
        if not response.ok:
            raise _unexpected_status("SELECT EF", response.sw)
        self._current_ef = fid

    def _read_binary(self, offset: int, length: int) -> bytes:
        response = self._channel.transmit(apdu.read_binary(offset, length))
        if response.sw == apdu.SW_SECURITY_NOT_SATISFIED:
            raise PinNotVerifiedError()
        if response.ok or (response.sw == apdu.SW_END_OF_FILE and response.data):
            return response.data
        raise _unexpected_status("READ BINARY", response.sw)

    def _read_record(self, first_read: int) -> bytes:
        """Read the TLV record at the start of the current EF: the header first to learn its
        size, then the rest in chunks of at most 256 bytes, offset in P1/P2."""
        data = self._read_binary(0, first_read)
        while True:
            try:
                _tag, length, header_length = tlv.parse_header(data)
                break
            except tlv.TlvIncomplete:
                if len(data) >= MAX_HEADER:
                    raise _unreadable("record header") from None
                data += self._read_binary(len(data), MAX_HEADER - len(data))
            except tlv.TlvError:
                raise _unreadable("record header") from None
        total = header_length + length
        if total > MAX_RECORD:
            raise _unreadable("record length")
        while len(data) < total:
            if len(data) > apdu.MAX_OFFSET:
                raise _unreadable("record length")
            chunk = self._read_binary(len(data), min(apdu.MAX_SHORT_LE, total - len(data)))
            if not chunk:
                raise _unreadable("record ends early")
            data += chunk
        return data[:total]


def parse_basic_four(record: bytes) -> BasicFour:
    """Decode the EF 0002 record. Structure that cannot be read raises UnreadableDataError;
    a name or address that is not clean UTF-8, or a sex recorded as not known ("0"), is
    kept, flagged for the clerk, and does not fail."""
    try:
        outer = tlv.parse_one(record)
        if outer.tag != TAG_BASIC_FOUR:
            raise _unreadable("basic-four template")
        fields: dict[int, bytes] = {}
        for item in outer.children():
            fields.setdefault(item.tag, item.value)
    except tlv.TlvError:
        raise _unreadable("basic-four record") from None
    missing = [tag for tag in (TAG_NAME, TAG_ADDRESS, TAG_BIRTH_DATE, TAG_SEX) if tag not in fields]
    if missing:
        raise _unreadable("basic-four fields " + ", ".join(f"{t:X}" for t in missing))
    raw_name, raw_address = fields[TAG_NAME], fields[TAG_ADDRESS]
    name, name_ok = decode_card_text(raw_name)
    address, address_ok = decode_card_text(raw_address)
    sex = _parse_sex(fields[TAG_SEX])
    checks = ((FLAG_NAME, name_ok), (FLAG_ADDRESS, address_ok), (FLAG_SEX, sex is not Sex.NOT_KNOWN))
    flags = tuple(f for f, ok in checks if not ok)
    return BasicFour(
        name=name,
        address=address,
        birth_date=_parse_birth_date(fields[TAG_BIRTH_DATE]),
        sex=sex,
        flags=flags,
        raw_name=raw_name,
        raw_address=raw_address,
    )


def parse_my_number(record: bytes) -> str:
    """Decode the EF 0001 record `FF 10 0C` + 12 ASCII digits; a wrong check digit means a
    misread and is an error, never a number handed on."""
    try:
        value = tlv.parse_one(record)
    except tlv.TlvError:
        raise _unreadable("My Number record") from None
    if value.tag != TAG_MY_NUMBER or len(value.value) != MY_NUMBER_LENGTH:
        raise _unreadable("My Number record")
    number = value.value.decode("ascii", errors="replace")
    if not is_valid_my_number(number):
        raise _unreadable("My Number check digit")
    return number


def _parse_birth_date(raw: bytes) -> datetime.date:
    text = raw.decode("ascii", errors="replace")
    if len(text) != 8 or not text.isdigit():
        raise _unreadable("birth date")
    try:
        return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise _unreadable("birth date") from None


def _parse_sex(raw: bytes) -> Sex:
    try:
        return Sex.from_iso5218(raw.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        raise _unreadable("sex") from None


def _unreadable(what: str) -> UnreadableDataError:
    # The English message names the part for IT staff; it never quotes the data itself.
    return UnreadableDataError(
        en=f"{UnreadableDataError.message_en} (IT staff: {what} did not decode)"
    )


def _unexpected_status(command: str, sw: int) -> UnreadableDataError:
    return UnreadableDataError(
        en=f"{UnreadableDataError.message_en} (IT staff: {command} answered {sw:04X})"
    )
