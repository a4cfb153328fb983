"""The printouts package's exceptions: one base so a caller can catch every document error.

`PrintoutError` is a `common.errors.BilingualError`: a stable `code` (as pretix's check-in
errors have) that the desk, the logs and the tests branch on, the Japanese and English texts a
person reads, and a `detail` naming which thing (a file, a field path), never a value.
"""

from __future__ import annotations

from common.errors import BilingualError


class PrintoutError(BilingualError):
    """Base of every error the printouts package raises on purpose."""

    code = "printout_error"
    message_ja = "書類を作れませんでした。情報システム担当に連絡してください。"
    message_en = "The document could not be made. Call IT staff."
