"""Records at rest: a kiosk seals to the counter and signs; only a desk opens, and only what a
trusted kiosk signed for that very row. No database needed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from common.clock import JST
from common.mynumber import check_digit
from kiosk.application import Submission
from kiosk.store import sealing
from kiosk.store.errors import (
    DecryptError,
    InvalidValueError,
    KeyMismatchError,
    LegacyRecordError,
    MyNumberRefusedError,
    TamperedError,
)
from kiosk.store.sealing import (
    RecordMeta,
    RecordOpener,
    RecordSealer,
    refuse_my_number,
    slip_record,
    slip_record_codes,
)
from printouts.payload import (
    DeskKeys,
    KeysMissingError,
    KioskKeys,
    init_keys,
    load_desk_keys,
    load_kiosk_keys,
)
from printouts.payload.keys import COUNTER_KEY_FILE, KIOSK_KEY_FILE
from printouts.payload.trust import TRUST_FILE, CounterKey, TrustedKiosk
from tests.kiosk.store.conftest import START
from tests.kiosk.store.samples import HANAKO, MY_NUMBER, submission

OFFICE = "999997"  # the conftest's keys_dir office
SLIP = "0123456789abcdef01234567"
META = RecordMeta(SLIP, OFFICE, "K01", START, (("juminhyo", 3), ("inkan", 1)))
# Where the parts of a version 2 record sit (sealing.py's layout).
HEADER, SIGNATURE = 17, 64


def _flipped(blob: bytes, at: int) -> bytes:
    return blob[:at] + bytes([blob[at] ^ 0x01]) + blob[at + 1:]


def _tampered(opener: RecordOpener, blob: bytes, meta: RecordMeta) -> TamperedError:
    with pytest.raises(TamperedError) as caught:
        opener.open(blob, meta)
    assert caught.value.code == "tampered"
    assert HANAKO not in caught.value.message()
    return caught.value


# --- the round trip -------------------------------------------------------------------------


def test_a_sealed_record_opens_equal_at_the_desk(sealer: RecordSealer,
                                                 opener: RecordOpener) -> None:
    original = submission()
    blob = sealer.seal(original, META)
    opened = opener.open(blob, META)
    assert opened == original
    assert opened.procedures[0].values["birth_date"] == dt.date(1985, 4, 1)


def test_the_same_instant_in_another_zone_still_opens(sealer: RecordSealer,
                                                      opener: RecordOpener) -> None:
    """The database hands back UTC (or JST on another driver): the moment is what is signed."""
    blob = sealer.seal(submission(), META)
    in_japan = dataclasses.replace(META, created_at=START.astimezone(JST))
    assert opener.open(blob, in_japan) == submission()


def test_the_record_holds_no_plaintext_answer(sealer: RecordSealer) -> None:
    blob = sealer.seal(submission(), META)
    for text in (HANAKO, "ミホン ハナコ", "みほん市中央一丁目2番3号", "見本 太郎"):
        assert text.encode("utf-8") not in blob
    assert sealer.seal(submission(), META) != blob  # a fresh ephemeral key each time


def test_each_record_names_the_counter_key_it_is_sealed_to(sealer: RecordSealer,
                                                           kiosk_keys: KioskKeys) -> None:
    blob = sealer.seal(submission(), META)
    assert blob[0] == 2
    assert blob[1:9] == kiosk_keys.counter.key_id
    assert sealer.counter_key_id == kiosk_keys.counter.key_id.hex()
    assert blob[9:17] == kiosk_keys.kiosk.key_id


# --- a kiosk writes what it cannot read -----------------------------------------------------


def _role_folders(tmp_path: Path) -> tuple[Path, Path]:
    """The documented set-up: desk first, its trust.json to the kiosk, kiosk init, copy back."""
    desk, kiosk = tmp_path / "desk", tmp_path / "kiosk"
    init_keys(desk, kiosk_id="K01", office_code=OFFICE, role="desk")
    kiosk.mkdir(mode=0o700)
    shutil.copy(desk / TRUST_FILE, kiosk / TRUST_FILE)
    assert not init_keys(kiosk, kiosk_id="K01", office_code=OFFICE, role="kiosk").needs_counter_key
    shutil.copy(kiosk / TRUST_FILE, desk / TRUST_FILE)
    return desk, kiosk


def test_a_kiosk_holds_nothing_that_opens(tmp_path: Path) -> None:
    desk, kiosk = _role_folders(tmp_path)
    kiosk_only = RecordSealer(load_kiosk_keys(kiosk))
    public = {name for name in dir(kiosk_only) if not name.startswith("_")}
    assert public == {"keys", "seal", "counter_key_id"}
    held = [getattr(kiosk_only.keys, f.name) for f in dataclasses.fields(kiosk_only.keys)]
    assert not any(isinstance(part, X25519PrivateKey) for part in held)
    assert not list(kiosk.glob("counter-sealing*.pem"))
    with pytest.raises(KeysMissingError):
        load_desk_keys(kiosk)  # no opener can be made from what a kiosk holds
    blob = kiosk_only.seal(submission(), META)
    assert RecordOpener(load_desk_keys(desk)).open(blob, META) == submission()
    assert not (desk / KIOSK_KEY_FILE).exists()
    assert (desk / COUNTER_KEY_FILE).exists()


# --- tampered records -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("slip_id", "fedcba9876543210fedcba98"),  # the blob copied onto another row
        ("kiosk_id", "K02"),
        ("office_code", "131016"),
        ("created_at", START + dt.timedelta(microseconds=1)),
        ("forms", (("juminhyo", 3),)),
        ("forms", (("juminhyo", 4), ("inkan", 1))),
        ("forms", (("inkan", 1), ("juminhyo", 3))),
    ],
)
def test_a_record_does_not_open_against_another_row(
    sealer: RecordSealer, opener: RecordOpener, field: str, value: Any
) -> None:
    blob = sealer.seal(submission(), META)
    _tampered(opener, blob, dataclasses.replace(META, **{field: value}))


@pytest.mark.parametrize(
    "at",
    [
        pytest.param(1, id="header-counter-key-id"),
        pytest.param(8, id="header-counter-key-id-last"),
        pytest.param(9, id="header-kiosk-key-id"),
        pytest.param(HEADER - 1, id="header-kiosk-key-id-last"),
        pytest.param(HEADER, id="signature-first"),
        pytest.param(HEADER + SIGNATURE - 1, id="signature-last"),
        pytest.param(HEADER + SIGNATURE, id="hpke-enc"),
        pytest.param(HEADER + SIGNATURE + 40, id="ciphertext"),
        pytest.param(-1, id="ciphertext-tag"),
    ],
)
def test_a_flipped_byte_is_tampered(sealer: RecordSealer, opener: RecordOpener,
                                    at: int) -> None:
    blob = sealer.seal(submission(), META)
    _tampered(opener, _flipped(blob, at % len(blob)), META)


@pytest.mark.parametrize(
    "blob",
    [b"", b"\x02", b"\x82" + bytes(200), b"\x02" + bytes(100), b"\x00" + bytes(200)],
    ids=["empty", "header-only", "unknown-version", "too-short", "zero-version"],
)
def test_what_is_not_a_record_is_tampered(opener: RecordOpener, blob: bytes) -> None:
    _tampered(opener, blob, META)


def test_a_cut_record_is_tampered(sealer: RecordSealer, opener: RecordOpener) -> None:
    blob = sealer.seal(submission(), META)
    _tampered(opener, blob[:-1], META)
    _tampered(opener, blob + b"\x00", META)


def test_a_record_signed_by_a_key_not_in_trust_json_is_tampered(
    tmp_path: Path, keys_dir: Path, opener: RecordOpener
) -> None:
    """A key made on another machine, claiming the same kiosk and office, sealing to the real
    counter key: the desk's trust.json does not list it, so nothing of the record is shown."""
    rogue = tmp_path / "rogue"
    rogue.mkdir(mode=0o700)
    shutil.copy(keys_dir / TRUST_FILE, rogue / TRUST_FILE)
    init_keys(rogue, kiosk_id="K01", office_code=OFFICE, role="kiosk")
    rogue_keys = load_kiosk_keys(rogue)
    assert rogue_keys.kiosk.key_id not in {k.key_id for k in opener.keys.trust.kiosks}
    assert rogue_keys.counter == load_kiosk_keys(keys_dir).counter
    blob = RecordSealer(rogue_keys).seal(submission(), META)
    refused = _tampered(opener, blob, META)
    assert "not in trust.json" in refused.detail


def test_a_trusted_key_of_another_kiosk_cannot_write_as_this_one(
    tmp_path: Path, keys_dir: Path
) -> None:
    other = tmp_path / "k02"
    other.mkdir(mode=0o700)
    shutil.copy(keys_dir / TRUST_FILE, other / TRUST_FILE)
    init_keys(other, kiosk_id="K02", office_code=OFFICE, role="kiosk")
    shutil.copy(other / TRUST_FILE, keys_dir / TRUST_FILE)  # the desk trusts K02 too
    opener = RecordOpener(load_desk_keys(keys_dir))
    k02 = load_kiosk_keys(other)
    as_k02 = dataclasses.replace(META, kiosk_id="K02")
    assert opener.open(RecordSealer(k02).seal(submission(), as_k02), as_k02) == submission()
    with pytest.raises(InvalidValueError, match="K02's of office 999997"):
        RecordSealer(k02).seal(submission(), META)  # an honest kiosk writes as itself only
    # K02's key under a trust entry of its own making that calls it K01: the desk's list says
    # that key is K02's, so a row that says K01 is not believed.
    posing = TrustedKiosk.of(k02.signing_key.public_key(), kiosk_id="K01", office_code=OFFICE)
    forged = RecordSealer(dataclasses.replace(k02, kiosk=posing)).seal(submission(), META)
    _tampered(opener, forged, META)


# --- keys the desk does not hold, and records of earlier releases ----------------------------


def test_a_counter_key_the_desk_lacks_is_key_mismatch(kiosk_keys: KioskKeys,
                                                      opener: RecordOpener) -> None:
    """Not `tampered`: the kiosk is trusted and the record is whole, the desk misses a key."""
    unknown = CounterKey.of(X25519PrivateKey.generate().public_key(), office_code=OFFICE)
    blob = RecordSealer(dataclasses.replace(kiosk_keys, counter=unknown)).seal(submission(), META)
    with pytest.raises(KeyMismatchError) as caught:
        opener.open(blob, META)
    assert caught.value.code == "key_mismatch"
    assert unknown.key_id.hex() in caught.value.detail


def test_a_retired_counter_key_kept_under_another_name_still_opens(
    keys_dir: Path, sealer: RecordSealer, desk_keys: DeskKeys
) -> None:
    blob = sealer.seal(submission(), META)
    new = X25519PrivateKey.generate()
    rotated = DeskKeys.of([new], desk_keys.trust)
    with pytest.raises(KeyMismatchError):
        RecordOpener(rotated).open(blob, META)
    (keys_dir / COUNTER_KEY_FILE).rename(keys_dir / "counter-sealing-2025.pem")
    assert RecordOpener(load_desk_keys(keys_dir)).open(blob, META) == submission()


def test_a_version_1_record_is_legacy(opener: RecordOpener) -> None:
    with pytest.raises(LegacyRecordError) as caught:
        opener.open(b"\x01" + bytes(120), META)
    assert caught.value.code == "legacy_record"


# --- what is refused before sealing -----------------------------------------------------------


def _valid_my_number(first11: str) -> str:
    return first11 + str(check_digit(first11))


def test_a_my_number_in_an_answer_is_refused_before_sealing(
    sealer: RecordSealer, monkeypatch: pytest.MonkeyPatch
) -> None:
    sealed: list[object] = []

    def spy(*args: object, **kwargs: object) -> bytes:
        sealed.append(args)
        return b""

    monkeypatch.setattr(sealing, "seal", spy)
    number = _valid_my_number("98765432109")
    with pytest.raises(MyNumberRefusedError) as caught:
        sealer.seal(submission(note=f"番号 {number}"), META)
    assert caught.value.code == "my_number_refused"
    assert "payload.procedures[0].values.note" in str(caught.value)
    assert number not in str(caught.value) and number[-4:] not in str(caught.value)
    assert sealed == []


def test_a_naive_time_is_refused_without_its_value(sealer: RecordSealer) -> None:
    naive = submission(note=dt.datetime(2026, 1, 1, 9, 0))
    with pytest.raises(InvalidValueError) as caught:
        sealer.seal(naive, META)
    assert "2026" not in str(caught.value)


@pytest.mark.parametrize(
    "value",
    [
        MY_NUMBER,
        f"番号は{MY_NUMBER}です",
        "1234 5678 9018",
        "1234-5678-9018",
        "１２３４５６７８９０１８",  # full width, as a Japanese input method types it
        "1234ー5678ー9018",  # ー, on the kiosk's own kana keyboard
        "1234−5678−9018", "1234‐5678‐9018", "1234–5678–9018",
        "1234/5678/9018", "1234.5678.9018", "1234\n5678\n9018", "1234  5678  9018",
        int(MY_NUMBER),
        [1, {"deep": [MY_NUMBER]}],
        {MY_NUMBER: "as a key"},
    ],
)
def test_a_valid_my_number_is_refused_and_not_shown(value: object) -> None:
    with pytest.raises(MyNumberRefusedError) as caught:
        refuse_my_number({"procedures": [{"values": {"note": value}}]})
    assert caught.value.code == "my_number_refused"
    assert "payload.procedures[0].values.note" in str(caught.value)
    assert "9018" not in str(caught.value) and "９０１８" not in str(caught.value)


@pytest.mark.parametrize(
    "value",
    ["123456789012", "1234567890180", "12345678901", "電話 090-1234-5678", 123456789012],
)
def test_other_numbers_pass(value: object) -> None:
    refuse_my_number({"note": value})  # wrong check digit, 13 digits (法人番号), 11, a phone


# --- version 3: what a desk keeps of a slip ---------------------------------------------------


CODES = ["KSLIP1:first-code", "KSLIP1:second-code"]


def test_slip_record_codes_round_trip() -> None:
    blob = slip_record(CODES)
    assert blob[0] == 3
    assert slip_record_codes(blob) == CODES


@pytest.mark.parametrize(
    "blob", [b"\x02" + bytes(200), b"\x03\xff\xff", b"\x03" + b"\xa0", b"\x03\x82\x01\x02", b""],
    ids=["kiosk-record", "not-cbor", "a-map", "not-texts", "empty"],
)
def test_what_is_not_a_slip_record_is_refused(blob: bytes) -> None:
    with pytest.raises(DecryptError):
        slip_record_codes(blob)


def test_the_desk_opens_a_slip_record_through_its_codes(desk_keys: DeskKeys) -> None:
    seen: list[tuple[list[str], RecordMeta]] = []

    def open_codes(codes: Any, meta: RecordMeta) -> Submission:
        seen.append((list(codes), meta))
        return submission()

    assert RecordOpener(desk_keys, open_codes).open(slip_record(CODES), META) == submission()
    assert seen == [(CODES, META)]
    with pytest.raises(DecryptError):
        RecordOpener(desk_keys).open(slip_record(CODES), META)
