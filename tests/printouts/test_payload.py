"""The slip payload end to end: round trips, every refusal the desk can give, scanner mangling."""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
import qrcode
import zxingcpp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from qrcode.constants import ERROR_CORRECT_M

from common.errors import BilingualError
from printouts.errors import PrintoutError
from printouts.payload import (
    PREFIX,
    QR_V25_M_CHARS,
    Application,
    BadSignatureError,
    CounterKey,
    DamagedError,
    DeskKeys,
    KioskKeys,
    LooksLikeMyNumberCardError,
    NotForThisCounterError,
    NotOursError,
    PayloadError,
    TrustedKiosk,
    TrustList,
    UnknownKioskError,
    UnsupportedVersionError,
    WrongOfficeError,
    decode,
    encode,
    errors,
    new_slip_id,
)
from printouts.payload.text import JIS_SCANNER_ON_US_PC, US_SCANNER_ON_JIS_PC
from tests.support.examples import (
    count_answers,
    large_application,
    medium_application,
    small_application,
)

OFFICE = "999997"
OTHER_OFFICE = "131016"
BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
# What the scanner types, per layout mix-up: the inverse of the decoder's tables.
US_ON_JIS = str.maketrans({"*": "(", "+": "~", ":": "+"})
JIS_ON_US = str.maketrans({"*": '"', "+": ":", ":": "'"})


@dataclass(frozen=True)
class Office:
    """One office's keys: a kiosk that signs, a counter that opens, both trusting each other."""

    signing: Ed25519PrivateKey
    sealing: X25519PrivateKey
    kiosk: TrustedKiosk
    counter: CounterKey

    @classmethod
    def make(cls, seed: int, office_code: str = OFFICE, kiosk_id: str = "K01") -> Office:
        """Keys from `seed`: the same in every run, so a test passes or fails the same way
        every time (random keys let a test catch its fault only in some runs)."""
        signing = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"ed%d" % seed).digest())
        sealing = X25519PrivateKey.from_private_bytes(hashlib.sha256(b"x%d" % seed).digest())
        return cls(
            signing,
            sealing,
            TrustedKiosk.of(signing.public_key(), kiosk_id=kiosk_id, office_code=office_code),
            CounterKey.of(sealing.public_key(), office_code=office_code),
        )

    def kiosk_keys(self, counter: CounterKey | None = None) -> KioskKeys:
        counter = counter or self.counter
        return KioskKeys(signing_key=self.signing, kiosk=self.kiosk, counter=counter)

    def desk_keys(self, *kiosks: TrustedKiosk) -> DeskKeys:
        trust = TrustList(kiosks=kiosks or (self.kiosk,), counters=(self.counter,))
        return DeskKeys.of([self.sealing], trust)


@pytest.fixture(scope="module")
def office() -> Office:
    return Office.make(seed=1)


@pytest.fixture(scope="module")
def slip(office: Office) -> str:
    return encode(medium_application(new_slip_id()), office.kiosk_keys())


def _qr_version(text: str) -> int:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    return int(code.version)


# --- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [small_application, medium_application, large_application])
def test_round_trip(office: Office, make: Callable[[bytes], Application]) -> None:
    app = make(new_slip_id())
    text = encode(app, office.kiosk_keys())
    opened = decode(text, office.desk_keys(), office_code=OFFICE)
    assert opened.application == app
    assert opened.slip_id == app.slip_id
    assert opened.kiosk_key_id == office.kiosk.key_id
    assert opened.counter_key_id == office.counter.key_id
    assert text.startswith(PREFIX)
    assert set(text[len(PREFIX) :]) <= set(BASE45)


def test_each_slip_is_sealed_afresh(office: Office) -> None:
    app = small_application(new_slip_id())
    assert encode(app, office.kiosk_keys()) != encode(app, office.kiosk_keys())


def test_a_rescan_gives_the_same_slip_id_for_the_desk_to_refuse(office: Office, slip: str) -> None:
    desk = office.desk_keys()
    first = decode(slip, desk, office_code=OFFICE)
    assert decode(slip, desk, office_code=OFFICE).slip_id == first.slip_id


def test_large_application_fits_qr_version_25_at_level_m(office: Office) -> None:
    app = large_application(new_slip_id())
    text = encode(app, office.kiosk_keys())
    version = _qr_version(text)
    print(f"large: {count_answers(app)} answers, {len(text)} chars, QR version {version}-M")
    assert count_answers(app) == 60
    assert len(app.procedures) == 3
    assert version <= 25, f"{len(text)} characters need QR version {version}"


def test_qr_image_round_trip(office: Office) -> None:
    app = large_application(new_slip_id())
    text = encode(app, office.kiosk_keys())
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=3, border=4)
    code.add_data(text)
    code.make(fit=True)
    image = code.make_image().get_image()
    # QR codes only: a reader left on "all formats" now and then also sees a Codabar in the modules.
    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    found = zxingcpp.read_barcodes(image, formats=qr_only)
    assert len(found) == 1
    assert found[0].text == text
    assert decode(found[0].text, office.desk_keys(), office_code=OFFICE).application == app


# --- the scanner ------------------------------------------------------------------------------


def _with_all_swapped_symbols(office: Office) -> tuple[Application, str]:
    """A slip whose text holds every symbol a layout mix-up moves, so each test means something."""
    for _ in range(200):
        app = medium_application(new_slip_id())
        text = encode(app, office.kiosk_keys())
        if all(c in text for c in "*+:"):
            return app, text
    raise AssertionError("no slip with * + and : in 200 tries")


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda t: t.lower(), id="caps-lock"),
        pytest.param(lambda t: t.translate(US_ON_JIS), id="us-scanner-on-jis-pc"),
        pytest.param(lambda t: t.translate(US_ON_JIS).lower(), id="us-on-jis-and-caps-lock"),
        pytest.param(lambda t: t.translate(JIS_ON_US), id="jis-scanner-on-us-pc"),
        pytest.param(lambda t: t + "\r\n", id="enter-key"),
        pytest.param(
            lambda t: "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in t),
            id="full-width-input-method",
        ),
    ],
)
def test_mangled_scans_still_decode(office: Office, mangle: object) -> None:
    app, text = _with_all_swapped_symbols(office)
    assert callable(mangle)
    scanned = mangle(text)
    assert decode(scanned, office.desk_keys(), office_code=OFFICE).application == app


def test_layout_tables_undo_the_mangling() -> None:
    assert BASE45.translate(US_ON_JIS).translate(US_SCANNER_ON_JIS_PC) == BASE45
    assert BASE45.translate(JIS_ON_US).translate(JIS_SCANNER_ON_US_PC) == BASE45


# --- refusals -----------------------------------------------------------------------------------


def test_one_changed_character_is_damaged(office: Office, slip: str) -> None:
    i = len(slip) // 2
    changed = slip[:i] + ("A" if slip[i] != "A" else "B") + slip[i + 1 :]
    with pytest.raises(DamagedError):
        decode(changed, office.desk_keys(), office_code=OFFICE)


def _triple_start(slip: str) -> int:
    """A position in the middle of the body where a Base45 group of three characters starts."""
    return len(PREFIX) + (len(slip) - len(PREFIX)) // 2 // 3 * 3


@pytest.mark.parametrize("still_base45", [True, False], ids=["seal-breaks", "base45-breaks"])
def test_a_changed_character_is_damaged_whichever_layer_notices(
    office: Office, slip: str, still_base45: bool
) -> None:
    """Both ways one wrong character can go, chosen on purpose rather than left to where the
    slip's random bytes happen to put it: a group that stays valid Base45 (the seal refuses
    the bytes) and one that does not (the text is refused before any key is used)."""
    i = _triple_start(slip)
    group = slip[i : i + 3]
    if still_base45:  # a smaller low digit keeps the group's value under 65536
        low = BASE45.index(group[0])
        changed_group = BASE45[low - 1 if low else 1] + group[1:]
    else:  # "::" as the two high digits is 44 * 45 + 44 * 2025 > 65535
        changed_group = group[0] + "::"
    assert changed_group != group
    changed = slip[:i] + changed_group + slip[i + 3 :]
    with pytest.raises(DamagedError) as caught:
        decode(changed, office.desk_keys(), office_code=OFFICE)
    assert caught.value.code == "damaged"


def _change_each_position(
    office: Office, app: Application, alternatives: Callable[[int, str], Iterable[str]]
) -> tuple[int, int]:
    """Decode the slip with each position changed in turn; (refused, harmless) counts.

    Fails on any exception other than a PayloadError and on any decode to different data.
    """
    text = encode(app, office.kiosk_keys())
    desk = office.desk_keys()
    refused = harmless = 0
    for i in range(len(text)):
        for replacement in alternatives(i, text[i]):
            if replacement == text[i]:
                continue
            changed = text[:i] + replacement + text[i + 1 :]
            try:
                opened = decode(changed, desk, office_code=OFFICE)
            except PayloadError:
                refused += 1
                continue
            assert opened.application == app, f"position {i}: a changed text decoded to other data"
            harmless += 1  # e.g. a ":" typed as "+" where the layout fix-up restores it
    return refused, harmless


def test_every_single_character_change_is_refused_or_harmless(office: Office) -> None:
    rng = random.Random(5)

    def two(i: int, char: str) -> list[str]:
        following = BASE45[(BASE45.find(char) + 1) % 45]
        return [following, rng.choice(BASE45 + "(~\"'#é")]

    refused, harmless = _change_each_position(office, small_application(new_slip_id()), two)
    assert harmless <= refused / 100


@pytest.mark.slow
def test_every_single_character_change_exhaustively(office: Office) -> None:
    """Every position of a large slip times every character a scanner can type: ~50,000 scans."""
    every = BASE45 + "(~\"'"
    refused, harmless = _change_each_position(
        office, large_application(new_slip_id()), lambda i, char: every
    )
    assert harmless <= refused / 100


def test_every_truncation_is_refused(office: Office, slip: str) -> None:
    desk = office.desk_keys()
    for end in range(len(slip)):
        with pytest.raises(PayloadError):
            decode(slip[:end], desk, office_code=OFFICE)


def test_random_junk_only_raises_payload_errors(office: Office) -> None:
    desk = office.desk_keys()
    rng = random.Random(1)
    samples: list[str] = []
    for n in (0, 1, 5, 40, 400, 2000):
        samples.append(bytes(rng.randrange(256) for _ in range(n)).decode("latin-1"))
        samples.append(PREFIX + "".join(rng.choice(BASE45) for _ in range(n)))
        samples.append("".join(chr(rng.randrange(1, 0x30000)) for _ in range(n)))
    samples += [PREFIX, "KS", "KS1", "KS1-" + "\x00", "\ud800", "KS1-:::", PREFIX + "A" * 9999]
    for junk in samples:
        with pytest.raises(PayloadError):
            decode(junk, desk, office_code=OFFICE)


def test_not_ours_is_refused_without_parsing(office: Office) -> None:
    others = ("https://www.city.example.lg.jp/", "HC1:6BFOXN*TS0BI$ZD4N9", "", "4901234567894")
    for other in (*others, "X" * 100_000):
        with pytest.raises(NotOursError) as caught:
            decode(other, office.desk_keys(), office_code=OFFICE)
        assert caught.value.code == "not_ours"


def test_my_number_card_qr_is_refused_unread(office: Office) -> None:
    with pytest.raises(LooksLikeMyNumberCardError) as caught:
        decode("123456789018\r\n", office.desk_keys(), office_code=OFFICE)
    assert isinstance(caught.value, NotOursError)
    assert caught.value.code == "looks_like_my_number_card"
    assert "123456789018" not in str(caught.value)
    assert "1234" not in repr(caught.value.args)


def test_unsupported_version(office: Office, slip: str) -> None:
    with pytest.raises(UnsupportedVersionError):
        decode("KS9-" + slip[len(PREFIX) :], office.desk_keys(), office_code=OFFICE)


def test_header_version_byte_must_match_the_prefix(office: Office, slip: str) -> None:
    # The first Base45 triple holds the version byte and the first office code byte.
    first = BASE45.index(slip[4]) + 45 * BASE45.index(slip[5]) + 2025 * BASE45.index(slip[6])
    second = first + 256  # version 2 in the high byte
    triple = "".join(BASE45[(second // 45**k) % 45] for k in range(3))
    with pytest.raises(DamagedError):
        decode(PREFIX + triple + slip[7:], office.desk_keys(), office_code=OFFICE)


def test_unknown_kiosk(office: Office, slip: str) -> None:
    stranger = Office.make(seed=2).kiosk
    with pytest.raises(UnknownKioskError):
        decode(slip, office.desk_keys(stranger), office_code=OFFICE)


def test_kiosk_key_differs_from_the_registered_one(office: Office, slip: str) -> None:
    registered = TrustedKiosk(
        key_id=office.kiosk.key_id,
        kiosk_id="K01",
        office_code=OFFICE,
        public_key=Ed25519PrivateKey.generate().public_key(),
    )
    with pytest.raises(BadSignatureError):
        decode(slip, office.desk_keys(registered), office_code=OFFICE)


def test_forged_slip_naming_a_trusted_kiosk(office: Office) -> None:
    """Someone with the counter's public key seals a slip under a trusted kiosk's key id."""
    forger = Office.make(seed=3)
    keys = forger.kiosk_keys(office.counter)
    object.__setattr__(keys, "kiosk", office.kiosk)  # a forger's encoder skips our checks
    text = encode(small_application(new_slip_id()), keys)
    with pytest.raises(BadSignatureError):
        decode(text, office.desk_keys(), office_code=OFFICE)


def test_kiosk_id_must_match_its_key(office: Office) -> None:
    relabelled = TrustedKiosk.of(office.signing.public_key(), kiosk_id="K09", office_code=OFFICE)
    slip = encode(small_application(new_slip_id()), office.kiosk_keys())
    with pytest.raises(UnknownKioskError):
        decode(slip, office.desk_keys(relabelled), office_code=OFFICE)


def test_sealed_for_another_counter(office: Office) -> None:
    other_counter = Office.make(seed=4).counter
    text = encode(small_application(new_slip_id()), office.kiosk_keys(other_counter))
    with pytest.raises(NotForThisCounterError) as caught:
        decode(text, office.desk_keys(), office_code=OFFICE)
    assert caught.value.code == "not_for_this_counter"


def test_slip_of_another_office(office: Office) -> None:
    neighbour = Office.make(seed=5, office_code=OTHER_OFFICE)
    app = small_application(new_slip_id())
    app = Application(
        office_code=OTHER_OFFICE,
        kiosk_id=app.kiosk_id,
        issued_at=app.issued_at,
        ticket=app.ticket,
        procedures=app.procedures,
        slip_id=app.slip_id,
    )
    text = encode(app, neighbour.kiosk_keys())
    with pytest.raises(WrongOfficeError):
        decode(text, office.desk_keys(), office_code=OFFICE)
    # A desk that shares the counter key but serves another office refuses it after opening.
    with pytest.raises(WrongOfficeError):
        decode(text, neighbour.desk_keys(), office_code=OFFICE)
    assert decode(text, neighbour.desk_keys(), office_code=OTHER_OFFICE).application == app


def test_errors_speak_both_languages() -> None:
    error = NotForThisCounterError("sealed for counter key 0011")
    assert "この控えはこの窓口用ではありません" in str(error)
    assert "sealed for another counter" in str(error)
    assert error.message("en").endswith("(sealed for counter key 0011)")
    assert error.message("ja").startswith("この控え")


def test_every_payload_error_has_code_both_texts_and_detail() -> None:
    """The desk words these by `code`, `message_ja`, `message_en` and `detail` alone."""
    classes = [c for c in vars(errors).values()
               if isinstance(c, type) and issubclass(c, PrintoutError)]
    assert len(classes) == 18  # PrintoutError and the payload's 17
    for cls in classes:
        error = cls("which thing")
        assert isinstance(error, BilingualError), cls
        assert error.code and error.message_ja and error.message_en.isascii(), cls
        assert error.detail == "which thing"
        assert error.message("en") == f"{error.message_en} (which thing)"


# --- boundaries ---------------------------------------------------------------------------------


def test_printouts_imports_nothing_of_the_application() -> None:
    probe = (
        "import sys, printouts.payload; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'kiosk', 'drivers', 'kivy'}))"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=root
    )
    assert out.stdout.strip() == "[]"


def test_budget_constant_is_what_qr_version_25_m_holds() -> None:
    assert _qr_version("A" * QR_V25_M_CHARS) == 25
    assert _qr_version("A" * (QR_V25_M_CHARS + 1)) == 26
