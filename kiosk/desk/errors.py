"""What the counter desk refuses or warns about: one hierarchy, a stable code beside each message.

The desk's screen shows `message("ja")`, the CLI prints the code and both languages, scripts and
tests branch on `code` (pretix's check-in answers `already_redeemed`, `unpaid` the same way).
Errors from the layers below (slip payload, store, card, printer) are turned into a `DeskError`
at the desk's boundary by `desk_error(exc)`, keeping their code and their clerk-facing text, so a
caller catches one class and never parses prose.

No error carries personal data or anything scanned: the payload's errors never hold the text,
the store's never hold values, and the desk adds only ids, codes and form versions.
"""

from __future__ import annotations

from dataclasses import dataclass

from common.errors import BilingualError
from drivers.card.errors import CardError, LastPinTryError, WaitCancelledError
from drivers.printer.errors import PrinterError
from kiosk.errors import CodedError
from kiosk.store.errors import AlreadyCancelledError, AlreadyCompletedError, StoreError
from printouts.payload import errors as payload


@dataclass(frozen=True)
class DeskMessage:
    """A warning shown beside an application (or an error as data, for JSON): code + both texts."""

    code: str
    ja: str
    en: str
    detail: str = ""

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message_ja": self.ja, "message_en": self.en,
                "detail": self.detail}


class DeskError(CodedError):
    """Base of every error the desk raises; `code` is stable, the messages say what to do.

    Class attributes give each subclass its code and texts; `desk_error()` builds instances that
    carry another layer's code and texts instead (the instance attributes win).
    """

    code: str = "desk_error"
    message_ja: str = "窓口端末でエラーが発生しました。情報システム担当に連絡してください。"
    message_en: str = "The counter desk failed. Call IT staff."
    # Where the error came from: "desk", "payload", "store", "card", "printer".
    source: str = "desk"
    # The application concerned, when one was found (a `tampered` record): for the audit.
    application_id: int | None = None

    def __init__(self, detail: str = "", *, code: str | None = None, ja: str | None = None,
                 en: str | None = None, source: str | None = None) -> None:
        if source is not None:
            self.source = source
        super().__init__(detail, code=code, ja=ja, en=en)

    def as_message(self) -> DeskMessage:
        return DeskMessage(self.code, self.message_ja, self.message_en, self.detail)

    @classmethod
    def warning(cls, detail: str = "") -> DeskMessage:
        """The same code and texts as a warning beside a shown application (not raised)."""
        return DeskMessage(cls.code, cls.message_ja, cls.message_en, detail)


# --- the scan -------------------------------------------------------------------------------


class ScanRefused(DeskError):
    """The scanned text or image is not a slip this desk accepts; nothing was opened."""

    code = "scan_refused"


# The scan refusals take the payload's own code and wording: one source for what the clerk reads.


class NotOurs(ScanRefused):
    code = payload.NotOursError.code
    message_ja = payload.NotOursError.message_ja
    message_en = payload.NotOursError.message_en


class LooksLikeMyNumberCard(ScanRefused):
    """The QR code on the back of a My Number card: refused unread, logged by its code only."""

    code = payload.LooksLikeMyNumberCardError.code
    message_ja = payload.LooksLikeMyNumberCardError.message_ja
    message_en = payload.LooksLikeMyNumberCardError.message_en


class Damaged(ScanRefused):
    code = payload.DamagedError.code
    message_ja = payload.DamagedError.message_ja
    message_en = payload.DamagedError.message_en


class BadSignature(ScanRefused):
    code = payload.BadSignatureError.code
    message_ja = payload.BadSignatureError.message_ja
    message_en = payload.BadSignatureError.message_en


class UnknownKiosk(ScanRefused):
    code = payload.UnknownKioskError.code
    message_ja = payload.UnknownKioskError.message_ja
    message_en = payload.UnknownKioskError.message_en


class WrongOffice(ScanRefused):
    code = payload.WrongOfficeError.code
    message_ja = payload.WrongOfficeError.message_ja
    message_en = payload.WrongOfficeError.message_en


class OtherCounter(ScanRefused):
    """A code of the slip for a counter this desk does not serve: the clerk sends the resident
    there (the slip carries one code for each counter, labelled)."""

    code = "other_counter"

    @classmethod
    def to(cls, counter_label: str) -> OtherCounter:
        return cls(counter_label, ja=(
            f"このコードは「{counter_label}」の窓口のものです。住民の方をそちらへご案内ください"
            "（受付票の、この窓口のコードを読み取ってください）。"), en=(
            f"This code is for the {counter_label} counter. Send the resident there (or scan "
            "the slip's code for this counter)."))


class UnsupportedVersion(ScanRefused):
    code = payload.UnsupportedVersionError.code
    message_ja = payload.UnsupportedVersionError.message_ja
    message_en = payload.UnsupportedVersionError.message_en


class NotForThisCounter(ScanRefused):
    code = payload.NotForThisCounterError.code
    message_ja = payload.NotForThisCounterError.message_ja
    message_en = payload.NotForThisCounterError.message_en


class NoCodeInImage(ScanRefused):
    code = "no_code_in_image"
    message_ja = (
        "画像からQRコードを見つけられませんでした。控え全体が写るように、明るく、"
        "ぼやけないように撮り直すか、スキャナーで読み取ってください。"
    )
    message_en = (
        "No QR code was found in the image. Take it again with the whole slip in view, well lit "
        "and sharp, or scan the slip with the QR scanner."
    )


class ImageUnreadable(ScanRefused):
    code = "image_unreadable"
    message_ja = "画像ファイルを開けません。PNG・JPEG・PDF のファイルを指定してください。"
    message_en = "The image file cannot be opened. Choose a PNG, JPEG or PDF file."


_SCAN_ERRORS: dict[str, type[ScanRefused]] = {
    cls.code: cls for cls in (NotOurs, LooksLikeMyNumberCard, Damaged, BadSignature, UnknownKiosk,
                              WrongOffice, UnsupportedVersion, NotForThisCounter)
}


# --- the application's state ----------------------------------------------------------------


class ApplicationStateError(DeskError):
    """The application is in a state that does not allow what was asked; nothing changed."""

    code = "invalid_state"


class AlreadyScanned(ApplicationStateError):
    """Not raised: the warning beside a re-scanned slip (the scan itself is harmless)."""

    code = "already_scanned"
    message_ja = (
        "この控えは既に読み取られています。同じ申請を二重に処理しないよう、状態を確認してください。"
    )
    message_en = (
        "This slip was scanned before. Check the status so that the application is not "
        "handled twice."
    )


class AlreadyCompleted(ApplicationStateError):
    code = "already_completed"
    message_ja = (
        "この申請は処理完了済みです。内容は表示しますが、状態は変更できません。"
        "再度の申請であれば、新しく受付してください。"
    )
    message_en = (
        "This application is already completed. It is shown, but its status cannot change; a "
        "new request needs a new application."
    )


class Cancelled(ApplicationStateError):
    code = "cancelled"
    message_ja = (
        "この申請は取り消し済みです。内容は表示しますが、処理しないでください。"
        "必要なら端末で新しく申請してもらってください。"
    )
    message_en = (
        "This application was cancelled. It is shown, but do not process it; if needed, the "
        "resident applies again at the kiosk."
    )


class FormVersionMissing(DeskError):
    code = "form_version_missing"
    message_ja = (
        "この申請の様式（版）がこの窓口端末に読み込まれていません。回答は項目IDのまま表示します。"
        "様式ファイルの更新を情報システム担当に依頼してください。申請書の印刷はできません。"
    )
    message_en = (
        "The form version of this application is not loaded on this desk. The answers are shown "
        "by field id. Ask IT staff to update the form files; the official form cannot be printed."
    )


class NotFound(DeskError):
    code = "not_found"
    message_ja = (
        "申請が見つかりません。番号を確認するか、控えのQRコードを読み取ってください。"
    )
    message_en = "No such application. Check the number, or scan the QR code on the slip."


class NoSuchProcedure(DeskError):
    code = "no_such_procedure"
    message_ja = "この申請にその番号の手続きはありません。手続きの番号（0から）を確認してください。"
    message_en = "This application has no procedure with that number (counting from 0)."


# --- the clerk and the 12-digit number --------------------------------------------------------


class ClerkRequired(DeskError):
    code = "clerk_required"
    message_ja = (
        "サインインしてください（職員IDとパスワード。コマンドでは --clerk と --password-stdin）。"
        "個人情報を開く操作はすべて職員IDとともに記録されます。"
    )
    message_en = (
        "Sign in first (staff ID and password; on the command line --clerk and "
        "--password-stdin). Every opening of personal data is recorded with the staff ID."
    )


class ClerkInvalid(ClerkRequired):
    """The clerk's ID holds characters the audit trail does not take (a name in kanji, a space):
    refused before anything is opened or printed, not by the store after a print went out."""

    code = "clerk_invalid"
    message_ja = (
        "職員IDに使えない文字が入っています。半角の英字・数字（と _ . : @ / -）で入力してください。"
    )
    message_en = (
        "The clerk ID holds characters it may not: use letters and digits (and _ . : @ / -) "
        "only."
    )


class MyNumberNotNeeded(DeskError):
    code = "my_number_not_needed"
    message_ja = (
        "この手続きは個人番号を扱う事務（個人番号利用事務）ではないため、個人番号を読み取りません。"
    )
    message_en = (
        "This procedure is not one the My Number Act lets us use the number for, so the number "
        "is not read."
    )


class MyNumberNotRead(DeskError):
    """Not raised: the warning when a form that needs the number is printed without it."""

    code = "my_number_not_read"
    message_ja = (
        "個人番号欄は空欄で印刷しました。カードで読み取るか、本人に記入してもらってください。"
    )
    message_en = (
        "The My Number boxes were printed empty. Read the card, or have the resident write it."
    )


class NumberInFile(DeskError):
    """Not raised: the warning when the "printer" is the file sink (demo) and the form holds the
    number: the PDF file is the paper, and a file is kept until someone deletes it."""

    code = "my_number_in_file"
    message_ja = (
        "プリンターの代わりにPDFファイルへ出力しました。このファイルには個人番号が含まれます。"
        "紙に印刷したら、ファイルを削除してください。"
    )
    message_en = (
        "The form went to a PDF file instead of a printer, and the file holds the My Number. "
        "Delete the file once it is printed on paper."
    )


class ReprintWithoutQr(DeskError):
    """Not raised: the warning when no code of the slip is stored (a desk never signs)."""

    code = "reprint_without_qr"
    message_ja = (
        "端末が印刷したQRコードが保存されていないため、QRコードなしで控えを再発行しました。"
        "申請はこの窓口に登録済みなので、番号で開けます。"
    )
    message_en = (
        "The kiosk's QR codes of this slip are not stored, so the slip was reprinted without "
        "them. The application is registered here and opens by its number."
    )


class ExportError(DeskError):
    code = "export_failed"
    message_ja = "書き出しに失敗しました。保存先のフォルダーと空き容量を確認してください。"
    message_en = "The export failed. Check the destination folder and free space."


# --- turning the layers' errors into desk errors ---------------------------------------------

_LAST_TRY_JA = (
    "暗証番号の残り回数があと1回です。間違えるとカードがロックされます。"
    "ご本人に確認のうえ、最後の1回を使う場合は「最後の1回を使う」を選んでください。"
)
_LAST_TRY_EN = (
    "Only one PIN try is left; a wrong PIN locks the card. Check with the resident, and choose "
    "'use the last try' to go ahead."
)


def _layer(exc: BilingualError, source: str, *, code: str | None = None, ja: str | None = None,
           en: str | None = None) -> DeskError:
    """A DeskError carrying a lower layer's code, wording and detail."""
    return DeskError(exc.detail, code=code or exc.code, ja=ja or exc.message_ja,
                     en=en or exc.message_en, source=source)


def _card_error(exc: CardError) -> DeskError:
    if isinstance(exc, LastPinTryError):  # the kiosk's text sends the resident to the counter
        return _layer(exc, "card", ja=_LAST_TRY_JA, en=_LAST_TRY_EN)
    if isinstance(exc, WaitCancelledError):  # "cancelled" means an application, at the desk
        return _layer(exc, "card", code="card_wait_cancelled")
    return _layer(exc, "card")


def _store_error(exc: StoreError) -> DeskError:
    if isinstance(exc, AlreadyCompletedError):
        return AlreadyCompleted(source="store")
    if isinstance(exc, AlreadyCancelledError):
        return Cancelled(source="store")
    return _layer(exc, "store")


def desk_error(exc: Exception) -> DeskError:
    """The DeskError for an error of a layer below, with that layer's code and wording."""
    if isinstance(exc, DeskError):
        return exc
    if isinstance(exc, payload.PayloadError):
        known = _SCAN_ERRORS.get(exc.code)
        return known(exc.detail) if known else ScanRefused(
            exc.detail, code=exc.code, ja=exc.message_ja, en=exc.message_en, source="payload")
    if isinstance(exc, StoreError):
        return _store_error(exc)
    if isinstance(exc, CardError):
        return _card_error(exc)
    if isinstance(exc, PrinterError | payload.KeyStoreError):
        return _layer(exc, "printer" if isinstance(exc, PrinterError) else "keys")
    raise TypeError(f"not an error the desk knows how to word: {type(exc).__name__}")


# Every code a clerk may meet, for docs/desk.md and the tests that keep the two in step.
CODES: tuple[str, ...] = (
    NotOurs.code, LooksLikeMyNumberCard.code, Damaged.code, BadSignature.code, UnknownKiosk.code,
    WrongOffice.code, UnsupportedVersion.code, NotForThisCounter.code, NoCodeInImage.code,
    ImageUnreadable.code, AlreadyScanned.code, AlreadyCompleted.code, Cancelled.code,
    FormVersionMissing.code, NotFound.code, NoSuchProcedure.code, ClerkRequired.code,
    ClerkInvalid.code,
    MyNumberNotNeeded.code, MyNumberNotRead.code, NumberInFile.code, ReprintWithoutQr.code,
    ExportError.code,
)
