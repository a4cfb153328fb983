"""One form file checked with its library around it: `kiosk forms validate FILE`, `kiosk try FILE`.

A draft is rarely complete on its own: it includes shared blocks, names shared choice lists
or `extends:` a shipped form. So it is read after the library's folders, as if it were the
last file of the last one, and its problems are told under its own path. A file already in
one of those folders is simply that folder's file (read once, not twice as a duplicate).
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from forms.errors import Problem
from forms.loader import SHIPPED_DIR, Library, load_library
from forms.model import Form


@dataclass(frozen=True)
class FileCheck:
    library: Library  # the folders' forms with the file's
    problems: list[Problem]  # the file's own, named by the path given
    form: Form | None  # the procedure the file holds, when it loaded

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def check_file(path: Path, *, dirs: Sequence[Path], counters: set[str] | None = None,
               hide: Collection[str] = ()) -> FileCheck:
    """Loads `dirs` and `path` (which must exist) and keeps what concerns `path`."""
    real = path.resolve()
    if any(real.is_relative_to(d.resolve()) for d in [SHIPPED_DIR, *dirs]):
        library = load_library(list(dirs), counters=counters, hide=hide)
        return _kept(library, real, path)
    with tempfile.TemporaryDirectory(prefix="kiosk-form-file-") as folder:
        link = Path(folder) / path.name
        link.symlink_to(real)
        library = load_library([*dirs, Path(folder)], counters=counters, hide=hide)
        return _kept(library, link, path)


def _kept(library: Library, read_as: Path, path: Path) -> FileCheck:
    def ours(file: Path) -> bool:
        return file == read_as or file.resolve() == read_as.resolve()

    problems = [dataclasses.replace(p, file=path) for p in library.problems if ours(p.file)]
    loaded = [*library.forms.values(), *library.hidden.values()]
    form = next((lf.form for lf in loaded if ours(lf.file)), None)
    return FileCheck(library, problems, form)
