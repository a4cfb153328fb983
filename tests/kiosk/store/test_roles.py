"""`kiosk db roles`: on a shared PostgreSQL, the kiosk runs as a login that can write and read
nothing back, and no login of a kiosk or a desk can rewrite the audit trail."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from common.clock import JST
from drivers.printer.file import FileSink
from forms.loader import load_library
from kiosk.cli import db_cmd
from kiosk.config import DatabaseConfig, KioskConfig
from kiosk.errors import KioskError
from kiosk.store.db import make_engine
from kiosk.store.errors import SignInError, StoreError
from kiosk.store.migrate import upgrade
from kiosk.store.repository import Store, open_store
from kiosk.store.sealing import RecordOpener, RecordSealer
from kiosk.submit import KioskSubmitter
from printouts.layout import Fonts
from printouts.payload import DeskKeys, KioskKeys
from tests.kiosk.desk.world import OFFICE, submission
from tests.support.pgserver import PgServer


def kiosk(argv: list[str], config: KioskConfig) -> int:
    parser = argparse.ArgumentParser(prog="kiosk")
    parser.add_argument("--lang", choices=("ja", "en"), default="en")
    db_cmd.register(parser.add_subparsers(dest="group", required=True))
    args = parser.parse_args(argv)
    code: int = args.handler(args, config)
    return code


@dataclass
class Logins:
    owner: str  # the URL of the tables' owner (migrations, purge, `kiosk db roles --apply`)
    kiosk: str
    desk: str
    kiosk_role: str
    desk_role: str
    engines: list[Engine]

    def engine(self, url: str) -> Engine:
        made = make_engine(url)
        self.engines.append(made)
        return made


@pytest.fixture
def logins(postgres: PgServer) -> Iterator[Logins]:
    owner = postgres.create_database(f"roles_{uuid.uuid4().hex[:12]}")
    suffix = uuid.uuid4().hex[:8]
    kiosk_role, desk_role = f"kiosk_{suffix}", f"desk_{suffix}"
    conninfo = f"host=127.0.0.1 port={postgres.port} user={postgres.user} dbname=postgres"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for role in (kiosk_role, desk_role):
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
    url = make_url(owner)
    found = Logins(owner, url.set(username=kiosk_role).render_as_string(hide_password=False),
                   url.set(username=desk_role).render_as_string(hide_password=False),
                   kiosk_role, desk_role, [])
    upgrade(found.engine(owner))
    yield found
    for engine in found.engines:
        engine.dispose()


def denied(engine: Engine, statement: str) -> bool:
    """Whether PostgreSQL refuses the statement for lack of privilege (SQLSTATE 42501)."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            cursor.execute(statement)
        except psycopg.errors.InsufficientPrivilege:
            return True
        finally:
            raw.rollback()
        return False
    finally:
        raw.close()


@pytest.mark.integration
def test_the_kiosk_login_writes_and_reads_nothing_back(
        logins: Logins, kiosk_keys: KioskKeys, desk_keys: DeskKeys, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    config = KioskConfig(database=DatabaseConfig(url=logins.owner))
    argv = ["db", "roles", "--kiosk-role", logins.kiosk_role, "--desk-role", logins.desk_role]
    assert kiosk(argv, config) == 0
    printed = capsys.readouterr().out
    assert "REVOKE ALL ON applications" in printed and "DELETE" not in printed
    assert kiosk([*argv, "--apply"], config) == 0

    # The kiosk, as its own login: a whole submission with its slip and a paper ticket.
    kiosk_engine = logins.engine(logins.kiosk)
    library = load_library()
    now = dt.datetime.now(dt.UTC)
    submitter = KioskSubmitter(
        store=open_store(kiosk_engine, sealer=RecordSealer(kiosk_keys)),
        printer=FileSink(tmp_path), printer_label="file", keys=kiosk_keys,
        fonts=Fonts.for_pdf(), library=library, office_code=OFFICE.code,
        office_name=OFFICE.name, kiosk_id="K01", counters={}, clock=lambda: now)
    receipt = submitter.submit(submission(library, ("juminhyo",), today=now.date(), when=now))
    assert receipt.printed and receipt.ticket == "A-001"
    assert submitter.print_paper_forms(["juminhyo"], "ja").ticket == "A-002"
    for statement in ("SELECT payload FROM applications", "SELECT codes FROM slip_codes",
                      "SELECT * FROM audit_events", "UPDATE applications SET status = 'completed'",
                      "DELETE FROM applications", "DELETE FROM audit_events",
                      "UPDATE audit_events SET detail = NULL", "DELETE FROM audit_heads",
                      "SELECT password_hash FROM staff", "UPDATE staff SET role = 'admin'"):
        assert denied(kiosk_engine, statement), statement

    # The desk, as its own login: opens, changes the status; the trail stays as written.
    desk_engine = logins.engine(logins.desk)
    desk = open_store(desk_engine, opener=RecordOpener(desk_keys))
    (stored,) = desk.find_by_ticket(OFFICE.code, "A-001", now.astimezone(JST).date())
    assert desk.open_for_clerk(stored.id, "clerk01").submission.procedures[0].form_id == "juminhyo"
    desk.set_status(stored.id, "received", "clerk01")
    for statement in ("DELETE FROM audit_events", "UPDATE audit_events SET detail = NULL",
                      "DELETE FROM applications", "DELETE FROM slip_codes",
                      "UPDATE print_jobs SET status = 'ok'", "DELETE FROM audit_heads",
                      "UPDATE audit_events SET hash = prev_hash", "SELECT pin_hash FROM staff",
                      "UPDATE staff SET password_hash = 'x'", "DELETE FROM staff"):
        assert denied(desk_engine, statement), statement

    # The owner still reads and purges (a scheduled job under the owner's login).
    owner_engine = logins.engine(logins.owner)
    assert not denied(owner_engine, "SELECT payload FROM applications")  # the check can fail
    owner_store = Store(owner_engine)
    assert owner_store.due_for_purge(dt.timedelta(days=30)) == 0


@pytest.mark.integration
def test_each_login_signs_in_with_its_own_secret_and_the_trail_stays_whole(
        logins: Logins, kiosk_keys: KioskKeys) -> None:
    """A kiosk reads PIN hashes and a desk password hashes, each counting wrong tries; the
    accounts are the owner's to add. Every event they write chains."""
    config = KioskConfig(database=DatabaseConfig(url=logins.owner))
    assert kiosk(["db", "roles", "--apply", "--kiosk-role", logins.kiosk_role,
                  "--desk-role", logins.desk_role], config) == 0
    owner = Store(logins.engine(logins.owner))
    owner.add_staff("k.tanaka", "clerk", "a good password", by="admin")
    owner.set_pin("k.tanaka", "20261123", by="admin")
    at_kiosk = open_store(logins.engine(logins.kiosk), sealer=RecordSealer(kiosk_keys))
    at_desk = open_store(logins.engine(logins.desk))

    assert at_kiosk.sign_in_pin("k.tanaka", "20261123", desk="K01").staff_id == "k.tanaka"
    with pytest.raises(SignInError):
        at_kiosk.sign_in_pin("k.tanaka", "00000000", desk="K01")  # counted under its login
    assert at_desk.sign_in("k.tanaka", "a good password", desk="D01").role == "clerk"
    with pytest.raises(StoreError) as kiosk_refused:
        at_kiosk.sign_in("k.tanaka", "a good password")  # no password hash for a kiosk
    with pytest.raises(StoreError) as desk_refused:
        at_desk.sign_in_pin("k.tanaka", "20261123")  # no PIN hash for a desk
    assert "42501" in str(kiosk_refused.value) and "42501" in str(desk_refused.value)
    with pytest.raises(StoreError):
        at_desk.add_staff("m.ito", "admin", "a good password", by="k.tanaka")
    assert [m.staff_id for m in owner.staff_list()] == ["k.tanaka"]

    check = owner.verify_audit()
    assert check.whole and check.events == 5  # add, pin, signed_in, refused, signed_in
    assert at_desk.verify_audit().whole  # a desk may read the trail to check it


@pytest.mark.integration
def test_applying_to_roles_that_do_not_exist_says_to_create_them(logins: Logins) -> None:
    config = KioskConfig(database=DatabaseConfig(url=logins.owner))
    with pytest.raises(KioskError, match="CREATE ROLE"):
        kiosk(["db", "roles", "--apply", "--kiosk-role", "nobody_here"], config)


def test_sqlite_has_no_roles(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"
    upgrade(url)
    with pytest.raises(KioskError, match="PostgreSQL"):
        kiosk(["db", "roles", "--apply"], KioskConfig(database=DatabaseConfig(url=url)))


def test_a_role_name_is_checked_before_any_sql(tmp_path: Path) -> None:
    config = KioskConfig(database=DatabaseConfig(url=f"sqlite:///{tmp_path / 'x.sqlite3'}"))
    with pytest.raises(KioskError, match="role name"):
        kiosk(["db", "roles", "--kiosk-role", "kiosk; DROP TABLE applications"], config)
    assert not os.path.exists(tmp_path / "x.sqlite3")
