"""Demo mode: everything a kiosk needs, on a machine with no hardware.

pcscd with the vpcd virtual reader and our card emulator holding a sample resident, a file
printer, a SQLite database and fresh keys under var/, so `scripts/run` shows the whole
journey on a newcomer's laptop. The same parts serve the end-to-end tests.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from drivers.card.emulator import SAMPLE_IDENTITY, VirtualCard, load_identity
from drivers.card.emulator.pcscd import Pcscd
from kiosk.config import KioskConfig
from kiosk.store.migrate import upgrade
from kiosk.wiring import open_engine
from printouts.payload import init_keys

DEMO_STAFF_PIN = "9999"


@dataclass(frozen=True)
class DemoEnvironment:
    card: VirtualCard
    print_dir: Path


def prepare_storage(config: KioskConfig) -> None:
    """Keys and schema, made on first use and kept after (both steps are idempotent)."""
    init_keys(config.keys_dir, kiosk_id=config.kiosk_id, office_code=config.office.code)
    engine = open_engine(config=config)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


@contextlib.contextmanager
def demo_environment(config: KioskConfig, *, identity_file: Path | None = None) -> Iterator[DemoEnvironment]:
    """pcscd (ours unless one runs already) and the sample card on the first virtual reader."""
    prepare_storage(config)
    config.printer.out_dir.mkdir(parents=True, exist_ok=True)
    identity = load_identity(identity_file or SAMPLE_IDENTITY)
    with Pcscd():
        card = VirtualCard(identity)
        card.start()
        try:
            yield DemoEnvironment(card, config.printer.out_dir)
        finally:
            card.stop()
