"""The one bounded poll that the demo, the load bench and the end-to-end tests share."""

from __future__ import annotations

import asyncio

import pytest

from rep_coach_tools.waiting import WaitError, wait_for_value, wait_until


async def test_the_first_value_that_is_not_none_is_returned() -> None:
    answers = iter([None, None, 0, 5])

    async def check() -> int | None:
        return next(answers)

    assert await wait_for_value(check, "an answer", timeout_s=60, every_s=0) == 0


async def test_a_process_that_exited_ends_the_wait_at_once() -> None:
    async def never() -> None:
        return None

    with pytest.raises(WaitError, match="gave up waiting for the broker: the process exited"):
        await wait_for_value(never, "the broker", timeout_s=60, alive=lambda: False)


async def test_the_wait_is_bounded() -> None:
    with pytest.raises(WaitError, match=r"gave up waiting for Godot after 0 s"):
        await wait_until(lambda: False, "Godot", timeout_s=0)


async def test_the_event_loop_runs_while_waiting() -> None:
    done = asyncio.Event()
    asyncio.get_running_loop().call_soon(done.set)
    await wait_until(done.is_set, "the callback")
    assert done.is_set()
