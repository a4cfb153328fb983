"""The one bilingual error base: what any layer's error says, and how a layer re-words another's."""

from __future__ import annotations

from common.errors import BilingualError


class PaperOut(BilingualError):
    code = "paper_out"
    message_ja = "用紙がありません。"
    message_en = "Out of paper."


def test_class_texts_with_the_detail_after_them() -> None:
    error = PaperOut("queue slip")
    assert error.code == "paper_out"
    assert error.message("ja") == "用紙がありません。 (queue slip)"
    assert error.message("en") == "Out of paper. (queue slip)"
    assert error.message() == "用紙がありません。 / Out of paper. (queue slip)"
    assert str(error) == error.message()
    assert error.text("en") == "Out of paper."


def test_without_detail_nothing_is_appended() -> None:
    assert PaperOut().message("en") == "Out of paper."
    assert PaperOut().detail == ""


def test_an_instance_may_carry_another_layers_code_and_words() -> None:
    error = BilingualError("x", code="card_removed", ja="カードが外れました。", en="The card was removed.")
    assert (error.code, error.message_ja, error.message_en) == ("card_removed", "カードが外れました。",
                                                                "The card was removed.")
    assert PaperOut.code == "paper_out"  # the class keeps its own
    assert BilingualError().code == "error"
