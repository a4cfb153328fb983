"""Check digit of the 12-digit individual number (個人番号).

Rule from specs/mynumber-card.md ("My Number check digit"), which follows the ministerial
ordinance on the number (行政手続における特定の個人を識別するための番号の利用等に関する法律
施行令 第8条): weights 6 5 4 3 2 7 6 5 4 3 2 over d1..d11, r = sum mod 11,
check = 0 if r <= 1 else 11 - r. A wrong digit means a misread, never a number to keep.
"""

from __future__ import annotations

MY_NUMBER_LENGTH = 12
_WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _ascii_digits(text: str, length: int) -> bool:
    # str.isdigit() alone accepts full-width and other scripts' digits.
    return len(text) == length and text.isascii() and text.isdigit()


def check_digit(first11: str) -> int:
    """The 12th digit that the first 11 call for."""
    if not _ascii_digits(first11, MY_NUMBER_LENGTH - 1):
        raise ValueError("the check digit is computed over 11 half-width digits")
    total = sum(int(d) * w for d, w in zip(first11, _WEIGHTS, strict=True))
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_valid_my_number(number: str) -> bool:
    """12 half-width digits whose last one is the right check digit."""
    if not _ascii_digits(number, MY_NUMBER_LENGTH):
        return False
    return check_digit(number[:11]) == int(number[11])
