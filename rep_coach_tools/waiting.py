"""Waiting, with a bound, for something another process or the event loop brings about.

One helper for every poll: the demo waiting for Home Assistant, the load bench for its broker,
the end-to-end tests for the MQTT round trip. The check is what synchronises; the pause between
two checks only keeps the poll cheap.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class WaitError(TimeoutError):
    """What was awaited did not happen in time, or cannot happen any more."""


async def wait_for_value[T](
    check: Callable[[], Awaitable[T | None]],
    what: str,
    *,
    timeout_s: float,
    every_s: float = 0.2,
    alive: Callable[[], bool] = lambda: True,
) -> T:
    """The first result of ``check()`` other than None, checking every ``every_s``.

    Raises :class:`WaitError` after ``timeout_s``, or as soon as ``alive()`` says the process
    that would bring it about has exited.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        result = await check()
        if result is not None:
            return result
        if not alive():
            raise WaitError(f"gave up waiting for {what}: the process exited")
        if time.monotonic() > deadline:
            raise WaitError(f"gave up waiting for {what} after {timeout_s:g} s")
        await asyncio.sleep(every_s)


async def wait_until(
    condition: Callable[[], bool],
    what: str,
    *,
    timeout_s: float = 30.0,
    every_s: float = 0.02,
) -> None:
    """Let the event loop run until ``condition()`` holds (:class:`WaitError` after
    ``timeout_s``)."""

    async def holds() -> bool | None:
        return True if condition() else None

    await wait_for_value(holds, what, timeout_s=timeout_s, every_s=every_s)
