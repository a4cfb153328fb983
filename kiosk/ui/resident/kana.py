"""The kana keyboard's table and its editing rules, as plain data (no Kivy), so they are
tested without a screen.

The table is the 五十音 (50-sound) board of a Japanese ticket machine: one column per
consonant row (あ か さ … わ), read from the left, vowels downwards. Voiced and small kana
are made the way those machines make them: type the plain kana, then press ゛, ゜ or 小
(pressing ゛ again takes it off again).
"""

from __future__ import annotations

# Columns of the 50-on board, top to bottom; "" is an empty cell (や行 has no い or え).
COLUMNS: tuple[tuple[str, ...], ...] = (
    ("あ", "い", "う", "え", "お"),
    ("か", "き", "く", "け", "こ"),
    ("さ", "し", "す", "せ", "そ"),
    ("た", "ち", "つ", "て", "と"),
    ("な", "に", "ぬ", "ね", "の"),
    ("は", "ひ", "ふ", "へ", "ほ"),
    ("ま", "み", "む", "め", "も"),
    ("や", "", "ゆ", "", "よ"),
    ("ら", "り", "る", "れ", "ろ"),
    ("わ", "を", "ん", "ー", "、"),
)
DIGITS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "-")

_VOICED = dict(zip("かきくけこさしすせそたちつてとはひふへほう",
                   "がぎぐげござじずぜぞだぢづでどばびぶべぼゔ", strict=True))
_SEMI_VOICED = dict(zip("はひふへほ", "ぱぴぷぺぽ", strict=True))
_SMALL = dict(zip("あいうえおつやゆよわ", "ぁぃぅぇぉっゃゅょゎ", strict=True))

_HIRAGANA_FIRST, _HIRAGANA_LAST = 0x3041, 0x3096
_KATAKANA_SHIFT = 0x60


def to_katakana(text: str) -> str:
    return "".join(
        chr(ord(c) + _KATAKANA_SHIFT) if _HIRAGANA_FIRST <= ord(c) <= _HIRAGANA_LAST else c
        for c in text
    )


def to_hiragana(text: str) -> str:
    first, last = _HIRAGANA_FIRST + _KATAKANA_SHIFT, _HIRAGANA_LAST + _KATAKANA_SHIFT
    return "".join(chr(ord(c) - _KATAKANA_SHIFT) if first <= ord(c) <= last else c for c in text)


def _swap_last(text: str, table: dict[str, str]) -> str:
    """Change the last kana through `table` (or back), keeping hiragana or katakana."""
    if not text:
        return text
    last = text[-1]
    katakana = to_katakana(last) == last and to_hiragana(last) != last
    plain = to_hiragana(last)
    reverse = {v: k for k, v in table.items()}
    if plain in table:
        new = table[plain]
    elif plain in reverse:
        new = reverse[plain]
    else:
        return text
    return text[:-1] + (to_katakana(new) if katakana else new)


def add_dakuten(text: str) -> str:
    """か → が; が → か (the ゛ key toggles). ぱ → ば."""
    if text and to_hiragana(text[-1]) in "ぱぴぷぺぽ":
        return _swap_last(_swap_last(text, _SEMI_VOICED), _VOICED)
    return _swap_last(text, _VOICED)


def add_handakuten(text: str) -> str:
    """は → ぱ; ぱ → は. ば → ぱ."""
    if text and to_hiragana(text[-1]) in "ばびぶべぼ":
        return _swap_last(_swap_last(text, _VOICED), _SEMI_VOICED)
    return _swap_last(text, _SEMI_VOICED)


def toggle_small(text: str) -> str:
    """つ → っ, や → ゃ, あ → ぁ, and back."""
    return _swap_last(text, _SMALL)


def delete_last(text: str) -> str:
    """Remove the last character, a supplementary one (𠮷) whole (Python strings already
    count code points) and a trailing variation selector with its base."""
    if len(text) >= 2 and (0xFE00 <= ord(text[-1]) <= 0xFE0F or 0xE0100 <= ord(text[-1]) <= 0xE01EF):
        return text[:-2]
    return text[:-1]
