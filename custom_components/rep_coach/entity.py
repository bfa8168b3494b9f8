"""Base entity: one device per sensor, and state writes only when what is shown changes."""

from __future__ import annotations

from collections.abc import Hashable

from homeassistant.core import callback
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .coordinator import RepCoachCoordinator


class RepCoachEntity(CoordinatorEntity[RepCoachCoordinator]):
    """An entity of one Rep Coach bench sensor.

    The coordinator hears from the engine at the sensor's rate (up to 50 Hz); an entity writes
    its state only when the value it shows (or its availability) differs from the last write,
    so the recorder sees changes, not samples.
    """

    _attr_has_entity_name = True
    # Settings and commands stay usable while the sensor is away; measurements do not.
    _follows_sensor_availability = True
    # Session figures stay while an online sensor is silent (nobody on the bench); live
    # states (phase, holding) need readings.
    _follows_stream = False

    def __init__(self, coordinator: RepCoachCoordinator, description: EntityDescription) -> None:
        """Describe the entity and tie it to the sensor's device."""
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_unique_id = f"{coordinator.sensor_id}_{description.key}"
        self._attr_device_info = coordinator.device_info
        self._last_shown: Hashable = None

    @property
    def available(self) -> bool:
        """Whether the sensor behind this entity is reachable (and sending, for live states)."""
        if not self._follows_sensor_availability:
            return True
        data = self.coordinator.data
        return data.streaming if self._follows_stream else data.available

    def shown_value(self) -> Hashable:
        """What this entity displays besides availability; a change triggers a state write."""
        return None

    async def async_added_to_hass(self) -> None:
        """Remember what the first state write showed."""
        await super().async_added_to_hass()
        self._last_shown = (self.available, self.shown_value())

    @callback
    def _handle_coordinator_update(self) -> None:
        shown = (self.available, self.shown_value())
        if shown != self._last_shown:
            self._async_write_shown(shown)

    @callback
    def _async_write_shown(self, shown: Hashable) -> None:
        """Write the state that shows ``shown``."""
        self._last_shown = shown
        self.async_write_ha_state()
