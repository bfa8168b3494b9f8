"""The ``rep_coach_event`` bus event: one per engine event, its ``type`` named by the event."""

from __future__ import annotations

from typing import Any

from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant, callback

from .const import ATTR_ENTRY_ID, ATTR_TYPE, EVENT_REP_COACH
from .engine import EngineEvent


def event_fields(event: EngineEvent) -> dict[str, Any]:
    """The engine event's own fields, without its kind (``event``) and engine time (``t``)."""
    fields = event.as_dict()
    del fields["event"], fields["t"]
    return fields


def event_data(entry_id: str, device_id: str | None, event: EngineEvent) -> dict[str, Any]:
    """Bus event data: who, what, and the engine event's own fields."""
    return {
        ATTR_DEVICE_ID: device_id,
        ATTR_ENTRY_ID: entry_id,
        ATTR_TYPE: event.bus_type,
        **event_fields(event),
    }


@callback
def async_fire_bus_event(
    hass: HomeAssistant, entry_id: str, device_id: str | None, event: EngineEvent
) -> None:
    """Fire ``rep_coach_event`` for one engine event."""
    hass.bus.async_fire(EVENT_REP_COACH, event_data(entry_id, device_id, event))
