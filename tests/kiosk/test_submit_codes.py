"""One code a counter on the kiosk's slip, split by procedure when a counter's code is too large,
and a pre-filled paper form when one procedure alone is: the resident always leaves with a
ticket and a slip, the application is always stored, and each code reads back from the printed
slip (203 dpi, zxing-cpp and zbar) and opens at the desk."""

# The desk tests' fixtures (make_site and what it needs) are imported, then named as parameters:
# ruff: noqa: F811

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from forms.engine import evaluate
from forms.loader import Library
from forms.model import Form
from kiosk.application import ProcedureAnswers, SlipOrigin, Submission, slip_codes
from printouts.payload import (
    QR_V25_M_CHARS,
    Application,
    decode,
    encode,
    load_desk_keys,
    load_kiosk_keys,
    new_slip_id,
)
from printouts.samples import sample_answers, sample_flags
from printouts.slip import PAPER_NOTICE
from tests.kiosk.desk.conftest import (  # noqa: F401  (fixtures)
    SiteFactory,
    backend,
    clock,
    db_url,
    fonts,
    library,
    make_site,
)
from tests.kiosk.desk.world import OFFICE, Site
from tests.printouts.documents_helpers import (
    page_count,
    rasterise,
    read_qr,
    text_of,
    without_spaces,
    zbar,
)

MOVING_IN = ("tennyu", "mynumber_card_address", "kokuho", "jidou_teate", "inkan_toroku")
VISIT = [("resident", ["tennyu", "inkan_toroku"]), ("mynumber", ["mynumber_card_address"]),
         ("insurance", ["kokuho"]), ("child", ["jidou_teate"])]
KANJI = ("山川田中村木林森本石井上下大小高橋松竹梅花鳥風月春夏秋冬東西南北金銀銅鉄玉"
         "光明朝夕星空海浜島崎岡原野沢池泉清水谷口宮城里町市道寺神社江戸京都安倍藤原")
KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"


@dataclass(frozen=True)
class Encoded:
    counter: str | None
    route: tuple[str, ...]
    forms: tuple[str, ...]


@pytest.fixture
def encoded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Encoded]]:
    """What each code was made of (counter, route, forms): format 1 does not carry the counter
    and route on paper yet (format 2 will), so they are checked as the kiosk encodes them."""
    seen: list[Encoded] = []
    def spy(app: Application, *args: Any, **kwargs: Any) -> str:
        text = encode(app, *args, **kwargs)
        seen.append(Encoded(app.counter, tuple(app.route), tuple(p.form_id for p in app.procedures)))
        return text

    monkeypatch.setattr("kiosk.application.encode", spy)
    yield seen


def codes_on(slip: Path, tmp_path: Path, dpi: int = 203) -> list[str]:
    """Every code of the printed slip, top to bottom, read by both readers (which must agree)."""
    found: list[str] = []
    pdf = slip.read_bytes()
    for page in range(page_count(pdf)):  # a sheet's codes may run onto its next pages
        image = rasterise(pdf, dpi, page)
        png = tmp_path / f"{slip.stem}-{page}.png"
        image.save(png)
        codes = read_qr(image)
        assert sorted(zbar(png).splitlines()) == sorted(codes)
        found.extend(codes)
    return found


def opened(site: Site, texts: list[str]) -> list[tuple[str, ...]]:
    keys = load_desk_keys(site.keys_dir)
    apps = [decode(t, keys, office_code=OFFICE.code, forms=site.library.form_version).application
            for t in texts]
    return [tuple(p.form_id for p in app.procedures) for app in apps]


def code_lengths(site: Site, sub: Submission) -> dict[tuple[str, ...], int]:
    """The length of each counter's code and each procedure's alone, with no budget."""
    forms = [site.library.get(p.form_id) for p in sub.procedures]
    origin = SlipOrigin(office_code=OFFICE.code, office_name=OFFICE.name, kiosk_id="K01",
                        ticket="A-001", slip_id=new_slip_id(), issued_at=site.clock())
    keys = load_kiosk_keys(site.kiosk.keys_dir)
    out: dict[tuple[str, ...], int] = {}
    for picks in ([[i] for i in range(len(forms))]
                  + [[i for i, f in enumerate(forms) if f.counter == "resident"]]):
        part = replace(sub, procedures=tuple(sub.procedures[i] for i in picks))
        made = slip_codes(part, [forms[i] for i in picks], origin, keys=keys, counters={},
                          max_chars=10**6)
        (code,) = made.codes
        assert code.text is not None
        out[tuple(forms[i].id for i in picks)] = len(code.text)
    return out


def test_one_code_per_counter_in_the_order_to_visit(
        make_site: SiteFactory, encoded: list[Encoded], tmp_path: Path) -> None:
    site = make_site()
    receipt, slip = site.kiosk.submit(site.submission(*MOVING_IN))
    assert receipt.printed and receipt.paper_forms == ()
    assert (receipt.counter, receipt.then) == ("resident", ("mynumber", "insurance", "child"))
    texts = codes_on(slip, tmp_path)
    assert opened(site, texts) == [tuple(forms) for _, forms in VISIT]
    route = tuple(counter for counter, _ in VISIT)
    assert encoded == [Encoded(c, route, tuple(f)) for c, f in VISIT]
    words = without_spaces(text_of(slip))
    for n, (label, titles) in enumerate([("市民課住民記録係", "転入届・印鑑登録"),
                                         ("mynumber", "マイナンバーカードの住所・氏名の変更"),
                                         ("保険年金課", "国民健康保険の加入・脱退")], start=1):
        assert f"{n}.{label}{titles}" in words
    assert PAPER_NOTICE not in words


# zlib's output, and so a code's length, moves by a few characters with the random slip id.
SLACK = 12


def test_a_counter_too_large_for_one_code_gets_one_code_per_procedure(
        make_site: SiteFactory, tmp_path: Path) -> None:
    site = make_site()
    sub = site.submission(*MOVING_IN)
    sizes = code_lengths(site, sub)
    budget = max(n for forms, n in sizes.items() if len(forms) == 1) + SLACK
    assert sizes[("tennyu", "inkan_toroku")] > budget + SLACK  # the resident counter's code no longer fits
    kiosk = replace(site.kiosk.submitter, code_chars=budget)
    receipt = kiosk.submit(sub)
    slip = site.kiosk.sink.output[-1].path
    assert receipt.printed and receipt.paper_forms == ()
    assert opened(site, codes_on(slip, tmp_path)) == [
        ("tennyu",), ("inkan_toroku",), ("mynumber_card_address",), ("kokuho",), ("jidou_teate",)]
    words = without_spaces(text_of(slip))
    assert "1.市民課住民記録係転入届" in words and "2.市民課住民記録係印鑑登録" in words


def test_a_procedure_too_large_alone_comes_out_as_its_filled_in_paper_form(
        make_site: SiteFactory, tmp_path: Path) -> None:
    site = make_site()
    sub = site.submission(*MOVING_IN)
    # 転入届 for ten people of long names: by far the largest procedure.
    many = _long_names(site.library.get("tennyu"), site.today(), 10, 0, 20)
    sub = replace(sub, procedures=tuple(replace(p, values=many) if p.form_id == "tennyu" else p
                                        for p in sub.procedures))
    singles = sorted((n, forms[0]) for forms, n in code_lengths(site, sub).items() if len(forms) == 1)
    (second, _), (largest, big) = singles[-2:]
    budget = second + SLACK
    assert largest > budget + SLACK
    receipt = replace(site.kiosk.submitter, code_chars=budget).submit(sub)
    assert (receipt.ticket, receipt.printed, receipt.paper_forms) == ("A-001", True, (big,))
    slip, paper = (out.path for out in site.kiosk.sink.output)
    held = [forms for forms in opened(site, codes_on(slip, tmp_path))]
    assert held == [(f,) if len(fs) > 1 else tuple(fs) for _, fs in VISIT for f in fs if f != big] \
        or held == [tuple(f for f in fs if f != big) for _, fs in VISIT if fs != [big]]
    form = site.library.get(big)
    words = without_spaces(text_of(slip))
    assert f"{form.name.ja}{PAPER_NOTICE}" in words
    printed = without_spaces(text_of(paper))
    counter = site.kiosk.submitter.counters.get(form.counter, form.counter)
    assert without_spaces(f"番号札A-001{counter}の窓口へ") in printed
    assert without_spaces(sample_name_in(sub, big)) in printed  # filled in, not blank
    (stored,) = site.kiosk.store.find_by_ticket(OFFICE.code, "A-001", site.today())
    jobs = site.kiosk.store.print_jobs_of(stored.id)
    assert [(j.kind, j.ok) for j in jobs] == [("slip", True), ("assisted", True)]


def sample_name_in(sub: Submission, form_id: str) -> str:
    """A name the resident gave for that procedure (the first group member's, or the applicant's)."""
    (proc,) = [p for p in sub.procedures if p.form_id == form_id]
    for value in proc.values.values():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            names = [v for k, v in value[0].items() if "name" in k and "kana" not in k]
            if names:
                return str(names[0])
    return str(proc.values["applicant_name"])


def _long_names(form: Form, today: dt.date, members: int, seed: int, length: int) -> dict[str, Any]:
    """Sample answers with each group holding `members` people of `length`-character names and
    kana, no two alike (distinct text does not compress away)."""
    answers = sample_answers(form, today)
    for group in (f for f in form.all_fields() if f.kind.repeats):
        items = answers.get(group.id)
        if not isinstance(items, list) or not items:
            continue
        count = min(members, group.max if isinstance(group.max, int) else members)
        rows = []
        pick = random.Random(seed)  # seeded: the same household every run
        for i in range(count):
            row = dict(items[min(i, len(items) - 1)])
            for child in group.fields or []:
                if child.type == "katakana" and child.id in row:
                    row[child.id] = "".join(pick.choices(KANA, k=length))
                elif child.type == "text" and "氏名" in child.label.ja and child.id in row:
                    row[child.id] = "".join(pick.choices(KANJI, k=length))
            rows.append(row)
        answers[group.id] = rows
    return dict(evaluate(form, answers, today=today).values)


def household(lib: Library, today: dt.date, when: dt.datetime, members: int,
              length: int) -> Submission:
    procedures = []
    for n, form_id in enumerate(MOVING_IN):
        form = lib.get(form_id)
        answers = _long_names(form, today, members, n, length)
        procedures.append(ProcedureAnswers(form.id, form.version, answers, sample_flags(form)))
    return Submission(tuple(procedures), identity_source="card", staff_assisted=False, lang="ja",
                      created_at=when)


@pytest.mark.parametrize("length", [20, 60])
def test_a_household_of_ten_never_ends_without_a_ticket_and_a_slip(
        length: int, make_site: SiteFactory, tmp_path: Path) -> None:
    """Names of 20 characters (and kana), no two alike; of 60 (the forms' most), 転入 alone is
    too large for any code and comes out on paper. Whatever does not fit is on paper, named."""
    site = make_site(shared=True)  # the kiosk's codes stored beside it, for the reprint
    sub = household(site.library, site.today(), site.clock(), 10, length)
    assert len(sub.procedures[0].values["members"]) == 10
    too_large = tuple(forms[0] for forms, n in code_lengths(site, sub).items()
                      if len(forms) == 1 and n > QR_V25_M_CHARS - SLACK)
    assert "tennyu" in too_large or length < 60
    receipt = site.kiosk.submitter.submit(sub)
    slip = site.kiosk.sink.output[0].path  # the slip first, then any paper forms
    print(f"household of 10, names of {length}: on paper {too_large}")
    assert (receipt.ticket, receipt.printed, receipt.print_error) == ("A-001", True, None)
    assert receipt.paper_forms == too_large
    (stored,) = site.kiosk.store.find_by_ticket(OFFICE.code, "A-001", site.today())
    assert [f.form_id for f in stored.forms] == list(MOVING_IN)
    held = [f for forms in opened(site, codes_on(slip, tmp_path)) for f in forms]
    assert sorted(held + list(too_large)) == sorted(MOVING_IN)  # every procedure somewhere
    assert len(site.kiosk.sink.output) == 1 + len(too_large)  # the slip, then the paper forms
    # Staff reprint the same slip (same split, same paper notice), with its codes.
    result = site.desk.reprint_slip(stored.id)
    assert result.warnings == ()
    again = site.desk_sink.output[-1].path
    assert [f for forms in opened(site, codes_on(again, tmp_path, 300)) for f in forms] == held
    assert (PAPER_NOTICE in without_spaces(text_of(again))) == bool(too_large)


def test_each_counter_code_of_one_slip_opens_at_the_desk_without_a_replay_warning(
        make_site: SiteFactory, tmp_path: Path) -> None:
    """The slip's codes share its slip id: the second counter's code is not a replay of the
    first; the same code scanned again still is."""
    site = make_site(shared=True)
    receipt, slip = site.kiosk.submit(site.submission("juminhyo", "kokuho"))
    first, second = codes_on(slip, tmp_path)
    view = site.desk.scan(first)
    assert view.ticket == receipt.ticket and "already_scanned" not in view.codes
    view = site.desk.scan(second)
    assert view.ticket == receipt.ticket and "already_scanned" not in view.codes
    # A desk serving every counter sees the whole application; the resident goes nowhere next.
    assert [p.form_id for p in view.procedures] == ["juminhyo", "kokuho"]
    assert view.next_counters == ()
    assert site.desk.scan(first).next_counters == ("保険年金課",)
    assert "already_scanned" in site.desk.scan(second).codes
    assert "already_scanned" in site.desk.scan(first).codes
