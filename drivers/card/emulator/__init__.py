"""A My Number card emulator on the vpcd virtual reader, for tests and the demo.

It lets the driver run through the real stack (pyscard -> pcscd -> vpcd -> this card), so
nothing between the driver and a card is faked. See docs/card.md.
"""

from drivers.card.emulator.identity import (
    SAMPLE_IDENTITY,
    Identity,
    IdentityFileError,
    load_identity,
)
from drivers.card.emulator.vpcd import (
    VPCD_PORT,
    VirtualCard,
    VpcdUnavailableError,
    vpcd_reader_name,
)

__all__ = [
    "SAMPLE_IDENTITY",
    "VPCD_PORT",
    "Identity",
    "IdentityFileError",
    "VirtualCard",
    "VpcdUnavailableError",
    "load_identity",
    "vpcd_reader_name",
]
