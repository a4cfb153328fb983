"""The whole paper bridge: a resident's submission stored and printed by the kiosk, the slip
rasterised at the thermal printer's 203 dpi, the image scanned at the desk, and the desk shows
what the kiosk stored, answer for answer. On SQLite and a real PostgreSQL, with the desk on the
kiosk's database and on its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.desk.view import FieldView
from tests.kiosk.desk.conftest import SiteFactory
from tests.kiosk.desk.world import Site, decode_image, rasterise
from tests.printouts.documents_helpers import text_of as pdf_text

pytestmark = pytest.mark.slow


def answers_of(fields: tuple[FieldView, ...]) -> dict[str, object]:
    """The stored answers back from a view: leaves by field id, groups as lists of dicts."""
    out: dict[str, object] = {}
    for f in fields:
        if f.kind == "section":
            continue
        out[f.field_id] = [answers_of(row) for row in f.items] if f.kind == "group" else f.value
    return out


def flags_of(fields: tuple[FieldView, ...]) -> dict[str, list[str]]:
    """The marks a view shows, by answer path, the items of groups included."""
    out = {f.path: [flag.code for flag in f.flags] for f in fields if f.flags}
    for f in fields:
        for row in f.items:
            out.update(flags_of(row))
    return out


@pytest.mark.parametrize("topology", ["shared", "bridge"])
def test_the_slip_carries_the_application_to_the_desk(make_site: SiteFactory, topology: str,
                                                      tmp_path: Path) -> None:
    site: Site = make_site(shared=topology == "shared")
    sub = site.submission("juminhyo", "kokuho", "tennyu")
    receipt, slip = site.kiosk.submit(sub)
    assert receipt.printed
    # 住民記録係 first (転入 and the 住民票), then 国保: as the slip says, and the done screen.
    assert (receipt.counter, receipt.then) == ("resident", ("insurance",))
    printed = pdf_text(slip).replace(" ", "")
    assert "最初にお越しいただく窓口" in printed and "窓口：保険年金課" in printed
    image = rasterise(slip, dpi=203)
    photo = tmp_path / "slip.png"
    image.save(photo)

    by_image = site.desk.scan(photo)
    by_text = site.desk.scan(decode_image(image)[0] + "\n")

    assert by_image.ticket == by_text.ticket == receipt.ticket
    assert by_text.application_id == by_image.application_id
    assert by_text.codes == ("already_scanned",)
    # One code for each counter: on a separate network the desk's row takes the procedures in
    # the order of the codes (the counters' order), each exactly as the kiosk stored it.
    shown = {view.form_id: view for view in by_image.procedures}
    assert sorted(shown) == sorted(p.form_id for p in sub.procedures)
    for proc in sub.procedures:
        view = shown[proc.form_id]
        assert view.form_version == proc.form_version
        assert answers_of(view.fields) == proc.values
        assert flags_of(view.fields) == proc.flags
    stored = site.desk_store.open_for_clerk(by_image.application_id, "auditor")
    assert sorted(stored.submission.procedures, key=lambda p: p.form_id) == sorted(
        sub.procedures, key=lambda p: p.form_id)
