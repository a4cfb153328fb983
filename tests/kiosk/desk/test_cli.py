"""`kiosk desk ...` through kiosk.cli.main.main, as IT staff and scripts run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli.main import main
from tests.kiosk.desk.conftest import SiteFactory
from tests.kiosk.desk.world import CLERK, MY_NUMBER, Site


@pytest.fixture
def site(make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch) -> Site:
    monkeypatch.setenv("KIOSK_CLERK", CLERK)
    monkeypatch.setenv("KIOSK_DESK", "desk-cli")
    return make_site(shared=False)


def run(site: Site, *args: str) -> int:
    return main(["--config", str(site.config_file()), "--lang", "en", "desk", *args])


def test_scan_json(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    receipt, slip = site.kiosk.submit(site.submission("juminhyo", "kokuho"))
    assert run(site, "scan", str(slip), "--json") == 0
    view = json.loads(capsys.readouterr().out)
    assert view["ticket"] == receipt.ticket and view["recorded_from_slip"] is True
    assert view["warnings"] == []
    jumin, kokuho = view["procedures"]
    birth = next(f for f in jumin["fields"] if f["field_id"] == "applicant_birth_date")
    assert birth["display"] == {"ja": "昭和60年6月15日", "en": "June 15, 1985"}
    assert kokuho["my_number_required"] is True and kokuho["attention"] == 1
    members = next(f for f in kokuho["fields"] if f["field_id"] == "members")
    assert members["items"][0][0]["value"] == "見本 次郎"
    assert view["next_counters"] == []  # both counters' codes were in the picture
    trail = site.desk_store.audit_trail(view["application_id"])
    assert [(e.clerk_id, e.desk_id) for e in trail] == [(CLERK, "desk-cli")] * 2  # a code each


def test_scan_text_without_json(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    _, slip = site.kiosk.submit(site.submission("juminhyo"))
    assert run(site, "scan", str(slip)) == 0
    out = capsys.readouterr().out
    assert "Ticket A-001" in out and "Your date of birth: June 15, 1985  (from the card)" in out
    assert "※corrected by the resident" in out


def test_refusals_exit_2_with_code(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(site, "scan", MY_NUMBER, "--json") == 2
    captured = capsys.readouterr()
    error = json.loads(captured.out)["error"]
    assert error["code"] == "looks_like_my_number_card" and error["message_ja"]
    assert "[looks_like_my_number_card]" in captured.err
    assert MY_NUMBER not in captured.out + captured.err
    assert run(site, "scan", "KS1-NOTASLIP") == 2
    assert "[damaged]" in capsys.readouterr().err


def test_a_clerk_id_is_required(site: Site, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("KIOSK_CLERK")
    _, slip = site.kiosk.submit(site.submission("juminhyo"))
    assert run(site, "scan", str(slip), "--json") == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "clerk_required"
    assert run(site, "scan", str(slip), "--clerk", "c-9") == 0


def test_status_print_reprint_export(site: Site, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    _, slip = site.kiosk.submit(site.submission("juminhyo", "kokuho"))
    assert run(site, "scan", str(slip)) == 0
    # By id: "today's ticket" is the real today, and the site's clock is fixed.
    assert run(site, "status", "1", "received") == 0
    assert "A-001 (id 1): received" in capsys.readouterr().out
    assert run(site, "status", "1", "received") == 2
    assert "[already_received]" in capsys.readouterr().err

    assert run(site, "print-form", "1", "1") == 0
    out = capsys.readouterr().out
    assert "Notification of Joining or Leaving" in out and "[my_number_not_read]" in out
    printed = sorted((site.root / "desk-print").glob("*form_kokuho*.pdf"))
    assert len(printed) == 1

    # This desk took the application from the slip: it holds no code the kiosk stored, and a
    # desk never signs one, so the reprint has none and says so (test_actions.py reprints the
    # kiosk's own codes from a shared database).
    assert run(site, "reprint", "1") == 0
    assert "reprint_without_qr" in capsys.readouterr().out
    reprinted = next((site.root / "desk-print").glob("*slip_A-001_reprint*.pdf"))
    assert run(site, "scan", str(reprinted), "--json") == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "no_code_in_image"
    assert run(site, "scan", str(slip), "--json") == 0  # the resident's own slip still opens
    assert json.loads(capsys.readouterr().out)["warnings"][0]["code"] == "already_scanned"

    assert run(site, "export", "--format", "csv", "--out", str(tmp_path / "x.csv"),
               "--since", "2026-11-23") == 0
    assert "1 application(s) exported" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.glob("x.*.csv")) == ["x.juminhyo.csv", "x.kokuho.csv"]

    assert run(site, "status", "1", "completed") == 0
    assert run(site, "scan", str(slip), "--json") == 1  # shown, but completed
    assert json.loads(capsys.readouterr().out.split("\n", 1)[1])["status"] == "completed"


def test_the_desk_and_its_commands_run_without_kivy() -> None:
    """The desk is plain Python (DESIGN.md): only `kiosk desk` without a sub-command, the clerk
    screen, loads Kivy."""
    code = ("import sys, kiosk.desk, kiosk.wiring, kiosk.cli.main; "
            "sys.exit('kivy' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False, timeout=60).returncode == 0


def test_the_screen_without_a_display_says_what_to_use_instead(
        site: Site, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert run(site) == 2  # at once, instead of Kivy waiting for an X server
    err = capsys.readouterr().err
    assert "No display here" in err and "kiosk desk scan" in err
