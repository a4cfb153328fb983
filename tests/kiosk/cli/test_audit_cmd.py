"""`kiosk audit verify` and `kiosk audit show`, as an IT officer and a supervisor run them from
kiosk.toml: a whole trail exits 0, a row changed or removed by hand exits 1 naming it; `show`
answers who opened a resident's application and when, for a supervisor only."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from kiosk.cli.main import main
from kiosk.store.db import make_engine
from kiosk.store.migrate import upgrade
from kiosk.store.models import audit_events
from kiosk.store.repository import Store
from kiosk.store.sealing import RecordOpener, RecordSealer
from printouts.payload import init_keys, load_desk_keys, load_kiosk_keys
from tests.kiosk.store.conftest import Clock
from tests.kiosk.store.samples import submission

OFFICE = "999997"
SLIP, OTHER_SLIP = "0123456789abcdef01234567", "fedcba9876543210fedcba98"
SUPERVISOR, CLERK = "s.sato", "k.tanaka"
PASSWORDS = {SUPERVISOR: "supervisor password", CLERK: "clerk password"}


@dataclass
class Office:
    config: Path
    engine: Engine
    store: Store
    app_id: int

    def events(self) -> list[tuple[str, str, int | None, str | None]]:
        with self.engine.connect() as conn:
            return [(r.clerk_id, r.action, r.application_id, r.detail) for r in conn.execute(
                select(audit_events).order_by(audit_events.c.seq))]


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    """An office's database after a morning: two clerks opened one resident's application
    (10:03 and 10:05 in Japan), one clerk another's."""
    database = tmp_path / "kiosk.sqlite3"
    config = tmp_path / "kiosk.toml"
    config.write_text(f'kiosk_id = "K01"\n\n[office]\ncode = "{OFFICE}"\n\n'
                      f'[database]\nurl = "sqlite:///{database}"\n', encoding="utf-8")
    init_keys(tmp_path / "keys", kiosk_id="K01", office_code=OFFICE)
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    clock = Clock()
    store = Store(engine, sealer=RecordSealer(load_kiosk_keys(tmp_path / "keys")),
                  opener=RecordOpener(load_desk_keys(tmp_path / "keys")), clock=clock)
    store.add_staff(SUPERVISOR, "supervisor", PASSWORDS[SUPERVISOR], by="admin")
    store.add_staff(CLERK, "clerk", PASSWORDS[CLERK], by="admin")
    resident = store.add_application(submission(), office_code=OFFICE, kiosk_id="K01",
                                     slip_id=SLIP)
    other = store.add_application(submission(), office_code=OFFICE, kiosk_id="K01",
                                  slip_id=OTHER_SLIP)
    for minutes, clerk, app in ((3, "clerk01", resident), (2, "clerk02", resident),
                                (1, "clerk03", other)):
        clock.advance(minutes=minutes)
        store.open_for_clerk(app.id, clerk, desk="D01")
    yield Office(config, engine, store, resident.id)
    engine.dispose()


def kiosk(office: Office, *argv: str, lang: str = "en", stdin: str = "") -> int:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", io.StringIO(stdin))
        return main(["--config", str(office.config), "--lang", lang, "audit", *argv])


def show(office: Office, *argv: str, who: str = SUPERVISOR, lang: str = "en",
         password: str | None = None) -> int:
    typed = PASSWORDS.get(who, "") if password is None else password
    return kiosk(office, "show", "--as", who, "--password-stdin", *argv, lang=lang,
                 stdin=f"{typed}\n")


@pytest.mark.parametrize(("lang", "words"), [("en", "The audit trail is whole: 5 events"),
                                             ("ja", "監査記録は完全です（5 件")])
def test_a_whole_trail_verifies_with_exit_0(office: Office, capsys: pytest.CaptureFixture[str],
                                            lang: str, words: str) -> None:
    assert kiosk(office, "verify", lang=lang) == 0
    assert words in capsys.readouterr().out


@pytest.mark.parametrize(("lang", "words"), [
    ("en", "Audit event id {id} (seq {seq}) was changed"),
    ("ja", "監査記録 id {id}（通番 {seq}）が書き込み後に変更されています")])
def test_an_event_changed_by_hand_exits_1_naming_it(
        office: Office, capsys: pytest.CaptureFixture[str], lang: str, words: str) -> None:
    with office.engine.begin() as conn:
        victim = conn.execute(select(audit_events).where(audit_events.c.clerk_id == "clerk02")
                              ).one()
        conn.execute(update(audit_events).where(audit_events.c.id == victim.id)
                     .values(clerk_id="clerk09"))
    assert kiosk(office, "verify", lang=lang) == 1
    out = capsys.readouterr().out
    assert words.format(id=victim.id, seq=victim.seq) in out
    assert ("情報セキュリティ責任者" if lang == "ja" else "information security officer") in out


def test_a_last_event_deleted_by_hand_exits_1(
        office: Office, capsys: pytest.CaptureFixture[str]) -> None:
    with office.engine.begin() as conn:
        conn.execute(audit_events.delete().where(audit_events.c.seq == 5))
    assert kiosk(office, "verify") == 1
    assert "The last audit events, from seq 5 on, are missing." in capsys.readouterr().out


def test_show_by_slip_lists_who_opened_the_application_and_when(
        office: Office, capsys: pytest.CaptureFixture[str]) -> None:
    assert show(office, "--slip", SLIP.upper()) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Application #{office.app_id} (ticket A-001 of 2026-11-23, slip {SLIP})"
    viewed = [line.split("\t") for line in lines[2:]]
    assert [row[:5] for row in viewed[:2]] == [
        ["2026-11-23 10:03:00 JST", "clerk01", "D01", "viewed", f"#{office.app_id}"],
        ["2026-11-23 10:05:00 JST", "clerk02", "D01", "viewed", f"#{office.app_id}"]]
    assert viewed[2][1:4] == [SUPERVISOR, "-", "viewed"] and viewed[2][5] == "audit show"
    assert len(viewed) == 3  # clerk03 opened another application
    # The look itself is on the record, against the application looked at.
    assert office.events()[-1] == (SUPERVISOR, "viewed", office.app_id, "audit show")
    assert office.store.verify_audit().whole


def test_show_in_japanese_and_as_json(office: Office, capsys: pytest.CaptureFixture[str]) -> None:
    assert show(office, "--slip", SLIP, lang="ja") == 0
    out = capsys.readouterr().out
    assert "2026-11-23 10:03:00 JST\tclerk01\tD01\t閲覧(viewed)" in out
    assert show(office, "--slip", SLIP, "--json") == 0
    found = json.loads(capsys.readouterr().out)
    assert found["application"]["slip_id"] == SLIP
    assert [(e["clerk"], e["at"]) for e in found["events"][:2]] == [
        ("clerk01", "2026-11-23T10:03:00+09:00"), ("clerk02", "2026-11-23T10:05:00+09:00")]


def test_show_by_clerk_and_since(office: Office, capsys: pytest.CaptureFixture[str]) -> None:
    assert show(office, "--clerk", "clerk03", "--json") == 0
    assert [(e["clerk"], e["action"]) for e in json.loads(capsys.readouterr().out)["events"]] == [
        ("clerk03", "viewed")]
    assert office.events()[-1] == (SUPERVISOR, "exported", None, "audit")
    assert show(office, "--clerk", "clerk03", "--since", "2026-11-24", "--json") == 0
    assert json.loads(capsys.readouterr().out)["events"] == []
    assert show(office, "--clerk", "nobody.here") == 0
    assert "No audit events match." in capsys.readouterr().out


@pytest.mark.parametrize(("lang", "words"), [("en", "needs the supervisor role"),
                                             ("ja", "監督者（係長など）（supervisor）の権限が必要")])
def test_a_clerk_is_refused_with_the_role_named_and_audited(
        office: Office, capsys: pytest.CaptureFixture[str], lang: str, words: str) -> None:
    assert show(office, "--slip", SLIP, who=CLERK, lang=lang) == 2
    captured = capsys.readouterr()
    assert words in captured.err and "clerk01" not in captured.out
    assert office.events()[-2:] == [(CLERK, "signed_in", None, "password"),
                                    (CLERK, "refused", None, "role_required")]


def test_a_wrong_password_is_refused_and_counted(
        office: Office, capsys: pytest.CaptureFixture[str]) -> None:
    assert show(office, "--slip", SLIP, password="not my password") == 2
    captured = capsys.readouterr()
    assert "[sign_in_failed]" in captured.err and "The staff ID or the password" in captured.err
    assert captured.out == ""
    assert office.events()[-1] == (SUPERVISOR, "refused", None, "sign_in:password")


def test_no_password_is_refused_before_any_try(
        office: Office, capsys: pytest.CaptureFixture[str]) -> None:
    before = office.events()
    assert show(office, "--slip", SLIP, password="") == 2
    assert "--password-stdin" in capsys.readouterr().err
    assert office.events() == before


def test_a_slip_no_application_holds_is_said(
        office: Office, capsys: pytest.CaptureFixture[str]) -> None:
    assert show(office, "--slip", "00" * 12) == 2
    assert "No application holds this slip" in capsys.readouterr().err
    assert office.events()[-1] == (SUPERVISOR, "exported", None, "audit")
