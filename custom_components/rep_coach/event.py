"""Event entities: rep, hold, set, rest and form feedback, with translated event types."""

from __future__ import annotations

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .bus import event_fields
from .coordinator import RepCoachConfigEntry
from .engine import EngineEvent
from .engine.events import EVENT_ENTITIES, entity_event_types
from .entity import RepCoachEntity

PARALLEL_UPDATES = 0

# Each engine event says which of these reports it (``EngineEvent.entity``) and as what.
EVENTS: tuple[EventEntityDescription, ...] = tuple(
    EventEntityDescription(key=key, translation_key=key, event_types=entity_event_types(key))
    for key in EVENT_ENTITIES
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RepCoachConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the event entities of one bench sensor."""
    async_add_entities(RepCoachEvent(entry.runtime_data, description) for description in EVENTS)


class RepCoachEvent(RepCoachEntity, EventEntity):
    """Reports one family of engine events."""

    async def async_added_to_hass(self) -> None:
        """Listen to the engine's events."""
        await super().async_added_to_hass()
        self.async_on_remove(self.coordinator.async_add_event_listener(self._async_engine_event))

    @callback
    def _async_engine_event(self, event: EngineEvent) -> None:
        event_type = event.entity_type
        if event.entity != self.entity_description.key or event_type is None:
            return
        self._trigger_event(event_type, event_fields(event))
        self.async_write_ha_state()
