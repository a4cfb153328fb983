"""Japanese text in about one byte a character: format 2's packed text.

UTF-8 spends 3 bytes on every kana and kanji, UTF-16 two. Names, readings and addresses are
mostly kana, digits and a few hundred common kanji, so format 2 packs them like SCSU (Unicode
Technical Standard #6) with static windows: a byte 0x80-0xFF is one character of the current
window of 128, ASCII is itself, and anything else is quoted as UTF-16.

    0x20-0x7E   that ASCII character
    0x80-0xFF   character (byte - 0x80) of the current window
    0x01        current window := 0 (hiragana), 0x02 := 1 (katakana), 0x03 := 2 (kanji)
    0x04 h l    one UTF-16 code unit, big endian
    0x05 n ...  n (1-255) UTF-16 code units, 2n bytes
    other       not packed text (`damaged`)

The current window starts at 2 (names and addresses start with kanji). The decoder joins every
character's UTF-16 code units and decodes them strictly, so a lone surrogate is refused. The
encoder finds the shortest bytes (a dynamic programme over the three windows). The windows are
part of format 2: a changed character changes what printed slips say, so the tests pin them.
"""

from __future__ import annotations

from typing import Final, TypeAlias

from printouts.payload.errors import DamagedError

_HIRAGANA = (
    "".join(chr(c) for c in range(0x3041, 0x3097)) + "゛゜ゝゞー・　、。々〇「」"
    + "０１２３４５６７８９－（）" + "丁目番地号市区町村郡都道府県字条"
)
_KATAKANA = (
    "".join(chr(c) for c in range(0x30A1, 0x30FB)) + "ー・ヽヾ　、。"
    + "０１２３４５６７８９－（）" + "丁目番地号市区町村郡都道府県字条階室"
)
_KANJI = (
    "一二三四五六七八九十百千〇々ヶ　丁目番地号市区町村郡都道府県字条通"
    "東西南北中央上下大小本新前後内外台丘坂谷川山田野原森林島橋宮寺浜崎沢江岡松井木"
    "藤佐高鈴伊渡辺加吉清水石池阿部金子太郎美花夫男雄和正明幸博之人恵智直真優香奈"
    "里菜由見長室階館棟荘園平生光春秋愛知"
)
WINDOWS: Final = (_HIRAGANA, _KATAKANA, _KANJI)
_START = 2
_SWITCH = (0x01, 0x02, 0x03)
_QUOTE, _RUN = 0x04, 0x05
_MAX_RUN = 255
_IN_WINDOW = tuple({c: i for i, c in enumerate(w)} for w in WINDOWS)
# The bytes written so far, newest piece last: (earlier chain, piece), None at the start.
_Chain: TypeAlias = "tuple[_Chain, bytes] | None"


def _ascii(c: str) -> bool:
    return " " <= c <= "~"


def _tokens(text: str) -> list[str]:
    """ASCII and windowed characters one by one; every other stretch as one token."""
    out: list[str] = []
    stretch = ""
    for c in text:
        if _ascii(c) or any(c in w for w in _IN_WINDOW):
            if stretch:
                out.append(stretch)
                stretch = ""
            out.append(c)
        else:
            stretch += c
    return [*out, stretch] if stretch else out


def _quoted(stretch: str) -> bytes:
    """A stretch of characters in no window: one quote per code unit, or runs, whichever is
    shorter (a run costs 2 bytes more, a quote 1 byte more per unit)."""
    units = stretch.encode("utf-16-be")
    out = bytearray()
    for start in range(0, len(units), 2 * _MAX_RUN):
        chunk = units[start : start + 2 * _MAX_RUN]
        n = len(chunk) // 2
        if n <= 2:
            for i in range(0, len(chunk), 2):
                out += bytes([_QUOTE]) + chunk[i : i + 2]
        else:
            out += bytes([_RUN, n]) + chunk
    return bytes(out)


def _steps(token: str, window: int) -> list[tuple[int, bytes]]:
    """Each way to write one token from `window`: (window after, bytes)."""
    if len(token) > 1 or not (_ascii(token) or any(token in w for w in _IN_WINDOW)):
        return [(window, _quoted(token))]
    if _ascii(token):
        return [(window, token.encode("ascii"))]
    ways = [(window, _quoted(token))]
    for v, table in enumerate(_IN_WINDOW):
        if token in table:
            switch = b"" if v == window else bytes([_SWITCH[v]])
            ways.append((v, switch + bytes([0x80 + table[token]])))
    return ways


def pack(text: str) -> bytes:
    """The shortest packed form of `text` (any Unicode text without lone surrogates).

    Each window keeps its cheapest way so far as (length, chain of pieces), so a long answer
    costs linear time, not a copy of everything before it at every character.
    """
    best: dict[int, tuple[int, _Chain]] = {_START: (0, None)}
    for token in _tokens(text):
        after: dict[int, tuple[int, _Chain]] = {}
        for window, (length, chain) in best.items():
            for v, piece in _steps(token, window):
                if v not in after or length + len(piece) < after[v][0]:
                    after[v] = (length + len(piece), (chain, piece))
        best = after
    _, chain = min(best.values(), key=lambda way: way[0])
    pieces: list[bytes] = []
    while chain is not None:
        chain, piece = chain
        pieces.append(piece)
    return b"".join(reversed(pieces))


def unpack(data: bytes) -> str:
    """Packed text back to text; DamagedError for bytes the encoder cannot have written."""
    units = bytearray()
    window = WINDOWS[_START]
    i = 0
    while i < len(data):
        b = data[i]
        if b >= 0x80:
            units += window[b - 0x80].encode("utf-16-be")
        elif 0x20 <= b <= 0x7E:
            units += bytes([0, b])
        elif b in _SWITCH:
            window = WINDOWS[_SWITCH.index(b)]
        elif b == _QUOTE and i + 2 < len(data):
            units += data[i + 1 : i + 3]
            i += 2
        elif b == _RUN and i + 1 < len(data) and data[i + 1] and i + 1 + 2 * data[i + 1] < len(data):
            n = data[i + 1]
            units += data[i + 2 : i + 2 + 2 * n]
            i += 1 + 2 * n
        else:
            raise DamagedError("packed text holds a byte it cannot")
        i += 1
    try:
        return units.decode("utf-16-be")
    except UnicodeDecodeError:
        raise DamagedError("packed text is not valid Unicode") from None
