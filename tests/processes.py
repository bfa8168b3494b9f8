"""Stopping the commands the tests start, as a user does."""

from __future__ import annotations

import os
import signal
import subprocess

STOP_TIMEOUT_S = 60.0


def interrupt(process: subprocess.Popen[str], timeout_s: float = STOP_TIMEOUT_S) -> int:
    """Ctrl-C, as a user stops a command; killed (with its children) if it does not stop within
    ``timeout_s``. Its exit code."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.wait()
