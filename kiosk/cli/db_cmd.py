"""`kiosk db ...`: what IT staff run on the database: upgrade the schema, purge, count.

None of these reads personal data or needs a key: `purge` removes whole rows (and the
printed and exported files of the same age) and `stats` counts them. Run `kiosk db purge` once a
day (cron or a systemd timer); it is safe to run again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from kiosk.cli import db_roles
from kiosk.cli.forms_cmd import language
from kiosk.config import KioskConfig
from kiosk.retention_files import purge_files
from kiosk.store.db import sqlite_file
from kiosk.store.errors import SchemaOutdatedError
from kiosk.store.migrate import check_schema, current_revision, upgrade
from kiosk.store.repository import SYSTEM_CLERK, Store
from kiosk.wiring import open_engine

STATUS_NAMES = {
    "ja": {"issued": "発券済み", "received": "受付済み", "completed": "完了", "cancelled": "取消"},
    "en": {"issued": "issued", "received": "received", "completed": "completed",
           "cancelled": "cancelled"},
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = sub.add_parser("db", help="database: create or update tables, purge, counts")
    dsub = db.add_subparsers(dest="action", required=True)
    p = dsub.add_parser("upgrade", help="create or update the tables (safe to run again)")
    p.set_defaults(handler=cmd_upgrade)
    p = dsub.add_parser("purge", help="remove applications, printed files and exports older than the "
                                           "retention period")
    p.add_argument("--days", type=int, default=None,
                   help="keep this many days (default: database.retention_days in kiosk.toml)")
    p.add_argument("--dry-run", action="store_true", help="only say how many would be removed")
    p.set_defaults(handler=cmd_purge)
    p = dsub.add_parser("stats", help="applications by status, prints, audit events (counts only)")
    p.set_defaults(handler=cmd_stats)
    db_roles.register(dsub)


def cmd_upgrade(args: argparse.Namespace, config: KioskConfig) -> int:
    engine = open_engine(config=config)
    try:
        upgrade(engine)
        with engine.connect() as conn:
            revision = current_revision(conn)
    finally:
        engine.dispose()
    if language(args) == "ja":
        print(f"データベースは最新の構成です（リビジョン {revision}）。")
    else:
        print(f"The database schema is up to date (revision {revision}).")
    return 0


@contextmanager
def keyless_store(config: KioskConfig) -> Iterator[Store]:
    """A store without keys, on an existing database at the current schema: for what never
    opens personal data (the purge, the counts, staff accounts)."""
    engine = open_engine(config=config, make_folder=False)
    try:
        path = sqlite_file(engine)
        if path is not None and not path.exists():
            raise SchemaOutdatedError(f"no database file at {path}")
        check_schema(engine)
        yield Store(engine)
    finally:
        engine.dispose()


def cmd_purge(args: argparse.Namespace, config: KioskConfig) -> int:
    ja = language(args) == "ja"
    days = args.days if args.days is not None else config.database.retention_days
    if days < 1:
        print("--days は 1 以上にしてください。" if ja else "--days must be at least 1.")
        return 2
    older_than = dt.timedelta(days=days)
    with keyless_store(config) as store:
        if args.dry_run:
            count = store.due_for_purge(older_than)
            print(f"{days} 日より古い申請 {count} 件が削除の対象です（削除していません）。" if ja
                  else f"{count} applications older than {days} days would be removed (dry run).")
        else:
            count = store.purge(older_than, clerk=SYSTEM_CLERK,
                                slip_valid=dt.timedelta(days=config.desk.slip_valid_days))
            print(f"{days} 日より古い申請 {count} 件を削除しました（監査記録は残ります）。" if ja
                  else f"Removed {count} applications older than {days} days (their audit trail "
                  "is kept).")
    return _purge_files(config, older_than, dry_run=args.dry_run, ja=ja)


def _purge_files(config: KioskConfig, older_than: dt.timedelta, *, dry_run: bool, ja: bool) -> int:
    """The printed PDFs and the exports: the same personal data as the rows, the same retention."""
    days = older_than.days
    folders = (config.printer.out_dir, config.desk.export_dir)
    result = purge_files(folders, older_than, dry_run=dry_run)
    if dry_run:
        print(f"{days} 日より古い印刷・書き出しファイル {result.removed} 件が削除の対象です"
              "（削除していません）。" if ja else
              f"{result.removed} printed or exported files older than {days} days would be "
              "removed (dry run).")
        return 0
    print(f"{days} 日より古い印刷・書き出しファイル {result.removed} 件を削除しました。" if ja else
          f"Removed {result.removed} printed or exported files older than {days} days.")
    for path in result.failed:
        print(f"削除できませんでした: {path}" if ja else f"Could not remove: {path}",
              file=sys.stderr)
    return 1 if result.failed else 0


def cmd_stats(args: argparse.Namespace, config: KioskConfig) -> int:
    lang = "ja" if language(args) == "ja" else "en"
    with keyless_store(config) as store:
        stats = store.stats()
    names = STATUS_NAMES[lang]
    total = sum(stats.by_status.values())
    print(("申請" if lang == "ja" else "Applications") + f": {total}")
    for status, count in stats.by_status.items():
        print(f"  {names[status]}: {count}")
    if lang == "ja":
        print(f"印刷: 成功 {stats.prints_ok} / 失敗 {stats.prints_failed}")
        print(f"監査記録: {stats.audit_events}")
        oldest = _local(stats.oldest_created_at) or "なし"
        print(f"最も古い申請: {oldest}")
        print("封印先の窓口鍵ID別の申請数:")
    else:
        print(f"Prints: ok {stats.prints_ok} / failed {stats.prints_failed}")
        print(f"Audit events: {stats.audit_events}")
        print(f"Oldest application: {_local(stats.oldest_created_at) or 'none'}")
        print("Applications per counter key id (\"slip\": taken from a slip at a desk):")
    for key_id, count in sorted(stats.by_key_id.items()):
        print(f"  {key_id}: {count}")
    return 0


def _local(when: dt.datetime | None) -> str | None:
    if when is None:
        return None
    return when.astimezone(dt.timezone(dt.timedelta(hours=9))).strftime("%Y-%m-%d %H:%M JST")
