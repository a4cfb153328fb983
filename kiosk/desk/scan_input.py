"""What reaches the desk from a scanner: a typed line, or an image (or PDF) holding QR codes.

A USB QR scanner is a keyboard: it types the code's text and presses Enter. A clerk may also
have a photo of a slip, or the slip's PDF (the demo prints to files). Both end up as one text
for the payload decoder, and both refuse the QR code on the back of a My Number card before
anything else looks at it: that code holds the 12-digit number and nothing else, so a text of
exactly 12 digits is dropped unread and only its error code is ever logged (DESIGN.md,
"The 12-digit number").

Images are read by drivers/scanner (zxing-cpp). A photo may hold several codes (the slip
beside a card, a poster behind it): the one with our prefix wins, so a My Number card lying
next to the slip is never looked at further.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from drivers.scanner.errors import FileTooLargeError, ImageUnreadableError, ScannerError
from drivers.scanner.image import IMAGE_SUFFIXES
from drivers.scanner.image import codes_in_image as image_codes
from kiosk.desk.errors import ImageUnreadable, LooksLikeMyNumberCard, NoCodeInImage, NotOurs, ScanRefused
from kiosk.desk.file_errors import FileTooLarge

# "KS" + version + "-", after the scanner's mix-ups are folded (upper case, full width).
OUR_PREFIX = re.compile(r"KS[0-9]{1,3}-")


def folded(text: str) -> str:
    """What the payload decoder also does first: full width to ASCII, Enter off, upper case."""
    return unicodedata.normalize("NFKC", text).strip().upper()


def is_card_number_shape(text: str) -> bool:
    """Exactly 12 digits: the shape of the QR code on the back of a My Number card.

    Only the shape is looked at; the digits are neither checked nor kept.
    """
    text = folded(text)
    return len(text) == 12 and text.isascii() and text.isdigit()


def refuse_card_number(text: str) -> None:
    """Raise LooksLikeMyNumberCard (which holds nothing of the text) for a card's QR code."""
    if is_card_number_shape(text):
        raise LooksLikeMyNumberCard()


def wedge_line(text: str) -> str:
    """The scanner's line without its Enter (CR, LF or both) and surrounding blanks."""
    return text.strip().strip("\r\n")


def looks_like_image_path(arg: str | Path) -> bool:
    """A Path, or a text ending in an image or PDF suffix (a missing file is then
    `image_unreadable`, not `not_ours`: the clerk mistyped a path).

    A slip's text never has such a suffix (the prefix comes first and Base45 has no lower-case
    letters), and a card's 12 digits have none, so a scanned line is never taken for a path.
    """
    if isinstance(arg, Path):
        return True
    candidate = arg.strip()
    if "\n" in candidate or len(candidate) > 4096 or OUR_PREFIX.match(folded(candidate[:8])):
        return False
    return Path(candidate).suffix.lower() in IMAGE_SUFFIXES


def codes_in_image(path: Path) -> list[str]:
    """The QR codes' texts in a picture of the slip (drivers/scanner), as the desk's error.

    The scanner refuses any file it cannot or will not read with a code (too large, not a
    picture, not a file at all) and never lets a decoder's own error through, so these three
    are all a hostile file can end in.
    """
    try:
        return image_codes(path)
    except FileTooLargeError as exc:
        raise FileTooLarge.of(exc) from None
    except ImageUnreadableError as exc:
        raise ImageUnreadable(f"{exc.name}: {exc.reason}") from None
    except ScannerError as exc:  # a refusal added to the scanner later keeps its code and texts
        raise ScanRefused(exc.detail, code=exc.code, ja=exc.message_ja, en=exc.message_en,
                          source="scanner") from None


def slip_codes_of(texts: list[str]) -> list[str]:
    """The slip's codes among the codes of one image (a slip has one for each counter).

    Ours, in the order printed; else a card's code is refused as such, anything else as not
    ours. The texts of the codes left over are dropped here, unread.
    """
    if not texts:
        raise NoCodeInImage()
    ours = [text for text in texts if OUR_PREFIX.match(folded(text[:8]))]
    if ours:
        return ours
    if any(is_card_number_shape(text) for text in texts):
        raise LooksLikeMyNumberCard()
    raise NotOurs(f"{len(texts)} code(s) in the image, none a slip")
