"""Spotting a 12-digit My Number (個人番号) so that the encoder can refuse it.

The My Number Act lets the number be copied only for the procedures the law names, and the
design keeps it out of the slip altogether: the counter reads it from the card. The kiosk never
reads it from the card, but a resident can still type it into a free-text answer, so the encoder
scans every string it is about to sign for one.

Check digit: 番号法施行令 第八条 and 総務省令第八十五号 (平成26年) 第五条: with Pn the n-th digit
counted from the right of the first eleven, Qn = n + 1 (n <= 6) or n - 5 (n >= 7), that is weights
6 5 4 3 2 7 6 5 4 3 2 on d1..d11 from the left; r = sum mod 11; check = 0 if r <= 1 else 11 - r.
"""

from __future__ import annotations

import re
import unicodedata

_WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

# Twelve digits, optionally grouped the way the card prints them ("1234 5678 9012") or the way
# people write them ("1234-5678-9012"), and not part of a longer run of digits (a 13-digit
# 法人番号 is not a My Number).
_TWELVE = re.compile(r"(?<![0-9])[0-9](?:[ \-]?[0-9]){11}(?![0-9])")


def my_number_check_digit(first11: str) -> int:
    """The check digit of the first eleven digits."""
    remainder = sum(int(d) * w for d, w in zip(first11, _WEIGHTS, strict=True)) % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_my_number(digits: str) -> bool:
    """True for exactly 12 ASCII digits whose last digit is the right check digit."""
    if len(digits) != 12 or not digits.isascii() or not digits.isdigit():
        return False
    return int(digits[11]) == my_number_check_digit(digits[:11])


def _numbers(folded: str) -> list[re.Match[str]]:
    return [m for m in _TWELVE.finditer(folded) if is_my_number(re.sub("[ -]", "", m.group()))]


def contains_my_number(text: str) -> bool:
    """True when the text holds a 12-digit run (full-width or grouped too) that checks out.

    Full-width digits (０-９), which a Japanese input method types, count as digits: NFKC folds
    them to ASCII first.
    """
    return bool(_numbers(unicodedata.normalize("NFKC", text)))


def mask_my_number(text: str) -> str:
    """The text with every My Number in it replaced by "#" (for messages and logs)."""
    folded = unicodedata.normalize("NFKC", text)
    for match in reversed(_numbers(folded)):
        folded = folded[: match.start()] + "#" * len(match.group()) + folded[match.end() :]
    return folded
