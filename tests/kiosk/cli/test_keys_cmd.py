"""`kiosk keys init --role kiosk|desk`, as IT staff run it from kiosk.toml on each machine, and
what each machine can then do with the store: the kiosk writes, only the desk reads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.store.db import make_engine
from kiosk.store.errors import KeyMissingError
from kiosk.store.migrate import upgrade
from kiosk.store.repository import open_store
from kiosk.store.sealing import RecordMeta, RecordOpener, RecordSealer
from printouts.payload import KeysMissingError, load_desk_keys, load_kiosk_keys
from printouts.payload.keys import COUNTER_KEY_FILE, KIOSK_KEY_FILE
from printouts.payload.trust import TRUST_FILE, read_trust
from tests.kiosk.store.conftest import START
from tests.kiosk.store.samples import submission

OFFICE = "999997"
SLIP = "0123456789abcdef01234567"
META = RecordMeta(SLIP, OFFICE, "K01", START, (("juminhyo", 3), ("inkan", 1)))


def _config(folder: Path, kiosk_id: str) -> Path:
    """One machine's kiosk.toml; its keys, log and database stay in its own folder."""
    folder.mkdir()
    path = folder / "kiosk.toml"
    path.write_text(
        f'keys_dir = "keys"\nkiosk_id = "{kiosk_id}"\n\n[office]\ncode = "{OFFICE}"\n',
        encoding="utf-8",
    )
    return path


def _init(config: Path, *extra: str, lang: str = "en") -> int:
    return main(["--config", str(config), "--lang", lang, "keys", "init", *extra])


@pytest.mark.parametrize(
    ("lang", "words"),
    [("ja", "役割を指定してください"), ("en", "Say which role this machine has")],
)
def test_init_with_a_config_and_no_role_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    config = _config(tmp_path / "machine", "K01")
    assert _init(config, lang=lang) != 0
    err = capsys.readouterr().err
    assert words in err
    assert "--role kiosk" in err and "--role desk" in err
    assert not (tmp_path / "machine" / "keys").exists()  # nothing made


def test_a_kiosk_set_up_before_its_desk_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kiosk = _config(tmp_path / "kiosk", "K01")
    assert _init(kiosk, "--role", "kiosk") == 0
    out = capsys.readouterr().out
    assert "run `kiosk keys init --role desk` on the desk first, copy its trust.json here" in out
    assert _init(kiosk, "--role", "kiosk", lang="ja") == 0
    assert "窓口の封印鍵がありません" in capsys.readouterr().out
    with pytest.raises(KeysMissingError):
        load_kiosk_keys(tmp_path / "kiosk" / "keys")  # it cannot seal to a counter yet


def _documented_set_up(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """docs: desk first, its trust.json to the kiosk, kiosk init, the trust.json back."""
    desk_config, kiosk_config = _config(tmp_path / "desk", "D01"), _config(tmp_path / "kiosk", "K07")
    desk, kiosk = tmp_path / "desk" / "keys", tmp_path / "kiosk" / "keys"
    assert _init(desk_config, "--role", "desk") == 0
    assert COUNTER_KEY_FILE in capsys.readouterr().out
    kiosk.mkdir(mode=0o700)
    shutil.copy(desk / TRUST_FILE, kiosk / TRUST_FILE)
    assert _init(kiosk_config, "--role", "kiosk") == 0
    out = capsys.readouterr().out
    assert KIOSK_KEY_FILE in out and "copy its trust.json" not in out
    shutil.copy(kiosk / TRUST_FILE, desk / TRUST_FILE)
    return desk, kiosk


def test_each_role_holds_only_its_key_and_the_store_keeps_them_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    desk, kiosk = _documented_set_up(tmp_path, capsys)
    assert {p.name for p in kiosk.iterdir()} == {KIOSK_KEY_FILE, TRUST_FILE}
    assert not list(kiosk.glob("counter-sealing*.pem"))
    assert {p.name for p in desk.iterdir()} == {COUNTER_KEY_FILE, TRUST_FILE}
    assert read_trust(desk) == read_trust(kiosk)

    engine = make_engine(f"sqlite:///{tmp_path / 'shared.sqlite3'}")
    try:
        upgrade(engine)
        at_kiosk = open_store(engine, sealer=RecordSealer(load_kiosk_keys(kiosk)))
        stored = at_kiosk.add_application(submission(), office_code=OFFICE, kiosk_id="K07",
                                          slip_id=SLIP)
        with pytest.raises(KeyMissingError):
            at_kiosk.open_for_clerk(stored.id, "clerk01")  # the kiosk cannot read it back

        at_desk = open_store(engine, opener=RecordOpener(load_desk_keys(desk)))
        assert at_desk.open_for_clerk(stored.id, "clerk01").submission == submission()
        with pytest.raises(KeyMissingError):
            at_desk.add_application(submission(), office_code=OFFICE, kiosk_id="K07",
                                    slip_id="fedcba9876543210fedcba98")  # the desk never signs
    finally:
        engine.dispose()


def test_running_a_role_again_keeps_every_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    desk, kiosk = _documented_set_up(tmp_path, capsys)
    before = {p: p.read_bytes() for folder in (desk, kiosk) for p in folder.iterdir()}
    assert _init(tmp_path / "desk" / "kiosk.toml", "--role", "desk") == 0
    assert _init(tmp_path / "kiosk" / "kiosk.toml", "--role", "kiosk") == 0
    assert "All there; nothing changed." in capsys.readouterr().out
    assert {p: p.read_bytes() for folder in (desk, kiosk) for p in folder.iterdir()} == before


def test_the_wrong_role_on_a_set_up_machine_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    desk, kiosk = _documented_set_up(tmp_path, capsys)
    assert _init(tmp_path / "kiosk" / "kiosk.toml", "--role", "desk") != 0
    assert "a desk must not hold one" in capsys.readouterr().err
    assert _init(tmp_path / "desk" / "kiosk.toml", "--role", "kiosk") != 0
    assert "a kiosk must not" in capsys.readouterr().err
    assert not list(kiosk.glob("counter-sealing*.pem"))
    assert not (desk / KIOSK_KEY_FILE).exists()


def test_the_demo_without_a_config_makes_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # the demo's keys_dir is var/keys under the current folder
    assert main(["--lang", "en", "keys", "init"]) == 0
    keys = tmp_path / "var" / "keys"
    assert {p.name for p in keys.iterdir()} == {KIOSK_KEY_FILE, COUNTER_KEY_FILE, TRUST_FILE}
    out = capsys.readouterr().out
    assert "kiosk signing key" in out and "counter sealing key" in out
    assert out.count("[created]") == 3
    blob = RecordSealer(load_kiosk_keys(keys)).seal(submission(), META)
    assert RecordOpener(load_desk_keys(keys)).open(blob, META) == submission()
