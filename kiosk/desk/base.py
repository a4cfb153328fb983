"""What every part of the counter desk shares: its collaborators, the clerk signed in, and the
application on screen (kept so that printing it does not open, and audit, it again)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from drivers.printer.base import Printer
from forms.loader import Library
from kiosk.config import OfficeConfig
from kiosk.desk.errors import ClerkInvalid, ClerkRequired, NotFound, desk_error
from kiosk.desk.view import DeskView, build_view
from kiosk.store.errors import NotFoundError, StoreError
from kiosk.store.records import STAFF_ID
from kiosk.store.repository import AuditEvent, OpenedApplication, Store
from printouts.layout import Fonts
from printouts.payload import Application, DeskKeys
from printouts.slip import A5, SlipPaper


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
        self.desk_id = desk_id
        self._fonts = fonts
        # A slip older than this is refused (`slip_expired`, [desk] slip_valid_days).
        self._slip_valid = dt.timedelta(days=slip_valid_days)
        self._slip_paper = slip_paper
        # The counters this desk serves ([desk] counters); empty: every counter.
        self._serves = frozenset(serves)
        self._current: _Current | None = None

    def _need_clerk(self) -> str:
        if not self.clerk:
            raise ClerkRequired()
        if not STAFF_ID.fullmatch(self.clerk):  # the store's rule, checked before any action
            raise ClerkInvalid()
        return self.clerk

    @property
    def office_name(self) -> str:
        return self._office.name

    @property
    def office_code(self) -> str:
        return self._office.code

    @property
    def current(self) -> DeskView | None:
        return self._current.view if self._current else None

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
                      if (form := self._library.forms.get(p.form_id)) is not None
                      and form.form.counter in self._serves}
            only = served | {p.form_id for p in code.procedures} if code else served
        view = build_view(stored=opened.application, submission=opened.submission,
                          library=self._library, office_name=self._office.name,
                          earlier=earlier, recorded_from_slip=recorded, only=only,
                          next_counters=tuple(self._counters.get(c, c) for c in after))
        before = self._current
        same = before is not None and before.opened.application.id == opened.application.id
        self._current = _Current(opened, view, dict(before.printed) if before and same else {})
        return view

    def _opened(self, application_id: int) -> OpenedApplication:
        """The application on screen, or the store's (opening it is audited as `viewed`)."""
        current = self._current
        if current is not None and current.opened.application.id == application_id:
            return current.opened
        clerk = self._need_clerk()
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
