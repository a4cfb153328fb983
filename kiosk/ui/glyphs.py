"""Kivy markup that draws every character from a font that has it.

Kivy has no font fallback: a label draws all its text with one font, and BIZ UD Gothic has
no 𠮷. common.fonts.FontChain already cuts a text into runs by the fonts' cmaps (for
the PDFs); here each run that the label's own font cannot draw is wrapped in
`[font=<file>]...[/font]`, and the label is given `markup=True`. A character no font has
comes back from the chain as 〓(U+XXXX), never as a box. No Kivy import: the markup is a
string, tested without a screen.
"""

from __future__ import annotations

from common.fonts import FontChain


def escape(text: str) -> str:
    """Kivy markup escaping (kivy.utils.escape_markup), so '[' in a name stays a '['."""
    return text.replace("&", "&amp;").replace("[", "&bl;").replace("]", "&br;")


class Glyphs:
    """Markup for the screen, regular and bold, from one chain each."""

    def __init__(self, regular: FontChain, bold: FontChain) -> None:
        self._chains = {False: regular, True: bold}

    @classmethod
    def for_screen(cls) -> Glyphs:
        return cls(FontChain.for_screen(), FontChain.for_screen(bold=True))

    def font_path(self, *, bold: bool = False) -> str:
        """The label's own font: the first of the chain (BIZ UD Gothic)."""
        return str(self._chains[bold].fonts[0].path)

    def path_for(self, text: str) -> str:
        """The file of the first font that draws all of `text` (for a widget that cannot
        take markup, such as the system keyboard's text field)."""
        chain = self._chains[False]
        name = chain.first_font_for(text) or chain.fonts[0].name
        return str(chain.font(name).path)

    def preload(self) -> None:
        """Read the first fonts' cmaps now (at start-up) rather than at the first label."""
        for chain in self._chains.values():
            chain.coverage(chain.fonts[0].name)

    def markup(self, text: str, *, bold: bool = False) -> str:
        if "\n" in text:
            return "\n".join(self.markup(line, bold=bold) for line in text.split("\n"))
        chain = self._chains[bold]
        first = chain.fonts[0].name
        if chain.has_all(first, text):
            return escape(text)
        parts = []
        for run in chain.runs(text):
            if run.font_name == first:
                parts.append(escape(run.text))
            else:
                parts.append(f"[font={chain.font(run.font_name).path}]{escape(run.text)}[/font]")
        return "".join(parts)
