"""Key files on disk, the trust list, rotation and `kiosk keys init/show`."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import stat
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.cli import keys_cmd
from kiosk.config import KioskConfig, OfficeConfig
from kiosk.errors import KioskError
from printouts.payload import (
    KeyPermissionError,
    KeysMissingError,
    KeyStoreError,
    NotForThisCounterError,
    decode,
    encode,
    init_keys,
    key_id,
    load_desk_keys,
    load_kiosk_keys,
    new_slip_id,
)
from printouts.payload.keys import COUNTER_KEY_FILE, KIOSK_KEY_FILE, KioskKeys, Role
from printouts.payload.trust import TRUST_FILE, CounterKey, TrustedKiosk, TrustList, read_trust
from tests.support.examples import small_application

OFFICE = "999997"
posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def _ed25519(seed: int) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(seed.to_bytes(32, "big"))


def _x25519(seed: int) -> X25519PrivateKey:
    return X25519PrivateKey.from_private_bytes(seed.to_bytes(32, "big"))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_init_makes_both_pairs_and_the_trust_list(tmp_path: Path) -> None:
    keys_dir = tmp_path / "keys"
    result = init_keys(keys_dir, kiosk_id="K01", office_code=OFFICE)
    assert {p.name for p in result.created} == {KIOSK_KEY_FILE, COUNTER_KEY_FILE, TRUST_FILE}
    assert _mode(keys_dir / KIOSK_KEY_FILE) == 0o600
    assert _mode(keys_dir / COUNTER_KEY_FILE) == 0o600
    assert _mode(keys_dir) == 0o700
    trust = json.loads((keys_dir / TRUST_FILE).read_text(encoding="utf-8"))
    assert result.kiosk_key_id is not None and result.counter_key_id is not None
    assert trust["kiosks"][0]["key_id"] == result.kiosk_key_id.hex()
    assert trust["kiosks"][0]["kiosk_id"] == "K01"
    assert trust["counters"][0] == {
        "key_id": result.counter_key_id.hex(),
        "office_code": OFFICE,
        "x25519": trust["counters"][0]["x25519"],
        "current": True,
    }
    assert "PRIVATE" not in (keys_dir / TRUST_FILE).read_text(encoding="utf-8")


def test_loaded_keys_make_and_open_slips(tmp_path: Path) -> None:
    init_keys(tmp_path, kiosk_id="K01", office_code=OFFICE)
    kiosk, desk = load_kiosk_keys(tmp_path), load_desk_keys(tmp_path)
    app = small_application(new_slip_id())
    assert decode(encode(app, kiosk), desk, office_code=OFFICE).application == app


def test_init_never_overwrites(tmp_path: Path) -> None:
    first = init_keys(tmp_path, kiosk_id="K01", office_code=OFFICE)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    again = init_keys(tmp_path, kiosk_id="K01", office_code=OFFICE)
    assert again.created == ()
    assert (again.kiosk_key_id, again.counter_key_id) == (first.kiosk_key_id, first.counter_key_id)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_init_keeps_an_existing_key_and_lists_it(tmp_path: Path) -> None:
    existing = X25519PrivateKey.generate()
    pem = existing.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (tmp_path / COUNTER_KEY_FILE).write_bytes(pem)
    (tmp_path / COUNTER_KEY_FILE).chmod(0o600)
    result = init_keys(tmp_path, kiosk_id="K01", office_code=OFFICE)
    assert result.counter_key_id == key_id(existing.public_key())
    assert (tmp_path / COUNTER_KEY_FILE).read_bytes() == pem
    assert read_trust(tmp_path).current_counter(OFFICE) is not None


def test_init_refuses_to_relabel_a_listed_kiosk_key(tmp_path: Path) -> None:
    init_keys(tmp_path, kiosk_id="K01", office_code=OFFICE)
    with pytest.raises(KeyStoreError, match="listed for kiosk K01"):
        init_keys(tmp_path, kiosk_id="K02", office_code=OFFICE)


@posix_only
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o660, 0o604, 0o610, 0o601])
def test_private_key_readable_by_others_is_refused(tmp_path: Path, mode: int) -> None:
    """Any access for the group or others, not only world-readable: a kiosk's group may hold
    accounts that must not be able to sign slips or open them."""
    init_keys(tmp_path, kiosk_id="K01", office_code=OFFICE)
    (tmp_path / KIOSK_KEY_FILE).chmod(mode)
    with pytest.raises(KeyPermissionError) as caught:
        load_kiosk_keys(tmp_path)
    assert caught.value.code == "keys_unsafe_permissions"
    assert f"{mode:o}" in caught.value.detail
    (tmp_path / KIOSK_KEY_FILE).chmod(0o600)
    (tmp_path / COUNTER_KEY_FILE).chmod(mode)
    with pytest.raises(KeyPermissionError):
        load_desk_keys(tmp_path)


@posix_only
def test_owner_only_private_keys_load(tmp_path: Path) -> None:
    init_keys(tmp_path, kiosk_id="K01", office_code=OFFICE)
    (tmp_path / KIOSK_KEY_FILE).chmod(0o400)
    assert load_kiosk_keys(tmp_path).kiosk.kiosk_id == "K01"


def test_missing_keys(tmp_path: Path) -> None:
    with pytest.raises(KeysMissingError):
        load_kiosk_keys(tmp_path)
    with pytest.raises(KeysMissingError):
        load_desk_keys(tmp_path)


@pytest.mark.parametrize(
    "edit",
    [
        lambda doc: doc["kiosks"][0].update(key_id="00" * 8),
        lambda doc: doc["kiosks"][0].update(ed25519="zz"),
        lambda doc: doc.update(format="kiosk-slip-trust/9"),
        lambda doc: doc["counters"].append(dict(doc["counters"][0])),
        lambda doc: doc.update(extra=1),
    ],
)
def test_a_wrong_trust_list_is_refused(tmp_path: Path, edit: object) -> None:
    init_keys(tmp_path, kiosk_id="K01", office_code=OFFICE)
    path = tmp_path / TRUST_FILE
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert callable(edit)
    edit(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(KeyStoreError) as caught:
        load_desk_keys(tmp_path)
    assert str(path) in caught.value.detail


def _edited_trust(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    init_keys(tmp_path, kiosk_id="K01", office_code=OFFICE)
    path = tmp_path / TRUST_FILE
    doc = json.loads(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _second_kiosk_row_same_key(doc: dict[str, Any]) -> None:
    doc["kiosks"].append({**doc["kiosks"][0], "kiosk_id": "K02"})


def _second_counter_row_same_key_not_current(doc: dict[str, Any]) -> None:
    doc["counters"].append({**doc["counters"][0], "current": False})


@pytest.mark.parametrize(
    "edit", [_second_kiosk_row_same_key, _second_counter_row_same_key_not_current]
)
def test_a_key_id_listed_twice_is_refused(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    """One key under two names would let a slip claim either: the desk refuses the list."""
    path = _edited_trust(tmp_path, edit)
    with pytest.raises(KeyStoreError) as caught:
        load_desk_keys(tmp_path)
    assert caught.value.detail == f"{path}: a key id is listed twice"


def test_two_current_counter_keys_for_one_office_are_refused(tmp_path: Path) -> None:
    second = CounterKey.of(_x25519(7).public_key(), office_code=OFFICE)

    def add_current(doc: dict[str, Any]) -> None:
        doc["counters"].append(
            {"key_id": second.key_id.hex(), "office_code": OFFICE,
             "x25519": second.public_key.public_bytes_raw().hex(), "current": True}
        )

    path = _edited_trust(tmp_path, add_current)
    with pytest.raises(KeyStoreError) as caught:
        load_kiosk_keys(tmp_path)
    assert caught.value.detail == f"{path}: more than one current counter key for one office"


def test_kiosk_paired_with_another_offices_counter_key_is_refused() -> None:
    """A kiosk must seal to its own office's counter: another office's desk would hold the slip."""
    signing = _ed25519(1)
    kiosk = TrustedKiosk.of(signing.public_key(), kiosk_id="K01", office_code=OFFICE)
    neighbour = CounterKey.of(_x25519(2).public_key(), office_code="131016")
    with pytest.raises(KeyStoreError) as caught:
        KioskKeys(signing_key=signing, kiosk=kiosk, counter=neighbour)
    assert "is for office 131016, the kiosk is in 999997" in caught.value.detail
    own = CounterKey.of(_x25519(2).public_key(), office_code=OFFICE)
    assert KioskKeys(signing_key=signing, kiosk=kiosk, counter=own).counter == own


def test_not_a_key_file(tmp_path: Path) -> None:
    init_keys(tmp_path, kiosk_id="K01", office_code=OFFICE)
    (tmp_path / KIOSK_KEY_FILE).write_text("garbage", encoding="utf-8")
    with pytest.raises(KeyStoreError):
        load_kiosk_keys(tmp_path)


def test_counter_key_rotation(tmp_path: Path) -> None:
    """A new counter key is sealed to from now on; slips sealed to the old one still open."""
    init_keys(tmp_path, kiosk_id="K01", office_code=OFFICE)
    old_slip = encode(small_application(new_slip_id()), load_kiosk_keys(tmp_path))
    # Rotate: keep the old private key under another name, add the new one, mark it current.
    (tmp_path / COUNTER_KEY_FILE).rename(tmp_path / "counter-sealing-2025.pem")
    new = X25519PrivateKey.generate()
    fd = os.open(tmp_path / COUNTER_KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(
            new.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    trust = read_trust(tmp_path)
    retired = tuple(replace(c, current=False) for c in trust.counters)
    current = CounterKey.of(new.public_key(), office_code=OFFICE)
    rotated = TrustList(trust.kiosks, (*retired, current))
    (tmp_path / TRUST_FILE).write_text(rotated.to_json(), encoding="utf-8")

    kiosk, desk = load_kiosk_keys(tmp_path), load_desk_keys(tmp_path)
    assert kiosk.counter.key_id == key_id(new.public_key())
    assert len(desk.sealing_keys) == 2
    new_slip = encode(small_application(new_slip_id()), kiosk)
    assert decode(old_slip, desk, office_code=OFFICE).counter_key_id != key_id(new.public_key())
    assert decode(new_slip, desk, office_code=OFFICE).counter_key_id == key_id(new.public_key())
    # A desk that has not got the new key yet says so rather than "damaged".
    (tmp_path / COUNTER_KEY_FILE).unlink()
    with pytest.raises(NotForThisCounterError):
        decode(new_slip, load_desk_keys(tmp_path), office_code=OFFICE)



# --- keys by role -----------------------------------------------------------------------------


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@posix_only
def test_kiosk_role_makes_only_the_signing_key_and_waits_for_the_counter_key(
    tmp_path: Path,
) -> None:
    kiosk = tmp_path / "kiosk"
    first = init_keys(kiosk, kiosk_id="K01", office_code=OFFICE, role="kiosk")
    assert {p.name for p in first.created} == {KIOSK_KEY_FILE, TRUST_FILE}
    assert set(_files(kiosk)) == {KIOSK_KEY_FILE, TRUST_FILE}
    assert _mode(kiosk / KIOSK_KEY_FILE) == 0o600
    assert first.counter_key_id is None and first.kiosk_key_id is not None
    assert first.needs_counter_key
    listed = read_trust(kiosk)
    assert [(k.key_id, k.kiosk_id, k.office_code) for k in listed.kiosks] == [
        (first.kiosk_key_id, "K01", OFFICE)]
    assert listed.counters == ()
    with pytest.raises(KeysMissingError, match="no current counter key"):
        load_kiosk_keys(kiosk)

    desk = tmp_path / "desk"
    made = init_keys(desk, kiosk_id="K01", office_code=OFFICE, role="desk")
    (kiosk / TRUST_FILE).write_bytes((desk / TRUST_FILE).read_bytes())
    again = init_keys(kiosk, kiosk_id="K01", office_code=OFFICE, role="kiosk")
    assert not again.needs_counter_key
    assert again.kiosk_key_id == first.kiosk_key_id
    assert {p.name for p in again.created} == {TRUST_FILE}  # its own entry put back
    assert {p.name for p in again.kept} == {KIOSK_KEY_FILE}
    merged = read_trust(kiosk)
    assert merged.kiosk(first.kiosk_key_id) is not None
    assert merged.current_counter(OFFICE) == read_trust(desk).current_counter(OFFICE)
    assert load_kiosk_keys(kiosk).counter.key_id == made.counter_key_id
    assert set(_files(kiosk)) == {KIOSK_KEY_FILE, TRUST_FILE}


@posix_only
def test_desk_role_makes_only_the_sealing_key(tmp_path: Path) -> None:
    result = init_keys(tmp_path, kiosk_id="K01", office_code=OFFICE, role="desk")
    assert {p.name for p in result.created} == {COUNTER_KEY_FILE, TRUST_FILE}
    assert set(_files(tmp_path)) == {COUNTER_KEY_FILE, TRUST_FILE}
    assert _mode(tmp_path / COUNTER_KEY_FILE) == 0o600
    assert result.kiosk_key_id is None
    assert not result.needs_counter_key
    trust = read_trust(tmp_path)
    assert trust.kiosks == ()
    current = trust.current_counter(OFFICE)
    assert current is not None and current.key_id == result.counter_key_id
    assert list(load_desk_keys(tmp_path).sealing_keys) == [result.counter_key_id]
    with pytest.raises(KeysMissingError):
        load_kiosk_keys(tmp_path)  # a desk never signs


def test_kiosk_role_refused_where_a_counter_key_lies(tmp_path: Path) -> None:
    init_keys(tmp_path, kiosk_id="K01", office_code=OFFICE, role="desk")
    (tmp_path / COUNTER_KEY_FILE).rename(tmp_path / "counter-sealing-2025.pem")  # retired too
    before = _files(tmp_path)
    with pytest.raises(KeyStoreError, match="counter sealing key"):
        init_keys(tmp_path, kiosk_id="K01", office_code=OFFICE, role="kiosk")
    assert _files(tmp_path) == before
    assert not (tmp_path / KIOSK_KEY_FILE).exists()


def test_desk_role_refused_where_a_kiosk_key_lies(tmp_path: Path) -> None:
    init_keys(tmp_path, kiosk_id="K01", office_code=OFFICE, role="kiosk")
    before = _files(tmp_path)
    with pytest.raises(KeyStoreError, match="kiosk's signing key"):
        init_keys(tmp_path, kiosk_id="K01", office_code=OFFICE, role="desk")
    assert _files(tmp_path) == before
    assert not list(tmp_path.glob("counter-sealing*.pem"))


@pytest.mark.parametrize("role", ["kiosk", "desk", "both"])
def test_each_role_run_twice_changes_nothing(tmp_path: Path, role: Role) -> None:
    first = init_keys(tmp_path, kiosk_id="K01", office_code=OFFICE, role=role)
    before = _files(tmp_path)
    again = init_keys(tmp_path, kiosk_id="K01", office_code=OFFICE, role=role)
    assert again.created == ()
    assert {p.name for p in again.kept} == {p.name for p in first.created}
    assert (again.kiosk_key_id, again.counter_key_id) == (first.kiosk_key_id,
                                                          first.counter_key_id)
    assert again.needs_counter_key == first.needs_counter_key
    assert _files(tmp_path) == before


# --- the CLI ----------------------------------------------------------------------------------


def _run(config: KioskConfig, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang")
    keys_cmd.register(parser.add_subparsers(dest="group", required=True))
    args = parser.parse_args(list(argv))
    code: int = args.handler(args, config)
    return code


def test_cli_init_then_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = KioskConfig(keys_dir=tmp_path / "keys", kiosk_id="K07", office=OfficeConfig())
    assert _run(config, "--lang", "en", "keys", "show") == 1
    assert "kiosk keys init" in capsys.readouterr().out

    assert _run(config, "--lang", "en", "keys", "init") == 0
    out = capsys.readouterr().out
    kiosk = load_kiosk_keys(tmp_path / "keys")
    assert kiosk.kiosk.kiosk_id == "K07"
    assert kiosk.kiosk.key_id.hex() in out
    assert str(tmp_path / "keys" / KIOSK_KEY_FILE) in out
    assert "created" in out

    assert _run(config, "--lang", "en", "keys", "init") == 0
    assert "kept (not overwritten)" in capsys.readouterr().out

    assert _run(config, "--lang", "ja", "keys", "show") == 0
    shown = capsys.readouterr().out
    assert kiosk.kiosk.key_id.hex() in shown
    assert kiosk.counter.key_id.hex() in shown
    assert "PRIVATE" not in shown
    assert "信頼する端末" in shown


def test_cli_reports_a_broken_key_store_as_a_kiosk_error(tmp_path: Path) -> None:
    config = KioskConfig(keys_dir=tmp_path, kiosk_id="K01")
    init_keys(tmp_path, kiosk_id="K01", office_code=OFFICE)
    (tmp_path / TRUST_FILE).write_text("{", encoding="utf-8")
    with pytest.raises(KioskError, match=TRUST_FILE):
        _run(config, "keys", "init")
    with pytest.raises(KioskError):
        _run(config, "keys", "show")


def test_a_second_desk_copies_the_first_desks_key_instead_of_making_one(tmp_path: Path) -> None:
    """A new counter key would not be the office's current one: no kiosk would seal to it, and
    that desk would open nothing. init says what to do instead."""
    first, second = tmp_path / "desk1", tmp_path / "desk2"
    init_keys(first, kiosk_id="K01", office_code=OFFICE, role="desk")
    second.mkdir(mode=0o700)
    (second / TRUST_FILE).write_bytes((first / TRUST_FILE).read_bytes())
    with pytest.raises(KeyStoreError, match=f"copy {COUNTER_KEY_FILE}"):
        init_keys(second, kiosk_id="K01", office_code=OFFICE, role="desk")
    assert not (second / COUNTER_KEY_FILE).exists()
    shutil.copy2(first / COUNTER_KEY_FILE, second / COUNTER_KEY_FILE)
    again = init_keys(second, kiosk_id="K01", office_code=OFFICE, role="desk")
    assert again.created == () and load_desk_keys(second).sealing_keys.keys() == \
        load_desk_keys(first).sealing_keys.keys()
