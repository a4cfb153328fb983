"""The session's StaffCheck over the store's staff accounts (kiosk/store/staff.py).

A staff member takes over a kiosk with their own id and kiosk PIN, the accounts the desk and
`kiosk staff` use: the store checks the PIN's Argon2id hash, counts wrong tries (five lock the
account for 15 minutes) and records every sign-in and refusal with this kiosk's id. The
session keeps no PIN and imports nothing of the store: this adapter turns the store's errors
into the session's own (`StaffRefused`, `StaffLocked`), as kiosk/card_port.py does for the card.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.session.ports import StaffLocked, StaffOnDuty, StaffRefused
from kiosk.store.errors import AccountLockedError, SignInError
from kiosk.store.repository import Store


@dataclass(frozen=True)
class StoreStaffCheck:
    store: Store
    kiosk_id: str

    def sign_in(self, staff_id: str, pin: str) -> StaffOnDuty:
        try:
            member = self.store.sign_in_pin(staff_id, pin, desk=self.kiosk_id)
        except AccountLockedError:
            raise StaffLocked() from None
        except SignInError:
            raise StaffRefused() from None
        return StaffOnDuty(member.staff_id, member.role)

    def note_refusal(self, staff_id: str, what: str) -> None:
        self.store.audit(staff_id, "refused", desk=self.kiosk_id, detail=what)
