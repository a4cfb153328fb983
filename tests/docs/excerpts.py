"""A YAML block with `...` in it: an excerpt of a shipped file, which must say what it shows.

A line `...` leaves out what the shipped file has there, and so does a value `...` or a key
left empty. A line `# NAME.yaml` starts the excerpt of that procedure's file; without one,
a list of life events is of forms/library/life_events.yaml. Each item is found in the
shipped file by its `id` (a field anywhere in the form, a life event), and every key it
shows must hold there what it holds in the excerpt; a list shown holds items of the shipped
list, in any order.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from forms.loader import SHIPPED_DIR

ELIDED = re.compile(r"^\s*\.\.\.\s*(#.*)?$", re.MULTILINE)
_HEADER = re.compile(r"^# (\w+\.yaml)\b.*$", re.MULTILINE)


def is_excerpt(text: str) -> bool:
    return ELIDED.search(text) is not None


def excerpt_problems(text: str) -> list[str]:
    problems: list[str] = []
    for name, part in _parts(text):
        data = yaml.safe_load(textwrap.dedent(ELIDED.sub("", part)))
        items = data if isinstance(data, list) else [data]
        shipped = _shipped_items(name)
        for item in items:
            item_id = str(item.get("id")) if isinstance(item, dict) else repr(item)
            if item_id not in shipped:
                problems.append(f"{name}: no item with id {item_id}")
            else:
                problems += [f"{name}: {item_id}{where}" for where in _differences(item, shipped[item_id], "")]
    return problems


def _parts(text: str) -> Iterator[tuple[str, str]]:
    headers = list(_HEADER.finditer(text))
    if not headers:
        yield "life_events.yaml", text
    for i, header in enumerate(headers):
        end = headers[i + 1].start() if i + 1 < len(headers) else len(text)
        yield header[1], text[header.end():end]


def _shipped_items(name: str) -> dict[str, Any]:
    """The shipped file's items by id: its life events, or every field of its form."""
    file = SHIPPED_DIR / name if name == "life_events.yaml" else SHIPPED_DIR / "procedures" / name
    data = yaml.safe_load(Path(file).read_text(encoding="utf-8")) if file.is_file() else {}
    if "life_events" in data:
        return {e["id"]: e for e in data["life_events"]}
    return {f["id"]: f for f in _walk(data.get("fields", [])) if "id" in f}


def _walk(fields: list[Any]) -> Iterator[dict[str, Any]]:
    for f in fields:
        yield f
        yield from _walk(f.get("fields") or [])


def _differences(shown: Any, shipped: Any, path: str) -> list[str]:
    if shown is None or shown == "...":
        return []
    if isinstance(shown, dict):
        if not isinstance(shipped, dict):
            return [f"{path}: the shipped file has {shipped!r}"]
        return [d for key, value in shown.items() for d in (
            _differences(value, shipped[key], f"{path}.{key}") if key in shipped
            else [f"{path}.{key}: not in the shipped file"])]
    if isinstance(shown, list):
        if not isinstance(shipped, list):
            return [f"{path}: the shipped file has {shipped!r}"]
        return [d for i, item in enumerate(shown) for d in _item_differences(item, shipped, f"{path}[{i}]")]
    return [] if shown == shipped else [f"{path}: {shown!r}, the shipped file has {shipped!r}"]


def _item_differences(item: Any, shipped: list[Any], path: str) -> list[str]:
    """An item with an `id` or `value` is compared with the shipped item of the same; any
    other must equal one of the shipped items."""
    key = next((k for k in ("id", "value") if isinstance(item, dict) and k in item), None)
    same = [s for s in shipped if key and isinstance(s, dict) and s.get(key) == item[key]]
    if same:
        return _differences(item, same[0], f"{path}({item[key]})")
    fits = any(not _differences(item, s, "") for s in shipped)
    return [] if fits else [f"{path}: no such item in the shipped file"]
