"""Fixtures for every suite that runs a real Home Assistant with Rep Coach in it.

A suite's ``conftest.py`` imports them (``from tests.hass_fixtures import ...``), so they are
written once and used where a suite wants them, not for the whole test tree.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from homeassistant.core import HomeAssistant


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant find ``custom_components/rep_coach``."""


@pytest.fixture(autouse=True)
def own_config_dir(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Each test's Home Assistant gets a configuration directory of its own: setting Rep
    Coach up installs the blueprints there."""
    if "hass" in request.fixturenames:
        hass: HomeAssistant = request.getfixturevalue("hass")
        hass.config.config_dir = str(tmp_path / "config")
