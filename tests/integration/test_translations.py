"""Every name, state, trigger, service and error the code uses has its English text and icon."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from homeassistant.util.yaml import load_yaml_dict

from custom_components.rep_coach import PLATFORMS
from custom_components.rep_coach.binary_sensor import BINARY_SENSORS
from custom_components.rep_coach.button import BUTTONS
from custom_components.rep_coach.device_trigger import TRIGGER_TYPES
from custom_components.rep_coach.event import EVENTS
from custom_components.rep_coach.health import (
    ISSUE_CALIBRATION_UNSETTLED,
    ISSUE_INVALID_PAYLOADS,
    ISSUE_SENSOR_SILENT,
)
from custom_components.rep_coach.number import NUMBERS
from custom_components.rep_coach.select import SELECTS
from custom_components.rep_coach.sensor import HIP_POSITION, SENSORS
from custom_components.rep_coach.session_store import (
    ISSUE_SESSION_FROM_NEWER_VERSION,
    ISSUE_UNREADABLE_SESSION,
)

PACKAGE = Path(__file__).resolve().parents[2] / "custom_components" / "rep_coach"
STRINGS: dict[str, Any] = json.loads((PACKAGE / "translations" / "en.json").read_text())
ICONS: dict[str, Any] = json.loads((PACKAGE / "icons.json").read_text())
DESCRIPTIONS = {
    "binary_sensor": BINARY_SENSORS,
    "button": BUTTONS,
    "event": EVENTS,
    "number": NUMBERS,
    "select": SELECTS,
    "sensor": (*SENSORS, HIP_POSITION),
}


def test_every_platform_described() -> None:
    """The platforms set up are the ones with descriptions here."""
    assert {str(platform) for platform in PLATFORMS} == set(DESCRIPTIONS)


def test_entity_names_states_and_icons() -> None:
    """Names, enum states, select options and event types are translated; icons exist."""
    for platform, descriptions in DESCRIPTIONS.items():
        for description in descriptions:
            key = description.translation_key
            strings = STRINGS["entity"][platform][key]
            assert strings["name"]
            options = getattr(description, "options", None) or []
            assert set(options) <= set(strings.get("state", {})), key
            event_types = getattr(description, "event_types", None) or []
            if event_types:
                assert set(event_types) == set(strings["state_attributes"]["event_type"]["state"])
            if platform != "binary_sensor" or key != "sensor_problem":  # device class icon
                assert key in ICONS["entity"][platform], key


def test_device_triggers_translated() -> None:
    """Every trigger type has its automation editor text."""
    assert set(TRIGGER_TYPES) == set(STRINGS["device_automation"]["trigger_type"])


def test_services_translated_and_described() -> None:
    """services.yaml, the translations and icons list the same services and fields."""
    services = load_yaml_dict(PACKAGE / "services.yaml")
    assert set(services) == set(STRINGS["services"]) == set(ICONS["services"])
    for name, spec in services.items():
        assert set(spec.get("fields", {})) == set(STRINGS["services"][name]["fields"]), name


def test_raised_keys_translated() -> None:
    """Every translation key raised in code and every flow error/abort has its text."""
    source = "\n".join(path.read_text() for path in PACKAGE.glob("*.py"))
    raised = set(re.findall(r'translation_domain=DOMAIN,\s*translation_key="([a-z_]+)"', source))
    assert raised
    # The flow's own keys, and the topic checks it shares with discovery (topic_error).
    flow = (PACKAGE / "config_flow.py").read_text()
    flow_keys = set(re.findall(r'(?:reason=|: |\] = )"([a-z_]+)"', flow))
    flow_keys |= set(re.findall(r'return "([a-z_]+)"', (PACKAGE / "discovery.py").read_text()))
    assert {
        "invalid_topic",
        "wildcard_topic",
        "name_in_use",
        "topic_in_use",
        "invalid_payload",
        "mqtt_not_ready",
        "invalid_discovery_info",
    } <= flow_keys
    known = (
        set(STRINGS["exceptions"])
        | set(STRINGS["config"]["error"])
        | set(STRINGS["config"]["abort"])
    )
    assert raised <= set(STRINGS["exceptions"])
    assert flow_keys <= known


def test_repair_issues_translated() -> None:
    """Every repair issue has its text; the fixable ones (confirm to dismiss) a confirm step."""
    issues = STRINGS["issues"]
    assert set(issues) == {
        ISSUE_INVALID_PAYLOADS,
        ISSUE_SENSOR_SILENT,
        ISSUE_CALIBRATION_UNSETTLED,
        ISSUE_UNREADABLE_SESSION,
        ISSUE_SESSION_FROM_NEWER_VERSION,
    }
    for key in (ISSUE_INVALID_PAYLOADS, ISSUE_SENSOR_SILENT, ISSUE_CALIBRATION_UNSETTLED):
        assert issues[key]["description"], key
    for key in (ISSUE_UNREADABLE_SESSION, ISSUE_SESSION_FROM_NEWER_VERSION):
        confirm = issues[key]["fix_flow"]["step"]["confirm"]
        assert "{path}" in confirm["description"], key
