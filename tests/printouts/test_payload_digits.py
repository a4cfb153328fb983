"""A digits answer on the slip: format 2 carries 0012345 as text, so the desk reads its zeros."""

from __future__ import annotations

import datetime as dt

from printouts.payload import JST, Application, ProcedureEntry, decode, encode
from printouts.payload.schema import index_form
from printouts.payload.values import pack_value
from tests.forms.helpers import load_inline
from tests.printouts.test_payload import OFFICE, Office

FORM = """
fields:
  - {id: account, type: digits, length: 7, label: {ja: 口座番号, en: Account number}}
  - {id: seal, type: digits, length: 8, label: {ja: 印鑑登録番号, en: Seal registration no.}}
"""


def test_leading_zeros_survive_format_2() -> None:
    lib, _ = load_inline(FORM)
    form = next(iter(lib.forms.values())).form
    answers = {"account": "0012345", "seal": "00000001"}
    app = Application(office_code=OFFICE, kiosk_id="K01",
                      issued_at=dt.datetime(2026, 11, 23, 10, 0, tzinfo=JST), ticket="A-1",
                      procedures=[ProcedureEntry(form.id, form.version, answers, {})])
    office = Office.make(seed=1)
    code = encode(app, office.kiosk_keys(), forms=lib.form_version)
    assert code.startswith("KS2-")
    back = decode(code, office.desk_keys(), office_code=OFFICE, forms=lib.form_version).application
    assert back.procedures[0].answers == answers
    # Packed as text, never as a number (which would read 12345 at the desk).
    index = index_form(form)
    assert not isinstance(pack_value(index, index.top.by_id["account"], "0012345"), int)
