"""The resident's 住民票 journey by touch on a kiosk built as `kiosk run` builds it, with every
part real: the emulated card through pcscd and vpcd, an SQLite file with its migrations, keys
made by `init_keys`, and a CUPS queue (cups-pdf) for the slip.

The other UI journeys (tests/kiosk/ui) run on recording fakes; this one checks that the
wiring, the ports and the screens agree. What a user sees is asserted: the done screen's
ticket and words, the slip that came out of CUPS, the counter desk opening that slip's QR
code with the resident's name from the card, and the one application in the store. With the
queue stopped (paper out) the done screen must say the slip did not print, and the
application must still be stored.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from common.clock import japan_date, utc_now
from drivers.card.emulator import Identity
from kiosk.config import KioskConfig, load_config
from kiosk.demo import DEMO_DESK_PASSWORD, DEMO_STAFF_ID, prepare_storage
from kiosk.desk.view import FieldView
from kiosk.store.repository import Store
from kiosk.ui.headless import Xvfb, kivy_environment
from kiosk.wiring import build_desk, desk_store, load_forms, open_engine
from printouts.payload import load_desk_keys
from tests.conftest import PlaceCard
from tests.kiosk.desk.world import decode_image, rasterise
from tests.support.cupsd import PdfQueue

ROOT = Path(__file__).parents[2]
SCREENS = ROOT / "test-artifacts" / "screens-real-parts"
TICKET = re.compile(r"^[A-Z]-\d{3}$")
PRINTED = "プリンターから受付票をお取りください。"
NOT_PRINTED = "印刷できませんでした。職員が印刷し直します。"

pytestmark = [pytest.mark.integration, pytest.mark.ui, pytest.mark.vpcd, pytest.mark.slow,
              pytest.mark.timeout(180)]


@dataclass(frozen=True)
class RealKiosk:
    config_file: Path
    config: KioskConfig
    queue: PdfQueue
    reader: str


@pytest.fixture
def real_kiosk(tmp_path: Path, pdf_queue: PdfQueue, place_card: PlaceCard) -> RealKiosk:
    """A kiosk.toml naming the parts, its keys and schema made, the sample card on a reader."""
    card = place_card()
    var = tmp_path / "var"
    lines = [
        f'keys_dir = "{var / "keys"}"', 'kiosk_id = "K01"', "",
        "[office]", 'name = "みほん市役所"', 'code = "999997"', "",
        "[database]", f'url = "sqlite:///{var / "kiosk.sqlite3"}"', "",
        "[printer]", 'backend = "cups"', f'slip_queue = "{pdf_queue.name}"',
        f'form_queue = "{pdf_queue.name}"', f'out_dir = "{var / "print"}"', "",
        "[card]", f'reader = "{card.reader_name}"',
    ]
    config_file = tmp_path / "kiosk.toml"
    config_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = load_config(config_file)
    prepare_storage(config)  # init_keys and the migrations, as `kiosk demo` does
    return RealKiosk(config_file, config, pdf_queue, card.reader_name)


def run_journey(kiosk: RealKiosk, work: Path, name: str) -> dict[str, Any]:
    """The driver in its own process under a private Xvfb; what the screens showed."""
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is not installed (Debian package xvfb; scripts/setup installs it)")
    out, screens = work / f"{name}.json", SCREENS / name
    shutil.rmtree(screens, ignore_errors=True)
    with Xvfb(1280, 800) as display:
        env = kivy_environment(display, str(work / "kivy-home"))
        run = subprocess.run(
            [sys.executable, "-m", "tests.e2e.ui_real_parts_driver", "--config",
             str(kiosk.config_file), "--out", str(out), "--screens", str(screens)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=150, check=False)
    if not out.is_file():
        pytest.fail(f"the driver wrote nothing (exit {run.returncode}):\n{run.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    if not result["ok"]:
        pytest.fail(f"the journey stopped on screen {result.get('screen')}:\n{result['trace']}")
    return result


@contextlib.contextmanager
def opened_store(config: KioskConfig) -> Iterator[Store]:
    """The store opened again from the kiosk.toml after the journey, as the desk opens it (the
    demo's keys folder holds both roles)."""
    engine = open_engine(config=config, make_folder=False)
    try:
        yield desk_store(config=config, engine=engine, keys=load_desk_keys(config.keys_dir),
                         library=load_forms(config=config))
    finally:
        engine.dispose()


def printed_paper(queue: PdfQueue, timeout: float = 15.0) -> list[Path]:
    """What cups-pdf wrote, once the queue is empty: the kiosk does not wait for the job
    (wiring builds the slip printer with CUPS' default wait=False), so it may still be on its
    way through the filters when the journey ends."""
    deadline = time.monotonic() + timeout
    while queue.printer().state().pending_jobs and time.monotonic() < deadline:
        time.sleep(0.1)
    return sorted(queue.out_dir.glob("*.pdf"))


def shown_ticket(done: str) -> str:
    """The one ticket number on the screen (a label's plain text and markup both list it)."""
    (ticket,) = {line for line in done.splitlines() if TICKET.match(line)}
    return ticket


def field(fields: tuple[FieldView, ...], field_id: str) -> FieldView:
    return next(f for f in fields if f.field_id == field_id)


def test_the_juminhyo_journey_with_real_parts(real_kiosk: RealKiosk, sample: Identity,
                                              tmp_path: Path) -> None:
    result = run_journey(real_kiosk, tmp_path, "printed")

    assert result["visited"] == ["welcome", "pin", "question", "confirm", "done", "welcome"]
    assert sample.name in result["confirm"]  # read from the card through pcscd
    ticket = shown_ticket(result["done"])
    assert PRINTED in result["done"] and NOT_PRINTED not in result["done"]
    assert sample.name not in result["after_finish"]

    (paper,) = printed_paper(real_kiosk.queue)
    codes = decode_image(rasterise(paper, dpi=203))
    assert len(codes) == 1

    desk = build_desk(config=real_kiosk.config, clerk=DEMO_STAFF_ID, password=DEMO_DESK_PASSWORD,
                      desk_id="desk-1")  # the clerk prepare_storage made
    try:
        view = desk.desk.scan(codes[0])
    finally:
        desk.close()
    assert view.ticket == ticket and not view.recorded_from_slip  # the kiosk had stored it
    (procedure,) = view.procedures
    assert procedure.form_id == "juminhyo"
    name = field(procedure.fields, "applicant_name")
    assert name.value_ja == sample.name
    assert [flag.code for flag in name.flags] == ["from_card"]
    answers = {f: field(procedure.fields, f).value for f in ("applicant", "scope", "purpose")}
    assert answers == {"applicant": "self", "scope": "household", "purpose": "pension"}

    with opened_store(real_kiosk.config) as store:
        stats = store.stats()
    assert sum(stats.by_status.values()) == 1
    assert (stats.prints_ok, stats.prints_failed) == (1, 0)


def test_a_stopped_slip_printer_is_said_and_the_application_kept(
        real_kiosk: RealKiosk, tmp_path: Path) -> None:
    queue = real_kiosk.queue
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    subprocess.run(["cupsdisable", "-r", "用紙切れ (paper out)", queue.name], env=env,
                   capture_output=True, text=True, timeout=15, check=True)

    result = run_journey(real_kiosk, tmp_path, "not-printed")

    assert result["visited"] == ["welcome", "pin", "question", "confirm", "done", "welcome"]
    ticket = shown_ticket(result["done"])  # the number to give at the counter instead
    assert NOT_PRINTED in result["done"] and PRINTED not in result["done"]
    assert queue.printer().state().pending_jobs == ()  # nothing left to print for the next one
    assert printed_paper(queue) == []

    with opened_store(real_kiosk.config) as store:
        stats = store.stats()
        (stored,) = store.find_by_ticket(real_kiosk.config.office.code, ticket,
                                         japan_date(utc_now()))
        (job,) = store.print_jobs_of(stored.id)
    assert sum(stats.by_status.values()) == 1
    assert (stats.prints_ok, stats.prints_failed) == (0, 1)
    assert (job.kind, job.printer, job.ok) == ("slip", queue.name, False)
    assert job.error is not None and "用紙切れ" in job.error  # the reason, kept for staff
