"""Fixtures every part's tests share, defined once so that a daemon runs once per test run.

The real PC/SC stack (pyscard -> pcscd -> vpcd -> our emulator) is used by the driver's tests,
the session's card-port tests and the end-to-end tests alike. A session-scoped fixture
imported into several conftest files would be set up once per file, and a second pcscd
cannot start beside the first (vpcd's port is fixed), so it lives here at the root.
The same holds for the PostgreSQL server and cupsd that the store, desk, printer and
end-to-end tests share. pcscd runs once per session, started by the run itself (a pcscd already running is refused);
every test places its own card and takes it off afterwards, and `VirtualCard` waits until
pcscd has seen each change so that no test meets the previous test's card.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from drivers.card.emulator import SAMPLE_IDENTITY, VPCD_PORT, Identity, VirtualCard, load_identity
from drivers.card.emulator.pcscd import Pcscd
from tests.support.cupsd import Cupsd, running_cupsd
from tests.support.pgserver import PgServer, find_bindir, running_postgres

PlaceCard = Callable[..., VirtualCard]


@pytest.fixture(scope="session")
def pcscd() -> Iterator[Pcscd]:
    with Pcscd(borrow=False) as daemon:
        yield daemon


@pytest.fixture
def sample() -> Identity:
    return load_identity(SAMPLE_IDENTITY)


@pytest.fixture
def place_card(pcscd: Pcscd, sample: Identity) -> Iterator[PlaceCard]:
    """place_card(port=..., identity=..., **changes) puts a card on a vpcd reader."""
    placed: list[VirtualCard] = []

    def place(
        *, port: int = VPCD_PORT, identity: Identity | None = None, **changes: Any
    ) -> VirtualCard:
        base = identity if identity is not None else sample
        card = VirtualCard(base.with_(**changes) if changes else base, port=port)
        card.start()
        placed.append(card)
        return card

    yield place
    for card in placed:
        card.stop()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PgServer]:
    # Fail, not skip: a skipped integration test would hide a missing install step in CI.
    try:
        find_bindir()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    if shutil.which("runuser") is None:
        pytest.fail("runuser is missing (util-linux)")
    with running_postgres(fsync=False) as server:
        yield server


@pytest.fixture(scope="session")
def cupsd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cupsd]:
    # Fail, not skip: a skipped integration test would hide a missing install step in CI.
    for program in ("cupsd", "lpadmin", "lp", "lpstat", "ipptool"):
        if shutil.which(program) is None:
            pytest.fail(
                f"{program} is missing: apt-get install cups cups-client cups-ipp-utils "
                "printer-driver-cups-pdf"
            )
    log = tmp_path_factory.mktemp("cupsd") / "cupsd.log"
    with running_cupsd(log=log) as server:
        yield server
