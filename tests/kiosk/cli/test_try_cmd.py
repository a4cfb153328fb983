"""`kiosk try`: refusals without a screen; one real try-out under Xvfb with the sample card."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pypdfium2
import pytest

from drivers.scanner.image import codes_in_image
from kiosk.cli.main import main
from kiosk.desk.scan_input import slip_codes_of

ROOT = Path(__file__).parents[3]
JUMINHYO = ROOT / "forms" / "library" / "procedures" / "juminhyo.yaml"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """Settings whose database and keys would land in tmp_path: a try-out must make neither."""
    path = tmp_path / "kiosk.toml"
    path.write_text('keys_dir = "keys"\n[database]\nurl = "sqlite:///db/kiosk.sqlite3"\n'
                    '[logging]\nfile = "log/kiosk.log"\n', encoding="utf-8")
    return path


def test_unknown_id_names_the_close_ids(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(config), "try", "jumnhyo"]) == 2
    err = capsys.readouterr().err
    assert "no procedure 'jumnhyo' is loaded" in err
    assert "did you mean: juminhyo" in err
    assert "kiosk forms list" in err


def test_an_applicant_kind_the_form_does_not_offer(config: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(config), "try", "inkan_toroku", "--as", "household"]) == 2
    err = capsys.readouterr().err
    assert "「inkan_toroku」で選べるのは self, agent です" in err
    assert "'inkan_toroku' offers: self, agent" in err
    assert not (config.parent / "db").exists() and not (config.parent / "keys").exists()


def test_a_form_file_with_errors_prints_the_loaders_messages(
        config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "new" / "mine.yaml"
    broken.parent.mkdir()
    broken.write_text(JUMINHYO.read_text(encoding="utf-8").replace("id: juminhyo", "id: mine")
                      .replace("show_if: applicant != 'self'", "show_if: aplicant != 'self'"),
                      encoding="utf-8")
    assert main(["--config", str(config), "try", str(broken)]) == 1
    out = capsys.readouterr().out
    assert f"{broken}:" in out and "Did you mean 'applicant'?" in out


@pytest.mark.ui
@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.vpcd  # pcscd + the vpcd card: never beside another vpcd test
@pytest.mark.timeout(300)
def test_a_robot_walks_juminhyo_as_an_agent_without_a_display(config: Path, tmp_path: Path) -> None:
    if shutil.which("Xvfb") is None or shutil.which("pcscd") is None:
        pytest.fail("Xvfb and pcscd are needed (scripts/setup installs them)")
    out = tmp_path / "slips"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(KIVY_HOME=str(tmp_path / "kivy"), KIVY_NO_CONSOLELOG="1")
    run = subprocess.run(
        [sys.executable, "-m", "kiosk.cli.main", "--config", str(config), "try", "juminhyo",
         "--as", "agent", "--out", str(out)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=280, check=False)
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    slips = sorted(out.glob("*slip*.pdf"))
    assert len(slips) == 1
    assert f"受付票 / slip: {slips[0]}" in run.stdout
    # Read back by the try-out with its own keys (the project's decoder) before they went.
    assert "a desk reads: juminhyo v1: applicant=agent" in run.stdout
    assert len(slip_codes_of(codes_in_image(slips[0]))) == 1  # one code, ours, readable
    text = pypdfium2.PdfDocument(slips[0])[0].get_textpage().get_text_range()
    assert text.startswith("見本・試用 TRY-OUT")
    assert "no real desk accepts it" in run.stdout
    assert len(list((out / "screens").glob("*.png"))) >= 5
    assert not (tmp_path / "db").exists() and not (tmp_path / "keys").exists()
