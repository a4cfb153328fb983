"""Errors of the store, each with a stable `code` and a message a clerk or IT staff can act on.

The desk shows `message("ja")` and branches on `code` (the way pretix's check-in answers
`already_redeemed`); logs get `code` and the English text. No error carries personal data: a
refused My Number names the answer's path, never its value, and database errors are re-raised
without the statement's parameters (the engine is built with ``hide_parameters=True`` too).
"""

from __future__ import annotations

from kiosk.errors import CodedError


class StoreError(CodedError):
    """Base of every error the store raises on purpose."""

    code = "store_error"
    message_ja = "データベースの処理でエラーが発生しました。"
    message_en = "The database operation failed."


# --- applications and their status ------------------------------------------------------------


class NotFoundError(StoreError):
    code = "not_found"
    message_ja = (
        "申請が見つかりません。保存期間を過ぎて削除されたか、別の庁舎の申請の可能性があります。"
        "受付控えの番号を確認してください。"
    )
    message_en = (
        "No such application. It may have been purged after the retention period or belong to "
        "another office; check the number on the slip."
    )


class DuplicateSlipError(StoreError):
    """The slip id is already stored: the same slip was scanned or submitted twice (a replay)."""

    code = "duplicate_slip"
    message_ja = (
        "この受付控えは既に登録されています（二重の読み取り）。"
        "登録済みの申請を番号で開いてください。"
    )
    message_en = (
        "This slip is already registered (scanned twice). Open the registered application by "
        "its number instead."
    )


class StatusError(StoreError):
    """A status change that the workflow does not allow; nothing was changed."""

    code = "invalid_transition"
    message_ja = "この状態の変更はできません。何も変更していません。"
    message_en = "This status change is not allowed; nothing was changed."


class AlreadyReceivedError(StatusError):
    code = "already_received"
    message_ja = "この申請は既に受付済みです。もう一度受け付ける必要はありません。"
    message_en = "This application has already been received; there is no need to receive it again."


class AlreadyCompletedError(StatusError):
    code = "already_completed"
    message_ja = "この申請は処理完了済みです。完了した申請の状態は戻せません。"
    message_en = "This application is already completed; a completed application cannot be changed."


class AlreadyCancelledError(StatusError):
    code = "already_cancelled"
    message_ja = "この申請は取り消し済みです。必要なら新しく申請してもらってください。"
    message_en = "This application was cancelled; if needed, the resident applies again."


class NotReceivedError(StatusError):
    code = "not_received"
    message_ja = "この申請はまだ受付されていません。先に受付をしてから完了にしてください。"
    message_en = "This application has not been received yet; receive it before completing it."


# --- what may not be stored ---------------------------------------------------------------------


class MyNumberRefusedError(StoreError):
    """An answer holds a valid 12-digit My Number; the number is never stored (番号法)."""

    code = "my_number_refused"
    message_ja = (
        "回答に個人番号（マイナンバー）と思われる12桁の数字があるため、保存しませんでした。"
        "個人番号は窓口でカードから読み取ります。該当の回答から番号を消してください。"
    )
    message_en = (
        "An answer holds what looks like a 12-digit My Number, so nothing was stored. The counter "
        "reads the number from the card; remove it from the answer."
    )


class InvalidValueError(StoreError):
    """A caller passed a malformed id (office code, kiosk id, clerk id, slip id, ...)."""

    code = "invalid_value"
    message_ja = "値の形式が正しくありません。設定または呼び出し元を確認してください。"
    message_en = "A value has the wrong format; check the configuration or the caller."


# --- keys and records -------------------------------------------------------------------------


class DataKeyError(StoreError):
    """This machine lacks the key a record needs, or a record is not what a kiosk sealed."""

    code = "key_error"


class KeyMissingError(DataKeyError):
    code = "key_missing"
    message_ja = (
        "この機器には申請を封印または開封する鍵がありません。端末なら `kiosk keys init --role "
        "kiosk`、窓口なら `kiosk keys init --role desk` で用意し、trust.json を配置してください。"
    )
    message_en = (
        "This machine holds no key to seal or open applications. On a kiosk run `kiosk keys "
        "init --role kiosk`, on a desk `kiosk keys init --role desk`, and put trust.json in place."
    )


class KeyMismatchError(DataKeyError):
    code = "key_mismatch"
    message_ja = (
        "この申請は、この窓口にない封印鍵あてに保存されています。以前の窓口鍵を "
        "counter-sealing-（年）.pem の名前で鍵フォルダに置いてください。"
    )
    message_en = (
        "This application was sealed to a counter key this desk does not hold. Put the earlier "
        "counter key in the keys folder as counter-sealing-<year>.pem."
    )


class DecryptError(DataKeyError):
    code = "decrypt_failed"
    message_ja = (
        "申請データを開けません。データが壊れています。情報システム担当に連絡してください。"
    )
    message_en = "The application data cannot be opened: it is damaged. Contact IT staff."


class TamperedError(DataKeyError):
    """The stored record is not what a trusted kiosk signed for this row, or disagrees with the
    scanned slip: nothing of it is shown."""

    code = "tampered"
    application_id: int | None = None  # the row, when the store knows it
    message_ja = (
        "保存されている申請が、端末の署名した内容と一致しません（書き換えの疑い）。表示しません。"
        "控えをお預かりし、情報システム担当に連絡してください。記録済みです。"
    )
    message_en = (
        "The stored application does not match what the kiosk signed (it may have been "
        "altered), so it is not shown. Keep the slip and call IT staff. This was recorded."
    )


class LegacyRecordError(DataKeyError):
    code = "legacy_record"
    message_ja = (
        "この申請は旧形式（共通データ鍵）で保存されており、開けません。紙の控えから受け付けて"
        "ください。保存期間が過ぎると削除されます。"
    )
    message_en = (
        "This application was stored in the old format (shared data key) and cannot be opened. "
        "Take it from the paper slip; the retention purge removes it in time."
    )


# --- people -------------------------------------------------------------------------------------


class SignInError(StoreError):
    """A wrong id, password or PIN, or a disabled account: one answer for all, so a try tells
    nothing about which ids exist."""

    code = "sign_in_failed"
    message_ja = "職員IDまたはパスワード（暗証番号）が違います。もう一度入力してください。"
    message_en = "The staff ID or the password (PIN) is not right. Try again."


class AccountLockedError(StoreError):
    code = "account_locked"
    message_ja = (
        "続けて5回間違えたため、このアカウントは15分間ロックされています。時間をおくか、"
        "監督者（supervisor）にロックの解除を依頼してください。"
    )
    message_en = (
        "Five wrong tries in a row have locked this account for 15 minutes. Wait, or ask a "
        "supervisor to unlock it."
    )


# --- the database itself --------------------------------------------------------------------------


class SchemaOutdatedError(StoreError):
    code = "schema_outdated"
    message_ja = "データベースの構成が古いか未作成です。`kiosk db upgrade` を実行してください。"
    message_en = "The database schema is missing or out of date; run `kiosk db upgrade`."


class DatabaseBusyError(StoreError):
    code = "database_busy"
    message_ja = (
        "データベースが混み合っていて保存できませんでした。もう一度お試しください。"
        "続く場合は情報システム担当に連絡してください。"
    )
    message_en = (
        "The database was too busy to take the write; try again. If it keeps happening, "
        "contact IT staff."
    )


class DatabaseUnavailableError(StoreError):
    code = "database_unavailable"
    message_ja = (
        "データベースに接続できません。ネットワークとデータベースサーバーの状態を確認してください。"
    )
    message_en = "The database cannot be reached; check the network and the database server."
