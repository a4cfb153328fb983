"""The kiosk package's exceptions. Each message says what to do, in words a clerk can act on."""

from __future__ import annotations

from common.errors import BilingualError


class KioskError(Exception):
    """Base of every error the kiosk application raises on purpose."""


class CodedError(BilingualError, KioskError):
    """The store's and the desk's errors: the project's one bilingual base (`code`,
    `message_ja`, `message_en`, `detail`), caught as a KioskError by the CLI.

    The message a log or the CLI prints ends with the code in brackets: a clerk reading it to
    IT staff over the phone gives the one word that tells the cases apart.
    """

    code: str = "kiosk_error"

    def message(self, lang: str | None = None) -> str:
        """The message in one language ("ja", "en") or both (None), with the detail and code."""
        return f"{super().message(lang)} [{self.code}]"


class ConfigError(KioskError):
    """kiosk.toml is unreadable or holds a wrong value; the message names the file and key."""
