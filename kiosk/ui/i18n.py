"""Screen text through gettext catalogues: kiosk/ui/locale/<lang>/LC_MESSAGES/kiosk.po.

The msgids are the English text, so a translator copies kiosk.pot to a new language
folder, fills in the msgstr lines and the kiosk offers that language: no code changes.
Form labels are not here; they come from the form definitions (`Text.get(lang)`).

A .po file is compiled to .mo by `pybabel compile -d kiosk/ui/locale -D kiosk` (or
`python -m kiosk.ui.i18n`). When a .mo is missing or older than its .po, the .po is
compiled in memory instead, so an edited translation shows at the next start either way.
No Kivy here.
"""

from __future__ import annotations

import gettext
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "kiosk"
_FIRST = ("ja", "en")  # shown first in the language list; the rest by code


def N_(msgid: str) -> str:
    """Marks a msgid for extraction where it is translated later (tables of keys)."""
    return msgid


def _po_path(locale_dir: Path, lang: str) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def available_languages(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Every language with a kiosk.po (or a compiled kiosk.mo), Japanese and English first."""
    found = {p.parent.parent.name for p in locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.[pm]o")}
    return [lang for lang in _FIRST if lang in found] + sorted(found - set(_FIRST))


def native_name(lang: str) -> str:
    """'日本語', 'English', 'Tiếng Việt': each language in its own words, for its button."""
    try:
        name = Locale.parse(lang).get_display_name(lang)
    except (ValueError, UnknownLocaleError):
        return lang
    return str(name[:1].upper() + name[1:]) if name else lang


def compile_po(po: Path, mo: Path | None = None) -> bytes:
    """The .mo bytes of a .po (fuzzy entries left out); written to `mo` when given."""
    with po.open("rb") as source:
        catalog = read_po(source, locale=po.parent.parent.name, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    data = out.getvalue()
    if mo is not None:
        mo.write_bytes(data)
    return data


def compile_all(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every kiosk.po under locale_dir next to itself; returns the .mo files."""
    written = []
    for lang in available_languages(locale_dir):
        po = _po_path(locale_dir, lang)
        if po.is_file():
            mo = po.with_suffix(".mo")
            compile_po(po, mo)
            written.append(mo)
    return written


@dataclass
class Catalogues:
    """Every language's catalogue, each read once on first use."""

    locale_dir: Path = LOCALE_DIR
    _loaded: dict[str, gettext.NullTranslations] = field(default_factory=dict)

    @property
    def languages(self) -> list[str]:
        return available_languages(self.locale_dir)

    def get(self, lang: str) -> gettext.NullTranslations:
        if lang not in self._loaded:
            self._loaded[lang] = self._load(lang)
        return self._loaded[lang]

    def _load(self, lang: str) -> gettext.NullTranslations:
        po = _po_path(self.locale_dir, lang)
        mo = po.with_suffix(".mo")
        if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
            with mo.open("rb") as data:
                return gettext.GNUTranslations(data)
        if po.is_file():
            return gettext.GNUTranslations(io.BytesIO(compile_po(po)))
        return gettext.NullTranslations()  # unknown language: the English msgids


class Translator:
    """The screen text in the resident's current language."""

    def __init__(self, catalogues: Catalogues, lang: str) -> None:
        self.catalogues = catalogues
        self.lang = lang

    def __call__(self, msgid: str, **params: Any) -> str:
        text = self.catalogues.get(self.lang).gettext(msgid)
        return text.format(**params) if params else text


def main(argv: list[str] | None = None) -> int:
    """`python -m kiosk.ui.i18n [LOCALE_DIR]`: compile every kiosk.po to kiosk.mo."""
    args = sys.argv[1:] if argv is None else argv
    directory = Path(args[0]) if args else LOCALE_DIR
    for mo in compile_all(directory):
        print(mo)
    return 0


if __name__ == "__main__":
    sys.exit(main())
