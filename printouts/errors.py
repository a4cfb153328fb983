"""The printouts package's exceptions: one base so a caller can catch every document error.

Each error carries a stable `code` (as pretix's check-in errors do) so that the desk, the
logs and the tests can branch on it without matching message text, which is free to change.
"""

from __future__ import annotations

from typing import ClassVar


class PrintoutError(Exception):
    """Base of every error the printouts package raises on purpose."""

    code: ClassVar[str] = "printout_error"
