"""Slip payload format 2: answers by the form definitions both ends hold, never misread.

Round trips of every shipped form, groups and flags; format 1 still read; a desk whose form
definition differs refuses naming the form; hostile content is `damaged`, never a crash; the
test vector of docs/slip-format.md ("Format 2") byte for byte.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import random
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cbor2
import pytest
import qrcode
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from qrcode.constants import ERROR_CORRECT_M

from common.flags import card_value_mark
from forms.loader import Library, load_library
from forms.model import Form
from printouts.payload import (
    JST,
    Application,
    CounterKey,
    DamagedError,
    DeskKeys,
    FormDefinitionDiffersError,
    InvalidApplicationError,
    JsonValue,
    KioskKeys,
    MyNumberInAnswersError,
    PayloadError,
    ProcedureEntry,
    TrustedKiosk,
    TrustList,
    decode,
    encode,
    form_digest,
    jtext,
    new_slip_id,
    text,
)
from printouts.payload.content2 import CODING_CBOR, CODING_DEFLATE, pack_2, to_cbor_2
from printouts.payload.dictionary2 import preset_dictionary_2
from printouts.payload.envelope import Header
from printouts.payload.schema import canonical_definition, index_form
from printouts.payload.seal import seal
from printouts.samples import sample_answers, sample_flags
from tests.printouts.test_payload import OFFICE, US_ON_JIS, Office
from tests.support.examples import large_application, medium_application, small_application

DOC = Path(__file__).resolve().parents[2] / "docs" / "slip-format.md"
ISSUED = dt.datetime(2026, 11, 23, 10, 0, tzinfo=JST)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="module")
def office() -> Office:
    return Office.make(seed=1)


def _qr_version(text_: str) -> int:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
    code.add_data(text_)
    code.make(fit=True)
    return int(code.version)


def _sample(form: Form, **extra: Any) -> Application:
    answers = sample_answers(form, ISSUED.date())
    return Application(office_code=OFFICE, kiosk_id="K01", issued_at=ISSUED, ticket="A-123",
                       procedures=[ProcedureEntry(form.id, form.version, answers,
                                                  sample_flags(form))], **extra)


def _round_trip(app: Application, office: Office, forms: Any, max_chars: int = 1451
                ) -> Application:
    code = encode(app, office.kiosk_keys(), forms=forms, max_chars=max_chars)
    assert code.startswith("KS2-")
    return decode(code, office.desk_keys(), office_code=OFFICE, forms=forms).application


# --- round trips ------------------------------------------------------------------------------


def test_every_shipped_form_round_trips_with_maximal_answers(
    library: Library, office: Office
) -> None:
    for form_id in sorted(library.forms):
        app = _sample(library.get(form_id))
        assert _round_trip(app, office, library.form_version) == app, form_id
        format_1 = encode(app, office.kiosk_keys())
        assert len(encode(app, office.kiosk_keys(), forms=library.form_version)) < 0.75 * len(format_1)


def test_all_shipped_forms_on_one_code_with_a_route(library: Library, office: Office) -> None:
    forms = {form_id: library.get(form_id) for form_id in library.forms}
    procedures = [_sample(form).procedures[0] for form in forms.values()]
    app = Application(office_code=OFFICE, kiosk_id="K01", issued_at=ISSUED, ticket="FAM-7",
                      procedures=procedures, counter="insurance",
                      route=("resident", "insurance", "welfare_desk"))
    assert _round_trip(app, office, forms, max_chars=4296) == app


@pytest.mark.parametrize("make", [small_application, medium_application, large_application])
def test_the_size_yardsticks_round_trip(
    library: Library, office: Office, make: Callable[[bytes], Application]
) -> None:
    app = make(new_slip_id())
    assert _round_trip(app, office, library.form_version) == app


def test_a_juminhyo_request_fits_qr_version_10_at_level_m(library: Library, office: Office) -> None:
    code = encode(small_application(new_slip_id()), office.kiosk_keys(), forms=library.form_version)
    assert len(code) <= 311
    assert _qr_version(code) <= 10


def test_answers_that_do_not_fit_their_field_travel_as_they_are(
    library: Library, office: Office
) -> None:
    """A value the definition does not offer is carried under its own key, never squeezed."""
    form = library.get("tennyu")
    answers: dict[str, JsonValue] = {
        "applicant": "robot",  # not one of the form's applicants
        "applicant_name": 12,  # not text
        "applicant_birth_date": "1980/04/01",  # not ISO
        "moved_on": "20250328",  # ISO basic: fromisoformat reads it, it is not written so
        "new_postal_code": "9990123",  # no hyphen: text, not a number
        "moveout_method": None,
        "has_card": "yes",  # not a bool
        "no_such_question": {"deep": [1, "two", None, True]},
        "members": [{"name": "見本 太郎", "sex": "unknown", "extra": [1]}, {}],
        "household_kind": ["new_household"],  # a list for a single choice
    }
    app = Application(office_code=OFFICE, kiosk_id="K01", issued_at=ISSUED, ticket="A-1",
                      procedures=[ProcedureEntry(form.id, form.version, answers)])
    assert _round_trip(app, office, library.form_version) == app


def test_groups_and_flags_round_trip(library: Library, office: Office) -> None:
    form = library.get("tennyu")
    answers = sample_answers(form, ISSUED.date())
    flags = {
        "applicant_name": ["from_card"],
        "applicant_birth_date": ["corrected", card_value_mark(dt.date(1980, 4, 2))],
        "members[0].name": ["corrected", card_value_mark("見本 太郎")],
        "members[0].sex": ["sex_not_known", card_value_mark("female")],
        "members[1]": ["manual"],
        "members[12].birth_date": ["warning", "a_code_from_a_later_build"],
        "members[01].name": ["from_card"],  # not how a path is written: kept as text
        "nowhere": ["invalid"],
        "new_address": [card_value_mark({"not": "an address"}), "card_value:{broken"],
        "previous_address": [],
    }
    app = Application(office_code=OFFICE, kiosk_id="K01", issued_at=ISSUED, ticket="A-1",
                      procedures=[ProcedureEntry(form.id, form.version, answers, flags)])
    assert _round_trip(app, office, library.form_version) == app


def test_text_of_every_script_round_trips() -> None:
    rng = random.Random(7)
    alphabet = ("abcXYZ019 -!~\t\n\x00" + "".join(w for w in jtext.WINDOWS)
                + "霞關髙𠮷🙂\ufeffｱｲ\u3000")
    for _ in range(2000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        packed = jtext.pack(value)
        assert jtext.unpack(packed) == value
        assert len(packed) <= 2 + len(value.encode("utf-16-be")) + len(value) // 2 + 2
    long = "霞" * 600  # longer than one run
    assert jtext.unpack(jtext.pack(long)) == long


def test_japanese_text_packs_to_about_a_byte_a_character() -> None:
    assert len(jtext.pack("みほん市中央一丁目1番1号")) == 15  # UTF-8: 35 bytes
    assert len(jtext.pack("ミホン　タロウ")) == 8  # UTF-8: 21 bytes


def test_positions_are_the_walk_order_of_all_fields(library: Library) -> None:
    for form_id in library.forms:
        form = library.get(form_id)
        assert list(index_form(form).fields) == form.all_fields()


# --- format 1 still read ---------------------------------------------------------------------


def test_format_1_slips_still_decode(library: Library, office: Office) -> None:
    app = large_application(new_slip_id())
    code = encode(app, office.kiosk_keys())
    assert code.startswith("KS1-")
    no_forms: dict[str, Form] = {}
    for forms in (None, library.form_version, no_forms):
        assert decode(code, office.desk_keys(), office_code=OFFICE, forms=forms).application == app


# --- a desk whose definition differs ------------------------------------------------------------


def _changed(form: Form) -> Form:
    first = form.fields[1]
    label = first.label.model_copy(update={"ja": first.label.ja + "（新）"})
    fields = [form.fields[0], first.model_copy(update={"label": label}), *form.fields[2:]]
    return form.model_copy(update={"fields": fields})


@pytest.mark.parametrize(
    ("desk_form", "says_en", "says_ja"),
    [
        (_changed, "same version, different definition", "定義が違います"),
        (lambda f: f.model_copy(update={"version": 2}), "has version 2", "版 2"),
        (lambda f: None, "does not have it", "ありません"),
    ],
)
def test_a_desk_with_another_definition_refuses_naming_the_form(
    library: Library, office: Office, desk_form: Callable[[Form], Form | None], says_en: str,
    says_ja: str,
) -> None:
    form = library.get("juminhyo")
    app = _sample(form)
    code = encode(app, office.kiosk_keys(), forms=library.form_version)
    desk = {f.id: f for f in [desk_form(form)] if f is not None}
    with pytest.raises(FormDefinitionDiffersError) as caught:
        decode(code, office.desk_keys(), office_code=OFFICE, forms=desk)
    error = caught.value
    assert error.code == "form_definition_differs"
    assert (error.form_id, error.form_version) == ("juminhyo", 1)
    assert "juminhyo" in error.message("ja") and "版 1" in error.message("ja")
    assert says_ja in error.message("ja")
    assert "'juminhyo' version 1" in error.message("en") and says_en in error.message("en")
    assert "見本" not in str(error)


def test_a_slip_of_an_older_version_decodes_against_the_retired_one(
    library: Library, office: Office
) -> None:
    """児童手当 v2 is current; a v1 slip reads with the v1 kept in retired/, digest checked, and
    a source holding only the current form (the kiosk's) is never given the wrong version."""
    old = library.form_version("jidou_teate", 1)
    assert old is not None and library.get("jidou_teate").version == 2
    app = _sample(old)
    code = encode(app, office.kiosk_keys(), forms={"jidou_teate": old})
    assert decode(code, office.desk_keys(), office_code=OFFICE,
                  forms=library.form_version).application == app
    with pytest.raises(FormDefinitionDiffersError) as caught:
        decode(code, office.desk_keys(), office_code=OFFICE,
               forms={"jidou_teate": library.get("jidou_teate")})
    assert caught.value.desk_version == 2
    with pytest.raises(InvalidApplicationError, match="jidou_teate version 1"):
        encode(app, office.kiosk_keys(), forms={"jidou_teate": library.get("jidou_teate")})


def test_a_desk_without_forms_refuses_format_2(library: Library, office: Office) -> None:
    code = encode(_sample(library.get("kokuho")), office.kiosk_keys(), forms=library.form_version)
    with pytest.raises(FormDefinitionDiffersError, match="kokuho"):
        decode(code, office.desk_keys(), office_code=OFFICE)


def test_one_differing_procedure_refuses_the_whole_code(library: Library, office: Office) -> None:
    forms = {"juminhyo": library.get("juminhyo"), "kokuho": library.get("kokuho")}
    app = Application(office_code=OFFICE, kiosk_id="K01", issued_at=ISSUED, ticket="A-1",
                      procedures=[_sample(f).procedures[0] for f in forms.values()])
    code = encode(app, office.kiosk_keys(), forms=forms)
    desk = {**forms, "kokuho": _changed(forms["kokuho"])}
    with pytest.raises(FormDefinitionDiffersError, match="kokuho"):
        decode(code, office.desk_keys(), office_code=OFFICE, forms=desk)


def test_the_digest_covers_every_part_of_the_definition(library: Library) -> None:
    form = library.get("juminhyo")
    assert form_digest(form) == hashlib.sha256(canonical_definition(form)).digest()[:4]
    assert form_digest(_changed(form)) != form_digest(form)
    assert form_digest(form.model_copy(update={"counter": "tax"})) != form_digest(form)


# --- the kiosk's refusals ---------------------------------------------------------------------


def test_a_form_the_kiosk_was_not_given_is_refused(library: Library, office: Office) -> None:
    app = _sample(library.get("juminhyo"))
    with pytest.raises(InvalidApplicationError, match="juminhyo version 1"):
        encode(app, office.kiosk_keys(), forms={"kokuho": library.get("kokuho")})


def test_a_counter_only_field_is_refused_without_being_listed(
    library: Library, office: Office
) -> None:
    form = next(library.get(i) for i in sorted(library.forms) if library.get(i).counter_only_ids())
    app = _sample(form)
    field_id = form.counter_only_ids()[0]
    answers = {**app.procedures[0].answers, field_id: ""}
    entry = ProcedureEntry(form.id, form.version, answers)
    bad = Application(office_code=OFFICE, kiosk_id="K01", issued_at=ISSUED, ticket="A-1",
                      procedures=[entry])
    with pytest.raises(MyNumberInAnswersError):
        encode(bad, office.kiosk_keys(), forms=library.form_version)


# --- hostile content ----------------------------------------------------------------------------


def _forged(office: Office, top: object, *, coding: int = CODING_CBOR, raw: bytes | None = None
            ) -> str:
    """A format 2 code holding any content, properly signed and sealed: what a kiosk with a
    bug, or a stolen kiosk key, could print. The desk must refuse it as `damaged`."""
    keys = office.kiosk_keys()
    body = raw if raw is not None else cbor2.dumps(top)
    content = bytes(12) + body
    header = Header.build(2, OFFICE, keys.counter.key_id, keys.kiosk.key_id, coding=coding)
    sealed = seal(keys.signing_key.sign(header.signed(content)) + content,
                  keys.counter.public_key, info=header.seal_info,
                  ephemeral=X25519PrivateKey.generate())
    return text.to_text(header.raw + sealed, 2)


def _good_top(library: Library) -> list[Any]:
    form = library.get("juminhyo")
    return cbor2.loads(to_cbor_2(_sample(form), library.form_version))  # type: ignore[no-any-return]


def test_the_forger_helper_makes_codes_the_desk_accepts(library: Library, office: Office) -> None:
    code = _forged(office, _good_top(library))
    assert decode(code, office.desk_keys(), office_code=OFFICE, forms=library.form_version)


HOSTILE: dict[str, Callable[[list[Any]], Any]] = {
    "not an array": lambda t: {"a": 1},
    "four elements": lambda t: [*t, 0],
    "no procedures": lambda t: [t[0], t[1], []],
    "procedure of three": lambda t: [t[0], t[1], [t[2][0][:3]]],
    "form index out of range": lambda t: [t[0], t[1], [[999, *t[2][0][1:]]]],
    "form id not text": lambda t: [t[0], t[1], [[1.5, *t[2][0][1:]]]],
    "version negative": lambda t: [t[0], t[1], [[t[2][0][0], -1, *t[2][0][2:]]]],
    "digest too short": lambda t: [t[0], t[1], [[*t[2][0][:2], b"\x01", *t[2][0][3:]]]],
    "answers not a map": lambda t: _answers(t, [1, 2]),
    "position out of range": lambda t: _answers(t, {10**6: 1}),
    "position of a section": lambda t: _answers(t, {5: "x"}),
    "negative position": lambda t: _answers(t, {-1: 0}),
    "choice index out of range": lambda t: _answers(t, {11: 7}),
    "choice index negative": lambda t: _answers(t, {11: -1}),
    "choice as text": lambda t: _answers(t, {11: "household"}),
    "multi choice not a list": lambda t: _answers(t, {13: 0}),
    "huge multi choice": lambda t: _answers(t, {13: [0] * 1500 + [99]}),
    "choice as a bool": lambda t: _answers(t, {0: True}),
    "date as text": lambda t: _answers(t, {3: "1980-04-01"}),
    "date far out": lambda t: _answers(t, {3: 10**12}),
    "number as a bool": lambda t: _answers(t, {14: True}),
    "number past 64 bits": lambda t: _answers(t, {14: 2**70}),
    "text as a number": lambda t: _answers(t, {1: 5}),
    "packed text with a bad byte": lambda t: _answers(t, {1: b"\x00"}),
    "packed text cut in a quote": lambda t: _answers(t, {1: b"\x04\x30"}),
    "packed text with a lone surrogate": lambda t: _answers(t, {1: b"\x04\xd8\x00"}),
    "packed run longer than the bytes": lambda t: _answers(t, {1: b"\x05\x09\x30\x42"}),
    "a key that is a list": lambda t: _answers(t, {(1, 2): 0}),
    "the same answer twice": lambda t: _answers(t, {1: "a", "applicant_name": "b"}),
    "a float answer": lambda t: _answers(t, {"x": 1.5}),
    "bytes answer under a text key": lambda t: _answers(t, {"x": b"\x01"}),
    "deep nesting": lambda t: _answers(t, {"x": _deep(40)}),
    "flags odd": lambda t: _flags(t, [1]),
    "flags empty array": lambda t: _flags(t, []),
    "flag path out of range": lambda t: _flags(t, [999, 0]),
    "flag path index without group": lambda t: _flags(t, [[1, 0, 2], 0]),
    "flag path negative": lambda t: _flags(t, [[-1], 0]),
    "flag mark out of range": lambda t: _flags(t, [1, 99]),
    "flag mark empty text": lambda t: _flags(t, [1, [""]]),
    "flag card value of a wrong type": lambda t: _flags(t, [3, [["1980"]]]),
    "flag path twice": lambda t: _flags(t, [1, 0, "applicant_name", 0]),
    "counter without route": lambda t: [*t, 0],
    "counter out of route": lambda t: [*t, 2, 0],
    "counter index not an int": lambda t: [*t, "0", 0],
    "route id not an id": lambda t: [*t, 0, "Not An Id"],
    "route index out of range": lambda t: [*t, 0, 77],
    "issued_at text": lambda t: ["now", *t[1:]],
    "ticket lower case": lambda t: [t[0], "a-1", *t[2:]],
}


def _deep(n: int) -> Any:
    return [_deep(n - 1)] if n else 0


def _answers(top: list[Any], answers: Any) -> list[Any]:
    procedure = [*top[2][0][:3], answers]
    return [top[0], top[1], [procedure]]


def _flags(top: list[Any], flags: Any) -> list[Any]:
    procedure = [*top[2][0][:4], flags]
    return [top[0], top[1], [procedure]]


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_content_is_damaged(library: Library, office: Office, name: str) -> None:
    code = _forged(office, HOSTILE[name](_good_top(library)))
    with pytest.raises(DamagedError):
        decode(code, office.desk_keys(), office_code=OFFICE, forms=library.form_version)


@pytest.mark.parametrize(
    ("coding", "raw"),
    [(CODING_DEFLATE, b"\xff\xff"), (CODING_DEFLATE, b""), (CODING_CBOR, b""), (CODING_CBOR, b"\xff"),
     (5, b"\x80"), (CODING_CBOR, b"\x9b" + b"\xff" * 8), (CODING_CBOR, b"\x81" * 3000)],
)
def test_broken_bodies_are_damaged(office: Office, library: Library, coding: int,
                                   raw: bytes) -> None:
    code = _forged(office, None, coding=coding, raw=raw)
    with pytest.raises(DamagedError):
        decode(code, office.desk_keys(), office_code=OFFICE, forms=library.form_version)


def test_random_mutations_of_the_content_only_raise_payload_errors(
    library: Library, office: Office
) -> None:
    rng = random.Random(11)
    good = to_cbor_2(_sample(library.get("tennyu")), library.form_version)
    desk = office.desk_keys()
    for _ in range(150):
        bad = bytearray(good)
        for _ in range(rng.randrange(1, 4)):
            bad[rng.randrange(len(bad))] = rng.randrange(256)
        with contextlib.suppress(PayloadError):  # anything else fails the test
            decode(_forged(office, None, raw=bytes(bad)), desk, office_code=OFFICE,
                   forms=library.form_version)


def test_every_single_character_change_is_refused_or_harmless(
    library: Library, office: Office
) -> None:
    app = small_application(new_slip_id())
    code = encode(app, office.kiosk_keys(), forms=library.form_version)
    rng = random.Random(3)
    for _ in range(200):
        i = rng.randrange(4, len(code))
        changed = code[:i] + rng.choice("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:") + code[i + 1:]
        try:
            opened = decode(changed, office.desk_keys(), office_code=OFFICE, forms=library.form_version)
        except PayloadError:
            continue
        assert opened.application == app


def test_a_mangled_scan_still_decodes(library: Library, office: Office) -> None:
    app = medium_application(new_slip_id())
    code = encode(app, office.kiosk_keys(), forms=library.form_version)
    typed = code.translate(US_ON_JIS).lower()
    assert decode(typed, office.desk_keys(), office_code=OFFICE, forms=library.form_version).application == app


# --- the test vector (docs/slip-format.md, "Format 2", "Test vector") ---------------------------

VECTOR_FORM: dict[str, Any] = {
    "id": "juminhyo",
    "version": 1,
    "title": {"ja": "住民票の写し交付申請書", "ja_kana": "じゅうみんひょうのうつしこうふしんせいしょ"},
    "category": "certificate",
    "counter": "resident",
    "applicants": [{"kind": "self", "label": "本人"}, {"kind": "agent", "label": "代理人"}],
    "fields": [
        {"id": "applicant", "type": "applicant", "label": "窓口に来た人"},
        {"id": "applicant_name", "type": "text", "label": "氏名", "bind": "card.name"},
        {"id": "applicant_address", "type": "address", "label": "住所", "bind": "card.address"},
        {"id": "applicant_birth_date", "type": "date", "label": "生年月日"},
        {"id": "scope", "type": "choice", "label": "必要な人", "choices": [
            {"value": "household", "label": "世帯全員"}, {"value": "some", "label": "一部の人"}]},
        {"id": "people", "type": "group", "label": "必要な人", "fields": [
            {"id": "name", "type": "text", "label": "氏名"},
            {"id": "birth_date", "type": "date", "label": "生年月日"}]},
        {"id": "copies", "type": "copies", "label": "通数"},
    ],
}
KIOSK_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
COUNTER_PRIVATE = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"
EPHEMERAL_PRIVATE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"
DIGEST = "0b2b311a"
CBOR = (
    "861a67eb338865412d30323381850001440b2b311aa700000145f1ab20d9da024f01bebad20395a5a68090"
    "913192319403391c2d04010581a20645f1ab20dcd8073918ac0802860100028201814d01bebad20395a5a6"
    "80909131928305000603000003"
)
CONTENT = (
    "000102030405060708090a0b6b934a7f6ddc91eaa86b6064dcd8cac0e8c2ad6d28b59c8181d1f5e36a859b"
    "b798fc19f7edbac43c75e9b28609130d27194e61b694d16561646d5cc4065270e706bba5c41a0ea6364606a"
    "626c6465f14c5cdac0c6ccc0c0ccc00"
)
HEADER = "12999997f35e561621fe31df"
SIGNATURE = (
    "779d45d622f68b9209ec617865cfecb775df34f4886d5024b0cc46e1da393a19"
    "e5b3d939a7da145e81e3f29833ad1cef78fc01e6ce23f0cfcfcb5b87f35ca300"
)
TEXT = (
    "KS2- F2YIJMYUX*AHD4WD6F$GOFUKFH-6L0XE0-FHZM7CV9X1BF7J$4FI3OZTQJLPPL4-9CJ30YH4E5JIT914V5KWK"
    "P6OI-7DZ8LX%LKJKBJE$Q1F+PVTEQ$OLXA7-U+.DL8TWNCRZOZ1U+RL/DW/ROG4QLJKVBRL SP.OZH9LXGI2UJRR9Q5"
    "7-ANKKV0A-0V8GH%70Z3W$P7EDR$ NELPH.TJ14ALI4%1M7PD%785PEPL 8DV$GY968R9 64:/2FEHZS0TDJBKT2UEJ"
    "UAI ASZDJ*N3KSGWMYV490WSX2*:LHFQZHUW.S*ZGM29KO3.3T7:CH.OMPSM5P18D/NTC$2"
)
DICTIONARY_2_SHA256 = "4305c33902a3c8713e1a8feeea1990616c7a08046e242e8ea6aaea03a241311f"
WINDOWS_SHA256 = "cbb0ed22d67b5a80d6dbc950dba53e22df27bc610516a26b6b4b9e1340d9fa95"


def _vector_form() -> Form:
    return Form.model_validate(VECTOR_FORM)


def _vector_application() -> Application:
    return Application(
        office_code="999997",
        kiosk_id="K01",
        issued_at=dt.datetime(2025, 4, 1, 9, 30, 0, tzinfo=JST),
        ticket="A-023",
        slip_id=bytes.fromhex("000102030405060708090a0b"),
        counter="resident",
        route=("resident", "insurance"),
        procedures=(
            ProcedureEntry(
                form_id="juminhyo",
                form_version=1,
                answers={
                    "applicant": "self",
                    "applicant_name": "見本 太郎",
                    "applicant_address": "みほん市中央一丁目1番1号",
                    "applicant_birth_date": "1980-04-01",
                    "scope": "some",
                    "people": [{"name": "見本 花子", "birth_date": "1982-09-15"}],
                    "copies": 2,
                },
                flags={
                    "applicant_name": ["from_card"],
                    "applicant_address": ["corrected", card_value_mark("みほん市中央一丁目1番")],
                    "people[0].name": ["manual"],
                },
            ),
        ),
    )


def _vector_keys() -> tuple[KioskKeys, DeskKeys]:
    signing = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(KIOSK_SEED))
    sealing = X25519PrivateKey.from_private_bytes(bytes.fromhex(COUNTER_PRIVATE))
    kiosk = TrustedKiosk.of(signing.public_key(), kiosk_id="K01", office_code="999997")
    counter = CounterKey.of(sealing.public_key(), office_code="999997")
    desk = DeskKeys.of([sealing], TrustList(kiosks=(kiosk,), counters=(counter,)))
    return KioskKeys(signing_key=signing, kiosk=kiosk, counter=counter), desk


def test_vector_stages() -> None:
    kiosk, _ = _vector_keys()
    form = _vector_form()
    assert form_digest(form).hex() == DIGEST
    forms = {"juminhyo": form}
    assert to_cbor_2(_vector_application(), forms).hex() == CBOR
    coding, content = pack_2(_vector_application(), forms)
    assert coding == CODING_DEFLATE  # 90 bytes deflated, 99 as CBOR
    assert content.hex() == CONTENT, (
        f"zlib {zlib.ZLIB_RUNTIME_VERSION} deflates differently; the code is still valid, "
        "but the vector's exact text cannot be reproduced with this zlib"
    )
    header = Header.build(2, "999997", kiosk.counter.key_id, kiosk.kiosk.key_id, coding=coding)
    assert header.raw.hex() == HEADER
    assert kiosk.signing_key.sign(header.signed(content)).hex() == SIGNATURE


def test_vector_exact_text_and_back() -> None:
    kiosk, desk = _vector_keys()
    ephemeral = X25519PrivateKey.from_private_bytes(bytes.fromhex(EPHEMERAL_PRIVATE))
    forms = {"juminhyo": _vector_form()}
    assert encode(_vector_application(), kiosk, forms=forms, ephemeral_key=ephemeral) == TEXT
    opened = decode(TEXT, desk, office_code="999997", forms=forms)
    assert opened.application == _vector_application()


def test_format_2_tables_are_pinned() -> None:
    # A changed window or dictionary byte changes what printed slips say: that is format 3.
    assert hashlib.sha256(preset_dictionary_2()).hexdigest() == DICTIONARY_2_SHA256
    windows = "".join(jtext.WINDOWS).encode("utf-8")
    assert hashlib.sha256(windows).hexdigest() == WINDOWS_SHA256


@pytest.mark.parametrize(
    "value",
    ["DIGEST", "CBOR", "CONTENT", "HEADER", "SIGNATURE", "DICTIONARY_2_SHA256", "WINDOWS_SHA256"],
)
def test_document_shows_the_same_bytes(value: str) -> None:
    assert globals()[value] in "".join(DOC.read_text(encoding="utf-8").split())


def test_document_shows_the_same_text() -> None:
    assert f"\n{TEXT}\n" in DOC.read_text(encoding="utf-8")
