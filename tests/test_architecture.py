"""The shape of the house, checked from the source text (ast; nothing is imported or run).

Each rule is one test, and a failure lists every offender with its file and line, so the
message is the to-do list:

- layers: `common` imports nothing of the project; `forms` and `drivers` import only
  `common`; `printouts` imports only `forms` and `common`; `kiosk` may import any product
  package; no product module imports `tests` or `bench` (those may import anything);
- Kivy is imported only under kiosk/ui (everything else runs, and is tested, without a screen);
- no product module over 400 lines (Alembic's migration files are exempt: one per revision,
  written once), no product function over 50 lines.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("common", "kiosk", "forms", "drivers", "printouts")
PROJECT = (*PRODUCT, "tests", "bench")
# What each product package may import of the project, besides itself.
MAY_IMPORT: dict[str, frozenset[str]] = {
    "common": frozenset(),
    "forms": frozenset({"common"}),
    "drivers": frozenset({"common"}),
    "printouts": frozenset({"forms", "common"}),
    "kiosk": frozenset(PRODUCT),
}
KIVY_HOME = "kiosk/ui/"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 50
MIGRATIONS = "kiosk/store/migrations/versions/"


@dataclass(frozen=True)
class Module:
    path: str  # relative to the repository, with "/"
    tree: ast.Module
    lines: int

    @property
    def package(self) -> str:
        return self.path.split("/", 1)[0]

    @property
    def dotted(self) -> str:
        parts = self.path.removesuffix(".py").split("/")
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules(packages: tuple[str, ...]) -> list[Module]:
    found = []
    for package in packages:
        for file in sorted((ROOT / package).rglob("*.py")):
            text = file.read_text(encoding="utf-8")
            path = file.relative_to(ROOT).as_posix()
            found.append(Module(path, ast.parse(text, filename=path), len(text.splitlines())))
    return found


def _imports(module: Module) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of every import, relative ones resolved; inside functions too."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.dotted.split(".")
                is_package = module.path.endswith("__init__.py")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                yield node.lineno, ".".join([*base, *([node.module] if node.module else [])])
            elif node.module:
                yield node.lineno, node.module


@pytest.fixture(scope="module")
def product() -> list[Module]:
    return _modules(PRODUCT)


def _report(what: str, offenders: list[str]) -> str:
    return f"{len(offenders)} {what}:\n  " + "\n  ".join(offenders)


def test_imports_point_down_the_layers(product: list[Module]) -> None:
    offenders = []
    for module in product:
        allowed = MAY_IMPORT[module.package] | {module.package}
        for line, name in _imports(module):
            top = name.split(".", 1)[0]
            if top in PROJECT and top not in allowed:
                offenders.append(f"{module.path}:{line}: {module.package} imports {name}")
    assert not offenders, _report("imports pointing the wrong way", offenders)


def test_kivy_only_under_kiosk_ui(product: list[Module]) -> None:
    offenders = [
        f"{module.path}:{line}: imports {name}"
        for module in product if not module.path.startswith(KIVY_HOME)
        for line, name in _imports(module) if name.split(".", 1)[0] == "kivy"
    ]
    assert not offenders, _report(f"Kivy imports outside {KIVY_HOME}", offenders)


def test_no_module_over_400_lines(product: list[Module]) -> None:
    offenders = [
        f"{module.path}: {module.lines} lines"
        for module in sorted(product, key=lambda m: -m.lines)
        if module.lines > MAX_MODULE_LINES and not module.path.startswith(MIGRATIONS)
    ]
    assert not offenders, _report(f"modules over {MAX_MODULE_LINES} lines", offenders)


def test_no_function_over_50_lines(product: list[Module]) -> None:
    offenders = []
    for module in product:
        for node in ast.walk(module.tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES and not module.path.startswith(MIGRATIONS):
                    offenders.append(f"{module.path}:{node.lineno}: {node.name}() {length} lines")
    assert not offenders, _report(f"functions over {MAX_FUNCTION_LINES} lines", offenders)


# --- the checks themselves must be able to fail -------------------------------------------------


def _module(path: str, source: str) -> Module:
    return Module(path, ast.parse(source), len(source.splitlines()))


def test_relative_imports_are_resolved_to_their_package() -> None:
    module = _module("forms/sub/thing.py", "from ..engine import x\nfrom ... import kiosk\n"
                     "from . import y\nimport drivers.card\n")

    assert [name for _, name in _imports(module)] == ["forms.engine", "", "forms.sub", "drivers.card"]


def test_a_package_init_resolves_relative_imports_from_itself() -> None:
    module = _module("printouts/payload/__init__.py", "from .codec import encode\n")

    assert [name for _, name in _imports(module)] == ["printouts.payload.codec"]


def test_a_wrong_way_import_inside_a_function_is_found() -> None:
    module = _module("common/clock.py", "def f():\n    from kiosk.config import KioskConfig\n")

    with pytest.raises(AssertionError, match=r"common/clock.py:2: common imports kiosk.config"):
        test_imports_point_down_the_layers([module])


def test_kivy_in_the_session_is_found() -> None:
    module = _module("kiosk/session/flow.py", "from kivy.clock import Clock\n")

    with pytest.raises(AssertionError, match=r"kiosk/session/flow.py:1: imports kivy.clock"):
        test_kivy_only_under_kiosk_ui([module])


def test_long_modules_and_functions_are_found_and_migrations_spared() -> None:
    body = "def long():\n" + "    x = 1\n" * 50 + "\n" * 350
    modules = [_module("forms/big.py", body), _module(f"{MIGRATIONS}v0009_big.py", body)]

    with pytest.raises(AssertionError, match=r"^1 modules over 400 lines:\s+forms/big.py: 401 lines\n"):
        test_no_module_over_400_lines(modules)
    with pytest.raises(AssertionError, match=r"^1 functions over 50 lines:\s+forms/big.py:1: long\(\) 51 lines\n"):
        test_no_function_over_50_lines(modules)
