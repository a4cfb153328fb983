"""A scanner's line typed into the clerk's ID or the image path field (kiosk/desk/wedge.py):
told from the clerk's typing by its speed and its shape, taken out with the field as it was."""

from __future__ import annotations

from kiosk.desk.wedge import BURST_GAP_S, Taken, WedgeWatch

SLIP = "KS1-6BFOXN*TS0BI$ZDFRH"
CARD_BACK = "123456789018"
SCANNER_S = 0.002  # a scanner: 1-4 ms a character
PERSON_S = 0.150  # a person: 100 ms and more


class Field:
    """A text field's text and cursor, typed into through a WedgeWatch on a fake clock."""

    def __init__(self, text: str = "") -> None:
        self.now = 100.0
        self.watch = WedgeWatch(clock=lambda: self.now)
        self.text, self.cursor = text, len(text)

    def type(self, text: str, gap: float, *, work: float = 0.0) -> None:
        """Each character `gap` after the field took the one before; `work`: its own time."""
        for char in text:
            self.now += gap
            self.watch.typed(char, before=self.text, cursor=self.cursor)
            self.text = self.text[:self.cursor] + char + self.text[self.cursor:]
            self.cursor += 1
            self.now += work
            self.watch.taken()

    def enter(self, gap: float) -> Taken | None:
        self.now += gap
        return self.watch.entered()


def test_a_slip_scanned_into_the_clerk_field_is_taken_out_whole() -> None:
    field = Field("clerk-007")
    field.type(SLIP, SCANNER_S)
    assert field.enter(SCANNER_S) == Taken(SLIP, "clerk-007", len("clerk-007"))


def test_any_fast_line_is_the_scanners_and_the_clerks_own_typing_before_it_stays() -> None:
    field = Field()
    field.type("c12", PERSON_S)
    field.now += 1.0
    field.type("https://example.jp/x", SCANNER_S)
    assert field.enter(SCANNER_S) == Taken("https://example.jp/x", "c12", 3)


def test_the_clerk_typing_their_id_is_left_alone() -> None:
    field = Field()
    field.type("clerk-007", PERSON_S)
    assert field.enter(PERSON_S) is None
    field.type("ab", SCANNER_S)  # a key pair rolled fast: too short for a code
    assert field.enter(SCANNER_S) is None


def test_a_slow_scanner_is_known_by_our_prefix_or_a_cards_twelve_digits() -> None:
    slow = 2 * BURST_GAP_S  # a scanner set to an inter-character delay
    field = Field("/home/desk/")
    field.type("ks1-" + SLIP[4:], slow)  # Caps Lock lowers the prefix
    assert field.enter(slow) == Taken("ks1-" + SLIP[4:], "/home/desk/", len("/home/desk/"))
    card = Field("c7")
    card.type(CARD_BACK, slow)
    assert card.enter(slow) == Taken(CARD_BACK, "c7", 2)
    longer = Field()
    longer.type("1" + CARD_BACK, PERSON_S)  # 13 digits typed by hand: not a card's back
    assert longer.enter(PERSON_S) is None


def test_a_new_focus_starts_a_new_line() -> None:
    field = Field()
    field.type(SLIP[:10], SCANNER_S)
    field.watch.reset()
    assert field.enter(SCANNER_S) is None


def test_a_slip_whose_run_a_pause_broke_is_taken_whole() -> None:
    field = Field("/tmp/")
    field.type(SLIP[:9], SCANNER_S)
    field.type(SLIP[9:], SCANNER_S + 0.3)  # the machine paused for a moment before the rest
    assert field.enter(SCANNER_S) == Taken(SLIP, "/tmp/", len("/tmp/"))


def test_the_fields_own_work_on_a_long_line_is_no_gap() -> None:
    field = Field()
    line = "https://example.jp/" + "x" * 200
    field.type(line, SCANNER_S, work=2 * BURST_GAP_S)  # redrawing a long line, per character
    assert field.enter(SCANNER_S) == Taken(line, "", 0)
