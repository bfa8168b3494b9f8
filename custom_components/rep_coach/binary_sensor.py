"""Binary sensors: holding, in set, resting and sensor problem."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import CoachData, RepCoachConfigEntry, RepCoachCoordinator
from .engine import Phase, SensorState
from .entity import RepCoachEntity

PARALLEL_UPDATES = 0


def _sensor_problem(data: CoachData) -> bool:
    """Broker or sensor gone, only invalid readings, or a silence nothing explains.

    No target in view is normal (nobody on the bench), and so is silence from a sensor whose
    availability topic says it is online (a sensor may publish nothing while the bench is
    empty); without an availability topic, silence is the only sign of a dead sensor.
    """
    sensor_state = data.state.sensor_state
    return (
        not data.available
        or sensor_state is SensorState.INVALID
        or (sensor_state is SensorState.STALE and not data.vouched_online)
    )


@dataclass(frozen=True, kw_only=True)
class RepCoachBinarySensorEntityDescription(BinarySensorEntityDescription):
    """A binary sensor and how to read it."""

    is_on_fn: Callable[[CoachData], bool]
    follows_sensor_availability: bool = True
    live: bool = False  # a live state: unavailable while no readings arrive


BINARY_SENSORS: tuple[RepCoachBinarySensorEntityDescription, ...] = (
    RepCoachBinarySensorEntityDescription(
        key="holding",
        translation_key="holding",
        is_on_fn=lambda data: data.state.phase is Phase.HOLDING,
        live=True,
    ),
    RepCoachBinarySensorEntityDescription(
        key="in_set",
        translation_key="in_set",
        is_on_fn=lambda data: data.state.in_set,
    ),
    RepCoachBinarySensorEntityDescription(
        key="resting",
        translation_key="resting",
        # The rest timer runs whether or not the lifter stays on the bench.
        is_on_fn=lambda data: data.state.rest_ends_t is not None,
    ),
    RepCoachBinarySensorEntityDescription(
        key="sensor_problem",
        translation_key="sensor_problem",
        device_class=BinarySensorDeviceClass.PROBLEM,
        entity_category=EntityCategory.DIAGNOSTIC,
        # It reports the outage the other entities go unavailable for.
        follows_sensor_availability=False,
        is_on_fn=_sensor_problem,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RepCoachConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors of one bench sensor."""
    async_add_entities(
        RepCoachBinarySensor(entry.runtime_data, description) for description in BINARY_SENSORS
    )


class RepCoachBinarySensor(RepCoachEntity, BinarySensorEntity):
    """A Rep Coach binary sensor."""

    entity_description: RepCoachBinarySensorEntityDescription

    def __init__(
        self,
        coordinator: RepCoachCoordinator,
        description: RepCoachBinarySensorEntityDescription,
    ) -> None:
        """Take availability behaviour from the description."""
        super().__init__(coordinator, description)
        self._follows_sensor_availability = description.follows_sensor_availability
        self._follows_stream = description.live

    @property
    def is_on(self) -> bool:
        """The value from the latest engine snapshot."""
        return self.entity_description.is_on_fn(self.coordinator.data)

    def shown_value(self) -> Hashable:
        """The on/off state decides when to write."""
        return self.is_on
