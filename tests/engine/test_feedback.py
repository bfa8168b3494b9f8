"""Feedback: per-rep warnings after the guide's common mistakes, the left/right imbalance."""

from __future__ import annotations

from dataclasses import replace

import pytest

from custom_components.rep_coach.engine import EngineSettings, FormWarning
from custom_components.rep_coach.engine.feedback import SideMeans, imbalance, rep_warnings
from custom_components.rep_coach.engine.reps import RepMeasure


def rep(**overrides: float | bool) -> RepMeasure:
    values: dict[str, float | bool] = {
        "complete": True,
        "started_t": 0.0,
        "end_t": 5.0,
        "concentric_s": 1.0,
        "hold_s": 1.5,
        "eccentric_s": 2.5,
        "rom_mm": 300.0,
        "rom_fraction": 1.0,
        "peak_speed_mm_s": 400.0,
        "lowering_peak_speed_mm_s": 180.0,
        "lowering_mean_speed_mm_s": 120.0,
    }
    values.update(overrides)
    return RepMeasure(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, ()),
        ({"hold_s": 0.5}, (FormWarning.HOLD_TOO_SHORT,)),
        ({"eccentric_s": 1.0}, (FormWarning.LOWERED_TOO_FAST,)),
        ({"lowering_peak_speed_mm_s": 400.0}, (FormWarning.JERKY,)),
        ({"complete": False, "hold_s": 0.0}, (FormWarning.PARTIAL_RANGE,)),
    ],
)
def test_rep_warnings_follow_the_guide(
    overrides: dict[str, float | bool], expected: tuple[FormWarning, ...]
) -> None:
    assert (
        rep_warnings(rep(**overrides), EngineSettings(hold_target_s=1.0, eccentric_target_s=2.0))
        == expected
    )


def test_imbalance_reports_the_largest_difference_signed() -> None:
    left = SideMeans(reps_per_set=10.0, rom_mm=300.0, hold_s=1.5, lowering_s=2.0)
    result = imbalance(left, replace(left, rom_mm=240.0))
    assert result.largest_pct == pytest.approx(20.0)
    assert result.worth_telling
    close = SideMeans(reps_per_set=10.0, rom_mm=290.0, hold_s=1.45, lowering_s=2.1)
    assert not imbalance(left, close).worth_telling
