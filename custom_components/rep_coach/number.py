"""Numbers: the targets of the session (stored in the entry's options)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from homeassistant.components.number import NumberEntity, NumberEntityDescription, NumberMode
from homeassistant.const import EntityCategory, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import RepCoachConfigEntry
from .engine import Program
from .entity import RepCoachEntity
from .options import (
    OPT_HOLD_TARGET,
    OPT_LOWERING_TARGET,
    OPT_REST,
    OPT_SETS_PER_SIDE,
    OPT_TARGET_REPS,
)

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class RepCoachNumberEntityDescription(NumberEntityDescription):
    """A number and the engine setting it edits."""

    setting: str
    whole: bool = False


def _seconds(
    key: str, setting: str, maximum: float, step: float
) -> RepCoachNumberEntityDescription:
    return RepCoachNumberEntityDescription(
        key=key,
        translation_key=key,
        setting=setting,
        entity_category=EntityCategory.CONFIG,
        native_min_value=0,
        native_max_value=maximum,
        native_step=step,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        mode=NumberMode.BOX,
    )


NUMBERS: tuple[RepCoachNumberEntityDescription, ...] = (
    RepCoachNumberEntityDescription(
        key="target_reps",
        translation_key="target_reps",
        setting=OPT_TARGET_REPS,
        whole=True,
        entity_category=EntityCategory.CONFIG,
        native_min_value=0,
        native_max_value=50,
        native_step=1,
        mode=NumberMode.BOX,
    ),
    RepCoachNumberEntityDescription(
        key="target_sets",
        translation_key="target_sets",
        setting=OPT_SETS_PER_SIDE,
        whole=True,
        entity_category=EntityCategory.CONFIG,
        native_min_value=1,
        native_max_value=10,
        native_step=1,
        mode=NumberMode.BOX,
    ),
    _seconds("hold_target", OPT_HOLD_TARGET, 10, 0.5),
    _seconds("lowering_target", OPT_LOWERING_TARGET, 10, 0.5),
    _seconds("rest_duration", OPT_REST, 600, 5),
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
        value: float = getattr(self.coordinator.data.settings, self.entity_description.setting)
        return value

    def shown_value(self) -> float:
        """The setting decides when to write."""
        return self.native_value

    async def async_set_native_value(self, value: float) -> None:
        """Change the target; a program preset no longer applies once a target is edited."""
        settings = self.coordinator.engine.settings
        new_value = int(value) if self.entity_description.whole else value
        if new_value == getattr(settings, self.entity_description.setting):
            return
        changes: dict[str, Any] = {self.entity_description.setting: new_value}
        self.coordinator.async_store_settings(replace(settings, program=Program.CUSTOM, **changes))
