"""Fixtures every part's tests share, defined once so that a daemon runs once per test run.

The real PC/SC stack (pyscard -> pcscd -> vpcd -> our emulator) is used by the driver's tests,
the session's card-port tests and the end-to-end tests alike. A session-scoped fixture
imported into several conftest files would be set up once per file, and a second pcscd
cannot start beside the first (vpcd's port is fixed), so it lives here at the root.
pcscd runs once per session, started by the run itself (a pcscd already running is refused);
every test places its own card and takes it off afterwards, and `VirtualCard` waits until
pcscd has seen each change so that no test meets the previous test's card.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from drivers.card.emulator import SAMPLE_IDENTITY, VPCD_PORT, Identity, VirtualCard, load_identity
from drivers.card.emulator.pcscd import Pcscd

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
