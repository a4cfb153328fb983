"""`kiosk forms preview ID --answers FILE`: the branch a file of answers chooses, on paper;
a wrong answer told with the file, the field and what to write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.errors import KioskError
from tests.printouts.documents_helpers import text_of, without_spaces
from tests.printouts.test_preview import run_preview

JOIN = "やめた健康保険の名前"  # asked only when joining 国保 after leaving an employer's plan
LEAVE = "新しく入った健康保険の名前"  # asked only when leaving 国保 for an employer's plan


def preview_text(tmp_path: Path, form_id: str, *argv: str) -> dict[str, str]:
    out = tmp_path / "out"
    assert run_preview(form_id, "--out", str(out), *argv) == 0
    return {kind: without_spaces(text_of(out / f"{form_id}-{kind}.pdf")) for kind in ("slip", "form")}


def test_answers_choose_the_branch_the_pdfs_show(tmp_path: Path) -> None:
    samples = preview_text(tmp_path, "kokuho")
    assert LEAVE in samples["form"] and JOIN not in samples["form"]  # the samples' own branch
    answers = tmp_path / "join.yaml"  # only the answers choosing the branch: samples fill the rest
    answers.write_text("action: join\njoin_reason: left_employer_plan\n", encoding="utf-8")
    chosen = preview_text(tmp_path, "kokuho", "--answers", str(answers))
    assert JOIN in chosen["form"] and LEAVE not in chosen["form"]
    assert "資格喪失証明書" in chosen["slip"] and "資格喪失証明書" not in samples["slip"]  # its document


def test_answers_in_json_with_group_items(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"purpose": "passport", "scope": "household", "applicant": "self"}),
                       encoding="utf-8")
    texts = preview_text(tmp_path, "juminhyo", "--answers", str(answers))
    assert "パスポート" in texts["form"] and "世帯全員" in texts["form"]
    assert "必要な人の氏名" not in texts["form"]  # the `applicant != 'self'` section is gone
    group = tmp_path / "members.json"  # one item, its other answers the samples'
    group.write_text(json.dumps({"members": [{"member_name": "見本 四郎"}]}), encoding="utf-8")
    texts = preview_text(tmp_path, "kokuho", "--answers", str(group))
    assert "見本四郎" in texts["form"] and "見本三郎" not in texts["form"]
    group.write_text(json.dumps({"members": [{"membr_name": "x"}]}), encoding="utf-8")
    with pytest.raises(KioskError, match=r"members\.json: membr_name: .*did you mean 'member_name'"):
        run_preview("kokuho", "--out", str(tmp_path / "out"), "--answers", str(group))


def test_a_wrong_answer_names_the_file_the_field_and_what_to_write(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = tmp_path / "wrong.yaml"
    answers.write_text("copies: 50\npurpose: pasport\n", encoding="utf-8")
    assert main(["forms", "preview", "juminhyo", "--out", str(tmp_path / "out"),
                 "--answers", str(answers)]) == 2
    err = capsys.readouterr().err
    assert f"{answers}: copies: 10以下の数にしてください。 / Please enter 10 or less." in err
    assert f"{answers}: purpose: " in err and "one of: pension, insurance, employment" in err
    assert not (tmp_path / "out" / "juminhyo-slip.pdf").exists()


@pytest.mark.parametrize(("content", "expected"), [
    ("purpse: pension\n", r"purpse: .*did you mean 'purpose'"),
    ("- purpose\n", r"write one `field_id: value` a line"),
    ("purpose: [\n", r"wrong\.yaml:\d+: .*not valid YAML"),
])
def test_an_unusable_file_is_told_before_anything_is_written(content: str, expected: str, tmp_path: Path) -> None:
    answers = tmp_path / "wrong.yaml"
    answers.write_text(content, encoding="utf-8")
    with pytest.raises(KioskError, match=expected):
        run_preview("juminhyo", "--out", str(tmp_path / "out"), "--answers", str(answers))
    assert not list(tmp_path.rglob("*.pdf"))


@pytest.mark.parametrize("argv", [("--all",), ("moving_in",)])
def test_answers_need_one_procedure(argv: tuple[str, ...], tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("purpose: pension\n", encoding="utf-8")
    with pytest.raises(KioskError, match="--answers"):
        run_preview(*argv, "--out", str(tmp_path / "out"), "--answers", str(answers))


def test_the_documented_answers_file_prints_its_branch(tmp_path: Path) -> None:
    docs = (Path(__file__).parents[3] / "docs" / "forms.md").read_text(encoding="utf-8")
    section = docs[docs.index("## Showing and previewing a form"):]
    answers = tmp_path / "join.yaml"
    answers.write_text(section.split("```yaml\n", 1)[1].split("```", 1)[0], encoding="utf-8")
    form = preview_text(tmp_path, "kokuho", "--answers", str(answers))["form"]
    assert JOIN in form and "会社に勤めていた人の氏名" in form and LEAVE not in form


def test_an_answer_the_branch_hides_is_said_unused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = tmp_path / "self.yaml"
    answers.write_text("applicant: self\nrelationship: 妻\n", encoding="utf-8")
    preview_text(tmp_path, "juminhyo", "--answers", str(answers))
    assert f"{answers}: relationship: " in capsys.readouterr().err
