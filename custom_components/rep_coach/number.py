"""Numbers: the targets of the session (stored in the entry's options)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from homeassistant.components.number import NumberEntity, NumberEntityDescription, NumberMode
from homeassistant.const import EntityCategory, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import RepCoachConfigEntry
from .engine import EngineSettings, Program
from .entity import RepCoachEntity

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class RepCoachNumberEntityDescription(NumberEntityDescription):
    """A number, how to read its setting and how to set it."""

    value_fn: Callable[[EngineSettings], float]
    set_fn: Callable[[EngineSettings, float], EngineSettings]


def _target(
    key: str,
    limits: tuple[float, float, float],
    value_fn: Callable[[EngineSettings], float],
    set_fn: Callable[[EngineSettings, float], EngineSettings],
    unit: str | None = None,
) -> RepCoachNumberEntityDescription:
    minimum, maximum, step = limits
    return RepCoachNumberEntityDescription(
        key=key,
        translation_key=key,
        entity_category=EntityCategory.CONFIG,
        native_min_value=minimum,
        native_max_value=maximum,
        native_step=step,
        native_unit_of_measurement=unit,
        mode=NumberMode.BOX,
        value_fn=value_fn,
        set_fn=set_fn,
    )


NUMBERS: tuple[RepCoachNumberEntityDescription, ...] = (
    _target(
        "target_reps",
        (0, 50, 1),
        lambda settings: settings.target_reps,
        lambda settings, reps: replace(settings, target_reps=int(reps)),
    ),
    _target(
        "target_sets",
        (1, 10, 1),
        lambda settings: settings.sets_per_side,
        lambda settings, sets: replace(settings, sets_per_side=int(sets)),
    ),
    _target(
        "hold_target",
        (0, 10, 0.5),
        lambda settings: settings.hold_target_s,
        lambda settings, seconds: replace(settings, hold_target_s=seconds),
        UnitOfTime.SECONDS,
    ),
    _target(
        "lowering_target",
        (0, 10, 0.5),
        lambda settings: settings.eccentric_target_s,
        lambda settings, seconds: replace(settings, eccentric_target_s=seconds),
        UnitOfTime.SECONDS,
    ),
    _target(
        "rest_duration",
        (0, 600, 5),
        lambda settings: settings.rest_s,
        lambda settings, seconds: replace(settings, rest_s=seconds),
        UnitOfTime.SECONDS,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RepCoachConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the target numbers of one bench sensor."""
    async_add_entities(RepCoachNumber(entry.runtime_data, description) for description in NUMBERS)


class RepCoachNumber(RepCoachEntity, NumberEntity):
    """A session target."""

    entity_description: RepCoachNumberEntityDescription
    _follows_sensor_availability = False

    @property
    def native_value(self) -> float:
        """The engine's current setting."""
        return self.entity_description.value_fn(self.coordinator.data.settings)

    def shown_value(self) -> float:
        """The setting decides when to write."""
        return self.native_value

    async def async_set_native_value(self, value: float) -> None:
        """Change the target; a program preset no longer applies once a target is edited."""
        settings = self.coordinator.engine.settings
        changed = self.entity_description.set_fn(settings, value)
        if changed != settings:
            self.coordinator.async_store_settings(replace(changed, program=Program.CUSTOM))
