"""`kiosk audit ...`: whether the audit trail is whole, and who did what to an application.

    kiosk audit verify        exit 0: whole (the count); 1: the first changed or missing event
    kiosk audit show --as ID --password-stdin [--clerk ID] [--slip SLIP_HEX] [--since DATE]
                     [--json]

`show` answers "who opened this resident's application, and when" (--slip: the 24 hex digits
of the slip's id), or what one person did (--clerk), from a day on (--since, Japan time).
Reading the trail is a supervisor's, so `show` signs a person in (`--as`, the password on
standard input as `docker login --password-stdin` takes it, else a prompt), and the look is
itself audited before anything is shown: `viewed` of the application with --slip,
`exported` with detail "audit" otherwise. `--clerk` is whose events are listed, not who asks.
Both run without keys, under the database owner's login or a desk's: events hold ids and
codes, never personal data. Exit 2: refused (sign-in, role, a slip no application holds).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from common.clock import JST
from kiosk.cli.forms_cmd import language
from kiosk.cli.password_input import password_of
from kiosk.config import KioskConfig
from kiosk.desk.access import RoleRequired, refuse_below
from kiosk.errors import KioskError
from kiosk.store.audit_chain import ChainCheck
from kiosk.store.db import sqlite_file
from kiosk.store.errors import SchemaOutdatedError, StoreError
from kiosk.store.records import AuditEvent, StoredApplication
from kiosk.store.repository import Store, open_store
from kiosk.store.staff import StaffMember
from kiosk.wiring import open_engine

SHOW_DETAIL = "audit show"  # the detail of the `viewed` event a look by slip leaves
ACTIONS_JA = {
    "viewed": "閲覧", "printed": "印刷", "status_changed": "状態変更", "exported": "書き出し",
    "purged": "削除（保存期間）", "refused": "拒否", "number_read": "個人番号読取",
    "signed_in": "サインイン", "signed_out": "サインアウト", "staff_changed": "職員アカウント変更",
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = sub.add_parser("audit", help="the audit trail: check it is whole, show who did what")
    asub = audit.add_subparsers(dest="action", required=True)
    p = asub.add_parser("verify", help="check the hash chain; exit 1 names the first bad event")
    p.set_defaults(handler=cmd_verify)
    p = asub.add_parser("show", help="who opened an application, and when (supervisor)")
    p.add_argument("--as", dest="signer", required=True, metavar="ID",
                   help="your staff id (supervisor or admin)")
    p.add_argument("--password-stdin", action="store_true",
                   help="read your password from the first line of standard input")
    p.add_argument("--clerk", default=None, metavar="ID", help="only this person's events")
    p.add_argument("--slip", default=None, metavar="SLIP_HEX",
                   help="only the events of the application of this slip (24 hex digits)")
    p.add_argument("--since", type=dt.date.fromisoformat, default=None,
                   help="only events from this day on (YYYY-MM-DD, Japan time)")
    p.add_argument("--json", action="store_true", help="the events as JSON")
    p.set_defaults(handler=cmd_show)


@contextmanager
def _audit_store(config: KioskConfig, lang: str) -> Iterator[Store]:
    """A store without keys; a store error leaves as one message in the asked language."""
    engine = open_engine(config=config, make_folder=False)
    try:
        path = sqlite_file(engine)
        if path is not None and not path.exists():
            raise SchemaOutdatedError(f"no database file at {path}")
        yield open_store(engine)
    except StoreError as exc:
        raise KioskError(exc.message(lang)) from None
    finally:
        engine.dispose()


def cmd_verify(args: argparse.Namespace, config: KioskConfig) -> int:
    lang = "ja" if language(args) == "ja" else "en"
    with _audit_store(config, lang) as store:
        check = store.verify_audit()
    print(verdict(check, lang))
    return 0 if check.whole else 1


def verdict(check: ChainCheck, lang: str) -> str:
    """What `verify` found, in words an IT officer can act on."""
    ja, seq, event = lang == "ja", check.seq, check.event_id
    if check.whole:
        return (f"監査記録は完全です（{check.events} 件、連鎖に欠落・改変なし）。" if ja else
                f"The audit trail is whole: {check.events} events, none changed or missing.")
    keep = ("データベースをこのまま保全し、情報セキュリティ責任者に連絡してください。" if ja else
            "Keep the database as it is and tell the information security officer.")
    if check.problem == "changed":
        found = (f"監査記録 id {event}（通番 {seq}）が書き込み後に変更されています"
                 "（またはその前に記録が差し込まれています）。" if ja else
                 f"Audit event id {event} (seq {seq}) was changed after it was written (or an "
                 "event was slipped in before it).")
    elif check.problem == "missing" and event is not None:
        found = (f"監査記録 id {event} の前の通番 {seq} の記録が削除されています。" if ja else
                 f"The event numbered {seq}, before audit event id {event}, is missing.")
    elif check.problem == "missing":
        found = (f"最後の監査記録（通番 {seq} 以降）が削除されています。" if ja else
                 f"The last audit events, from seq {seq} on, are missing.")
    else:
        found = (f"連鎖の先頭情報が最後の記録（通番 {(seq or 1) - 1}）と一致しません"
                 "（ストアを通さない追加か、先頭の書き換え）。" if ja else
                 f"The chain's head does not match its last event (seq {(seq or 1) - 1}): an "
                 "event added outside the store, or the head rewritten.")
    return f"{found}\n{keep}"


def cmd_show(args: argparse.Namespace, config: KioskConfig) -> int:
    lang = "ja" if language(args) == "ja" else "en"
    with _audit_store(config, lang) as store:
        member = _signed_in(store, args, lang)
        app = store.find_by_slip(args.slip) if args.slip else None
        if app is not None:
            store.audit(member.staff_id, "viewed", app.id, detail=SHOW_DETAIL)
        else:
            store.audit(member.staff_id, "exported", detail="audit")
        if args.slip and app is None:
            raise KioskError(
                "この控えの申請はありません（保存期間を過ぎて削除されたか、別のデータベースです）。"
                if lang == "ja" else "No application holds this slip (purged after the retention "
                "period, or another database).")
        found = store.find_audit_events(clerk=args.clerk, since=args.since,
                                        application_id=app.id if app else None)
    if args.json:
        print(json.dumps({"application": _app_json(app), "events": [_event_json(e) for e in found]},
                         ensure_ascii=False, indent=2))
    else:
        _print_events(app, found, lang)
    return 0


def _signed_in(store: Store, args: argparse.Namespace, lang: str) -> StaffMember:
    """The person asking, once their password is right and their role a supervisor's or
    above; a refusal names the role and, past the password, is audited."""
    password = _password(args, lang)
    member = store.sign_in(args.signer, password)
    try:
        refuse_below(store, member, "audit")
    except RoleRequired as refused:
        raise KioskError(refused.message(lang)) from None
    return member


def _password(args: argparse.Namespace, lang: str) -> str:
    password = password_of(args, prompt="パスワード: " if lang == "ja" else "Password: ")
    if not password:  # refused before the store: a forgotten pipe is not a wrong try
        raise KioskError(
            "パスワードがありません。`--password-stdin` で標準入力の1行目から渡してください。"
            if lang == "ja" else
            "No password given: pass it on the first line of standard input with "
            "`--password-stdin`.")
    return password


def _when(at: dt.datetime) -> str:
    return at.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S JST")


def _print_events(app: StoredApplication | None, found: list[AuditEvent], lang: str) -> None:
    ja = lang == "ja"
    if app is not None:
        day = app.ticket_day.isoformat()
        print(f"申請 #{app.id}（{day} 番号 {app.ticket}、控え {app.slip_id}）" if ja else
              f"Application #{app.id} (ticket {app.ticket} of {day}, slip {app.slip_id})")
    if not found:
        print("該当する監査記録はありません。" if ja else "No audit events match.")
        return
    print("日時\t職員\t端末\t操作\t申請\t詳細" if ja else "when\tclerk\tdesk\taction\tapplication\tdetail")
    for event in found:
        action = f"{ACTIONS_JA.get(event.action, event.action)}({event.action})" if ja else event.action
        number = f"#{event.application_id}" if event.application_id is not None else "-"
        print("\t".join((_when(event.at), event.clerk_id, event.desk_id or "-", action, number,
                         event.detail or "-")))


def _app_json(app: StoredApplication | None) -> dict[str, Any] | None:
    if app is None:
        return None
    return {"id": app.id, "ticket": app.ticket, "ticket_day": app.ticket_day.isoformat(),
            "slip_id": app.slip_id, "status": app.status.value}


def _event_json(event: AuditEvent) -> dict[str, Any]:
    return {"id": event.id, "at": event.at.astimezone(JST).isoformat(), "clerk": event.clerk_id,
            "desk": event.desk_id, "action": event.action,
            "application_id": event.application_id, "detail": event.detail}
