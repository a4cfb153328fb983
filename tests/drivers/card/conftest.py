"""Integration fixtures: the real PC/SC stack, pyscard -> pcscd -> vpcd -> our emulator.

pcscd runs once per session (ours, or the one already running); every test places its own
card and takes it off afterwards, and `VirtualCard` waits until pcscd has seen each change
so that no test meets the previous test's card.
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
    with Pcscd() as daemon:
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
