"""The My Number layer without a reader: records decoded, and the APDUs the card is sent.

The channel here is the emulator's chip answering in memory, so these run without pcscd;
tests/drivers/card/ run the same flows through the real PC/SC stack.
"""

from __future__ import annotations

import datetime
import subprocess
import sys

import pytest

from drivers.card import apdu
from drivers.card.emulator import SAMPLE_IDENTITY, Identity, load_identity
from drivers.card.emulator.chip import CardChip
from drivers.card.errors import (
    LastPinTryError,
    NotMyNumberCardError,
    PinBlockedError,
    PinFormatError,
    PinNotVerifiedError,
    UnreadableDataError,
    WrongPinError,
)
from drivers.card.model import Sex
from drivers.card.mynumber import MyNumberCard, parse_basic_four, parse_my_number
from tests.support.card_readers import FakeChannel


class ChipChannel(FakeChannel):
    """A CardChannel straight onto the emulated chip; records the commands it carried."""

    def __init__(self, chip: CardChip) -> None:
        super().__init__("in-memory")
        self.chip = chip
        self.sent: list[bytes] = []

    def transmit(self, command: bytes) -> apdu.Response:
        self.sent.append(command)
        return apdu.Response.from_bytes(self.chip.process(command))


@pytest.fixture
def sample() -> Identity:
    return load_identity(SAMPLE_IDENTITY)


def card_for(identity: Identity) -> tuple[MyNumberCard, ChipChannel]:
    channel = ChipChannel(CardChip(identity))
    return MyNumberCard(channel), channel


# A record written out by hand from docs/card.md, independent of the emulator's encoder:
# The long outer length and non-minimal inner ones, which the driver must read too:
# FF 20 82 00 36 | DF 21 08 offsets | DF 22 81 0D 見本 花子 | DF 23 82 00 06 みほ
# | DF 24 08 19850401 | DF 25 01 "2" | FF padding
HAND_RECORD = bytes.fromhex(
    "FF20820036"
    "DF2108 0010 0021 002C 0037"
    "DF22810D" + "見本 花子".encode().hex() + "DF23820006" + "みほ".encode().hex() + "DF2408"
    + b"19850401".hex() + "DF2501" + b"2".hex() + "FF" * 30
)


def test_hand_written_record_decodes() -> None:
    assert parse_basic_four(HAND_RECORD[: 5 + 0x36]) == parse_basic_four(HAND_RECORD)
    basic = parse_basic_four(HAND_RECORD)
    assert (basic.name, basic.address) == ("見本 花子", "みほ")
    assert basic.birth_date == datetime.date(1985, 4, 1)
    assert basic.sex is Sex.FEMALE
    assert f"{basic.sex}" == "female"  # a StrEnum: forms compare it with plain words
    assert basic.flags == ()


def test_repr_shows_no_personal_data(sample: Identity) -> None:
    card, _ = card_for(sample)
    card.verify_pin("1234")
    basic = card.read_basic_four()
    assert "見本" not in repr(basic)
    assert "1985" not in repr(basic)
    assert "見本" not in repr(sample)


def test_full_flow_costs_seven_apdus(sample: Identity) -> None:
    card, channel = card_for(sample)
    card.select()
    assert card.pin_tries_left() == 3
    card.verify_pin("1234")
    basic = card.read_basic_four()
    assert (basic.name, basic.address, basic.sex) == (sample.name, sample.address, Sex.FEMALE)
    assert len(channel.sent) == 7
    assert channel.sent[5] == apdu.read_binary(0, 7)


def test_long_address_is_read_in_chunks_of_at_most_256(sample: Identity) -> None:
    address = "みほん市中央一丁目2番3号" + "みほん台ハイツ" * 30  # > 600 bytes of UTF-8
    card, channel = card_for(sample.with_(address=address))
    card.verify_pin("1234")
    assert card.read_basic_four().address == address
    reads = [c for c in channel.sent if c[1] == apdu.INS_READ_BINARY]
    offsets = [int.from_bytes(c[2:4], "big") for c in reads]
    sizes = [c[4] or 256 for c in reads]
    assert offsets == [0, 7, 7 + 256, 7 + 512]
    assert sizes[:3] == [7, 256, 256]
    assert all(len(c) <= 5 + 255 for c in channel.sent)  # short APDUs only


def test_my_number_is_read_only_when_asked(sample: Identity) -> None:
    card, channel = card_for(sample)
    card.verify_pin("1234")
    card.read_basic_four()
    assert apdu.select_ef(apdu.EF_MY_NUMBER) not in channel.sent
    assert card.read_my_number() == "123456789018"


def test_wrong_check_digit_is_unreadable(sample: Identity) -> None:
    card, _ = card_for(sample.with_(my_number="123456789010"))
    card.verify_pin("1234")
    with pytest.raises(UnreadableDataError):
        card.read_my_number()


def test_my_number_record_parse() -> None:
    assert parse_my_number(bytes.fromhex("FF100C") + b"123456789018" + b"\xff\xff") == (
        "123456789018"
    )
    with pytest.raises(UnreadableDataError):
        parse_my_number(bytes.fromhex("FF100B") + b"12345678901")


def test_read_before_verify_says_enter_the_pin(sample: Identity) -> None:
    card, _ = card_for(sample)
    with pytest.raises(PinNotVerifiedError):
        card.read_basic_four()


def test_pin_counter_down_to_blocked(sample: Identity) -> None:
    card, channel = card_for(sample)
    assert card.pin_tries_left() == 3
    with pytest.raises(WrongPinError) as first:
        card.verify_pin("0000")
    assert first.value.tries_left == 2
    with pytest.raises(WrongPinError) as second:
        card.verify_pin("0000")
    assert second.value.tries_left == 1
    assert "窓口" in second.value.message_ja
    with pytest.raises(LastPinTryError):
        card.verify_pin("1234")
    assert channel.chip.tries_left == 1  # the refusal spent nothing
    with pytest.raises(PinBlockedError):
        card.verify_pin("0000", allow_last_try=True)
    assert card.pin_tries_left() == 0
    with pytest.raises(PinBlockedError):
        card.verify_pin("1234", allow_last_try=True)


def test_correct_pin_resets_the_counter(sample: Identity) -> None:
    card, _ = card_for(sample.with_(tries_left=2))
    card.verify_pin("1234")
    assert card.pin_tries_left() == 3


@pytest.mark.parametrize("pin", ["123", "12345", "１２３４", "12a4"])
def test_malformed_pin_spends_no_try(sample: Identity, pin: str) -> None:
    card, channel = card_for(sample)
    with pytest.raises(PinFormatError):
        card.verify_pin(pin)
    assert channel.chip.tries_left == 3
    assert channel.sent == []


def test_card_without_the_application(sample: Identity) -> None:
    card, _ = card_for(sample.with_(applications=("jpki", "card_face")))
    with pytest.raises(NotMyNumberCardError):
        card.select()


def test_undecodable_name_is_flagged_and_kept(sample: Identity) -> None:
    raw = "見本 ".encode() + b"\xff\xfe"
    card, _ = card_for(sample.with_(raw_name=raw))
    card.verify_pin("1234")
    basic = card.read_basic_four()
    assert basic.flags == ("name",)
    assert basic.raw_name == raw
    assert basic.name.startswith("見本 ")
    assert "\ufffd" in basic.name
    assert basic.address == sample.address


def test_name_holding_the_replacement_character_is_flagged(sample: Identity) -> None:
    card, _ = card_for(sample.with_(name="見本 \ufffd子"))
    card.verify_pin("1234")
    assert card.read_basic_four().flags == ("name",)


@pytest.mark.parametrize(
    "malformed",
    [
        "truncated",
        "bad_inner_length",
        "missing_birth_date",
        "bad_birth_date",
        "bad_sex",
        "wrong_template",
        "blank",
    ],
)
def test_malformed_record_is_unreadable(sample: Identity, malformed: str) -> None:
    card, _ = card_for(sample.with_(malformed=malformed))
    card.verify_pin("1234")
    with pytest.raises(UnreadableDataError) as caught:
        card.read_basic_four()
    assert sample.name not in str(caught.value)


def test_errors_speak_both_languages() -> None:
    error = WrongPinError(2)
    assert error.message_ja in str(error)
    assert error.message_en in str(error)
    assert "2" in error.message_en
    assert error.message("en") == error.message_en


def test_driver_imports_nothing_of_the_application() -> None:
    code = (
        "import sys, drivers.card.mynumber, drivers.card.reader, drivers.card.emulator, "
        "drivers.card.emulator.pcscd\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'kiosk', 'forms', 'printouts', 'kivy'})\n"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""
