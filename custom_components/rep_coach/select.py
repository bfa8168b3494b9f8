"""Selects: side mode, program preset and variation (stored in the entry's options)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import RepCoachConfigEntry
from .engine import EngineSettings, Program, SideMode, Variation
from .entity import RepCoachEntity

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class RepCoachSelectEntityDescription(SelectEntityDescription):
    """A select, how to read its setting and how to apply a choice."""

    current_fn: Callable[[EngineSettings], StrEnum]
    apply_fn: Callable[[EngineSettings, str], EngineSettings]


SELECTS: tuple[RepCoachSelectEntityDescription, ...] = (
    RepCoachSelectEntityDescription(
        key="side_mode",
        translation_key="side_mode",
        entity_category=EntityCategory.CONFIG,
        options=[str(mode) for mode in SideMode],
        current_fn=lambda settings: settings.side_mode,
        apply_fn=lambda settings, option: replace(settings, side_mode=SideMode(option)),
    ),
    RepCoachSelectEntityDescription(
        key="program",
        translation_key="program",
        entity_category=EntityCategory.CONFIG,
        options=[str(program) for program in Program],
        current_fn=lambda settings: settings.program,
        apply_fn=lambda settings, option: settings.with_program(Program(option)),
    ),
    RepCoachSelectEntityDescription(
        key="variation",
        translation_key="variation",
        entity_category=EntityCategory.CONFIG,
        options=[str(variation) for variation in Variation],
        current_fn=lambda settings: settings.variation,
        apply_fn=lambda settings, option: replace(settings, variation=Variation(option)),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RepCoachConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the selects of one bench sensor."""
    async_add_entities(RepCoachSelect(entry.runtime_data, description) for description in SELECTS)


class RepCoachSelect(RepCoachEntity, SelectEntity):
    """A session setting chosen from a list."""

    entity_description: RepCoachSelectEntityDescription
    _follows_sensor_availability = False

    @property
    def current_option(self) -> str:
        """The engine's current choice."""
        return str(self.entity_description.current_fn(self.coordinator.data.settings))

    def shown_value(self) -> str:
        """The choice decides when to write."""
        return self.current_option

    async def async_select_option(self, option: str) -> None:
        """Apply the choice (a program also sets its targets)."""
        settings = self.coordinator.engine.settings
        self.coordinator.async_store_settings(self.entity_description.apply_fn(settings, option))
