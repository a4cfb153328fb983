"""One question per screen, answered with the widget its field type calls for.

The answer widget is rebuilt only when the question changes (or the language: then what
was typed so far is carried over), so typing is never lost to a refresh. Beside a required
question, 「わからない」 calls the staff; after a refused answer the paper form is offered:
neither loses what was answered.
"""

from __future__ import annotations

from typing import Any

from forms.model import Form
from kiosk.session.session import Question
from kiosk.ui.i18n import N_
from kiosk.ui.resident.inputs.base import FieldInput
from kiosk.ui.resident.inputs.factory import GroupCalls, make_input
from kiosk.ui.resident.messages import message_text
from kiosk.ui.resident.screens.base import KioskScreen, Primary


class AskScreen(KioskScreen):
    def __init__(self, **kwargs: Any) -> None:
        self.input: FieldInput | None = None
        self._key: tuple[Any, ...] | None = None
        super().__init__(**kwargs)

    # what differs between manual entry and the procedures' questions
    def current(self) -> Question | None:
        raise NotImplementedError

    def form(self, question: Question) -> Form:
        raise NotImplementedError

    def context(self, question: Question) -> str:
        raise NotImplementedError

    def answer(self, value: Any) -> None:
        raise NotImplementedError

    def group_calls(self, question: Question) -> GroupCalls | None:
        return None

    # the screen
    def title(self) -> str:
        return self.ui.tr("A few questions")

    def refresh(self) -> None:
        ui = self.ui
        question = self.current()
        if question is None:
            return
        field = question.state.field
        ui.set_text(self.ids.context, self.context(question))
        ui.set_text(self.ids.kana, ui.furigana(field.label))
        ui.set_text(self.ids.label, ui.form_text(field.label))
        ui.set_text(self.ids.help, ui.form_text(field.help))
        ui.set_text(self.ids.message, message_text(self.session.message, ui.tr))
        self._ways(question)
        form = self.form(question)
        group = self.group_calls(question)
        items = len(group.items) if group else 0
        key = (self.session.generation, form.id, question.procedure, question.state.path,
               ui.lang, items)
        if key == self._key and self.input is not None:
            return
        same_question = self._key is not None and self._key[:4] == key[:4]
        initial = self.input.value() if same_question and self.input else question.state.value
        self._key = key
        widget = make_input(ui=ui, form=form, question=question, initial=initial,
                            submit=self.answer, today=self.session.today(), group=group,
                            beside=lambda fid: self.session.answer_beside(question, fid))
        if same_question and self.input is not None:
            widget.resume(self.input)
        self._set_input(widget)

    def _ways(self, question: Question) -> None:
        ui, ways = self.ui, self.ids.ways
        ways.clear_widgets()
        if question.state.required:
            ways.add_widget(ui.button(ui.tr("I don't know"), kid="ask:dont_know",
                                      role="staff", on_release=self._dont_know))
        if self.session.paper_offered:
            ways.add_widget(ui.button(ui.tr("Use a paper form instead"), kid="ask:paper",
                                      on_release=self._paper))

    def _set_input(self, widget: FieldInput | None) -> None:
        if self.input is not None:
            self.input.clear()
        self.ids.answer.clear_widgets()
        self.input = widget
        if widget is not None:
            self.ids.answer.add_widget(widget)

    def on_touch_up(self, touch: Any) -> bool:
        """After every key: a message the answer typed so far no longer deserves goes."""
        handled = bool(super().on_touch_up(touch))
        if self.session.message is not None and self.input is not None and self.parent:
            self.session.draft(self.input.value())
            if self.session.message is None:
                self.ui.set_text(self.ids.message, "")
                self.actions.show()
        return handled

    def primary(self) -> Primary | None:
        question = self.current()
        if question is None or self.input is None:
            return None
        if question.state.field.kind.repeats:
            return Primary("ask:done", self.ui.tr("All entered: next"), self._finish_group)
        if self.input.needs_next:
            return Primary("ask:next", self.ui.tr("Next"), self._next)
        if not question.state.required:
            return Primary("ask:skip", self.ui.tr("Skip"), lambda: self.answer(None))
        return None

    def _next(self) -> None:
        if self.input is not None:
            self.answer(self.input.value())

    def _finish_group(self) -> None:
        self.actions.act(self.session.finish_group)

    def _dont_know(self) -> None:
        self.actions.act(self.session.dont_know)

    def _paper(self) -> None:
        self.actions.run_blocking(self.session.request_paper_form,
                                  progress=N_("Printing the paper form…"))

    def clear(self) -> None:
        self._key = None
        self._set_input(None)
        self.ids.ways.clear_widgets()
        for name in ("context", "label", "kana", "help", "message"):
            self.ids[name].text = ""
            self.ids[name].plain = ""
