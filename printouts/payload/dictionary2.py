"""The preset dictionary of slip format 2 (raw deflate, RFC 1951 §3.2: the window's start).

Format 2 carries no field ids or choice values (positions and indexes instead), so what is left
for deflate to find is the residents' own text: names, readings, addresses, insurers, banks.
The dictionary is format 1's Japanese vocabulary, each word packed as format 2 packs text
(jtext.py) and concatenated, so a packed address finds 県, 丁目, 号室 or 信用金庫 in it.

It is part of format 2: a changed byte makes every printed format 2 slip unreadable, so the
test suite pins its SHA-256 (and with it jtext's windows and encoder). A better dictionary
means format 3.
"""

from __future__ import annotations

from functools import cache

from printouts.payload import jtext
from printouts.payload.dictionary import JAPANESE


@cache
def preset_dictionary_2() -> bytes:
    """Each word of format 1's Japanese vocabulary (split at white space), packed, in order."""
    return b"".join(jtext.pack(word) for word in JAPANESE.split())
