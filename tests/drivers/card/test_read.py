"""Reading the basic four items through pyscard -> pcscd -> vpcd -> emulator."""

from __future__ import annotations

import datetime

import pytest

from drivers.card import apdu
from drivers.card.emulator import Identity
from drivers.card.errors import NotMyNumberCardError, UnreadableDataError
from drivers.card.model import Sex
from drivers.card.mynumber import MyNumberCard
from drivers.card.reader import PcscReaders
from tests.conftest import PlaceCard
from tests.drivers.card.flows import read_basic_four

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]


def test_happy_path(place_card: PlaceCard, sample: Identity) -> None:
    card = place_card()
    basic, reader = read_basic_four()
    assert reader == "Virtual PCD 00 00"
    # As real cards hold them: U+3000 between the names, full-width digits and U+FF0D "－".
    assert basic.name == "見本\u3000花子" == sample.name
    assert basic.address == "みほん市中央一丁目\uff12番\uff13\uff0d\uff11\uff10\uff11号"
    assert basic.address == sample.address
    assert basic.birth_date == datetime.date(1985, 4, 1)
    assert basic.sex is Sex.FEMALE
    assert basic.flags == ()
    # No more APDUs than the documented steps: select AP, PIN EF, tries, verify, EF, 2 reads.
    assert len(card.commands) == 7
    assert apdu.select_ef(apdu.EF_MY_NUMBER) not in card.commands


def test_my_number_with_valid_check_digit(place_card: PlaceCard) -> None:
    place_card()
    with PcscReaders().wait_for_card(timeout=5) as channel:
        card = MyNumberCard(channel)
        card.verify_pin("1234")
        assert card.read_my_number() == "123456789018"


def test_my_number_with_wrong_check_digit_is_refused(place_card: PlaceCard) -> None:
    place_card(my_number="123456789010")
    with PcscReaders().wait_for_card(timeout=5) as channel:
        card = MyNumberCard(channel)
        card.verify_pin("1234")
        with pytest.raises(UnreadableDataError) as caught:
            card.read_my_number()
    assert "123456789010" not in str(caught.value)


def test_card_without_the_application(place_card: PlaceCard) -> None:
    place_card(applications=("jpki",))
    with pytest.raises(NotMyNumberCardError) as caught:
        read_basic_four()
    assert "マイナンバーカード" in caught.value.message_ja


def test_address_longer_than_256_bytes(place_card: PlaceCard) -> None:
    address = "みほん市中央一丁目2番3号" + "みほん台ハイツ南棟" * 12
    assert len(address.encode()) > 256
    card = place_card(address=address)
    basic, _ = read_basic_four()
    assert basic.address == address
    reads = [c for c in card.commands if c[1] == apdu.INS_READ_BINARY]
    assert len(reads) == 3  # 7-byte header, 256, the rest


@pytest.mark.parametrize(
    "name",
    ["𠮷田 太郎", "髙橋 﨑子", "齋藤 𠮷", "﨑山 髙齋"],
)
def test_rare_characters_read_back_exactly(place_card: PlaceCard, name: str) -> None:
    place_card(name=name)
    basic, _ = read_basic_four()
    assert basic.name == name
    assert [hex(ord(c)) for c in basic.name] == [hex(ord(c)) for c in name]
    assert basic.flags == ()


def test_undecodable_name_is_flagged_with_raw_bytes_kept(place_card: PlaceCard) -> None:
    raw = "見本 ".encode() + bytes.fromhex("ff fe 81")
    place_card(raw_name=raw)
    basic, _ = read_basic_four()
    assert basic.flags == ("name",)
    assert basic.raw_name == raw
    assert basic.name.startswith("見本 ") and "\ufffd" in basic.name
    assert basic.address == "みほん市中央一丁目２番３－１０１号"


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
def test_malformed_record_is_unreadable(place_card: PlaceCard, malformed: str) -> None:
    place_card(malformed=malformed)
    with pytest.raises(UnreadableDataError) as caught:
        read_basic_four()
    assert "職員" in caught.value.message_ja
