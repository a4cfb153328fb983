"""The whole slip path for every shipped form, fully answered: sealed payload -> slip PDF ->
203-dpi image -> QR read by zxing-cpp and by zbar -> opened at the desk -> what went in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import qrcode
from qrcode.constants import ERROR_CORRECT_M

from forms.loader import Library, load_library
from printouts.layout import Fonts
from printouts.payload import Application, ProcedureEntry, decode, encode, init_keys, load_desk_keys, load_kiosk_keys
from printouts.payload.keys import DeskKeys, KioskKeys
from printouts.samples import sample_answers, sample_flags
from printouts.slip import Procedure, render_slip
from tests.printouts.documents_helpers import rasterise, read_qr, zbar

OFFICE = "999997"
JST = dt.timezone(dt.timedelta(hours=9))
ISSUED = dt.datetime(2026, 11, 23, 10, 15, 0, tzinfo=JST)
LIBRARY: Library = load_library()


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[KioskKeys, DeskKeys]:
    folder = tmp_path_factory.mktemp("keys")
    init_keys(folder, kiosk_id="K01", office_code=OFFICE)
    return load_kiosk_keys(folder), load_desk_keys(folder)


@pytest.fixture(scope="module")
def fonts() -> Fonts:
    return Fonts.for_pdf()


def qr_version(text: str) -> int:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    return int(code.version)


@pytest.mark.parametrize("form_id", sorted(LIBRARY.forms))
def test_every_form_round_trips_through_the_printed_slip(
    form_id: str, keys: tuple[KioskKeys, DeskKeys], fonts: Fonts, tmp_path: Path
) -> None:
    kiosk_keys, desk_keys = keys
    form = LIBRARY.get(form_id)
    answers = sample_answers(form, ISSUED.date())
    flags = {path: marks for path, marks in sample_flags(form).items()}
    app = Application(office_code=OFFICE, kiosk_id="K01", issued_at=ISSUED, ticket="A-123",
                      procedures=[ProcedureEntry(form.id, form.version, answers, flags)])
    never = [f.id for f in form.all_fields() if f.kind.counter_only]
    text = encode(app, kiosk_keys, forbidden_keys=never)
    assert qr_version(text) <= 25, f"{form_id}: QR version {qr_version(text)} > 25"

    slip = render_slip(ticket="A-123", procedures=[Procedure(form, answers, "市民課")], qr_text=text,
                       office_name="みほん市役所", issued_at=ISSUED, fonts=fonts)
    image = rasterise(slip.data, 203)
    png = tmp_path / "slip.png"
    image.save(png)

    assert read_qr(image) == [text]
    assert zbar(png) == text
    opened = decode(read_qr(image)[0], desk_keys, office_code=OFFICE)
    (entry,) = opened.application.procedures
    assert (entry.form_id, entry.form_version) == (form.id, form.version)
    assert dict(entry.answers) == answers
    assert {k: list(v) for k, v in entry.flags.items()} == flags
    assert opened.application.ticket == "A-123"
    assert opened.slip_id == app.slip_id


def test_a_moving_family_in_one_slip_still_fits(keys: tuple[KioskKeys, DeskKeys]) -> None:
    """転入 with 国保 and 児童手当 fully answered, as the moving_in life event bundles them."""
    kiosk_keys, desk_keys = keys
    entries = []
    for form_id in ("tennyu", "kokuho", "jidou_teate"):
        form = LIBRARY.get(form_id)
        entries.append(ProcedureEntry(form.id, form.version, sample_answers(form, ISSUED.date())))
    app = Application(office_code=OFFICE, kiosk_id="K01", issued_at=ISSUED, ticket="A-124", procedures=entries)
    text = encode(app, kiosk_keys, forbidden_keys=["my_number"])
    print(f"moving family: {len(text)} characters, QR version {qr_version(text)}")
    assert qr_version(text) <= 25
    assert len(decode(text, desk_keys, office_code=OFFICE).application.procedures) == 3
