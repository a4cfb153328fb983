"""Where a Japanese reader pauses: phrases (文節) found by BudouX's model, for line breaking on
paper (printouts/layout.py) and on the screen (kiosk/ui/linebreak.py) alike.

Japanese has no spaces, so a line that ends between any two characters may cut a word
(「市役所の窓口でし／か」); ending lines between phrases reads like speech.
"""

from __future__ import annotations

import functools
import unicodedata

import budoux


@functools.cache
def _parser() -> budoux.Parser:
    return budoux.load_default_japanese_parser()  # the model is read once; it never changes


def phrases(text: str) -> list[str]:
    """`text` cut into its phrases; joined, they give `text` back."""
    return list(_parser().parse(text)) if text else []


def is_wide(char: str) -> bool:
    """A full-width character (kana, kanji, full-width signs): Japanese text, not Latin."""
    return unicodedata.east_asian_width(char) in ("W", "F")
