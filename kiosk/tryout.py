"""`kiosk try`: one form on the real kiosk screens, with the sample card, storing nothing.

IT staff who wrote or changed a form want to go through it as a resident would before it is
published. The try-out is the real kiosk (build_kiosk: session, submitter, slip) on throwaway
parts made in a temporary folder and deleted on exit: a SQLite file, fresh keys and a staff
account of its own. The configured database and keys are never opened, so nothing reaches
the audit trail or the staff accounts, and a try-out slip can never be accepted by a real
desk: no desk holds the try-out's keys. Its slip says so on paper (SlipPaper.marking).

No Kivy here: kiosk/cli/try_cmd.py opens the screen, kiosk/ui/resident/try_walk.py walks it
without one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import difflib
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common.clock import JST
from drivers.card.emulator import SAMPLE_IDENTITY, VirtualCard, load_identity
from drivers.card.emulator.pcscd import Pcscd
from drivers.printer.file import FileSink
from drivers.scanner.image import codes_in_image
from forms.errors import Problem
from forms.loader import Library, LoadedForm
from forms.model import Form, FormField
from forms.one_file import check_file
from kiosk.branch_answers import answers_from
from kiosk.config import KioskConfig, StaffCallConfig
from kiosk.demo import prepare_storage
from kiosk.errors import KioskError
from kiosk.wiring import KioskParts, build_kiosk, load_forms
from printouts.payload import decode, load_desk_keys
from printouts.payload.errors import PayloadError

TRY_KIOSK_ID = "TRY"  # the throwaway key's kiosk: no trust.json of a real desk lists it
MARKING = "見本・試用 TRY-OUT　窓口では受け付けません / not valid at any counter"


@dataclass(frozen=True)
class FoundForm:
    """The form to try, or why it cannot be tried: the loader's problems with its file."""

    form: Form | None
    problems: list[Problem]


@dataclass(frozen=True)
class TryOut:
    """The running try-out: the kiosk's parts, the card's reader and where the slips go."""

    parts: KioskParts
    reader_name: str
    out_dir: Path
    keys_dir: Path
    office_code: str

    def slips(self) -> list[Path]:
        """The documents printed so far (the slip, and a paper form if one was needed)."""
        printer = self.parts.printer
        return [w.path for w in printer.output] if isinstance(printer, FileSink) else []


# ---------------------------------------------------------------- finding the form
def find_form(target: str, *, config: KioskConfig) -> FoundForm:
    """A procedure id of the configured library (hidden ones too: try before showing), or a
    form file not yet in a forms folder, read after the configured folders so its `include:`
    and choice lists are theirs and an `extends:` finds its form."""
    path = Path(target)
    if path.suffix in (".yaml", ".yml") or path.is_file():
        return _from_file(path, config=config)
    library = load_forms(config=config, allow_empty=True)
    loaded = library.forms.get(target) or library.hidden.get(target)
    if loaded is not None:
        return FoundForm(loaded.form, [])
    broken = [p for p in library.errors if p.file.stem == target]
    if broken:
        return FoundForm(None, broken)
    raise KioskError(unknown_form(target, [*library.forms, *library.hidden]))


def unknown_form(target: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(target, sorted(known), n=3, cutoff=0.5)
    guess = (f"\n  もしかして / did you mean: {', '.join(close)}" if close else "")
    return (f"手続き「{target}」は読み込まれていません / no procedure '{target}' is loaded.{guess}"
            "\n  id の一覧 / the ids: kiosk forms list")


def _from_file(path: Path, *, config: KioskConfig) -> FoundForm:
    if not path.is_file():
        raise KioskError(f"ファイルがありません / no such file: {path}")
    checked = check_file(path, dirs=config.forms.dirs, counters=set(config.counters))
    if checked.form is None and not checked.errors:
        raise KioskError(f"{path}: 手続きのファイルではありません / not a procedure file "
                         "(choice lists, blocks or life events)")
    return FoundForm(None if checked.errors else checked.form, checked.problems)


# ---------------------------------------------------------------- --as
def applicant_field(form: Form) -> FormField | None:
    return next((f for f in form.all_fields() if f.kind.names_applicant), None)


def as_applicant(form: Form, kind: str) -> Form:
    """The form with its applicant question answered `kind` (as its default: the kiosk fills
    defaults when the resident is identified, so the question is not asked; the confirm screen
    still lists it, to be changed)."""
    field = applicant_field(form)
    kinds = [a.kind for a in form.applicants]
    if field is None:
        raise KioskError(f"--as: 「{form.id}」は窓口に来た人を尋ねません / '{form.id}' has no "
                         "applicant question")
    if kind not in kinds:
        raise KioskError(f"--as {kind}: 「{form.id}」で選べるのは {', '.join(kinds)} です / "
                         f"'{form.id}' offers: {', '.join(kinds)}")
    return form.model_copy(update={"fields": _with_default(form.fields, field.id, kind)})


def _with_default(fields: list[FormField], field_id: str, value: str) -> list[FormField]:
    return [f.model_copy(update={"default": value}) if f.id == field_id
            else f.model_copy(update={"fields": _with_default(f.fields, field_id, value)})
            if f.fields else f for f in fields]


def sample_path(form: Form) -> dict[str, Any]:
    """The answers the robot gives without a screen: the samples of the branch the form's
    defaults choose (`--as`), as `kiosk forms preview --answers` prints them."""
    given = {f.id: f.default for f in form.all_fields() if f.default is not None
             and f.kind.names_applicant}
    return answers_from(form, given, today=dt.datetime.now(JST).date(), stage="kiosk",
                        source=Path("--as"))


# ---------------------------------------------------------------- the throwaway kiosk
@contextlib.contextmanager
def try_out(form: Form, *, config: KioskConfig, out_dir: Path, lang: str | None = None,
            identity_file: Path | None = None) -> Iterator[TryOut]:
    """pcscd with the sample card, and a kiosk offering `form` alone on throwaway parts."""
    out_dir.mkdir(parents=True, exist_ok=True)
    languages = [lang, *(x for x in config.languages if x != lang)] if lang else config.languages
    with tempfile.TemporaryDirectory(prefix="kiosk-try-") as folder, Pcscd():
        card = VirtualCard(load_identity(identity_file or SAMPLE_IDENTITY))
        card.start()
        try:
            throwaway = _throwaway_config(config, Path(folder), card.reader_name, languages)
            parts = _build(form, throwaway, out_dir)
            try:
                yield TryOut(parts, card.reader_name, out_dir, throwaway.keys_dir,
                             config.office.code)
            finally:
                parts.close()
        finally:
            card.stop()


def _throwaway_config(config: KioskConfig, folder: Path, reader: str,
                      languages: list[str]) -> KioskConfig:
    """The office's settings (its name, counters, timeouts) over the temporary folder's parts."""
    return config.model_copy(update={
        "database": config.database.model_copy(update={"url": f"sqlite:///{folder / 'try.sqlite3'}"}),
        "keys_dir": folder / "keys", "kiosk_id": TRY_KIOSK_ID, "languages": languages,
        "card": config.card.model_copy(update={"reader": reader}),
        "staff_call": StaffCallConfig()})  # no bell rings for a try-out


def _build(form: Form, config: KioskConfig, out_dir: Path) -> KioskParts:
    prepare_storage(config)  # keys, schema and the demo's clerk, as `kiosk demo` makes them
    library = Library(forms={form.id: LoadedForm(form, Path(f"{form.id}.yaml"), "local")})
    parts = build_kiosk(config=config, library=library, printer=(FileSink(out_dir), "file"))
    parts.submitter.slip_paper = dataclasses.replace(parts.submitter.slip_paper, marking=MARKING)
    return parts


# ---------------------------------------------------------------- reading the slip back
def read_back(slip: Path, run: TryOut) -> list[str]:
    """What a desk holding the try-out's keys reads from the printed slip: each procedure's id
    and version, its applicant kind and how many answers; no answer's value (a clerk trying
    the form by hand may have typed real ones)."""
    library, keys = run.parts.library, load_desk_keys(run.keys_dir)
    lines = []
    for text in codes_in_image(slip):
        try:
            app = decode(text, keys, office_code=run.office_code,
                         forms=library.form_version).application
        except PayloadError as exc:
            lines.append(f"読めないコード / a code that does not open: {exc.code}")
            continue
        for entry in app.procedures:
            field = applicant_field(library.get(entry.form_id))
            who = entry.answers.get(field.id) if field else None
            lines.append(f"{entry.form_id} v{entry.form_version}: applicant={who}, "
                         f"{len(entry.answers)} answers")
    return lines
