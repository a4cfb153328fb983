"""`kiosk desk ...` through kiosk.cli.main.main, as IT staff and scripts run it: each command
signs its person in with `--clerk ID --password-stdin`, the password on standard input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.cli.main import main
from kiosk.store.models import audit_events
from kiosk.store.staff import Role
from tests.kiosk.desk.conftest import SiteFactory
from tests.kiosk.desk.world import CLERK, MY_NUMBER, Site

PASSWORD = "counter-desk-007"
JUNIOR = "clerk-101"  # a clerk, where CLERK is a supervisor (every desk command)


def add_person(site: Site, staff_id: str = CLERK, role: Role = "supervisor") -> None:
    """An account in the desk's database, as `kiosk staff add` makes it."""
    site.desk_store.add_staff(staff_id, role, PASSWORD, by="tests")


def desk_cli(config: Path, *args: str, clerk: str | None = CLERK, password: str = PASSWORD,
             stdin: str | None = None, lang: str = "en") -> int:
    """`kiosk desk ARGS --clerk CLERK --password-stdin`, the password piped in (`stdin`: what
    is piped instead)."""
    who = ["--clerk", clerk, "--password-stdin"] if clerk else []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdin", io.StringIO(password + "\n" if stdin is None else stdin))
        return main(["--config", str(config), "--lang", lang, "desk", *args, *who])


@pytest.fixture
def site(make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch) -> Site:
    monkeypatch.delenv("KIOSK_CLERK", raising=False)
    monkeypatch.setenv("KIOSK_DESK", "desk-cli")
    made = make_site(shared=False)
    add_person(made)
    return made


def run(site: Site, *args: str, clerk: str | None = CLERK, password: str = PASSWORD) -> int:
    return desk_cli(site.config_file(), *args, clerk=clerk, password=password)


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


def test_a_clerk_id_is_required(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    _, slip = site.kiosk.submit(site.submission("juminhyo"))
    assert run(site, "scan", str(slip), "--json", clerk=None) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "sign_in_required"
    add_person(site, "c-9", "clerk")
    assert run(site, "scan", str(slip), clerk="c-9") == 0


def test_a_clerk_id_alone_opens_nothing(site: Site, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    _, slip = site.kiosk.submit(site.submission("juminhyo"))
    config = site.config_file()
    assert main(["--config", str(config), "--lang", "en", "desk", "scan", str(slip), "--json",
                 "--clerk", CLERK]) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out)["error"]["code"] == "sign_in_required"
    assert "A staff ID alone opens nothing" in captured.err
    monkeypatch.setenv("KIOSK_CLERK", CLERK)  # the environment's id is no better
    assert desk_cli(config, "scan", str(slip), "--json", clerk=None) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "sign_in_required"
    # --password-stdin with nothing on standard input: refused, not tried (and not counted).
    assert desk_cli(config, "scan", str(slip), "--json", clerk=CLERK, stdin="") == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "sign_in_required"
    assert site.desk_store.audit_trail(1) == []  # nothing was opened
    # A password piped in without --password-stdin is not read.
    assert desk_cli(config, "scan", str(slip), "--json", clerk=None) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "sign_in_required"
    # The environment's id with its password is a sign-in, as --clerk is.
    assert desk_cli(config, "scan", str(slip), "--json", "--password-stdin", clerk=None) == 0
    view = json.loads(capsys.readouterr().out)
    assert view["recorded_from_slip"] is True  # the first time this desk saw it


def test_a_wrong_password_is_refused_and_counted(site: Site,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    _, slip = site.kiosk.submit(site.submission("juminhyo"))
    for _ in range(4):
        assert run(site, "scan", str(slip), "--json", password="not-the-password") == 2
        assert json.loads(capsys.readouterr().out)["error"]["code"] == "sign_in_failed"
    assert run(site, "scan", str(slip), "--json", password="not-the-password") == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "account_locked" and "15 minutes" in error["message_en"]
    # Locked: the right password opens nothing either, until a supervisor unlocks it.
    assert run(site, "scan", str(slip), "--json") == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "account_locked"
    assert site.desk_store.audit_trail(1) == []
    assert "not-the-password" not in "".join(refusals(site, CLERK))
    assert len(refusals(site, CLERK)) == 6


def refusals(site: Site, clerk: str) -> list[str]:
    """The details of the audit's `refused` events of `clerk`."""
    with site.engines[-1].connect() as conn:
        rows = conn.execute(select(audit_events.c.detail).where(
            audit_events.c.clerk_id == clerk, audit_events.c.action == "refused")
            .order_by(audit_events.c.id)).all()
    return [str(row.detail) for row in rows]


def test_a_clerk_may_not_export_or_reprint(site: Site, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    add_person(site, JUNIOR, "clerk")
    _, slip = site.kiosk.submit(site.submission("juminhyo"))
    assert run(site, "scan", str(slip), clerk=JUNIOR) == 0  # a clerk scans
    assert run(site, "status", "1", "received", clerk=JUNIOR) == 0  # and moves the status
    capsys.readouterr()
    out = tmp_path / "all.json"
    assert run(site, "export", "--format", "json", "--out", str(out), clerk=JUNIOR) == 2
    assert "Exporting needs the supervisor role" in capsys.readouterr().err
    assert not out.exists()
    assert run(site, "reprint", "1", clerk=JUNIOR) == 2
    assert "Reprinting the slip needs the supervisor role" in capsys.readouterr().err
    assert not list((site.root / "desk-print").glob("*reprint*.pdf"))
    assert desk_cli(site.config_file(), "export", "--format", "csv", "--out", str(out),
                    clerk=JUNIOR, lang="ja") == 2
    assert "書き出しは監督者（係長など）（supervisor）の権限が必要です" in capsys.readouterr().err
    assert refusals(site, JUNIOR) == ["role_required"] * 3


def test_a_supervisor_exports_everything(site: Site, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    site.kiosk.submit(site.submission("juminhyo"))
    _, slip = site.kiosk.submit(site.submission("kokuho"))
    assert run(site, "scan", str(slip)) == 0
    capsys.readouterr()
    out = tmp_path / "all.json"
    assert run(site, "export", "--format", "json", "--out", str(out)) == 0  # no --since: all
    assert "1 application(s) exported" in capsys.readouterr().out
    assert json.loads(out.read_text(encoding="utf-8"))["applications"][0]["ticket"] == "A-002"


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
