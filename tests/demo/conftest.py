"""Fixtures for the demo: the whole demo stack as ``scripts/demo`` runs it, on free ports.

The demo runs as a separate process exactly like the README's command (``rep-coach demo``);
the fixture reads its console until it reports the dashboard's address, with a deadline.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from rep_coach_tools.demo import READY_PREFIX
from tests.frontend.conftest import chromium
from tests.processes import interrupt

__all__ = ["chromium"]

START_TIMEOUT_S = 240.0
STOP_TIMEOUT_S = 60.0
DEMO_SPEED = float(os.environ.get("REP_COACH_DEMO_SPEED", "8"))
BROKER_LINE = re.compile(r"MQTT broker: .* at 127\.0\.0\.1:(\d+)")


@dataclass(slots=True)
class RunningDemo:
    """``rep-coach demo`` in a child process and what it printed."""

    process: subprocess.Popen[str]
    url: str
    lines: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        """Home Assistant's address."""
        return "/".join(self.url.split("/", 3)[:3])

    @property
    def console(self) -> str:
        """Everything the demo printed so far."""
        return "".join(self.lines)

    def port_of(self, pattern: re.Pattern[str]) -> int:
        """A port the demo reported on its console."""
        match = pattern.search(self.console)
        assert match, f"not in the demo's output:\n{self.console}"
        return int(match.group(1))

    def stop(self) -> int:
        """Ctrl-C, as a user stops it; its exit code."""
        return interrupt(self.process)


def _read_lines(
    process: subprocess.Popen[str], seen: list[str], lines: queue.Queue[str | None]
) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        seen.append(line)
        lines.put(line)
    lines.put(None)  # the demo closed its output: it exited


DEMO_COMMAND = (sys.executable, "-m", "rep_coach_tools.cli", "demo")


@contextmanager
def running_demo(state_dir: Path, *args: str) -> Iterator[RunningDemo]:
    """``rep-coach demo`` on free ports until it is ready; stopped (Ctrl-C) at the end."""
    process = subprocess.Popen(
        [
            *DEMO_COMMAND,
            "--port",
            "0",
            "--mqtt-port",
            "0",
            "--state-dir",
            str(state_dir),
            "--no-browser",
            *args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output: queue.Queue[str | None] = queue.Queue()
    seen: list[str] = []
    threading.Thread(target=_read_lines, args=(process, seen, output), daemon=True).start()
    running: RunningDemo | None = None
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while running is None:
            try:
                line = output.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(
                    f"the demo was not ready within {START_TIMEOUT_S:g} s:\n{''.join(seen)}"
                )
            if line is None:
                pytest.fail(f"the demo exited before it was ready:\n{''.join(seen)}")
            if line.startswith(READY_PREFIX):
                running = RunningDemo(process, line.removeprefix(READY_PREFIX).strip(), seen)
        yield running
    finally:
        interrupt(process)


@pytest.fixture
def demo(socket_enabled: None, tmp_path: Path) -> Iterator[RunningDemo]:
    """The demo with the emulator ``DEMO_SPEED`` times faster than real time."""
    with running_demo(tmp_path / "demo", "--speed", f"{DEMO_SPEED:g}") as running:
        yield running
    assert rep_coach_complaints(tmp_path / "demo" / "config" / "home-assistant.log") == []


def rep_coach_complaints(log: Path) -> list[str]:
    """What Home Assistant's log says against Rep Coach: its errors and tracebacks, and
    Home Assistant's reports on it (a blocking call in the event loop, a deprecated call)."""
    if not log.exists():
        return []
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return [
        line
        for line in lines
        if ("ERROR" in line and "rep_coach" in line) or "custom integration 'rep_coach'" in line
    ]
