"""Dates offer 「今日」 and only what their bounds allow; each question says which procedure of
how many it belongs to (journeys: date_and_progress_steps.py, on the real kiosk window).

Screenshots go to test-artifacts/dates/ (the move date at both text sizes, a header with
large text and high contrast, in Japanese and English).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.kiosk.ui.conftest import run_journeys, walked

pytestmark = [pytest.mark.ui, pytest.mark.slow, pytest.mark.timeout(600)]

ROOT = Path(__file__).parents[3]
SCREENS = ROOT / "test-artifacts" / "dates"
Result = dict[str, Any]


@pytest.fixture(scope="module")
def walks(tmp_path_factory: pytest.TempPathFactory) -> Result:
    journeys: Result = run_journeys(
        "tests.kiosk.ui.date_and_progress_steps", work=tmp_path_factory.mktemp("kiosk-dates"),
        screens=SCREENS, timeout=500)["journeys"]
    return journeys


# -- dates: the clock says 2026-11-23 (令和8年); the move date allows 2025-11-23 to today ----------


def test_the_today_key_answers_todays_date(walks: Result) -> None:
    found = walked(walks, "dates_bounds_and_today")
    assert found["move"]["today"]
    assert found["move"]["today_label"] == "今日（令和8年11月23日）"
    assert found["answers"]["moved_on"] == found["today"] == "2026-11-23"
    assert "born" not in found["answers"]  # one tap answered one question, no more


def test_a_date_a_year_back_at_most_offers_only_its_era_years_months_and_days(
        walks: Result) -> None:
    move = walked(walks, "dates_bounds_and_today")["move"]
    assert move["eras"] == ["R", "western"]  # no 昭和, 平成, 大正 or 明治
    assert move["years"] == ["7", "8"]  # 令和7年 (2025) and 令和8年 (2026)
    assert move["months"] == ["11", "12"]  # 2025: from November
    assert move["days"] == [str(d) for d in range(23, 31)]  # November 2025: from the 23rd


def test_a_birth_date_still_offers_every_era(walks: Result) -> None:
    birth = walked(walks, "dates_bounds_and_today")["birth"]
    assert birth["eras"] == ["R", "H", "S", "T", "M", "western"]
    assert birth["years"] == [str(y) for y in range(1, 46)]  # 明治元年 to 明治45年
    assert birth["today"]  # max: today allows today


def test_the_picker_and_its_header_fit_with_large_text(walks: Result) -> None:
    move = walked(walks, "dates_bounds_and_today")["move"]
    assert move["overflowing_large"] == []
    assert move["header_large"]["inside"] and move["header_large"]["fits_width"]


# -- the top line of each question -----------------------------------------------------------


def test_a_lone_procedure_is_named_without_a_count(walks: Result) -> None:
    found = walked(walks, "progress_lone_procedure")
    assert found["header"]["text"] == "住民票の写し"


def test_a_life_event_counts_its_procedures(walks: Result) -> None:
    found = walked(walks, "progress_life_event")
    assert found["procedures"] == ["juminhyo", "koseki_shomei"]
    numbered = [seen["text"] for seen in found["seen"] if seen["number"] is not None]
    assert numbered, found["seen"]
    assert numbered[0] == "手続き 1/2 住民票の写し"
    assert numbered[-1] == "手続き 2/2 戸籍謄本・抄本など"
    assert all(text.startswith("手続き 1/2 ") for text in numbered[:-1])
    shared = [seen["text"] for seen in found["seen"] if seen["number"] is None]
    assert shared and all(text.startswith("共通の質問（2つの手続きに使います）") for text in shared)


def test_the_count_fits_with_large_text_and_reads_in_english(walks: Result) -> None:
    found = walked(walks, "progress_life_event")
    assert found["large"]["text"] == "手続き 2/2 戸籍謄本・抄本など"
    assert found["english"]["text"] == "Procedure 2 of 2: Family register certificates (koseki)"
    for facts in (found["large"], found["english"]):
        assert facts["inside"] and facts["fits_width"], facts


def test_the_shared_questions_say_they_serve_every_procedure(walks: Result) -> None:
    found = walked(walks, "progress_shared_questions")
    assert [shared for _form, shared in found["procedures"]] == [True, False, False]
    assert found["header"]["text"] == "共通の質問（2つの手続きに使います）"
    assert found["header"]["inside"] and found["header"]["fits_width"]
