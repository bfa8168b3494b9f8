"""hassfest's checks that apply to a custom integration, as project tests, and HACS's hacs.json.

hassfest lives in Home Assistant core's ``script/`` folder, not in the ``homeassistant`` wheel, so
it cannot be installed from PyPI; these tests perform its checks that apply to us: manifest
(keys, order, version, URLs, classes, dependencies, requirements, discovery), translations
(structure, every step, error, abort and menu option of the flows), services (code, services.yaml,
translations and icons agree), icons (schema), config schema (a CONFIG_SCHEMA beside async_setup)
and quality scale (every rule has a status, every exemption a reason). Entity names, states,
device triggers, services' fields and raised exceptions are checked in test_translations.py.
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
from homeassistant.core import HomeAssistant
from homeassistant.util.yaml import load_yaml_dict
from packaging.requirements import Requirement
from pytest_homeassistant_custom_component.typing import MqttMockHAClient

from custom_components.rep_coach import config_flow, integration
from custom_components.rep_coach.const import DOMAIN

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "custom_components" / "rep_coach"
MANIFEST: dict[str, Any] = json.loads((PACKAGE / "manifest.json").read_text())
STRINGS: dict[str, Any] = json.loads((PACKAGE / "translations" / "en.json").read_text())
ICONS: dict[str, Any] = json.loads((PACKAGE / "icons.json").read_text())
HACS: dict[str, Any] = json.loads((REPO / "hacs.json").read_text())

IOT_CLASSES = {
    "assumed_state",
    "calculated",
    "cloud_polling",
    "cloud_push",
    "local_polling",
    "local_push",
}
INTEGRATION_TYPES = {"device", "entity", "hardware", "helper", "hub", "service", "system"}
STEP_KEYS = {"title", "description", "data", "data_description", "menu_options", "sections"}
# Home Assistant brings these (validation.py picks the one the running release uses).
SCHEMA_LIBRARIES = {"probatio", "voluptuous"}
HACS_KEYS = {
    "name",
    "content_in_root",
    "zip_release",
    "filename",
    "hide_default_branch",
    "country",
    "homeassistant",
    "persistent_directory",
    "render_readme",
}


def test_manifest_keys_order_and_values() -> None:
    """domain and name first, then alphabetical; what a custom integration must declare."""
    keys = list(MANIFEST)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    assert MANIFEST["domain"] == PACKAGE.name == DOMAIN
    version = AwesomeVersion(MANIFEST["version"])
    assert version.strategy is not AwesomeVersionStrategy.UNKNOWN
    assert MANIFEST["codeowners"]
    assert all(owner.startswith("@") for owner in MANIFEST["codeowners"])
    for key in ("documentation", "issue_tracker"):
        assert MANIFEST[key].startswith("https://"), key
    assert MANIFEST["iot_class"] in IOT_CLASSES
    assert MANIFEST["integration_type"] in INTEGRATION_TYPES


def test_manifest_dependencies_exist() -> None:
    """Every (after-)dependency is a Home Assistant integration."""
    for domain in [*MANIFEST.get("dependencies", []), *MANIFEST.get("after_dependencies", [])]:
        assert importlib.util.find_spec(f"homeassistant.components.{domain}"), domain


def test_manifest_requirements_met_by_home_assistant() -> None:
    """Requirements are valid and the running Home Assistant's pins satisfy them, so installing
    Rep Coach installs nothing."""
    assert MANIFEST["requirements"]
    for line in MANIFEST["requirements"]:
        requirement = Requirement(line)
        installed = importlib.metadata.version(requirement.name)
        assert requirement.specifier.contains(installed), (line, installed)


def _imported_top_level_modules() -> set[str]:
    modules: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules


def _with_their_dependencies(names: set[str]) -> set[str]:
    """The distributions and what each requires unconditionally (e.g. pydantic: pydantic-core,
    whose version pydantic pins, so importing it directly needs no requirement of its own)."""
    covered = set(names)
    for name in names:
        for line in importlib.metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                covered.add(requirement.name.lower().replace("_", "-"))
    return covered


def test_every_third_party_import_is_declared() -> None:
    """Dependency transparency: what the code imports is the standard library, Home Assistant,
    the schema library Home Assistant validates with, or a manifest requirement (or what that
    requirement itself installs)."""
    declared = _with_their_dependencies(
        {Requirement(line).name.lower() for line in MANIFEST["requirements"]}
    )
    distributions = importlib.metadata.packages_distributions()
    third_party = _imported_top_level_modules() - set(sys.stdlib_module_names) - {"__future__"}
    third_party -= {"homeassistant", "custom_components", *SCHEMA_LIBRARIES}
    assert third_party
    for module in third_party:
        providers = {name.lower().replace("_", "-") for name in distributions.get(module, [])}
        assert providers & declared, f"{module} is imported but not in the manifest"


def test_mqtt_discovery_has_its_flow_step() -> None:
    """Manifest mqtt topics need the flow's async_step_mqtt; config_flow needs the flow."""
    assert MANIFEST["mqtt"]
    assert callable(getattr(config_flow.RepCoachConfigFlow, "async_step_mqtt", None))
    assert MANIFEST["config_flow"] is True


def test_config_schema_beside_async_setup() -> None:
    """An integration with async_setup declares its YAML schema (config entries only)."""
    assert callable(integration.async_setup)
    assert integration.CONFIG_SCHEMA({DOMAIN: {}, "other": {}}) is not None


def _flow_steps(source: str) -> set[str]:
    return set(re.findall(r"async def async_step_([a-z_]+)\(", source))


def test_translations_structure_and_every_flow_step() -> None:
    """Every flow step shown has its texts, with only the keys Home Assistant knows; every menu
    option, error and abort the flows use is translated."""
    source = (PACKAGE / "config_flow.py").read_text()
    config, options = STRINGS["config"], STRINGS["options"]
    for section in (config, options):
        for step_id, step in section["step"].items():
            assert set(step) <= STEP_KEYS, step_id
            assert all(isinstance(text, str) and text for text in _texts(step)), step_id
    shown = set(re.findall(r'step_id="([a-z_]+)"', source)) | {"reconfigure"}
    user_facing = _flow_steps(source) - {"mqtt", "check_again", "add_anyway"}
    assert shown <= set(config["step"]) | set(options["step"])
    assert user_facing - {"init"} <= set(config["step"])
    menu = config["step"]["no_reading"]["menu_options"]
    assert set(menu) == {"check_again", "add_anyway", "user", "reconfigure"}
    assert {step for step in menu if step not in {"user", "reconfigure"}} <= _flow_steps(source)


def _texts(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    return [value]


def test_every_translation_is_text() -> None:
    """No empty or non-string leaf anywhere in the translations."""
    assert all(isinstance(text, str) and text.strip() for text in _texts(STRINGS))


async def test_services_registered_are_the_described_ones(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient
) -> None:
    """What async_setup registers is what services.yaml, the translations and icons.json list."""
    assert await integration.async_setup(hass, {})
    registered = set(hass.services.async_services_for_domain(DOMAIN))
    described = set(load_yaml_dict(PACKAGE / "services.yaml"))
    assert registered == described == set(STRINGS["services"]) == set(ICONS["services"])


def test_icons_schema() -> None:
    """Entity icons have a default (and optional states/ranges); each service has its icon."""
    assert set(ICONS) <= {"entity", "services"}
    for platform, entities in ICONS["entity"].items():
        for key, icon in entities.items():
            assert set(icon) <= {"default", "state", "range", "state_attributes"}, key
            assert icon["default"].startswith("mdi:"), (platform, key)
            assert all(value.startswith("mdi:") for value in icon.get("state", {}).values())
    for service, icon in ICONS["services"].items():
        assert set(icon) <= {"service", "sections"}, service
        assert icon["service"].startswith("mdi:"), service


def test_quality_scale_rules_have_a_status() -> None:
    """Every rule is done, todo or exempt, and every exemption says why."""
    rules = load_yaml_dict(PACKAGE / "quality_scale.yaml")["rules"]
    for name, rule in rules.items():
        status = rule if isinstance(rule, str) else rule["status"]
        assert status in {"done", "todo", "exempt"}, name
        if status == "exempt":
            assert isinstance(rule, dict), name
            assert rule.get("comment"), name


def test_hacs_json() -> None:
    """hacs.json holds only HACS's keys, and its minimum Home Assistant is the one the minimum
    test lane runs."""
    assert set(HACS) <= HACS_KEYS
    assert isinstance(HACS["name"], str)
    assert HACS["name"]
    assert isinstance(HACS["render_readme"], bool)
    if HACS.get("zip_release"):
        assert HACS.get("filename")
    minimum_lane = (REPO / "requirements_test_min_core.txt").read_text()
    assert f"homeassistant=={HACS['homeassistant']}\n" in minimum_lane


@pytest.mark.parametrize("path", ["README.md", "custom_components/rep_coach/quality_scale.yaml"])
def test_minimum_release_named_alike(path: str) -> None:
    """The README and the quality scale name the minimum hacs.json declares."""
    assert HACS["homeassistant"].rsplit(".", 1)[0] in (REPO / path).read_text()
