"""Per-character font fallback: the one thing neither ReportLab nor Kivy does for us.

Residents' names are where municipal systems fail people: BIZ UD Gothic, the font we want
on every slip and form, has no 𠮷 (U+20BB7), and a name printed with a blank box is a name
printed wrong. So every string is cut into runs, each drawn by the first font of a chain
whose cmap has every character of the run; a character no font has becomes "〓(U+XXXX)"
and is reported, so the clerk can check it with the resident. See docs/printouts.md
("Fonts") for the chain and why it differs between paper and screen.

Nothing here imports Kivy or ReportLab, so paper (printouts/fonts.py registers the chain
with ReportLab and draws it) and screen (kiosk/ui/glyphs.py turns runs into Kivy markup)
share one chain lookup. Text is never Unicode-normalised: NFC turns CJK compatibility
ideographs into their unified twins, which for a name in a register is a different character.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from fontTools.ttLib import TTFont as FontToolsFont

MISSING_MARK = "〓"  # U+3013 GETA MARK: the Japanese typesetter's sign for "no such type"


class FontError(Exception):
    """A font the chain needs cannot be found or cannot be used by the renderer."""


@dataclass(frozen=True)
class FontSpec:
    """One link of a chain: where the font may live, and which package ships it."""

    name: str  # the name runs carry and ReportLab registers, e.g. "BIZUDGothic-Regular"
    label: str  # what a person calls it
    candidates: tuple[str, ...]
    package: str  # the Debian package, for the "install X" message
    subfont_index: int = 0  # face in a .ttc collection


BIZ_UD_GOTHIC = FontSpec(
    "BIZUDGothic-Regular",
    "BIZ UD Gothic",
    ("/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Regular.ttf",),
    "fonts-morisawa-bizud-gothic",
)
BIZ_UD_GOTHIC_BOLD = FontSpec(
    "BIZUDGothic-Bold",
    "BIZ UD Gothic Bold",
    ("/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Bold.ttf",),
    "fonts-morisawa-bizud-gothic",
)
NOTO_SANS_CJK_JP = FontSpec(
    "NotoSansCJKjp-Regular",
    "Noto Sans CJK JP",
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",),
    "fonts-noto-cjk",
    subfont_index=0,  # face 0 of the collection is the JP one
)
NOTO_SANS_CJK_JP_BOLD = FontSpec(
    "NotoSansCJKjp-Bold",
    "Noto Sans CJK JP Bold",
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",),
    "fonts-noto-cjk",
    subfont_index=0,
)
IPAMJ_MINCHO = FontSpec(
    "IPAmjMincho",
    "IPAmj明朝",
    ("/usr/share/fonts/truetype/ipamj/ipamjm.ttf", "/usr/share/fonts/opentype/ipamj/ipamjm.ttf"),
    "fonts-ipamj-mincho",
)
DEJAVU_SANS = FontSpec(
    "DejaVuSans",
    "DejaVu Sans",
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",),
    "fonts-dejavu-core",
)
DEJAVU_SANS_BOLD = FontSpec(
    "DejaVuSans-Bold",
    "DejaVu Sans Bold",
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",),
    "fonts-dejavu-core",
)

# Paper: ReportLab embeds TrueType outlines only, and Noto Sans CJK is CFF; IPAmj明朝 (the
# 文字情報基盤 font for names in registers) covers 𠮷 and the other register characters, and
# DejaVu Sans the Latin letters of foreign residents' names (Vietnamese ễ) that both lack.
PDF_FONTS = (BIZ_UD_GOTHIC, IPAMJ_MINCHO, DEJAVU_SANS)
PDF_FONTS_BOLD = (BIZ_UD_GOTHIC_BOLD, IPAMJ_MINCHO, DEJAVU_SANS_BOLD)
# Screen: FreeType draws CFF, so the Gothic Noto comes before the Mincho IPAmj.
SCREEN_FONTS = (BIZ_UD_GOTHIC, NOTO_SANS_CJK_JP, IPAMJ_MINCHO, DEJAVU_SANS)
SCREEN_FONTS_BOLD = (BIZ_UD_GOTHIC_BOLD, NOTO_SANS_CJK_JP_BOLD, IPAMJ_MINCHO, DEJAVU_SANS_BOLD)


class Run(NamedTuple):
    font_name: str
    text: str


@dataclass(frozen=True)
class MissingChar:
    """A character no font of the chain has; drawn as 〓(U+XXXX) and shown to the clerk."""

    index: int  # position in the text given
    char: str

    @property
    def codepoint(self) -> str:
        return f"U+{ord(self.char):04X}"

    @property
    def placeholder(self) -> str:
        return f"{MISSING_MARK}({self.codepoint})"


@dataclass(frozen=True)
class DroppedSelector:
    """An ideographic variation selector that could not be honoured.

    The base character is drawn in its default form, which for a name may be the wrong
    variant (葛 with a 匕 or a 人 inside): the clerk checks it against the register.
    """

    index: int  # position of the selector in the text given
    base: str
    selector: str

    @property
    def sequence(self) -> str:
        return " ".join(f"U+{ord(char):04X}" for char in self.base + self.selector)


@dataclass(frozen=True)
class Shaped:
    """A text cut into runs, with what a clerk must look at."""

    runs: tuple[Run, ...]
    missing: tuple[MissingChar, ...] = ()
    dropped_selectors: tuple[DroppedSelector, ...] = ()

    @property
    def flagged(self) -> bool:
        return bool(self.missing or self.dropped_selectors)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class ChainFont:
    spec: FontSpec
    path: Path

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass
class FontCoverage:
    """What one font file can draw, read once from its cmap tables."""

    chars: frozenset[int]
    sequences: frozenset[tuple[int, int]]  # (base, selector) pairs of the format 14 cmap
    postscript_outlines: bool


def is_variation_selector(char: str) -> bool:
    code = ord(char)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _is_mark(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Me") or is_variation_selector(char)


def _clusters(text: str) -> Iterator[tuple[int, str]]:
    """Base characters with the marks and selectors after them, which must share a font."""
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not _is_mark(text[index]):
            yield start, text[start:index]
            start = index


def _read_coverage(font: ChainFont) -> FontCoverage:
    with FontToolsFont(font.path, fontNumber=font.spec.subfont_index, lazy=True) as data:
        chars = frozenset(data.getBestCmap() or {})
        sequences = frozenset(
            (base, selector)
            for table in data["cmap"].tables
            if table.format == 14
            for selector, entries in table.uvsDict.items()
            for base, _glyph in entries
        )
        return FontCoverage(chars, sequences, "CFF " in data or "CFF2" in data)


@dataclass
class _Shaper:
    """The state of one `FontChain.shape` call."""

    chain: FontChain
    runs: list[Run] = field(default_factory=list)
    missing: list[MissingChar] = field(default_factory=list)
    dropped: list[DroppedSelector] = field(default_factory=list)

    def add(self, font_name: str, text: str) -> None:
        if self.runs and self.runs[-1].font_name == font_name:
            self.runs[-1] = Run(font_name, self.runs[-1].text + text)
        else:
            self.runs.append(Run(font_name, text))

    def cluster(self, start: int, cluster: str) -> None:
        chain = self.chain
        selectors = [(start + i, c) for i, c in enumerate(cluster) if is_variation_selector(c)]
        if selectors and chain.keep_variation_selectors:
            font = chain.first_font_for(cluster)
            if font is not None:
                self.add(font, cluster)
                return
        plain = "".join(c for c in cluster if not is_variation_selector(c))
        # A selector with no base before it (base "") selects nothing; it is reported too.
        base = cluster[0] if plain else ""
        self.dropped += [DroppedSelector(i, base, c) for i, c in selectors]
        if not plain:
            return
        font = chain.first_font_for(plain)
        if font is not None:
            self.add(font, plain)
            return
        offset = 0
        for char in plain:  # no font has base and marks together: each on its own
            while cluster[offset] != char:
                offset += 1
            self.char(start + offset, char)
            offset += 1

    def char(self, index: int, char: str) -> None:
        font = self.chain.first_font_for(char)
        if font is not None:
            self.add(font, char)
            return
        lost = MissingChar(index, char)
        self.missing.append(lost)
        placeholder = lost.placeholder
        self.add(self.chain.first_font_for(placeholder) or self.chain.fonts[0].name, placeholder)


class FontChain:
    """Fonts tried in order, per character.

    Each chain reads its fonts' cmaps on first use and keeps them (no module-level cache:
    two chains, e.g. in two tests, share nothing but the files). `keep_variation_selectors`
    says whether the renderer applies a format 14 cmap: ReportLab does not (a selector
    would print as a box), so PDF chains drop selectors and report them. `coverage(name)
    .postscript_outlines` tells a renderer that embeds TrueType only (ReportLab) which
    fonts it cannot take.
    """

    def __init__(
        self,
        specs: Sequence[FontSpec],
        *,
        keep_variation_selectors: bool = True,
        allow_missing: bool = False,
    ) -> None:
        found: list[ChainFont] = []
        missing: list[FontSpec] = []
        for spec in specs:
            path = next((Path(p) for p in spec.candidates if Path(p).is_file()), None)
            if path is None:
                missing.append(spec)
            else:
                found.append(ChainFont(spec, path))
        if missing and not (allow_missing and found):
            raise FontError(
                "fonts not found: "
                + "; ".join(
                    f"{spec.label} (looked for {', '.join(spec.candidates)}; "
                    f"Debian package {spec.package})"
                    for spec in missing
                )
            )
        self.fonts: tuple[ChainFont, ...] = tuple(found)
        self.missing_fonts: tuple[FontSpec, ...] = tuple(missing)
        self.keep_variation_selectors = keep_variation_selectors
        self._coverage: dict[str, FontCoverage] = {}

    @classmethod
    def for_pdf(cls, *, bold: bool = False) -> FontChain:
        return cls(PDF_FONTS_BOLD if bold else PDF_FONTS, keep_variation_selectors=False)

    @classmethod
    def for_screen(cls, *, bold: bool = False) -> FontChain:
        return cls(SCREEN_FONTS_BOLD if bold else SCREEN_FONTS)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(font.name for font in self.fonts)

    def font(self, name: str) -> ChainFont:
        """The file behind a run's font name, for a renderer that loads fonts by path."""
        for font in self.fonts:
            if font.name == name:
                return font
        raise KeyError(name)

    def coverage(self, name: str) -> FontCoverage:
        if name not in self._coverage:
            self._coverage[name] = _read_coverage(self.font(name))
        return self._coverage[name]

    def has_all(self, name: str, text: str) -> bool:
        """Whether one font draws the whole text, selectors included, as a renderer would."""
        coverage = self.coverage(name)
        for index, char in enumerate(text):
            if is_variation_selector(char):
                base = ord(text[index - 1]) if index else -1
                if (base, ord(char)) not in coverage.sequences:
                    return False
            elif ord(char) not in coverage.chars:
                return False
        return True

    def first_font_for(self, text: str) -> str | None:
        return next((font.name for font in self.fonts if self.has_all(font.name, text)), None)

    def shape(self, text: str) -> Shaped:
        shaper = _Shaper(self)
        for start, cluster in _clusters(text):
            shaper.cluster(start, cluster)
        return Shaped(tuple(shaper.runs), tuple(shaper.missing), tuple(shaper.dropped))

    def runs(self, text: str) -> list[Run]:
        """(font name, text) pairs; use `shape` to also get what must be flagged."""
        return list(self.shape(text).runs)
