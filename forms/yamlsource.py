"""Read a form file: bytes -> text -> YAML data, remembering the line of every key.

PyYAML forgets where things were once it has built Python objects, so the node tree is
walked here by hand: the data and a map from path to line come out together, and the
traps of hand-edited YAML (duplicate keys that silently win, aliases that multiply
content, tabs, non-UTF-8 saves from old editors) become problems with a line number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
    text: str = field(default="", repr=False)  # the decoded file, to quote a line back
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

    def line_text(self, line: int | None) -> str:
        """The text of a 1-based line of the file, stripped; '' when there is none."""
        lines = self.text.splitlines()
        return lines[line - 1].strip() if line and 0 < line <= len(lines) else ""

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
    src.text = text
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        message, hint = explain_yaml_error(exc)
        src.problems.append(Problem("error", Code.YAML_SYNTAX, src.file, line, "", message, hint))
        return
    except yaml.reader.ReaderError as exc:
        # A control character (a stray form feed, a NUL from a broken save): not a Marked error.
        line = text[: exc.position].count("\n") + 1
        src.problems.append(Problem("error", Code.YAML_SYNTAX, src.file, line, "", T(
            f"{line}行目に使えない制御文字（U+{exc.character:04X}）があります。",
            f"line {line} holds a control character (U+{exc.character:04X}) that YAML refuses."),
            T("その文字を消してください（見えない場合は行を打ち直してください）。",
              "Delete it (retype the line if it cannot be seen).")))
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
        message, hint = explain_constructor_error(exc, node)
        src.problems.append(Problem("error", Code.YAML_SYNTAX, src.file, line, "", message, hint))
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


# -- PyYAML's errors, told in words IT staff use ------------------------------------------
#
# PyYAML's texts ("mapping values are not allowed here", "while scanning a simple key") name
# the parser's states, not the mistake. Each pattern below is one mistake hand-edited form
# files make; the message names the line and column, and the line where the cause starts
# (PyYAML notices an unclosed quote only at the end of the file).

_CHECK_ALL = T(
    "字下げ（半角スペース）、コロンの後の空白、引用符の閉じ忘れを確かめてください。タブは使えません。"
    " : ? , # { } [ ] を含む文は \"...\" で囲んでください。",
    "Check the indentation (spaces, no tabs), a space after each colon, and closing quotes."
    ' Put text holding : ? , # { } [ ] in "double quotes".')
_INDENT = T("同じ並びのキー（id:, type:, label: など）と「- 」は、同じ字下げで揃えてください。",
            "Line up the keys of one item (id:, type:, label: ...) and the '- ' of one list "
            "at the same indentation.")


@dataclass(frozen=True)
class _YamlFault:
    """What PyYAML said, and where: `start` is where the cause begins (an opened quote)."""

    problem: str
    context: str
    line: int
    column: int
    start_line: int
    start_column: int
    start_text: str

    @property
    def start(self) -> tuple[str, str]:
        return (f"{self.start_line}行目 {self.start_column}文字目",
                f"line {self.start_line}, column {self.start_column}")


def _tab(f: _YamlFault) -> tuple[Text, Text]:
    return (T("タブ文字があります。タブは使えません。",
              "a tab character; YAML indents with spaces only."),
            T("タブを半角スペースに置き換えてください（エディタの「タブをスペースに変換」）。",
              "Replace the tab with spaces (your editor's 'convert tabs to spaces')."))


def _bad_start(f: _YamlFault) -> tuple[Text, Text]:
    found = re.search(r"found character '(.+)' that cannot start", f.problem)
    char = found[1] if found else "?"
    return (T(f"値の先頭の「{char}」は YAML では使えません。",
              f"a value cannot start with '{char}' in YAML."),
            T('この文字で始まる値は "..." で囲んでください。',
              'Put a value starting with this character in "double quotes".'))


def _unclosed_quote(f: _YamlFault) -> tuple[Text, Text]:
    at_ja, at_en = f.start
    if "escape" in f.problem:
        return (T(f"{at_ja}からの \"...\" の中に、使えない \\ があります。",
                  f"the double-quoted text at {at_en} holds a backslash YAML cannot read."),
                T("\\ を消すか、'...'（一重引用符）で囲んでください。",
                  "Remove the backslash, or use 'single quotes'."))
    return (T(f"{at_ja}で開いた引用符が閉じられていません。",
              f"the quoted text (quoted scalar) opened at {at_en} is never closed."),
            T("引用符（\" または '）を同じ行の終わりで閉じてください。文の中の \" は \\\" と書きます。",
              "Close the quote (\" or ') at the end of the same line; write a \" inside as \\\"."))


def _no_colon(f: _YamlFault) -> tuple[Text, Text]:
    return (T(f"{f.start_line}行目「{f.start_text}」にコロンがないか、コロンの後に空白がありません。",
              f"line {f.start_line} ('{f.start_text}') has no ': ' (a colon and a space)."),
            T("「label: 氏名」のように、キーの後にコロンと半角スペースを書いてください。",
              "Write each key with a colon and a space after it (label: 氏名); "
              "a space after each colon is required."))


def _key_here(f: _YamlFault) -> tuple[Text, Text]:
    return (T("ここに「キー: 値」は書けません。前の行より深く字下げされているか、"
              "値の中にコロン（: ）があります。",
              "a 'key: value' cannot start here: this line is indented deeper than the key "
              "above it, or the value holds a colon (': ')."),
            T(_INDENT.ja + "コロン（: ）を含む文は \"...\" で囲んでください。",
              f"{_INDENT.en} Put text holding ': ' in \"double quotes\"."))


def _misaligned(f: _YamlFault) -> tuple[Text, Text]:
    if f.problem.endswith("'<scalar>'"):  # `label: "氏名" です`: text after the closing quote
        return (T("閉じた引用符の後に文字が続いているか、この行の字下げが揃っていません。",
                  "text follows a closing quote, or this line's indentation is off."),
                T('文全体を "..." で囲んでください。', 'Put the whole text in "double quotes".'))
    return (T(f"この行の字下げが、{f.start_line}行目から始まる並びと揃っていません。",
              f"this line's indentation does not fit the block that starts on line "
              f"{f.start_line}."), _INDENT)


def _unclosed_bracket(f: _YamlFault) -> tuple[Text, Text]:
    opened, close = ("{", "}") if "mapping" in f.context else ("[", "]")
    at_ja, at_en = f.start
    return (T(f"{at_ja}で開いた「{opened}」が閉じられていないか、要素の間に「,」がありません。",
              f"the '{opened}' opened at {at_en} is not closed with '{close}', "
              "or a ',' is missing between its items."),
            T(f"同じ行の終わりに「{close}」を書き、要素は「, 」で区切ってください。",
              f"Close it with '{close}' on the same line and separate items with ', '."))


def _sign_in_value(f: _YamlFault) -> tuple[Text, Text]:
    sign = "-" if "sequence" in f.problem else "?"
    return (T(f"値の中の「{sign} 」は YAML では使えません。",
              f"'{sign} ' cannot appear inside a value."),
            T("一覧なら次の行から「- 」で書き、文なら \"...\" で囲んでください。",
              "Start a list on the next line with '- '; put text in \"double quotes\"."))


def _alias(f: _YamlFault) -> tuple[Text, Text]:
    return (T("「*」や「&」で始まる値は、YAML のエイリアス／アンカーとして読まれます。",
              "a value starting with '*' or '&' is read as a YAML alias or anchor."),
            T('文なら "..." で囲んでください。アンカーとエイリアスは使えません。',
              'Put text in "double quotes"; anchors and aliases are not supported.'))


def _two_documents(f: _YamlFault) -> tuple[Text, Text]:
    return (T("「---」の後に2つ目の文書があります。", "a second document follows '---'."),
            T("1つのファイルには1つの手続きを書いてください。", "Write one procedure per file."))


def _block_scalar(f: _YamlFault) -> tuple[Text, Text]:
    return (T("「|」や「>」の後には改行が必要です。", "'|' or '>' must end its line."),
            T("複数行の文は「|」の次の行から字下げして書きます。",
              "Write the text of a '|' block on the following lines, indented."))


# (what PyYAML's problem or context holds, the mistake it means), first match wins.
_YAML_FAULTS: tuple[tuple[Callable[[_YamlFault], bool], Callable[[_YamlFault],
                                                                  tuple[Text, Text]]], ...] = (
    (lambda f: "'\\t'" in f.problem or "tab character" in f.problem, _tab),
    (lambda f: "cannot start any token" in f.problem, _bad_start),
    (lambda f: "quoted scalar" in f.context, _unclosed_quote),
    (lambda f: "simple key" in f.context, _no_colon),
    (lambda f: f.problem == "mapping values are not allowed here", _key_here),
    (lambda f: f.problem.startswith(("expected <block end>", "did not find expected")),
     _misaligned),
    (lambda f: f.context.startswith("while parsing a flow"), _unclosed_bracket),
    (lambda f: f.problem.endswith("entries are not allowed here")
     or f.problem == "mapping keys are not allowed here", _sign_in_value),
    (lambda f: "alias" in f.problem or "anchor" in f.context or "alias" in f.context, _alias),
    (lambda f: "another document" in f.problem, _two_documents),
    (lambda f: "block scalar" in f.context, _block_scalar),
)


def explain_yaml_error(exc: yaml.MarkedYAMLError) -> tuple[Text, Text]:
    """(message, hint) for a PyYAML scanner, parser or composer error."""
    mark = exc.problem_mark
    start = exc.context_mark or mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    fault = _YamlFault(exc.problem or "", exc.context or "", line, column,
                       start.line + 1 if start else line, start.column + 1 if start else column,
                       _line_at(start))
    lead = T(f"YAML の書き方が正しくありません（{line}行目 {column}文字目）: ",
             f"YAML error at line {line}, column {column}: ")
    for matches, explain in _YAML_FAULTS:
        if matches(fault):
            text, hint = explain(fault)
            return T(lead.ja + text.ja, f"{lead.en}{text.en}"), hint
    # A case not in the table: PyYAML's own words, marked as such, beat saying nothing.
    return T(f"{lead.ja}（YAML: {fault.problem}）", f"{lead.en}(YAML: {fault.problem})"), _CHECK_ALL


def _line_at(mark: yaml.Mark | None) -> str:
    """The start of the line where the cause is, as the file has it."""
    buffer = getattr(mark, "buffer", None)
    if mark is None or not isinstance(buffer, str):
        return ""
    line_start = buffer.rfind("\n", 0, mark.pointer) + 1
    return buffer[line_start:].split("\n", 1)[0].strip().rstrip("\0")[:40]


def explain_constructor_error(exc: yaml.constructor.ConstructorError,
                              node: yaml.Node) -> tuple[Text, Text | None]:
    """A tag asking PyYAML for a Python object (!!python/name:...) or a type it lacks."""
    if "could not determine a constructor" in (exc.problem or ""):
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        return (T(f"タグ「{tag}」は使えません。", f"the tag '{tag}' is not allowed."),
                T("「!!」や「!」で始まるタグを消してください。文なら \"...\" で囲みます。",
                  "Remove the tag starting with '!!' or '!'; put text in \"double quotes\"."))
    return T("値を読めません（YAML の型指定）。", "cannot read this value (a YAML type tag)."), None
