"""The marks on an answer: every code worded for the clerk, the card's value kept and read back."""

from __future__ import annotations

import datetime as dt

import pytest

from common.flags import (
    FLAG_WORDS,
    FlagCode,
    card_value_mark,
    needs_check,
    split_marks,
)


@pytest.mark.parametrize("code", [c for c in FlagCode if c != FlagCode.WARNING])
def test_every_code_has_the_clerks_words_in_both_languages(code: FlagCode) -> None:
    """A warning is worded by the form's own rule; any other code without words would reach
    the desk as 要確認 and a bare code."""
    ja, en = FLAG_WORDS[code]
    assert ja and en and ja != en


def test_only_from_the_card_is_a_plain_fact_and_an_unknown_code_is_checked() -> None:
    assert [c for c in FlagCode if not needs_check(c)] == [FlagCode.FROM_CARD]
    assert needs_check("a_code_from_a_newer_kiosk")


@pytest.mark.parametrize(("card", "kept"), [
    ("見本 花子", "見本 花子"),
    (dt.date(1985, 4, 1), "1985-04-01"),  # as the answers hold a date
    (None, None),  # a card value of None is still told from none kept
])
def test_the_cards_value_travels_in_one_mark_and_is_read_back(card: object, kept: object) -> None:
    mark = card_value_mark(card)
    assert "\\u" not in mark  # the name as written, not escaped
    assert split_marks([FlagCode.FROM_CARD, FlagCode.CORRECTED, mark]) == (
        ["from_card", "corrected"], (kept,))


def test_without_a_kept_value_or_with_a_broken_one_there_is_none() -> None:
    assert split_marks(["from_card"]) == (["from_card"], None)
    assert split_marks(["corrected", "card_value:{broken"]) == (["corrected"], None)


def test_the_kiosk_names_the_same_codes() -> None:
    from kiosk import application  # noqa: PLC0415 - only this test reaches past common

    assert application.FlagCode is FlagCode and application.split_marks is split_marks
