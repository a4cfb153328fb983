"""Exports for the back office: JSON (everything, nested) and CSV (one table per form).

CSV: one file per form, one row per application and procedure of that form. Two header rows,
field ids first (what an import maps) and the Japanese labels below (what a person reads);
the columns are the form definition's own fields in its order, a repeatable group flattened
as ``members[1].name``, ``members[2].name``... (counted from 1, as the printed form numbers its
rows), as many as the longest group in the export. Values are the stored, normalised answers:
ISO dates, choice values, ``true``/``false``, several choices joined by ``;``. UTF-8 with a
byte-order mark, which Excel in Japan needs to read UTF-8. A text that a spreadsheet would run
as a formula (starting ``= + - @``) gets a leading ``'`` (OWASP's CSV-injection advice).

Never the 12-digit number: `my_number` fields are left out of both formats, and a cell that
holds a valid 12-digit number anyway refuses the whole export (nothing is written).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common.clock import JST
from common.mynumber import find_my_number
from forms.engine import evaluate
from forms.loader import Library
from forms.model import Form, FormField
from kiosk.application import FlagCode, split_marks
from kiosk.desk.errors import ExportError
from kiosk.desk.view import loaded_form
from kiosk.store.repository import OpenedApplication

EXPORT_FORMAT = "kiosk-desk-export/1"
LEADING: tuple[tuple[str, str], ...] = (
    ("application_id", "申請番号"), ("ticket", "受付番号"), ("status", "状態"),
    ("office_code", "団体コード"), ("kiosk_id", "端末"), ("issued_at", "発行日時"),
    ("form_id", "様式ID"), ("form_version", "様式の版"), ("procedure", "手続の順番"),
)
FLAGS_COLUMN = ("flags", "確認事項（項目:印）")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str  # "name", "members[1].name"
    label: str


def _my_number_ids(form: Form | None) -> set[str]:
    return set(form.counter_only_ids()) if form else set()


def _without_my_number(answers: Mapping[str, Any], never: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in answers.items():
        if key in never:
            continue
        if isinstance(value, list):
            out[key] = [_without_my_number(v, never) if isinstance(v, Mapping) else v
                        for v in value]
        else:
            out[key] = value
    return out


def _marks(opened: OpenedApplication, index: int, form: Form | None) -> dict[str, list[str]]:
    """The kiosk's marks, plus `warning` where the form's warning rules do not hold (a notice
    period passed by the issue day), so the back office sees a late notification too."""
    proc = opened.submission.procedures[index]
    # Codes only: the card's value kept beside a correction is for the clerk's eyes.
    marks = {path: split_marks(found)[0] for path, found in proc.flags.items()}
    if form is not None:
        issued = opened.application.created_at.astimezone(JST).date()
        for warning in evaluate(form, proc.values, today=issued, stage="counter").warnings:
            marks.setdefault(warning.path, []).append(FlagCode.WARNING)
    return marks


def _refuse_my_number_anywhere(value: Any, where: str) -> None:
    """ExportError (nothing written) when a text, number or key holds a My Number: the rule of
    common.mynumber, integers included (a number field typed on the keypad)."""
    found = find_my_number(value, where)
    if found is not None:
        raise ExportError(f"{found} holds a 12-digit number; nothing was written")


# --- JSON ---------------------------------------------------------------------------------


def export_json(apps: Sequence[OpenedApplication], library: Library, *, office_code: str,
                exported_at: dt.datetime) -> bytes:
    items = []
    for opened in apps:
        stored, submission = opened.application, opened.submission
        procedures = []
        for i, proc in enumerate(submission.procedures):
            form = loaded_form(library, proc.form_id, proc.form_version)
            never = _my_number_ids(form) | _my_number_ids(_any_version(library, proc.form_id))
            procedures.append({
                "procedure": i, "form_id": proc.form_id, "form_version": proc.form_version,
                "title": form.title.ja if form else None,
                "answers": _without_my_number(proc.values, never),
                "flags": _marks(opened, i, form),
            })
        items.append({
            "application_id": stored.id, "ticket": stored.ticket, "status": stored.status,
            "office_code": stored.office_code, "kiosk_id": stored.kiosk_id,
            "issued_at": stored.created_at.astimezone(JST).isoformat(),
            "updated_at": stored.updated_at.astimezone(JST).isoformat(),
            "procedures": procedures,
        })
    _refuse_my_number_anywhere(items, "applications")
    doc = {"format": EXPORT_FORMAT, "exported_at": exported_at.astimezone(JST).isoformat(),
           "office_code": office_code, "count": len(items), "applications": items}
    return (json.dumps(doc, ensure_ascii=False, indent=2, default=_json_default) + "\n").encode()


def _json_default(value: object) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _any_version(library: Library, form_id: str) -> Form | None:
    found = library.current(form_id)
    return found.form if found else None


# --- CSV ----------------------------------------------------------------------------------


@dataclass
class _Row:
    opened: OpenedApplication
    index: int


def export_csv(apps: Sequence[OpenedApplication], library: Library) -> dict[str, bytes]:
    """form id -> the CSV bytes of that form's table."""
    by_form: dict[str, list[_Row]] = {}
    for opened in apps:
        for i, proc in enumerate(opened.submission.procedures):
            by_form.setdefault(proc.form_id, []).append(_Row(opened, i))
    return {form_id: _table(form_id, rows, library) for form_id, rows in sorted(by_form.items())}


def _table(form_id: str, rows: list[_Row], library: Library) -> bytes:
    procedures = [r.opened.submission.procedures[r.index] for r in rows]
    # The current form's columns first, then those only an older version (retired/) has,
    # labelled by it: a row of yesterday's slip keeps its labels.
    versions = sorted({p.form_version for p in procedures}, reverse=True)
    forms = [_any_version(library, form_id),
             *(loaded_form(library, form_id, version) for version in versions)]
    never = set().union(*(_my_number_ids(form) for form in forms))
    answers = [_without_my_number(p.values, never) for p in procedures]
    columns = _columns([form for form in forms if form is not None], answers)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    # The headers too: a form's labels come from files IT staff (or anyone) may write.
    writer.writerow([_safe(c) for c in [*(c[0] for c in LEADING), *(c.key for c in columns),
                                        FLAGS_COLUMN[0]]])
    writer.writerow([_safe(c) for c in [*(c[1] for c in LEADING), *(c.label for c in columns),
                                        FLAGS_COLUMN[1]]])
    for row, values in zip(rows, answers, strict=True):
        stored = row.opened.application
        proc = row.opened.submission.procedures[row.index]
        flat = _flatten(values)
        cells = [str(stored.id), stored.ticket, stored.status, stored.office_code,
                 stored.kiosk_id, stored.created_at.astimezone(JST).isoformat(), proc.form_id,
                 str(proc.form_version), str(row.index)]
        cells += [_cell(flat.get(c.key)) for c in columns]
        exact = loaded_form(library, proc.form_id, proc.form_version)
        cells.append(";".join(f"{path}:{mark}" for path, marks in
                              _marks(row.opened, row.index, exact).items() for mark in marks))
        for column, cell in zip([*LEADING, *((c.key, "") for c in columns), FLAGS_COLUMN], cells,
                                strict=True):
            _refuse_my_number_anywhere(cell, f"{form_id}.{column[0]}")
        writer.writerow([_safe(cell) for cell in cells])
    return out.getvalue().encode("utf-8-sig")


def _columns(forms: Sequence[Form], answers: list[dict[str, Any]]) -> list[Column]:
    """Each form's fields in order, groups flattened, a column once (the first form's label);
    then answers no form knows."""
    columns: list[Column] = []
    seen: set[str] = set()
    for form in forms:
        for field in form.fields:
            for column in _field_columns(field, answers, "", ""):
                if column.key not in seen:
                    seen.add(column.key)
                    columns.append(column)
    for values in answers:
        for key in _flatten(values):
            if key not in seen:
                seen.add(key)
                columns.append(Column(key, key))
    return columns


def _field_columns(field: FormField, answers: list[dict[str, Any]], prefix: str,
                   label_prefix: str) -> list[Column]:
    if field.kind.is_note or field.kind.counter_only:
        return []
    if field.kind.is_section:
        return [c for child in field.fields or []
                for c in _field_columns(child, answers, prefix, label_prefix)]
    if field.kind.repeats:
        count = max((len(v.get(field.id) or []) for v in answers
                     if isinstance(v.get(field.id), list)), default=0)
        out: list[Column] = []
        for n in range(1, count + 1):
            for child in field.fields or []:
                out.extend(_field_columns(child, answers, f"{prefix}{field.id}[{n}].",
                                          f"{label_prefix}{field.label.ja}{n} "))
        return out
    return [Column(f"{prefix}{field.id}", f"{label_prefix}{field.label.ja}")]


def _flatten(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            for n, item in enumerate(value, start=1):
                out.update(_flatten(item, f"{prefix}{key}[{n}]."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(_cell(v) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def _safe(cell: str) -> str:
    return f"'{cell}" if cell.startswith(_FORMULA_START) else cell


# --- files --------------------------------------------------------------------------------


def csv_paths(out: Path, form_ids: Iterable[str]) -> dict[str, Path]:
    """`export.csv` -> `export.juminhyo.csv`, `export.kokuho.csv`: one table per form."""
    suffix = out.suffix or ".csv"
    return {form_id: out.with_name(f"{out.stem}.{form_id}{suffix}") for form_id in form_ids}


def write_private(path: Path, data: bytes) -> None:
    """Write atomically, readable by the owner only (0600): the file holds personal data."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"{path}: {exc.strerror or type(exc).__name__}") from None
