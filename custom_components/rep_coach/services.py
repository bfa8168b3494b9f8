"""Services: start/end a session, switch side, adjust reps, calibrate, get the summary."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, Final

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_CONFIG_ENTRY_ID, ATTR_DEVICE_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr

from .const import DOMAIN
from .coordinator import RepCoachConfigEntry, RepCoachCoordinator
from .engine import CalibrationStep, EngineEvent, Side
from .validation import vol

SERVICE_START_SESSION: Final = "start_session"
SERVICE_END_SESSION: Final = "end_session"
SERVICE_SWITCH_SIDE: Final = "switch_side"
SERVICE_ADJUST_REPS: Final = "adjust_reps"
SERVICE_CALIBRATE: Final = "calibrate"
SERVICE_GET_SESSION_SUMMARY: Final = "get_session_summary"

ATTR_SIDE: Final = "side"
ATTR_DELTA: Final = "delta"
ATTR_STEP: Final = "step"

_TARGET = {
    vol.Optional(ATTR_DEVICE_ID): cv.string,
    vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
}


def _schema(fields: dict[Any, Any] | None = None) -> vol.All[Any]:
    return vol.All(
        vol.Schema({**_TARGET, **(fields or {})}),
        cv.has_at_least_one_key(ATTR_DEVICE_ID, ATTR_CONFIG_ENTRY_ID),
    )


_SIDE = vol.In([str(side) for side in Side])


def _entry_for(hass: HomeAssistant, call: ServiceCall) -> RepCoachConfigEntry:
    """The loaded entry a call targets, or a translated validation error."""
    entry_id: str | None = call.data.get(ATTR_CONFIG_ENTRY_ID)
    if device_id := call.data.get(ATTR_DEVICE_ID):
        device = dr.async_get(hass).async_get(device_id)
        # A bench's device carries the sensor id, which is its entry's unique id.
        ours = [
            entry.entry_id
            for domain, sensor_id in (device.identifiers if device else ())
            if domain == DOMAIN
            and (entry := hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, sensor_id))
        ]
        if not ours:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="device_not_found",
                translation_placeholders={"device_id": device_id},
            )
        entry_id = ours[0]
    entry = hass.config_entries.async_get_entry(entry_id) if entry_id else None
    if entry is None or entry.domain != DOMAIN:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_found",
            translation_placeholders={"entry_id": str(entry_id)},
        )
    if entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_loaded",
            translation_placeholders={"name": entry.title},
        )
    return entry


def _start_session(
    coordinator: RepCoachCoordinator, call: ServiceCall, t: float
) -> list[EngineEvent]:
    engine = coordinator.engine
    events = engine.reset_session(t)
    if (side := call.data.get(ATTR_SIDE)) is not None and Side(side) is not engine.state.side:
        events += engine.switch_side(t, Side(side))
    return events + engine.start_set(t)


def _end_session(
    coordinator: RepCoachCoordinator, call: ServiceCall, t: float
) -> list[EngineEvent]:
    engine = coordinator.engine
    return engine.end_set(t) if engine.state.in_set else []


def _switch_side(
    coordinator: RepCoachCoordinator, call: ServiceCall, t: float
) -> list[EngineEvent]:
    side = call.data.get(ATTR_SIDE)
    return coordinator.engine.switch_side(t, None if side is None else Side(side))


def _adjust_reps(
    coordinator: RepCoachCoordinator, call: ServiceCall, t: float
) -> list[EngineEvent]:
    delta: int = call.data[ATTR_DELTA]
    if delta == 0:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="delta_zero")
    return coordinator.engine.adjust_reps(t, delta)


def _calibrate(coordinator: RepCoachCoordinator, call: ServiceCall, t: float) -> list[EngineEvent]:
    return coordinator.engine.calibrate(t, CalibrationStep(call.data[ATTR_STEP]))


type Command = Callable[[RepCoachCoordinator, ServiceCall, float], list[EngineEvent]]

COMMANDS: Final[dict[str, tuple[Command, dict[Any, Any]]]] = {
    SERVICE_START_SESSION: (_start_session, {vol.Optional(ATTR_SIDE): _SIDE}),
    SERVICE_END_SESSION: (_end_session, {}),
    SERVICE_SWITCH_SIDE: (_switch_side, {vol.Optional(ATTR_SIDE): _SIDE}),
    SERVICE_ADJUST_REPS: (
        _adjust_reps,
        {vol.Required(ATTR_DELTA): vol.All(vol.Coerce(int), vol.Range(min=-50, max=50))},
    ),
    SERVICE_CALIBRATE: (
        _calibrate,
        {vol.Required(ATTR_STEP): vol.In([str(step) for step in CalibrationStep])},
    ),
}


async def _async_command(
    hass: HomeAssistant, command: Command, call: ServiceCall
) -> ServiceResponse:
    coordinator = _entry_for(hass, call).runtime_data
    coordinator.async_run(lambda t: command(coordinator, call, t))
    if call.return_response:
        return coordinator.engine.summary()
    return None


async def _async_get_session_summary(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    return _entry_for(hass, call).runtime_data.engine.summary()


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the Rep Coach services."""
    handler: Callable[[ServiceCall], Awaitable[ServiceResponse]]
    for name, (command, fields) in COMMANDS.items():
        handler = partial(_async_command, hass, command)
        hass.services.async_register(
            DOMAIN,
            name,
            handler,
            schema=_schema(fields),
            supports_response=(
                SupportsResponse.OPTIONAL if name == SERVICE_END_SESSION else SupportsResponse.NONE
            ),
        )
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_SESSION_SUMMARY,
        partial(_async_get_session_summary, hass),
        schema=_schema(),
        supports_response=SupportsResponse.ONLY,
    )
