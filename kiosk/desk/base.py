"""What every part of the counter desk shares: its collaborators, the person signed in (and
their role), and the application on screen (kept so that printing it does not open, and audit,
it again).

Nobody acts at the desk without signing in with their own staff id and password (the store's
accounts, kiosk/store/staff.py); each action asks for its role (access.py), and a refusal is
an audit event. `lock()` hides the application until the same person's password is given again
(the screen's idle lock); `sign_out()` forgets it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from drivers.printer.base import Printer
from forms.loader import Library
from forms.model import Form
from kiosk.config import OfficeConfig
from kiosk.desk.access import NEEDS, DeskLocked, RoleRequired, SignedOut
from kiosk.desk.errors import ClerkInvalid, ClerkRequired, DeskError, NotFound, desk_error
from kiosk.desk.view import DeskView, build_view
from kiosk.store.errors import NotFoundError, StoreError
from kiosk.store.records import STAFF_ID
from kiosk.store.repository import AuditEvent, OpenedApplication, Store
from kiosk.store.staff import Role, StaffMember, at_least
from printouts.layout import Fonts
from printouts.payload import Application, DeskKeys
from printouts.slip import A5, SlipPaper

log = logging.getLogger("kiosk.desk")
ANONYMOUS = "anonymous"  # the audit's clerk of a refusal before anyone signed in


@dataclass(frozen=True)
class Printed:
    """A procedure's official form printed at this desk while its application is on screen."""

    at: dt.datetime
    with_number: bool  # the 12-digit number read from the card is in its boxes


@dataclass
class _Current:
    """The application on screen: kept so that printing it does not open it again."""

    opened: OpenedApplication
    view: DeskView
    # By procedure index. Kept here, not in the store: the store records each print by kind
    # only, and what the clerk needs is "this form is done" while the resident is at the desk.
    printed: dict[int, Printed] = field(default_factory=dict)


class DeskBase:
    """One counter desk, for one clerk at a time (`clerk` is None until someone signs in)."""

    def __init__(
        self,
        *,
        store: Store,
        keys: DeskKeys,
        library: Library,
        printer: Printer,
        printer_label: str,
        office: OfficeConfig,
        counters: Mapping[str, str],
        clock: Callable[[], dt.datetime],
        clerk: str | None,
        role: Role = "clerk",
        desk_id: str | None = None,
        fonts: Fonts | None = None,
        slip_paper: SlipPaper = A5,
        serves: Collection[str] = (),
        slip_valid_days: int = 14,
    ) -> None:
        self._store = store
        self._keys = keys
        self._library = library
        self._printer = printer
        self._printer_label = printer_label
        self._office = office
        self._counters = dict(counters)
        self._clock = clock
        self.clerk = clerk or None
        self.role: Role = role
        self.locked = False
        self.desk_id = desk_id
        self._fonts = fonts
        # A slip older than this is refused (`slip_expired`, [desk] slip_valid_days).
        self._slip_valid = dt.timedelta(days=slip_valid_days)
        self._slip_paper = slip_paper
        # The counters this desk serves ([desk] counters); empty: every counter.
        self._serves = frozenset(serves)
        self._current: _Current | None = None

    def _need_clerk(self) -> str:
        if self.locked:
            raise DeskLocked()
        if not self.clerk:
            raise ClerkRequired()
        if not STAFF_ID.fullmatch(self.clerk):  # the store's rule, checked before any action
            raise ClerkInvalid()
        return self.clerk

    def _refuse_while_locked(self) -> None:
        """A scan at a locked desk is refused before it changes anything (audited)."""
        if self.locked:
            refused = DeskLocked()
            self._audit_refusal(refused)
            raise refused

    def _need_role(self, action: str) -> str:
        """The signed-in id, if their role may do `action`; else RoleRequired, audited."""
        clerk = self._need_clerk()
        if not at_least(self.role, NEEDS[action]):
            refused = RoleRequired.for_action(action)
            self._audit_refusal(refused)
            raise refused
        return clerk

    def _may_open(self, application_id: int) -> str:
        """Opening by id: a clerk may open an application whose slip a desk has scanned (the
        resident came with it; e.g. printing its form in a second command), a supervisor any."""
        clerk = self._need_clerk()
        if at_least(self.role, NEEDS["open"]):
            return clerk
        try:
            scanned = self._store.was_scanned(application_id)
        except StoreError as exc:
            raise desk_error(exc) from None
        return clerk if scanned else self._need_role("open")

    def _audit_refusal(self, exc: DeskError) -> None:
        """A refusal is an audit event (its code, the application when one was found): a
        forged, replayed or expired slip, or an action beyond one's role, leaves a trace.
        Never the scanned text."""
        clerk = self.clerk if self.clerk and STAFF_ID.fullmatch(self.clerk) else ANONYMOUS
        try:
            self._store.audit(clerk, "refused", exc.application_id, desk=self.desk_id,
                              detail=exc.code)
        except StoreError as failed:
            log.warning("refusal %s not audited: %s", exc.code, failed.code)

    # --- people ------------------------------------------------------------------------------

    def sign_in(self, staff_id: str, password: str) -> StaffMember:
        """Sign a person in with their own id and password (audited by the store, a wrong
        password counted towards the lockout); whoever was signed in is forgotten first."""
        self.sign_out()
        try:
            member = self._store.sign_in(staff_id, password, desk=self.desk_id)
        except StoreError as exc:
            raise desk_error(exc) from None
        self.clerk, self.role = member.staff_id, member.role
        return member

    def sign_out(self) -> None:
        """Forget the application on screen and the person; audited."""
        who = self.clerk
        self.forget()
        self.clerk, self.role, self.locked = None, "clerk", False
        if who and STAFF_ID.fullmatch(who):
            try:
                self._store.sign_out(who, desk=self.desk_id)
            except StoreError as failed:
                log.warning("sign-out not audited: %s", failed.code)

    def lock(self) -> None:
        """Hide everything personal until the same person gives their password again."""
        if self.clerk:
            self.locked = True

    def unlock(self, password: str) -> None:
        """The signed-in person's password again (checked and counted like a sign-in)."""
        if not self.clerk:
            raise SignedOut()
        try:
            self._store.sign_in(self.clerk, password, desk=self.desk_id)
        except StoreError as exc:
            raise desk_error(exc) from None
        self.locked = False

    @property
    def office_name(self) -> str:
        return self._office.name

    @property
    def office_code(self) -> str:
        return self._office.code

    @property
    def current(self) -> DeskView | None:
        """The application on screen; None while the desk is locked."""
        return self._current.view if self._current and not self.locked else None

    @property
    def printed(self) -> Mapping[int, Printed]:
        """The forms printed for the application on screen, by procedure index."""
        return dict(self._current.printed) if self._current else {}

    def forget(self) -> None:
        """Drop the application on screen (next resident, sign-out, idle, a new scan)."""
        self._current = None

    def _show(self, opened: OpenedApplication, *, earlier: AuditEvent | None = None,
              recorded: bool = False, code: Application | None = None) -> DeskView:
        """The view of an application: the procedures of the counters this desk serves (all,
        by default: a one-stop counter sees the whole application) and those of the code
        scanned, and the counters the slip sends the resident to after this one."""
        route = tuple(code.route) if code is not None else ()
        after = route[route.index(code.counter) + 1:] if code and code.counter in route else ()
        only = None
        if self._serves:
            served = {p.form_id for p in opened.submission.procedures
                      if (form := self._form_of(p.form_id, p.form_version)) is not None
                      and form.counter in self._serves}
            only = served | {p.form_id for p in code.procedures} if code else served
        view = build_view(stored=opened.application, submission=opened.submission,
                          library=self._library, office_name=self._office.name,
                          earlier=earlier, recorded_from_slip=recorded, only=only,
                          next_counters=tuple(self._counters.get(c, c) for c in after))
        before = self._current
        same = before is not None and before.opened.application.id == opened.application.id
        self._current = _Current(opened, view, dict(before.printed) if before and same else {})
        return view

    def _form_of(self, form_id: str, version: int) -> Form | None:
        """The form a procedure was made with; a version this desk lacks still belongs to the
        counter of the form's current version."""
        current = self._library.current(form_id)
        return self._library.form_version(form_id, version) or (current.form if current else None)

    def _opened(self, application_id: int) -> OpenedApplication:
        """The application on screen, or the store's (opening it is audited as `viewed`)."""
        current = self._current
        if current is not None and current.opened.application.id == application_id:
            self._need_clerk()
            return current.opened
        clerk = self._may_open(application_id)
        try:
            return self._store.open_for_clerk(application_id, clerk, desk=self.desk_id)
        except NotFoundError:
            raise NotFound(f"id {application_id}") from None
        except StoreError as exc:
            raise desk_error(exc) from None

    def _need_fonts(self) -> Fonts:
        if self._fonts is None:
            self._fonts = Fonts.for_pdf()  # ~0.6 s once: the font chain reads its cmaps
        return self._fonts
