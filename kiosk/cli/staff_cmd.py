"""`kiosk staff ...`: the people who sign in at the desk (password) and in the kiosk's staff
mode (PIN), and their roles.

    kiosk staff add ID --role clerk|supervisor|admin   a new account; its password is asked
    kiosk staff list                                   ids, roles, disabled or locked, PIN set
    kiosk staff disable ID                             no more sign-ins (kept for the audit trail)
    kiosk staff passwd ID                              a new desk password (10 or more characters)
    kiosk staff pin ID                                 a new kiosk staff-mode PIN (6 to 8 digits)
    kiosk staff unlock ID                              lift the lock of five wrong tries

Who may: an admin, and for `unlock` a supervisor too. The acting person signs in with `--as ID`
and their password: asked on the terminal, or with `--password-stdin` the first line of
standard input. A new password or PIN is the next line of standard input when that is not a
terminal, else it is asked twice. The very first account is an admin added without `--as`
(audited as "bootstrap"); anything else on an empty staff table is refused. A refusal names
the role that may (exit 2); every change and refusal is audited with the acting id.

These write the staff table: run them on the database owner's login, the [database] url of the
admin's kiosk.toml (a kiosk's or a desk's login may not).

    printf '%s\\n%s\\n' "$ADMIN_PASSWORD" "$NEW_PASSWORD" |
        kiosk staff add k.tanaka --role clerk --as admin01 --password-stdin
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from collections.abc import Callable
from typing import cast

from common.clock import JST, utc_now
from kiosk.cli.db_cmd import keyless_store
from kiosk.cli.forms_cmd import language
from kiosk.cli.password_input import password_of
from kiosk.config import KioskConfig
from kiosk.desk.access import ACTION_NAMES, NEEDS, ROLE_NAMES, refuse_below
from kiosk.errors import CodedError
from kiosk.store.errors import InvalidValueError, NotFoundError
from kiosk.store.repository import Store
from kiosk.store.staff import (
    MIN_PASSWORD,
    ROLES,
    Role,
    StaffMember,
    check_password,
    check_pin,
)

BOOTSTRAP = "bootstrap"  # the audit's acting id of the first admin, added with nobody to sign in
OWNER_LOGIN = ("Run on the database owner's login: the [database] url of the admin's kiosk.toml "
               "(a kiosk's or a desk's login may not write the staff table).")
# Sub-command -> its action in kiosk/desk/access.py, whose NEEDS says the least role.
ACTIONS = {"add": "staff", "list": "staff", "disable": "staff", "passwd": "staff",
           "pin": "staff", "unlock": "unlock"}
Work = Callable[[Store, str, str], str]  # (store, acting id, lang) -> what to print


class AdminFirst(CodedError):
    code = "admin_first"
    message_ja = ("職員アカウントがまだありません。最初に管理者を --as なしで追加してください："
                  "kiosk staff add 職員ID --role admin")
    message_en = ("There is no staff account yet. Add an admin first, without --as: "
                  "kiosk staff add ID --role admin")


class AsRequired(CodedError):
    code = "sign_in_required"

    @classmethod
    def for_action(cls, action: str) -> AsRequired:
        role = NEEDS[action]
        role_ja, role_en = ROLE_NAMES[role]
        what_ja, what_en = ACTION_NAMES[action]
        return cls(ja=f"{what_ja}は{role_ja}（{role}）としてサインインが必要です。"
                      "--as 職員ID を付けてください。",
                   en=f"{what_en.capitalize()} needs you signed in as {role_en} or above: "
                      "add --as ID.")


class StaffExists(CodedError):
    code = "staff_exists"
    message_ja = "この職員IDはすでにあります。パスワードの変更は kiosk staff passwd です。"
    message_en = "This staff ID exists already. `kiosk staff passwd` changes its password."


class SecretRequired(CodedError):
    code = "secret_required"
    message_ja = "標準入力にパスワード（暗証番号）の行がありません。"
    message_en = "No password (PIN) line on standard input."


class NoSuchStaff(CodedError):
    code = "no_such_staff"
    message_ja = "この職員IDのアカウントはありません。kiosk staff list で確かめてください。"
    message_en = "No account has this staff ID. `kiosk staff list` shows them."


class SecretRefused(CodedError):
    code = "invalid_value"

    @classmethod
    def for_kind(cls, *, pin: bool) -> SecretRefused:
        if pin:
            return cls(ja="職員用暗証番号は6〜8桁の数字です。", en="A staff-mode PIN is 6 to 8 digits.")
        return cls(ja=f"パスワードは印字できる文字で{MIN_PASSWORD}文字以上にしてください。",
                   en=f"A password needs at least {MIN_PASSWORD} printable characters.")


class SecretsDiffer(CodedError):
    code = "secrets_differ"
    message_ja = "2回の入力が一致しません。もう一度実行してください。"
    message_en = "The two entries differ. Run the command again."


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    staff = sub.add_parser("staff", help="staff accounts: add, list, disable, passwd, pin, unlock "
                                         "(the database owner's login)",
                           description=f"Staff accounts for the desk and the kiosk's staff mode. "
                                       f"{OWNER_LOGIN}")
    _acting(staff)
    ssub = staff.add_subparsers(dest="action", required=True)
    p = _command(ssub, "add", cmd_add, "a new account (admin; the first admin without --as)")
    p.add_argument("--role", choices=ROLES, required=True)
    _command(ssub, "list", cmd_list, "every account: role, disabled or locked, PIN set (admin)")
    _command(ssub, "disable", cmd_disable, "no more sign-ins for this account (admin)")
    _command(ssub, "passwd", cmd_passwd, "a new desk password (admin)")
    _command(ssub, "pin", cmd_pin, "a new kiosk staff-mode PIN, 6 to 8 digits (admin)")
    _command(ssub, "unlock", cmd_unlock, "lift the lock of five wrong tries (supervisor)")


def _command(ssub: argparse._SubParsersAction[argparse.ArgumentParser], name: str,
             handler: Callable[[argparse.Namespace, KioskConfig], int], text: str
             ) -> argparse.ArgumentParser:
    p = ssub.add_parser(name, help=text, description=f"{text[0].upper()}{text[1:]}. {OWNER_LOGIN}")
    if name != "list":
        p.add_argument("staff_id", metavar="ID", help="the account's staff id")
    _acting(p)
    p.set_defaults(handler=handler)
    return p


def _acting(p: argparse.ArgumentParser) -> None:
    # On the group and on each sub-command, as `kiosk desk` takes --clerk.
    p.add_argument("--as", dest="as_id", metavar="ID", default=argparse.SUPPRESS,
                   help="your own staff id (an admin; for unlock a supervisor)")
    p.add_argument("--password-stdin", action="store_true", default=argparse.SUPPRESS,
                   help="your password is the first line of standard input (a new password or "
                        "PIN the next)")


# --- sub-commands --------------------------------------------------------------------------


def cmd_add(args: argparse.Namespace, config: KioskConfig) -> int:
    def work(store: Store, by: str, lang: str) -> str:
        if any(m.staff_id == args.staff_id for m in store.staff_list()):
            raise StaffExists(args.staff_id)
        password = _new_secret(lang, pin=False)
        store.add_staff(args.staff_id, cast(Role, args.role), password, by=by)
        return (f"{args.staff_id} を {args.role} として追加しました。" if lang == "ja"
                else f"Added {args.staff_id} as {args.role}.")
    return _run(args, config, work)


def cmd_list(args: argparse.Namespace, config: KioskConfig) -> int:
    def work(store: Store, _by: str, lang: str) -> str:
        members = store.staff_list()
        now = utc_now()
        return "\n".join(_listed(m, lang, now) for m in members)
    return _run(args, config, work)


def _listed(member: StaffMember, lang: str, now: dt.datetime) -> str:
    ja = lang == "ja"
    until = member.locked_until
    if member.disabled:
        state = "無効" if ja else "disabled"
    elif until is not None and until > now:
        at = f"{until.astimezone(JST):%H:%M}"
        state = f"ロック中（{at} まで）" if ja else f"locked until {at} JST"
    else:
        state = "有効" if ja else "active"
    pin = ("PINあり" if ja else "PIN set") if member.has_pin else ("PINなし" if ja else "no PIN")
    return f"{member.staff_id:<24} {member.role:<10} {pin:<8} {state}"


def cmd_disable(args: argparse.Namespace, config: KioskConfig) -> int:
    def work(store: Store, by: str, lang: str) -> str:
        store.disable_staff(args.staff_id, by=by)
        return (f"{args.staff_id} を無効にしました（サインインできません）。" if lang == "ja"
                else f"Disabled {args.staff_id}: it can no longer sign in.")
    return _run(args, config, work)


def cmd_passwd(args: argparse.Namespace, config: KioskConfig) -> int:
    def work(store: Store, by: str, lang: str) -> str:
        store.set_password(args.staff_id, _new_secret(lang, pin=False), by=by)
        return (f"{args.staff_id} のパスワードを変更しました。" if lang == "ja"
                else f"Changed the password of {args.staff_id}.")
    return _run(args, config, work)


def cmd_pin(args: argparse.Namespace, config: KioskConfig) -> int:
    def work(store: Store, by: str, lang: str) -> str:
        store.set_pin(args.staff_id, _new_secret(lang, pin=True), by=by)
        return (f"{args.staff_id} の職員用暗証番号を設定しました。" if lang == "ja"
                else f"Set the staff-mode PIN of {args.staff_id}.")
    return _run(args, config, work)


def cmd_unlock(args: argparse.Namespace, config: KioskConfig) -> int:
    def work(store: Store, by: str, lang: str) -> str:
        store.unlock_staff(args.staff_id, by=by)
        return (f"{args.staff_id} のロックを解除しました。" if lang == "ja"
                else f"Unlocked {args.staff_id}.")
    return _run(args, config, work)


# --- who acts ------------------------------------------------------------------------------


def _run(args: argparse.Namespace, config: KioskConfig, work: Work) -> int:
    """`work` on the owner's store, once the acting person may; a refusal exits 2 saying why."""
    lang = language(args)
    try:
        with keyless_store(config) as store:
            try:
                said = work(store, _signed_in(args, store, lang), lang)
            except NotFoundError:
                raise NoSuchStaff(args.staff_id) from None
    except CodedError as exc:
        print(f"kiosk staff: {exc.message(lang)}", file=sys.stderr)
        return 2
    if said:
        print(said)
    return 0


def _signed_in(args: argparse.Namespace, store: Store, lang: str) -> str:
    """The acting id (after its password and role are checked), or BOOTSTRAP for the first
    admin. A role too low is refused naming the role that may, and audited."""
    action = ACTIONS[args.action]
    as_id = getattr(args, "as_id", None)
    if not store.has_staff():
        if args.action == "add" and args.role == "admin" and not as_id:
            return BOOTSTRAP
        raise AdminFirst()
    if not as_id:
        raise AsRequired.for_action(action)
    member = store.sign_in(as_id, _own_password(args, as_id, lang))
    refuse_below(store, member, action)
    return member.staff_id


def _own_password(args: argparse.Namespace, as_id: str, lang: str) -> str:
    password = password_of(args, prompt=f"{as_id} のパスワード: " if lang == "ja"
                           else f"Password of {as_id}: ")
    if not password:  # refused before the store: not a wrong try
        raise SecretRequired()
    return password


def _new_secret(lang: str, *, pin: bool) -> str:
    """The next line of standard input when it is not a terminal; else asked twice. Checked
    here too, to say the store's rule in the reader's language."""
    secret = _line() if not sys.stdin.isatty() else _asked_twice(lang, pin=pin)
    try:
        (check_pin if pin else check_password)(secret)
    except InvalidValueError:
        raise SecretRefused.for_kind(pin=pin) from None
    return secret


def _asked_twice(lang: str, *, pin: bool) -> str:
    what = ("新しい職員用暗証番号（6〜8桁）" if pin else "新しいパスワード") if lang == "ja" else (
        "New staff-mode PIN (6 to 8 digits)" if pin else "New password")
    first = getpass.getpass(f"{what}: ")
    again = getpass.getpass(f"{what}（確認）: " if lang == "ja" else f"{what} (again): ")
    if first != again:
        raise SecretsDiffer()
    return first


def _line() -> str:
    secret = sys.stdin.readline().rstrip("\r\n")
    if not secret:
        raise SecretRequired()
    return secret
