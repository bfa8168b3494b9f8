"""Hooks and fixtures for the whole suite.

- ``snapshot`` is Home Assistant's snapshot extension whatever order the plugins load in
  (syrupy's plain ``snapshot`` would otherwise win and write another format). Home Assistant's
  registry data changes shape between releases, so the minimum lane keeps its own snapshots
  (``snapshots_minimum/``).
- Every test that uses ``hass`` is marked ``homeassistant``: the minimum lane runs ``-m homeassistant``.
- A test during which Home Assistant reports deprecated use by Rep Coach fails.
- The run ends with one line naming what was skipped and why.
- The plugin's mock MQTT client closes its socket at the end of a test, as paho does when the
  connection goes, so MQTT's one-second housekeeping timer does not outlive the test.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncGenerator, Iterator
from pathlib import Path
from unittest.mock import Mock

import pytest
from homeassistant.const import __version__ as ha_version
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from pytest_homeassistant_custom_component.typing import MqttMockHAClient, MqttMockPahoClient
from syrupy.assertion import SnapshotAssertion
from syrupy.location import PyTestLocation

from tests.harness import is_deprecation_report, skip_summary

MINIMUM_LANE_PINS = Path(__file__).parents[1] / "requirements_test_min_core.txt"


def _minimum_lane_version() -> str | None:
    match = re.search(r"^homeassistant==(\S+)", MINIMUM_LANE_PINS.read_text(), re.MULTILINE)
    return match.group(1) if match else None


class MinimumLaneSnapshotExtension(HomeAssistantSnapshotExtension):  # type: ignore[misc]  # untyped plugin
    """Home Assistant's snapshots, kept apart for the oldest supported release."""

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        """``snapshots_minimum/`` beside the test (not inside ``snapshots/``, whose updates would
        delete it as unused)."""
        return str(
            Path(super().dirname(test_location=test_location)).with_name("snapshots_minimum")
        )


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots in Home Assistant's format (the minimum lane's in their own folder)."""
    if ha_version == _minimum_lane_version():
        return snapshot.use_extension(MinimumLaneSnapshotExtension)
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
async def mqtt_mock(
    mqtt_mock: MqttMockHAClient, mqtt_client_mock: MqttMockPahoClient
) -> AsyncGenerator[MqttMockHAClient]:
    """The plugin's MQTT mock, whose paho client closes its socket when the test ends."""
    yield mqtt_mock
    mqtt_client_mock.on_socket_close(mqtt_client_mock, None, Mock(fileno=Mock(return_value=-1)))


class _DeprecationReports(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if is_deprecation_report(record):
            self.messages.append(f"{record.name}: {record.getMessage()}")


@pytest.fixture(autouse=True)
def no_deprecation_reports() -> Iterator[None]:
    """Fail the test if Home Assistant (or Rep Coach) logs deprecated use by Rep Coach."""
    reports = _DeprecationReports()
    root = logging.getLogger()
    root.addHandler(reports)
    try:
        yield
    finally:
        root.removeHandler(reports)
    if reports.messages:
        pytest.fail("Deprecated use by Rep Coach was reported:\n" + "\n".join(reports.messages))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that run a Home Assistant (the minimum lane runs only those)."""
    for item in items:
        if "hass" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.homeassistant)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line: what was skipped and why."""
    reasons = []
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reasons.append(longrepr[2] if isinstance(longrepr, tuple) else str(longrepr))
    terminalreporter.write_line(skip_summary(reasons))
