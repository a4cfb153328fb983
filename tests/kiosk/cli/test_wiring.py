"""The one wiring place: what kiosk.toml says is what the kiosk, the desk and the screen get."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.config import KioskConfig, load_config
from kiosk.demo import DEMO_DESK_PASSWORD, DEMO_STAFF_ID, prepare_storage
from kiosk.errors import ConfigError
from kiosk.session.session import Screen
from kiosk.store.models import audit_events
from kiosk.wiring import build_desk, build_kiosk


def site_config(tmp_path: Path, extra: str = "") -> KioskConfig:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'{extra}\n[printer]\nbackend = "file"\n', encoding="utf-8")
    config = load_config(path)
    prepare_storage(config)  # keys and schema, as `kiosk keys init` and `kiosk db upgrade` do
    return config


def test_the_kiosk_gets_the_configured_languages_in_order(tmp_path: Path) -> None:
    parts = build_kiosk(config=site_config(tmp_path, 'languages = ["ja", "en"]'))
    try:
        assert parts.languages == ("ja", "en")
        session = parts.session
        session.start()
        session.set_language("en")
        session.finish()  # the next resident starts in the first configured language
        assert (session.screen, session.lang) == (Screen.WELCOME, "ja")
    finally:
        parts.close()


def test_a_language_left_out_of_the_config_is_not_offered(tmp_path: Path) -> None:
    parts = build_kiosk(config=site_config(tmp_path, 'languages = ["ja"]'))
    try:
        assert parts.languages == ("ja",)
    finally:
        parts.close()


def test_staff_sign_in_at_the_kiosk_with_their_own_account_recorded_under_its_id(
        tmp_path: Path) -> None:
    config = site_config(tmp_path, 'kiosk_id = "K07"')
    parts = build_kiosk(config=config)
    try:
        parts.store.add_staff("k.tanaka", "clerk", "a long enough password", by="setup")
        parts.store.set_pin("k.tanaka", "135790", by="setup")
        session = parts.session
        session.start()
        session.call_staff()
        session.open_staff_login()
        assert not session.staff_login("k.tanaka", "999999")
        assert session.staff_login("k.tanaka", "135790")
        assert (session.staff_id, session.staff_role) == ("k.tanaka", "clerk")
        with parts.engine.connect() as conn:
            trail = conn.execute(select(audit_events.c.clerk_id, audit_events.c.action,
                                        audit_events.c.desk_id)
                                 .where(audit_events.c.clerk_id == "k.tanaka")
                                 .order_by(audit_events.c.id)).all()
        assert [tuple(row) for row in trail] == [("k.tanaka", "refused", "K07"),
                                                 ("k.tanaka", "signed_in", "K07")]
    finally:
        parts.close()


def test_a_language_without_screen_text_stops_the_kiosk_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('languages = ["ja", "en", "vi"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "languages:" in message and "no screen catalogue for 'vi'" in message
    assert "'en'" not in message  # only the missing one is named


def test_a_language_listed_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="en listed more than once"):
        KioskConfig.model_validate({"languages": ["ja", "en", "en"]})


def test_the_desk_is_built_from_the_same_file(tmp_path: Path) -> None:
    parts = build_desk(config=site_config(tmp_path), clerk=DEMO_STAFF_ID,
                       password=DEMO_DESK_PASSWORD, desk_id="D1")
    try:
        assert parts.printer_label == "file"
        assert (parts.desk.clerk, parts.desk.role) == (DEMO_STAFF_ID, "clerk")
    finally:
        parts.close()


def test_importing_the_wiring_opens_nothing_and_loads_no_screen(tmp_path: Path) -> None:
    """Nothing is built at import time: no database file, no Kivy."""
    code = ("import sys, kiosk.wiring, kiosk.cli.main; "
            "sys.exit('kivy' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[3])}
    done = subprocess.run([sys.executable, "-c", code], check=False, timeout=60, cwd=tmp_path, env=env)
    assert done.returncode == 0
    assert list(tmp_path.iterdir()) == []
