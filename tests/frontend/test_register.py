"""frontend.py: the card is served by Home Assistant and loaded in every dashboard."""

from __future__ import annotations

import json
from http import HTTPStatus
from pathlib import Path
from unittest.mock import Mock

import pytest
from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL, UrlManager
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    MqttMockHAClient,
    WebSocketGenerator,
)

from custom_components.rep_coach.const import DOMAIN
from custom_components.rep_coach.engine import feedback
from custom_components.rep_coach.frontend import CARD_FILENAME, WWW_DIR, async_register_card

CARD_URL = f"/rep_coach/{CARD_FILENAME}"
VERSION = json.loads((WWW_DIR.parent / "manifest.json").read_text(encoding="utf-8"))["version"]


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant find ``custom_components/rep_coach`` (for its manifest version)."""


@pytest.fixture(autouse=True)
def own_config_dir(hass: HomeAssistant, tmp_path: Path) -> None:
    """A configuration directory of the test's own (set-up installs the blueprints there)."""
    hass.config.config_dir = str(tmp_path)


@pytest.fixture
def frontend_modules(hass: HomeAssistant) -> UrlManager:
    """The frontend's list of extra modules, as the frontend component sets it up."""
    hass.config.components.add("frontend")
    modules = UrlManager(Mock(), [])
    hass.data[DATA_EXTRA_MODULE_URL] = modules
    return modules


async def test_card_is_served_and_loaded(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    frontend_modules: UrlManager,
) -> None:
    """The module is served under /rep_coach/ and added, versioned, to the frontend's modules."""
    assert await async_setup_component(hass, "http", {})

    await async_register_card(hass)
    await async_register_card(hass)  # a second call (e.g. a reload) changes nothing

    assert frontend_modules.urls == {f"{CARD_URL}?v={VERSION}"}
    client = await hass_client_no_auth()
    response = await client.get(CARD_URL)
    assert response.status == HTTPStatus.OK
    assert 'const CARD_TYPE = "rep-coach-card";' in await response.text()


async def test_served_without_frontend(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    """Without the frontend component the card is still served, nothing else is attempted."""
    assert await async_setup_component(hass, "http", {})

    await async_register_card(hass)

    assert DATA_EXTRA_MODULE_URL not in hass.data
    client = await hass_client_no_auth()
    response = await client.get(CARD_URL)
    assert response.status == HTTPStatus.OK


async def test_without_http_nothing_happens_until_it_is_there(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    frontend_modules: UrlManager,
) -> None:
    """Without HTTP (tests, minimal set-ups) registering is a no-op that can be retried."""
    await async_register_card(hass)
    assert not frontend_modules.urls

    assert await async_setup_component(hass, "http", {})
    await async_register_card(hass)
    assert frontend_modules.urls == {f"{CARD_URL}?v={VERSION}"}


async def test_integration_setup_registers_the_card(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient, frontend_modules: UrlManager
) -> None:
    """Setting up Rep Coach registers the card; no dashboard resource to add by hand."""
    assert await async_setup_component(hass, "http", {})

    assert await async_setup_component(hass, DOMAIN, {})

    assert frontend_modules.urls == {f"{CARD_URL}?v={VERSION}"}


@pytest.mark.parametrize("language", ["en", "de"])
async def test_card_config_command(
    hass: HomeAssistant,
    mqtt_mock: MqttMockHAClient,
    hass_ws_client: WebSocketGenerator,
    language: str,
) -> None:
    """The card asks the integration for its version, its words in the user's language
    (English where there is no translation) and the engine's own form thresholds."""
    assert await async_setup_component(hass, DOMAIN, {})
    client = await hass_ws_client(hass)

    await client.send_json_auto_id({"type": "rep_coach/card_config", "language": language})
    response = await client.receive_json()

    assert response["success"], response
    config = response["result"]
    assert config["version"] == VERSION
    assert config["thresholds"] == {
        "hold_short_ratio": feedback.HOLD_SHORT_RATIO,
        "lowering_fast_ratio": feedback.LOWERING_FAST_RATIO,
        "imbalance_pct": feedback.IMBALANCE_PCT,
    }
    assert config["labels"]["set_complete"] == "Set complete"
    assert config["labels"]["squeeze_rep"] == "Squeeze, rep {rep}"
    assert config["warnings"]["lowered_too_fast"] == "Lowered too fast"
