"""The card driver's one exception hierarchy.

Every error here ends up in front of a resident at the kiosk or a clerk at the counter, so
each carries a Japanese and an English message that says what to do next, and a stable
`code` (like pretix's check-in errors) that the UI can switch on without parsing text; the
base is the project's one `common.errors.BilingualError`.
No message ever holds personal data (name, address, PIN, the 12-digit number).
"""

from __future__ import annotations

from common.errors import BilingualError


class CardError(BilingualError):
    """Base of every error the card driver raises on purpose.

    A `common.errors.BilingualError`: texts come from the class; an instance built with
    `ja=` / `en=` (a reader error naming the reader) carries its own, and `detail` stays empty
    unless it names a part of the exchange for IT staff, never a value read from the card.
    """

    code = "card_error"
    message_ja = "カードを読み取れませんでした。職員にお知らせください。"
    message_en = "The card could not be read. Please ask a staff member."


class NoReaderError(CardError):
    """No PC/SC reader (or not the configured one), or pcscd is not running."""

    code = "no_reader"
    message_ja = (
        "カードリーダーが見つかりません。リーダーの接続を確かめるか、職員にお知らせください。"
    )
    message_en = "No card reader found. Check that the reader is plugged in, or ask a staff member."


class NoCardError(CardError):
    """The reader is there but holds no card."""

    code = "no_card"
    message_ja = "カードが置かれていません。マイナンバーカードをリーダーに置いてください。"
    message_en = "There is no card on the reader. Place your My Number card on the reader."


class ReaderTimeoutError(CardError):
    """Nobody placed a card before the wait ended."""

    code = "timeout"
    message_ja = "カードが置かれないまま時間が過ぎました。もう一度お試しください。"
    message_en = "No card was placed in time. Please try again."


class WaitCancelledError(CardError):
    """The wait for a card was cancelled (the resident pressed back, the session ended)."""

    code = "cancelled"
    message_ja = "カードの読み取りを取り消しました。"
    message_en = "Reading the card was cancelled."


class NotMyNumberCardError(CardError):
    """The card answers, but has no input-assistance application: another card, or a card
    upside down."""

    code = "not_my_number_card"
    message_ja = (
        "マイナンバーカードとして読み取れません。向きを確かめて置き直すか、職員にお知らせください。"
    )
    message_en = (
        "This does not read as a My Number card. Check which way up it is and place it again, "
        "or ask a staff member."
    )


class CardRemovedError(CardError):
    """The card left the reader (or stopped answering) in the middle of an exchange."""

    code = "card_removed"
    message_ja = "読み取りの途中でカードが離れました。もう一度カードをリーダーに置いてください。"
    message_en = "The card was removed while it was being read. Place it on the reader again."


class PinFormatError(CardError):
    """The PIN typed is not 4 digits: refused before it reaches the card, so no try is spent."""

    code = "pin_format"
    message_ja = "暗証番号は数字4桁です。もう一度入力してください。"
    message_en = "The PIN is 4 digits. Please enter it again."


class WrongPinError(CardError):
    """VERIFY answered 63 Cx: wrong PIN, x tries left (x >= 1)."""

    code = "wrong_pin"

    def __init__(self, tries_left: int) -> None:
        self.tries_left = tries_left
        ja = f"暗証番号が違います。あと{tries_left}回間違えるとロックされます。"
        tries = "try" if tries_left == 1 else "tries"
        en = f"Wrong PIN. {tries_left} {tries} left before it locks."
        if tries_left == 1:
            ja += "ロックされると市区町村の窓口でしか解除できません。職員にご相談ください。"
            en += " A locked PIN can only be reset at the city office: please ask a staff member."
        super().__init__(ja=ja, en=en)


class LastPinTryError(CardError):
    """One try is left: the driver refuses to spend it unless the caller says so, because a
    blocked card can only be unlocked at the city office."""

    code = "last_pin_try"
    message_ja = (
        "暗証番号の残り回数があと1回です。ロックを避けるため、ここでは入力できません。"
        "窓口の職員にお申し出ください。"
    )
    message_en = (
        "Only one PIN try is left. To avoid locking the card it is not used here: "
        "please go to the counter, where a staff member will help you."
    )


class PinBlockedError(CardError):
    """The PIN is blocked (69 84, or 63 C0 after a wrong try)."""

    code = "pin_blocked"
    message_ja = (
        "暗証番号がロックされています。市区町村の窓口で解除の手続きができます。"
        "職員がお手伝いしますので、お申し出ください。"
    )
    message_en = (
        "The PIN is locked. It can be reset at the city office counter; "
        "a staff member will help you fill in your forms meanwhile."
    )


class PinNotVerifiedError(CardError):
    """A read came before a successful VERIFY (69 82): a flow mistake, told plainly."""

    code = "pin_not_verified"
    message_ja = "先に暗証番号を入力してください。"
    message_en = "Please enter the PIN first."


class UnreadableDataError(CardError):
    """The card answered, but what it holds cannot be decoded into the basic four items."""

    code = "unreadable_data"
    message_ja = "カードの情報を正しく読み取れませんでした。職員にお知らせください。"
    message_en = (
        "The information on the card could not be read correctly. Please ask a staff member."
    )
