"""Older versions of a current form, kept in a `retired/` folder for the counter desk.

A slip names each procedure's form by id and version, and the desk reads its answers only with
that exact definition (the digest of docs/slip-format.md). A slip stays valid for
`[desk] slip_valid_days` after the kiosk printed it, so when a form's `version:` is raised, the
slips of the version before are still coming to the counter: keeping that file in `retired/`
lets the desk word their answers and print their official form. The kiosk never offers it.

A retired file must be older than the current form of its id; one the same or newer would make
the desk read a slip of the current version with the wrong questions, or hide a form that was
meant to be offered.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from pathlib import Path

from forms.blocks import is_blocks_file
from forms.choice_lists import is_choice_lists_file
from forms.errors import Code, Problem
from forms.event_checks import LIFE_EVENTS_KEY
from forms.loaded import Library
from forms.model import Form
from forms.text import T
from forms.yamlsource import Source

RETIRED_DIR = "retired"


def in_retired(file: Path, directory: Path) -> bool:
    """A file in a folder named `retired/` anywhere under the forms folder `directory`."""
    return RETIRED_DIR in file.relative_to(directory).parts[:-1]


def retired_form(problems: list[Problem], src: Source) -> bool:
    """Whether a file of retired/ is a form. Blocks, choice lists and life events have no
    version: one there is an error (added to `problems`) and is not read."""
    data = src.data if isinstance(src.data, dict) else {}
    if LIFE_EVENTS_KEY in data or is_choice_lists_file(src) or is_blocks_file(src):
        problems.append(_not_a_form(src))
        return False
    return True


def keep_retired(lib: Library, src: Source, form: Form) -> bool:
    """Whether the desk may read slips with `form`, an older version read from retired/: its
    problems (at its `id:` or `version:` line) are added to the library's."""
    current = lib.current(form.id)
    kept = lib.retired.get((form.id, form.version))
    found = _problems(src, form, current=current.form if current else None,
                      current_file=current.file if current else None,
                      kept=kept.file if kept else None, ids=[*lib.forms, *lib.hidden])
    lib.problems.extend(found)
    return not any(p.severity == "error" for p in found)


def _not_a_form(src: Source) -> Problem:
    return Problem("error", Code.SCHEMA, src.file, src.line_of(()), "", T(
        "retired/ には手続きの古い版だけを置きます。このファイルは読み込みません。",
        "retired/ holds only older versions of procedure files; this file is skipped."),
        T("共通の項目・選択肢・ライフイベントのファイルは retired/ の外に置いてください。",
          "Keep blocks, choice lists and life events outside retired/."))


def _problems(src: Source, form: Form, *, current: Form | None, current_file: Path | None,
              kept: Path | None, ids: Collection[str]) -> list[Problem]:
    """What keeps `form` from being read at the desk; a warning only when no current form has
    its id. `kept` is another retired file of the same id and version."""
    version_line = src.line_of(("version",))
    if current is None or current_file is None:
        close = difflib.get_close_matches(form.id, sorted(ids), n=1)
        return [Problem("warning", Code.UNKNOWN_FORM, src.file, src.line_of(("id",)), "id", T(
            f"手続き「{form.id}」は読み込まれていないので、この古い版で読むものがありません"
            "（窓口で読めるのは、この版で発行済みの控えだけです）。",
            f"no procedure '{form.id}' is loaded: nothing to read this older version for "
            "(the desk reads with it only slips it already issued)."),
            T(f"「{close[0]}」ではありませんか。", f"Did you mean '{close[0]}'?") if close else T(
              "[desk] slip_valid_days を過ぎたら、このファイルを消してください。",
              "Delete this file once its slips are past [desk] slip_valid_days."))]
    if form.version >= current.version:
        same = form.version == current.version
        return [Problem("error", Code.DUPLICATE_FORM, src.file, version_line, "version", T(
            f"「{form.id}」の版 {form.version} は、今の手続き（{current_file.name}、版 "
            f"{current.version}）と{'同じ版' if same else 'より新しい版'}です。retired/ には古い版"
            "だけを置きます。このファイルは読み込みません。",
            f"'{form.id}' version {form.version} is {'the same version as' if same else 'newer than'}"
            f" the current procedure ({current_file.name}, version {current.version}); retired/ "
            "holds only older versions, so this file is skipped."),
            T("今の手続きの version: を上げてから、前の版をここに移してください。" if same else
              "キオスクに出す版なら retired/ の外に置き、そうでなければ version: を直してください。",
              "Raise `version:` in the current file before keeping the earlier one here."
              if same else "To offer it, move it out of retired/; otherwise correct its `version:`."))]
    if kept is not None:
        return [Problem("error", Code.DUPLICATE_FORM, src.file, version_line, "version", T(
            f"「{form.id}」の版 {form.version} は {kept.name} にもあります。"
            "このファイルは読み込みません。",
            f"'{form.id}' version {form.version} is also kept in {kept.name}; this file is skipped."),
            T("古い版は1つの版につき1ファイルにしてください。", "Keep one file for each older version."))]
    return []
