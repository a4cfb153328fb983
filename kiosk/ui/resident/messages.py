"""The session's message keys and card problems in words (msgids for the catalogues)."""

from __future__ import annotations

from forms.text import Text
from kiosk.session.session import CardProblem, Message
from kiosk.ui.i18n import N_, Translator

MESSAGES = {
    "wrong_pin": N_("The PIN is not right. Please try again."),
    "pin_format": N_("The PIN has 4 digits."),
    "print_failed": N_("The printer could not print. A staff member will print it for you."),
    "wrong_staff_pin": N_("The staff ID or the PIN is not right."),
    "staff_locked": N_("Locked for 15 minutes after 5 wrong tries. Wait, or ask a supervisor "
                       "to unlock it."),
    "close_needs_admin": N_("Only an administrator (admin) can close the kiosk."),
    "group_full": N_("No more can be added here. Please tell a staff member."),
}

# What happened, in plain words, and what the resident can do next.
CARD_PROBLEMS = {
    CardProblem.NO_READER: (
        N_("The card reader is not working"),
        N_("The card cannot be read at this kiosk just now. You can enter your details "
           "by touch instead, or ask a staff member.")),
    CardProblem.NO_CARD: (
        N_("No card on the reader"),
        N_("Place your My Number card flat on the reader, face up, and touch "
           "'Read my card again'.")),
    CardProblem.NOT_MY_NUMBER_CARD: (
        N_("This card cannot be read"),
        N_("It does not read as a My Number card. Check that it is your My Number card, "
           "face up, and try again.")),
    CardProblem.REMOVED: (
        N_("The card moved while it was being read"),
        N_("Please leave the card on the reader until the next screen appears, and try again.")),
    CardProblem.LAST_TRY: (
        N_("Only one PIN try is left"),
        N_("One more wrong PIN would lock your card, and it can then only be unlocked at "
           "the city office. So the kiosk does not ask for it. You can enter your details "
           "by touch, or ask a staff member.")),
    CardProblem.BLOCKED: (
        N_("The card's PIN is locked"),
        N_("The PIN was entered wrongly too many times. It can be reset at the My Number "
           "card counter. You can apply today with a paper form or with a staff member.")),
    CardProblem.UNREADABLE: (
        N_("The card could not be read"),
        N_("Please try once more. If it still does not work, enter your details by touch "
           "or ask a staff member.")),
}


def message_text(message: Message | None, tr: Translator) -> str:
    if message is None:
        return ""
    if isinstance(message, Text):
        return message.get(tr.lang)
    return tr(MESSAGES.get(message, message))
