"""Yesterday's slip after today's form update: 児童手当 went from version 1 to version 2, and a
slip made with version 1 is read at the desk with the version 1 kept in retired/ (its labels,
its official form), not by field id."""

from __future__ import annotations

import datetime as dt

import pytest

from forms.loader import Library
from forms.model import Form
from kiosk.desk.errors import DeskError
from kiosk.desk.service import Desk
from kiosk.desk.view import FieldView
from printouts.payload import (
    Application,
    ProcedureEntry,
    encode,
    load_desk_keys,
    load_kiosk_keys,
    new_slip_id,
)
from tests.kiosk.desk.conftest import SiteFactory
from tests.kiosk.desk.test_actions import without_spaces
from tests.kiosk.desk.test_scan import field
from tests.kiosk.desk.world import CLERK, COUNTERS, DESK_ID, OFFICE, Site
from tests.printouts.documents_helpers import text_of as pdf_text

BANK = "みほん信用金庫"


def version_1(library: Library) -> Form:
    form = library.form_version("jidou_teate", 1)
    assert form is not None and library.get("jidou_teate").version == 2
    return form


def v1_slip(site: Site, form: Form) -> str:
    """A 児童手当 slip a kiosk of yesterday printed (version 1: the bank as typed text)."""
    kana = "ミホン タロウ"
    entry = ProcedureEntry(
        form_id="jidou_teate", form_version=1,
        answers={
            "applicant": "self", "applicant_name": "見本 太郎", "claimant_name": "見本 太郎",
            "claimant_name_kana": kana, "claim_reason": "moved_in", "reason_date": "2025-03-28",
            "has_spouse": True, "spouse_name": "見本 花子",
            "children": [{"child_name": "見本 𠮷乃", "child_name_kana": "ミホン ヨシノ",
                          "child_birth_date": "2019-12-03", "child_relationship": "child",
                          "child_lives_with": True}],
            "claimant_insurance": "kokuho", "use_public_account": False, "bank_kind": "bank",
            "bank_name": BANK, "branch_name": "桜が丘支店", "account_type": "ordinary",
            "account_number": "1234567", "account_holder_kana": kana,
        },
        flags={"applicant_name": ["from_card"], "account_number": ["manual"]})
    issued = (site.clock() - dt.timedelta(days=1)).replace(microsecond=0)
    app = Application(office_code=OFFICE.code, kiosk_id="K01", issued_at=issued, ticket="C-007",
                      slip_id=new_slip_id(), procedures=[entry])
    return encode(app, load_kiosk_keys(site.kiosk.keys_dir), forms={"jidou_teate": form})


def leaves(fields: tuple[FieldView, ...]) -> list[FieldView]:
    return [f for top in fields for f in (top, *(c for row in top.items for c in row))]


def test_a_v1_slip_reads_and_prints_with_the_retired_v1(make_site: SiteFactory,
                                                        library: Library) -> None:
    site = make_site(shared=False)  # the desk holds the current library, retired/ included
    view = site.desk.scan(v1_slip(site, version_1(library)))
    assert "form_version_missing" not in view.codes
    [proc] = view.procedures
    assert (proc.loaded, proc.form_version, proc.title_ja) == (True, 1, "児童手当 認定請求書")
    bank = field(view, "bank_name")
    assert (bank.label_ja, bank.label_en, bank.value_ja) == ("金融機関名", "Bank name", BANK)
    assert field(view, "branch_name").label_ja == "支店名"
    assert all(f.kind != "answer" for f in leaves(proc.fields))  # no answer by field id
    result = site.desk.print_form(view.application_id, 0)
    assert [w.code for w in result.warnings] == ["my_number_not_read"]
    text = without_spaces(pdf_text(site.desk_sink.output[-1].path))
    assert "児童手当" in text and BANK in text and "桜が丘支店" in text


def test_without_the_retired_v1_the_slip_is_refused_naming_both_versions(
        make_site: SiteFactory, library: Library) -> None:
    current_only = Library(forms=library.forms, life_events=library.life_events)
    site = make_site(shared=False, desk_library=current_only)
    with pytest.raises(DeskError) as caught:
        site.desk.scan(v1_slip(site, version_1(library)))
    assert caught.value.code == "form_definition_differs"
    assert "'jidou_teate' version 1" in caught.value.message_en
    assert "this counter has version 2" in caught.value.message_en


def test_a_stored_v1_application_at_a_desk_without_it_is_form_version_missing(
        make_site: SiteFactory, library: Library) -> None:
    site = make_site(shared=False)
    view = site.desk.scan(v1_slip(site, version_1(library)))
    # Another desk on the same store whose library lost the retired file.
    other = Desk(store=site.desk_store, keys=load_desk_keys(site.keys_dir), printer=site.desk_sink,
                 library=Library(forms=library.forms, life_events=library.life_events),
                 printer_label="file", office=OFFICE, counters=COUNTERS, clock=site.clock,
                 clerk=CLERK, role="supervisor", desk_id=DESK_ID, fonts=site.fonts)
    with pytest.raises(DeskError) as caught:
        other.print_form(view.application_id, 0)
    assert caught.value.code == "form_version_missing"
    assert "jidou_teate version 1" in caught.value.detail
