"""A lenient BER-TLV reader for what the My Number card actually stores.

The card's records are not strict DER (docs/card.md, "The basic-four record"): dumps of real
cards show the outer length as one byte or as `82 HH LL`, files are padded with FF, and no
source promises more. So this reader also takes non-minimal lengths (`81 05`, `82 00 05`,
`83 00 00 05`) and tags with leading zero groups (`DF 80 22` read as `DF 22`), which a strict
DER library rejects, and refuses only what cannot be read at all.
Padding bytes 00 and FF between objects are skipped as ISO/IEC 7816-4 5.2.2 allows; as
`FF` also starts the card's own templates (`FF 20`), a single FF is taken as padding only
when it ends the data, and a run of two or more FF always is.
"""

from __future__ import annotations

from dataclasses import dataclass

# Bounds that keep a corrupt header from making us read or allocate without end.
MAX_TAG_BYTES = 4
MAX_LENGTH_BYTES = 8


class TlvError(ValueError):
    """The bytes are not BER-TLV, even read leniently."""


class TlvIncomplete(TlvError):
    """The bytes end before the object does: reading more of the file may help."""


@dataclass(frozen=True, slots=True)
class Tlv:
    """One data object. `tag` is the minimal encoding read as an int (`DF 22` -> 0xDF22),
    whatever padding the card put into it."""

    tag: int
    value: bytes
    offset: int
    header_length: int

    @property
    def constructed(self) -> bool:
        return bool(_first_tag_byte(self.tag) & 0x20)

    @property
    def end(self) -> int:
        return self.offset + self.header_length + len(self.value)

    def children(self) -> list[Tlv]:
        """The objects inside a template; offsets are relative to the value."""
        return parse_all(self.value)


def _first_tag_byte(tag: int) -> int:
    return tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")[0]


def _minimal_tag(first: int, number: int) -> int:
    """Drop leading zero groups only. A long-form tag with a small number keeps its long
    form: the card's own `FF 10` would otherwise turn into `F0`."""
    groups = []
    while True:
        groups.append(number & 0x7F)
        number >>= 7
        if not number:
            break
    encoded = bytes([(first & 0xE0) | 0x1F]) + bytes(
        g | 0x80 if i else g for i, g in reversed(list(enumerate(groups)))
    )
    return int.from_bytes(encoded, "big")


def _read_tag(buf: bytes, pos: int) -> tuple[int, int]:
    """Return (tag, position after the tag)."""
    if pos >= len(buf):
        raise TlvIncomplete(f"data ends at {pos} where a tag should start")
    first = buf[pos]
    pos += 1
    if first & 0x1F != 0x1F:
        return first, pos
    start = pos - 1
    number = 0
    for _ in range(MAX_TAG_BYTES - 1):
        if pos >= len(buf):
            raise TlvIncomplete(f"data ends inside a tag at {pos}")
        byte = buf[pos]
        pos += 1
        number = (number << 7) | (byte & 0x7F)
        if not byte & 0x80:
            if buf[start + 1] != 0x80:  # already minimal: the usual case, kept cheap
                return int.from_bytes(buf[start:pos], "big"), pos
            return _minimal_tag(first, number), pos
    raise TlvError(f"tag longer than {MAX_TAG_BYTES} bytes at {start}")


def _read_length(buf: bytes, pos: int) -> tuple[int, int]:
    """Return (length, position after the length field)."""
    if pos >= len(buf):
        raise TlvIncomplete(f"data ends at {pos} where a length should start")
    first = buf[pos]
    pos += 1
    if first < 0x80:
        return first, pos
    if first == 0x80:
        raise TlvError(f"indefinite length at {pos - 1} is not used by the card")
    count = first & 0x7F
    if count > MAX_LENGTH_BYTES:
        raise TlvError(f"length field of {count} bytes at {pos - 1}")
    if pos + count > len(buf):
        raise TlvIncomplete(f"data ends inside a length field at {pos}")
    return int.from_bytes(buf[pos : pos + count], "big"), pos + count


def parse_header(buf: bytes, pos: int = 0) -> tuple[int, int, int]:
    """Return (tag, value length, header length) of the object at `pos`.

    Raises TlvIncomplete when the header itself is cut short, so a caller reading a file
    piece by piece knows to read more before it knows the object's size.
    """
    tag, after_tag = _read_tag(buf, pos)
    length, after_length = _read_length(buf, after_tag)
    return tag, length, after_length - pos


def parse_one(buf: bytes, pos: int = 0) -> Tlv:
    tag, length, header_length = parse_header(buf, pos)
    start = pos + header_length
    if start + length > len(buf):
        raise TlvIncomplete(
            f"object {tag:X} at {pos} declares {length} bytes, only {len(buf) - start} follow"
        )
    return Tlv(tag, bytes(buf[start : start + length]), pos, header_length)


def skip_padding(buf: bytes, pos: int) -> int:
    """Skip 00 bytes, runs of two or more FF, and a trailing FF."""
    while pos < len(buf):
        if buf[pos] == 0x00:
            pos += 1
            continue
        if buf[pos] == 0xFF:
            run = pos
            while run < len(buf) and buf[run] == 0xFF:
                run += 1
            if run - pos >= 2 or run == len(buf):
                pos = run
                continue
        break
    return pos


def parse_all(buf: bytes) -> list[Tlv]:
    """Every object in `buf`, in order, skipping padding between and after them."""
    found: list[Tlv] = []
    pos = skip_padding(buf, 0)
    while pos < len(buf):
        tlv = parse_one(buf, pos)
        found.append(tlv)
        pos = skip_padding(buf, tlv.end)
    return found
