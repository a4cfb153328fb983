"""`kiosk forms preview LIFE_EVENT --household N`: the slip a whole life event prints, with
codes of the real size for a household of N, read back from the 203-dpi image by two readers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from forms.loader import load_library
from kiosk.cli.event_preview import event_forms, household_answers
from kiosk.errors import KioskError
from tests.printouts.documents_helpers import (
    TODAY,
    page_size_mm,
    rasterise,
    read_qr,
    save_pngs,
    text_of,
    without_spaces,
    zbar,
)
from tests.printouts.test_preview import run_preview

LIBRARY = load_library()
LINE = re.compile(r"^  (\d+)\. (.+?): (.+?): (\d+) characters, QR version (\d+)$")


def _codes(pdf: bytes, tmp_path: Path, name: str) -> list[str]:
    image = rasterise(pdf, 203)
    png = tmp_path / f"{name}.png"
    image.save(png)
    found = read_qr(image)
    assert sorted(zbar(png).splitlines()) == sorted(found)
    return found


@pytest.mark.parametrize("paper", ["80mm", "58mm"])
def test_moving_in_prints_one_real_size_code_per_counter(
        paper: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_preview("moving_in", "--household", "4", "--out", str(tmp_path), "--slip-paper", paper) == 0
    out = capsys.readouterr().out.splitlines()
    path = tmp_path / "moving_in-household4-slip.pdf"
    assert out[0] == str(path)
    lines = [LINE.match(line) for line in out[1:]]
    assert all(lines), out
    described = [(m[2], m[3], int(m[4])) for m in lines if m]
    assert [(c.split(" / ")[0], t) for c, t, _ in described] == [
        ("市民課 住民記録係", "転入届・印鑑登録"), ("マイナンバーカード窓口", "マイナンバーカードの住所・氏名の変更"),
        ("保険年金課", "国民健康保険の加入・脱退"), ("こども家庭課", "児童手当の申請")]
    pdf = path.read_bytes()
    save_pngs(pdf, f"preview-moving_in-household4-{paper}", dpi=203)
    width = page_size_mm(pdf)[0]
    assert abs(width - int(paper[:2])) < 0.3
    codes = _codes(pdf, tmp_path, paper)
    assert [len(c) for c in codes] == [n for _, _, n in described]  # real size, in visit order
    assert all(c.startswith("PREVIEW-") for c in codes)  # a stand-in: no desk opens it
    words = without_spaces(text_of(pdf))
    assert "1.市民課住民記録係" in words and "4.こども家庭課" in words


def test_a_larger_household_makes_longer_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sizes = []
    for n in (1, 6):
        assert run_preview("moving_in", "--household", str(n), "--out", str(tmp_path)) == 0
        sizes.append([int(m[4]) for m in map(LINE.match, capsys.readouterr().out.splitlines()[1:]) if m])
    assert len(sizes[0]) == len(sizes[1]) == 4
    assert all(big > small for small, big in zip(*sizes, strict=True))


def test_household_fills_every_group_with_n_people_of_their_own() -> None:
    for form in event_forms(LIBRARY.life_events["moving_in"], LIBRARY):
        answers = household_answers(form, TODAY, 5)
        for group in (f for f in form.all_fields() if f.kind.repeats):
            items = answers.get(group.id)
            if isinstance(items, list) and items:
                assert len(items) == min(5, group.max if isinstance(group.max, int) else 5)
                names = [v for item in items for k, v in item.items() if k.endswith("name")]
                assert len(set(names)) == len(names), (form.id, names)


def test_a_procedure_preview_still_works_and_a_bad_household_is_refused(tmp_path: Path) -> None:
    assert run_preview("juminhyo", "--out", str(tmp_path)) == 0
    assert (tmp_path / "juminhyo-slip.pdf").exists()
    with pytest.raises(KioskError):
        run_preview("moving_in", "--household", "0", "--out", str(tmp_path))
