"""Running drivers/scanner/decoding.py in a child process with hard limits, and reading its answer.

A file can ask pdfium for more memory than the desk has (a 400 KB PDF took 5.5 GB and 20 s to
load one page), and the caps cannot see every way of asking. The child gets an address-space
limit (RLIMIT_AS) and a CPU limit it sets on itself before it reads the file, and the desk
kills it after a wall-clock timeout: a bomb costs the child, never the desk, which would
otherwise be the one the kernel's OOM killer ends.

The child is a fresh interpreter (`subprocess`, no preexec_fn): the desk screen runs Kivy with
threads, and forking a threaded process (multiprocessing's "fork") can leave a lock held in
the child for ever; multiprocessing's "spawn" and "forkserver" would import the desk's own
__main__ in the child. `-I` keeps the environment, the user's site-packages and the script's
folder off its path, and the environment is emptied, so the child sees no setting of the desk.
A slip's PDF or photo is read in about 0.09 s this way, against 0.01 s in the desk's own
process: starting the interpreter and importing the decoders is the difference.
"""

from __future__ import annotations

import json
import logging
import math
import signal
import subprocess
import sys
from pathlib import Path

from drivers.scanner.decoding import Answer
from drivers.scanner.errors import FileTooLargeError, ScannerError

log = logging.getLogger(__name__)

# Address space of the child, its interpreter and libraries included (about 40 MB of it after
# the imports). The largest files within the caps (4 pages of 1800 pt with a 40 Mpx picture
# each, a 40 Mpx RGBA photo) peaked at about 320 MB, a slip's PDF or photo at 45 MB.
MEMORY_LIMIT = 1536 * 2**20
# Wall clock for one file, all its pages; the CPU limit is the same. The slowest file within
# the caps (those 4 pages, in noise) took 3.5 s, a slip's PDF or photo 0.02 s.
TIME_LIMIT = 10.0
_CHILD = Path(__file__).with_name("decoding.py")
_LIMITS = frozenset({"pdf_pages", "page_size", "pixels", "memory"})


def decode_isolated(name: str, kind: str, data: bytes) -> Answer:
    """decoding.decode(kind, data), run in a child under MEMORY_LIMIT and TIME_LIMIT.

    A child that runs out of time is `file_too_large` ("time"); one that dies any other way but
    by its CPU limit died of the memory limit (pdfium aborts when an allocation fails), and is
    `file_too_large` ("memory"): the clerk scans the paper slip either way.
    """
    command = [sys.executable, "-I", str(_CHILD), kind, str(MEMORY_LIMIT), str(math.ceil(TIME_LIMIT))]
    try:
        child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, env={}, cwd="/")
    except OSError as exc:
        log.error("the decoder process could not start: %s", exc.strerror)
        raise ScannerError("the decoder process could not start") from None
    with child:  # the pipes closed and the child reaped, however this ends
        try:
            out, err = child.communicate(data, timeout=TIME_LIMIT)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise FileTooLargeError(name, "time", math.ceil(TIME_LIMIT)) from None
        except BaseException:  # interrupted (Ctrl-C): leave no decoder running
            child.kill()
            raise
    return _answer(name, child.returncode, out, err)


def _answer(name: str, status: int, out: bytes, err: bytes) -> Answer:
    if status == -signal.SIGXCPU:
        raise FileTooLargeError(name, "time", math.ceil(TIME_LIMIT))
    if status < 0 or (status and b"MemoryError" in err):
        raise FileTooLargeError(name, "memory")
    answer = _parsed(out) if status == 0 else None
    if answer is None:
        # Not the file's fault as far as anyone can tell (the interpreter or a library is
        # missing): staff are called. The last line of the child's stderr names the exception;
        # the file's content never reaches it (the file came on stdin).
        last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        log.error("the decoder process failed (status %d): %.200s", status, last[0])
        raise ScannerError("the decoder process failed")
    return answer


def _parsed(out: bytes) -> Answer | None:
    """The child's answer if it has the shape decoding.decode gives, else None.

    The shape is checked, not trusted: a child that a hostile file took over could write
    anything, and what is shown to a clerk is only a cap's name and numbers, or a short reason.
    """
    try:
        answer = json.loads(out)
    except ValueError:
        return None
    match answer:
        case {"codes": list(texts)} if all(isinstance(text, str) for text in texts):
            return {"codes": texts}
        case {"refused": "file_too_large", "limit": str(limit), "cap": int(cap), "found": list(found)} \
                if limit in _LIMITS and all(isinstance(number, int) for number in found):
            return {"refused": "file_too_large", "limit": limit, "cap": cap, "found": found}
        case {"refused": "image_unreadable", "reason": str(reason)}:
            return {"refused": "image_unreadable", "reason": reason[:100]}
    return None
