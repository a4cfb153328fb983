"""Command bytes against the table in docs/card.md ("What the card answers"), and the short-APDU limits."""

from __future__ import annotations

import pytest

from drivers.card import apdu


def test_commands_are_the_spec_bytes() -> None:
    assert apdu.select_df(apdu.AID_INPUT_ASSISTANCE).hex(" ").upper() == (
        "00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08"
    )
    assert apdu.select_ef(apdu.EF_PIN) == bytes.fromhex("00A4020C020011")
    assert apdu.select_ef(apdu.EF_BASIC_FOUR) == bytes.fromhex("00A4020C020002")
    assert apdu.select_ef(apdu.EF_MY_NUMBER) == bytes.fromhex("00A4020C020001")
    assert apdu.verify_status() == bytes.fromhex("00200080")
    assert apdu.verify_pin("1234") == bytes.fromhex("002000800431323334")
    assert apdu.read_binary(0, 7) == bytes.fromhex("00B0000007")
    assert apdu.read_binary(0, 17) == bytes.fromhex("00B0000011")


def test_read_binary_puts_the_offset_in_p1_p2_and_256_as_00() -> None:
    assert apdu.read_binary(0x0107, 256) == bytes.fromhex("00B0010700")
    assert apdu.read_binary(0x7FFF, 1) == bytes.fromhex("00B07FFF01")


@pytest.mark.parametrize(("offset", "length"), [(0x8000, 1), (-1, 1), (0, 0), (0, 257)])
def test_read_binary_refuses_what_a_short_apdu_cannot_say(offset: int, length: int) -> None:
    with pytest.raises(ValueError):
        apdu.read_binary(offset, length)


@pytest.mark.parametrize("pin", ["123", "12345", "12a4", "１２３４", " 123", ""])
def test_malformed_pins_never_become_a_command(pin: str) -> None:
    assert not apdu.is_well_formed_pin(pin)
    with pytest.raises(ValueError):
        apdu.verify_pin(pin)


@pytest.mark.parametrize(("sw", "tries"), [(0x63C3, 3), (0x63C1, 1), (0x63C0, 0), (0x6984, None)])
def test_tries_left_from_status_word(sw: int, tries: int | None) -> None:
    assert apdu.tries_left_from_sw(sw) == tries


def test_response_splits_data_and_status_word() -> None:
    response = apdu.Response.from_bytes(bytes.fromhex("41429000"))
    assert (response.data, response.sw, response.ok) == (b"AB", 0x9000, True)
    with pytest.raises(ValueError):
        apdu.Response.from_bytes(b"\x90")


@pytest.mark.parametrize(
    ("raw", "data", "le"),
    [
        ("00200080", b"", None),  # case 1
        ("00B0000007", b"", 7),  # case 2
        ("00B0000000", b"", 256),  # case 2, Le = 256
        ("00A4020C020011", b"\x00\x11", None),  # case 3
        ("00A4040002D39200", b"\xd3\x92", 256),  # case 4
    ],
)
def test_command_parse_short_cases(raw: str, data: bytes, le: int | None) -> None:
    command = apdu.Command.parse(bytes.fromhex(raw))
    assert (command.data, command.le) == (data, le)


@pytest.mark.parametrize("raw", ["00B000", "00B00000000100", "00A4020C030011"])
def test_command_parse_refuses_extended_or_inconsistent(raw: str) -> None:
    with pytest.raises(ValueError):
        apdu.Command.parse(bytes.fromhex(raw))
