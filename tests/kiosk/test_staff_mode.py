"""Staff mode by person: a staff member takes over a kiosk session with their own id and PIN,
checked by a real store (SQLite), which locks the account after 5 wrong tries and records
every sign-in and refusal; only an administrator may close the kiosk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.session.session import Screen, Session
from kiosk.store.models import audit_events
from tests.kiosk.session_fixtures import (
    ADMIN,
    CLERK,
    KIOSK_ID,
    SUPERVISOR,
    Clock,
    RecordingCard,
    RecordingSubmitter,
    StaffStore,
    make_session,
    staff_store,
)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(tmp_path: Path, clock: Clock) -> Iterator[StaffStore]:
    made = staff_store(tmp_path, clock)
    yield made
    made.close()


def at_sign_in(accounts: StaffStore, clock: Clock) -> Session:
    """A resident half-way (住民票, at the card), who called the staff; the sign-in shown."""
    s = make_session(RecordingCard(present=False), RecordingSubmitter(), clock,
                     staff=accounts.check)
    s.start()
    s.choose_form("juminhyo")
    s.call_staff()
    s.open_staff_login()
    assert s.screen == Screen.STAFF_LOGIN
    return s


def trail(accounts: StaffStore, staff_id: str) -> list[tuple[str, str | None, str | None]]:
    """The audit events under one person's id: action, detail, kiosk."""
    events = audit_events.c
    with accounts.engine.connect() as conn:
        rows = conn.execute(select(events.action, events.detail, events.desk_id)
                            .where(events.clerk_id == staff_id).order_by(events.id)).all()
    return [(row.action, row.detail, row.desk_id) for row in rows]


def test_the_right_pin_hands_the_session_to_that_person_until_it_ends(
        accounts: StaffStore, clock: Clock) -> None:
    s = at_sign_in(accounts, clock)
    staff_id, role, pin = CLERK
    assert s.staff_login(staff_id, pin)
    assert (s.screen, s.staff_mode, s.staff_id, s.staff_role) == (
        Screen.IDENTIFY, True, staff_id, role)  # where the resident left off
    assert pin not in repr(vars(s))  # the session keeps who, never the PIN
    s.finish()
    assert (s.staff_mode, s.staff_id, s.staff_role) == (False, None, None)
    assert trail(accounts, staff_id) == [("signed_in", "pin", KIOSK_ID)]


@pytest.mark.parametrize("staff_id", [CLERK[0], "nobody", ""])
def test_a_wrong_pin_or_id_is_refused_with_one_message(
        accounts: StaffStore, clock: Clock, staff_id: str) -> None:
    s = at_sign_in(accounts, clock)
    assert not s.staff_login(staff_id, ADMIN[2])  # somebody's PIN, not this id's
    assert (s.screen, s.message, s.staff_mode, s.staff_id) == (
        Screen.STAFF_LOGIN, "wrong_staff_pin", False, None)


def test_five_wrong_tries_lock_the_account_even_for_the_right_pin(
        accounts: StaffStore, clock: Clock) -> None:
    s = at_sign_in(accounts, clock)
    staff_id, _, pin = CLERK
    answers = []
    for _ in range(5):
        s.staff_login(staff_id, "000000")
        answers.append(s.message)
    assert answers == ["wrong_staff_pin"] * 4 + ["staff_locked"]
    assert not s.staff_login(staff_id, pin)  # the 6th, right, still refused
    assert (s.message, s.staff_mode, s.screen) == ("staff_locked", False, Screen.STAFF_LOGIN)
    assert s.staff_login(SUPERVISOR[0], SUPERVISOR[2])  # another account is not locked
    s.finish()
    clock.advance(dt.timedelta(minutes=15).total_seconds())
    s = at_sign_in(accounts, clock)
    assert s.staff_login(staff_id, pin)  # the lock runs out
    events = trail(accounts, staff_id)
    assert [action for action, _, _ in events] == ["refused"] * 6 + ["signed_in"]
    assert [detail for _, detail, _ in events[:5]] == ["sign_in:pin"] * 4 + ["sign_in:pin:locked"]
    assert {kiosk for _, _, kiosk in events} == {KIOSK_ID}


@pytest.mark.parametrize("account", [CLERK, SUPERVISOR])
def test_only_an_admin_may_close_the_kiosk(accounts: StaffStore, clock: Clock,
                                           account: tuple[str, str, str]) -> None:
    s = at_sign_in(accounts, clock)
    staff_id, _, pin = account
    assert s.staff_login(staff_id, pin)
    s.call_staff()  # the staff menu, where 「端末を終了」 is
    assert not s.may_close_kiosk()
    assert (s.message, s.staff_mode, s.screen) == ("close_needs_admin", True, Screen.STAFF)
    assert trail(accounts, staff_id)[-1] == ("refused", "close_kiosk", KIOSK_ID)
    s.finish()
    s = at_sign_in(accounts, clock)
    assert s.staff_login(ADMIN[0], ADMIN[2])
    assert s.may_close_kiosk() and s.message is None
    assert trail(accounts, ADMIN[0]) == [("signed_in", "pin", KIOSK_ID)]  # nothing refused


def test_without_anyone_signed_in_nothing_closes_and_nothing_is_recorded(
        accounts: StaffStore, clock: Clock) -> None:
    s = at_sign_in(accounts, clock)
    assert not s.may_close_kiosk() and s.message is None
    events = audit_events.c
    with accounts.engine.connect() as conn:
        refused = conn.execute(select(events.id).where(events.action == "refused")).all()
    assert refused == []
