"""requirements.lock and pyproject.toml never drift apart (docs/security.md, "What is installed").

scripts/setup installs only what requirements.lock pins, with `pip --require-hashes`; the bounds
in pyproject.toml say which versions are safe (each raised lower bound clears an advisory). So
every dependency pyproject.toml names, its dev extra and its build requirements included, must be
pinned in the lock to exactly one version that the bound admits, with the hash of its files; and
the build tools scripts/setup installs first must be pinned too. Nothing is imported or installed:
the two files are read as text.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
LOCK = ROOT / "requirements.lock"
SETUP = ROOT / "scripts" / "setup"
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")


@dataclass(frozen=True)
class Pin:
    version: str
    hashes: int
    line: int


def read_lock(text: str) -> tuple[dict[str, Pin], list[str]]:
    """The pins of a pip requirements file (one `name==version --hash=...` entry each), and what
    in it pip's --require-hashes would refuse or that is no exact pin."""
    pins: dict[str, Pin] = {}
    problems: list[str] = []
    entry, start = "", 0
    for number, raw in enumerate([*text.splitlines(), ""], start=1):
        line = raw.split("#", 1)[0].rstrip()  # a hash holds no "#"; a comment ends the line
        if not entry:
            start = number
        entry += " " + line.removesuffix("\\").strip()
        if line.endswith("\\"):
            continue
        entry = entry.strip()
        if entry:
            spec, *_ = entry.split(" --hash")
            requirement = Requirement(spec)
            exact = [s.version for s in requirement.specifier if s.operator == "=="]
            name = canonicalize_name(requirement.name)
            if len(requirement.specifier) != 1 or not exact:
                problems.append(f"line {start}: {spec} is not pinned to one version (name==version)")
            elif name in pins:
                problems.append(f"line {start}: {name} is pinned twice")
            else:
                pins[name] = Pin(exact[0], len(HASH.findall(entry)), start)
        entry = ""
    problems += [f"line {pin.line}: {name}=={pin.version} has no sha256 hash" for name, pin in pins.items()
                 if not pin.hashes]
    return pins, problems


def declared(pyproject: dict[str, Any]) -> list[Requirement]:
    """Everything pyproject.toml asks to be installed: dependencies, every extra, build requires."""
    project = pyproject["project"]
    extras = project.get("optional-dependencies", {}).values()
    texts = [*project["dependencies"], *(text for extra in extras for text in extra),
             *pyproject["build-system"]["requires"]]
    return [Requirement(text) for text in texts]


def drift(pyproject_text: str, lock_text: str, build_tools: list[str]) -> list[str]:
    """Every way the lock fails pyproject.toml's bounds or scripts/setup's build tools, as the
    messages a developer reads: empty when scripts/setup installs exactly what is declared."""
    pins, problems = read_lock(lock_text)
    for requirement in declared(tomllib.loads(pyproject_text)):
        pin = pins.get(canonicalize_name(requirement.name))
        if pin is None:
            problems.append(f"{requirement} (pyproject.toml) is not pinned in requirements.lock")
        elif not requirement.specifier.contains(Version(pin.version), prereleases=True):
            problems.append(f"{requirement.name}=={pin.version} (requirements.lock) is outside "
                            f"pyproject.toml's {requirement}")
    problems += [f"{tool} (installed first by scripts/setup) is not pinned in requirements.lock"
                 for tool in build_tools if canonicalize_name(tool) not in pins]
    return problems


def setup_build_tools() -> list[str]:
    """The names in scripts/setup's `build_tools` awk pattern, the packages it installs first."""
    found = re.search(r"build_tools='\$1 ~ /\^\(([a-z0-9_|-]+)\)==/", SETUP.read_text(encoding="utf-8"))
    assert found, "scripts/setup no longer names its build tools as build_tools='$1 ~ /^(a|b)==/ ...'"
    return found.group(1).split("|")


def test_the_lock_pins_every_declared_dependency_within_its_bounds_with_hashes() -> None:
    problems = drift(PYPROJECT.read_text(encoding="utf-8"), LOCK.read_text(encoding="utf-8"), setup_build_tools())
    assert problems == [], "run scripts/lock (README, docs/architecture.md):\n" + "\n".join(problems)


def test_scripts_setup_installs_its_build_tools_and_pip_from_the_lock() -> None:
    assert {"pip", "setuptools", "wheel", "swig"} <= set(setup_build_tools())


_PYPROJECT = """
[build-system]
requires = ["setuptools>=69", "wheel"]
[project]
dependencies = ["cbor2>=5.9,<7", "pillow>=13.0,<14", "psycopg[binary]>=3.2,<4"]
[project.optional-dependencies]
dev = ["pytest>=9.0.3,<10"]
"""
_H = "--hash=sha256:" + "0" * 64


def test_a_pin_below_a_raised_bound_is_reported() -> None:
    lock = f"cbor2==5.6.0 \\\n    {_H}\npillow==13.0.0 {_H}\npsycopg==3.3.9 {_H}\npytest==9.2.0 {_H}\n" \
           f"setuptools==84.2.1 {_H}\nwheel==0.48.0 {_H}\n"
    assert drift(_PYPROJECT, lock, []) == [
        "cbor2==5.6.0 (requirements.lock) is outside pyproject.toml's cbor2<7,>=5.9"]


def test_a_missing_pin_a_missing_hash_and_a_loose_pin_are_reported() -> None:
    lock = (f"cbor2==6.3.0 \\\n    {_H} \\\n    {_H}\n    # via a comment\npillow==13.0.0\n"
            f"psycopg>=3.2 {_H}\nsetuptools==84.2.1 {_H}\nwheel==0.48.0 {_H}\n")
    assert drift(_PYPROJECT, lock, ["swig"]) == [
        "line 6: psycopg>=3.2 is not pinned to one version (name==version)",
        "line 5: pillow==13.0.0 has no sha256 hash",
        "psycopg[binary]<4,>=3.2 (pyproject.toml) is not pinned in requirements.lock",
        "pytest<10,>=9.0.3 (pyproject.toml) is not pinned in requirements.lock",
        "swig (installed first by scripts/setup) is not pinned in requirements.lock",
    ]
