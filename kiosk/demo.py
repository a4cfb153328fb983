"""Demo mode: everything a kiosk needs, on a machine with no hardware.

pcscd with the vpcd virtual reader and our card emulator holding a sample resident, a file
printer, a SQLite database and fresh keys under var/, and a staff account `demo` (a clerk:
password for the desk, PIN for the kiosk's staff mode, both said by `kiosk demo` and README.md),
so `scripts/run` shows the whole journey on a newcomer's laptop. The same parts serve the
end-to-end tests.
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
from kiosk.store.repository import Store
from kiosk.wiring import open_engine
from printouts.payload import init_keys

# Printed for anyone to read: a demo database holds sample residents only.
DEMO_STAFF_ID = "demo"
DEMO_DESK_PASSWORD = "demo-desk-pass"
DEMO_STAFF_PIN = "246810"
_MADE_BY = "demo-setup"  # the audit's acting id of the account's making


@dataclass(frozen=True)
class DemoEnvironment:
    card: VirtualCard
    print_dir: Path


def prepare_storage(config: KioskConfig) -> None:
    """Keys, schema and the demo's staff account, made on first use and kept after (each step
    is idempotent)."""
    init_keys(config.keys_dir, kiosk_id=config.kiosk_id, office_code=config.office.code)
    engine = open_engine(config=config)
    try:
        upgrade(engine)
        _demo_staff(Store(engine))
    finally:
        engine.dispose()


def _demo_staff(store: Store) -> None:
    """The clerk `demo`, once: an account changed since (`kiosk staff passwd demo`) is kept."""
    if any(member.staff_id == DEMO_STAFF_ID for member in store.staff_list()):
        return
    store.add_staff(DEMO_STAFF_ID, "clerk", DEMO_DESK_PASSWORD, by=_MADE_BY)
    store.set_pin(DEMO_STAFF_ID, DEMO_STAFF_PIN, by=_MADE_BY)


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
