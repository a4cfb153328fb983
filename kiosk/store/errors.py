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


# --- keys -----------------------------------------------------------------------------------------


class DataKeyError(StoreError):
    """The data key file is missing, unreadable or not the one the database was written with."""

    code = "key_error"


class KeyMissingError(DataKeyError):
    code = "key_missing"
    message_ja = (
        "暗号鍵ファイルがありません。このデータベースは既に鍵を使っているため、新しい鍵は作りません。"
        "バックアップまたは他の端末から鍵ファイルを設定の場所にコピーしてください。"
    )
    message_en = (
        "The data key file is missing. This database already uses a key, so no new one is made; "
        "copy the key file from the backup or another kiosk to the configured path."
    )


class KeyMismatchError(DataKeyError):
    code = "key_mismatch"
    message_ja = (
        "暗号鍵ファイルがこのデータベースの鍵と一致しません。"
        "このデータベースを使う他の端末と同じ鍵ファイルをコピーしてください。"
    )
    message_en = (
        "The data key file does not match this database. Copy the key file used by the other "
        "kiosks and desks of this database."
    )


class KeyFileError(DataKeyError):
    code = "key_file"
    message_ja = "暗号鍵ファイルを読み込めません。ファイルの内容と権限（600）を確認してください。"
    message_en = "The data key file cannot be used; check its content and permissions (600)."


class DecryptError(DataKeyError):
    code = "decrypt_failed"
    message_ja = (
        "申請データを復号できません。データが改ざんされたか、鍵が違います。"
        "情報システム担当に連絡してください。"
    )
    message_en = (
        "The application data cannot be decrypted: it was altered or the key is wrong. Contact "
        "IT staff."
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
