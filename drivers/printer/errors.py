"""Everything that can stop a printout, as one hierarchy with messages a clerk can act on.

The kiosk shows these messages to residents and staff, so each error carries a Japanese and
an English text that says what to check, not what went wrong inside CUPS. A stable `code`
sits beside the text (as pretix's check-in errors do) so the UI and the audit log can tell
the cases apart without parsing prose.
"""

from __future__ import annotations

from common.errors import BilingualError

_NO_REASON_JA = "理由不明"
_NO_REASON_EN = "no reason given"


class PrinterError(BilingualError):
    """A printout did not happen, or will not; the message says what a person can do.

    A `common.errors.BilingualError` whose texts are built per instance: they already name the
    queue, the job and what CUPS said, so `message()` does not repeat `detail` after them.
    `detail` keeps the part IT staff look up (what CUPS or the file system answered);
    `printer` names the queue or folder.
    """

    code = "printer_error"
    message_ja = "印刷できませんでした。係員に連絡してください。"
    message_en = "The printout failed. Call staff."

    def __init__(self, detail: str = "", *, ja: str | None = None, en: str | None = None,
                 printer: str = "") -> None:
        self.printer = printer
        super().__init__(detail, ja=ja, en=en)

    def message(self, lang: str | None = None) -> str:
        return self.text(lang)


class PrinterConfigError(PrinterError):
    """The kiosk's printer settings are wrong; IT staff, not the resident, must fix them."""

    code = "config"

    def __init__(self, detail: str) -> None:
        super().__init__(
            detail,
            ja=f"プリンターの設定に誤りがあります（{detail}）。IT 担当に連絡してください。",
            en=f"The printer settings are wrong ({detail}). Call IT staff.",
        )


class UnknownBackend(PrinterConfigError):
    """A backend name the kiosk does not know: failing here beats printing to nowhere."""

    code = "unknown_backend"

    def __init__(self, backend: str, known: list[str]) -> None:
        super().__init__(
            f"unknown printer backend {backend!r}; known backends: {', '.join(sorted(known))}"
        )
        self.backend = backend


class InvalidDocument(PrinterError):
    """The bytes handed over are not a PDF: a bug upstream, caught before paper is wasted."""

    code = "invalid_document"

    def __init__(self, detail: str) -> None:
        super().__init__(
            detail,
            ja=f"印刷するデータが PDF ではありません（{detail}）。IT 担当に連絡してください。",
            en=f"The document to print is not a PDF ({detail}). Call IT staff.",
        )


class PrintServiceDown(PrinterError):
    """cupsd is not running or not reachable, so no queue can be asked anything."""

    code = "service_down"

    def __init__(self, detail: str = "") -> None:
        suffix_ja = f"（{detail}）" if detail else ""
        suffix_en = f" ({detail})" if detail else ""
        super().__init__(
            detail,
            ja=f"印刷サービス（CUPS）が動いていません{suffix_ja}。"
            "係員に連絡してください（端末の再起動で直ることがあります）。",
            en=f"The print service (CUPS) is not running{suffix_en}. "
            "Call staff; restarting the terminal may help.",
        )


class PrinterNotFound(PrinterError):
    """The configured queue does not exist: a typo in the settings or a removed printer."""

    code = "printer_not_found"

    def __init__(self, printer: str) -> None:
        super().__init__(
            ja=f"プリンター「{printer}」が見つかりません。端末の設定のプリンター名を確認してください。",
            en=f'Printer queue "{printer}" does not exist. '
            "Check the printer name in the kiosk settings (lpstat -p lists the queues).",
            printer=printer,
        )


class OutputDirectoryUnusable(PrinterError):
    """The file sink's directory is missing or read-only, so no PDF could be kept."""

    code = "output_directory_unusable"

    def __init__(self, directory: str, detail: str) -> None:
        super().__init__(
            detail,
            ja=f"印刷の出力先フォルダ「{directory}」に書き込めません（{detail}）。"
            "IT 担当に連絡してください。",
            en=f'Cannot write into the print output folder "{directory}" ({detail}). Call IT staff.',
            printer=directory,
        )


class PrinterStopped(PrinterError):
    """The queue is disabled: CUPS holds jobs, so the slip would come out later, for someone else.

    CUPS stops a queue itself when the device reports a fault (paper out, cover open), or
    staff stop it with `cupsdisable -r REASON`; either way the reason is the one CUPS gives.
    """

    code = "printer_stopped"

    def __init__(self, printer: str, reason: str, *, job_cancelled: str = "") -> None:
        reason_ja = reason or _NO_REASON_JA
        reason_en = reason or _NO_REASON_EN
        cancelled_ja = f"印刷（{job_cancelled}）は取り消しました。" if job_cancelled else ""
        cancelled_en = f" The job {job_cancelled} was cancelled." if job_cancelled else ""
        super().__init__(
            ja=f"プリンター「{printer}」が停止しています（理由: {reason_ja}）。"
            f"用紙とふたを確認してください。{cancelled_ja}"
            "直したら係員がプリンターを再開してください。",
            en=f'Printer "{printer}" is stopped (reason: {reason_en}). '
            f"Check the paper and the cover.{cancelled_en} "
            f"Then staff resume the printer (cupsenable {printer}).",
            printer=printer,
        )
        self.reason = reason
        self.job_cancelled = job_cancelled


class PrinterNotAccepting(PrinterError):
    """The queue rejects new jobs (`cupsreject`), usually during maintenance."""

    code = "printer_not_accepting"

    def __init__(self, printer: str, reason: str) -> None:
        super().__init__(
            ja=f"プリンター「{printer}」が印刷を受け付けていません"
            f"（理由: {reason or _NO_REASON_JA}）。係員が受付を再開してください。",
            en=f'Printer "{printer}" is not accepting jobs (reason: {reason or _NO_REASON_EN}). '
            f"Staff make it accept jobs again (cupsaccept {printer}).",
            printer=printer,
        )
        self.reason = reason


class PrintJobFailed(PrinterError):
    """The job was taken but did not print (the backend cancelled or aborted it)."""

    code = "job_failed"

    def __init__(self, printer: str, job_id: str, detail: str) -> None:
        job_ja = f"ジョブ {job_id}: " if job_id else ""
        job_en = f"job {job_id}: " if job_id else ""
        super().__init__(
            detail,
            ja=f"印刷に失敗しました（プリンター「{printer}」、{job_ja}{detail}）。"
            "プリンターの電源と表示を確認し、係員に連絡してください。",
            en=f'Printing failed (printer "{printer}", {job_en}{detail}). '
            "Check the printer's power and display, and call staff.",
            printer=printer,
        )
        self.job_id = job_id


class PrintJobTimeout(PrinterError):
    """The job stayed in the queue too long; it is cancelled so it cannot surprise anyone later."""

    code = "job_timeout"

    def __init__(self, printer: str, job_id: str, seconds: float, *, cancelled: bool) -> None:
        super().__init__(
            ja=f"印刷が {seconds:g} 秒たっても終わりません"
            f"（プリンター「{printer}」、ジョブ {job_id}）。"
            f"用紙とふたを確認してください。{'印刷は取り消しました。' if cancelled else ''}",
            en=f'The job {job_id} on printer "{printer}" did not finish within {seconds:g} s. '
            f"Check the paper and the cover.{' The job was cancelled.' if cancelled else ''}",
            printer=printer,
        )
        self.job_id = job_id
        self.seconds = seconds
        self.cancelled = cancelled
