"""kiosk.toml: one office's settings, with defaults that make the demo need no file at all.

Read once at start-up by the CLI and passed down; nothing reads the config from a global.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kiosk.errors import ConfigError

# The screen's text catalogues (kiosk/ui/i18n.py reads them): a language is offered only with
# one. Named here, not imported, so reading the config loads nothing of the screen.
SCREEN_LOCALE_DIR = Path(__file__).parent / "ui" / "locale"

DEFAULT_COUNTERS = {
    "resident": "市民課 住民記録係 / Resident Registration",
    "family_register": "市民課 戸籍係 / Family Register",
    "tax": "税務課 / Taxation",
    "insurance": "保険年金課 / Health Insurance and Pension",
    "child": "こども家庭課 / Children and Families",
    "mynumber": "マイナンバーカード窓口 / My Number Card",
}


# A counter key or a procedure id: what forms write in `counter:` and `id:` (and a slip carries).
_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")


def lg_code_check_digit(first5: str) -> int:
    """Check digit of a 全国地方公共団体コード (総務省 rule: weights 6..2, 11 minus mod 11, last digit)."""
    total = sum(int(d) * w for d, w in zip(first5, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OfficeConfig(_Strict):
    name: str = "みほん市役所 (demo)"
    # 6 digits: prefecture (2) + municipality (3) + check digit. 999997 is a made-up demo code
    # whose check digit is right; a real office writes its own.
    code: str = "999997"
    address: str = "みほん市中央1-1-1"
    phone: str = "000-000-0000"

    @field_validator("code")
    @classmethod
    def _lg_code(cls, value: str) -> str:
        if len(value) != 6 or not value.isascii() or not value.isdigit():
            raise ValueError("全国地方公共団体コード must be 6 half-width digits, e.g. 131016")
        if int(value[5]) != lg_code_check_digit(value[:5]):
            expected = lg_code_check_digit(value[:5])
            raise ValueError(f"check digit of {value} is wrong: {value[:5]}{expected} expected")
        return value


class FormsConfig(_Strict):
    # The municipality's own procedures; a form here replaces (or, with `extends:`, changes)
    # the shipped one with the same id.
    dirs: list[Path] = Field(default_factory=list)
    # Procedure ids the kiosk does not offer (a shipped one the city does not handle); a life
    # event drops them from its steps.
    hide: list[str] = Field(default_factory=list)

    @field_validator("hide")
    @classmethod
    def _ids(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not _KEY.fullmatch(v)]
        if bad:
            raise ValueError(f"{', '.join(repr(b) for b in bad)} is not a procedure id "
                             "(a-z, 0-9 and _, as `kiosk forms list` shows them)")
        return value


class DatabaseConfig(_Strict):
    url: str = "sqlite:///var/kiosk.sqlite3"
    retention_days: int = Field(default=30, ge=1, le=3650)


class PrinterConfig(_Strict):
    backend: Literal["cups", "file"] = "file"
    slip_queue: str = "kiosk-slip"
    form_queue: str = "kiosk-a4"
    out_dir: Path = Path("var/print")


class CardConfig(_Strict):
    backend: Literal["pcsc"] = "pcsc"
    # Exact PC/SC reader name; empty means the first reader that holds a card.
    reader: str = ""


class StaffCallConfig(_Strict):
    # Run when a resident touches 「職員を呼ぶ」: a signal tower's command, a chat webhook via
    # curl, ... It gets KIOSK_ID and KIOSK_SCREEN in its environment, never personal data.
    # Empty: the kiosk's own screen is the only call.
    command: list[str] = Field(default_factory=list)


class DeskConfig(_Strict):
    # The counters this desk serves (keys of [counters]); empty: every counter. A slip's code
    # for another counter is refused with that counter's name.
    counters: list[str] = Field(default_factory=list)
    # A slip older than this many days is refused (`slip_expired`): the resident applies again.
    slip_valid_days: int = Field(default=14, ge=1, le=365)
    # Where back-office exports go; `kiosk db purge` removes files here older than the
    # retention, as it does the rows they came from.
    export_dir: Path = Path("var/exports")
    # After this many minutes untouched the clerk's screen locks: the application hidden until
    # the same person's password (issue 16).
    idle_lock_min: int = Field(default=5, ge=1, le=60)


class LoggingConfig(_Strict):
    # "journald" needs python's systemd module (python3-systemd); without it, the file.
    target: Literal["file", "journald"] = "file"
    # Rotated at 5 MB, five old files kept; 0600 in a folder made 0700.
    file: Path = Path("var/log/kiosk.log")
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class KioskConfig(_Strict):
    office: OfficeConfig = Field(default_factory=OfficeConfig)
    # [counters] adds to the shipped counters and renames them: the shipped forms name them.
    counters: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_COUNTERS))
    forms: FormsConfig = Field(default_factory=FormsConfig)
    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    printer: PrinterConfig = Field(default_factory=PrinterConfig)
    card: CardConfig = Field(default_factory=CardConfig)
    staff_call: StaffCallConfig = Field(default_factory=StaffCallConfig)
    desk: DeskConfig = Field(default_factory=DeskConfig)
    logging: LoggingConfig = Field(default_factory=LoggingConfig)
    keys_dir: Path = Path("var/keys")
    kiosk_id: str = Field(default="K01", pattern=r"^[A-Z0-9]{1,8}$")
    idle_timeout_s: int = Field(default=90, ge=15, le=3600)
    # The languages the screen offers, in this order; the first is the one each session
    # starts in. Each needs a screen catalogue (kiosk/ui/locale/<lang>/LC_MESSAGES/kiosk.po).
    languages: list[str] = Field(default_factory=lambda: ["ja", "en"])

    @model_validator(mode="after")
    def _desk_counters_exist(self) -> KioskConfig:
        unknown = [c for c in self.desk.counters if c not in self.counters]
        if unknown:
            raise ValueError(f"[desk] counters names {', '.join(unknown)}, not in [counters] "
                             f"({', '.join(self.counters)})")
        return self

    @field_validator("counters", mode="before")
    @classmethod
    def _merge_counters(cls, value: object) -> object:
        """The shipped counters, then the file's: a key of its own adds a counter, a shipped
        key renames that one. Replacing them all would refuse every shipped form naming one."""
        if not isinstance(value, dict):
            return value
        bad = [k for k in value if not isinstance(k, str) or not _KEY.fullmatch(k)]
        if bad:
            raise ValueError(f"{', '.join(repr(b) for b in bad)} cannot be a counter key "
                             "(a lower-case letter, then a-z, 0-9 and _, at most 40)")
        empty = [k for k, v in value.items() if isinstance(v, str) and not v.strip()]
        if empty:
            raise ValueError(f"counter {', '.join(empty)} has no name")
        return {**DEFAULT_COUNTERS, **value}

    @field_validator("languages")
    @classmethod
    def _japanese_first(cls, value: list[str]) -> list[str]:
        if not value or value[0] != "ja":
            raise ValueError('languages must start with "ja", e.g. ["ja", "en"]')
        repeated = sorted({lang for lang in value if value.count(lang) > 1})
        if repeated:
            raise ValueError(f"{', '.join(repeated)} listed more than once")
        missing = [lang for lang in value if not has_screen_catalogue(lang)]
        if missing:
            raise ValueError(
                f"no screen catalogue for {', '.join(repr(m) for m in missing)}; add "
                f"{SCREEN_LOCALE_DIR}/<lang>/LC_MESSAGES/kiosk.po (see docs/configuration.md) or "
                "remove the language")
        return value


def has_screen_catalogue(lang: str, locale_dir: Path = SCREEN_LOCALE_DIR) -> bool:
    """Whether the screen has its text in `lang` (a kiosk.po, or a compiled kiosk.mo)."""
    if not lang or "/" in lang or "\\" in lang or lang.startswith("."):
        return False
    folder = locale_dir / lang / "LC_MESSAGES"
    return (folder / "kiosk.po").is_file() or (folder / "kiosk.mo").is_file()


def load_config(path: Path | None) -> KioskConfig:
    """Read kiosk.toml; None gives the demo defaults. Relative paths are taken from the file's folder."""
    if path is None:
        return KioskConfig()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found. Pass --config with an existing kiosk.toml.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}).") from None
    try:
        config = KioskConfig.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{path}: wrong value"]
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"])
            lines.append(f"  {key}: {err['msg']}")
        raise ConfigError("\n".join(lines)) from None
    return _rebase(config, path.parent)


def _rebase(config: KioskConfig, base: Path) -> KioskConfig:
    def at(p: Path) -> Path:
        return p if p.is_absolute() else base / p

    url = config.database.url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        url = f"sqlite:///{at(Path(url.removeprefix('sqlite:///')))}"
    return config.model_copy(
        update={
            "forms": config.forms.model_copy(update={"dirs": [at(d) for d in config.forms.dirs]}),
            "keys_dir": at(config.keys_dir),
            "database": config.database.model_copy(update={"url": url}),
            "printer": config.printer.model_copy(update={"out_dir": at(config.printer.out_dir)}),
            "desk": config.desk.model_copy(update={"export_dir": at(config.desk.export_dir)}),
            "logging": config.logging.model_copy(update={"file": at(config.logging.file)}),
        }
    )
