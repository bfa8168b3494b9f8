"""A private Mosquitto broker on a loopback port, for the end-to-end tests and the load bench.

Debian's ``mosquitto`` package provides the executable; nothing is downloaded. The broker runs
anonymous, without persistence, and can be stopped and started again on the same port (a broker
restart as clients see it).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 10.0


class MosquittoError(RuntimeError):
    """The broker is missing or did not start."""


@dataclass(frozen=True, slots=True)
class Broker:
    """A running broker on loopback."""

    host: str
    port: int

    @property
    def address(self) -> str:
        """``HOST:PORT`` as the CLI takes it."""
        return f"{self.host}:{self.port}"


def free_port() -> int:
    """A TCP port nothing listens on right now (loopback)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def find_mosquitto() -> str | None:
    """The mosquitto executable (Debian installs it in /usr/sbin, often not on PATH)."""
    found = shutil.which("mosquitto")
    if found is not None:
        return found
    return "/usr/sbin/mosquitto" if Path("/usr/sbin/mosquitto").exists() else None


class MosquittoServer:
    """A Mosquitto process on a fixed loopback port that can be stopped and started again."""

    def __init__(
        self,
        executable: str,
        port: int,
        workdir: Path,
        *,
        extra_config: tuple[str, ...] = (),
        verbose: bool = True,
    ) -> None:
        """Write the configuration into ``workdir``; nothing runs until :meth:`start`."""
        self.broker = Broker("127.0.0.1", port)
        self._executable = executable
        self._config = workdir / "mosquitto.conf"
        lines = [
            f"listener {port} 127.0.0.1",
            "allow_anonymous true",
            "persistence false",
            "log_dest stderr",
            # "all" logs every publish: useful in a failing test, a cost under load.
            "log_type all" if verbose else "log_type error\nlog_type warning\nlog_type notice",
            "max_queued_messages 100000",
            *extra_config,
        ]
        self._config.write_text("\n".join(lines) + "\n")
        self._process: subprocess.Popen[str] | None = None
        self.log: list[str] = []

    @property
    def pid(self) -> int | None:
        """The broker's process id while it runs."""
        return None if self._process is None else self._process.pid

    def start(self) -> None:
        """Start and return once it accepts connections."""
        process = subprocess.Popen(
            [self._executable, "-c", str(self._config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._process = process

        def drain() -> None:
            assert process.stderr is not None
            for line in process.stderr:
                self.log.append(line)

        threading.Thread(target=drain, daemon=True, name="mosquitto-log").start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if process.poll() is not None:
                self._process = None
                raise MosquittoError(f"mosquitto exited at start:\n{''.join(self.log)}")
            try:
                socket.create_connection((self.broker.host, self.broker.port), timeout=1).close()
            except OSError:
                time.sleep(0.01)  # not listening yet
            else:
                return
        self.stop()
        raise MosquittoError("mosquitto did not start in time")

    def stop(self) -> None:
        """Terminate it (connected clients see the connection drop)."""
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None
