"""`kiosk forms ...`: what IT staff use to list, inspect and check procedure files."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from common.clock import japan_date, utc_now
from forms import form_diff
from forms.errors import UnknownFormError
from forms.loader import SHIPPED_DIR, Library, load_library
from forms.model import Form, FormField, Rule
from forms.one_file import check_file
from forms.spec import choice_lists_in, spec_text
from kiosk.cli.preview_cmd import register_preview
from kiosk.config import KioskConfig
from kiosk.errors import KioskError
from kiosk.wiring import load_forms


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    forms = sub.add_parser("forms", help="list, show and validate procedure definitions")
    fsub = forms.add_subparsers(dest="action", required=True)
    p = fsub.add_parser("list", help="one procedure per line, its id first")
    p.set_defaults(handler=cmd_list)
    p = fsub.add_parser("show", help="everything a procedure asks, in order")
    p.add_argument("id")
    p.add_argument("--full", action="store_true",
                   help="the complete specification, Japanese and English, to hand to the department")
    p.add_argument("--format", choices=["text", "markdown"], default="text", help="with --full (default: text)")
    p.set_defaults(handler=cmd_show)
    p = fsub.add_parser("validate", help="check form files; exit 1 if any error")
    p.add_argument("dir", nargs="?", type=Path, metavar="DIR|FILE",
                   help="a directory of form files, or one file checked with the configured library "
                        "(default: as configured)")
    p.add_argument("--strict", action="store_true", help="hold DIR to the shipped rules (English required)")
    p.set_defaults(handler=cmd_validate)
    p = fsub.add_parser("diff", help="a local procedure against the shipped one it replaces or extends")
    p.add_argument("id")
    p.set_defaults(handler=cmd_diff)
    register_preview(fsub)


def language(args: argparse.Namespace) -> str:
    """--lang, else the environment's language when it is English, else Japanese."""
    if args.lang:
        return str(args.lang)
    return "en" if os.environ.get("LANG", "").startswith("en") else "ja"


def load_configured(config: KioskConfig) -> Library:
    """What the kiosk would load, even when nothing loads (the commands report why)."""
    return load_forms(config=config, allow_empty=True)


def cmd_list(args: argparse.Namespace, config: KioskConfig) -> int:
    lang = language(args)
    lib = load_configured(config)
    for form_id, loaded in sorted(lib.forms.items()):
        f = loaded.form
        mark = " [local]" if loaded.origin == "local" else ""
        print(f"{form_id}\tv{f.version}\t{f.category}\t{f.title.get(lang)}{mark}")
    for event_id, event in sorted(lib.life_events.items()):
        steps = ", ".join(s.form for s in event.steps if s.form)
        print(f"{event_id}\tlife-event\t{event.title.get(lang)}\t({steps})")
    _report_skipped(lib, lang)
    return 0


def _report_skipped(lib: Library, lang: str) -> None:
    if lib.errors:
        msg = (f"読み込めなかったファイルがあります（エラー {len(lib.errors)} 件）。"
               "kiosk forms validate で確認してください。"
               if lang == "ja" else
               f"Some files were skipped ({len(lib.errors)} errors); run `kiosk forms validate`.")
        print(msg, file=sys.stderr)


def cmd_show(args: argparse.Namespace, config: KioskConfig) -> int:
    lang = language(args)
    lib = load_configured(config)
    try:
        form = lib.get(args.id)
    except UnknownFormError as exc:
        raise KioskError(str(exc)) from None
    if args.full:
        # The shipped folder first, as the loader reads it, so a city's list of the same name wins.
        lists = choice_lists_in([SHIPPED_DIR, *config.forms.dirs])
        print(spec_text(form, today=japan_date(utc_now()), counter_name=config.counters.get(form.counter, form.counter),
                        lists=lists, fmt=args.format), end="")
        return 0
    print("\n".join(describe(form, lang)))
    return 0


def describe(form: Form, lang: str) -> list[str]:
    ja = lang == "ja"
    out = [
        f"{form.title.get(lang)}  ({form.title.ja_kana})" if ja else form.title.get(lang),
        f"id: {form.id}  version: {form.version}  category: {form.category}  counter: {form.counter}",
        ("個人番号: 窓口でカードから読み取ります" if ja else "My Number: read from the card at the counter")
        if form.my_number_required else ("個人番号: 不要" if ja else "My Number: not needed"),
    ]
    if form.fee and form.fee.lines:
        for line in form.fee.lines:
            label = line.label.ja if ja else line.label.get("en")
            out.append(f"{'手数料' if ja else 'Fee'}: {label} {line.amount}円 {'1通' if ja else 'per copy'}")
    elif form.fee:
        per = ("1通" if ja else "per copy") if form.fee.per == "copy" else ("1件" if ja else "per application")
        out.append(f"{'手数料' if ja else 'Fee'}: {form.fee.amount}円 {per}")
    out.append("申請できる人:" if ja else "Who may apply:")
    for a in form.applicants:
        needs = "; ".join(n.get(lang) for n in a.needs)
        out.append(f"  - {a.kind}: {a.label.get(lang)}" + (f" ({needs})" if needs else ""))
    out.append("持ち物:" if ja else "Bring:")
    out.extend(f"  - {d.label.get(lang)}" + (f"  [when {d.when}]" if d.when else "") for d in form.documents)
    out.append("項目:" if ja else "Fields:")
    for f in form.fields:
        out.extend(_field_lines(f, lang, 1))
    if form.rules:
        out.append("規則:" if ja else "Rules:")
        out.extend(_rule_line(rule, lang, "  ") for rule in form.rules)
    return out


def _rule_line(rule: Rule, lang: str, pad: str) -> str:
    """`! check` for a rule that stops the application, `? check` for a warning."""
    mark = "?" if rule.level == "warning" else "!"
    where = f" @{rule.field}" if rule.field else ""
    when = f" (when {rule.when})" if rule.when else ""
    return f"{pad}{mark} {rule.shown}{when}{where} → {rule.message.get(lang)}"


def _field_lines(f: FormField, lang: str, depth: int) -> list[str]:
    pad = "  " * depth
    extras = []
    if f.required is True:
        extras.append("required")
    elif isinstance(f.required, str):
        extras.append(f"required if {f.required}")
    if f.show_if:
        extras.append(f"shown if {f.show_if}")
    if f.bind:
        extras.append(f"from {f.bind}")
    line = f"{pad}{f.id} ({f.type}): {f.label.get(lang)}" + (f"  [{'; '.join(extras)}]" if extras else "")
    lines = [line]
    lines.extend(f"{pad}    · {c.value}: {c.label.get(lang)}" for c in f.choices or ())
    lines.extend(_rule_line(rule, lang, pad + "    ") for rule in f.rules)
    for child in f.fields or ():
        lines.extend(_field_lines(child, lang, depth + 1))
    return lines


def cmd_diff(args: argparse.Namespace, config: KioskConfig) -> int:
    """Exit 0 either way, as `diff` of a form nothing changes is no failure; 2 for an unknown id."""
    lang = language(args)
    lib = load_configured(config)
    loaded = lib.forms.get(args.id) or lib.hidden.get(args.id)
    if loaded is None:
        raise KioskError(str(UnknownFormError(args.id)))
    if loaded.base is None:
        print(f"{args.id}: {loaded.file} を変えるローカルのファイルはありません。" if lang == "ja" else
              f"{args.id}: no local file changes {loaded.file}.")
        _report_skipped(lib, lang)
        return 0
    print("\n".join(form_diff.render(loaded, lang)))
    return 0


def cmd_validate(args: argparse.Namespace, config: KioskConfig) -> int:
    lang = language(args)
    if args.dir is not None and not args.dir.exists():
        raise KioskError(f"ファイルもフォルダーもありません / no such file or folder: {args.dir}")
    if args.dir is not None and args.dir.is_file() and not args.strict:
        return _validate_file(args.dir, config, lang)
    if args.dir is not None:
        dirs = [args.dir]
        lib = load_library(dirs, counters=set(config.counters), hide=config.forms.hide) if not args.strict \
            else load_library([], shipped=args.dir, counters=set(config.counters))
    else:
        dirs = config.forms.dirs
        lib = load_configured(config)
    for problem in lib.problems:
        print(problem.render(lang))
    errors = len(lib.errors)
    warnings = sum(1 for p in lib.problems if p.severity == "warning")
    if lang == "ja":
        print(f"{lib.files_read} ファイルを確認: 手続き {len(lib.forms)} 件、ライフイベント {len(lib.life_events)} 件を"
              f"読み込みました。エラー {errors} 件、警告 {warnings} 件。")
        print("問題ありません。" if not errors else
              "エラーのあるファイルは読み込まれません。上の説明に従って直してください。")
    else:
        print(f"Checked {lib.files_read} files: {len(lib.forms)} procedures and {len(lib.life_events)} life events "
              f"loaded; {errors} errors, {warnings} warnings.")
        print("All good." if not errors else "Files with errors are not loaded; fix them as described above.")
    return 1 if errors else 0


def _validate_file(path: Path, config: KioskConfig, lang: str) -> int:
    """One draft, read after the configured folders so its blocks, lists and `extends:` resolve."""
    checked = check_file(path, dirs=config.forms.dirs, counters=set(config.counters),
                         hide=config.forms.hide)
    for problem in checked.problems:
        print(problem.render(lang))
    errors = len(checked.errors)
    warnings = sum(1 for p in checked.problems if p.severity == "warning")
    if lang == "ja":
        print(f"{path} を、ほかの手続きと一緒に読み込んで確認しました。エラー {errors} 件、警告 {warnings} 件。")
        print("問題ありません。" if not errors else "上の説明に従って直してください。")
    else:
        print(f"Checked {path}, read with the rest of the library: {errors} errors, {warnings} warnings.")
        print("All good." if not errors else "Fix it as described above.")
    return 1 if errors else 0
