"""Sample engine events for the tests that consume them (CLI lines, blueprints, names).

Each builder gives a plausible event; pass the fields a test is about.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from custom_components.rep_coach.engine import (
    FormWarning,
    FormWarningEvent,
    RepEvent,
    SetEndEvent,
    SetEndReason,
    Side,
)

REP = RepEvent(
    t=1.0,
    complete=True,
    side=Side.LEFT,
    set=1,
    rep=3,
    started_t=0.0,
    concentric_s=0.9,
    hold_s=1.66,
    lowering_s=2.26,
    rom_mm=199.4,
    rom_pct=99.7,
    peak_speed_mm_s=300.0,
)
SET_END = SetEndEvent(
    t=1.0,
    side=Side.RIGHT,
    set=2,
    reps=10,
    partial_reps=1,
    reason=SetEndReason.TARGET,
    target_reps=10,
    mean_hold_s=1.84,
    mean_lowering_s=2.5,
    mean_rom_mm=190.0,
    time_under_tension_s=48.0,
)
FORM_WARNING = FormWarningEvent(
    t=1.0,
    warning=FormWarning.LOWERED_TOO_FAST,
    side=Side.LEFT,
    set=1,
    rep=2,
    value=0.8,
    target=2.0,
)


def rep_event(**changes: Any) -> RepEvent:
    """A counted rep: 0.9 s up, 1.66 s hold, 2.26 s lowering, 199 mm."""
    return replace(REP, **changes)


def set_end_event(**changes: Any) -> SetEndEvent:
    """The end of right set 2 at its target of 10 reps."""
    return replace(SET_END, **changes)


def form_warning_event(**changes: Any) -> FormWarningEvent:
    """Rep 2 lowered in 0.8 s against 2 s."""
    return replace(FORM_WARNING, **changes)
