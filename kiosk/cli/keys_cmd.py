"""`kiosk keys ...`: make and show the keys that sign and seal the slip's QR code.

IT staff run `kiosk keys init --role kiosk` on each kiosk and `--role desk` on each counter PC,
once per set-up (docs/security.md, "Keys by role"); it never overwrites a private key, so running
it again is harmless. The demo (no --config) keeps both roles on its one machine.
`kiosk keys show` prints key ids only, never private material, so
its output can be pasted into a ticket or compared between the kiosk and the counter PC.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import cast

from kiosk.config import KioskConfig
from kiosk.errors import KioskError
from printouts.payload.errors import KeysMissingError, KeyStoreError
from printouts.payload.keys import (
    COUNTER_KEY_FILE,
    KIOSK_KEY_FILE,
    TRUST_FILE,
    InitResult,
    Role,
    init_keys,
    list_key_files,
    read_trust,
)

_KINDS = {
    "ja": {
        KIOSK_KEY_FILE: "端末の署名鍵（Ed25519、秘密鍵）",
        COUNTER_KEY_FILE: "窓口の封印鍵（X25519、秘密鍵）",
        TRUST_FILE: "信頼リスト（公開鍵のみ）",
    },
    "en": {
        KIOSK_KEY_FILE: "kiosk signing key (Ed25519, private)",
        COUNTER_KEY_FILE: "counter sealing key (X25519, private)",
        TRUST_FILE: "trust list (public keys only)",
    },
}

_STATES = {"ja": ("作成", "既存（上書きしません）"), "en": ("created", "kept (not overwritten)")}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = sub.add_parser("keys", help="signing and sealing keys of the slip QR code")
    ksub = keys.add_subparsers(dest="action", required=True)
    p = ksub.add_parser(
        "init", help="make this machine's missing key pair and trust.json (never overwrites)"
    )
    p.add_argument("--role", choices=("kiosk", "desk"), default=None,
                   help="kiosk: a signing key only; desk: a sealing key only (required with "
                        "--config; the demo makes both)")
    p.set_defaults(handler=cmd_init)
    p = ksub.add_parser("show", help="key ids and the trust list (no private material)")
    p.set_defaults(handler=cmd_show)


def _language(args: argparse.Namespace) -> str:
    """--lang, else the environment's language when it is English, else Japanese."""
    if getattr(args, "lang", None):
        return str(args.lang)
    return "en" if os.environ.get("LANG", "").startswith("en") else "ja"


def _role(args: argparse.Namespace, lang: str) -> Role:
    """--role; in the demo (no --config) both; otherwise a clear refusal."""
    if args.role:
        return cast(Role, args.role)
    if getattr(args, "config", None) is None:
        return "both"
    raise KioskError(
        "役割を指定してください: 申請端末なら `kiosk keys init --role kiosk`、窓口端末なら "
        "`--role desk`。1台に両方の秘密鍵を置くのはデモだけです。" if lang == "ja" else
        "Say which role this machine has: `kiosk keys init --role kiosk` on a kiosk, "
        "`--role desk` on a counter desk. Only the demo keeps both private keys on one machine.")


def cmd_init(args: argparse.Namespace, config: KioskConfig) -> int:
    lang = _language(args)
    role = _role(args, lang)
    try:
        result = init_keys(
            config.keys_dir, kiosk_id=config.kiosk_id, office_code=config.office.code, role=role
        )
    except KeyStoreError as exc:
        raise KioskError(exc.message(lang)) from None
    except OSError as exc:
        raise KioskError(f"{config.keys_dir}: {exc.strerror or exc}") from None
    _print_init(result, lang)
    return 0


def _print_init(result: InitResult, lang: str) -> None:
    ids = {name: kid.hex() for name, kid in (
        (KIOSK_KEY_FILE, result.kiosk_key_id), (COUNTER_KEY_FILE, result.counter_key_id)) if kid}
    ja = lang == "ja"
    print(f"鍵フォルダ: {result.directory}" if ja else f"keys folder: {result.directory}")
    rows = [(p, True) for p in result.created] + [(p, False) for p in result.kept]
    for path, new in sorted(rows, key=lambda row: row[0].name):
        state = _STATES[lang][0 if new else 1]
        key = f" id {ids[path.name]}" if path.name in ids else ""
        print(f"  {path}  {_KINDS[lang][path.name]}{key}  [{state}]")
    if not result.created:
        print("すべて既にあります。何も変更していません。" if ja else "All there; nothing changed.")
    elif ja:
        print("秘密鍵（.pem）は権限600です。trust.json（公開鍵のみ）は端末と窓口の全台で同じものを"
              "使います。")
    else:
        print("Private keys (.pem) have mode 600. trust.json (public keys only) must be the same "
              "on every kiosk and desk.")
    if result.needs_counter_key:
        print("trust.json に窓口の封印鍵がありません。先に窓口端末で `kiosk keys init --role desk` "
              "を実行し、その trust.json をここにコピーしてから、もう一度実行してください。" if ja
              else "trust.json has no counter key yet: run `kiosk keys init --role desk` on the "
              "desk first, copy its trust.json here, then run this again.")


def cmd_show(args: argparse.Namespace, config: KioskConfig) -> int:
    lang = _language(args)
    ja = lang == "ja"
    directory: Path = config.keys_dir
    print(f"鍵フォルダ: {directory}" if ja else f"keys folder: {directory}")
    try:
        files = list_key_files(directory) if directory.is_dir() else []
        trust = read_trust(directory)
    except KeysMissingError:
        hint = (
            "鍵がありません。`kiosk keys init` で作成してください。"
            if ja
            else "No keys here. Run `kiosk keys init` to make them."
        )
        print(f"  {hint}")
        return 1
    except KeyStoreError as exc:
        raise KioskError(exc.message(lang)) from None
    print("この機器の秘密鍵:" if ja else "private keys on this machine:")
    for found in files:
        print(f"  {found.kind:<16} {found.key_id.hex()}  {found.path}")
    if not files:
        print("  （なし）" if ja else "  (none)")
    print("信頼する端末（trust.json）:" if ja else "trusted kiosks (trust.json):")
    for kiosk in trust.kiosks:
        print(f"  {kiosk.key_id.hex()}  kiosk {kiosk.kiosk_id}  office {kiosk.office_code}")
    print("窓口の封印鍵（trust.json）:" if ja else "counter sealing keys (trust.json):")
    for counter in trust.counters:
        mark = (" 現行" if ja else " current") if counter.current else ""
        print(f"  {counter.key_id.hex()}  office {counter.office_code}{mark}")
    return 0
