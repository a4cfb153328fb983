"""Staff accounts on both databases: sign-in by password (desk) and PIN (kiosk), the lockout
after five wrong tries, the rules of a password and a PIN, and the audit events each step leaves.
No secret is ever stored or recorded in plain."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import Engine, select

from kiosk.store.errors import AccountLockedError, InvalidValueError, SignInError, StoreError
from kiosk.store.models import audit_events, staff
from kiosk.store.repository import Store
from kiosk.store.staff import LOCK_FOR, at_least
from tests.kiosk.store.conftest import START, Clock

PASSWORD = "Correct-Horse-42"  # also a well-formed staff id: typed into the wrong box below
PIN = "20261123"
CLERK = "k.tanaka"
ADMIN = "a.suzuki"
SUPERVISOR = "s.sato"


def trail(engine: Engine) -> list[tuple[str, str, str | None]]:
    """(clerk, action, detail) of every audit event, in the chain's order."""
    with engine.connect() as conn:
        return [(r.clerk_id, r.action, r.detail) for r in conn.execute(
            select(audit_events).order_by(audit_events.c.seq))]


def account(engine: Engine, staff_id: str = CLERK) -> Any:
    with engine.connect() as conn:
        return conn.execute(select(staff).where(staff.c.staff_id == staff_id)).one()


@pytest.fixture
def clerk(store: Store) -> Store:
    """The store, with one clerk account added by the admin."""
    store.add_staff(CLERK, "clerk", PASSWORD, by=ADMIN)
    return store


def test_an_added_clerk_signs_in_and_out_and_each_step_is_audited(
        store: Store, migrated: Engine) -> None:
    added = store.add_staff(CLERK, "clerk", PASSWORD, by=ADMIN)
    assert (added.staff_id, added.role, added.disabled, added.has_pin) == (CLERK, "clerk", False,
                                                                           False)
    assert store.staff_list() == [added]
    member = store.sign_in(CLERK, PASSWORD, desk="D01")
    assert (member.staff_id, member.role) == (CLERK, "clerk")
    store.sign_out(CLERK, desk="D01")
    assert trail(migrated) == [(ADMIN, "staff_changed", f"add {CLERK} clerk"),
                               (CLERK, "signed_in", "password"), (CLERK, "signed_out", None)]
    with migrated.connect() as conn:
        desks = conn.execute(select(audit_events.c.desk_id).order_by(audit_events.c.seq))
        assert desks.scalars().all() == [None, "D01", "D01"]


def test_a_wrong_password_and_an_unknown_id_get_the_same_answer(
        clerk: Store, migrated: Engine) -> None:
    with pytest.raises(SignInError) as wrong:
        clerk.sign_in(CLERK, "not the password")
    with pytest.raises(SignInError) as unknown:
        clerk.sign_in("y.yamada", PASSWORD)
    assert wrong.value.code == unknown.value.code == "sign_in_failed"
    assert wrong.value.message("ja") == unknown.value.message("ja")
    assert "y.yamada" not in str(unknown.value)
    assert trail(migrated)[1:] == [(CLERK, "refused", "sign_in:password"),
                                   ("unknown", "refused", "sign_in:password:unknown")]
    assert account(migrated).failures == 1  # the unknown id counted on nobody


def test_five_wrong_passwords_lock_for_fifteen_minutes(
        clerk: Store, migrated: Engine, clock: Clock) -> None:
    for _ in range(4):
        with pytest.raises(SignInError):
            clerk.sign_in(CLERK, "wrong password")
    with pytest.raises(AccountLockedError) as locked:
        clerk.sign_in(CLERK, "wrong password")
    assert locked.value.code == "account_locked"
    assert "15" in locked.value.message("ja") and "supervisor" in locked.value.message("en")
    with pytest.raises(AccountLockedError):
        clerk.sign_in(CLERK, PASSWORD)  # the right password, refused while locked
    clock.advance(minutes=14, seconds=59)
    with pytest.raises(AccountLockedError):
        clerk.sign_in(CLERK, PASSWORD)
    assert account(migrated).locked_until == START + LOCK_FOR
    clock.advance(seconds=1)
    assert clerk.sign_in(CLERK, PASSWORD).staff_id == CLERK
    assert [d for _, _, d in trail(migrated)[1:]] == [
        *["sign_in:password"] * 4, "sign_in:password:locked", "sign_in:password:while_locked",
        "sign_in:password:while_locked", "password"]
    row = account(migrated)
    assert (row.failures, row.locked_until) == (0, None)


def test_the_count_starts_again_after_a_lock_and_after_a_right_password(clerk: Store) -> None:
    for _ in range(4):
        with pytest.raises(SignInError):
            clerk.sign_in(CLERK, "wrong password")
    clerk.sign_in(CLERK, PASSWORD)
    for _ in range(4):  # four more, not one: the right password cleared the count
        with pytest.raises(SignInError):
            clerk.sign_in(CLERK, "wrong password")
    with pytest.raises(AccountLockedError):
        clerk.sign_in(CLERK, "wrong password")


def test_a_supervisor_unlocks_a_locked_account(clerk: Store, migrated: Engine) -> None:
    for _ in range(5):
        with pytest.raises(StoreError):
            clerk.sign_in(CLERK, "wrong password")
    assert clerk.staff_list()[0].locked_until == START + LOCK_FOR
    clerk.unlock_staff(CLERK, by=SUPERVISOR)
    assert clerk.staff_list()[0].locked_until is None
    assert clerk.sign_in(CLERK, PASSWORD).staff_id == CLERK
    assert trail(migrated)[-2:] == [(SUPERVISOR, "staff_changed", f"unlock {CLERK}"),
                                    (CLERK, "signed_in", "password")]


def test_a_disabled_account_is_refused_even_with_its_password(
        clerk: Store, migrated: Engine) -> None:
    clerk.disable_staff(CLERK, by=ADMIN)
    assert clerk.staff_list()[0].disabled
    with pytest.raises(SignInError):
        clerk.sign_in(CLERK, PASSWORD)
    assert trail(migrated)[-2:] == [(ADMIN, "staff_changed", f"disable {CLERK}"),
                                    (CLERK, "refused", "sign_in:password:disabled")]


def test_changes_to_an_unknown_account_are_refused(store: Store, migrated: Engine) -> None:
    with pytest.raises(StoreError) as missing:
        store.unlock_staff("nobody", by=SUPERVISOR)
    assert missing.value.code == "not_found"
    assert trail(migrated) == []


def test_a_new_password_replaces_the_old(clerk: Store, migrated: Engine) -> None:
    clerk.set_password(CLERK, "another good one", by=ADMIN)
    with pytest.raises(SignInError):
        clerk.sign_in(CLERK, PASSWORD)
    assert clerk.sign_in(CLERK, "another good one").staff_id == CLERK
    assert (ADMIN, "staff_changed", f"passwd {CLERK}") in trail(migrated)


def test_kiosk_sign_in_needs_a_pin_of_ones_own(clerk: Store, migrated: Engine) -> None:
    for _ in range(5):  # no PIN: refused, and not counted towards the desk's lockout
        with pytest.raises(SignInError):
            clerk.sign_in_pin(CLERK, PIN)
    assert account(migrated).failures == 0
    clerk.set_pin(CLERK, PIN, by=ADMIN)
    assert clerk.staff_list()[0].has_pin
    member = clerk.sign_in_pin(CLERK, PIN, desk="K01")
    assert (member.staff_id, member.role, member.has_pin) == (CLERK, "clerk", True)
    with pytest.raises(SignInError):
        clerk.sign_in_pin(CLERK, "11112222")
    with pytest.raises(SignInError):
        clerk.sign_in(CLERK, PIN)  # the PIN is not the desk's password
    with pytest.raises(SignInError):
        clerk.sign_in_pin(CLERK, PASSWORD)  # nor the password the kiosk's PIN
    assert [d for _, _, d in trail(migrated)[1:]] == [
        *["sign_in:pin:no_pin"] * 5, f"pin {CLERK}", "pin", "sign_in:pin", "sign_in:password",
        "sign_in:pin"]
    assert trail(migrated)[6] == (ADMIN, "staff_changed", f"pin {CLERK}")


def test_password_and_pin_tries_count_together(clerk: Store) -> None:
    clerk.set_pin(CLERK, PIN, by=ADMIN)
    for _ in range(2):
        with pytest.raises(SignInError):
            clerk.sign_in_pin(CLERK, "00000000")
    for _ in range(2):
        with pytest.raises(SignInError):
            clerk.sign_in(CLERK, "wrong password")
    with pytest.raises(AccountLockedError):
        clerk.sign_in_pin(CLERK, "00000000")
    with pytest.raises(AccountLockedError):
        clerk.sign_in_pin(CLERK, PIN)


@pytest.mark.parametrize("password", ["nine char", "", "ten chars\twith a tab", "line\nbreak here"])
def test_a_weak_password_is_refused_and_nothing_is_written(
        store: Store, migrated: Engine, password: str) -> None:
    with pytest.raises(InvalidValueError) as refused:
        store.add_staff(CLERK, "clerk", password, by=ADMIN)
    assert refused.value.code == "invalid_value" and "10" in str(refused.value)
    assert store.staff_list() == [] and trail(migrated) == []


def test_the_shortest_password_and_a_japanese_one_are_taken(store: Store) -> None:
    store.add_staff(CLERK, "clerk", "ten chars!", by=ADMIN)
    store.add_staff("m.ito", "clerk", "ひらがなのパスワードです", by=ADMIN)
    assert store.sign_in("m.ito", "ひらがなのパスワードです").staff_id == "m.ito"


@pytest.mark.parametrize("pin", ["12345", "123456789", "12345a", "１２３４５６", "", "1234 56"])
def test_a_pin_is_six_to_eight_ascii_digits(clerk: Store, migrated: Engine, pin: str) -> None:
    with pytest.raises(InvalidValueError) as refused:
        clerk.set_pin(CLERK, pin, by=ADMIN)
    assert refused.value.code == "invalid_value"
    assert account(migrated).pin_hash is None and len(trail(migrated)) == 1


@pytest.mark.parametrize("pin", ["123456", "12345678"])
def test_pins_of_six_and_eight_digits_are_taken(clerk: Store, pin: str) -> None:
    clerk.set_pin(CLERK, pin, by=ADMIN)
    assert clerk.sign_in_pin(CLERK, pin).staff_id == CLERK


def test_a_bad_role_or_id_or_a_second_account_of_one_id_is_refused(clerk: Store) -> None:
    for staff_id, role in (("m.ito", "boss"), ("bad id", "clerk"), (CLERK, "admin")):
        with pytest.raises(InvalidValueError):
            clerk.add_staff(staff_id, role, PASSWORD, by=ADMIN)  # type: ignore[arg-type]
    assert [(m.staff_id, m.role) for m in clerk.staff_list()] == [(CLERK, "clerk")]


def test_no_secret_is_stored_or_recorded_in_plain(clerk: Store, migrated: Engine) -> None:
    clerk.set_pin(CLERK, PIN, by=ADMIN)
    clerk.sign_in(CLERK, PASSWORD)
    clerk.sign_in_pin(CLERK, PIN)
    for staff_id, secret in ((CLERK, "a wrong guess 1"), (PASSWORD, CLERK), ("123456789012", PIN)):
        with pytest.raises(SignInError):
            clerk.sign_in(staff_id, secret)  # a password or a number typed into the id box
    row = account(migrated)
    assert row.password_hash.startswith("$argon2id$v=19$m=65536,t=3,")
    assert row.pin_hash.startswith("$argon2id$") and row.pin_hash != row.password_hash
    with migrated.connect() as conn:
        stored = [str(v) for table in (staff, audit_events)
                  for r in conn.execute(select(table)) for v in r]
    for secret in (PASSWORD, PIN, "a wrong guess 1", "123456789012"):
        assert not any(secret in value for value in stored), secret
    assert ("unknown", "refused", "sign_in:password:unknown") in trail(migrated)


def test_the_ladder_of_roles() -> None:
    assert at_least("admin", "supervisor") and at_least("supervisor", "supervisor")
    assert not at_least("clerk", "supervisor") and not at_least("supervisor", "admin")


def test_ten_wrong_passwords_at_once_lock_once_and_lose_no_count(
        clerk: Store, migrated: Engine) -> None:
    """Ten desks try at once: the count is taken under the row's lock, so exactly the fifth
    try locks, and the five after it meet the lock (none is lost, none counted twice)."""
    barrier = threading.Barrier(10)
    answers: list[str] = []

    def attempt() -> None:
        barrier.wait()
        try:
            clerk.sign_in(CLERK, "wrong password")
        except StoreError as exc:
            answers.append(exc.code)

    threads = [threading.Thread(target=attempt) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == ["account_locked"] * 6 + ["sign_in_failed"] * 4
    details = [d for _, action, d in trail(migrated) if action == "refused"]
    assert details.count("sign_in:password:locked") == 1
    assert details.count("sign_in:password:while_locked") == 5
    assert details.count("sign_in:password") == 4
    assert clerk.verify_audit().whole
    row = account(migrated)
    assert (row.failures, row.locked_until) == (0, START + LOCK_FOR)
