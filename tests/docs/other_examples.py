"""The TOML, JSON and Python blocks of the documentation, each read by the code it is for."""

from __future__ import annotations

import ast
import json
import tomllib
from pathlib import Path

from drivers.card.emulator import IdentityFileError, load_identity
from forms.loader import CONFIG_FILE, load_library
from kiosk.config import load_config
from kiosk.errors import ConfigError
from printouts.payload.errors import KeyStoreError
from printouts.payload.trust import TRUST_FORMAT, TrustList
from tests.docs.markdown import ROOT

PROJECT = ("common", "forms", "drivers", "printouts", "kiosk")


def toml_problems(text: str, folder: Path) -> list[str]:
    """A card identity file (it has a `pin`) by the emulator's reader; anything else is a
    kiosk.toml: read by kiosk/config.py, then the shipped forms loaded with its counters and
    `[forms] hide`, as the kiosk would (`forms.dirs` is the city's, not here)."""
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / "example.toml"
    file.write_text(text, encoding="utf-8")
    try:
        if "pin" in tomllib.loads(text):
            load_identity(file)
            return []
        config = load_config(file)
    except (ConfigError, IdentityFileError, tomllib.TOMLDecodeError) as exc:
        return [str(exc)]
    lib = load_library([], counters=set(config.counters), hide=config.forms.hide)
    # A life event told of a hidden procedure is what hiding does; a setting warned is not.
    return [p.render("en") for p in lib.problems
            if p.severity == "error" or (p.severity == "warning" and p.file == CONFIG_FILE)]


def json_problems(text: str) -> list[str]:
    """A trust list (docs/slip-format.md) through its own reader; no other JSON is known."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != TRUST_FORMAT:
        return ["JSON of no known format: mark the block"]
    try:
        TrustList.from_json(text)
    except KeyStoreError as exc:
        return [str(exc)]
    return []


def python_problems(text: str) -> list[str]:
    """Python that parses, and imports from the project only what the project defines (read
    with ast, not imported: importing kiosk.ui would start Kivy)."""
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        return [f"line {exc.lineno}: {exc.msg}"]
    problems: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PROJECT):
            names = _defined_in(node.module)
            problems += [f"no module {node.module}"] if names is None else [
                f"{node.module} has no {alias.name}" for alias in node.names if alias.name not in names]
    return problems


def _defined_in(module: str) -> set[str] | None:
    base = ROOT / module.replace(".", "/")
    file = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
    if not file.is_file():
        return None
    names = {p.stem for p in base.iterdir()} if base.is_dir() else set()
    for node in ast.parse(file.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names
