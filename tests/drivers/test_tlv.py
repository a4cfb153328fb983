"""The lenient BER-TLV reader against the encodings the My Number card is known to use."""

from __future__ import annotations

import pytest

from drivers.card import tlv


@pytest.mark.parametrize(
    "encoded",
    [
        "DF2203414243",  # minimal
        "DF228103414243",  # 81 with a short length
        "DF2282000341 4243",  # 82 with a leading zero byte
        "DF228300000341 4243",  # 83, two leading zero bytes
        "DF80220341 4243",  # tag with a leading zero group
    ],
)
def test_non_minimal_lengths_and_tags_read_the_same(encoded: str) -> None:
    item = tlv.parse_one(bytes.fromhex(encoded))
    assert (item.tag, item.value) == (0xDF22, b"ABC")


def test_outer_template_with_82_length_and_children() -> None:
    inner = bytes.fromhex("DF2401") + b"1" + bytes.fromhex("DF2501") + b"2"
    record = bytes.fromhex("FF2082") + len(inner).to_bytes(2, "big") + inner
    outer = tlv.parse_one(record + b"\xff" * 40)
    assert outer.tag == 0xFF20
    assert outer.constructed
    assert [(c.tag, c.value) for c in outer.children()] == [(0xDF24, b"1"), (0xDF25, b"2")]


def test_card_tag_ff10_keeps_its_long_form() -> None:
    item = tlv.parse_one(bytes.fromhex("FF100C") + b"123456789018")
    assert item.tag == 0xFF10


def test_padding_between_and_after_objects_is_skipped() -> None:
    data = bytes.fromhex("00 DF2201 41 FFFF DF2301 42 00 FF FF FF")
    assert [(t.tag, t.value) for t in tlv.parse_all(data)] == [(0xDF22, b"A"), (0xDF23, b"B")]


def test_only_padding_is_no_objects() -> None:
    assert tlv.parse_all(b"\xff" * 17) == []
    assert tlv.parse_all(b"") == []


def test_header_cut_short_asks_for_more() -> None:
    with pytest.raises(tlv.TlvIncomplete):
        tlv.parse_header(bytes.fromhex("FF2082 01"))
    assert tlv.parse_header(bytes.fromhex("FF2082 0123 DF21")) == (0xFF20, 0x123, 5)


def test_value_running_past_the_data_is_incomplete() -> None:
    with pytest.raises(tlv.TlvIncomplete):
        tlv.parse_one(bytes.fromhex("DF2205 4142"))


@pytest.mark.parametrize(
    "encoded",
    [
        "DF2280",  # indefinite length
        "DF22 89 000000000000000001 41",  # 9 length bytes
        "FF FF FF FF FF 00",  # a tag that never ends
    ],
)
def test_unreadable_headers_are_errors(encoded: str) -> None:
    with pytest.raises(tlv.TlvError):
        tlv.parse_one(bytes.fromhex(encoded))


def test_child_overrunning_its_template_is_an_error() -> None:
    outer = tlv.parse_one(bytes.fromhex("FF2004 DF2209 41"))
    with pytest.raises(tlv.TlvError):
        outer.children()
