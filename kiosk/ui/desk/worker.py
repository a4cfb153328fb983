"""The desk's blocking calls (database, printer, card) off the UI thread, results back on it.

One worker thread: the desk's calls run one at a time, in the order the clerk asked, and the
`Desk` is never used from two threads at once. Results and errors are handed to the UI thread
with `Clock.schedule_once`, as Electrum's `scheduled_in_gui_thread` does; a widget is never
touched from the worker. Signing in, unlocking and signing out are `queue`d rather than `run`:
they wait for a print or an export in progress instead of being dropped, and keep their order
(a sign-out queued before the next person's sign-in never signs that person out).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from kivy.clock import Clock

from kiosk.desk.errors import DeskError

log = logging.getLogger(__name__)


class Worker:
    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="desk")
        self.busy = False
        self._queued: deque[tuple[Callable[[], Any], Callable[[Any], None],
                                  Callable[[DeskError], None]]] = deque()

    def run(self, call: Callable[[], Any], then: Callable[[Any], None],
            failed: Callable[[DeskError], None]) -> bool:
        """Start `call`; False (nothing started) while an earlier call is still running."""
        if self.busy:
            return False
        self.busy = True
        future = self._executor.submit(call)
        future.add_done_callback(
            lambda done: Clock.schedule_once(lambda _dt: self._done(done, then, failed)))
        return True

    def queue(self, call: Callable[[], Any], then: Callable[[Any], None],
              failed: Callable[[DeskError], None]) -> None:
        """Run `call` once the worker is free and what was queued before it has started."""
        self._queued.append((call, then, failed))
        self._drain()

    def _drain(self) -> None:
        if self._queued and not self.busy:
            self.run(*self._queued.popleft())

    def _done(self, future: Future[Any], then: Callable[[Any], None],
              failed: Callable[[DeskError], None]) -> None:
        self.busy = False
        error = future.exception()
        if error is None:
            then(future.result())
        elif isinstance(error, DeskError):
            failed(error)
        else:
            # The type only: a message from below may hold what was scanned or typed.
            log.error("desk call failed: %s", type(error).__name__)
            failed(DeskError(type(error).__name__))
        self._drain()

    def stop(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
