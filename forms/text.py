"""Text in several languages. Japanese is required; everything else falls back to it."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

# ISO 639 codes (zh, pt, zh_hant) and easy_ja, やさしい日本語, which the docstring below promises.
_LANG_KEY = re.compile(r"^([a-z]{2,3}(_[a-z]+)?|easy_ja)$")


class Text(BaseModel):
    """A label or message. `ja_kana` is the reading of `ja`, shown as furigana where it helps.

    In a form file, a bare string is taken as the Japanese text: `label: 氏名`.
    Other languages are extra keys (`zh`, `ko`, `vi`, `pt`, `easy_ja`, ...).
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    ja: str
    en: str | None = None
    ja_kana: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"ja": data}
        return data

    @model_validator(mode="after")
    def _check(self) -> Text:
        if not self.ja.strip():
            raise ValueError("the Japanese text (ja) is empty")
        for key, value in (self.model_extra or {}).items():
            if not _LANG_KEY.match(key):
                raise ValueError(f"'{key}' is not a language code (use en, zh, ko, vi, pt, ...)")
            if not isinstance(value, str):
                raise ValueError(f"the '{key}' text must be a string")
        return self

    def get(self, lang: str) -> str:
        """The text in `lang`, else Japanese (a resident always gets something to read)."""
        if lang == "ja":
            return self.ja
        value = getattr(self, lang, None) if lang in ("en", "ja_kana") else (self.model_extra or {}).get(lang)
        return value if isinstance(value, str) and value else self.ja

    def languages(self) -> set[str]:
        langs = {"ja"}
        if self.en:
            langs.add("en")
        langs.update(k for k, v in (self.model_extra or {}).items() if v)
        return langs


def T(ja: str, en: str) -> Text:  # upper-case: reads like a constructor at the call sites
    """A Japanese/English pair, for messages written in code."""
    return Text(ja=ja, en=en)
