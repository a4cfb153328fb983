"""`kiosk staff ...` as an admin runs it on the database owner's login, and the demo's account.

Secrets go in on standard input (an io.StringIO: not a terminal), the acting person's password
first with --password-stdin; the terminal's prompts are getpass, replaced here.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from kiosk.cli.main import main
from kiosk.config import load_config
from kiosk.demo import DEMO_DESK_PASSWORD, DEMO_STAFF_ID, DEMO_STAFF_PIN, prepare_storage
from kiosk.store.db import make_engine
from kiosk.store.errors import AccountLockedError, SignInError
from kiosk.store.migrate import upgrade
from kiosk.store.models import audit_events
from kiosk.store.repository import Store, open_store

ADMIN, ADMIN_PW = "admin01", "admin-password-1"
SUPER, SUPER_PW = "super01", "super-password-1"
CLERK, CLERK_PW = "k.tanaka", "clerk-password-1"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "kiosk.sqlite3"}"\n',
                    encoding="utf-8")
    engine = make_engine(load_config(path).database.url)
    upgrade(engine)  # as `kiosk db upgrade` does
    engine.dispose()
    return path


@pytest.fixture
def engine(config: Path) -> Iterator[Engine]:
    made = make_engine(load_config(config).database.url)
    yield made
    made.dispose()


@pytest.fixture
def store(engine: Engine) -> Store:
    return open_store(engine)


def staff(config: Path, *args: str, stdin: str = "", lang: str = "en") -> int:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdin", io.StringIO(stdin))
        return main(["--config", str(config), "--lang", lang, "staff", *args])


def as_admin(config: Path, *args: str, secret: str | None = None) -> int:
    stdin = f"{ADMIN_PW}\n" + (f"{secret}\n" if secret is not None else "")
    return staff(config, *args, "--as", ADMIN, "--password-stdin", stdin=stdin)


def trail(engine: Engine, action: str) -> list[tuple[str, str | None]]:
    """(acting id, detail) of each audit event of `action`, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(select(audit_events.c.clerk_id, audit_events.c.detail).where(
            audit_events.c.action == action).order_by(audit_events.c.id)).all()
    return [(row.clerk_id, row.detail) for row in rows]


@pytest.fixture
def office(config: Path, store: Store) -> Path:
    """An admin (the bootstrap), a supervisor and a clerk."""
    assert staff(config, "add", ADMIN, "--role", "admin", stdin=f"{ADMIN_PW}\n") == 0
    assert as_admin(config, "add", SUPER, "--role", "supervisor", secret=SUPER_PW) == 0
    assert as_admin(config, "add", CLERK, "--role", "clerk", secret=CLERK_PW) == 0
    return config


def test_the_first_admin_needs_no_sign_in_and_is_audited_as_bootstrap(
        config: Path, store: Store, engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    assert staff(config, "add", ADMIN, "--role", "admin", stdin=f"{ADMIN_PW}\n") == 0
    assert capsys.readouterr().out == f"Added {ADMIN} as admin.\n"
    assert trail(engine, "staff_changed") == [("bootstrap", f"add {ADMIN} admin")]
    assert store.sign_in(ADMIN, ADMIN_PW).role == "admin"
    # Only once: the next account needs an admin signed in.
    assert staff(config, "add", "admin02", "--role", "admin", stdin=f"{ADMIN_PW}\n") == 2
    assert "Managing staff accounts needs you signed in as admin" in capsys.readouterr().err


def test_anything_else_on_an_empty_table_is_refused(config: Path, store: Store,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert staff(config, "add", CLERK, "--role", "clerk", stdin=f"{CLERK_PW}\n") == 2
    assert "Add an admin first" in capsys.readouterr().err
    assert staff(config, "list") == 2
    assert "[admin_first]" in capsys.readouterr().err
    assert staff(config, "add", ADMIN, "--role", "admin", "--as", "someone", "--password-stdin",
                 stdin=f"x\n{ADMIN_PW}\n", lang="ja") == 2
    assert "最初に管理者を --as なしで追加してください" in capsys.readouterr().err
    assert not store.has_staff()


def test_an_admin_adds_and_lists(office: Path, store: Store, engine: Engine,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert store.sign_in(CLERK, CLERK_PW).role == "clerk"
    assert trail(engine, "staff_changed")[1:] == [(ADMIN, f"add {SUPER} supervisor"),
                                                 (ADMIN, f"add {CLERK} clerk")]
    capsys.readouterr()
    assert as_admin(office, "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:3] for line in lines] == [
        [ADMIN, "admin", "no"], [CLERK, "clerk", "no"], [SUPER, "supervisor", "no"]]
    assert all(line.endswith("active") for line in lines)
    assert as_admin(office, "add", CLERK, "--role", "clerk", secret="another-password") == 2
    assert "[staff_exists]" in capsys.readouterr().err
    assert store.sign_in(CLERK, CLERK_PW).role == "clerk"  # unchanged


def test_refusals_name_the_role_and_are_audited(office: Path, store: Store, engine: Engine,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert staff(office, "add", "x.new", "--role", "clerk", stdin="new-password-1\n") == 2
    assert "needs you signed in as admin or above: add --as ID" in capsys.readouterr().err
    for who, password in ((CLERK, CLERK_PW), (SUPER, SUPER_PW)):
        assert staff(office, "add", "x.new", "--role", "clerk", "--as", who, "--password-stdin",
                     stdin=f"{password}\nnew-password-1\n") == 2
        err = capsys.readouterr().err
        assert "Managing staff accounts needs the admin role" in err and "[role_required]" in err
    assert staff(office, "disable", ADMIN, "--as", CLERK, "--password-stdin",
                 stdin=f"{CLERK_PW}\n", lang="ja") == 2
    assert "職員アカウントの管理は管理者（admin）の権限が必要です" in capsys.readouterr().err
    assert staff(office, "unlock", ADMIN, "--as", CLERK, "--password-stdin",
                 stdin=f"{CLERK_PW}\n") == 2
    assert "Unlocking an account needs the supervisor role" in capsys.readouterr().err
    assert trail(engine, "refused") == [(CLERK, "role_required"), (SUPER, "role_required"),
                                       (CLERK, "role_required"), (CLERK, "role_required")]
    assert [m.staff_id for m in store.staff_list()] == [ADMIN, CLERK, SUPER]  # nothing added
    assert not store.staff_list()[0].disabled


def test_a_wrong_password_of_the_acting_person_is_refused_and_counted(
        office: Path, store: Store, engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert staff(office, "list", "--as", ADMIN, "--password-stdin", stdin="wrong-password\n") == 2
    assert "[sign_in_failed]" in capsys.readouterr().err
    assert trail(engine, "refused") == [(ADMIN, "sign_in:password")]
    assert "wrong-password" not in capsys.readouterr().out


@pytest.mark.parametrize("flag", [("--password-stdin",), ()])
def test_no_password_at_all_is_refused_before_the_store_and_not_counted(
        office: Path, engine: Engine, capsys: pytest.CaptureFixture[str],
        flag: tuple[str, ...]) -> None:
    """A forgotten pipe (or a script without the flag, not at a terminal) is no wrong try."""
    capsys.readouterr()
    assert staff(office, "list", "--as", ADMIN, *flag, stdin="") == 2
    assert "[secret_required]" in capsys.readouterr().err
    assert trail(engine, "refused") == []


def test_passwd_pin_disable(office: Path, store: Store, engine: Engine,
                            capsys: pytest.CaptureFixture[str]) -> None:
    assert as_admin(office, "passwd", CLERK, secret="changed-password") == 0
    assert store.sign_in(CLERK, "changed-password").staff_id == CLERK
    with pytest.raises(SignInError):
        store.sign_in(CLERK, CLERK_PW)
    capsys.readouterr()
    assert as_admin(office, "pin", CLERK, secret="12345") == 2
    assert "A staff-mode PIN is 6 to 8 digits. [invalid_value]" in capsys.readouterr().err
    assert as_admin(office, "passwd", CLERK, secret="short") == 2
    assert "at least 10 printable characters" in capsys.readouterr().err
    assert as_admin(office, "pin", CLERK, secret="24681012") == 0
    assert store.sign_in_pin(CLERK, "24681012").staff_id == CLERK
    assert as_admin(office, "pin", "nobody", secret="24681012") == 2
    assert "No account has this staff ID" in capsys.readouterr().err
    assert as_admin(office, "disable", CLERK) == 0
    with pytest.raises(SignInError):
        store.sign_in(CLERK, "changed-password")
    capsys.readouterr()
    assert as_admin(office, "list") == 0
    listed = next(line for line in capsys.readouterr().out.splitlines() if line.startswith(CLERK))
    assert "PIN set" in listed and listed.endswith("disabled")
    details = [detail for who, detail in trail(engine, "staff_changed") if who == ADMIN]
    assert details[2:] == [f"passwd {CLERK}", f"pin {CLERK}", f"disable {CLERK}"]


def test_a_supervisor_unlocks(office: Path, store: Store, engine: Engine,
                              capsys: pytest.CaptureFixture[str]) -> None:
    for _ in range(4):
        with pytest.raises(SignInError):
            store.sign_in(CLERK, "not-the-password")
    with pytest.raises(AccountLockedError):
        store.sign_in(CLERK, "not-the-password")
    capsys.readouterr()
    assert as_admin(office, "list") == 0
    assert "locked until" in capsys.readouterr().out
    assert staff(office, "unlock", CLERK, "--as", SUPER, "--password-stdin",
                 stdin=f"{SUPER_PW}\n") == 0
    assert capsys.readouterr().out == f"Unlocked {CLERK}.\n"
    assert store.sign_in(CLERK, CLERK_PW).staff_id == CLERK
    assert trail(engine, "staff_changed")[-1] == (SUPER, f"unlock {CLERK}")


def test_on_a_terminal_the_secrets_are_asked(office: Path, store: Store,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    answers = iter([ADMIN_PW, "typed-password-1", "typed-password-1",
                    ADMIN_PW, "typed-password-2", "typed-password-X"])
    prompts: list[str] = []

    def getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("getpass.getpass", getpass)  # the module staff_cmd calls it through
    monkeypatch.setattr(sys, "stdin", Terminal(""))
    argv = ["--config", str(office), "--lang", "en", "staff", "passwd", CLERK, "--as", ADMIN]
    assert main(argv) == 0
    assert prompts == [f"Password of {ADMIN}: ", "New password: ", "New password (again): "]
    assert store.sign_in(CLERK, "typed-password-1").staff_id == CLERK
    capsys.readouterr()
    assert main(argv) == 2  # the two entries differ
    assert "[secrets_differ]" in capsys.readouterr().err
    assert store.sign_in(CLERK, "typed-password-1").staff_id == CLERK


def test_the_demo_makes_its_clerk_once(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'keys_dir = "{tmp_path / "keys"}"\n[database]\n'
                    f'url = "sqlite:///{tmp_path / "demo.sqlite3"}"\n', encoding="utf-8")
    config = load_config(path)
    prepare_storage(config)
    engine = make_engine(config.database.url)
    try:
        store = open_store(engine)
        (member,) = store.staff_list()
        assert (member.staff_id, member.role, member.has_pin) == (DEMO_STAFF_ID, "clerk", True)
        assert store.sign_in(DEMO_STAFF_ID, DEMO_DESK_PASSWORD).role == "clerk"
        assert store.sign_in_pin(DEMO_STAFF_ID, DEMO_STAFF_PIN).role == "clerk"
        store.set_password(DEMO_STAFF_ID, "changed-by-the-city", by="tests")
        prepare_storage(config)  # a second run keeps the account as it is
        assert len(store.staff_list()) == 1
        assert store.sign_in(DEMO_STAFF_ID, "changed-by-the-city").staff_id == DEMO_STAFF_ID
    finally:
        engine.dispose()
