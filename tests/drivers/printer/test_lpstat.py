"""Reading lpstat's answers, on texts captured from CUPS 2.4 (Debian 12)."""

from __future__ import annotations

import pytest

from drivers.printer.cups import parse_lpstat
from drivers.printer.errors import PrinterError

IDLE = """\
printer kiosk is idle.  enabled since Mon Nov 23 18:39:32 2026
kiosk accepting requests since Mon Nov 23 18:39:32 2026
"""

PRINTING = """\
printer kiosk now printing kiosk-1.  enabled since Mon Nov 23 18:39:32 2026
\tRendering completed
kiosk accepting requests since Mon Nov 23 18:39:32 2026
kiosk-1                 root              2048   Mon Nov 23 18:39:32 2026
kiosk-12                root              4096   Mon Nov 23 18:39:33 2026
"""

DISABLED_AND_REJECTING = """\
printer kiosk disabled since Mon Nov 23 18:41:47 2026 -
\t用紙切れ, cover
kiosk not accepting requests since Mon Nov 23 18:41:47 2026 -
\tRejecting Jobs
kiosk-4                 root              2048   Mon Nov 23 18:41:47 2026
"""


def test_an_idle_queue() -> None:
    state = parse_lpstat("kiosk", IDLE)

    assert (state.enabled, state.accepting, state.pending_jobs) == (True, True, ())
    assert state.state_message == state.reject_reason == ""


def test_a_busy_queue_lists_its_jobs() -> None:
    state = parse_lpstat("kiosk", PRINTING)

    assert state.enabled
    assert state.pending_jobs == ("kiosk-1", "kiosk-12")
    assert state.state_message == "Rendering completed"


def test_a_disabled_rejecting_queue_keeps_the_reasons() -> None:
    state = parse_lpstat("kiosk", DISABLED_AND_REJECTING)

    assert not state.enabled
    assert not state.accepting
    assert state.state_message == "用紙切れ, cover"
    assert state.reject_reason == "Rejecting Jobs"
    assert state.pending_jobs == ("kiosk-4",)


def test_another_queue_with_a_longer_name_is_not_mistaken_for_this_one() -> None:
    text = IDLE + "kiosk-slip-3            root              2048   Mon Nov 23 18:39:32 2026\n"

    assert parse_lpstat("kiosk", text).pending_jobs == ()


def test_unreadable_output_is_an_error_not_a_guess() -> None:
    with pytest.raises(PrinterError, match="Could not read"):
        parse_lpstat("kiosk", "lpstat: something new\n")
