"""Home Assistant's entry points for Rep Coach (re-exported lazily by the package's ``__init__``)."""

from __future__ import annotations

from homeassistant.components import mqtt
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.typing import ConfigType

from .blueprint_install import async_install_blueprints
from .const import DOMAIN
from .coordinator import RepCoachConfigEntry, RepCoachCoordinator
from .frontend import async_register_card
from .options import settings_from_options
from .services import async_setup_services
from .session_store import SessionStore, unreadable_session_issue_id

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the services (they exist even while no entry is loaded) and the card; install
    the automation blueprints."""
    async_setup_services(hass)
    await async_register_card(hass)
    await async_install_blueprints(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: RepCoachConfigEntry) -> bool:
    """Restore the session, subscribe to the sensor and set up the entities."""
    if not await mqtt.async_wait_for_mqtt_client(hass):
        raise ConfigEntryNotReady(translation_domain=DOMAIN, translation_key="mqtt_not_ready")
    coordinator = RepCoachCoordinator(hass, entry)
    await coordinator.async_start()
    entry.runtime_data = coordinator
    entry.async_on_unload(entry.add_update_listener(_async_entry_updated))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def _async_entry_updated(hass: HomeAssistant, entry: RepCoachConfigEntry) -> None:
    """The one place that decides what an entry update needs.

    Training options apply live (a reload would interrupt the set); new connection data (topics,
    payload format, device details from reconfigure or a fresh announcement) needs a reload. The
    flows only update the entry and never reload it themselves, which Home Assistant refuses for
    entries with an update listener from 2026.12 on.
    """
    coordinator = entry.runtime_data
    if entry.data != coordinator.entry_data:
        hass.config_entries.async_schedule_reload(entry.entry_id)
        return
    coordinator.async_apply_settings(settings_from_options(entry.options))


async def async_unload_entry(hass: HomeAssistant, entry: RepCoachConfigEntry) -> bool:
    """Unload the entities; the subscriptions and timers go with the entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: RepCoachConfigEntry) -> None:
    """Forget the saved session of a removed sensor (copies kept aside stay)."""
    await SessionStore(hass, entry.entry_id).async_remove()
    ir.async_delete_issue(hass, DOMAIN, unreadable_session_issue_id(entry.entry_id))
