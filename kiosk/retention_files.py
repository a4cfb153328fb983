"""The files the product leaves on disk, removed after the retention like the rows they came from.

The file printer's PDFs (slips and official forms: names, addresses, dates of birth) and the
desk's exports hold the same personal data as the store, so `kiosk db purge` removes them on the
same schedule. Age is the file's modification time, the moment it was written.

Never follows a symbolic link inside the folders: a link planted in var/print pointing at
/etc or a home folder is left alone, and so is whatever it points at. The walk holds each
folder open by descriptor (os.fwalk), so a folder swapped for a link mid-walk is not followed
either. The configured folder itself may be a link (an administrator's choice, e.g. onto a
larger disk): it is resolved once, before the walk.

A plain unlink: the blocks stay on the disk until reused, and the disk's full-disk encryption
(LUKS) is what keeps them from a stolen drive.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class FilePurge:
    """What a purge of files did (or, in a dry run, would do)."""

    removed: int = 0
    # Files that were due but could not be removed (permissions, a read-only disk): their paths,
    # which name only the kiosk's own folders and generated file names.
    failed: list[Path] = field(default_factory=list)


def _due(name: str, dir_fd: int, cutoff: float) -> bool:
    """A regular file (not a link, a socket, ...) last written before `cutoff`."""
    try:
        info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return False  # removed since the folder was listed
    return stat.S_ISREG(info.st_mode) and info.st_mtime < cutoff


def purge_folder(folder: Path, cutoff: float, *, dry_run: bool, result: FilePurge) -> None:
    """Remove (or count) the regular files under `folder` last written before `cutoff`."""
    if not folder.is_dir():
        return  # never written to (the CUPS backend, no export yet): nothing to remove
    top = os.path.realpath(folder)
    for dirpath, _dirs, files, dir_fd in os.fwalk(top, follow_symlinks=False):
        for name in sorted(files):
            if not _due(name, dir_fd, cutoff):
                continue
            if dry_run:
                result.removed += 1
                continue
            try:
                os.unlink(name, dir_fd=dir_fd)  # unlink removes a link itself, never its target
            except FileNotFoundError:
                continue
            except OSError:
                result.failed.append(Path(dirpath) / name)
            else:
                result.removed += 1


def purge_files(folders: Iterable[Path], older_than: dt.timedelta, *, dry_run: bool = False,
                now: float | None = None) -> FilePurge:
    """Remove the regular files in `folders` (and below) older than `older_than`.

    `now` is a POSIX timestamp (tests pass their own); the default is the current time.
    """
    cutoff = (time.time() if now is None else now) - older_than.total_seconds()
    result = FilePurge()
    for top in _outermost(folders):
        purge_folder(top, cutoff, dry_run=dry_run, result=result)
    return result


def _outermost(folders: Iterable[Path]) -> list[Path]:
    """The folders without repeats or one inside another, so a dry run counts each file once."""
    real = sorted({os.path.realpath(f) for f in folders})
    return [Path(r) for r in real
            if not any(r.startswith(other.rstrip(os.sep) + os.sep) for other in real if other != r)]
