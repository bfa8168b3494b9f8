"""Pytest fixtures for a real Mosquitto broker, shared by tests/tools and tests/e2e.

Import the fixtures into a conftest (``from tests.mosquitto import mosquitto, mosquitto_server``).
Tests are skipped when the Debian package ``mosquitto`` is not installed (``.ci/run`` installs it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rep_coach_tools.mosquitto import (
    Broker,
    MosquittoError,
    MosquittoServer,
    find_mosquitto,
    free_port,
)

__all__ = [
    "Broker",
    "MosquittoServer",
    "free_port",
    "mosquitto",
    "mosquitto_extra_config",
    "mosquitto_server",
]


@pytest.fixture
def mosquitto_extra_config() -> tuple[str, ...]:
    """Extra lines for the broker's configuration (override in a module to change limits)."""
    return ()


@pytest.fixture
def mosquitto_server(
    socket_enabled: None, tmp_path: Path, mosquitto_extra_config: tuple[str, ...]
) -> Iterator[MosquittoServer]:
    """A running Mosquitto on a free loopback port (anonymous), stopped at teardown."""
    executable = find_mosquitto()
    if executable is None:
        pytest.skip("mosquitto is not installed (apt-get install mosquitto)")
    server = MosquittoServer(executable, free_port(), tmp_path, extra_config=mosquitto_extra_config)
    try:
        server.start()
    except MosquittoError as err:
        pytest.fail(str(err))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mosquitto(mosquitto_server: MosquittoServer) -> Broker:
    """Where the test broker listens."""
    return mosquitto_server.broker
