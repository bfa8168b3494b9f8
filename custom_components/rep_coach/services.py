"""Services: start/end a session, switch side, adjust reps, calibrate, summary, set history."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
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
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .coordinator import RepCoachConfigEntry, RepCoachCoordinator
from .engine import CalibrationStep, EngineEvent, Side
from .engine.report import SetSummary
from .validation import vol

SERVICE_START_SESSION: Final = "start_session"
SERVICE_END_SESSION: Final = "end_session"
SERVICE_SWITCH_SIDE: Final = "switch_side"
SERVICE_ADJUST_REPS: Final = "adjust_reps"
SERVICE_CALIBRATE: Final = "calibrate"
SERVICE_GET_SESSION_SUMMARY: Final = "get_session_summary"
SERVICE_EXPORT_HISTORY: Final = "export_history"

ATTR_SIDE: Final = "side"
ATTR_DELTA: Final = "delta"
ATTR_STEP: Final = "step"
ATTR_START: Final = "start"
ATTR_END: Final = "end"

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


_DATE_OR_DATETIME = vol.Any(cv.date, cv.datetime)  # a datetime is also a date: it passes as is


def _moment(value: date | None, *, day_after: bool = False) -> datetime | None:
    """A date means its local midnight (or the next one's); a naive datetime is local time."""
    if value is None:
        return None
    if isinstance(value, datetime):
        local = value if value.tzinfo else value.replace(tzinfo=dt_util.get_default_time_zone())
        return dt_util.as_utc(local)
    return dt_util.as_utc(dt_util.start_of_local_day(value + timedelta(days=int(day_after))))


def _exported(entry: SetSummary) -> dict[str, Any]:
    return {
        "side": str(entry.side),
        "set": entry.set,
        "reps": entry.reps,
        "partial_reps": entry.partial_reps,
        "mean_hold_s": entry.mean_hold_s if entry.timed else None,
        "mean_lowering_s": entry.mean_lowering_s if entry.timed else None,
        "warnings": dict(entry.warnings),
        "started_at": None if entry.started_at is None else entry.started_at.isoformat(),
        "ended_at": None if entry.ended_at is None else entry.ended_at.isoformat(),
    }


async def _async_export_history(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    """The finished sets kept in detail (the last 50) that ended in [start, end).

    Sets saved before sets had dates are older than every dated one: they are in any range
    without a start.
    """
    since = _moment(call.data.get(ATTR_START))
    until = _moment(call.data.get(ATTR_END), day_after=True)
    if since is not None and until is not None and until <= since:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="end_before_start",
            translation_placeholders={
                "start": call.data[ATTR_START].isoformat(),
                "end": call.data[ATTR_END].isoformat(),
            },
        )
    history = _entry_for(hass, call).runtime_data.engine.set_history()
    return {
        "start": None if since is None else since.isoformat(),
        "end": None if until is None else until.isoformat(),
        "sets": [
            _exported(entry)
            for entry in history
            if (since is None or (entry.ended_at is not None and entry.ended_at >= since))
            and (until is None or entry.ended_at is None or entry.ended_at < until)
        ],
    }


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
    hass.services.async_register(
        DOMAIN,
        SERVICE_EXPORT_HISTORY,
        partial(_async_export_history, hass),
        schema=_schema(
            {vol.Optional(ATTR_START): _DATE_OR_DATETIME, vol.Optional(ATTR_END): _DATE_OR_DATETIME}
        ),
        supports_response=SupportsResponse.ONLY,
    )
