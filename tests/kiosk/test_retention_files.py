"""kiosk.retention_files: printed PDFs and exports go after the retention, links are never followed."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from kiosk.retention_files import purge_files

NOW = time.time()
DAY = 24 * 3600
THIRTY_DAYS = dt.timedelta(days=30)


def written(path: Path, days_ago: float, text: str = "%PDF-1.4 見本 花子") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (NOW - days_ago * DAY, NOW - days_ago * DAY))
    return path


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    printed, exports = tmp_path / "var" / "print", tmp_path / "var" / "exports"
    written(printed / "slip_A-001.pdf", 40)
    written(printed / "2026" / "form_kokuho_A-001.pdf", 31)  # below the folder too
    written(printed / "slip_A-002.pdf", 29)
    written(exports / "desk-export-old.csv", 45)
    written(exports / "desk-export-new.csv", 1)
    return printed, exports


def names(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if not p.is_dir())


def test_old_files_go_new_ones_stay(folders: tuple[Path, Path]) -> None:
    printed, exports = folders
    result = purge_files(folders, THIRTY_DAYS, now=NOW)
    assert result.removed == 3 and result.failed == []
    assert names(printed) == ["slip_A-002.pdf"]
    assert names(exports) == ["desk-export-new.csv"]
    assert (printed / "2026").is_dir()  # folders stay: the printer writes into them again


def test_a_dry_run_counts_and_removes_nothing(folders: tuple[Path, Path]) -> None:
    printed, exports = folders
    before = names(printed), names(exports)
    assert purge_files(folders, THIRTY_DAYS, dry_run=True, now=NOW).removed == 3
    assert (names(printed), names(exports)) == before
    # The same folder twice, or one inside the other, is still counted once.
    again = purge_files([printed, exports, printed.parent, printed], THIRTY_DAYS, dry_run=True,
                        now=NOW)
    assert again.removed == 3


def test_links_are_never_followed(tmp_path: Path, folders: tuple[Path, Path]) -> None:
    printed, _ = folders
    outside = tmp_path / "home"
    precious = written(outside / "precious.txt", 400, "not the kiosk's")
    (printed / "to-home").symlink_to(outside, target_is_directory=True)
    link = printed / "old-link.pdf"
    link.symlink_to(precious)
    os.utime(link, (NOW - 400 * DAY, NOW - 400 * DAY), follow_symlinks=False)

    result = purge_files(folders, THIRTY_DAYS, now=NOW)
    assert result.removed == 3  # the same three: neither link nor the file behind it
    assert precious.read_text(encoding="utf-8") == "not the kiosk's"
    assert link.is_symlink() and (printed / "to-home").is_symlink()


def test_a_configured_folder_that_is_a_link_is_purged(tmp_path: Path) -> None:
    """An administrator may put var/print on a larger disk through a link."""
    disk = tmp_path / "big-disk" / "print"
    old = written(disk / "slip_A-001.pdf", 40)
    (tmp_path / "print").symlink_to(disk, target_is_directory=True)
    assert purge_files([tmp_path / "print"], THIRTY_DAYS, now=NOW).removed == 1
    assert not old.exists()


def test_missing_folders_are_nothing_to_do(tmp_path: Path) -> None:
    result = purge_files([tmp_path / "never-printed"], THIRTY_DAYS, now=NOW)
    assert result.removed == 0 and result.failed == []
    assert not (tmp_path / "never-printed").exists()


def test_a_file_that_cannot_be_removed_is_reported(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    old = written(tmp_path / "print" / "slip.pdf", 40)

    def read_only_disk(name: str, *, dir_fd: int) -> None:
        raise PermissionError(13, "Permission denied", name)

    monkeypatch.setattr("kiosk.retention_files.os.unlink", read_only_disk)
    result = purge_files([tmp_path / "print"], THIRTY_DAYS, now=NOW)
    monkeypatch.undo()
    assert result.removed == 0 and result.failed == [old.resolve()]
    assert old.exists()
