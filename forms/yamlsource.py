"""Read a form file: bytes -> text -> YAML data, remembering the line of every key.

PyYAML forgets where things were once it has built Python objects, so the node tree is
walked here by hand: the data and a map from path to line come out together, and the
traps of hand-edited YAML (duplicate keys that silently win, aliases that multiply
content, tabs, non-UTF-8 saves from old editors) become problems with a line number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from forms.errors import Code, Problem, Severity
from forms.text import T, Text

MAX_FILE_BYTES = 512 * 1024  # the largest shipped form is under 20 KB

PathKey = tuple[str | int, ...]


@dataclass
class Source:
    """A parsed file: its data, where each path starts, and what went wrong."""

    file: Path
    data: Any = None
    lines: dict[PathKey, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    _seen: set[int] = field(default_factory=set, repr=False)
    _constructor: yaml.constructor.SafeConstructor = field(
        default_factory=yaml.constructor.SafeConstructor, repr=False)

    def line_of(self, path: PathKey) -> int | None:
        """The line of `path`, or of its nearest parent that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def error(self, code: Code, path: PathKey, message: Text, hint: Text | None = None) -> None:
        self.report("error", code, path, message, hint)

    def report(self, severity: Severity, code: Code, path: PathKey, message: Text,
               hint: Text | None = None) -> None:
        self.problems.append(Problem(severity, code, self.file, self.line_of(path),
                                     render_path(path), message, hint))


def render_path(path: PathKey) -> str:
    """fields[2].choices[0].value: how IT staff count down into their file."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_source(file: Path) -> Source:
    src = Source(file)
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            src.error(Code.FILE_TOO_LARGE, (), T(
                f"ファイルが大きすぎます（{size:,} バイト、上限 {MAX_FILE_BYTES:,} バイト）。",
                f"file is too large ({size:,} bytes, limit {MAX_FILE_BYTES:,})."),
                T("1つの手続きを1つのファイルに書いてください。", "Write one procedure per file."))
            return src
        raw = file.read_bytes()
    except OSError as exc:
        src.error(Code.NOT_UTF8, (), T(f"ファイルを読めません: {exc.strerror}",
                                       f"cannot read the file: {exc.strerror}"))
        return src
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        src.problems.append(Problem("error", Code.NOT_UTF8, file, line, "", T(
            f"UTF-8 ではない文字があります（{exc.start} バイト目）。",
            f"not UTF-8 (byte {exc.start})."), T(
            "エディタで文字コードを UTF-8 にして保存し直してください（Shift_JIS は使えません）。",
            "Save the file again as UTF-8 (Shift_JIS is not supported).")))
        return src
    _parse(src, text.removeprefix("\ufeff"))
    return src


def _parse(src: Source, text: str) -> None:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        what = f"{exc.problem}" + (f" ({exc.context})" if exc.context else "")
        src.problems.append(Problem("error", Code.YAML_SYNTAX, src.file, line, "", T(
            f"YAML の書き方が正しくありません: {what}", f"YAML syntax error: {what}"), T(
            "字下げ（半角スペース）、コロンの後の空白、引用符の閉じ忘れを確かめてください。タブは使えません。"
            " : ? , # { } [ ] を含む文は \"...\" で囲んでください。",
            "Check the indentation (spaces, no tabs), a space after each colon, and closing quotes."
            ' Put text holding : ? , # { } [ ] in "double quotes".')))
        return
    except yaml.YAMLError as exc:
        src.error(Code.YAML_SYNTAX, (), T(f"YAML を読めません: {exc}",
                                          f"cannot read the YAML: {exc}"))
        return
    except RecursionError:
        _too_deep(src)
        return
    if node is None:
        src.error(Code.NOT_A_MAPPING, (), T("ファイルが空です。", "the file is empty."))
        return
    try:
        src.data = _build(src, node, ())
    except RecursionError:
        src.data = None
        _too_deep(src)


def _too_deep(src: Source) -> None:
    # PyYAML composes recursively: "[[[[..." a few thousand deep would otherwise crash the loader.
    src.error(Code.YAML_SYNTAX, (), T(
        "入れ子（[ ] や { } や字下げ）が深すぎます。", "the file is nested far too deeply."),
        T("括弧の閉じ忘れがないか確かめてください。", "Check for unclosed brackets."))


def _build(src: Source, node: yaml.Node, path: PathKey) -> Any:
    if path not in src.lines:
        src.lines[path] = node.start_mark.line + 1
    if id(node) in src._seen:
        src.error(Code.YAML_ALIAS, path, T(
            "アンカーとエイリアス（& と *）は使えません。",
            "anchors and aliases (& and *) are not supported."),
            T("同じ内容をそのまま書き写してください。", "Write the content out in full instead."))
        return None
    src._seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(src, key_node)
            if not isinstance(key, (str, int)):
                src.error(Code.SCHEMA, path, T("キーは文字でなければなりません。",
                                               "keys must be plain text."))
                continue
            child = (*path, key)
            src.lines[child] = key_node.start_mark.line + 1
            if key in out:
                src.error(Code.YAML_DUPLICATE_KEY, child, T(
                    f"キー「{key}」が2回書かれています。後の方が黙って使われてしまいます。",
                    f"key '{key}' appears twice; YAML would silently keep the last one."),
                    T("どちらか一方を消してください。", "Delete one of them."))
            out[key] = _build(src, value_node, child)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(src, item, (*path, i)) for i, item in enumerate(node.value)]
    return _scalar(src, node)


def _scalar(src: Source, node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return None  # a mapping or list used as a key: rejected by the caller
    try:
        return src._constructor.construct_object(node)
    except yaml.constructor.ConstructorError as exc:
        line = node.start_mark.line + 1
        src.problems.append(Problem("error", Code.YAML_SYNTAX, src.file, line, "", T(
            f"値を読めません: {exc.problem}", f"cannot read this value: {exc.problem}")))
        return None
    except ValueError as exc:
        # A date that does not exist (2025-02-30) looks like a YAML timestamp and fails in datetime.
        line = node.start_mark.line + 1
        src.problems.append(Problem("error", Code.YAML_SYNTAX, src.file, line, "", T(
            f"値「{node.value}」を読めません: {exc}",
            f"cannot read the value '{node.value}': {exc}"),
            T("日付なら正しい日付を書いてください。文字なら \"...\" で囲んでください。",
              'If it is a date, write a real one; if it is text, put it in "double quotes".')))
        return None
