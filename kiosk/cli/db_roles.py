"""`kiosk db roles [--apply]`: the PostgreSQL grants that keep a kiosk's login from reading
what it stored, and any login of the kiosk or the desk from rewriting the audit trail
(kiosk/store/roles.py says who may do what, docs/security.md how to set it up)."""

from __future__ import annotations

import argparse

from kiosk.cli.forms_cmd import language
from kiosk.config import KioskConfig
from kiosk.errors import KioskError
from kiosk.store.errors import StoreError
from kiosk.store.roles import apply_grants, grants
from kiosk.wiring import open_engine


def register(dsub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = dsub.add_parser("roles", help="print (or --apply) the PostgreSQL grants of the kiosk "
                                      "and desk logins")
    p.add_argument("--kiosk-role", default="kiosk", help="the kiosks' login role (default kiosk)")
    p.add_argument("--desk-role", default="desk", help="the desks' login role (default desk)")
    p.add_argument("--apply", action="store_true",
                   help="run them on [database] url, as the tables' owner")
    p.set_defaults(handler=cmd_roles)


def cmd_roles(args: argparse.Namespace, config: KioskConfig) -> int:
    ja = language(args) == "ja"
    try:
        statements = grants(args.kiosk_role, args.desk_role)
    except StoreError as exc:
        raise KioskError(exc.message("ja" if ja else "en")) from None
    if not args.apply:
        print("\n".join(f"{s};" for s in statements))
        return 0
    engine = open_engine(config=config, make_folder=False)
    try:
        apply_grants(engine, statements)
    except StoreError as exc:
        raise KioskError(exc.message("ja" if ja else "en")) from None
    finally:
        engine.dispose()
    print(f"{len(statements)} 件の権限設定を適用しました（端末: {args.kiosk_role}、窓口: "
          f"{args.desk_role}）。" if ja else f"Applied {len(statements)} grant statements "
          f"(kiosk: {args.kiosk_role}, desk: {args.desk_role}).")
    return 0
