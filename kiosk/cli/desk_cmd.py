"""`kiosk desk`: the counter desk. Without a sub-command it opens the clerk's screen; the
sub-commands do the same things without one, for scripts, support calls and the tests.

    kiosk desk                                   the clerk screen (Kivy)
    kiosk desk scan TEXT|IMAGE [--json]          verify a slip and show its application
    kiosk desk status TICKET|ID received|completed|cancelled
    kiosk desk print-form ID PROC_INDEX [--card] the official A4 form (--card: read the number)
    kiosk desk reprint ID                        the slip again
    kiosk desk export --format json|csv --out FILE [--since YYYY-MM-DD]

Each sub-command signs its person in as `docker login` does: `--clerk ID --password-stdin`, the
password one line on standard input (`--clerk` may come from KIOSK_CLERK), and signs them out
when done; an id alone opens nothing (`sign_in_required`), a wrong password counts towards the
account's lockout. What each may do is their role's (kiosk/desk/access.py: export and reprint
need a supervisor). Everything that opens personal data is audited with that id. The screen
starts with nobody signed in and asks there. Exit status: 0 done; 1 shown, but the application
is completed or cancelled (scan); 2 refused, with the error's code and message (on stdout as
JSON with `--json`, on stderr otherwise).

    echo "$PASSWORD" | kiosk desk scan SLIP.pdf --clerk k.tanaka --password-stdin
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import getpass
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import cast

from kiosk.cli.forms_cmd import language
from kiosk.cli.password_input import password_of
from kiosk.config import KioskConfig
from kiosk.desk.access import SignedOut
from kiosk.desk.errors import DeskError
from kiosk.desk.service import Desk, PrintResult
from kiosk.desk.view import STATUS_WORDS, DeskView, FieldView
from kiosk.errors import KioskError
from kiosk.store.repository import Status
from kiosk.ui.headless import has_display
from kiosk.wiring import CLERK_ENV, build_card_reader, build_desk, opened_desk

BLOCKING = ("already_completed", "cancelled")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    desk = sub.add_parser("desk", help="the counter desk: scan slips, print forms, status, export")
    _who(desk)
    desk.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    desk.set_defaults(handler=cmd_screen)
    dsub = desk.add_subparsers(dest="action")

    p = dsub.add_parser("scan", help="verify a slip (scanned text, or an image/PDF of it)")
    p.add_argument("scanned", help="the scanner's text, or the path of an image or PDF")
    p.add_argument("--json", action="store_true", help="the application as JSON")
    _who(p)
    p.set_defaults(handler=cmd_scan)

    p = dsub.add_parser("status", help="mark an application received, completed or cancelled")
    p.add_argument("ref", help="application id, or today's ticket number (A-023)")
    p.add_argument("status", choices=("received", "completed", "cancelled"))
    _who(p)
    p.set_defaults(handler=cmd_status)

    p = dsub.add_parser("print-form", help="print the official A4 form of one procedure")
    p.add_argument("ref", help="application id, or today's ticket number")
    p.add_argument("procedure", type=int, help="the procedure's number in the application (from 0)")
    p.add_argument("--card", action="store_true",
                   help="read the 12-digit number from the card on the reader (asks the PIN)")
    p.add_argument("--allow-last-try", action="store_true",
                   help="spend the card's last PIN try (only with the resident's agreement)")
    _who(p)
    p.set_defaults(handler=cmd_print_form)

    p = dsub.add_parser("reprint", help="print the slip again")
    p.add_argument("ref", help="application id, or today's ticket number")
    _who(p)
    p.set_defaults(handler=cmd_reprint)

    p = dsub.add_parser("export", help="export applications for the back office (never the My Number)")
    p.add_argument("--format", choices=("json", "csv"), required=True)
    p.add_argument("--out", type=Path, required=True,
                   help="JSON: this file; CSV: one file per form beside it (out.<form>.csv)")
    p.add_argument("--since", type=dt.date.fromisoformat, default=None,
                   help="only applications from this day on (YYYY-MM-DD, Japan time)")
    _who(p)
    p.set_defaults(handler=cmd_export)


def _who(p: argparse.ArgumentParser) -> None:
    # On the group and on each sub-command, so `kiosk desk --clerk X scan ...` works too.
    p.add_argument("--clerk", default=argparse.SUPPRESS,
                   help=f"your staff id, recorded with every access (default: ${CLERK_ENV}); "
                        "the password is asked, or read with --password-stdin")
    p.add_argument("--password-stdin", action="store_true", default=argparse.SUPPRESS,
                   help="read your password from standard input (one line), as docker login does")
    p.add_argument("--desk", default=argparse.SUPPRESS,
                   help="this desk's id in the audit trail (default: $KIOSK_DESK or the host name)")


def clerk_of(args: argparse.Namespace) -> str | None:
    return getattr(args, "clerk", None) or os.environ.get(CLERK_ENV) or None


def _signing_in(args: argparse.Namespace) -> tuple[str, str]:
    """The staff id and the password (password_input: standard input, or asked at a terminal);
    SignedOut when either is missing, before the database is asked anything: an id alone
    opens nothing."""
    clerk = clerk_of(args)
    if not clerk:
        raise SignedOut()
    password = password_of(args, prompt=f"{clerk} のパスワード / password of {clerk}: ")
    if not password:
        raise SignedOut("no password given (--password-stdin)")
    return clerk, password


@contextlib.contextmanager
def _signed_in_desk(args: argparse.Namespace, config: KioskConfig) -> Iterator[Desk]:
    clerk, password = _signing_in(args)
    with opened_desk(config=config, clerk=clerk, password=password,
                     desk_id=getattr(args, "desk", None)) as desk:
        del password
        yield desk


# --- sub-commands --------------------------------------------------------------------------


def cmd_scan(args: argparse.Namespace, config: KioskConfig) -> int:
    lang = language(args)
    try:
        with _signed_in_desk(args, config) as desk:
            view = desk.scan(args.scanned)
    except DeskError as exc:
        return _refused(exc, json_out=args.json, lang=lang)
    if args.json:
        print(view.to_json_text())
    else:
        print(render_text(view, lang))
    return 1 if any(code in BLOCKING for code in view.codes) else 0


def cmd_status(args: argparse.Namespace, config: KioskConfig) -> int:
    lang = language(args)
    try:
        with _signed_in_desk(args, config) as desk:
            stored = desk.set_status(desk.resolve(args.ref), cast(Status, args.status))
    except DeskError as exc:
        return _refused(exc, json_out=False, lang=lang)
    print(f"{stored.ticket} (id {stored.id}): {STATUS_WORDS[lang][stored.status]}")
    return 0


def cmd_print_form(args: argparse.Namespace, config: KioskConfig) -> int:
    lang = language(args)
    try:
        with _signed_in_desk(args, config) as desk:
            app_id = desk.resolve(args.ref)
            number = None
            if args.card:
                pin = getpass.getpass("暗証番号（4桁）/ PIN (4 digits): ")
                number = desk.read_my_number(build_card_reader(config=config), pin, application_id=app_id,
                                             procedure=args.procedure,
                                             allow_last_try=args.allow_last_try)
                del pin
            result = desk.print_form(app_id, args.procedure, my_number=number)
    except DeskError as exc:
        return _refused(exc, json_out=False, lang=lang)
    _printed(result, lang)
    return 0


def _printed(result: PrintResult, lang: str) -> None:
    name = result.name_ja if lang == "ja" else result.name_en
    print(f"{name}: {result.where}")
    for warning in result.warnings:
        print(f"  ! [{warning.code}] {warning.ja if lang == 'ja' else warning.en}")


def cmd_reprint(args: argparse.Namespace, config: KioskConfig) -> int:
    lang = language(args)
    try:
        with _signed_in_desk(args, config) as desk:
            result = desk.reprint_slip(desk.resolve(args.ref))
    except DeskError as exc:
        return _refused(exc, json_out=False, lang=lang)
    _printed(result, lang)
    return 0


def cmd_export(args: argparse.Namespace, config: KioskConfig) -> int:
    lang = language(args)
    try:
        with _signed_in_desk(args, config) as desk:
            result = desk.export(args.format, args.out, since=args.since)
    except DeskError as exc:
        return _refused(exc, json_out=False, lang=lang)
    what = "件の申請を書き出しました" if lang == "ja" else " application(s) exported"
    print(f"{result.applications}{what}:")
    for path in result.paths:
        print(f"  {path}")
    return 0


def cmd_screen(args: argparse.Namespace, config: KioskConfig) -> int:
    if not has_display():
        raise KioskError("画面（ディスプレイ）がありません。画面のある端末で開くか、"
                         "`kiosk desk scan 控えのPDF・画像・文字` を使ってください。 / "
                         "No display here: open the desk on a machine with a screen, or use "
                         "`kiosk desk scan SLIP_PDF|IMAGE|TEXT`.")
    from kiosk.ui.desk.app import run_desk  # noqa: PLC0415 - Kivy only when a screen is wanted

    # Nobody signed in: the screen asks for the id and password itself (--clerk is not used).
    parts = build_desk(config=config, desk_id=getattr(args, "desk", None))
    try:
        run_desk(parts.desk, card_reader=lambda: build_card_reader(config=config),
                 fullscreen=not args.windowed,
                 export_dir=config.desk.export_dir, idle_lock_s=config.desk.idle_lock_min * 60)
    finally:
        parts.close()
    return 0


# --- output --------------------------------------------------------------------------------


def _refused(exc: DeskError, *, json_out: bool, lang: str) -> int:
    if json_out:
        print(json.dumps({"error": exc.as_message().to_json()}, ensure_ascii=False, indent=2))
    print(f"kiosk desk: {exc.message(lang)}", file=sys.stderr)
    return 2


def render_text(view: DeskView, lang: str) -> str:
    """The application as a clerk reads it in a terminal: warnings first, then each procedure."""
    status = STATUS_WORDS[lang].get(view.status, view.status)
    lines = [f"{'受付番号' if lang == 'ja' else 'Ticket'} {view.ticket}  (id {view.application_id})"
             f"  {status}",
             f"{view.office_name}  {view.kiosk_id}  {view.issued_at:%Y-%m-%d %H:%M}"]
    for w in view.warnings:
        lines.append(f"! [{w.code}] {w.ja if lang == 'ja' else w.en}"
                     + (f" ({w.detail})" if w.detail else ""))
    for proc in view.procedures:
        lines.append("")
        attention = f"  ※{proc.attention_count}" if proc.attention_count else ""
        lines.append(f"[{proc.index}] {proc.title(lang)}{attention}")
        if proc.my_number_required:
            lines.append("    " + ("マイナンバーカードの提示が必要（窓口で個人番号を読み取り）" if lang == "ja"
                                   else "needs the My Number card at the counter"))
        lines.extend(_field_lines(proc.fields, lang, "    "))
    return "\n".join(lines)


def _field_lines(fields: tuple[FieldView, ...], lang: str, indent: str) -> list[str]:
    out: list[str] = []
    for f in fields:
        marks = " ".join(f"※{flag.ja if lang == 'ja' else flag.en}" if flag.attention
                         else f"({flag.ja if lang == 'ja' else flag.en})" for flag in f.flags)
        if f.kind == "section":
            out.append(f"{indent}■ {f.label(lang)}")
            continue
        out.append(f"{indent}{f.label(lang)}: {f.display(lang)}" + (f"  {marks}" if marks else ""))
        for n, row in enumerate(f.items, start=1):
            out.append(f"{indent}  {n}.")
            out.extend(_field_lines(row, lang, indent + "     "))
    return out
