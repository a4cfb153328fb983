"""What the desk trusts (issue: keys, data and slips): only what a kiosk signed, and only while
the slip is valid. Each refusal is the clerk's code and an audit event of its own."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select, update

from kiosk.desk.errors import DeskError
from kiosk.store.models import applications
from kiosk.store.sealing import RecordSealer, meta_of
from printouts.payload import load_kiosk_keys
from tests.kiosk.desk.conftest import SiteFactory
from tests.kiosk.desk.world import Site, decode_image, rasterise, refused
from tests.kiosk.store.conftest import Clock


def slip_of(site: Site) -> tuple[str, int]:
    """A 住民票 application from the kiosk: the slip's code and the stored id."""
    _, slip = site.kiosk.submit(site.submission("juminhyo"))
    (text,) = decode_image(rasterise(slip))
    (stored,) = site.kiosk.store.find_by_ticket("999997", "A-001", site.today())
    return text, stored.id


def refuse(site: Site, text: str) -> str:
    with pytest.raises(DeskError) as caught:
        site.desk.scan(text)
    assert site.desk.current is None  # nothing of anyone is left on screen
    assert caught.value.message_ja and caught.value.message_en
    return caught.value.code


# --- the stored record -------------------------------------------------------------------------


def test_a_row_rewritten_without_a_kiosk_key_is_refused_as_tampered(make_site: SiteFactory
                                                                    ) -> None:
    """The issue's attack: a row rewritten in the database (here its kiosk and forms, which
    the signature binds) is never shown as the kiosk's."""
    site = make_site(shared=True)
    text, app_id = slip_of(site)
    with site.engines[-1].begin() as conn:
        conn.execute(update(applications).where(applications.c.id == app_id).values(
            forms=[{"id": "juminhyo", "version": 1}, {"id": "kokuho", "version": 2}]))
    assert refuse(site, text) == "tampered"
    assert refused(site) == ["tampered"]
    trail = site.desk_store.audit_trail(app_id)
    assert [(e.action, e.detail) for e in trail] == [("refused", "tampered")]


def test_a_row_re_signed_with_a_stolen_kiosk_key_disagrees_with_the_slip(
        make_site: SiteFactory) -> None:
    """Even a holder of a kiosk's key cannot make the desk show other answers under a real
    slip: the scanned code is held against the record (name changed, 9 copies)."""
    site = make_site(shared=True)
    text, app_id = slip_of(site)
    opened = site.desk_store.open_for_clerk(app_id, "attacker")
    (procedure,) = opened.submission.procedures
    forged = dataclasses.replace(procedure, values={**procedure.values, "copies": 9})
    submission = dataclasses.replace(opened.submission, procedures=(forged,))
    sealer = RecordSealer(load_kiosk_keys(site.kiosk.keys_dir))
    with site.engines[-1].begin() as conn:
        row = conn.execute(select(applications).where(applications.c.id == app_id)).one()
        conn.execute(update(applications).where(applications.c.id == app_id).values(
            payload=sealer.seal(submission, meta_of(row))))
    assert site.desk_store.open_for_clerk(app_id, "attacker").submission == submission
    assert refuse(site, text) == "tampered"
    assert ("refused", "tampered") in [(e.action, e.detail)
                                       for e in site.desk_store.audit_trail(app_id)]


# --- validity ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("move", "code"), [
    (dt.timedelta(minutes=-11), "slip_from_future"),  # the desk's clock 11 min behind
    (dt.timedelta(days=15), "slip_expired"),  # [desk] slip_valid_days is 14
])
def test_a_slip_outside_its_window_is_refused(site: Site, clock: Clock, move: dt.timedelta,
                                              code: str) -> None:
    _, slip = site.kiosk.submit(site.submission("juminhyo"))
    (text,) = decode_image(rasterise(slip))
    clock.now += move
    assert refuse(site, text) == code
    assert refused(site) == [code]


def test_a_slip_within_its_window_opens(site: Site, clock: Clock) -> None:
    _, slip = site.kiosk.submit(site.submission("juminhyo"))
    (text,) = decode_image(rasterise(slip))
    clock.now += dt.timedelta(minutes=-9)  # a kiosk clock a little ahead is no forgery
    assert site.desk.scan(text).ticket == "A-001"
    clock.now += dt.timedelta(days=13, hours=23)
    assert site.desk.scan(text).codes == ("already_scanned",)


def test_a_purged_application_never_registers_again(site: Site, clock: Clock) -> None:
    """On a separate network too: the desk would otherwise record the slip anew."""
    _, slip = site.kiosk.submit(site.submission("juminhyo"))
    (text,) = decode_image(rasterise(slip))
    site.desk.scan(text)
    clock.advance(days=3)
    removed = site.desk_store.purge(dt.timedelta(days=2), slip_valid=dt.timedelta(days=14))
    assert removed == 1
    assert refuse(site, text) == "slip_spent"
    assert refused(site) == ["slip_spent"]


def test_a_refused_scan_before_sign_in_is_audited_without_a_name(make_site: SiteFactory
                                                                 ) -> None:
    site = make_site()
    site.desk.clerk = None
    assert refuse(site, "KS2-NOT-A-SLIP") == "clerk_required"
    assert refused(site) == ["clerk_required"]
