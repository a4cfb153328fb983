"""A group question: the items so far and 「追加する」; each item's fields are then asked
one per screen, like any other question (Session.add_group_item / edit_group_item)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from kivy.uix.boxlayout import BoxLayout

from forms.model import FormField
from forms.text import Text
from kiosk.session.display import item_summary
from kiosk.ui.resident.inputs.base import FieldInput, Submit
from kiosk.ui.resident.kit import UiKit


class GroupInput(FieldInput):
    def __init__(self, *, ui: UiKit, submit: Submit, field: FormField,
                 items: list[dict[str, Any]], add: Callable[[], None],
                 edit: Callable[[int], None], remove: Callable[[int], None],
                 **kwargs: Any) -> None:
        super().__init__(ui=ui, submit=submit, **kwargs)
        tr = ui.tr
        item_label = ui.form_text(field.item_label or Text(ja="項目", en="Item"))
        for index, item in enumerate(items):
            row = BoxLayout(size_hint_y=None, height=96, spacing=10)
            name = item_summary(field, item) or tr("(not filled in yet)")
            row.add_widget(ui.label(f"{index + 1}. {name}", role="value", size_hint_y=1))
            for kid, text, action in ((f"group:edit:{index}", tr("Correct"), edit),
                                      (f"group:remove:{index}", tr("Remove"), remove)):
                row.add_widget(ui.key(text, kid=kid, role="secondary", size_hint_x=None,
                                      width=180, on_release=partial(action, index)))
            self.ids.rows.add_widget(row)
        self.ids.add_row.add_widget(ui.key(tr("Add: {item}", item=item_label), kid="group:add",
                                           role="choice", on_release=add))

    def value(self) -> Any:
        return None

    def clear(self) -> None:
        self.ids.rows.clear_widgets()
        self.ids.add_row.clear_widgets()
