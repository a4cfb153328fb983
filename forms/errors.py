"""What can be wrong with a form file, as data: a stable code, where it is, and what to do.

Every problem names the file, the line and the path inside the file (pyxform's habit), and
carries its message in Japanese and English so `kiosk forms validate --lang ja` can speak to
IT staff in their own language.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Literal

from forms.text import Text

Severity = Literal["error", "warning", "info"]


class FormsError(Exception):
    """Base of the forms package's exceptions."""


class ExpressionError(FormsError):
    """An expression that cannot be parsed or uses something not allowed."""

    def __init__(self, message: str, *, column: int | None) -> None:
        super().__init__(message if column is None else f"{message} (column {column})")
        self.column = column


class ShapeError(ValueError):
    """A model validator's complaint, in both languages and pinned to the key at fault
    (`length:`, not the field's first line): forms/schema_errors.py reports it there.
    A ValueError, because pydantic turns only those into validation errors."""

    def __init__(self, message: Text, *, key: str | None = None, hint: Text | None = None) -> None:
        super().__init__(message.get("en"))
        self.text = message
        self.key = key
        self.hint = hint


class UnknownFormError(FormsError):
    def __init__(self, form_id: str) -> None:
        super().__init__(
            f"no procedure with id '{form_id}' is loaded; `kiosk forms list` shows the ids")
        self.form_id = form_id


class Code(StrEnum):
    """Stable problem codes: tests and tools match on these, people read the message."""

    FILE_TOO_LARGE = "file_too_large"
    NOT_UTF8 = "not_utf8"
    YAML_SYNTAX = "yaml_syntax"
    YAML_DUPLICATE_KEY = "yaml_duplicate_key"
    YAML_ALIAS = "yaml_alias"
    NOT_A_MAPPING = "not_a_mapping"
    SCHEMA = "schema"
    DUPLICATE_FIELD = "duplicate_field"
    DUPLICATE_CHOICE = "duplicate_choice"
    DUPLICATE_FORM = "duplicate_form"
    UNKNOWN_REFERENCE = "unknown_reference"
    UNKNOWN_CHOICE = "unknown_choice"
    UNKNOWN_CHOICE_LIST = "unknown_choice_list"
    CIRCULAR_CONDITION = "circular_condition"
    BAD_EXPRESSION = "bad_expression"
    BAD_BINDING = "bad_binding"
    MY_NUMBER_AT_KIOSK = "my_number_at_kiosk"
    MY_NUMBER_UNDECLARED = "my_number_undeclared"
    TYPE_MISMATCH = "type_mismatch"
    MISSING_TRANSLATION = "missing_translation"
    UNKNOWN_COUNTER = "unknown_counter"
    UNKNOWN_FORM = "unknown_form"
    OVERRIDDEN = "overridden"
    EMPTY_DIRECTORY = "empty_directory"


@dataclass(frozen=True)
class Problem:
    severity: Severity
    code: Code
    file: Path
    line: int | None
    path: str
    message: Text
    hint: Text | None = None

    def render(self, lang: str = "en") -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}"
        label = {"error": ("エラー", "error"), "warning": ("警告", "warning"),
                 "info": ("情報", "info")}
        sev = label[self.severity][0 if lang == "ja" else 1]
        path = f" [{self.path}]" if self.path else ""
        text = f"{where}: {sev}{path}: {self.message.get(lang)}"
        if self.hint:
            text += f"\n    → {self.hint.get(lang)}"
        return text
