"""Staff accounts: who may sign in, in which role, with which password (desk) and PIN (kiosk).

Passwords and PINs are kept as Argon2id hashes (argon2-cffi's defaults, RFC 9106's second
recommended option: 64 MiB, 3 passes). Five wrong tries in a row, password and PIN counted
together, lock the account for 15 minutes; a supervisor may unlock it sooner. A wrong id and a
wrong password are the same refusal and take the same time, so trying ids tells nothing. Every
sign-in, refusal, lock and change is an audit event: the acting person is its clerk, the
account its detail ("add k.tanaka clerk"), never a password; a refusal of an id no account
has is the clerk "unknown"'s, never the typed text. Details of refusals: "sign_in:password"
(counted), ":locked" (the try that locked), ":while_locked", ":unknown", ":disabled",
"sign_in:pin:no_pin".

The ladder is clerk < supervisor < admin (`ROLES`); what each may do is the desk's and the
CLI's to ask (`at_least`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any, Literal, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Row, func, insert, select, update

from kiosk.store.audit import insert_audit
from kiosk.store.errors import (
    AccountLockedError,
    InvalidValueError,
    NotFoundError,
    SignInError,
)
from kiosk.store.models import staff
from kiosk.store.records import STAFF_ID, check
from kiosk.store.transactions import StoreBase

Role = Literal["clerk", "supervisor", "admin"]
ROLES: tuple[Role, ...] = ("clerk", "supervisor", "admin")
MAX_FAILURES = 5
LOCK_FOR = dt.timedelta(minutes=15)
MIN_PASSWORD = 10
PIN = re.compile(r"[0-9]{6,8}")
_HASHER = PasswordHasher()
# Recorded as the clerk of a refusal when no account has the typed id: the typed text may be a
# password typed into the wrong box, or a My Number, and the audit trail keeps neither.
UNKNOWN = "unknown"


@functools.cache
def _dummy() -> str:
    """Verified when there is no hash to verify (an unknown id, no PIN), so that try costs
    what a wrong password costs. Made on first use: hashing costs 64 MiB and a moment, which
    every `kiosk` command would otherwise pay at import."""
    return _HASHER.hash("not a password of anyone")


def at_least(role: Role, wanted: Role) -> bool:
    return ROLES.index(role) >= ROLES.index(wanted)


@dataclass(frozen=True)
class StaffMember:
    """An account as `kiosk staff list` shows it: no hash."""

    staff_id: str
    role: Role
    disabled: bool
    locked_until: dt.datetime | None
    has_pin: bool


def _member(row: Row[Any]) -> StaffMember:
    return StaffMember(row.staff_id, cast(Role, row.role), bool(row.disabled), row.locked_until,
                       row.pin_hash is not None)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD or not password.isprintable():
        raise InvalidValueError(f"a password needs at least {MIN_PASSWORD} printable characters")


def check_pin(pin: str) -> None:
    if not PIN.fullmatch(pin):
        raise InvalidValueError("a PIN is 6 to 8 digits")


class StaffAccounts(StoreBase):
    def has_staff(self) -> bool:
        return bool(self._read(lambda conn: conn.execute(
            select(func.count()).select_from(staff)).scalar_one()))

    def staff_list(self) -> list[StaffMember]:
        rows = self._read(lambda conn: conn.execute(select(staff).order_by(staff.c.staff_id))
                          .all())
        return [_member(r) for r in rows]

    def add_staff(self, staff_id: str, role: Role, password: str, *, by: str) -> StaffMember:
        check(STAFF_ID, staff_id, "staff id")
        if role not in ROLES:
            raise InvalidValueError(f"role: one of {', '.join(ROLES)}")
        check_password(password)
        digest, now = _HASHER.hash(password), self._now()

        def write(conn: Connection) -> None:
            if conn.execute(select(staff.c.staff_id).where(staff.c.staff_id == staff_id)).first():
                raise InvalidValueError(f"staff {staff_id} already exists")
            conn.execute(insert(staff).values(
                staff_id=staff_id, role=role, password_hash=digest, pin_hash=None,
                disabled=False, failures=0, locked_until=None, created_at=now, updated_at=now))
            self._note(conn, by, f"add {staff_id} {role}", now)

        self._write(write)
        return StaffMember(staff_id, role, False, None, False)

    def set_password(self, staff_id: str, password: str, *, by: str) -> None:
        check_password(password)
        self._change(staff_id, {"password_hash": _HASHER.hash(password)}, by, "passwd")

    def set_pin(self, staff_id: str, pin: str, *, by: str) -> None:
        check_pin(pin)
        self._change(staff_id, {"pin_hash": _HASHER.hash(pin)}, by, "pin")

    def disable_staff(self, staff_id: str, *, by: str) -> None:
        self._change(staff_id, {"disabled": True}, by, "disable")

    def unlock_staff(self, staff_id: str, *, by: str) -> None:
        self._change(staff_id, {"failures": 0, "locked_until": None}, by, "unlock")

    def sign_in(self, staff_id: str, password: str, *, desk: str | None = None) -> StaffMember:
        """The account, once its password is right; SignInError (the same for a wrong id or
        password), AccountLockedError. Audited either way."""
        return self._verify(staff_id, password, "password_hash", desk)

    def sign_in_pin(self, staff_id: str, pin: str, *, desk: str | None = None) -> StaffMember:
        """As `sign_in`, with the kiosk PIN (an account without one cannot sign in there)."""
        return self._verify(staff_id, pin, "pin_hash", desk)

    def sign_out(self, staff_id: str, *, desk: str | None = None) -> None:
        check(STAFF_ID, staff_id, "staff id")
        now = self._now()
        self._write(lambda conn: insert_audit(conn, clerk=staff_id, action="signed_out",
                                              application_id=None, desk=desk, detail=None, at=now))

    # --- inside ------------------------------------------------------------------------------

    def _verify(self, staff_id: str, secret: str, column: str, desk: str | None) -> StaffMember:
        now = self._now()
        known = STAFF_ID.fullmatch(staff_id or "") is not None
        # Only the columns this machine's login may read (roles.py): a kiosk reads PIN hashes,
        # a desk password hashes, neither both.
        wanted = select(staff.c.staff_id, staff.c.role, staff.c.disabled, staff.c[column]).where(
            staff.c.staff_id == staff_id)
        row = self._read(lambda conn: conn.execute(wanted).first()) if known else None
        digest = getattr(row, column, None) if row is not None else None
        right = _matches(digest or _dummy(), secret) and digest is not None
        kind = "pin" if column == "pin_hash" else "password"
        # Neither an unknown id nor an account without a PIN counts a try: there is nothing to
        # guess, and counting would let anyone at a kiosk lock a desk-only account out.
        why = "unknown" if row is None else "disabled" if row.disabled else (
            "no_pin" if digest is None else None)
        if row is None or why is not None:
            clerk = UNKNOWN if row is None else staff_id
            self._refused(clerk, desk, f"sign_in:{kind}:{why}", now)
            raise SignInError()
        member = StaffMember(row.staff_id, cast(Role, row.role), False, None, kind == "pin")
        return self._settle(member, right, kind, desk, now)

    def _settle(self, row: StaffMember, right: bool, kind: str, desk: str | None,
                now: dt.datetime) -> StaffMember:
        """Count the try under the row's lock: a lock in force refuses even the right secret."""
        def write(conn: Connection) -> tuple[str, dt.datetime | None]:
            current = conn.execute(select(staff.c.failures, staff.c.locked_until).where(
                staff.c.staff_id == row.staff_id).with_for_update()).one()
            locked = current.locked_until
            if locked is not None and locked > now:
                # Apart from ":locked", the try that set the lock, so locks can be counted.
                insert_audit(conn, clerk=row.staff_id, action="refused", application_id=None,
                             desk=desk, detail=f"sign_in:{kind}:while_locked", at=now)
                return "locked", locked
            if right:
                conn.execute(update(staff).where(staff.c.staff_id == row.staff_id)
                             .values(failures=0, locked_until=None))
                insert_audit(conn, clerk=row.staff_id, action="signed_in", application_id=None,
                             desk=desk, detail=kind, at=now)
                return "ok", None
            failures = int(current.failures) + 1
            until = now + LOCK_FOR if failures >= MAX_FAILURES else None
            conn.execute(update(staff).where(staff.c.staff_id == row.staff_id).values(
                failures=0 if until else failures, locked_until=until))
            detail = f"sign_in:{kind}" + (":locked" if until else "")
            insert_audit(conn, clerk=row.staff_id, action="refused", application_id=None,
                         desk=desk, detail=detail, at=now)
            return "wrong", until

        outcome, until = self._write(write)
        if outcome == "ok":
            return row
        if until is not None:
            raise AccountLockedError(f"until {until.isoformat(timespec='minutes')}")
        raise SignInError()

    def _change(self, staff_id: str, values: dict[str, object], by: str, what: str) -> None:
        check(STAFF_ID, staff_id, "staff id")
        now = self._now()

        def write(conn: Connection) -> None:
            done = conn.execute(update(staff).where(staff.c.staff_id == staff_id)
                                .values(updated_at=now, **values))
            if not done.rowcount:
                raise NotFoundError(f"staff {staff_id}")
            self._note(conn, by, f"{what} {staff_id}", now)

        self._write(write)

    @staticmethod
    def _note(conn: Connection, by: str, detail: str, at: dt.datetime) -> None:
        insert_audit(conn, clerk=by, action="staff_changed", application_id=None, desk=None,
                     detail=detail, at=at)

    def _refused(self, clerk: str, desk: str | None, detail: str, at: dt.datetime) -> None:
        self._write(lambda conn: insert_audit(conn, clerk=clerk, action="refused",
                                              application_id=None, desk=desk, detail=detail,
                                              at=at))


def _matches(digest: str, secret: str) -> bool:
    try:
        return bool(_HASHER.verify(digest, secret))
    except (VerificationError, InvalidHashError):
        return False
