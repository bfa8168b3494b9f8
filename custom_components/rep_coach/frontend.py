"""Serve the Rep Coach Lovelace card and load it in every dashboard.

The card is a plain ES module in ``www/`` (no build step). It is served under ``/rep_coach/`` and
added to the frontend's extra modules, so ``type: custom:rep-coach-card`` works without the user
adding a dashboard resource by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from homeassistant.components.frontend import add_extra_js_url
from homeassistant.components.http import StaticPathConfig
from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_integration
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN, LOGGER

URL_BASE: Final = f"/{DOMAIN}"
CARD_FILENAME: Final = "rep-coach-card.js"
WWW_DIR: Final = Path(__file__).parent / "www"

_CARD_REGISTERED: HassKey[str] = HassKey(f"{DOMAIN}_card_url")


async def async_register_card(hass: HomeAssistant) -> None:
    """Serve ``www/`` and load the card module in the frontend; safe to call more than once.

    Without ``http`` (tests, minimal setups) there is nothing to serve from and nothing is done;
    without ``frontend`` the files are served but no module is injected.
    """
    if _CARD_REGISTERED in hass.data:
        return
    if hass.http is None:
        LOGGER.debug("HTTP is not loaded: the Rep Coach card is not served")
        return
    await hass.http.async_register_static_paths(
        [StaticPathConfig(URL_BASE, str(WWW_DIR), cache_headers=False)]
    )
    # The version makes browsers fetch the card again after an update.
    integration = await async_get_integration(hass, DOMAIN)
    url = f"{URL_BASE}/{CARD_FILENAME}?v={integration.version}"
    hass.data[_CARD_REGISTERED] = url
    if "frontend" not in hass.config.components:
        LOGGER.debug("Frontend is not loaded: serving %s without adding it to dashboards", url)
        return
    add_extra_js_url(hass, url)
