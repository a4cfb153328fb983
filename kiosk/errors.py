"""The kiosk package's exceptions. Each message says what to do, in words a clerk can act on."""


class KioskError(Exception):
    """Base of every error the kiosk application raises on purpose."""


class CodedError(KioskError):
    """An error with a stable `code` (what the desk and the logs branch on) and a Japanese and
    an English text that say what to do; `detail` adds what this case was, never personal data.
    """

    code: str = "kiosk_error"
    message_ja: str = "エラーが発生しました。情報システム担当に連絡してください。"
    message_en: str = "Something failed. Call IT staff."
    detail: str = ""

    def message(self, lang: str | None = None) -> str:
        """The message in one language ("ja", "en") or both (None), with the detail and code."""
        if lang == "ja":
            text = self.message_ja
        elif lang == "en":
            text = self.message_en
        else:
            text = f"{self.message_ja} / {self.message_en}"
        detail = f" ({self.detail})" if self.detail else ""
        return f"{text}{detail} [{self.code}]"


class ConfigError(KioskError):
    """kiosk.toml is unreadable or holds a wrong value; the message names the file and key."""
