"""Errors of the slip payload, each with a stable code and a message a clerk can act on.

Three families, caught separately by their callers:

- `PayloadError`: the desk refused a scanned text. Decoding never raises anything else, whatever
  the scanner typed, so the desk can show `exc.message_ja` and carry on.
- `SlipEncodeError`: the kiosk refused to print an application (a My Number in the answers, a
  malformed value, too large for the slip's QR code).
- `KeyStoreError`: a key file or the trust list is missing, unreadable or inconsistent.

Each is a `common.errors.BilingualError` (through `PrintoutError`): `code`, `message_ja` for the
clerk's screen, `message_en` for IT staff and logs, and `detail` saying which thing. No error ever
carries the scanned text or an answer's value: a refused scan may be the QR code on
the back of a My Number card, and messages end up in logs.
"""

from __future__ import annotations

from printouts.errors import PrintoutError

# --- the desk: a scanned text is refused ------------------------------------------------------


class PayloadError(PrintoutError):
    """A scanned text is not a slip this desk can accept; `code` says why."""

    code = "payload_error"


class NotOursError(PayloadError):
    code = "not_ours"
    message_ja = (
        "このQRコードは受付控えのものではありません。"
        "控えに印刷されたQRコードを読み取ってください。"
    )
    message_en = (
        "This QR code is not a kiosk slip. Scan the QR code printed on the resident's slip."
    )


class LooksLikeMyNumberCardError(NotOursError):
    """The scan has the shape of the QR code on the back of a My Number card (12 digits).

    It is refused unread: the text is not parsed further, not kept in the error and must not be
    logged (the desk logs only `code`).
    """

    code = "looks_like_my_number_card"
    message_ja = (
        "マイナンバーカード裏面のQRコードです。内容は読み取らず、記録もしていません。"
        "カードをお返しし、受付控えのQRコードを読み取ってください。"
    )
    message_en = (
        "This is the QR code on the back of a My Number card. It was neither read nor kept. "
        "Hand the card back and scan the QR code on the slip instead."
    )


class DamagedError(PayloadError):
    code = "damaged"
    message_ja = (
        "QRコードを正しく読み取れませんでした（汚れ・欠け・読み取り途中の可能性）。"
        "控えを平らにしてもう一度読み取ってください。"
        "続けて失敗する場合は、端末で控えを再発行するか、紙の申請書で受け付けてください。"
    )
    message_en = (
        "The QR code could not be read correctly (dirty, torn or only partly scanned). "
        "Lay the slip flat and scan it again. If it keeps failing, reprint the slip at the kiosk "
        "or take the application on paper."
    )


class BadSignatureError(PayloadError):
    code = "bad_signature"
    message_ja = (
        "控えの署名を確認できません。内容が書き換えられたか、端末の鍵が登録と違います。"
        "この控えは受け付けず、情報システム担当に連絡してください。"
    )
    message_en = (
        "The slip's signature does not verify: it was altered, or the kiosk's key differs from "
        "the registered one. Do not accept this slip; call IT staff."
    )


class UnknownKioskError(PayloadError):
    code = "unknown_kiosk"
    message_ja = (
        "この控えを発行した端末は、この窓口に登録されていません。"
        "情報システム担当に、端末の公開鍵を信頼リスト（trust.json）へ登録するよう依頼してください。"
    )
    message_en = (
        "The kiosk that issued this slip is not registered at this counter. Ask IT staff to add "
        "the kiosk's public key to the trust list (trust.json)."
    )


class WrongOfficeError(PayloadError):
    code = "wrong_office"
    message_ja = (
        "この控えは別の自治体（庁舎）の端末で発行されたものです。"
        "発行した庁舎の窓口で手続きするよう案内してください。"
    )
    message_en = (
        "This slip was issued at another municipality's (office's) kiosk. Direct the resident "
        "to the office that issued it."
    )


class UnsupportedVersionError(PayloadError):
    code = "unsupported_version"
    message_ja = (
        "この控えは、この窓口端末が読めない形式（版）です。"
        "窓口端末のソフトウェア更新を情報システム担当に依頼してください。"
    )
    message_en = (
        "This slip uses a format version this counter software cannot read. Ask IT staff to "
        "update the counter software."
    )


class NotForThisCounterError(PayloadError):
    code = "not_for_this_counter"
    message_ja = (
        "この控えはこの窓口用ではありません（別の窓口の鍵で封印されています）。"
        "担当の窓口へ案内してください。最近鍵を更新した場合は情報システム担当に連絡してください。"
    )
    message_en = (
        "This slip was sealed for another counter's key. Send the resident to the right counter; "
        "if keys were changed recently, call IT staff."
    )


class FormDefinitionDiffersError(PayloadError):
    """A format 2 code names a form this desk does not hold, or holds in another version or
    with another definition: its answers are positions in the kiosk's definition, so reading
    them with another would put them under the wrong questions. `form_id` and `form_version`
    say which (the slip's), `desk_version` the desk's version of that form, if any."""

    code = "form_definition_differs"
    message_ja = (
        "この控えの手続きの様式（フォーム定義）が、この窓口端末のものと違うため読み取りません。"
        "端末と窓口の様式をそろえるよう情報システム担当に依頼し、それまでは紙の申請書で受け付けてください。"
    )
    message_en = (
        "A procedure on this slip uses a form definition that differs from this counter's, so "
        "the slip is not read. Ask IT staff to install the same form definitions on the kiosks "
        "and the counters; until then take the application on paper."
    )
    form_id: str = ""
    form_version: int = 0
    desk_version: int | None = None

    @classmethod
    def of(cls, form_id: str, form_version: int, *, desk_version: int | None
           ) -> FormDefinitionDiffersError:
        """The error naming the form: its id and version on the slip, and the desk's version."""
        if desk_version is None:
            desk_ja, desk_en = "この窓口端末にはありません", "this counter does not have it"
        elif desk_version == form_version:
            desk_ja, desk_en = "同じ版ですが定義が違います", "same version, different definition"
        else:
            desk_ja, desk_en = f"この窓口端末は版 {desk_version}", f"this counter has version {desk_version}"
        error = cls(
            f"form {form_id} version {form_version}: {desk_en}",
            ja=f"手続き「{form_id}」（版 {form_version}）の様式が違います（{desk_ja}）。"
            + cls.message_ja,
            en=f"Form '{form_id}' version {form_version} differs ({desk_en}). " + cls.message_en,
        )
        error.form_id, error.form_version, error.desk_version = form_id, form_version, desk_version
        return error


# --- the kiosk: an application cannot become a slip ---------------------------------------------


class SlipEncodeError(PrintoutError):
    """The kiosk cannot turn this application into a slip payload."""

    code = "slip_encode_error"


class MyNumberInAnswersError(SlipEncodeError):
    """An answer holds what looks like a My Number; `detail` names the field, never the value."""

    code = "my_number_in_answers"
    message_ja = (
        "回答に個人番号（マイナンバー）と思われる12桁の数字があるため、控えを作りません。"
        "個人番号は窓口でカードから読み取ります。該当の回答を消してください。"
    )
    message_en = (
        "An answer holds what looks like a 12-digit My Number, so no slip is made. The counter "
        "reads the number from the card itself; remove it from the answers."
    )


class InvalidApplicationError(SlipEncodeError):
    code = "invalid_application"
    message_ja = "申請データの形式が正しくありません（プログラムの不具合です）。"
    message_en = "The application data is malformed (a programming error)."


class PayloadTooLargeError(SlipEncodeError):
    code = "too_large"
    message_ja = (
        "申請の内容が多すぎて、控えのQRコードに収まりません。手続きを分けて控えを発行してください。"
    )
    message_en = (
        "The application is too large for the slip's QR code. Issue separate slips for "
        "separate procedures."
    )


# --- keys -----------------------------------------------------------------------------------


class KeyStoreError(PrintoutError):
    """A key file or the trust list cannot be used; `detail` names the file and what is wrong."""

    code = "key_store_error"
    message_ja = "鍵ファイルまたは信頼リストを使えません。情報システム担当に連絡してください。"
    message_en = "A key file or the trust list cannot be used. Call IT staff."


class KeysMissingError(KeyStoreError):
    code = "keys_missing"
    message_ja = "鍵がありません。`kiosk keys init` で作成するか、信頼リストを配置してください。"
    message_en = "Keys are missing. Run `kiosk keys init`, or put the trust list in place."


class KeyPermissionError(KeyStoreError):
    code = "keys_unsafe_permissions"
    message_ja = "秘密鍵ファイルを他のユーザーが読めます。`chmod 600` で権限を絞ってください。"
    message_en = "A private key file is readable by other users. Restrict it with `chmod 600`."
