"""The key file, sealing and the My Number refusal: no database needed."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest

from kiosk.store.crypto import (
    DataKeys,
    load_or_create_key,
    new_key_text,
    refuse_my_number,
    seal,
    unseal,
)
from kiosk.store.errors import (
    DecryptError,
    InvalidValueError,
    KeyFileError,
    KeyMismatchError,
    KeyMissingError,
    MyNumberRefusedError,
)
from kiosk.store.payload import from_payload, to_payload
from tests.kiosk.store.samples import HANAKO, MY_NUMBER, submission

AAD = b"row-1"


def test_key_file_is_created_0600_once_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "var" / "data.key"
    first = load_or_create_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = load_or_create_key(path)
    assert again.current_id == first.current_id
    assert len(first.current_id) == 16
    assert "data.key" not in repr(first) and first.current_id in repr(first)


def test_missing_key_without_create_is_key_missing(tmp_path: Path) -> None:
    with pytest.raises(KeyMissingError) as caught:
        load_or_create_key(tmp_path / "none.key", create=False)
    assert caught.value.code == "key_missing"
    assert not (tmp_path / "none.key").exists()


def test_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.key"
    load_or_create_key(path)
    path.chmod(0o644)
    with pytest.raises(KeyFileError, match="chmod 600"):
        load_or_create_key(path)


@pytest.mark.parametrize("content", ["", "# only a comment\n", "not base64!\n", "QUJD\n"])
def test_bad_key_file_is_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "data.key"
    path.write_text(content)
    path.chmod(0o600)
    with pytest.raises(KeyFileError) as caught:
        load_or_create_key(path)
    assert caught.value.code == "key_file"


def test_round_trip_keeps_types() -> None:
    keys = DataKeys([os.urandom(32)])
    original = submission()
    key_id, blob = seal(keys, to_payload(original), aad=AAD)
    assert key_id == keys.current_id
    assert HANAKO.encode() not in blob
    assert from_payload(unseal(keys, blob, aad=AAD)) == original


def test_blob_does_not_open_on_another_row_or_when_altered() -> None:
    keys = DataKeys([os.urandom(32)])
    _, blob = seal(keys, {"a": 1}, aad=AAD)
    with pytest.raises(DecryptError):
        unseal(keys, blob, aad=b"row-2")
    altered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(DecryptError):
        unseal(keys, altered, aad=AAD)


def test_rotation_old_key_still_opens_new_key_seals(tmp_path: Path) -> None:
    old_key, new_key = os.urandom(32), os.urandom(32)
    _, old_blob = seal(DataKeys([old_key]), {"a": 1}, aad=AAD)
    rotated = DataKeys([new_key, old_key])
    assert unseal(rotated, old_blob, aad=AAD) == {"a": 1}
    key_id, _ = seal(rotated, {"a": 2}, aad=AAD)
    assert key_id == DataKeys([new_key]).current_id
    with pytest.raises(KeyMismatchError) as caught:
        unseal(DataKeys([new_key]), old_blob, aad=AAD)
    assert caught.value.code == "key_mismatch"


def test_key_file_with_two_keys(tmp_path: Path) -> None:
    path = tmp_path / "data.key"
    path.write_text(f"# rotated\n{new_key_text()}\n\n{new_key_text()}\n")
    path.chmod(0o600)
    assert len(load_or_create_key(path).ids) == 2


def test_naive_time_is_refused_without_its_value() -> None:
    keys = DataKeys([os.urandom(32)])
    with pytest.raises(InvalidValueError) as caught:
        seal(keys, {"t": dt.datetime(2026, 1, 1, 9, 0)}, aad=AAD)
    assert "2026" not in str(caught.value)


# --- the 12-digit number ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        MY_NUMBER,
        f"番号は{MY_NUMBER}です",
        "1234 5678 9018",
        "1234-5678-9018",
        "１２３４５６７８９０１８",  # full width, as a Japanese input method types it
        "1234ー5678ー9018",  # ー, on the kiosk's own kana keyboard
        "1234−5678−9018", "1234/5678/9018", "1234.5678.9018", "1234\n5678\n9018",
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


def test_seal_refuses_before_encrypting() -> None:
    keys = DataKeys([os.urandom(32)])
    with pytest.raises(MyNumberRefusedError):
        seal(keys, to_payload(submission(note=MY_NUMBER)), aad=AAD)
