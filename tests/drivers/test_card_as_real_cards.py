"""The card as dumps of real cards show it (docs/card.md, "What the card answers").

The one-byte outer length, minimal inner lengths, 63 C0 to the tries-left query on a blocked
PIN, U+3000 and full-width digits in the sample resident, and sex code "0" (not known), which
is read and flagged for the clerk rather than failing the read. In memory: the chip answers
without pcscd; tests/drivers/card/ run the blocked answer and the sample through the stack.
"""

from __future__ import annotations

import datetime

import pytest

from drivers.card import apdu
from drivers.card.emulator import SAMPLE_IDENTITY, Identity, load_identity
from drivers.card.emulator.chip import CardChip, build_basic_four
from drivers.card.errors import PinBlockedError
from drivers.card.model import FLAG_SEX, Sex
from drivers.card.mynumber import MyNumberCard, parse_basic_four
from tests.drivers.test_card_records import ChipChannel, card_for

NAME = "見本\u3000花子"
ADDRESS = "みほん市中央一丁目２番３－１０１号"


def _record(name: str, address: str, sex: bytes, *, long_outer: bool) -> bytes:
    """EF 0002 written out by hand from the layout, minimal lengths inside."""
    items = [
        b"\xdf\x22" + bytes((len(name.encode()),)) + name.encode(),
        b"\xdf\x23" + bytes((len(address.encode()),)) + address.encode(),
        b"\xdf\x24\x08" + b"19850401",
        b"\xdf\x25\x01" + sex,
    ]
    outer_size = 5 if long_outer else 3
    offsets, at = b"", outer_size + 11
    for item in items:
        offsets += at.to_bytes(2, "big")
        at += len(item)
    body = b"\xdf\x21\x08" + offsets + b"".join(items)
    length = b"\x82" + len(body).to_bytes(2, "big") if long_outer else bytes((len(body),))
    return b"\xff\x20" + length + body + b"\xff" * 32


@pytest.fixture
def sample() -> Identity:
    return load_identity(SAMPLE_IDENTITY)


@pytest.mark.parametrize("long_outer", [False, True], ids=["FF 20 LL", "FF 20 82 HH LL"])
def test_both_outer_length_forms_read_the_same(long_outer: bool) -> None:
    record = _record(NAME, "みほ", b"2", long_outer=long_outer)
    assert record[2] == (0x82 if long_outer else len(record.rstrip(b"\xff")) - 3)
    basic = parse_basic_four(record)
    assert (basic.name, basic.address, basic.sex) == (NAME, "みほ", Sex.FEMALE)
    assert basic.birth_date == datetime.date(1985, 4, 1)
    assert basic.flags == ()


def test_sex_not_known_is_read_and_flagged_for_the_clerk() -> None:
    basic = parse_basic_four(_record(NAME, ADDRESS, b"0", long_outer=False))
    assert basic.sex is Sex.NOT_KNOWN
    assert basic.flags == (FLAG_SEX,) == ("sex",)
    assert basic.needs_clerk
    assert (basic.name, basic.address) == (NAME, ADDRESS)  # the rest of the card is kept


def test_emulated_card_with_sex_not_known(sample: Identity) -> None:
    card, _ = card_for(sample.with_(sex=Sex.NOT_KNOWN))
    card.verify_pin("1234")
    basic = card.read_basic_four()
    assert (basic.sex, basic.flags) == (Sex.NOT_KNOWN, ("sex",))


def test_emulator_writes_one_byte_outer_and_minimal_inner_lengths(sample: Identity) -> None:
    record = build_basic_four(sample)
    body_size = record[2]
    assert record[:2] == b"\xff\x20" and body_size < 0x80  # FF 20 LL, not FF 20 82 00 LL
    assert record[3:6] == b"\xdf\x21\x08"
    name = NAME.encode()
    assert b"\xdf\x22" + bytes((len(name),)) + name in record  # no 81 / 82 inside
    address = ADDRESS.encode()
    assert b"\xdf\x23" + bytes((len(address),)) + address in record
    offsets = [int.from_bytes(record[6 + 2 * i : 8 + 2 * i], "big") for i in range(4)]
    assert [record[o : o + 2] for o in offsets] == [b"\xdf\x22", b"\xdf\x23", b"\xdf\x24", b"\xdf\x25"]
    assert record[3 + body_size :].strip(b"\xff") == b""


def test_emulator_uses_82_when_the_record_does_not_fit_one_byte(sample: Identity) -> None:
    long_address = ADDRESS + "みほん台ハイツ" * 30
    record = build_basic_four(sample.with_(address=long_address))
    assert record[2] == 0x82
    assert parse_basic_four(record).address == long_address


def test_sample_resident_round_trips_full_width_space_and_digits(sample: Identity) -> None:
    assert (sample.name, sample.address) == (NAME, ADDRESS)
    card, _ = card_for(sample)
    card.verify_pin("1234")
    basic = card.read_basic_four()
    assert basic.name == NAME and "\u3000" in basic.name and " " not in basic.name
    assert basic.address == ADDRESS
    assert "\uff12" in basic.address and "\uff0d" in basic.address  # ２ and －, not folded
    assert basic.flags == ()


def test_blocked_pin_answers_63_c0_to_the_tries_left_query(sample: Identity) -> None:
    chip = CardChip(sample.with_(tries_left=0))
    chip.process(apdu.select_df(apdu.AID_INPUT_ASSISTANCE))
    chip.process(apdu.select_ef(apdu.EF_PIN))
    assert chip.process(apdu.verify_status()) == b"\x63\xc0"
    assert chip.process(apdu.verify_pin("1234")) == b"\x69\x84"
    assert chip.tries_left == 0


class Answers6984(ChipChannel):
    """A card whose blocked PIN answers the tries-left query with 69 84, as some readers'
    code expects."""

    def transmit(self, command: bytes) -> apdu.Response:
        if command == apdu.verify_status():
            self.sent.append(command)
            return apdu.Response.from_bytes(b"\x69\x84")
        return super().transmit(command)


def test_blocked_answer_given_as_69_84_is_still_blocked(sample: Identity) -> None:
    channel = Answers6984(CardChip(sample.with_(tries_left=0)))
    card = MyNumberCard(channel)
    assert card.pin_tries_left() == 0
    with pytest.raises(PinBlockedError):
        card.verify_pin("1234", allow_last_try=True)
    assert apdu.verify_pin("1234") not in channel.sent  # a blocked PIN is not even tried
