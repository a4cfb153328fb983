"""The bank and branch searched by their reading, and the account number typed digit by digit,
on the real kiosk window by touches (journeys: bank_steps.py).

Screenshots go to test-artifacts/banks/ (the list before typing, after ミツビシ, with large
text and high contrast, the branch after マルノ, the digits, the confirm screen, nothing
found, going back).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiosk.ui.resident.theme import MIN_TARGET_PX
from tests.kiosk.ui.conftest import run_journeys, walked
from tests.kiosk.ui.test_inputs import contrast_ratio

pytestmark = [pytest.mark.ui, pytest.mark.slow, pytest.mark.timeout(600)]

ROOT = Path(__file__).parents[3]
SCREENS = ROOT / "test-artifacts" / "banks"
Result = dict[str, Any]


@pytest.fixture(scope="module")
def walks(tmp_path_factory: pytest.TempPathFactory) -> Result:
    journeys: Result = run_journeys(
        "tests.kiosk.ui.bank_steps", work=tmp_path_factory.mktemp("kiosk-banks"),
        screens=SCREENS, timeout=500)["journeys"]
    return journeys


def names(listed: list[list[str]]) -> list[str]:
    return [name for _code, name, _kana in listed]


def account_walks(walks: Result) -> list[Result]:
    """The test form's walk, and 児童手当's once it asks for its bank by type."""
    found = [walked(walks, "bank_account_by_touch")]
    jidou = walked(walks, "bank_jidou_teate")
    return [*found, jidou] if jidou["asks_bank"] else found


def test_before_typing_the_list_shows_the_large_banks_first(walks: Result) -> None:
    before = walked(walks, "bank_account_by_touch")["before"]
    assert names(before["listed"])[:3] == ["みずほ銀行", "三菱ＵＦＪ銀行", "三井住友銀行"]
    assert before["typed"] == "" and before["selected"] == []
    assert "読みを入力して" in before["picked_line"]


def test_mitsubishi_typed_by_touch_lists_mufg_with_its_reading(walks: Result) -> None:
    for found in account_walks(walks):
        typed = found["typed"]
        assert typed["typed"] == "ミツビシ"
        assert ["0005", "三菱ＵＦＪ銀行", "ミツビシユーエフジエイ"] in typed["listed"]
        assert "みずほ銀行" not in names(typed["listed"])  # the list follows the reading


def test_large_text_mid_search_keeps_the_list_and_15_mm_targets(walks: Result) -> None:
    for found in account_walks(walks):
        large = found["large"]
        assert large["typed"] == "ミツビシ"
        assert "三菱ＵＦＪ銀行" in names(large["listed"])
        assert large["smallest_key"]["px"] >= MIN_TARGET_PX, large["smallest_key"]
        assert large["smallest_tile"]["px"] >= MIN_TARGET_PX, large["smallest_tile"]
        assert large["keys_overflowing"] == [] and large["tiles_cut"] == []


def test_the_monkeys_checks_find_nothing_on_the_bank_list(walks: Result) -> None:
    """Clipped text, contrast and target sizes at normal, large, large with high contrast."""
    for found in account_walks(walks):
        assert found["monkey_faults"] == {"normal": [], "large": [], "large_contrast": []}


def test_the_picked_bank_is_marked_and_readable_in_high_contrast(walks: Result) -> None:
    for found in account_walks(walks):
        assert found["picked"]["selected"] == ["bank:pick:0005"]
        assert found["picked"]["picked_line"] == "選んだ金融機関：三菱ＵＦＪ銀行"
        for tile in found["contrast"].values():
            assert contrast_ratio(tile["fg"], tile["bg"]) >= 7, tile
        assert found["contrast"]["other"]["bg"][:3] == [0.0, 0.0, 0.0]  # black, as contrast is


def test_the_branch_is_searched_among_the_picked_banks_branches(walks: Result) -> None:
    for found in account_walks(walks):
        assert names(found["branch_before"]["listed"])[:2] == ["本店", "丸の内"]  # MUFG's
        branch = found["branch"]
        assert branch["typed"] == "マルノ"
        assert names(branch["listed"]) == ["丸の内", "新丸の内"]
        assert found["answers"] == {"bank": "0005", "branch": "002"}


def test_the_confirm_screen_names_the_bank_and_the_branch(walks: Result) -> None:
    for found in account_walks(walks):
        assert "三菱ＵＦＪ銀行" in found["confirm"]
        assert "丸の内" in found["confirm"]


def test_digits_count_as_typed_and_keep_the_leading_zeros(walks: Result) -> None:
    for found in account_walks(walks):
        assert found["digits_three"] == {"shown": "001", "count": "3 / 7"}
        assert found["digits_all"] == {"shown": "0012345", "count": "7 / 7"}
        assert found["account_number"] == "0012345"
        assert "0012345" in found["confirm"]


def test_jidou_teate_asks_for_its_bank_by_reading(walks: Result) -> None:
    assert walked(walks, "bank_jidou_teate")["asks_bank"]


def test_a_reading_no_bank_has_says_so_plainly(walks: Result) -> None:
    found = walked(walks, "bank_not_found_and_back")
    assert found["nothing_en"]["typed"] == found["nothing"]["typed"] == "ヲヲヲ"  # kept across
    assert found["nothing"]["listed"] == []
    assert "見つかりません。読みを確かめてください。" in found["nothing"]["text"]
    assert "職員をお呼びください" in found["nothing"]["text"]
    assert "Not found. Please check the reading." in found["nothing_en"]["text"]


def test_going_back_shows_the_picked_bank_first_and_marked(walks: Result) -> None:
    back = walked(walks, "bank_not_found_and_back")
    assert back["back"]["listed"][0][:2] == ["9900", "ゆうちょ銀行"]
    assert back["back"]["selected"] == ["bank:pick:9900"]
    assert back["back"]["picked_line"] == "選んだ金融機関：ゆうちょ銀行"
    assert back["value_after_back"] == "9900"
