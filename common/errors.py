"""The one bilingual error base: a stable code, a Japanese and an English text, and a detail.

Every package's hierarchy (forms, drivers, printouts, kiosk) derives from `BilingualError`, so
a caller at any layer reads `code`, `message_ja`, `message_en` and `detail` the same way and
never has to guess which attributes an error from below happens to carry. The detail names
which thing (a file, a key, a path), never personal data: messages end up in logs.
"""

from __future__ import annotations


class BilingualError(Exception):
    """An error a person can act on. Subclasses set `code` and the two texts as class
    attributes; an instance may carry its own (a layer re-wording another's error)."""

    code: str = "error"
    message_ja: str = "エラーが発生しました。情報システム担当に連絡してください。"
    message_en: str = "Something failed. Call IT staff."

    def __init__(self, detail: str = "", *, code: str | None = None, ja: str | None = None,
                 en: str | None = None) -> None:
        self.detail = detail
        if code is not None:
            self.code = code
        if ja is not None:
            self.message_ja = ja
        if en is not None:
            self.message_en = en
        super().__init__(self.message())

    def text(self, lang: str | None = None) -> str:
        """The message in one language ("ja", "en") or both (None), without detail or code."""
        if lang == "ja":
            return self.message_ja
        if lang == "en":
            return self.message_en
        return f"{self.message_ja} / {self.message_en}"

    def message(self, lang: str | None = None) -> str:
        """The message with the detail after it: what a log line or a CLI prints."""
        text = self.text(lang)
        return f"{text} ({self.detail})" if self.detail else text

    def __str__(self) -> str:
        return self.message()
