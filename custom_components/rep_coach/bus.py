"""The ``rep_coach_event`` bus event: one per engine event, typed for automations."""

from __future__ import annotations

from typing import Any, Final

from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant, callback

from .const import ATTR_ENTRY_ID, ATTR_TYPE, EVENT_REP_COACH
from .engine import EngineEvent, EventKind, PresenceEvent, RepEvent

TYPE_REP_COMPLETED: Final = "rep_completed"
TYPE_PARTIAL_REP: Final = "partial_rep"
TYPE_HOLD_STARTED: Final = "hold_started"
TYPE_HOLD_REACHED: Final = "hold_reached"
TYPE_SET_STARTED: Final = "set_started"
TYPE_SET_COMPLETED: Final = "set_completed"
TYPE_SIDE_SWITCHED: Final = "side_switched"
TYPE_REST_STARTED: Final = "rest_started"
TYPE_REST_FINISHED: Final = "rest_finished"
TYPE_FORM_WARNING: Final = "form_warning"
TYPE_LIFTER_ARRIVED: Final = "lifter_arrived"
TYPE_LIFTER_LEFT: Final = "lifter_left"
TYPE_TARGET_REACHED: Final = "target_reached"

_TYPE_BY_KIND: Final[dict[EventKind, str]] = {
    EventKind.HOLD_STARTED: TYPE_HOLD_STARTED,
    EventKind.HOLD_REACHED: TYPE_HOLD_REACHED,
    EventKind.SET_START: TYPE_SET_STARTED,
    EventKind.SET_END: TYPE_SET_COMPLETED,
    EventKind.TARGET_REACHED: TYPE_TARGET_REACHED,
    EventKind.SIDE_SWITCHED: TYPE_SIDE_SWITCHED,
    EventKind.REST_STARTED: TYPE_REST_STARTED,
    EventKind.REST_FINISHED: TYPE_REST_FINISHED,
    EventKind.FORM_WARNING: TYPE_FORM_WARNING,
    EventKind.SENSOR: "sensor_state",
    EventKind.CALIBRATED: "calibrated",
    EventKind.SESSION_RESET: "session_reset",
    EventKind.REPS_ADJUSTED: "reps_adjusted",
}


def event_type(event: EngineEvent) -> str:
    """The bus event ``type`` of an engine event."""
    if isinstance(event, RepEvent):
        return TYPE_REP_COMPLETED if event.complete else TYPE_PARTIAL_REP
    if isinstance(event, PresenceEvent):
        return TYPE_LIFTER_ARRIVED if event.present else TYPE_LIFTER_LEFT
    return _TYPE_BY_KIND[event.kind]


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
        ATTR_TYPE: event_type(event),
        **event_fields(event),
    }


@callback
def async_fire_bus_event(
    hass: HomeAssistant, entry_id: str, device_id: str | None, event: EngineEvent
) -> None:
    """Fire ``rep_coach_event`` for one engine event."""
    hass.bus.async_fire(EVENT_REP_COACH, event_data(entry_id, device_id, event))
