"""The suite's own guards: deprecation reports about Rep Coach and the skip summary."""

from __future__ import annotations

import logging

import pytest

from tests.harness import is_deprecation_report, skip_summary


def _record(name: str, message: str, level: int = logging.WARNING) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, None, None)


@pytest.mark.parametrize(
    ("name", "message", "reported"),
    [
        (
            "homeassistant.helpers.frame",
            "Detected that custom integration 'rep_coach' has an update listener and should use it"
            " for scheduling a reload at custom_components/rep_coach/config_flow.py, line 9: x."
            " This will stop working in Home Assistant 2026.12.0, please report it",
            True,
        ),
        (
            "homeassistant.helpers.frame",
            "Detected that custom integration 'rep_coach' accesses `DeviceEntry.config_entries`,"
            " which is deprecated because a device belongs to a single config entry",
            True,
        ),
        ("custom_components.rep_coach.coordinator", "Option x is deprecated", True),
        (
            "homeassistant.helpers.frame",
            "Detected that custom integration 'other' uses a deprecated call",
            False,
        ),
        ("custom_components.rep_coach.coordinator", "Sensor went offline", False),
        ("homeassistant.components.mqtt", "Subscribed to rep_coach/bench/samples", False),
    ],
)
def test_deprecation_reports_about_rep_coach(name: str, message: str, reported: bool) -> None:
    assert is_deprecation_report(_record(name, message)) is reported


def test_skip_summary_names_each_reason_once_most_frequent_first() -> None:
    line = skip_summary(
        [
            "Skipped: mosquitto is not installed",
            "Skipped: Chromium is not installed",
            "Skipped: mosquitto is not installed",
        ]
    )
    assert line == ("Skipped 3: mosquitto is not installed (2); Chromium is not installed (1)")
    assert "\n" not in line


def test_skip_summary_when_nothing_was_skipped() -> None:
    assert skip_summary([]) == "Skipped: nothing"
