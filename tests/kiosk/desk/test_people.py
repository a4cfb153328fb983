"""People at the desk (issue: people and roles): a person signs in with their own account, each
action asks for its role, a refusal names the role and is audited, a locked desk shows nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.desk.errors import DeskError
from kiosk.store.staff import Role
from tests.kiosk.desk.conftest import SiteFactory
from tests.kiosk.desk.world import Site, decode_image, rasterise, refused

PASSWORD = "correct horse battery"


def signed_in(site: Site, role: Role, staff_id: str = "k.tanaka") -> Site:
    site.desk.sign_out()
    site.desk_store.add_staff(staff_id, role, PASSWORD, by="bootstrap")
    member = site.desk.sign_in(staff_id, PASSWORD)
    assert (site.desk.clerk, site.desk.role) == (staff_id, member.role)
    return site


def code_of(site: Site) -> str:
    _, slip = site.kiosk.submit(site.submission("juminhyo"))
    (text,) = decode_image(rasterise(slip))
    return text


def refusal(action: object) -> DeskError:
    with pytest.raises(DeskError) as caught:
        action()  # type: ignore[operator]
    return caught.value


def test_a_clerk_scans_prints_and_moves_the_status(make_site: SiteFactory) -> None:
    site = signed_in(make_site(), "clerk")
    view = site.desk.scan(code_of(site))
    site.desk.set_status(view.application_id, "received")
    assert site.desk.print_form(view.application_id, 0).procedure == 0
    trail = site.desk_store.audit_trail(view.application_id)
    assert {e.clerk_id for e in trail} == {"k.tanaka"}


def test_a_clerk_is_refused_what_a_supervisor_may_do_naming_the_role(
        make_site: SiteFactory, tmp_path: Path) -> None:
    site = signed_in(make_site(), "clerk")
    view = site.desk.scan(code_of(site))
    for action, words in ((lambda: site.desk.export("json", tmp_path / "x.json"), "書き出し"),
                          (lambda: site.desk.reprint_slip(view.application_id), "再発行")):
        error = refusal(action)
        assert error.code == "role_required"
        assert words in error.message_ja and "監督者" in error.message_ja
        assert "supervisor" in error.message_en
    assert refused(site) == ["role_required", "role_required"]
    assert not (tmp_path / "x.json").exists()


def test_a_clerk_opens_by_id_only_what_a_desk_has_scanned(make_site: SiteFactory) -> None:
    """The resident came with the slip: printing its form in a second step is the clerk's;
    an application nobody brought to the counter is a supervisor's to open."""
    site = signed_in(make_site(), "clerk")
    code_of(site)
    (waiting,) = site.kiosk.store.find_by_ticket("999997", "A-001", site.today())
    error = refusal(lambda: site.desk.open(waiting.id))
    assert error.code == "role_required" and "supervisor" in error.message_en
    scanned = site.desk.scan(code_of(site))
    site.desk.forget()
    assert site.desk.open(scanned.application_id).ticket == "A-002"


def test_a_supervisor_exports(make_site: SiteFactory, tmp_path: Path) -> None:
    site = signed_in(make_site(), "supervisor", "s.sato")
    site.desk.scan(code_of(site))
    assert site.desk.export("json", tmp_path / "x.json").applications == 1


def test_a_locked_desk_shows_nothing_until_the_same_password(make_site: SiteFactory) -> None:
    site = signed_in(make_site(), "clerk")
    view = site.desk.scan(code_of(site))
    site.desk.lock()
    assert site.desk.current is None
    assert refusal(lambda: site.desk.scan(code_of(site))).code == "desk_locked"
    assert refusal(lambda: site.desk.unlock("wrong password!")).code == "sign_in_failed"
    site.desk.unlock(PASSWORD)
    assert site.desk.current is not None and site.desk.current.ticket == view.ticket


def test_a_wrong_password_opens_nothing_and_counts(make_site: SiteFactory) -> None:
    site = make_site()
    site.desk.sign_out()
    site.desk_store.add_staff("k.tanaka", "clerk", PASSWORD, by="bootstrap")
    for _ in range(4):
        assert refusal(lambda: site.desk.sign_in("k.tanaka", "not the password")).code == \
            "sign_in_failed"
    assert refusal(lambda: site.desk.sign_in("k.tanaka", "not the password")).code == \
        "account_locked"
    assert refusal(lambda: site.desk.sign_in("k.tanaka", PASSWORD)).code == "account_locked"
    assert site.desk.clerk is None
    assert refusal(lambda: site.desk.scan(code_of(site))).code == "clerk_required"


def test_signing_out_forgets_the_resident_and_the_person(make_site: SiteFactory) -> None:
    site = signed_in(make_site(), "clerk")
    site.desk.scan(code_of(site))
    site.desk.sign_out()
    assert (site.desk.current, site.desk.clerk) == (None, None)
