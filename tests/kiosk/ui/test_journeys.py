"""The kiosk screen driven by touches on the real widgets, under Xvfb (see conftest.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from common.clock import JST
from forms.loader import load_library
from kiosk.application import ProcedureAnswers, SlipOrigin, Submission, slip_codes
from kiosk.ui.resident.theme import MIN_TARGET_MM
from printouts.payload import decode, init_keys, load_desk_keys, load_kiosk_keys, new_slip_id
from tests.kiosk.session_fixtures import KIOSK_ID

pytestmark = [pytest.mark.ui, pytest.mark.slow, pytest.mark.timeout(400)]

Result = dict[str, Any]


def test_card_juminhyo(journey: Result) -> None:
    print(f"touches: {journey['touches']}")
    assert journey["touches"] < 10
    assert journey["form"] == "juminhyo"
    assert journey["values"] == {
        "applicant": "self", "applicant_name": "見本 花子",
        "applicant_address": "みほん市中央一丁目2番3号", "applicant_birth_date": "1985-04-01",
        "scope": "household", "copies": 1, "purpose": "pension",
    }
    assert journey["flags"]["applicant_name"] == ["from_card"]
    assert journey["card_calls"].count("read_identity") == 1  # one PIN, right first time


def test_wrong_then_right_pin(journey: Result) -> None:
    assert journey["message_shown"] and journey["tries_shown"]
    assert (journey["screen"], journey["identity"], journey["card_tries"]) == ("question", True, 3)


def test_last_try_not_risked(journey: Result) -> None:
    assert (journey["screen"], journey["problem"]) == ("card_problem", "last_try")
    assert not journey["pin_sent"]
    assert not journey["retry_offered"] and journey["manual_offered"]
    assert "あと1回まちがえると" in journey["text"]


def test_blocked_card_paper_form(journey: Result) -> None:
    assert journey["screen"] == "paper"
    assert journey["paper_forms"] == ["juminhyo"]
    assert "申請書をお取りください" in journey["text"]


def test_manual_entry(journey: Result) -> None:
    values = journey["values"]
    assert values["applicant_name"] == "\U00020bb7田 太郎"
    assert values["applicant_address"] == "東京都千代田区千代田1-1"
    assert values["applicant_birth_date"] == "1975-01-02"
    assert journey["flags"]["applicant_name"] == ["manual"]
    assert journey["manual"]["name_kana"] == "ヨシダ タロウ"  # typed on the kana keyboard
    assert journey["address_prefilled"]  # from the postal code
    assert journey["left_after_finish"] == []


def test_yoshi_is_drawn_from_a_font_that_has_it(ui_results: Result) -> None:
    manual = ui_results["journeys"]["manual_entry"]
    assert any("NotoSansCJK" in markup and "\U00020bb7" in markup
               for markup in manual["yoshi_markup"])
    pixels = ui_results["journeys"]["yoshi_pixels"]
    assert pixels["own"] < 0.02  # the glyph Noto Sans CJK draws for 𠮷
    assert pixels["own"] < pixels["kichi"]  # not its look-alike 吉
    assert pixels["box"] > 0.2  # and nothing like BIZ UD Gothic's missing-glyph box


def test_mynumber_card_group(journey: Result) -> None:
    assert journey["changes"] == ["address"]
    assert journey["first_item_question"] == "cards[0].reissue_signature_cert"
    assert "市民課 住民記録係の窓口へお進みください" in journey["done"]
    assert "そのあと 保険年金課 でもお手続きします" in journey["done"]
    assert journey["cards"] == [
        {"holder_name": "見本 花子", "holder_birth_date": "1985-04-01", "reissue_signature_cert": False},
        {"holder_name": "まだ", "holder_birth_date": "1993-03-04", "reissue_signature_cert": False}]


def test_idle_timeout_wipes(journey: Result) -> None:
    assert {"見本", "花子", "ねんきん"} <= set(journey["before"])  # the check sees them
    assert "続けますか" in journey["warning"] and "15秒" in journey["warning"]
    assert journey["screen"] == "welcome"
    assert journey["after"] == []  # no personal datum in any widget, shown or not
    assert journey["caches"] == {"textinput.label": 0, "textinput.width": 0}


def test_language_switch(journey: Result) -> None:
    assert "Whose entries do you need?" in journey["english_question"]
    assert journey["answers_after_switch"]["applicant"] == "self"
    assert "The person themself" in journey["confirm"]
    assert "Everyone in the household" in journey["confirm"]
    assert "世帯全員" in journey["japanese_again"]
    assert journey["values"]["applicant"] == "self"
    assert journey["lang_after_finish"] == "ja"


def test_life_event(journey: Result) -> None:
    assert "マイナンバーカードを持っている人がいますか" in journey["first_question"]
    assert journey["procedures"] == ["tennyu", "mynumber_card_address", "jidou_teate"]
    assert journey["shared_first"] == ["moving_in"]  # its shared questions, asked first
    for title in ("転入届", "マイナンバーカードの住所・氏名の変更", "児童手当の申請"):
        assert title in journey["identify"]


def test_staff(journey: Result) -> None:
    assert journey["close_blocked"] and journey["escape_swallowed"] and journey["still_running"]
    assert "職員IDまたは暗証番号が違います" in journey["wrong_pin_text"]
    assert "職員ID：kanri" in journey["wrong_pin_text"]  # the ID kept, the PIN asked again
    assert not journey["pad_before_id"]  # the ID first, on letters and digits
    assert journey["staff_mode"] and "職員が操作しています" in journey["note"]
    assert journey["may_close_in_staff_mode"]
    assert not journey["staff_mode_after_end"]


def test_staff_clerk_cannot_close(journey: Result) -> None:
    assert "職員ID" in journey["typed_id"] and "k.tanaka" in journey["typed_id"]
    assert "職員用の暗証番号" in journey["pin_step"] and "職員ID：k.tanaka" in journey["pin_step"]
    assert journey["who"] == ["k.tanaka", "clerk"]
    assert "端末を終了できるのは管理者（admin）だけです" in journey["refused"]
    assert not journey["confirm_offered"] and journey["quits"] == []
    assert journey["window_kept"]  # the window's close button obeys the same rule
    assert journey["trail"] == [["signed_in", "pin", KIOSK_ID],
                                ["refused", "close_kiosk", KIOSK_ID],
                                ["refused", "close_kiosk", KIOSK_ID]]
    assert journey["after_end"] == [None, None]


def test_print_failure(journey: Result) -> None:
    assert "印刷できませんでした。職員が印刷し直します" in journey["text"]
    assert journey["stored"] == 1


def test_accessibility(journey: Result) -> None:
    assert journey["font_size_large"] > journey["font_size_after_wipe"]  # reset for the next
    assert journey["background"] == [0.0, 0.0, 0.0, 1.0]  # high contrast
    assert journey["min_target_px"] >= round(MIN_TARGET_MM / 25.4 * 96)
    assert journey["smallest_target_px"] >= journey["min_target_px"]


def test_every_screen_was_photographed(ui_results: Result) -> None:
    names = " ".join(ui_results["screens"])
    for screen in ("welcome", "identify", "pin", "question", "confirm", "done", "card-problem",
                   "paper", "manual", "screening", "staff", "staff-login", "idle", "group"):
        assert screen in names


# ------------------------------------------------ asking once (issue 13; life_event_steps.py)
def figures(name: str, journey: Result) -> None:
    """The line bench/README.md's "Asking once" figures are read from."""
    print(f"journey {name} household 4: touches {journey['touches']}, "
          f"screens {journey['screens']}, asked again {journey['asked_again']}")
    assert journey["asked_again"] == 0, journey["again"]
    assert journey["ticket"].startswith("A-") and journey["ticket"] in journey["done"]


def headers_say_where(journey: Result) -> None:
    """Each question's top line: the shared questions, or 「手続き k/n」 and the procedure."""
    assert {seen["number"] is None for seen in journey["headers"]} == {True, False}
    for seen in journey["headers"]:
        if seen["number"] is None:
            assert seen["text"].startswith("共通の質問"), seen
        else:
            assert seen["text"].startswith(f"手続き {seen['number']}/{seen['total']} "), seen


def names(items: list[Result], key: str) -> list[str]:
    return [item[key] for item in items]


def test_moving_in_household_4(journey: Result) -> None:
    figures("moving_in", journey)
    headers_say_where(journey)
    assert journey["forms"] == ["tennyu", "mynumber_card_address", "kokuho", "jidou_teate",
                                "inkan_toroku"]
    values, flags = journey["values"], journey["flags"]
    assert names(values["tennyu"]["members"], "name") == [
        "見本 花子", "見本 太郎", "見本 一郎", "見本 次子"]
    assert flags["tennyu"]["members[0].name"] == ["from_card"]  # the card holder's own line
    assert "members[1].name" not in flags["tennyu"]
    assert names(values["kokuho"]["members"], "member_name") == ["見本 花子", "見本 一郎", "見本 次子"]
    assert (values["kokuho"]["action"], values["kokuho"]["join_reason"]) == ("join", "moved_in")
    assert names(values["jidou_teate"]["children"], "child_name") == ["見本 一郎", "見本 次子"]
    assert values["jidou_teate"]["spouse_name"] == "見本 太郎"
    assert names(values["mynumber_card_address"]["cards"], "holder_name") == [
        "見本 花子", "見本 太郎", "見本 次子"]
    assert {values["tennyu"]["moved_on"], values["kokuho"]["event_date"],
            values["jidou_teate"]["reason_date"]} == {"2026-11-20"}
    assert values["inkan_toroku"]["applicant"] == "self"
    assert "（対象：転入届、" in journey["confirm"]  # a shared answer, with what it fills
    print(f"touches: {journey['touches']}")


def test_moving_in_household_4_reaches_each_counter_in_its_code(
        journey_codes: dict[str, list[tuple[str, dict[str, Any]]]]) -> None:
    """What the screens gave, made into the slip's codes as the kiosk makes them (format 2,
    one a counter) and opened as a desk opens them: every member reaches the counter that
    handles them, and only that counter."""
    held = {counter: [form_id for form_id, _ in procs] for counter, procs in journey_codes.items()}
    assert held == {"resident": ["tennyu", "inkan_toroku"], "mynumber": ["mynumber_card_address"],
                    "insurance": ["kokuho"], "child": ["jidou_teate"]}
    by_form = {form_id: values for procs in journey_codes.values() for form_id, values in procs}
    assert names(by_form["tennyu"]["members"], "name") == [
        "見本 花子", "見本 太郎", "見本 一郎", "見本 次子"]
    assert names(by_form["kokuho"]["members"], "member_name") == ["見本 花子", "見本 一郎", "見本 次子"]
    assert names(by_form["jidou_teate"]["children"], "child_name") == ["見本 一郎", "見本 次子"]
    assert names(by_form["mynumber_card_address"]["cards"], "holder_name") == [
        "見本 花子", "見本 太郎", "見本 次子"]


def test_death_household_4(journey: Result) -> None:
    figures("death", journey)
    headers_say_where(journey)
    assert journey["forms"] == ["kokuho", "sosaihi", "juminhyo", "koseki_shomei"]
    values = journey["values"]
    (member,) = values["kokuho"]["members"]
    assert (member["member_name"], member["member_relationship"]) == ("見本 正男", "father")
    assert (values["kokuho"]["action"], values["kokuho"]["leave_reason"]) == ("leave", "death")
    assert values["sosaihi"]["deceased_name"] == values["juminhyo"]["subject_name"] == "見本 正男"
    assert {values["kokuho"]["event_date"], values["sosaihi"]["death_date"]} == {"2026-11-10"}
    assert values["koseki_shomei"]["kinds"] == ["zenbu"]


def test_birth_household_4(journey: Result) -> None:
    figures("birth", journey)
    headers_say_where(journey)
    assert journey["forms"] == ["jidou_teate", "kokuho"]
    values = journey["values"]
    assert names(values["kokuho"]["members"], "member_name") == ["見本 三郎"]
    assert (values["kokuho"]["action"], values["kokuho"]["join_reason"]) == ("join", "birth")
    assert values["jidou_teate"]["children"][0]["child_name"] == "見本 三郎"
    assert values["jidou_teate"]["spouse_name"] == "見本 太郎"


def test_birth_older_child_added_in_its_own_procedure(ui_results: Result) -> None:
    journey = ui_results["journeys"]["birth_household_4"]
    assert journey["own_rows"] == {"jidou_teate.children": True}
    children = journey["values"]["jidou_teate"]["children"]
    assert names(children, "child_name") == ["見本 三郎", "見本 一郎"]
    assert names(journey["values"]["kokuho"]["members"], "member_name") == ["見本 三郎"]


@pytest.fixture(scope="module")
def journey_codes(ui_results: Result, tmp_path_factory: pytest.TempPathFactory
                  ) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """The moving_in journey's submission through the kiosk's `slip_codes` (throwaway keys)
    and the desk's `decode`: counter -> (form id, answers) of each procedure its code holds."""
    journey = ui_results["journeys"]["moving_in_household_4"]
    library = load_library()
    keys = tmp_path_factory.mktemp("keys")
    init_keys(keys, kiosk_id="K01", office_code="999997")
    sub = Submission(tuple(ProcedureAnswers(f, library.get(f).version, journey["values"][f],
                                            journey["flags"].get(f, {}))
                           for f in journey["forms"]),
                     identity_source="card", staff_assisted=False, lang="ja",
                     created_at=dt.datetime(2026, 11, 23, 10, tzinfo=JST))
    origin = SlipOrigin(office_code="999997", office_name="みほん市役所", kiosk_id="K01",
                        ticket="A-001", slip_id=new_slip_id(), issued_at=sub.created_at)
    forms = [library.get(p.form_id) for p in sub.procedures]
    made = slip_codes(sub, forms, origin, keys=load_kiosk_keys(keys), counters={})
    assert made.on_paper == () and all(code.text for code in made.codes)
    out: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for code in made.codes:
        app = decode(code.text or "", load_desk_keys(keys), office_code="999997",
                     forms=library.form_version).application
        out[app.counter or ""] = [(p.form_id, dict(p.answers)) for p in app.procedures]
    return out
