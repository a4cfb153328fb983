"""`kiosk forms preview` and the sample answers it fills every shipped form with."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from forms.engine import evaluate
from forms.loader import load_library
from kiosk.cli.preview_cmd import register_preview
from kiosk.config import KioskConfig
from kiosk.errors import KioskError
from printouts.samples import SAMPLE_RARE_NAME, sample_answers, sample_flags, sample_my_number, sample_qr_text
from tests.printouts.documents_helpers import QR_ALPHANUMERIC, TODAY

LIBRARY = load_library()
FORM_IDS = sorted(LIBRARY.forms)


def run_preview(*argv: str) -> int:
    """The preview sub-command on its own parser, as forms_cmd.register will mount it."""
    parser = argparse.ArgumentParser(prog="kiosk forms")
    register_preview(parser.add_subparsers(dest="action", required=True))
    args = parser.parse_args(["preview", *argv])
    code: int = args.handler(args, KioskConfig())
    return code


def test_preview_writes_the_three_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_preview("juminhyo", "--out", str(tmp_path)) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["juminhyo-assisted.pdf", "juminhyo-form.pdf", "juminhyo-slip.pdf"]
    for path in tmp_path.iterdir():
        assert path.read_bytes().startswith(b"%PDF-")
    assert str(tmp_path / "juminhyo-slip.pdf") in capsys.readouterr().out


def test_preview_all_covers_every_loaded_form(tmp_path: Path) -> None:
    assert run_preview("--all", "--out", str(tmp_path / "new"), "--slip-paper", "a5") == 0
    written = {p.name for p in (tmp_path / "new").iterdir()}
    assert written == {f"{i}-{kind}.pdf" for i in FORM_IDS for kind in ("slip", "form", "assisted")}


@pytest.mark.parametrize("argv", [(), ("juminhyo", "--all"), ("no_such_form",)])
def test_preview_refuses_what_it_cannot_do(argv: tuple[str, ...], tmp_path: Path) -> None:
    with pytest.raises(KioskError):
        run_preview(*argv, "--out", str(tmp_path))


@pytest.mark.parametrize("form_id", FORM_IDS)
@pytest.mark.parametrize("stage", ["kiosk", "counter"])
def test_sample_answers_are_valid_for_every_shipped_form(form_id: str, stage: str) -> None:
    form = LIBRARY.get(form_id)
    answers = sample_answers(form, TODAY, stage="counter" if stage == "counter" else "kiosk")
    ev = evaluate(form, answers, today=TODAY, stage="counter" if stage == "counter" else "kiosk")
    assert ev.ok, ev.errors
    visible = {s.path for s in ev.visible()}
    assert set(answers) <= visible  # nothing hidden is carried along
    has_my_number = any(f.kind.counter_only for f in form.all_fields())
    assert (sample_my_number() in answers.values()) == (stage == "counter" and has_my_number)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_sample_answers_show_every_field_some_choice_reveals(form_id: str) -> None:
    """Every holding field is answered, except those that only other choices would show."""
    form = LIBRARY.get(form_id)
    ev = evaluate(form, sample_answers(form, TODAY, stage="counter"), today=TODAY, stage="counter")
    unanswered = [s.path for s in ev.visible() if s.field.kind.single_answer
                  and s.value is None]
    assert not unanswered


def test_samples_show_the_font_fallback() -> None:
    answers = sample_answers(LIBRARY.get("juminhyo"), TODAY)
    assert SAMPLE_RARE_NAME in answers.values()


def test_sample_flags_mark_card_values() -> None:
    flags = sample_flags(LIBRARY.get("juminhyo"))
    assert flags["applicant_address"] == ["corrected"]
    assert flags["applicant_name"] == ["from_card"]


def test_sample_qr_text_is_alphanumeric_and_not_a_slip() -> None:
    text = sample_qr_text()
    assert len(text) == 600
    assert QR_ALPHANUMERIC.match(text)
    assert not text.startswith("KS")
