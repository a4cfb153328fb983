"""The 12-digit individual number (個人番号): its check digit, and finding it where it must not be.

The My Number Act lets the number be copied only for the procedures the law names; this
product keeps it in the chip until the counter prints the official form. The kiosk never reads
it, but a resident can type it into a free-text answer, so every place that writes outside the
chip (the store, the slip, an export) refuses a value that holds one, by this one rule.

Check digit: 番号法施行令 第八条 and 総務省令第八十五号 (平成26年) 第五条: weights
6 5 4 3 2 7 6 5 4 3 2 on d1..d11 from the left; r = sum mod 11; check = 0 if r <= 1 else 11 - r.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping

MY_NUMBER_LENGTH = 12
_WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

# What people put between the digits when they write the number down: spaces of any width,
# line breaks, hyphens, dashes and minus signs of every width, ー (a key on the kiosk's own kana
# keyboard), dots, ・ and slashes. Up to three in a row ("\r\n", a double space). Applied after
# NFKC, which folds full-width digits, －, ．, ／, ｰ and the ideographic space to these.
_SEPARATOR = r"[\s\-\u2010-\u2015\u2043\u2212\u30fc\u30fb\u00b7./\\]"
# Twelve digits so written, not part of a longer run of digits (a 13-digit 法人番号 is not a
# My Number; a separator ends a run).
_TWELVE = re.compile(rf"(?<![0-9])[0-9](?:{_SEPARATOR}{{0,3}}[0-9]){{11}}(?![0-9])")


def _ascii_digits(text: str, length: int) -> bool:
    # str.isdigit() alone accepts full-width and other scripts' digits.
    return len(text) == length and text.isascii() and text.isdigit()


def check_digit(first11: str) -> int:
    """The 12th digit that the first 11 call for."""
    if not _ascii_digits(first11, MY_NUMBER_LENGTH - 1):
        raise ValueError("the check digit is computed over 11 half-width digits")
    remainder = sum(int(d) * w for d, w in zip(first11, _WEIGHTS, strict=True)) % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_valid_my_number(number: str) -> bool:
    """Exactly 12 half-width digits whose last one is the right check digit."""
    if not _ascii_digits(number, MY_NUMBER_LENGTH):
        return False
    return check_digit(number[:11]) == int(number[11])


def _numbers(folded: str) -> list[re.Match[str]]:
    return [m for m in _TWELVE.finditer(folded)
            if is_valid_my_number(re.sub(_SEPARATOR, "", m.group()))]


def contains_my_number(text: str) -> bool:
    """True when the text holds twelve digits that check out, however written: full-width
    (０-９, as a Japanese input method types them: NFKC folds them first), grouped by spaces,
    hyphens, dashes, ー, dots or slashes, or broken over lines.
    """
    return bool(_numbers(unicodedata.normalize("NFKC", text)))


def mask_my_number(text: str) -> str:
    """The text with every My Number in it replaced by "#" (for messages and logs)."""
    folded = unicodedata.normalize("NFKC", text)
    for match in reversed(_numbers(folded)):
        folded = folded[: match.start()] + "#" * len(match.group()) + folded[match.end() :]
    return folded


def _scalars(value: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, str | int | float):
        yield path, str(value)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield f"{path} (a key)", str(key)
            yield from _scalars(item, f"{path}.{key}" if isinstance(key, str) else f"{path}[key]")
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            yield from _scalars(item, f"{path}[{index}]")


def find_my_number(value: object, path: str = "value") -> str | None:
    """The path (never the value) of the first text, number or key in `value` that holds a
    My Number, or None. Integers count (a number typed on the keypad), and so do keys.
    """
    for where, text in _scalars(value, path):
        if contains_my_number(text):
            return mask_my_number(where)
    return None


def looks_like_card_qr(text: str) -> bool:
    """The QR code on the back of a My Number card holds the 12-digit number and nothing else.

    This looks at the shape only: the digits are neither checked nor kept, so a scan of that
    code is refused unread.
    """
    return _ascii_digits(text.strip(), MY_NUMBER_LENGTH)
