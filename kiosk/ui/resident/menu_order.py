"""The order of the procedure tiles on the first screen (no Kivy: app.py imports it)."""

from __future__ import annotations

from forms.model import Form

# The most asked-for certificates first; the rest by kind, then by id. A municipality
# that wants another order passes its own: run_kiosk(menu_first=(...)).
MENU_FIRST = ("juminhyo", "inkan_shomei", "koseki_shomei", "shotoku_kazei", "juminhyo_kisai")
CATEGORY_ORDER = ("certificate", "family_register", "tax", "moving", "registration",
                  "mynumber_card", "insurance", "welfare")


def menu_order(forms: list[Form], first: tuple[str, ...] = MENU_FIRST) -> list[Form]:
    def key(form: Form) -> tuple[int, int, str]:
        rank = first.index(form.id) if form.id in first else len(first)
        category = (CATEGORY_ORDER.index(form.category) if form.category in CATEGORY_ORDER
                    else len(CATEGORY_ORDER))
        return rank, category, form.id
    return sorted(forms, key=key)
