"""Run asyncio code on a virtual clock: when nothing is ready, time jumps to the next timer.

The fetcher reads time and waits only through the event loop's clock (``mkdocs_sitecheck.http.Clock``),
so on this loop a test of rate limits, Retry-After or back-off sees exact times and never
waits: a ``Retry-After: 3600`` costs nothing, and a loaded machine cannot change the result.
Only for code without real I/O (``httpx.MockTransport``); a real socket needs real time.
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Coroutine
from typing import Any, TypeVar

from mkdocs_sitecheck.http import Clock

T = TypeVar("T")
CALENDAR_START = 1445412480.0  # Wed, 21 Oct 2015 07:28:00 GMT, when the virtual clock reads 0


class _JumpingSelector(selectors.DefaultSelector):
    """A selector that, instead of sleeping until a timer is due, moves the loop's clock there."""

    loop: VirtualLoop | None = None

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        """What is ready now; with nothing ready, jump ``timeout`` ahead (block only with no timer at all)."""
        ready = super().select(0)
        if ready or (timeout is not None and timeout <= 0):
            return ready
        if timeout is None:
            return super().select(None)
        assert self.loop is not None
        self.loop.virtual_now += timeout
        return []


class VirtualLoop(asyncio.SelectorEventLoop):
    """A selector event loop on virtual time, starting at 0."""

    def __init__(self) -> None:
        self.virtual_now = 0.0
        selector = _JumpingSelector()
        super().__init__(selector)
        selector.loop = self

    def time(self) -> float:
        """The virtual clock."""
        return self.virtual_now


class VirtualClock(Clock):
    """The fetcher's clock on a :class:`VirtualLoop`, with a calendar that starts at ``CALENDAR_START``."""

    def calendar(self) -> float:
        """Epoch seconds: the start date plus the virtual time passed."""
        return CALENDAR_START + self.now()


def run(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` on a virtual clock."""
    with asyncio.Runner(loop_factory=VirtualLoop) as runner:
        return runner.run(main)


def now() -> float:
    """The running loop's (virtual) time."""
    return asyncio.get_running_loop().time()
