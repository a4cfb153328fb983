"""pydantic's validation errors, told to IT staff: the key, the line, in Japanese and English."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from forms.errors import Code, ShapeError
from forms.text import T, Text
from forms.yamlsource import PathKey, Source


def known_keys(*models: type[BaseModel]) -> set[str]:
    keys: set[str] = set()
    for model in models:
        keys.update(model.model_fields)
    return keys


def report_validation_error(exc: ValidationError, src: Source, keys: set[str]) -> None:
    for err in exc.errors():
        path = _data_path(src.data, err["loc"])
        shape = err.get("ctx", {}).get("error")
        if isinstance(shape, ShapeError):
            path = _at_key(src.data, path, shape.key)
            src.error(Code.SCHEMA, path, shape.text, shape.hint)
            continue
        message, hint = _explain(err, path, keys)
        src.error(Code.SCHEMA, path, message, hint)


def _data_path(data: Any, loc: tuple[int | str, ...]) -> PathKey:
    """pydantic's loc names union members and validators too; keep the parts in the file."""
    path: list[str | int] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node = node[part]
        elif err_key(part) and isinstance(node, dict):
            path.append(part)
            break
        else:
            continue
        path.append(part)
    return tuple(path)


def _at_key(data: Any, path: PathKey, key: str | None) -> PathKey:
    """The path of the key a ShapeError names, when the node at `path` has it."""
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return path
    return (*path, key) if key is not None and isinstance(node, dict) and key in node else path


def err_key(part: int | str) -> bool:
    return isinstance(part, str) and part.isidentifier() and not part[0].isupper()


def _explain(  # noqa: PLR0911 - one explanation per kind of pydantic error
        err: Any, path: PathKey, keys: set[str]) -> tuple[Text, Text | None]:
    kind, key = err["type"], (str(path[-1]) if path else "")
    value = err.get("input")
    if kind == "missing":
        return T(f"「{key}」がありません。", f"'{key}' is missing."), T(
            f"「{key}:」の行を書き足してください。docs/forms.md に例があります。",
            f"Add a '{key}:' line; docs/forms.md has an example.")
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(key, sorted(keys), n=1)
        hint = (T(f"「{close[0]}」の書き間違いではありませんか。", f"Did you mean '{close[0]}'?")
                if close else None)
        return T(f"「{key}」という項目はありません。", f"'{key}' is not a known key."), hint
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return T(f"「{value}」は使えません。次のどれかです: {expected}",
                 f"'{value}' is not allowed here; expected one of: {expected}"), None
    if kind == "string_pattern_mismatch":
        return T(f"「{value}」は id に使えません。",
                 f"'{value}' cannot be an id or value here."), T(
            "半角の英小文字で始め、英小文字・数字・_ だけで書いてください（例: purpose_of_use）。",
            "Start with a lower-case letter and use only a-z, 0-9 and _ (e.g. purpose_of_use).")
    if kind == "string_type" and isinstance(value, bool):
        return T("文字が必要な所に true/false があります。", "text expected, found true/false."), T(
            "YAML は yes/no/on/off を true/false と読みます。'no' のように引用符で囲んでください。",
            "YAML reads yes/no/on/off as true/false; put the value in quotes, e.g. 'no'.")
    if kind == "value_error":
        msg = str(err.get("ctx", {}).get("error", err["msg"]))
        return T(f"値が正しくありません: {msg}", msg), None
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        names = [str(part) for part in path if isinstance(part, str)]
        item = bool(path) and isinstance(path[-1], int)
        name = names[-1] if names else key
        whose = (f"「{name}」の各項目", f"each item of '{name}'") if item else (f"「{name}」", f"'{name}'")
        return T(f"{whose[0]}には「キー: 値」の組を書きます（{value!r} ではなく）。",
                 f"{whose[1]} takes keys with values ('name: value' lines), not {value!r}."), T(
            "docs/forms.md の同じ項目の例のように書いてください。",
            "Write it as the example of the same key in docs/forms.md.")
    if kind in ("too_short", "too_long"):
        limit = err.get("ctx", {}).get("min_length" if kind == "too_short" else "max_length")
        if limit is None:
            return T(f"「{key}」の数が正しくありません: {err['msg']}", f"'{key}': {err['msg']}"), None
        return (T(f"「{key}」には {limit} 個以上書きます。", f"'{key}' needs at least {limit} item(s).")
                if kind == "too_short" else
                T(f"「{key}」に書けるのは {limit} 個までです。", f"'{key}' takes at most {limit} item(s).")
                ), None
    return T(f"「{key}」の値が正しくありません（{value!r}）: {err['msg']}",
             f"'{key}' has a wrong value ({value!r}): {err['msg']}"), None
