"""The blueprint files themselves: valid for Home Assistant, no dead inputs, importable links."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint.models import Blueprint
from homeassistant.util import yaml as yaml_util

from custom_components.rep_coach.const import DOMAIN, EVENT_REP_COACH
from custom_components.rep_coach.engine.events import EVENT_CLASSES

from .conftest import BLUEPRINTS

README = Path(__file__).parents[2] / "README.md"
MANIFEST = Path(__file__).parents[2] / "custom_components" / DOMAIN / "manifest.json"
NAMES = ("announce_reps.yaml", "hold_light_cue.yaml", "rest_timer.yaml")
# The bus event types the integration fires.
EVENT_TYPES = {bus_type for event in EVENT_CLASSES for bus_type in event.bus_types}


def repository_url() -> str:
    """The GitHub repository, from the manifest's documentation link."""
    documentation: str = json.loads(MANIFEST.read_text(encoding="utf-8"))["documentation"]
    return documentation.split("#", maxsplit=1)[0]


def load(name: str) -> Blueprint:
    """A blueprint as Home Assistant's automation integration validates it."""
    path = BLUEPRINTS / name
    return Blueprint(
        yaml_util.load_yaml_dict(path),
        path=str(path),
        expected_domain="automation",
        schema=AUTOMATION_BLUEPRINT_SCHEMA,
    )


def test_every_blueprint_is_tested() -> None:
    """A new blueprint file needs its tests (and a line here)."""
    assert sorted(path.name for path in BLUEPRINTS.glob("*.yaml")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_valid_and_every_input_used(name: str) -> None:
    """Home Assistant accepts the blueprint, and no input is declared without being used."""
    blueprint = load(name)

    assert yaml_util.extract_inputs(blueprint.data) == set(blueprint.inputs)


@pytest.mark.parametrize("name", NAMES)
def test_listens_to_its_bench_only(name: str) -> None:
    """Every event trigger filters on the chosen device and a known event type."""
    blueprint = load(name)
    selector = blueprint.inputs["bench"]["selector"]
    triggers: list[dict[str, Any]] = blueprint.data["triggers"]
    events = [trigger for trigger in triggers if trigger["trigger"] == "event"]

    assert selector["device"]["filter"] == [{"integration": DOMAIN}]
    assert selector["device"]["multiple"] is False
    assert events
    for trigger in events:
        assert trigger["event_type"] == EVENT_REP_COACH
        assert trigger["event_data"]["device_id"] == yaml_util.Input("bench")
        assert trigger["event_data"]["type"] in EVENT_TYPES


@pytest.mark.parametrize("name", NAMES)
def test_import_link(name: str) -> None:
    """source_url points at the file in the repository, and the README links to import it."""
    source_url = load(name).metadata["source_url"]
    import_link = "https://my.home-assistant.io/redirect/blueprint_import/?blueprint_url="

    path = BLUEPRINTS.relative_to(README.parent).as_posix()
    assert source_url == f"{repository_url()}/blob/main/{path}/{name}"
    assert import_link + quote(source_url, safe="") in README.read_text(encoding="utf-8")
