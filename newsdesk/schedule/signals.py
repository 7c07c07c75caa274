"""SIGTERM and SIGINT as a request to stop: set an event once, then let a second signal act as usual."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextmanager
def stop_on_signals(stop: threading.Event, announce: Callable[[str], None]) -> Iterator[None]:
    """Within the block, the first SIGTERM or SIGINT calls ``announce(name)`` and sets ``stop``; the
    default handlers then come back, so a second signal ends the process. The previous handlers are
    restored on leaving."""
    def on_signal(number: int, _frame: object) -> None:
        announce(signal.Signals(number).name)
        for each in STOP_SIGNALS:
            signal.signal(each, signal.SIG_DFL)
        stop.set()

    previous = {number: signal.signal(number, on_signal) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
