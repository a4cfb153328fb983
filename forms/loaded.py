"""The loaded procedure library: what the kiosk offers, and what the desk reads slips with.

`load_library` (forms/loader.py) builds it. The kiosk asks `get(form_id)`: the current form,
the only one it offers. The desk asks `form_version(form_id, version)`: a slip or a stored
application names the version it was made with, and only that exact definition words its
answers, so an older version kept in `retired/` (forms/retired.py) reads yesterday's slips.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from forms.errors import Problem, UnknownFormError
from forms.model import Form, LifeEvent

Origin = Literal["shipped", "local"]


@dataclass(frozen=True)
class LoadedForm:
    form: Form
    file: Path
    origin: Origin
    # The form as data (an override's merged with what it extends): `kiosk forms diff` reads it.
    data: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # What this file replaced or extended (the shipped form, or an earlier folder's).
    base: LoadedForm | None = field(default=None, compare=False, repr=False)


@dataclass
class Library:
    forms: dict[str, LoadedForm] = field(default_factory=dict)
    life_events: dict[str, LifeEvent] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0
    # Loaded, but not offered: `[forms] hide` in kiosk.toml.
    hidden: dict[str, LoadedForm] = field(default_factory=dict)
    # Older versions of current forms (retired/), by (id, version): the desk reads the slips
    # they issued; the kiosk never offers them.
    retired: dict[tuple[str, int], LoadedForm] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def get(self, form_id: str) -> Form:
        try:
            return self.forms[form_id].form
        except KeyError:
            raise UnknownFormError(form_id) from None

    def current(self, form_id: str) -> LoadedForm | None:
        """The form now loaded under `form_id`, offered or hidden (`[forms] hide`)."""
        return self.forms.get(form_id) or self.hidden.get(form_id)

    def form_version(self, form_id: str, version: int) -> Form | None:
        """`form_id` exactly at `version`, as a slip or stored application of that version
        needs it: the current form (offered or hidden) when it is that version, else an older
        one kept in retired/; None when neither."""
        current = self.current(form_id)
        if current is not None and current.form.version == version:
            return current.form
        kept = self.retired.get((form_id, version))
        return kept.form if kept is not None else None
