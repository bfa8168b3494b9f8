"""The demo's generated files and its refusals, without starting anything."""

from __future__ import annotations

import importlib
import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint.models import Blueprint, BlueprintInputs
from homeassistant.util import slugify
from homeassistant.util.yaml import load_yaml_dict

from custom_components.rep_coach.blueprint_install import SOURCE_DIR
from custom_components.rep_coach.const import DOMAIN
from rep_coach_tools.cli import main
from rep_coach_tools.demo import pick_port
from rep_coach_tools.demo_api import Tokens, client_id
from rep_coach_tools.demo_automations import automation_entity_id, blueprint_automations
from rep_coach_tools.demo_config import (
    BENCH_LIGHT,
    CARD_TYPE,
    DASHBOARD_URL_PATH,
    DASHBOARD_VIEW_PATH,
    EXAMPLE_DASHBOARD,
    MARKER,
    PACKAGE_DIR,
    REST_TIMER,
    VOICE_AUTOMATION,
    DemoPaths,
    DemoStateError,
    blueprint_cards,
    dashboard_config,
    example_views,
    prepare_state_dir,
    write_dashboard,
    write_hass_config,
)
from rep_coach_tools.demo_processes import port_is_free
from tests.integration.test_logbook import readme_logbook_config

LOGBOOK = "logbook"

DEVICE_ID = "0123456789abcdef0123456789abcdef"


def test_state_dir_is_created_and_a_demo_one_wiped(tmp_path: Path) -> None:
    """A fresh directory gets the marker; a previous demo's leftovers are removed."""
    root = tmp_path / "state"
    paths = prepare_state_dir(root)
    (paths.config / "leftover.txt").write_text("old run")

    again = prepare_state_dir(root)

    assert (root / MARKER).is_file()
    assert again.storage.is_dir()
    assert not (again.config / "leftover.txt").exists()


def test_foreign_directory_is_never_wiped(tmp_path: Path) -> None:
    """A non-empty directory the demo did not make is refused and left alone."""
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")

    with pytest.raises(DemoStateError, match="not made by the demo"):
        prepare_state_dir(tmp_path)

    assert precious.read_text() == "keep me"


def test_hass_configuration(tmp_path: Path) -> None:
    """Minimal integrations (no default_config), loopback HTTP, the YAML dashboard, Rep Coach."""
    paths = prepare_state_dir(tmp_path / "state")

    write_hass_config(paths, port=18123)

    config = load_yaml_dict(paths.config / "configuration.yaml")
    assert "default_config" not in config
    assert {"frontend", "recorder", "history", "logbook", "lovelace"} <= set(config)
    assert http_address(paths, config) == (["127.0.0.1"], 18123)
    dashboard = config["lovelace"]["dashboards"][DASHBOARD_URL_PATH]
    assert dashboard["mode"] == "yaml"
    assert paths.config / dashboard["filename"] == paths.dashboard
    assert (paths.config / "custom_components" / DOMAIN).resolve() == PACKAGE_DIR
    # What the blueprints drive: a timer helper, a light, automations made from the UI's API.
    assert config["timer"] == {"rest": {"name": "Rest timer", "icon": "mdi:timer-sand"}}
    assert REST_TIMER == "timer.rest"
    light = config["template"][0]["light"][0]
    assert slugify(light["name"]) == BENCH_LIGHT.split(".", 1)[1]
    assert {"turn_on", "turn_off", "set_level", "set_rgb"} <= set(light)
    assert "state" not in light  # optimistic: keeps what it is told
    assert config["automation"] == []  # !include automations.yaml, written empty
    assert (paths.config / "automations.yaml").read_text() == "[]\n"
    # The logbook exclusion the README recommends, and more.
    recommended = readme_logbook_config()[LOGBOOK]["exclude"]["entities"]
    assert set(recommended) <= set(config[LOGBOOK]["exclude"]["entities"])


def http_address(paths: DemoPaths, config: dict[str, Any]) -> tuple[list[str], int]:
    """Where the demo's Home Assistant will listen, read the way the installed release reads it:
    from configuration.yaml, or (2026.10+) from the confirmed settings in ``.storage/http``, with
    nothing left to confirm (a pending slot opens a dialog and reverts after five minutes)."""
    try:
        http_config = importlib.import_module("homeassistant.components.http.config")
    except ImportError:
        yaml = config["http"]
        return [yaml["server_host"]], yaml["server_port"]
    assert "http" not in config  # YAML would be migrated as a pending change to confirm
    stored = json.loads((paths.storage / http_config.STORAGE_KEY).read_text())
    assert stored["version"] == http_config.STORAGE_VERSION
    data = stored["data"]
    assert data["pending"] is None
    assert data["yaml_migration_done"] is True
    stable = {k: v for k, v in data["stable"].items() if k not in http_config._META_KEYS}
    assert http_config.HTTP_STORAGE_SCHEMA(stable) == stable
    return stable["server_host"], stable["server_port"]


def test_blueprint_automations_are_valid_for_their_blueprints() -> None:
    """Each demo automation is made from a blueprint Rep Coach installs, with inputs the
    blueprint accepts."""
    automations = blueprint_automations(DEVICE_ID)

    for config in automations.values():
        path = config["use_blueprint"]["path"]
        namespace, name = path.split("/")
        assert namespace == DOMAIN
        data = load_yaml_dict(SOURCE_DIR / name)
        blueprint = Blueprint(
            data, expected_domain="automation", schema=AUTOMATION_BLUEPRINT_SCHEMA
        )
        inputs = BlueprintInputs(blueprint, config)
        inputs.validate()
        assert inputs.inputs["bench"] == DEVICE_ID
    assert automation_entity_id(automations["rep_coach_voice"]) == VOICE_AUTOMATION
    logbook = next(card for card in blueprint_cards(DEVICE_ID) if card["type"] == "logbook")
    assert logbook["target"] == {"device_id": [DEVICE_ID], "entity_id": [VOICE_AUTOMATION]}
    hold_light = automations["rep_coach_hold_light"]["use_blueprint"]["input"]
    assert hold_light["light_target"] == {"entity_id": BENCH_LIGHT}


def test_dashboard_leads_with_the_card(tmp_path: Path) -> None:
    """The example dashboard's first view starts with the card for the demo's device."""
    views = example_views()
    paths = prepare_state_dir(tmp_path / "state")

    write_dashboard(paths, dashboard_config(DEVICE_ID, views))

    written = load_yaml_dict(paths.dashboard)
    first = written["views"][0]
    assert first["path"] == DASHBOARD_VIEW_PATH
    assert first["sections"][0]["cards"] == [
        {"type": CARD_TYPE, "device_id": DEVICE_ID, "title": "Hip thrusts"},
        *blueprint_cards(DEVICE_ID),
    ]
    # The rest of the example dashboard is unchanged, and so is the list given.
    assert first["sections"][1:] == views[0]["sections"]
    assert written["views"][1:] == views[1:]
    assert all(section["cards"][0]["type"] != CARD_TYPE for section in views[0]["sections"])


def test_dashboard_without_the_example_is_the_card_alone(tmp_path: Path) -> None:
    """Without the example dashboard (an installed package), one view holds the card."""
    assert example_views(tmp_path / "missing.yaml") == []

    config = dashboard_config(DEVICE_ID, [])

    assert config["views"] == [
        {
            "title": "Training",
            "path": DASHBOARD_VIEW_PATH,
            "cards": [
                {"type": CARD_TYPE, "device_id": DEVICE_ID, "title": "Hip thrusts"},
                *blueprint_cards(DEVICE_ID),
            ],
        }
    ]
    assert EXAMPLE_DASHBOARD.is_file()


def test_tokens_as_the_frontend_stores_them() -> None:
    """``hassTokens``: the frontend's origin as client id and an absolute expiry."""
    tokens = Tokens(access_token="a", refresh_token="r", expires_in=1800, token_type="Bearer")

    stored = tokens.frontend_storage("http://127.0.0.1:8123", now_ms=1_000)

    assert stored == {
        "access_token": "a",
        "refresh_token": "r",
        "expires_in": 1800,
        "token_type": "Bearer",
        "hassUrl": "http://127.0.0.1:8123",
        "clientId": "http://127.0.0.1:8123/",
        "expires": 1_801_000,
    }
    assert client_id("http://127.0.0.1:8123/") == "http://127.0.0.1:8123/"


def test_busy_port_is_refused_with_a_hint(
    socket_enabled: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A port something listens on: a clear message naming the option, nothing started."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]

        code = main(["demo", "--port", str(port), "--state-dir", str(tmp_path / "state")])

    assert code == 2
    assert f"port {port} for Home Assistant is in use; pass --port 0" in capsys.readouterr().err
    assert not (tmp_path / "state").exists()


def test_busy_default_port_falls_back_to_a_free_one(socket_enabled: None) -> None:
    """The default port taken (Home Assistant or Mosquitto already running): another one."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]

        chosen = pick_port(None, taken, "Home Assistant", "--port")

        assert chosen != taken
        assert port_is_free(chosen)
        assert pick_port(None, chosen, "Home Assistant", "--port") == chosen


def test_speed_must_be_positive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--speed 0 (the emulator's 'as fast as possible') makes no sense for a live dashboard."""
    code = main(["demo", "--speed", "0", "--state-dir", str(tmp_path / "state")])

    assert code == 2
    assert "--speed must be above 0" in capsys.readouterr().err
    assert not (tmp_path / "state").exists()


def test_home_assistant_can_list_the_services_of_a_light() -> None:
    """With a light (the demo's bench light) Home Assistant imports its base components to
    describe services for the frontend; without their packages the dashboard never loads
    ("Loading data"). The demo installs them (requirements_demo.txt)."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from homeassistant.helpers.service import _base_components; _base_components()",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-3000:]
