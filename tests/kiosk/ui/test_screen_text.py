"""The screens' plain-Python parts, without a screen: catalogues, kana, glyphs, menu order.

None of these imports Kivy (the check at the end makes sure), so they run with the unit
tests; the journeys on the real window are in test_journeys.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from forms.loader import load_library
from kiosk.ui.glyphs import Glyphs, escape
from kiosk.ui.i18n import LOCALE_DIR, Catalogues, Translator, available_languages, compile_po
from kiosk.ui.resident import kana
from kiosk.ui.resident.menu_order import menu_order

UI_DIR = Path(__file__).parents[3] / "kiosk" / "ui"
YOSHI = "\U00020bb7"


def source_msgids() -> set[str]:
    found = extract_from_dir(str(UI_DIR), method_map=[("**.py", "python")],
                             keywords={"tr": None, "N_": None})
    return {str(message) for _file, _line, message, _comments, _context in found}


def catalogue(lang: str) -> dict[str, str]:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "kiosk.po").open("rb") as po:
        parsed = read_po(po)
    assert not parsed.fuzzy
    return {str(m.id): str(m.string or "") for m in parsed if m.id and not m.fuzzy}


# -- catalogues --------------------------------------------------------------------------------


def test_every_screen_text_is_in_the_template_and_translated_to_japanese() -> None:
    in_code = source_msgids()
    with (LOCALE_DIR / "kiosk.pot").open("rb") as pot:
        template = {m.id for m in read_po(pot) if m.id}
    assert in_code == template, "run the pybabel extract line in kiosk/ui/babel.cfg"
    japanese = catalogue("ja")
    untranslated = sorted(msgid for msgid in in_code if not japanese.get(msgid))
    assert untranslated == []
    assert set(catalogue("en")) == in_code  # English: the msgids themselves


def test_placeholders_survive_translation() -> None:
    for msgid, text in catalogue("ja").items():
        assert sorted(part.split("}")[0] for part in msgid.split("{")[1:]) == sorted(
            part.split("}")[0] for part in text.split("{")[1:]), msgid


def test_a_new_language_is_a_new_po_file(tmp_path: Path) -> None:
    po = tmp_path / "vi" / "LC_MESSAGES" / "kiosk.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-8\\n"\n\n'
                  'msgid "Call staff"\nmsgstr "Gọi nhân viên"\n', encoding="utf-8")
    assert available_languages(tmp_path) == ["vi"]
    tr = Translator(Catalogues(tmp_path), "vi")  # compiled in memory: no .mo needed
    assert (tr("Call staff"), tr("Back")) == ("Gọi nhân viên", "Back")
    compile_po(po, po.with_suffix(".mo"))
    assert Translator(Catalogues(tmp_path), "vi")("Call staff") == "Gọi nhân viên"


def test_shipped_languages_and_parameters() -> None:
    assert available_languages() == ["ja", "en"]
    tr = Translator(Catalogues(), "ja")
    assert tr("Tries left before the card locks: {n}", n=2) == "まちがえられる残り回数：2回"
    tr.lang = "en"
    assert tr("Question {n} of {total}", n=1, total=4) == "Question 1 of 4"


# -- kana keyboard -----------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "key", "result"), [
    ("た", kana.add_dakuten, "だ"), ("だ", kana.add_dakuten, "た"),
    ("は", kana.add_handakuten, "ぱ"), ("ば", kana.add_handakuten, "ぱ"),
    ("ぱ", kana.add_dakuten, "ば"), ("ヨシタ", kana.add_dakuten, "ヨシダ"),
    ("つ", kana.toggle_small, "っ"), ("ャ", kana.toggle_small, "ヤ"),
    ("あ", kana.add_dakuten, "あ"), ("", kana.add_dakuten, ""),
    (f"田{YOSHI}", kana.delete_last, "田"), ("葛\U000e0100", kana.delete_last, ""),
])
def test_kana_keys_change_the_last_character(typed: str, key: object, result: str) -> None:
    assert key(typed) == result  # type: ignore[operator]


def test_the_board_is_the_fifty_sounds() -> None:
    letters = "".join("".join(column) for column in kana.COLUMNS)
    assert len(kana.COLUMNS) == 10 and all(len(column) == 5 for column in kana.COLUMNS)
    assert "あ" in letters and "を" in letters and "ん" in letters and "ー" in letters
    assert kana.to_katakana("よしだ たろう") == "ヨシダ タロウ"


# -- glyphs ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def glyphs() -> Glyphs:
    return Glyphs.for_screen()


def test_yoshi_is_drawn_from_noto_and_the_rest_from_biz_ud(glyphs: Glyphs) -> None:
    markup = glyphs.markup(f"{YOSHI}田 太郎")
    assert markup == f"[font={glyphs.path_for(YOSHI)}]{YOSHI}[/font]田 太郎"
    assert "NotoSansCJK" in glyphs.path_for(YOSHI)
    assert glyphs.markup("見本 花子") == "見本 花子"  # nothing to change: no markup at all


def test_markup_is_escaped_and_lines_kept(glyphs: Glyphs) -> None:
    assert escape("[b]&") == "&bl;b&br;&amp;"
    assert glyphs.markup("[見本]\n花子") == "&bl;見本&br;\n花子"


def test_a_character_no_font_has_is_shown_as_geta(glyphs: Glyphs) -> None:
    assert "〓(U+10FFFD)" in glyphs.markup("田\U0010fffd")


# -- the menu ----------------------------------------------------------------------------------


def test_the_certificates_come_first() -> None:
    order = [form.id for form in menu_order([f.form for f in load_library().forms.values()])]
    assert order[:3] == ["juminhyo", "inkan_shomei", "koseki_shomei"]
    assert len(order) == 13


def test_none_of_this_imports_kivy() -> None:
    code = ("import sys, kiosk.ui.i18n, kiosk.ui.glyphs, kiosk.ui.headless, common.text, "
            "kiosk.ui.resident.kana, kiosk.ui.resident.theme, kiosk.ui.resident.menu_order, "
            "kiosk.ui.resident.app, kiosk.ui.desk.app, kiosk.session.display; "
            "print('kivy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=60)
    assert result.stdout.strip() == "False"


def test_the_screens_take_text_rules_and_fonts_from_common_not_printouts() -> None:
    importers = sorted(str(path.relative_to(UI_DIR)) for path in UI_DIR.rglob("*.py")
                       if "printouts" in path.read_text(encoding="utf-8"))
    assert importers == []
