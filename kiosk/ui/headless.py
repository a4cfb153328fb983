"""A private X server (Xvfb) for the UI tests, the bench and screenshots, and the loop a
robot drives the app on: no Kivy here.

`Xvfb -displayfd` picks a free display number itself and writes it to a pipe, so two test
runs on one machine never fight over :99.
"""

from __future__ import annotations

import asyncio
import os
import select
import shutil
import subprocess
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from types import TracebackType
from typing import Any


class XvfbError(RuntimeError):
    pass


def has_display() -> bool:
    """Whether a window can open here: without one Kivy waits for an X server for ever."""
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


@dataclass
class Xvfb:
    """`with Xvfb() as display:` -> ':N', the server stopped (by its PID) on exit."""

    width: int = 1280
    height: int = 800
    timeout_s: float = 10.0
    process: subprocess.Popen[bytes] | None = None
    display: str = ""

    def start(self) -> str:
        binary = shutil.which("Xvfb")
        if binary is None:
            raise XvfbError("Xvfb is not installed (Debian package xvfb)")
        read_end, write_end = os.pipe()
        try:
            self.process = subprocess.Popen(
                [binary, "-displayfd", str(write_end), "-screen", "0",
                 f"{self.width}x{self.height}x24", "-nolisten", "tcp", "-noreset"],
                pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            os.close(write_end)
            write_end = -1
            self.display = f":{self._read_display(read_end)}"
        except BaseException:
            self.stop()
            raise
        finally:
            os.close(read_end)
            if write_end >= 0:
                os.close(write_end)
        return self.display

    def _read_display(self, fd: int) -> str:
        deadline = time.monotonic() + self.timeout_s
        data = b""
        while not data.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise XvfbError("Xvfb did not report a display in time")
            chunk = os.read(fd, 16)
            if not chunk:
                raise XvfbError("Xvfb exited before it reported a display")
            data += chunk
        return data.decode().strip()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def kivy_environment(display: str, kivy_home: str) -> dict[str, str]:
    """The environment of a child process that runs Kivy on `display`, quietly."""
    env = dict(os.environ)
    env.update(DISPLAY=display, KIVY_NO_ARGS="1", KIVY_HOME=kivy_home, KIVY_NO_FILELOG="1",
               KIVY_NO_CONSOLELOG="1", KIVY_LOG_MODE="MIXED")
    env.pop("WAYLAND_DISPLAY", None)
    return env


def run_beside(app: Any, work: Awaitable[Any]) -> None:
    """Runs a Kivy app and `work` (a robot's journey, which stops the app when done) on one
    asyncio loop until both have ended: the demo's and the try-out's walks, the monkey, the UI
    tests and the bench. Kivy-free itself (the app comes in built), so it imports anywhere."""
    async def both() -> None:
        await asyncio.gather(app.async_run(async_lib="asyncio"), work)

    asyncio.run(both())
