"""The one place where config entry options and the engine's settings meet.

Options are stored under the :class:`EngineSettings` field names, so the options flow, the
number and select entities and the engine all speak the same keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, fields, replace
from enum import StrEnum
from typing import Any, Final

from .const import LOGGER
from .engine import EngineSettings

OPT_PROGRAM: Final = "program"
OPT_VARIATION: Final = "variation"
OPT_TARGET_REPS: Final = "target_reps"
OPT_SETS_PER_SIDE: Final = "sets_per_side"
OPT_HOLD_TARGET: Final = "hold_target_s"
OPT_LOWERING_TARGET: Final = "eccentric_target_s"
OPT_REST: Final = "rest_s"
OPT_SIDE_MODE: Final = "side_mode"
OPT_IDLE_END_SET: Final = "idle_end_set_s"
OPT_NEW_WORKOUT_AFTER: Final = "new_workout_after_min"
OPT_SENSITIVITY: Final = "sensitivity"
OPT_UNIT: Final = "unit"
OPT_ORIENTATION: Final = "orientation"

# The settings a user may change; the rest keep the engine's defaults.
USER_OPTIONS: Final = (
    OPT_PROGRAM,
    OPT_VARIATION,
    OPT_TARGET_REPS,
    OPT_SETS_PER_SIDE,
    OPT_HOLD_TARGET,
    OPT_LOWERING_TARGET,
    OPT_REST,
    OPT_SIDE_MODE,
    OPT_IDLE_END_SET,
    OPT_NEW_WORKOUT_AFTER,
    OPT_SENSITIVITY,
    OPT_UNIT,
    OPT_ORIENTATION,
)

_DEFAULTS: Final = EngineSettings()
_FIELD_TYPES: Final = {
    field.name: type(getattr(_DEFAULTS, field.name)) for field in fields(_DEFAULTS)
}


def _coerce(key: str, value: Any) -> Any:
    """``value`` as the type of the settings field ``key``; raises ValueError/TypeError."""
    kind = _FIELD_TYPES[key]
    if issubclass(kind, StrEnum):
        return kind(value)
    if kind is int:
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f"{value} is not a whole number")
        return int(value)
    return float(value)


def settings_from_options(options: Mapping[str, Any]) -> EngineSettings:
    """Engine settings for the stored options; bad values are logged and left at the default."""
    changes: dict[str, Any] = {}
    for key in USER_OPTIONS:
        if key not in options:
            continue
        try:
            changes[key] = _coerce(key, options[key])
        except TypeError, ValueError:
            LOGGER.warning(
                "Ignoring invalid option %s=%r, using %r",
                key,
                options[key],
                getattr(_DEFAULTS, key),
            )
    settings = replace(_DEFAULTS, **changes)
    # A program preset owns the targets; only ``custom`` keeps the stored ones.
    return settings.with_program(settings.program)


def options_from_settings(settings: EngineSettings) -> dict[str, Any]:
    """The stored options for engine settings (enums as their plain values)."""
    values = asdict(settings)
    return {
        key: str(values[key]) if isinstance(values[key], StrEnum) else values[key]
        for key in USER_OPTIONS
    }
