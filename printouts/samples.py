"""Sample answers that fill every field a form can show, for previews, tests and benchmarks.

IT staff preview a new form before residents see it, so the sample must reach the fields
behind conditions too: each choice is tried in turn and the one that shows the most fields
(without making the answers invalid) is kept. The names include 𠮷 and 髙, which BIZ UD
Gothic lacks or varies, so the font fallback is visible in every preview.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

import base45

from common.mynumber import check_digit
from forms.engine import Evaluation, Stage, evaluate
from forms.model import Form, FormField, digit_count
from forms.reading import options

SAMPLE_NAME = "見本 花子"
SAMPLE_BANK, SAMPLE_BRANCH = "0005", "002"
SAMPLE_NAME_KANA = "ミホン ハナコ"
SAMPLE_RARE_NAME = "𠮷田 髙橋"  # 𠮷 (U+20BB7) is in no JIS X 0208 font: it shows the fallback
SAMPLE_ADDRESS = "みほん市中央一丁目2番3号 見本ハイツ101号室"
SAMPLE_NEW_ADDRESS = "みほん市桜が丘三丁目12番地の5 さくら荘201号室"  # where someone moves to
SAMPLE_POSTAL_CODE = "123-4567"
SAMPLE_PHONE = "090-1234-5678"
SAMPLE_BIRTH_DATE = dt.date(1985, 6, 15)  # 昭和60年
SAMPLE_TEXT = "見本の記入です"
# Further names for further people (group members, a guarantor), so a table shows distinct rows.
SAMPLE_OTHER_NAMES = ("見本 太郎", "見本 次郎", "見本 三郎")


# What a sealed slip of one or two procedures is about as long as (printouts/payload sizes).
SAMPLE_QR_LENGTH = 600


def sample_qr_text(length: int = SAMPLE_QR_LENGTH) -> str:
    """A stand-in for the sealed slip text: Base45 of the right length, never a real slip.

    "PREVIEW-" is not the payload's "KS1-" prefix, so a desk that scans a preview refuses it
    as not ours instead of trying to open it.
    """
    prefix = "PREVIEW-"
    raw = b"".join(hashlib.sha256(i.to_bytes(2, "big")).digest() for i in range(length // 32 + 1))
    body: bytes = base45.b45encode(raw)
    return prefix + body.decode("ascii")[: length - len(prefix)]


def sample_flags(form: Form) -> dict[str, list[str]]:
    """Flags as the kiosk sets them: card values marked, the first card address corrected."""
    flags: dict[str, list[str]] = {}
    corrected = False
    for path, f in _paths(form.fields):
        if not f.bind or not f.bind.startswith("card.") or f.bind == "card.my_number":
            continue
        if f.bind == "card.address" and not corrected:
            flags[path] = ["corrected"]
            corrected = True
        else:
            flags[path] = ["from_card"]
    return flags


def _paths(fields: list[FormField], prefix: str = "") -> list[tuple[str, FormField]]:
    """Each field with its answer path; a group's bound fields on its first item (the card
    holder, as the kiosk fills it)."""
    out: list[tuple[str, FormField]] = []
    for f in fields:
        if f.kind.is_section:
            out.extend(_paths(f.fields or [], prefix))
        elif f.kind.repeats:
            out.extend(_paths(f.fields or [], f"{prefix}{f.id}[0]."))
        else:
            out.append((f"{prefix}{f.id}", f))
    return out


def sample_card() -> dict[str, Any]:
    """The basic four items as the card reader hands them over (for `prefill`)."""
    return {"name": SAMPLE_NAME, "address": SAMPLE_ADDRESS, "birth_date": SAMPLE_BIRTH_DATE,
            "sex": "female"}


def sample_my_number() -> str:
    """A 12-digit number with a right check digit, made of a visible test pattern."""
    first = "12345678901"
    return f"{first}{check_digit(first)}"


def sample_answers(form: Form, today: dt.date, *, stage: Stage = "kiosk") -> dict[str, Any]:
    """Valid answers showing as many fields as the choices allow.

    `stage="counter"` also fills the 12-digit number, which only the counter desk may hold.
    """
    sampler = _Sampler(form, today, stage)
    answers = sampler.complete({})
    for _ in range(3):  # a later choice may reveal fields an earlier one depends on
        changed = False
        for field in _choice_fields(form.fields):
            best = sampler.best_option(field, answers)
            if best != answers.get(field.id):
                answers[field.id] = best
                changed = True
        answers = sampler.complete(answers)
        if not changed:
            break
    return _visible_only(evaluate(form, answers, today=today, stage=stage), answers)


class _Names:
    """Hands out the rare name first, then distinct plain names, then the resident's own."""

    def __init__(self) -> None:
        self._left = [SAMPLE_RARE_NAME, *SAMPLE_OTHER_NAMES]

    def next(self) -> str:
        return self._left.pop(0) if self._left else SAMPLE_NAME


def _visible_only(ev: Evaluation, answers: dict[str, Any]) -> dict[str, Any]:
    """Drop answers to hidden fields: a preview should print nothing the form would not keep."""
    shown = {s.path for s in ev.visible()}
    out: dict[str, Any] = {}
    for key, value in answers.items():
        if key not in shown:
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            out[key] = [{k: v for k, v in item.items() if f"{key}[{i}].{k}" in shown}
                        for i, item in enumerate(value)]
        else:
            out[key] = value
    return out


def _choice_fields(fields: list[FormField]) -> list[FormField]:
    out: list[FormField] = []
    for f in fields:
        if f.kind.is_choice:
            out.append(f)
        elif f.kind.is_section:
            out.extend(_choice_fields(f.fields or []))
    return out


def _options(form: Form, field: FormField) -> list[Any]:
    """Each answer to try: one option at a time (a multi-choice picking that one alone)."""
    values = [value for value, _ in options(form, field)]
    return [[v] for v in values] if field.kind.multiple else values


class _Sampler:
    def __init__(self, form: Form, today: dt.date, stage: Stage) -> None:
        self.form, self.today, self.stage = form, today, stage

    def evaluate(self, answers: dict[str, Any]) -> Evaluation:
        return evaluate(self.form, answers, today=self.today, stage=self.stage)

    def complete(self, answers: dict[str, Any]) -> dict[str, Any]:
        """Every empty field filled, then each value a rule refuses swapped for one it takes."""
        answers = self.fill(self.form.fields, answers, _Names())
        for _ in range(4):
            ev = self.evaluate(answers)
            wrong = [e.path for e in ev.errors if e.path]
            if not wrong or not self.repair(answers, wrong):
                break
        return answers

    def repair(self, answers: dict[str, Any], paths: list[str]) -> bool:
        """Try other plausible values at each wrong path (a child's birth date, 7 digits)."""
        mended = False
        for path in paths:
            field = self.at(path)
            if field is None:
                continue
            for value in self.candidates(field):
                trial = _with(answers, path, value)
                if self.evaluate(trial).error_at(path) is None:
                    answers.clear()
                    answers.update(trial)
                    mended = True
                    break
        return mended

    def at(self, path: str) -> FormField | None:
        try:
            return self.form.field(path.rsplit(".", 1)[-1].split("[", maxsplit=1)[0])
        except KeyError:
            return None

    def candidates(self, f: FormField) -> list[Any]:
        if f.kind.is_date:
            days = (-3 * 365, -365, -30, 0, 7, -20 * 365)
            return [_clamp(f, self.today + dt.timedelta(days=d), self.today).isoformat() for d in days]
        if f.kind.is_number:
            return [v for v in (f.min, f.max, 1, 3) if isinstance(v, int)]
        if f.kind.is_choice:
            return _options(self.form, f)
        return list(_TYPED_CANDIDATES.get(f.type, ()))

    def best_option(self, field: FormField, answers: dict[str, Any]) -> Any:
        best, best_score = answers.get(field.id), (False, -1)
        for option in _options(self.form, field):
            trial = self.complete({**answers, field.id: option})
            ev = self.evaluate(trial)
            score = (ev.ok, len(ev.visible()))
            if score > best_score:  # ties keep the earlier option: the first choice wins
                best, best_score = option, score
        return best

    def fill(self, fields: list[FormField], answers: dict[str, Any],
             names: _Names) -> dict[str, Any]:
        """`answers` with a value for every field that has none; sections share the top level."""
        out = dict(answers)
        for f in fields:
            if f.kind.is_section:
                out = self.fill(f.fields or [], out, names)
            elif f.kind.repeats:
                if f.id not in out:
                    # The card holder is the first item, as the kiosk fills it; the others
                    # are other people, with names of their own.
                    others = [c.model_copy(update={"bind": None}) for c in f.fields or []]
                    out[f.id] = [self.fill(f.fields or [] if i == 0 else others, {}, names)
                                 for i in range(_items(f))]
            elif f.id not in out:
                value = self.value(f, names)
                if value is not None:
                    out[f.id] = value
        return out

    def value(self, f: FormField, names: _Names) -> Any:
        if f.bind == "card.sex":
            return sample_card()["sex"]
        if f.kind.counter_only and self.stage != "counter":
            return None
        return SAMPLE_VALUES[f.type](self, f, names) if f.kind.single_answer else None


def _with(answers: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of `answers` with `value` at "field" or "group[i].field"."""
    out = dict(answers)
    if "[" not in path:
        out[path] = value
        return out
    group, rest = path.split("[", 1)
    index, child = rest.split("].", 1)
    items = [dict(item) for item in out.get(group, [])]
    items[int(index)][child] = value
    out[group] = items
    return out


def _items(field: FormField) -> int:
    high = field.max if isinstance(field.max, int) else 2
    low = field.min if isinstance(field.min, int) else 0
    return max(low, min(2, high))


def _address(f: FormField) -> str:
    return SAMPLE_NEW_ADDRESS if "new" in f.id and not f.bind else SAMPLE_ADDRESS


def _text(f: FormField, names: _Names) -> str:
    if f.bind == "card.address":
        return _address(f)
    if f.bind == "card.name":
        return SAMPLE_NAME
    if "氏名" in f.label.ja:
        return names.next()
    if "番号" in f.label.ja or "number" in f.id:
        return "1234567"
    return SAMPLE_TEXT


def _trim(text: str, max_length: int | None) -> str:
    return text[:max_length] if max_length else text


def _integer(f: FormField) -> int:
    # One copy, or two of anything else (two people, two years), within the field's bounds.
    value = f.kind.default_bounds[0] if f.kind.default_bounds else 2
    low = f.min if isinstance(f.min, int) else value
    high = f.max if isinstance(f.max, int) else value
    return min(max(value, low), high)


def _date(f: FormField, today: dt.date) -> dt.date:
    low, high = f.date_bounds(today)
    if f.bind == "card.birth_date" or "birth" in f.id:
        day = SAMPLE_BIRTH_DATE
    elif low is not None and high is None:
        day = low + dt.timedelta(days=7)  # a date still to come (moving day, start date)
    else:
        day = today
    return _clamp(f, day, today)


def _clamp(f: FormField, day: dt.date, today: dt.date) -> dt.date:
    low, high = f.date_bounds(today)
    if low is not None and day < low:
        day = low
    if high is not None and day > high:
        day = high
    return day


_Sample = Callable[[_Sampler, FormField, _Names], Any]
# A plausible answer per type holding one answer (the 12-digit number at the counter only).
SAMPLE_VALUES: dict[str, _Sample] = {
    "text": lambda s, f, names: _trim(_text(f, names), f.max_length),
    "address": lambda s, f, names: _trim(_address(f), f.max_length),
    "katakana": lambda s, f, names: _trim(SAMPLE_NAME_KANA, f.max_length),
    "integer": lambda s, f, names: _integer(f),
    "copies": lambda s, f, names: _integer(f),
    "date": lambda s, f, names: _date(f, s.today).isoformat(),
    "choice": lambda s, f, names: _options(s.form, f)[0],
    "multi_choice": lambda s, f, names: _options(s.form, f)[0],
    "yes_no": lambda s, f, names: _options(s.form, f)[0],
    "applicant": lambda s, f, names: _options(s.form, f)[0],
    "postal_code": lambda s, f, names: SAMPLE_POSTAL_CODE,
    "phone": lambda s, f, names: SAMPLE_PHONE,
    "my_number": lambda s, f, names: sample_my_number(),
    # Leading zeros, so a preview shows they are kept: 0012345 for a 7-digit account.
    "digits": lambda s, f, names: "12345".rjust(digit_count(f)[1], "0")[-digit_count(f)[1]:],
    # 三菱ＵＦＪ銀行 丸の内: a bank every sample uses, so the sample branch is one of its own.
    "bank": lambda s, f, names: SAMPLE_BANK,
    "bank_branch": lambda s, f, names: SAMPLE_BRANCH,
}
# Other values to try when a rule refuses the first (an account number of the wrong length).
_TYPED_CANDIDATES: dict[str, tuple[str, ...]] = {
    "text": ("1234567", "12345", "12345678", "見本", "1"),
    "address": (SAMPLE_NEW_ADDRESS, SAMPLE_ADDRESS),
}
