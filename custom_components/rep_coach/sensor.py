"""Sensors: counters, last-rep figures, phase, side, rest timer and form feedback."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfTime
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.typing import StateType

from .const import HIP_POSITION_MIN_INTERVAL_S
from .coordinator import CoachData, RepCoachConfigEntry, RepCoachCoordinator
from .engine import FormWarning, Phase, RepEvent, Side, SideStats
from .entity import RepCoachEntity

PARALLEL_UPDATES = 0

NO_FEEDBACK = "none"


@dataclass(frozen=True, kw_only=True)
class RepCoachSensorEntityDescription(SensorEntityDescription):
    """A sensor and how to read it from the coordinator's data."""

    value_fn: Callable[[CoachData], StateType | datetime]
    # A session total: counted since the last reset, which starts a new cycle in long-term
    # statistics (state class "total" with last_reset, so an undone rep subtracts one).
    session_total: bool = False
    live: bool = False  # a live state: unavailable while no readings arrive


def _last_rep(read: Callable[[RepEvent], float]) -> Callable[[CoachData], float | None]:
    """A reader of the last rep's figure (None before the first rep)."""

    def value(data: CoachData) -> float | None:
        last_rep = data.state.last_rep
        return None if last_rep is None else read(last_rep)

    return value


# What the measurements resolve, so states, templates, TTS and exports carry no invented digits:
# times come from readings 20 ms apart at most (50 Hz), percentages from a range of a few hundred
# millimetres measured to the millimetre.
SECONDS_DECIMALS: Final = 2
PERCENT_DECIMALS: Final = 1


def _rounded(
    value_fn: Callable[[CoachData], float | None], decimals: int
) -> Callable[[CoachData], float | None]:
    def value(data: CoachData) -> float | None:
        raw = value_fn(data)
        return None if raw is None else round(raw, decimals)

    return value


def _finite(value: float | None) -> float | None:
    """A number, or None (unknown) until there is one: a dashboard gauge needs a number."""
    return value if value is not None and math.isfinite(value) else None


def _seconds(
    key: str, value_fn: Callable[[CoachData], float | None]
) -> RepCoachSensorEntityDescription:
    return RepCoachSensorEntityDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=_rounded(value_fn, SECONDS_DECIMALS),
    )


def _total(key: str, value_fn: Callable[[CoachData], StateType]) -> RepCoachSensorEntityDescription:
    return RepCoachSensorEntityDescription(
        key=key,
        translation_key=key,
        state_class=SensorStateClass.TOTAL,
        session_total=True,
        value_fn=value_fn,
    )


def _last_set_mean(
    key: str, read: Callable[[SideStats], float | None], side: Side
) -> RepCoachSensorEntityDescription:
    """A per-set figure of one side: changes once per set, so its statistics mean something."""
    return _seconds(key, lambda data: read(data.state.side_stats(side)))


def _percent(
    key: str, value_fn: Callable[[CoachData], float | None]
) -> RepCoachSensorEntityDescription:
    return RepCoachSensorEntityDescription(
        key=key,
        translation_key=key,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=_rounded(value_fn, PERCENT_DECIMALS),
    )


SENSORS: tuple[RepCoachSensorEntityDescription, ...] = (
    RepCoachSensorEntityDescription(
        key="reps_this_set",
        translation_key="reps_this_set",
        value_fn=lambda data: data.state.reps_this_set,
    ),
    _total("left_reps", lambda data: data.state.left.reps),
    _total("right_reps", lambda data: data.state.right.reps),
    _total("left_sets", lambda data: data.state.left.sets),
    _total("right_sets", lambda data: data.state.right.sets),
    _total("total_reps", lambda data: data.state.total_reps),
    _seconds("last_hold_time", _last_rep(lambda rep: rep.hold_s)),
    _seconds("last_lowering_time", _last_rep(lambda rep: rep.lowering_s)),
    _percent("last_range", _last_rep(lambda rep: rep.rom_pct)),
    RepCoachSensorEntityDescription(
        key="phase",
        translation_key="phase",
        device_class=SensorDeviceClass.ENUM,
        options=[str(phase) for phase in Phase],
        value_fn=lambda data: data.state.phase,
        live=True,
    ),
    RepCoachSensorEntityDescription(
        key="current_side",
        translation_key="current_side",
        device_class=SensorDeviceClass.ENUM,
        options=[str(side) for side in Side],
        value_fn=lambda data: data.state.side,
    ),
    RepCoachSensorEntityDescription(
        key="set_number",
        translation_key="set_number",
        value_fn=lambda data: data.state.set_number,
    ),
    RepCoachSensorEntityDescription(
        key="rest_ends_at",
        translation_key="rest_ends_at",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda data: data.rest_ends_at,
    ),
    RepCoachSensorEntityDescription(
        key="last_form_feedback",
        translation_key="last_form_feedback",
        device_class=SensorDeviceClass.ENUM,
        options=[NO_FEEDBACK, *(str(warning) for warning in FormWarning)],
        value_fn=lambda data: data.state.last_warning or NO_FEEDBACK,
    ),
    _percent("imbalance", lambda data: _finite(data.state.imbalance_pct)),
    RepCoachSensorEntityDescription(
        key="time_under_tension",
        translation_key="time_under_tension",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        state_class=SensorStateClass.TOTAL,
        session_total=True,
        suggested_display_precision=1,
        value_fn=_rounded(
            lambda data: (
                data.state.left.time_under_tension_s + data.state.right.time_under_tension_s
            ),
            SECONDS_DECIMALS,
        ),
    ),
    *(
        _last_set_mean(f"{side}_set_mean_{figure}", read, side)
        for side in Side
        for figure, read in (
            ("hold", lambda stats: stats.last_set_mean_hold_s),
            ("lowering", lambda stats: stats.last_set_mean_lowering_s),
        )
    ),
)

HIP_POSITION = RepCoachSensorEntityDescription(
    key="hip_position",
    translation_key="hip_position",
    native_unit_of_measurement=PERCENTAGE,
    # No state class: readings twice a second make no long-term statistics worth keeping.
    suggested_display_precision=0,
    entity_category=EntityCategory.DIAGNOSTIC,
    entity_registry_enabled_default=False,
    value_fn=lambda data: (
        None if data.state.position_pct is None else round(data.state.position_pct)
    ),
    live=True,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RepCoachConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors of one bench sensor."""
    coordinator = entry.runtime_data
    async_add_entities(
        [
            *(RepCoachSensor(coordinator, description) for description in SENSORS),
            HipPositionSensor(coordinator, HIP_POSITION),
        ]
    )


class RepCoachSensor(RepCoachEntity, SensorEntity):
    """A Rep Coach sensor."""

    entity_description: RepCoachSensorEntityDescription

    def __init__(
        self, coordinator: RepCoachCoordinator, description: RepCoachSensorEntityDescription
    ) -> None:
        """Take availability behaviour from the description."""
        super().__init__(coordinator, description)
        self._follows_stream = description.live

    @property
    def native_value(self) -> StateType | datetime:
        """The value from the latest engine snapshot."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    def last_reset(self) -> datetime | None:
        """When a session total started counting (the session's last reset)."""
        if not self.entity_description.session_total:
            return None
        return self.coordinator.data.state.totals_since

    def shown_value(self) -> Hashable:
        """The native value (and a total's start) decides when to write."""
        return self.native_value, self.last_reset


class HipPositionSensor(RepCoachSensor):
    """Live hip height; writes at most every ``HIP_POSITION_MIN_INTERVAL_S``."""

    def __init__(
        self, coordinator: RepCoachCoordinator, description: RepCoachSensorEntityDescription
    ) -> None:
        """Start with no write pending."""
        super().__init__(coordinator, description)
        self._last_write_t: float | None = None
        self._cancel_pending: CALLBACK_TYPE | None = None

    async def async_will_remove_from_hass(self) -> None:
        """Drop a pending write."""
        await super().async_will_remove_from_hass()
        if self._cancel_pending is not None:
            self._cancel_pending()
            self._cancel_pending = None

    @callback
    def _async_write_shown(self, shown: Hashable) -> None:
        """Write now when allowed, otherwise once the interval has passed (latest value)."""
        if self._cancel_pending is not None:
            return
        now = self.coordinator.clock()
        if (
            self._last_write_t is not None
            and (wait := self._last_write_t + HIP_POSITION_MIN_INTERVAL_S - now) > 0
        ):
            self._cancel_pending = async_call_later(self.hass, wait, self._async_write_pending)
            return
        self._last_write_t = now
        super()._async_write_shown(shown)

    @callback
    def _async_write_pending(self, _now: datetime) -> None:
        self._cancel_pending = None
        self._handle_coordinator_update()
