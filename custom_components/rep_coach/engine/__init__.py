"""Rep Coach engine: pure Python, no Home Assistant imports.

Turns a stream of ToF distance readings into reps, holds, tempo, sets and sides.

The names below are resolved on first use (PEP 562 module ``__getattr__``), so importing one
module of the engine (``engine.settings`` for a command's options) does not load the others or
pydantic: ``rep-coach replay --help`` starts in a fraction of the time.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .core import CalibrationStep, FeedResult, RepEngine
    from .events import (
        CalibratedEvent,
        CalibrationReason,
        EngineEvent,
        EventKind,
        FormWarning,
        FormWarningEvent,
        HoldReachedEvent,
        HoldStartedEvent,
        PresenceEvent,
        RepEvent,
        RepsAdjustedEvent,
        RestFinishedEvent,
        RestStartedEvent,
        SensorEvent,
        SensorState,
        SessionResetEvent,
        SetEndEvent,
        SetEndReason,
        SetStartEvent,
        SideSwitchedEvent,
        TargetReachedEvent,
    )
    from .protocol import (
        PayloadError,
        PayloadErrorCode,
        PayloadFormat,
        decode_payload,
        detect_format,
    )
    from .settings import (
        PROGRAMS,
        DistanceUnit,
        EngineSettings,
        Orientation,
        Program,
        Sensitivity,
        Side,
        SideMode,
        Variation,
    )
    from .state import Calibration, EngineState, Phase, SideStats

__all__ = [
    "PROGRAMS",
    "CalibratedEvent",
    "Calibration",
    "CalibrationReason",
    "CalibrationStep",
    "DistanceUnit",
    "EngineEvent",
    "EngineSettings",
    "EngineState",
    "EventKind",
    "FeedResult",
    "FormWarning",
    "FormWarningEvent",
    "HoldReachedEvent",
    "HoldStartedEvent",
    "Orientation",
    "PayloadError",
    "PayloadErrorCode",
    "PayloadFormat",
    "Phase",
    "PresenceEvent",
    "Program",
    "RepEngine",
    "RepEvent",
    "RepsAdjustedEvent",
    "RestFinishedEvent",
    "RestStartedEvent",
    "Sensitivity",
    "SensorEvent",
    "SensorState",
    "SessionResetEvent",
    "SetEndEvent",
    "SetEndReason",
    "SetStartEvent",
    "Side",
    "SideMode",
    "SideStats",
    "SideSwitchedEvent",
    "TargetReachedEvent",
    "Variation",
    "decode_payload",
    "detect_format",
]


# Where the names above live, lightest first: a name is looked up in these in turn.
_MODULES = (".settings", ".events", ".state", ".protocol", ".core")


def __getattr__(name: str) -> Any:
    """One of the engine's public names, imported from its module on first use."""
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    for module_name in _MODULES:
        module = importlib.import_module(module_name, __name__)
        if hasattr(module, name):
            value = getattr(module, name)
            globals()[name] = value
            return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")  # pragma: no cover
