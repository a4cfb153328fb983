"""The staff bell: the command a city hall gives for 「職員を呼ぶ」 (`[staff_call] command`).

Floor staff are not always looking at the kiosk, so a call has to reach them: a signal tower
lamp's command-line tool, a chat message through curl, a sound. The kiosk does not know which;
it runs the configured command with the kiosk's id and the screen the resident was on, and
nothing personal. The command runs in the background: a slow or missing one never holds up
the resident's screen, and its failure is logged by exit status only.
"""

from __future__ import annotations

import logging
import os
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass

log = logging.getLogger("kiosk.staff_bell")

# A bell command that has not finished by then is stopped: the next call must not pile up.
TIMEOUT_S = 30.0


@dataclass(frozen=True)
class CommandBell:
    command: Sequence[str]
    kiosk_id: str

    def ring(self, *, screen: str) -> None:
        env = {**os.environ, "KIOSK_ID": self.kiosk_id, "KIOSK_SCREEN": screen}
        try:
            process = subprocess.Popen(
                list(self.command), env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            log.warning("staff bell %r did not start: %s", self.command[0], type(exc).__name__)
            return
        threading.Thread(target=_reap, args=(process, self.command[0]), daemon=True,
                         name="staff-bell").start()


def _reap(process: subprocess.Popen[bytes], name: str) -> None:
    try:
        status = process.wait(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        log.warning("staff bell %r stopped after %.0f s", name, TIMEOUT_S)
        return
    if status != 0:
        log.warning("staff bell %r exited with status %d", name, status)
