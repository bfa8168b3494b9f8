"""Serve the Rep Coach Lovelace card, load it in every dashboard, and tell it what to say.

The card is a plain ES module in ``www/`` (no build step). It is served under ``/rep_coach/`` and
added to the frontend's extra modules, so ``type: custom:rep-coach-card`` works without the user
adding a dashboard resource by hand. The module's address carries the integration's version; the
``rep_coach/card_config`` websocket command gives the card its words (the integration's
translations, in the user's language) and the engine's own form thresholds, so the card's
colours change exactly where the engine warns.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from homeassistant.components import websocket_api
from homeassistant.components.frontend import add_extra_js_url
from homeassistant.components.http import StaticPathConfig
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import async_response, websocket_command
from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations
from homeassistant.loader import async_get_integration
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN, LOGGER
from .engine.feedback import HOLD_SHORT_RATIO, IMBALANCE_PCT, LOWERING_FAST_RATIO
from .validation import vol

URL_BASE: Final = f"/{DOMAIN}"
CARD_FILENAME: Final = "rep-coach-card.js"
WWW_DIR: Final = Path(__file__).parent / "www"

_CARD_REGISTERED: HassKey[str] = HassKey(f"{DOMAIN}_card_url")

WS_CARD_CONFIG: Final = f"{DOMAIN}/card_config"
LABEL_PREFIX: Final = f"component.{DOMAIN}.selector.card.options."
WARNING_PREFIX: Final = f"component.{DOMAIN}.entity.sensor.last_form_feedback.state."


def card_config(version: str, translations: Mapping[str, str]) -> dict[str, Any]:
    """What the card needs from the integration.

    ``translations``: flattened translation keys (``component.rep_coach.…``) of one language.
    """

    def under(prefix: str) -> dict[str, str]:
        return {
            key.removeprefix(prefix): value
            for key, value in translations.items()
            if key.startswith(prefix)
        }

    return {
        "version": version,
        "thresholds": {
            "hold_short_ratio": HOLD_SHORT_RATIO,
            "lowering_fast_ratio": LOWERING_FAST_RATIO,
            "imbalance_pct": IMBALANCE_PCT,
        },
        "labels": under(LABEL_PREFIX),
        "warnings": under(WARNING_PREFIX),
    }


@websocket_command({vol.Required("type"): WS_CARD_CONFIG, vol.Optional("language"): str})
@async_response
async def websocket_card_config(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """The card's words in the asked language (English where it has none) and thresholds."""
    language = msg.get("language") or hass.config.language
    translations: dict[str, str] = {}
    for category in ("selector", "entity"):
        translations |= await async_get_translations(hass, language, category, [DOMAIN])
    integration = await async_get_integration(hass, DOMAIN)
    connection.send_result(msg["id"], card_config(str(integration.version), translations))


async def async_register_card(hass: HomeAssistant) -> None:
    """Serve ``www/`` and load the card module in the frontend; safe to call more than once.

    Without ``http`` (tests, minimal setups) there is nothing to serve from and nothing is done;
    without ``frontend`` the files are served but no module is injected.
    """
    if _CARD_REGISTERED in hass.data:
        return
    websocket_api.async_register_command(hass, websocket_card_config)
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
