"""Bank and branch codes on the slip: carried as text (0005 keeps its zeros), and a form's new
`bank:` key in its digest only where a branch field sets it."""

from __future__ import annotations

import datetime as dt

from printouts.payload import JST, Application, ProcedureEntry, decode, encode
from printouts.payload.schema import canonical_definition, form_digest
from tests.forms.helpers import load_inline
from tests.printouts.test_payload import OFFICE, Office
from tests.printouts.test_payload_format2 import DIGEST, _vector_form

FORM = """
fields:
  - {id: bank, type: bank, label: {ja: 金融機関, en: Bank}}
  - {id: branch, type: bank_branch, bank: bank, label: {ja: 支店, en: Branch}}
"""


def test_codes_survive_the_slip_with_their_zeros() -> None:
    lib, _ = load_inline(FORM)
    form = next(iter(lib.forms.values())).form
    answers = {"bank": "0005", "branch": "002"}
    app = Application(office_code=OFFICE, kiosk_id="K01",
                      issued_at=dt.datetime(2026, 11, 23, 10, 0, tzinfo=JST), ticket="A-1",
                      procedures=[ProcedureEntry(form.id, form.version, answers, {})])
    office = Office.make(seed=1)
    code = encode(app, office.kiosk_keys(), forms=lib.form_version)
    back = decode(code, office.desk_keys(), office_code=OFFICE, forms=lib.form_version).application
    assert back.procedures[0].answers == answers
    assert b'"bank":"bank"' in canonical_definition(form)


def test_a_form_without_a_branch_field_keeps_its_digest() -> None:
    # The format-2 test vector's form was digested before `bank:` existed: its digest stands.
    form = _vector_form()
    assert b'"bank"' not in canonical_definition(form)
    assert form_digest(form).hex() == DIGEST
