"""Event entities: rep, hold, set, rest and form feedback, with translated event types."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .bus import event_fields
from .coordinator import RepCoachConfigEntry
from .engine import (
    EngineEvent,
    FormWarning,
    FormWarningEvent,
    HoldReachedEvent,
    HoldStartedEvent,
    RepEvent,
    RestFinishedEvent,
    SetEndEvent,
    TargetReachedEvent,
)
from .entity import RepCoachEntity

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class RepCoachEventEntityDescription(EventEntityDescription):
    """An event entity and which engine events it reports (None: not this entity's)."""

    event_type_fn: Callable[[EngineEvent], str | None]


def _rep_type(event: EngineEvent) -> str | None:
    if isinstance(event, RepEvent):
        return "completed" if event.complete else "partial"
    return None


def _hold_type(event: EngineEvent) -> str | None:
    if isinstance(event, HoldStartedEvent):
        return "started"
    return "reached" if isinstance(event, HoldReachedEvent) else None


def _set_type(event: EngineEvent) -> str | None:
    if isinstance(event, TargetReachedEvent):
        return "target_reached"
    return "completed" if isinstance(event, SetEndEvent) else None


def _form_type(event: EngineEvent) -> str | None:
    return str(event.warning) if isinstance(event, FormWarningEvent) else None


EVENTS: tuple[RepCoachEventEntityDescription, ...] = (
    RepCoachEventEntityDescription(
        key="rep",
        translation_key="rep",
        event_types=["completed", "partial"],
        event_type_fn=_rep_type,
    ),
    RepCoachEventEntityDescription(
        key="hold",
        translation_key="hold",
        event_types=["started", "reached"],
        event_type_fn=_hold_type,
    ),
    RepCoachEventEntityDescription(
        key="set",
        translation_key="set",
        event_types=["target_reached", "completed"],
        event_type_fn=_set_type,
    ),
    RepCoachEventEntityDescription(
        key="rest",
        translation_key="rest",
        event_types=["finished"],
        event_type_fn=lambda event: "finished" if isinstance(event, RestFinishedEvent) else None,
    ),
    RepCoachEventEntityDescription(
        key="form",
        translation_key="form",
        event_types=[str(warning) for warning in FormWarning],
        event_type_fn=_form_type,
    ),
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

    entity_description: RepCoachEventEntityDescription

    async def async_added_to_hass(self) -> None:
        """Listen to the engine's events."""
        await super().async_added_to_hass()
        self.async_on_remove(self.coordinator.async_add_event_listener(self._async_engine_event))

    @callback
    def _async_engine_event(self, event: EngineEvent) -> None:
        event_type = self.entity_description.event_type_fn(event)
        if event_type is None:
            return
        self._trigger_event(event_type, event_fields(event))
        self.async_write_ha_state()
