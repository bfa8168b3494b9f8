"""The demo's child processes: started with their output in a log file, stopped in order.

Children run in their own process group, so Ctrl-C reaches only the demo, which then stops
them one after the other (the emulator says goodbye on the broker before the broker goes). On
Linux a child also gets SIGTERM if the demo itself dies, so nothing is left behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import signal
import socket
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .waiting import wait_for_value

STOP_TIMEOUT_S = 20.0
LOG_TAIL_LINES = 25
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> Callable[[], None] | None:
    """A pre-exec hook asking Linux to SIGTERM the child when the demo dies."""
    if not sys.platform.startswith("linux"):
        return None
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return None
    libc = ctypes.CDLL(libc_name, use_errno=True)

    def hook() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)

    return hook


class ChildProcess:
    """One child process of the demo, its console going to ``log``."""

    def __init__(self, name: str, args: Sequence[str], log: Path, *, cwd: Path) -> None:
        self.name = name
        self.log = log
        self._args = list(args)
        self._cwd = cwd
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Start it (returns at once; readiness is the caller's business)."""
        with self.log.open("ab") as output:
            self._process = await asyncio.create_subprocess_exec(
                *self._args,
                cwd=self._cwd,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=output,
                stderr=asyncio.subprocess.STDOUT,
                process_group=0,
                preexec_fn=_die_with_parent(),
            )

    @property
    def running(self) -> bool:
        """Started and not exited."""
        return self._process is not None and self._process.returncode is None

    async def wait(self) -> int:
        """Wait until it exits; its exit code."""
        if self._process is None:
            raise RuntimeError(f"{self.name} was never started")
        return await self._process.wait()

    async def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not exit within ``STOP_TIMEOUT_S``."""
        process = self._process
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        try:
            await asyncio.wait_for(process.wait(), STOP_TIMEOUT_S)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()

    def tail(self, lines: int = LOG_TAIL_LINES) -> str:
        """The end of its console log, for an error message."""
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether nothing listens on ``host:port`` (connections closing in TIME_WAIT do not count:
    servers bind with SO_REUSEADDR, and so does this probe)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


async def wait_for_port(
    host: str, port: int, *, timeout_s: float, what: str, alive: Callable[[], bool]
) -> None:
    """Return once ``host:port`` accepts TCP connections."""

    async def accepts() -> bool | None:
        try:
            _reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            return None
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
        return True

    await wait_for_value(accepts, what, timeout_s=timeout_s, alive=alive)


async def first_exit(children: Sequence[ChildProcess], stop: asyncio.Event) -> ChildProcess | None:
    """Wait until ``stop`` is set (None) or one of ``children`` exits (that child)."""
    waiters = {asyncio.ensure_future(child.wait()): child for child in children}
    stopper = asyncio.ensure_future(stop.wait())
    try:
        done, _pending = await asyncio.wait(
            [*waiters, stopper], return_when=asyncio.FIRST_COMPLETED
        )
    finally:
        for task in [*waiters, stopper]:
            task.cancel()
    for task in done:
        if task in waiters:
            return waiters[task]
    return None


def elapsed_since(start: float) -> str:
    """Seconds since ``start`` (monotonic), for progress lines."""
    return f"{time.monotonic() - start:.1f} s"
