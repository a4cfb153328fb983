"""Scanning at the desk: the kiosk's real slip, read as an image and as scanner text, on SQLite
and PostgreSQL, with the desk sharing the kiosk's database or on its own (the bridge case)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
import qrcode
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from forms.loader import Library
from kiosk.desk.errors import DeskError
from kiosk.desk.view import DeskView, FieldView
from kiosk.store.repository import SCAN_DETAIL
from printouts.payload import (
    Application,
    CounterKey,
    KioskKeys,
    ProcedureEntry,
    TrustedKiosk,
    encode,
    load_kiosk_keys,
)
from printouts.payload.text import US_SCANNER_ON_JIS_PC
from tests.kiosk.desk.conftest import SiteFactory
from tests.kiosk.desk.world import (
    CLERK,
    COUNTERS,
    DESK_ID,
    MY_NUMBER,
    OFFICE,
    Site,
    counter_desk,
    decode_image,
    rasterise,
    refused,
)
from tests.printouts.documents_helpers import zbar

# What a US-layout scanner types on a JIS PC for each character that moves (docs/slip-format.md).
US_ON_JIS_TYPED = str.maketrans({"*": "(", "+": "~", ":": "+"})


def slip_text(slip: Path, codes: int = 1) -> str:
    """The first code of the slip (the first counter's), which has one code a counter."""
    texts = decode_image(rasterise(slip))
    assert len(texts) == codes
    return texts[0]


def scan_every_code(site: Site, slip: Path, typed: Callable[[str], str] = str) -> DeskView:
    """Each counter's code of the slip scanned in turn at a desk serving every counter; the
    last view (by then, on a separate network too, the desk holds every procedure)."""
    views = [site.desk.scan(typed(text)) for text in decode_image(rasterise(slip))]
    assert len(views) == 2  # 住民票 at the resident counter, 国保 at the insurance counter
    assert views[0].next_counters == (COUNTERS["insurance"],)
    assert views[1].next_counters == ()
    return views[-1]


def field(view: DeskView, path: str, procedure: int = 0) -> FieldView:
    def walk(fields: tuple[FieldView, ...]) -> FieldView | None:
        for f in fields:
            if f.path == path:
                return f
            for row in f.items:
                found = walk(row)
                if found:
                    return found
        return None

    found = walk(view.procedures[procedure].fields)
    assert found is not None, path
    return found


def assert_shows_the_submission(view: DeskView, site: Site, ticket: str) -> None:
    assert view.ticket == ticket
    assert view.status == "issued"
    assert (view.office_code, view.office_name, view.kiosk_id) == (OFFICE.code, OFFICE.name, "K01")
    assert view.warnings == ()
    jumin, kokuho = view.procedures
    assert (jumin.form_id, jumin.title_ja) == ("juminhyo", "住民票の写し等交付申請書")
    assert not jumin.my_number_required and kokuho.my_number_required
    # In the form's order, worded as on paper, with the kiosk's marks.
    paths = [f.path for f in jumin.fields if f.kind != "section"]
    assert paths[:4] == ["applicant", "applicant_name", "applicant_address", "applicant_birth_date"]
    birth = field(view, "applicant_birth_date")
    assert (birth.value, birth.value_ja, birth.value_en) == ("1985-06-15", "昭和60年6月15日",
                                                             "June 15, 1985")
    assert (birth.label_ja, birth.label_en) == ("窓口に来た人の生年月日", "Your date of birth")
    assert [f.code for f in birth.flags] == ["from_card"] and not birth.attention
    address = field(view, "applicant_address")
    assert address.attention and [f.code for f in address.flags] == ["corrected"]
    assert jumin.attention_count == 1
    assert field(view, "subject_name").value_ja == "𠮷田 髙橋"
    assert field(view, "applicant").value_ja == "同じ世帯の人"
    # A group is one entry whose rows are its items, each in the group's field order.
    members = field(view, "members", 1)
    assert members.kind == "group" and len(members.items) == 2
    assert [f.field_id for f in members.items[0]][:2] == ["member_name", "member_name_kana"]
    assert field(view, "members[1].member_name", 1).value_ja == "見本 三郎"
    assert field(view, "members[0].card_returned", 1).value_en == "Yes"
    # The number is never in a view: the kiosk never had it.
    assert all(f.kind != "my_number" for f in kokuho.fields)
    assert MY_NUMBER not in view.to_json_text()


def test_image_of_the_printed_slip(site: Site, tmp_path: Path) -> None:
    receipt, slip = site.kiosk.submit(site.submission("juminhyo", "kokuho"))
    image = tmp_path / "slip.png"
    rasterise(slip).save(image)

    view = site.desk.scan(image)

    assert_shows_the_submission(view, site, receipt.ticket)
    assert view.recorded_from_slip is not site.shared
    if site.shared:  # the kiosk's own row
        assert view.application_id == site.kiosk.store.find_by_slip(view.slip_id).id  # type: ignore[union-attr]
    row = site.desk_store.find_by_slip(view.slip_id)
    assert row is not None and row.ticket == receipt.ticket
    trail = site.desk_store.audit_trail(view.application_id)
    # The picture holds both counters' codes: each is opened, and audited, as its own scan.
    assert [(e.action, e.clerk_id, e.desk_id, e.detail) for e in trail] == [
        ("viewed", CLERK, DESK_ID, f"{SCAN_DETAIL} juminhyo"),
        ("viewed", CLERK, DESK_ID, f"{SCAN_DETAIL} kokuho")]


def test_scanner_text_ending_in_enter(site: Site) -> None:
    receipt, slip = site.kiosk.submit(site.submission("juminhyo", "kokuho"))
    view = scan_every_code(site, slip, lambda text: text + "\r\n")
    assert_shows_the_submission(view, site, receipt.ticket)


def test_us_scanner_on_a_jis_pc_with_caps_lock(site: Site) -> None:
    receipt, slip = site.kiosk.submit(site.submission("juminhyo", "kokuho"))
    text = slip_text(slip, 2)
    mangled = text.translate(US_ON_JIS_TYPED).lower()
    assert mangled != text and mangled.upper().translate(US_SCANNER_ON_JIS_PC) == text
    view = scan_every_code(site, slip, lambda t: t.translate(US_ON_JIS_TYPED).lower() + "\n")
    assert_shows_the_submission(view, site, receipt.ticket)


def test_the_slip_pdf_itself(site: Site) -> None:
    receipt, slip = site.kiosk.submit(site.submission("juminhyo"))
    assert site.desk.scan(str(slip)).ticket == receipt.ticket


def test_a_second_scan_says_so_and_still_shows(site: Site) -> None:
    _, slip = site.kiosk.submit(site.submission("juminhyo"))
    text = slip_text(slip)
    first = site.desk.scan(text)
    site.clock.advance(minutes=7)  # type: ignore[attr-defined]
    site.desk.set_status(first.application_id, "received")

    again = site.desk.scan(text)

    assert again.application_id == first.application_id
    assert again.codes == ("already_scanned",)
    assert again.status == "received" and again.first_scanned_desk == DESK_ID
    assert again.first_scanned_at is not None and f"{again.first_scanned_at:%H:%M}" == "10:00"
    assert "10:00" in again.warnings[0].detail and "received" in again.warnings[0].detail
    assert again.procedures == first.procedures
    assert not again.recorded_from_slip  # found, not stored a second time


@pytest.mark.parametrize(("steps", "code"), [
    (("received", "completed"), "already_completed"),
    (("cancelled",), "cancelled"),
])
def test_completed_and_cancelled_slips(site: Site, steps: tuple[str, ...], code: str) -> None:
    _, slip = site.kiosk.submit(site.submission("juminhyo"))
    text = slip_text(slip)
    view = site.desk.scan(text)
    for step in steps:
        site.desk.set_status(view.application_id, step)
    again = site.desk.scan(text)
    assert again.codes == ("already_scanned", code)
    with pytest.raises(DeskError) as caught:
        site.desk.set_status(view.application_id, "received")
    assert caught.value.code == code


def test_one_character_changed(site: Site) -> None:
    _, slip = site.kiosk.submit(site.submission("juminhyo"))
    text = slip_text(slip)
    i = len(text) // 2
    tampered = text[:i] + ("A" if text[i] != "A" else "B") + text[i + 1:]
    with pytest.raises(DeskError) as caught:
        site.desk.scan(tampered)
    assert caught.value.code == "damaged"
    assert refused(site) == ["damaged"]  # the trail holds the refusal, and nothing else
    assert site.desk_store.stats().audit_events == 1


def _foreign(site: Site, *, office: str = OFFICE.code, kiosk_id: str = "K09",
             counter: CounterKey | None = None, forge_as_trusted: bool = False) -> str:
    """A slip from a kiosk this desk does not trust (or claiming to be one it does)."""
    ours = load_kiosk_keys(site.kiosk.keys_dir)
    signing = Ed25519PrivateKey.generate()
    kiosk = TrustedKiosk.of(signing.public_key(), kiosk_id=kiosk_id, office_code=office)
    seal_to = counter or (ours.counter if office == OFFICE.code else CounterKey.of(
        X25519PrivateKey.generate().public_key(), office_code=office))
    keys = KioskKeys(signing_key=signing, kiosk=kiosk, counter=seal_to)
    if forge_as_trusted:
        object.__setattr__(keys, "kiosk", ours.kiosk)  # a forger's encoder skips the checks
    app = Application(office_code=office, kiosk_id=keys.kiosk.kiosk_id,
                      issued_at=site.clock().replace(microsecond=0), ticket="A-001",
                      procedures=[ProcedureEntry("juminhyo", 1, {"copies": 1})])
    return encode(app, keys)


@pytest.mark.parametrize(("make", "code"), [
    (lambda s: _foreign(s, office="131016"), "wrong_office"),
    (_foreign, "unknown_kiosk"),
    (lambda s: _foreign(s, forge_as_trusted=True), "bad_signature"),
    (lambda s: _foreign(s, counter=CounterKey.of(X25519PrivateKey.generate().public_key(),
                                                 office_code=OFFICE.code)), "not_for_this_counter"),
    (lambda s: "KS9-ABC", "unsupported_version"),
    (lambda s: "https://example.jp/", "not_ours"),
], ids=["another_office", "unknown_kiosk", "forged", "another_counter", "newer_format",
        "a_url"])
def test_foreign_slips_are_refused_with_their_code(site: Site, make: object, code: str) -> None:
    text = make(site)  # type: ignore[operator]
    with pytest.raises(DeskError) as caught:
        site.desk.scan(text)
    assert caught.value.code == code
    assert caught.value.message_ja and caught.value.message_en
    stats = site.desk_store.stats()
    assert stats.audit_events == 1 and sum(stats.by_status.values()) == 0
    assert refused(site) == [code]


@pytest.mark.parametrize("scanned", [MY_NUMBER, f"{MY_NUMBER}\r\n", "１２３４５６７８９０１８"])
def test_a_my_number_card_is_refused_unread(make_site: SiteFactory, scanned: str,
                                           caplog: pytest.LogCaptureFixture) -> None:
    site = make_site()
    caplog.set_level(logging.DEBUG)
    with pytest.raises(DeskError) as caught:
        site.desk.scan(scanned)
    assert caught.value.code == "looks_like_my_number_card"
    assert MY_NUMBER not in str(caught.value) and MY_NUMBER not in caught.value.detail
    assert "looks_like_my_number_card" in caplog.text
    assert MY_NUMBER not in caplog.text and "１２３４" not in caplog.text
    assert refused(site) == ["looks_like_my_number_card"]


def test_a_photo_of_a_card_beside_the_slip(make_site: SiteFactory, tmp_path: Path,
                                          caplog: pytest.LogCaptureFixture) -> None:
    """Two codes in one photo: the slip's is read, the card's is left alone."""
    site = make_site()
    caplog.set_level(logging.DEBUG)
    receipt, slip = site.kiosk.submit(site.submission("juminhyo"))
    slip_image = rasterise(slip).convert("RGB")
    card = qrcode.make(MY_NUMBER, box_size=6).get_image().convert("RGB")
    photo = slip_image.copy()
    photo = photo.resize((slip_image.width + card.width + 40, max(slip_image.height, card.height)))
    photo.paste((255, 255, 255), (0, 0, photo.width, photo.height))
    photo.paste(slip_image, (0, 0))
    photo.paste(card, (slip_image.width + 40, 0))
    both = tmp_path / "both.png"
    photo.save(both)
    assert site.desk.scan(both).ticket == receipt.ticket

    card_only = tmp_path / "card.png"
    card.save(card_only)
    with pytest.raises(DeskError) as caught:
        site.desk.scan(card_only)
    assert caught.value.code == "looks_like_my_number_card"
    assert MY_NUMBER not in caplog.text


def test_an_image_without_a_code(make_site: SiteFactory, tmp_path: Path) -> None:
    site = make_site()
    blank = tmp_path / "blank.png"
    from PIL import Image  # noqa: PLC0415

    Image.new("L", (300, 300), 255).save(blank)
    with pytest.raises(DeskError) as caught:
        site.desk.scan(blank)
    assert caught.value.code == "no_code_in_image"
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png")
    for path in (broken, str(tmp_path / "mistyped.png")):
        with pytest.raises(DeskError) as caught:
            site.desk.scan(path)
        assert caught.value.code == "image_unreadable"


def test_a_form_the_desk_has_not_loaded(make_site: SiteFactory, library: Library) -> None:
    """A code carries answers by the position of each field in its form (format 2): a desk
    without that form (or with another version of it) refuses the code, naming the form,
    rather than misread it; the slip's other counters' codes still open."""
    older = Library(forms={k: v for k, v in library.forms.items() if k != "kokuho"})
    site = make_site(shared=False, desk_library=older)
    _, slip = site.kiosk.submit(site.submission("juminhyo", "kokuho"))
    jumin, kokuho = decode_image(rasterise(slip))
    assert [p.form_id for p in site.desk.scan(jumin).procedures] == ["juminhyo"]
    with pytest.raises(DeskError) as caught:
        site.desk.scan(kokuho)
    assert caught.value.code == "form_definition_differs"
    assert "kokuho" in caught.value.detail and "version 2" in caught.value.detail


def test_two_kiosks_on_separate_databases_issue_the_same_ticket(make_site: SiteFactory) -> None:
    site = make_site(shared=False, kiosk_ids=("K01", "K02"))
    first, slip1 = site.kiosks["K01"].submit(site.submission("juminhyo"))
    second, slip2 = site.kiosks["K02"].submit(site.submission("juminhyo"))
    assert first.ticket == second.ticket == "A-001"
    a = site.desk.scan(slip_text(slip1))
    b = site.desk.scan(slip_text(slip2))
    assert (a.ticket, a.kiosk_id) == ("A-001", "K01")
    assert (b.ticket, b.kiosk_id) == ("A-001/K02", "K02")
    with pytest.raises(DeskError) as caught:
        site.desk.resolve("A-001")
    assert caught.value.code == "not_found" and "2 applications" in caught.value.detail
    assert site.desk.resolve(str(b.application_id)) == b.application_id


def test_no_clerk_no_scan(make_site: SiteFactory) -> None:
    site = make_site()
    _, slip = site.kiosk.submit(site.submission("juminhyo"))
    site.desk.clerk = None
    with pytest.raises(DeskError) as caught:
        site.desk.scan(slip_text(slip))
    assert caught.value.code == "clerk_required"
    assert "サインイン" in caught.value.message_ja and "Sign in" in caught.value.message_en


def test_nothing_personal_in_the_logs(site: Site, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    _, slip = site.kiosk.submit(site.submission("juminhyo", "kokuho"))
    view = site.desk.scan(slip_text(slip, 2))
    site.desk.set_status(view.application_id, "received")
    site.desk.print_form(view.application_id, 0)
    assert "scan: application" in caplog.text
    for personal in ("見本", "花子", "みほん市中央", "1985", "𠮷", "090-1234"):
        assert personal not in caplog.text


def test_a_desk_opens_only_the_codes_of_its_counters(make_site: SiteFactory) -> None:
    """The 保険年金課 desk ([desk] counters = ["insurance"]) opens the slip's 国保 code and
    refuses the 住民票 code, naming the counter the resident goes to for it."""
    site = make_site(shared=False, serves=("insurance",))
    receipt, slip = site.kiosk.submit(site.submission("juminhyo", "kokuho"))
    jumin, kokuho = decode_image(rasterise(slip))
    with pytest.raises(DeskError) as caught:
        site.desk.scan(jumin)
    assert caught.value.code == "other_counter"
    assert "「市民課 住民記録係」の窓口" in caught.value.message_ja
    assert "the 市民課 住民記録係 counter" in caught.value.message_en
    view = site.desk.scan(kokuho)
    assert (view.ticket, [p.form_id for p in view.procedures]) == (receipt.ticket, ["kokuho"])
    # A picture of the whole slip opens this desk's code only.
    image_view = site.desk.scan(str(slip))
    assert [p.form_id for p in image_view.procedures] == ["kokuho"]


def test_two_counters_desks_each_open_only_their_own_code(make_site: SiteFactory,
                                                          tmp_path: Path) -> None:
    """市民課 and 保険年金課, one desk each, one slip: each opens its code, refuses the other's
    naming the right counter, and tells the resident's next counter from the slip's own list.
    The codes are read from the slip at the printer's 203 dpi by zxing-cpp, and alike by zbar."""
    site = make_site(shared=True)
    resident = counter_desk(site, "resident", desk_id="desk-resident")
    insurance = counter_desk(site, "insurance", desk_id="desk-insurance")
    receipt, slip = site.kiosk.submit(site.submission("juminhyo", "kokuho"))
    image = rasterise(slip, dpi=203)
    image.save(tmp_path / "slip.png")
    jumin, kokuho = decode_image(image)
    assert sorted(zbar(tmp_path / "slip.png").splitlines()) == sorted([jumin, kokuho])
    first = resident.scan(jumin)
    assert [p.form_id for p in first.procedures] == ["juminhyo"]
    assert first.next_counters == (COUNTERS["insurance"],) and first.warnings == ()
    second = insurance.scan(kokuho)
    assert [p.form_id for p in second.procedures] == ["kokuho"]
    assert (second.ticket, second.next_counters, second.warnings) == (receipt.ticket, (), ())
    for desk, code, right in ((resident, kokuho, "insurance"), (insurance, jumin, "resident")):
        with pytest.raises(DeskError) as caught:
            desk.scan(code)
        assert caught.value.code == "other_counter"
        assert COUNTERS[right] in caught.value.message_ja
