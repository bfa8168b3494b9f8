"""Setting Rep Coach up installs its blueprints, and never overwrites a copy the user changed."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.rep_coach.blueprint_install import (
    NOTIFICATION_ID,
    STORE_KEY,
    async_install_blueprints,
    install_blueprints,
)
from custom_components.rep_coach.const import DOMAIN

from .conftest import BLUEPRINTS

NAMES = sorted(path.name for path in BLUEPRINTS.glob("*.yaml"))
INSTALLED = Path("blueprints", "automation", DOMAIN)


@pytest.fixture
def config_dir(hass: HomeAssistant) -> Path:
    """The test's empty configuration directory, as on a fresh Home Assistant."""
    return Path(hass.config.config_dir)


@pytest.mark.usefixtures("mqtt_mock")
async def test_first_set_up_installs_them_where_home_assistant_lists_them(
    hass: HomeAssistant,
    config_dir: Path,
    hass_ws_client: WebSocketGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Set-up copies the blueprints, tells the user where, and Home Assistant lists them."""
    caplog.set_level(logging.INFO)
    assert await async_setup_component(hass, DOMAIN, {})
    assert await async_setup_component(hass, "automation", {})

    for name in NAMES:
        assert (config_dir / INSTALLED / name).read_bytes() == (BLUEPRINTS / name).read_bytes()
    assert f"Installed the blueprints {', '.join(NAMES)} in {config_dir / INSTALLED}" in caplog.text
    notifications = persistent_notification._async_get_or_create_notifications(hass)
    assert f"`{INSTALLED.as_posix()}`" in notifications[NOTIFICATION_ID]["message"]

    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": "blueprint/list", "domain": "automation"})
    response = await client.receive_json()
    assert response["success"]
    listed = {path: item["metadata"]["name"] for path, item in response["result"].items()}
    assert {f"{DOMAIN}/{name}" for name in NAMES} <= set(listed)
    assert listed[f"{DOMAIN}/hold_light_cue.yaml"] == "Rep Coach - hold light cue"


async def test_every_start_after_the_first_is_quiet(
    hass: HomeAssistant, config_dir: Path, hass_storage: dict[str, Any]
) -> None:
    """Once installed, a restart writes nothing and notifies nobody."""
    await async_install_blueprints(hass)
    persistent_notification.async_dismiss(hass, NOTIFICATION_ID)
    stored = dict(hass_storage[STORE_KEY]["data"])

    result = await async_install_blueprints(hass)

    assert (result.installed, result.updated, result.kept) == ([], [], [])
    assert hass_storage[STORE_KEY]["data"] == stored
    assert NOTIFICATION_ID not in persistent_notification._async_get_or_create_notifications(hass)


async def test_an_upgrade_updates_untouched_copies_only(
    hass: HomeAssistant, config_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A new version replaces the copies the user left alone; an edited copy, a deleted one
    and the user's own file of the same name stay as they are."""
    caplog.set_level(logging.INFO)
    await async_install_blueprints(hass)
    installed = config_dir / INSTALLED
    edited, deleted, untouched = NAMES
    (installed / edited).write_text("# my own light colours\n")
    (installed / deleted).unlink()
    new_version = tmp_path / "new_version"
    shutil.copytree(BLUEPRINTS, new_version)
    for name in NAMES:
        with (new_version / name).open("a") as file:
            file.write("# version 2\n")

    with patch("custom_components.rep_coach.blueprint_install.SOURCE_DIR", new_version):
        result = await async_install_blueprints(hass)

    assert result.updated == [untouched]
    assert result.kept == [edited]
    assert (installed / untouched).read_text().endswith("# version 2\n")
    assert (installed / edited).read_text() == "# my own light colours\n"
    assert not (installed / deleted).exists()
    assert f"Kept your own version of {edited}" in caplog.text


def test_a_file_the_user_had_before_is_kept(tmp_path: Path) -> None:
    """A blueprint imported by hand before Rep Coach installed its own is the user's."""
    target = tmp_path / "rep_coach"
    target.mkdir()
    (target / NAMES[0]).write_text("# imported from GitHub, then edited\n")

    result = install_blueprints(BLUEPRINTS, target, {})

    assert result.kept == [NAMES[0]]
    assert result.installed == NAMES[1:]
    assert (target / NAMES[0]).read_text() == "# imported from GitHub, then edited\n"
