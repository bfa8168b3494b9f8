"""Buttons: start set, end set, switch side, undo last rep, reset session, calibrate."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import RepCoachConfigEntry
from .engine import CalibrationStep, EngineEvent, RepEngine
from .entity import RepCoachEntity

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class RepCoachButtonEntityDescription(ButtonEntityDescription):
    """A button and the engine command it runs at the time of the press."""

    press_fn: Callable[[RepEngine, float], list[EngineEvent]]


BUTTONS: tuple[RepCoachButtonEntityDescription, ...] = (
    RepCoachButtonEntityDescription(
        key="start_set",
        translation_key="start_set",
        press_fn=lambda engine, t: engine.start_set(t),
    ),
    RepCoachButtonEntityDescription(
        key="end_set",
        translation_key="end_set",
        press_fn=lambda engine, t: engine.end_set(t),
    ),
    RepCoachButtonEntityDescription(
        key="switch_side",
        translation_key="switch_side",
        press_fn=lambda engine, t: engine.switch_side(t),
    ),
    RepCoachButtonEntityDescription(
        key="undo_last_rep",
        translation_key="undo_last_rep",
        press_fn=lambda engine, t: engine.undo_last_rep(t),
    ),
    RepCoachButtonEntityDescription(
        key="reset_session",
        translation_key="reset_session",
        press_fn=lambda engine, t: engine.reset_session(t),
    ),
    RepCoachButtonEntityDescription(
        key="calibrate",
        translation_key="calibrate",
        entity_category=EntityCategory.CONFIG,
        press_fn=lambda engine, t: engine.calibrate(t, CalibrationStep.AUTO),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RepCoachConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the buttons of one bench sensor."""
    async_add_entities(RepCoachButton(entry.runtime_data, description) for description in BUTTONS)


class RepCoachButton(RepCoachEntity, ButtonEntity):
    """A Rep Coach command button."""

    entity_description: RepCoachButtonEntityDescription
    _follows_sensor_availability = False

    async def async_press(self) -> None:
        """Run the command in the engine."""
        engine = self.coordinator.engine
        self.coordinator.async_run(lambda t: self.entity_description.press_fn(engine, t))
