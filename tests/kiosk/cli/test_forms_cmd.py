"""`kiosk forms list` and `kiosk forms show`, as IT staff read them."""

from __future__ import annotations

import pytest

from kiosk.cli.main import main


def test_list_puts_each_procedure_id_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "forms", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    ids = {line.split()[0] for line in lines if line.strip()}
    assert {"juminhyo", "tennyu", "koseki_shomei"} <= ids


def test_show_gives_bindings_prices_and_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "forms", "show", "tennyu"]) == 0
    out = capsys.readouterr().out
    assert "name (text): Name  [required; from card.name]" in out  # the card holder, first person
    assert "? days_since(value) <= 14 → More than 14 days have passed" in out  # a warning
    assert "! not (moveout_method in ['card', 'online'] and has_card == false) @has_card" in out
    assert main(["forms", "show", "koseki_shomei"]) == 0
    out = capsys.readouterr().out
    assert "手数料: 除籍 750円 1通" in out and "手数料: 戸籍謄本 450円 1通" in out


def test_show_of_an_unknown_id_says_where_to_look(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "forms", "show", "no_such_form"]) == 2
    assert "kiosk forms list" in capsys.readouterr().err
