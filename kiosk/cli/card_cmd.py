"""`kiosk card ...`: what IT staff use to check a reader, read a card, and run the emulator.

Personal data stays off the screen unless `--show` asks for it. The 12-digit number is never
read here: the counter desk reads it, for a procedure the My Number Act names, and audits the
read (`number_read`); a terminal command would read it with no supervisor and no trace (issue
15). The last PIN try is never spent unless `--force-last-try` says so: a blocked card can only
be unblocked at the city office.
"""

from __future__ import annotations

import argparse
import getpass
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from drivers.card.apdu import is_well_formed_pin
from drivers.card.emulator import (
    Identity,
    IdentityFileError,
    VirtualCard,
    VpcdUnavailableError,
    load_identity,
)
from drivers.card.emulator.pcscd import Pcscd, PcscdError, port_listening
from drivers.card.errors import (
    CardError,
    LastPinTryError,
    NotMyNumberCardError,
    PinBlockedError,
    PinFormatError,
)
from drivers.card.model import FLAG_ADDRESS, FLAG_NAME, BasicFour, Sex
from drivers.card.mynumber import MyNumberCard
from drivers.card.reader import CardReaders
from kiosk.config import KioskConfig
from kiosk.wiring import card_readers

DEFAULT_TIMEOUT = 30.0
VPCD_PORTS = (35963, 35964)
_SEX_JA = {Sex.MALE: "男性", Sex.FEMALE: "女性", Sex.NOT_APPLICABLE: "適用不能", Sex.NOT_KNOWN: "不明"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    card = sub.add_parser("card", help="check the card reader, read a My Number card, emulate one")
    csub = card.add_subparsers(dest="action", required=True)

    p = csub.add_parser("read", help="read the basic four items from a My Number card")
    p.add_argument("--pin", help="the 4-digit PIN, for scripts (default: asked without echo)")
    p.add_argument("--show", action="store_true", help="show the values unmasked")
    p.add_argument(
        "--force-last-try", action="store_true", help="use the PIN even with one try left"
    )
    _reader_options(p)
    p.set_defaults(handler=cmd_read)

    p = csub.add_parser("status", help="readers, cards, and PIN tries left (spends none)")
    p.add_argument("--reader", default=None, help="exact reader name (default: as configured)")
    p.set_defaults(handler=cmd_status)

    p = csub.add_parser("emulate", help="run the card emulator on a vpcd virtual reader")
    p.add_argument("--identity", type=Path, required=True, help="identity file (TOML)")
    p.add_argument("--port", type=int, choices=VPCD_PORTS, default=VPCD_PORTS[0])
    p.add_argument(
        "--start-pcscd", action="store_true", help="start pcscd for as long as the emulator runs"
    )
    p.set_defaults(handler=cmd_emulate)


def _reader_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--reader", default=None, help="exact reader name (default: as configured)")
    p.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds to wait for the card"
    )


def _text(lang: str | None, ja: str, en: str) -> str:
    if lang == "ja":
        return ja
    if lang == "en":
        return en
    return f"{ja} / {en}"


def _info(lang: str | None, ja: str, en: str) -> None:
    print(_text(lang, ja, en), file=sys.stderr)


def _fail(lang: str | None, exc: CardError) -> int:
    print(f"kiosk: {exc.message(lang)}", file=sys.stderr)
    return 1


def _readers(args: argparse.Namespace, config: KioskConfig) -> CardReaders:
    return card_readers(config=config, reader=args.reader)


def cmd_read(args: argparse.Namespace, config: KioskConfig) -> int:
    lang: str | None = args.lang
    if args.pin is not None and not is_well_formed_pin(args.pin):
        return _fail(lang, PinFormatError())
    readers = _readers(args, config)
    _info(
        lang,
        "マイナンバーカードをリーダーに置いてください…",
        "Place the My Number card on the reader…",
    )
    try:
        with readers.wait_for_card(timeout=args.timeout) as channel:
            card = MyNumberCard(channel)
            card.select()
            tries = card.pin_tries_left()
            if tries == 0:
                raise PinBlockedError()
            _info(lang, f"暗証番号の残り回数: {tries}回", f"PIN tries left: {tries}")
            if tries == 1 and not args.force_last_try:
                _info(
                    lang,
                    "（IT担当: 使うには --force-last-try）",
                    "(IT staff: --force-last-try to use it)",
                )
                raise LastPinTryError()
            pin = args.pin if args.pin is not None else _ask_pin(lang)
            card.verify_pin(pin, allow_last_try=args.force_last_try)
            basic = card.read_basic_four()
    except CardError as exc:
        return _fail(lang, exc)
    _print_basic_four(basic, show=args.show, lang=lang)
    return 0


def _ask_pin(lang: str | None) -> str:
    try:
        pin = getpass.getpass(_text(lang, "暗証番号 (数字4桁): ", "PIN (4 digits): "))
    except EOFError:
        pin = ""
    if not is_well_formed_pin(pin):
        raise PinFormatError()
    return pin


def mask_name(name: str) -> str:
    """Keep the family name, star the rest: 見本 花子 -> 見本 **."""
    for space in (" ", "\u3000"):
        family, sep, given = name.partition(space)
        if sep:
            return family + sep + "*" * len(given)
    return name[:1] + "*" * (len(name) - 1)


def mask_address(address: str, keep: int = 4) -> str:
    """Keep the first characters (the municipality, usually): みほん市中央… -> みほん市…."""
    return address if len(address) <= keep else address[:keep] + "…"


def _print_basic_four(basic: BasicFour, *, show: bool, lang: str | None) -> None:
    name = basic.name if show else mask_name(basic.name)
    address = basic.address if show else mask_address(basic.address)
    birth = basic.birth_date.isoformat() if show else f"{basic.birth_date.year}-**-**"
    sex = _text(lang, _SEX_JA[basic.sex], basic.sex.value) if show else "*"
    rows = [
        (_text(lang, "氏名", "Name"), name),
        (_text(lang, "住所", "Address"), address),
        (_text(lang, "生年月日", "Birth date"), birth),
        (_text(lang, "性別", "Sex"), sex),
    ]
    for label, value in rows:
        print(f"{label}: {value}")
    notes = {
        FLAG_NAME: ("氏名", "name"),
        FLAG_ADDRESS: ("住所", "address"),
    }
    for flag in basic.flags:
        ja, en = notes[flag]
        print(
            _text(
                lang,
                f"※ {ja}に読み取れない文字があります。券面と照合してください。",
                f"Note: the {en} holds characters that did not decode; check it against the card.",
            )
        )
        if show:
            raw = basic.raw_name if flag == FLAG_NAME else basic.raw_address
            print(f"   raw {en}: {raw.hex(' ')}")
    if not show:
        _info(
            lang,
            "（一部を伏せて表示しています。全部表示するには --show）",
            "(masked; --show to display)",
        )


def cmd_status(args: argparse.Namespace, config: KioskConfig) -> int:
    lang: str | None = args.lang
    readers = _readers(args, config)
    configured = args.reader if args.reader is not None else config.card.reader
    try:
        statuses = readers.status()
    except CardError as exc:
        return _fail(lang, exc)
    print(_text(lang, "PC/SC サービス (pcscd): 応答あり", "PC/SC service (pcscd): answering"))
    if not statuses:
        print(_text(lang, "カードリーダー: なし", "Card readers: none"))
    for status in statuses:
        mark = " (設定 / configured)" if status.name == configured else ""
        state = _card_state(readers, status.name, status.card_present, lang)
        print(f"{status.name}{mark}: {state}")
    names = [s.name for s in statuses]
    if configured and configured not in names:
        print(
            _text(
                lang,
                f"設定されたリーダー「{configured}」が接続されていません。",
                f'The configured reader "{configured}" is not connected.',
            )
        )
        return 1
    if not configured:
        ja = "設定: カードのある最初のリーダーを使用"
        print(_text(lang, ja, "Config: first reader holding a card"))
    return 0 if statuses else 1


def _card_state(readers: CardReaders, name: str, present: bool, lang: str | None) -> str:
    if not present:
        return _text(lang, "カードなし", "no card")
    try:
        with readers.connect(name) as channel:
            card = MyNumberCard(channel)
            card.select()
            tries = card.pin_tries_left()
    except NotMyNumberCardError:
        return _text(
            lang, "マイナンバーカードではないカード", "a card that is not a My Number card"
        )
    except CardError as exc:
        return exc.message(lang)
    if tries == 0:
        return _text(lang, "マイナンバーカード、暗証番号ロック中", "My Number card, PIN blocked")
    return _text(
        lang,
        f"マイナンバーカード、暗証番号の残り{tries}回",
        f"My Number card, PIN tries left: {tries}",
    )


def cmd_emulate(args: argparse.Namespace, config: KioskConfig) -> int:
    """Serve the card until Ctrl-C, or SIGTERM from a script: either way the card is taken
    off and a pcscd we started is stopped and reaped, never left behind."""
    lang: str | None = args.lang
    try:
        identity = load_identity(args.identity)
    except IdentityFileError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 1
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if in_main_thread else None
    try:
        if args.start_pcscd:
            try:
                with Pcscd():
                    return _serve_until_stopped(identity, args.port, args.identity, lang)
            except PcscdError as exc:
                print(f"kiosk: {exc}", file=sys.stderr)
                return 1
        if not port_listening(args.port):
            print("kiosk: " + _no_vpcd_message(args.port, lang), file=sys.stderr)
            return 1
        return _serve_until_stopped(identity, args.port, args.identity, lang)
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _no_vpcd_message(port: int, lang: str | None) -> str:
    return _text(
        lang,
        f"pcscd が動いていないか、vpcd がポート {port} で待っていません。"
        "別の端末で `pcscd --foreground` を起動するか、--start-pcscd を付けてください。",
        f"pcscd is not running, or vpcd does not listen on port {port}. Start "
        "`pcscd --foreground` in another terminal, or add --start-pcscd.",
    )


def _serve_until_stopped(identity: Identity, port: int, source: Path, lang: str | None) -> int:
    card = VirtualCard(identity, port=port)
    try:
        card.start()
    except VpcdUnavailableError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 1
    print(
        _text(
            lang,
            f"{card.reader_name} にカードを置きました ({source.name})。Ctrl-C で取り出します。",
            f"Card from {source.name} placed on {card.reader_name}. Ctrl-C takes it off.",
        ),
        flush=True,
    )
    try:
        while not card.wait_removed(0.5):
            pass
        print(_text(lang, "カードがリーダーから離れました。", "The card left the reader."))
    except KeyboardInterrupt:
        print(_text(lang, "カードを取り出しました。", "Card taken off the reader."))
    finally:
        card.stop()
    return 0
