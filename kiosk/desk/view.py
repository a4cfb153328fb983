"""What the clerk sees of one application: a typed `DeskView`, built without a screen.

The Kivy desk, `kiosk desk scan --json` and the tests all read the same value, so what a clerk
is shown is tested where it is made. Fields come in the form's own order (the paper form's),
each with its Japanese and English label and the answer in words (forms.reading). A repeatable
group (family members) is one entry whose `items` are its rows. The kiosk's marks are kept per
field; those a clerk checks against the register are `attention` flags, counted per procedure,
and a corrected answer carries what the card said when the kiosk kept it.

An application is worded with the form version it was made with, an older one kept in
`retired/` included. One whose form (or form version) this desk has not loaded is still shown:
every answer by its field id, under the warning `form_version_missing`. The 12-digit number is never
part of a view: the store never holds it, and a `my_number` field is skipped regardless.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from common.clock import JST
from common.flags import FLAG_WORDS, INFO_FLAGS, UNKNOWN_FLAG_JA, FlagCode, needs_check, split_marks
from forms.engine import Evaluation, evaluate
from forms.loader import Library
from forms.model import Form, FormField
from forms.reading import read_value
from kiosk.application import NEXT_STATUS, STATUS_WORDS, ProcedureAnswers, Status, Submission
from kiosk.desk.errors import (
    AlreadyCompleted,
    AlreadyScanned,
    Cancelled,
    DeskMessage,
    FormVersionMissing,
)
from kiosk.store.repository import AuditEvent, StoredApplication

# The status vocabulary has one home (kiosk/application.py), the flags' another (common/flags.py);
# these names stay importable from here for the desk's screens and commands.
__all__ = ["FLAG_WORDS", "INFO_FLAGS", "JST", "NEXT_STATUS", "STATUS_WORDS", "DeskView",
           "FieldView", "Flag", "ProcedureView", "build_view", "loaded_form", "procedure_view"]


@dataclass(frozen=True)
class Flag:
    """One mark on a field; `attention` means the clerk compares it with the register."""

    code: str
    ja: str
    en: str
    attention: bool

    @classmethod
    def of(cls, code: str) -> Flag:
        ja, en = FLAG_WORDS.get(code, (UNKNOWN_FLAG_JA, code))
        return cls(code, ja, en, needs_check(code))


@dataclass(frozen=True)
class FieldView:
    """One answer (or a section heading, or a group with its rows) as the clerk reads it.

    `kind` is the form's field type, "section" for a heading, "answer" for an answer shown by its
    field id because the form is not loaded. `value` is the answer as stored (normalised).
    """

    path: str
    field_id: str
    kind: str
    label_ja: str
    label_en: str
    value_ja: str
    value_en: str
    value: Any
    flags: tuple[Flag, ...] = ()
    items: tuple[tuple[FieldView, ...], ...] = ()
    # What the card said, when the resident corrected it ("" when the kiosk kept none).
    card_ja: str = ""
    card_en: str = ""

    @property
    def attention(self) -> bool:
        return any(f.attention for f in self.flags) or any(
            child.attention for row in self.items for child in row)

    def label(self, lang: str) -> str:
        return self.label_ja if lang == "ja" else self.label_en

    def display(self, lang: str) -> str:
        return self.value_ja if lang == "ja" else self.value_en

    def card(self, lang: str) -> str:
        return self.card_ja if lang == "ja" else self.card_en

    @property
    def warnings(self) -> tuple[Flag, ...]:
        """The form's warnings at this answer, in its own words (shown as a band of their own)."""
        return tuple(f for f in self.flags if f.code == FlagCode.WARNING)

    @property
    def marks(self) -> tuple[Flag, ...]:  # the short ones: from the card, corrected, ...
        return tuple(f for f in self.flags if f.code != FlagCode.WARNING)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path, "field_id": self.field_id, "type": self.kind,
            "label": {"ja": self.label_ja, "en": self.label_en},
            "display": {"ja": self.value_ja, "en": self.value_en},
            "value": self.value, "flags": [f.code for f in self.flags],
            "attention": self.attention,
        }
        warned = [{"ja": f.ja, "en": f.en} for f in self.flags if f.code == FlagCode.WARNING]
        if warned:
            out["warnings"] = warned
        if self.card_ja:
            out["card"] = {"ja": self.card_ja, "en": self.card_en}
        if self.items:
            out["items"] = [[child.to_json() for child in row] for row in self.items]
        return out


@dataclass(frozen=True)
class ProcedureView:
    """One procedure of the application: its form's title, its answers, what it needs."""

    index: int
    form_id: str
    form_version: int
    loaded: bool  # False: this desk has not loaded that form version (form_version_missing)
    title_ja: str
    title_en: str
    counter: str
    my_number_required: bool  # the resident shows the card at the counter; the desk reads it
    fields: tuple[FieldView, ...]
    # The form's warnings about the application as a whole (ja, en); those about one answer
    # are flags on its row.
    notices: tuple[tuple[str, str], ...] = ()

    @property
    def attention_count(self) -> int:
        return sum(1 for f in _leaves(self.fields) if any(flag.attention for flag in f.flags))

    def title(self, lang: str) -> str:
        return self.title_ja if lang == "ja" else self.title_en

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index, "form_id": self.form_id, "form_version": self.form_version,
            "loaded": self.loaded, "title": {"ja": self.title_ja, "en": self.title_en},
            "counter": self.counter, "my_number_required": self.my_number_required,
            "attention": self.attention_count, "fields": [f.to_json() for f in self.fields],
            "notices": [{"ja": ja, "en": en} for ja, en in self.notices],
        }


@dataclass(frozen=True)
class DeskView:
    """One application as the counter shows it, with warnings that carry stable codes."""

    application_id: int
    ticket: str
    status: str
    office_code: str
    office_name: str
    kiosk_id: str
    issued_at: dt.datetime
    slip_id: str
    # True when this desk's store had no row and took the application from the slip just now
    # (kiosk and desk on separate networks: the slip is the bridge).
    recorded_from_slip: bool
    first_scanned_at: dt.datetime | None  # an earlier scan of the same slip, if any
    first_scanned_desk: str | None
    warnings: tuple[DeskMessage, ...]
    procedures: tuple[ProcedureView, ...]
    # The counters the slip sends the resident to after this one (their names), in order.
    next_counters: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(w.code for w in self.warnings)

    def to_json(self) -> dict[str, Any]:
        return {
            "application_id": self.application_id, "ticket": self.ticket, "status": self.status,
            "office": {"code": self.office_code, "name": self.office_name},
            "kiosk_id": self.kiosk_id, "issued_at": self.issued_at.isoformat(),
            "slip_id": self.slip_id, "recorded_from_slip": self.recorded_from_slip,
            "first_scanned_at": (self.first_scanned_at.isoformat()
                                 if self.first_scanned_at else None),
            "first_scanned_desk": self.first_scanned_desk,
            "warnings": [w.to_json() for w in self.warnings],
            "next_counters": list(self.next_counters),
            "procedures": [p.to_json() for p in self.procedures],
        }

    def to_json_text(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2)


def _leaves(fields: Sequence[FieldView]) -> list[FieldView]:
    out: list[FieldView] = []
    for f in fields:
        out.append(f)
        for row in f.items:
            out.extend(_leaves(row))
    return out


# --- building -------------------------------------------------------------------------------


def loaded_form(library: Library, form_id: str, version: int) -> Form | None:
    """The form exactly as the kiosk used it (the current one, or an older version kept in
    retired/), or None. Another version may have renamed fields or changed choices, so it
    is not used to word the answers: the clerk would read a meaning the resident never chose.
    """
    return library.form_version(form_id, version)


def build_view(*, stored: StoredApplication, submission: Submission, library: Library,
               office_name: str, earlier: AuditEvent | None = None,
               recorded_from_slip: bool = False, only: Collection[str] | None = None,
               next_counters: tuple[str, ...] = ()) -> DeskView:
    """The view of an opened application; `earlier` is a previous scan of the same slip.
    `only`: the form ids of the counter's code scanned (the clerk of 保険年金課 does not see
    児童手当's bank account); each procedure keeps its index in the application."""
    issued = stored.created_at.astimezone(JST).replace(microsecond=0)
    procedures = tuple(
        procedure_view(i, proc, library, today=issued.date())
        for i, proc in enumerate(submission.procedures) if only is None or proc.form_id in only)
    warnings: list[DeskMessage] = []
    if earlier is not None:
        when = earlier.at.astimezone(JST)
        where = f", desk {earlier.desk_id}" if earlier.desk_id else ""
        warnings.append(AlreadyScanned.warning(f"{when:%Y-%m-%d %H:%M}{where}; "
                                               f"status {stored.status}"))
    if stored.status == Status.COMPLETED:
        warnings.append(AlreadyCompleted.warning())
    elif stored.status == Status.CANCELLED:
        warnings.append(Cancelled.warning())
    for proc in procedures:
        if not proc.loaded:
            have = library.current(proc.form_id)
            loaded = f"version {have.form.version} loaded" if have else "not loaded"
            warnings.append(FormVersionMissing.warning(
                f"{proc.form_id} version {proc.form_version}; {loaded}"))
    return DeskView(
        application_id=stored.id, ticket=stored.ticket, status=stored.status,
        office_code=stored.office_code, office_name=office_name, kiosk_id=stored.kiosk_id,
        issued_at=issued, slip_id=stored.slip_id, recorded_from_slip=recorded_from_slip,
        first_scanned_at=earlier.at.astimezone(JST) if earlier else None,
        first_scanned_desk=earlier.desk_id if earlier else None,
        warnings=tuple(warnings), procedures=procedures, next_counters=next_counters,
    )


def procedure_view(index: int, proc: ProcedureAnswers, library: Library, *,
                   today: dt.date) -> ProcedureView:
    form = loaded_form(library, proc.form_id, proc.form_version)
    if form is None:
        return ProcedureView(
            index=index, form_id=proc.form_id, form_version=proc.form_version, loaded=False,
            title_ja=proc.form_id, title_en=proc.form_id, counter="",
            my_number_required=False,
            fields=tuple(_raw_fields(proc.values, proc.flags, "")))
    ev = evaluate(form, proc.values, today=today, stage="counter")
    walker = _Walker(form, ev, proc.flags)
    fields = walker.fields(form.fields, ev.values, "")
    fields.extend(walker.leftovers(proc.values))
    return ProcedureView(
        index=index, form_id=form.id, form_version=form.version, loaded=True,
        title_ja=form.title.ja, title_en=form.title.get("en"), counter=form.counter,
        my_number_required=form.my_number_required, fields=tuple(fields),
        notices=tuple((w.message.ja, w.message.get("en")) for w in ev.warnings if not w.path))


def _empty(value: Any) -> bool:
    return value is None or value in ("", [], {})


class _Walker:
    """Walks the form's fields in order and words each answer the evaluation kept."""

    def __init__(self, form: Form, ev: Evaluation, flags: Mapping[str, Sequence[str]]) -> None:
        self.form, self.ev, self.flags = form, ev, flags
        self.used: set[str] = set()

    def fields(self, fields: Sequence[FormField], values: Mapping[str, Any],
               prefix: str) -> list[FieldView]:
        out: list[FieldView] = []
        for f in fields:
            if f.kind.is_note or f.kind.counter_only:
                continue  # nothing to show; the number is never held (DESIGN.md)
            if f.kind.is_section:
                children = self.fields(f.fields or [], values, prefix)
                if children:
                    out.append(FieldView(f"{prefix}{f.id}", f.id, "section", f.label.ja,
                                         f.label.get("en"), "", "", None))
                    out.extend(children)
            elif f.kind.repeats:
                group = self.group(f, values.get(f.id), prefix)
                if group is not None:
                    out.append(group)
            elif not _empty(values.get(f.id)):
                out.append(self.leaf(f, values[f.id], f"{prefix}{f.id}", beside=values))
        return out

    def group(self, f: FormField, items: Any, prefix: str) -> FieldView | None:
        if not isinstance(items, list) or not items:
            return None
        path = f"{prefix}{f.id}"
        if not prefix:
            self.used.add(f.id)
        rows = tuple(
            tuple(self.fields(f.fields or [], item if isinstance(item, Mapping) else {},
                              f"{path}[{i}]."))
            for i, item in enumerate(items))
        count = len(items)
        return FieldView(path, f.id, "group", f.label.ja, f.label.get("en"), f"{count}件",
                         f"{count} {'entry' if count == 1 else 'entries'}", items,
                         self._flags(path), rows)

    def leaf(self, f: FormField, value: Any, path: str, *, extra: tuple[str, ...] = (),
             beside: Mapping[str, Any] | None = None) -> FieldView:
        if "[" not in path:
            self.used.add(f.id)
        words = self._words(f, value, beside)
        if words is None:  # an answer the form cannot word: show it as stored
            words, extra = (_raw_text(value),) * 2, (*extra, FlagCode.INVALID)
        card = split_marks(self.flags.get(path, ()))[1]
        said = ("", "") if card is None or _empty(card[0]) else (
            self._words(f, card[0]) or (_raw_text(card[0]),) * 2)
        return FieldView(path, f.id, f.type, f.label.ja, f.label.get("en"), *words, value,
                         self._flags(path, extra), card_ja=said[0], card_en=said[1])

    def _words(self, f: FormField, value: Any, beside: Mapping[str, Any] | None = None
               ) -> tuple[str, str] | None:
        try:
            return (read_value(self.form, f, value, "ja", beside),
                    read_value(self.form, f, value, "en", beside))
        except (TypeError, ValueError):
            return None

    def _flags(self, path: str, extra: Sequence[str] = ()) -> tuple[Flag, ...]:
        """The kiosk's marks, then the form's warnings at this field in their own words (a
        notice period that had passed on the day the slip was issued)."""
        codes = list(dict.fromkeys([*split_marks(self.flags.get(path, ()))[0], *extra]))
        warned = tuple(Flag(FlagCode.WARNING, w.message.ja, w.message.get("en"), attention=True)
                       for w in self.ev.warnings if w.path == path)
        return tuple(Flag.of(c) for c in codes) + warned

    def leftovers(self, answers: Mapping[str, Any]) -> list[FieldView]:
        """Answers the evaluation did not keep: shown, marked, never silently dropped."""
        out: list[FieldView] = []
        known = {f.id: f for f in self.form.all_fields()}
        for key, value in answers.items():
            if key in self.used or _empty(value):
                continue
            field = known.get(key)
            if field is not None and field.kind.counter_only:
                continue
            if field is not None and field.kind.single_answer:
                out.append(self.leaf(field, value, key, extra=(FlagCode.INVALID,)))
            else:
                out.extend(_raw_fields({key: value}, self.flags, "", mark=FlagCode.NOT_IN_FORM))
        return out


def _raw_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _raw_fields(answers: Mapping[str, Any], flags: Mapping[str, Sequence[str]], prefix: str,
                *, mark: str = "") -> list[FieldView]:
    """Answers by field id, for a form this desk cannot word (form_version_missing)."""
    out: list[FieldView] = []
    for key, value in answers.items():
        path = f"{prefix}{key}"
        codes = [*split_marks(flags.get(path, ()))[0], *([mark] if mark else [])]
        marks = tuple(Flag.of(c) for c in dict.fromkeys(codes))
        if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            rows = tuple(tuple(_raw_fields(item, flags, f"{path}[{i}].", mark=mark))
                         for i, item in enumerate(value))
            out.append(FieldView(path, key, "answer", key, key, f"{len(value)}件",
                                 f"{len(value)} entries", value, marks, rows))
        else:
            text = _raw_text(value)
            out.append(FieldView(path, key, "answer", key, key, text, text, value, marks))
    return out
